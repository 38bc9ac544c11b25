/* ue-test: variants=s2 d0 */
/* prctl(PR_SET_TSC, PR_TSC_SIGSEGV) survives execve: a child sets it and
 * execs this program again, whose C library start-up may itself meet an
 * RDTSC and die of SIGSEGV (the parent prints how the child ended), or
 * which reads the mode back and finds RDTSC faulting; with PR_TSC_ENABLE
 * set again before a second exec, RDTSC works. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf jb;
static void on_segv(int sig) { (void)sig; siglongjmp(jb, 1); }

static void report(const char *who)
{
    int mode = -1;
    prctl(PR_GET_TSC, &mode, 0, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    const char *rdtsc = "ran";
    if (sigsetjmp(jb, 1)) rdtsc = "SIGSEGV";
    else { unsigned lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); }
    printf("%s: mode %s, rdtsc %s\n", who, mode == PR_TSC_SIGSEGV ? "SIGSEGV" : mode == PR_TSC_ENABLE ? "ENABLE" : "?", rdtsc);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "second")) {
        report("after the first exec");
        prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
        execl("/proc/self/exe", argv[0], "third", (char *)NULL);
        perror("execl");
        return 1;
    }
    if (argc > 1 && !strcmp(argv[1], "third")) {
        report("after the second exec");
        return 0;
    }
    report("start");
    pid_t p = fork();
    if (p == 0) {
        prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
        report("set");
        execl("/proc/self/exe", argv[0], "second", (char *)NULL);
        perror("execl");
        _exit(1);
    }
    int st;
    waitpid(p, &st, 0);
    if (WIFSIGNALED(st)) printf("child: killed by signal %d\n", WTERMSIG(st));
    else printf("child: exit %d\n", WEXITSTATUS(st));
    report("parent");
    return 0;
}
