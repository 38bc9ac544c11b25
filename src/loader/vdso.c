/* The guest's vDSO: a one-page i386 shared object (vdso.S, linked by the
 * Makefile) holding __kernel_vsyscall, the system call entry AT_SYSINFO
 * points at, and the signal-return trampolines. With AT_SYSINFO_EHDR libc
 * finds it as it finds the kernel's. It exports no time functions, so those
 * stay real system calls. */
#include <string.h>
#include <sys/mman.h>

#include "../mem/mem.h"
#include "loader.h"
#include "vdso_image.h"

guest_addr vdso_base, vdso_sigreturn, vdso_rt_sigreturn;

void vdso_map(void)
{
    _Static_assert(sizeof vdso_image <= GUEST_PAGE, "the vdso must fit one page");
    long a = mem_mmap(0, GUEST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a < 0) ue_fatal(70, "cannot map the vdso page");
    memcpy(g2h(a), vdso_image, sizeof vdso_image);   /* uaccess-ok: ue's own fresh anonymous mapping */
    mem_mprotect(a, GUEST_PAGE, PROT_READ | PROT_EXEC);
    mem_name(a, GUEST_PAGE, "[vdso]");
    vdso_base = a;
    vdso_sigreturn = a + VDSO_SIGRETURN;
    vdso_rt_sigreturn = a + VDSO_RT_SIGRETURN;
}

guest_addr vdso_vsyscall(void) { return vdso_base + VDSO_VSYSCALL; }
