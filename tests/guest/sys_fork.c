/* ue-test: variants=all */
/* fork and wait: exit statuses 0 1 42 255, death by SIGKILL/SIGSEGV/SIGABRT
 * (WIFSIGNALED, WTERMSIG), WNOHANG before the child ends, wait4 with rusage,
 * vfork + _exit, the child's memory is a copy, getppid in the child, many
 * children reaped by pid in a fixed order, ECHILD when none is left. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_var = 1;

static void show(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%-12s exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%-12s killed by %d\n", what, WTERMSIG(st));
    else
        printf("%-12s other %x\n", what, st);
}

int main(void)
{
    static const int codes[] = {0, 1, 42, 255};
    for (int i = 0; i < 4; i++) {
        pid_t c = fork();
        if (c == 0)
            _exit(codes[i]);
        int st;
        pid_t w = waitpid(c, &st, 0);
        char name[32];
        snprintf(name, sizeof name, "exit(%d)", codes[i]);
        printf("waitpid returned the child: %d; ", w == c);
        show(name, st);
    }
    static const int sigs[] = {SIGKILL, SIGSEGV, SIGABRT, SIGTERM};
    for (int i = 0; i < 4; i++) {
        pid_t c = fork();
        if (c == 0) {
            if (sigs[i] == SIGSEGV)
                *(volatile int *)0 = 0;
            if (sigs[i] == SIGABRT)
                abort();
            kill(getpid(), sigs[i]);
            pause();
        }
        int st;
        waitpid(c, &st, 0);
        show(strsignal(sigs[i]), st);
    }
    int p[2];
    pipe(p);
    pid_t parent = getpid();
    /* Not flushed: the child's fflush writes its copy of the buffer too. */
    pid_t c = fork();
    if (c == 0) {
        char x;
        read(p[0], &x, 1);
        shared_var = 99;
        printf("child: getppid matches: %d shared_var=%d\n", getppid() == parent, shared_var);
        fflush(stdout);
        _exit(7);
    }
    int st;
    pid_t w = waitpid(c, &st, WNOHANG);
    printf("WNOHANG before exit: %d\n", w);
    write(p[1], "1", 1);
    struct rusage ru;
    w = wait4(c, &st, 0, &ru);
    printf("wait4 got child: %d ", w == c);
    show("", st);
    printf("parent's shared_var still %d\n", shared_var);

    pid_t v = vfork();
    if (v == 0)
        _exit(5);
    waitpid(v, &st, 0);
    show("vfork", st);

    pid_t kids[5];
    for (int i = 0; i < 5; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            usleep((5 - i) * 2000);
            _exit(10 + i);
        }
    }
    for (int i = 0; i < 5; i++) {
        waitpid(kids[i], &st, 0);
        printf("kid %d: ", i);
        show("", st);
    }
    errno = 0;
    w = wait(&st);
    printf("wait with no children: %d %s\n", w, strerrorname_np(errno));
    /* output buffered before fork is written by both unless flushed */
    printf("flushed before fork\n");
    fflush(stdout);
    c = fork();
    if (c == 0) {
        printf("child line\n");
        exit(0);
    }
    waitpid(c, &st, 0);
    printf("parent line\n");
    return 0;
}
