/* A minimal stand-in for the kernel's i386 vDSO: one read+exec page with the
 * system call entry that AT_SYSINFO points at (glibc calls it for every
 * system call) and the two signal-return trampolines. There is no ELF image
 * (no AT_SYSINFO_EHDR), so libc looks up no vDSO symbols and makes real
 * system calls for the time functions. */
#include <string.h>
#include <sys/mman.h>

#include "../mem/mem.h"
#include "loader.h"

guest_addr vdso_base, vdso_sigreturn, vdso_rt_sigreturn;

void vdso_map(void)
{
    static const uint8_t code[48] = {
        /* 0: __kernel_vsyscall */
        0xcd, 0x80,                         /* int $0x80 */
        0xc3,                               /* ret */
        [16] = 0x58,                        /* __kernel_sigreturn: popl %eax */
        0xb8, 0x77, 0x00, 0x00, 0x00,       /* movl $119 (sigreturn), %eax */
        0xcd, 0x80,                         /* int $0x80 */
        [32] = 0xb8, 0xad, 0x00, 0x00, 0x00,/* __kernel_rt_sigreturn: movl $173, %eax */
        0xcd, 0x80,                         /* int $0x80 */
    };
    long a = mem_mmap(0, GUEST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a < 0) ue_fatal(70, "cannot map the vdso page");
    memcpy(g2h(a), code, sizeof code);
    mem_mprotect(a, GUEST_PAGE, PROT_READ | PROT_EXEC);
    mem_name(a, GUEST_PAGE, "[vdso]");
    vdso_base = a;
    vdso_sigreturn = a + 16;
    vdso_rt_sigreturn = a + 32;
}
