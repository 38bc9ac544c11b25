/* ue-test: variants=s2 d0 */
/* seccomp through prctl: PR_GET_SECCOMP says the mode, PR_SET_SECCOMP
 * installs a filter (mode 2) or strict mode (1) as seccomp(2) does: a
 * filter's ERRNO action, strict mode after a filter refused, and in a fresh
 * child strict mode killing the first call other than read, write, exit and
 * sigreturn by SIGKILL. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
    pid_t p = fork();
    if (p == 0) {
        show("child get", prctl(PR_GET_SECCOMP));
        fflush(stdout);
        long r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
        if (r) _exit(3);
        write(1, "child in strict mode\n", 21);
        syscall(SYS_getpid);
        write(1, "child not killed\n", 17);
        syscall(SYS_exit, 0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("child: %s %d\n", WIFSIGNALED(st) ? "killed by" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));

    show("get", prctl(PR_GET_SECCOMP));
    show("bad mode", prctl(PR_SET_SECCOMP, 7, 0));
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 42),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { 4, f };
    show("bad filter pointer", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (void *)16));
    show("filter", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog));
    show("get", prctl(PR_GET_SECCOMP));
    show("getppid", syscall(__NR_getppid));
    show("strict after a filter", prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT));
    return 0;
}
