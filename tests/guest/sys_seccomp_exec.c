/* ue-test: variants=s2 d0 */
/* seccomp filters outlive execve: a child installs one (getppid gives
 * EPERM, uname gives ENOSYS... as the filter says) and execs this program,
 * which still finds PR_GET_SECCOMP at 2 and the calls refused; a second
 * filter added after the exec stacks on the inherited one. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static long install(int nr, int err)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { 4, f };
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static void report(const char *who)
{
    printf("%s: mode %d", who, prctl(PR_GET_SECCOMP));
    errno = 0;
    long r = syscall(SYS_getppid);
    printf(", getppid %s", r < 0 ? strerror(errno) : "ok");
    errno = 0;
    r = syscall(SYS_getpgrp);
    printf(", getpgrp %s\n", r < 0 ? strerror(errno) : "ok");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        report("after exec");
        printf("second filter: %ld\n", install(SYS_getpgrp, EACCES));
        report("after a second filter");
        return 0;
    }
    report("start");
    pid_t p = fork();
    if (p == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        printf("filter: %ld\n", install(SYS_getppid, EPERM));
        report("before exec");
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        perror("execl");
        _exit(1);
    }
    int st;
    waitpid(p, &st, 0);
    printf("child: %s %d\n", WIFSIGNALED(st) ? "killed by" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    report("parent");
    return 0;
}
