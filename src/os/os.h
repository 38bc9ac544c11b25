/* The i386 Linux system call layer. */
#ifndef UE_OS_H
#define UE_OS_H

#include "../cpu/cpu.h"

/* int 0x80: number in EAX, arguments EBX ECX EDX ESI EDI EBP; result to EAX. */
void sys_int80(struct cpu *c);

/* Called once at start-up (syscall table checks, host-side state). */
void os_init(void);

/* Called by the run loop between blocks when c->attention is set (pending
 * signals): delivers them to the guest. */
void os_attention(struct cpu *c);

/* The guest's exit: flush what needs flushing and end the process with status. */
void os_exit_group(int status) __attribute__((noreturn));

/* Signal dispositions the guest set with rt_sigaction (delivery in signal.c). */
struct guest_sigaction {
    uint32_t handler;       /* guest address, or 0 = SIG_DFL, 1 = SIG_IGN */
    uint32_t flags;         /* SA_* (same values on i386 and x86_64) */
    uint32_t restorer;
    uint64_t mask;          /* bit s-1 for signal s */
};
const struct guest_sigaction *signal_action(int sig);   /* 1..64, else NULL */
uint64_t signal_blocked(void);                          /* the calling thread's mask */

/* The guest program's path: readlink("/proc/self/exe") and opening it give
 * this instead of ue. The loader fills it (absolute path); empty: no mapping. */
extern char ue_exe_path[4096];

#endif
