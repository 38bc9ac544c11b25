/* The i386 Linux system call layer. */
#ifndef UE_OS_H
#define UE_OS_H

#include "../cpu/cpu.h"

/* int 0x80: number in EAX, arguments EBX ECX EDX ESI EDI EBP; result to EAX. */
void sys_int80(struct cpu *c);

/* Called once at start-up (syscall table checks, host-side state). */
void os_init(void);

/* The guest's exit: flush what needs flushing and end the process with status. */
void os_exit_group(int status) __attribute__((noreturn));

/* Signal dispositions the guest set with rt_sigaction (delivery in signal.c). */
#endif
