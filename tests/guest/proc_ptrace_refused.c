/* ue-test: variants=s2 */
/* ptrace: ue traces nothing (doc/ptrace.md); what a kernel answers for
 * requests on processes we do not trace is the same either way: ESRCH for a
 * child that is not traced, a missing pid or pid 0; EIO/EINVAL for a bad
 * PTRACE_SEIZE before any permission check. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s: %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

int main(void)
{
    pid_t p = fork();
    if (p == 0) { pause(); _exit(0); }
    errno = 0;
    show("PEEKDATA untraced child", syscall(SYS_ptrace, PTRACE_PEEKDATA, p, 0x1000, 0));
    show("GETREGS untraced child", syscall(SYS_ptrace, PTRACE_GETREGS, p, 0, 0));
    show("CONT untraced child", syscall(SYS_ptrace, PTRACE_CONT, p, 0, 0));
    show("DETACH untraced child", syscall(SYS_ptrace, PTRACE_DETACH, p, 0, 0));
    show("CONT pid 0", syscall(SYS_ptrace, PTRACE_CONT, 0, 0, 0));
    show("ATTACH missing pid", syscall(SYS_ptrace, PTRACE_ATTACH, 0x3ffffff0, 0, 0));
    show("SEIZE missing pid", syscall(SYS_ptrace, PTRACE_SEIZE, 0x3ffffff0, 0, 0));
    show("SEIZE addr not 0", syscall(SYS_ptrace, PTRACE_SEIZE, p, 1, 0));
    show("SEIZE bad options", syscall(SYS_ptrace, PTRACE_SEIZE, p, 0, 0x80000000));
    show("ATTACH self", syscall(SYS_ptrace, PTRACE_ATTACH, getpid(), 0, 0));
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
    return 0;
}
