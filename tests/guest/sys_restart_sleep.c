/* ue-test: variants=s2 d0; timeout=20 */
/* Sleeps interrupted by a signal, as the kernel's -ERESTART_RESTARTBLOCK
 * gives them: a handler (even with SA_RESTART) makes nanosleep and relative
 * clock_nanosleep fail with EINTR and the time left in rem, and a futex
 * wait with a timeout fail with EINTR (without one SA_RESTART restarts it); a stop and
 * continue (SIGSTOP, or SIGTSTP by default: no handler runs) resumes the sleep with the time that was left,
 * so it ends on time; after a handler returned, restart_syscall (0) has
 * nothing to continue and gives EINTR. The child tells the parent through a
 * pipe just before it sleeps; the margins are wide (a sleep of 1.5 s
 * interrupted at about 0.5 s must end before 2.3 s, where a fresh sleep
 * would end after 2 s). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_usr1(int s) { (void)s; }

/* Once the child says it is about to sleep, wait us microseconds and send
 * sig (a stop is then continued), and reap it. */
static void signal_sleeper(pid_t pid, int p[2], useconds_t us, int sig)
{
    close(p[1]);
    char b;
    read(p[0], &b, 1);
    usleep(us);
    kill(pid, sig);
    int st;
    if (sig == SIGSTOP || sig == SIGTSTP) {
        waitpid(pid, &st, WUNTRACED);
        kill(pid, SIGCONT);
    }
    waitpid(pid, &st, 0);
    close(p[0]);
}

static void stop_cont_case(const char *what, int use_clock, int stop)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (!pid) {
        close(p[0]);
        struct timespec req = { 1, 500000000 }, rem = { 0, 0 };
        double t0 = now();
        write(p[1], "x", 1);
        long r = use_clock ? syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &req, &rem) : syscall(SYS_nanosleep, &req, &rem);
        double el = now() - t0;
        printf("%s across %s/continue: %ld %s, on time %d\n", what, stop == SIGSTOP ? "SIGSTOP" : "SIGTSTP", r, r ? strerror(errno) : "", el >= 1.4 && el < 2.3);
        if (el >= 2.3) fprintf(stderr, "took %.2f s\n", el);
        fflush(stdout);
        _exit(0);
    }
    signal_sleeper(pid, p, 500000, stop);
}

static void handler_case(const char *what, int use_clock, int flags)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (!pid) {
        close(p[0]);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = flags;
        sigaction(SIGUSR1, &sa, NULL);
        struct timespec req = { 5, 0 }, rem = { 0, 0 };
        write(p[1], "x", 1);
        static int word;
        long r = use_clock == 2 ? syscall(SYS_futex, &word, FUTEX_WAIT, 0, &req, NULL, 0)
                 : use_clock ? syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem) : syscall(SYS_nanosleep, &req, &rem);
        int e = errno;
        printf("%s with a handler%s: %ld %s, rem in (3.5 s, 5 s) %d\n", what, flags ? " (SA_RESTART)" : "", r,
               r ? strerror(e) : "", rem.tv_sec * 1e9 + rem.tv_nsec > 3.5e9 && rem.tv_sec < 5);
        long r0 = syscall(0);
        printf("  then restart_syscall: %ld %s\n", r0, r0 ? strerror(errno) : "");
        fflush(stdout);
        _exit(0);
    }
    signal_sleeper(pid, p, 300000, SIGUSR1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long r0 = syscall(0);
    printf("restart_syscall at start: %ld %s\n", r0, r0 ? strerror(errno) : "");
    handler_case("nanosleep", 0, 0);
    handler_case("nanosleep", 0, SA_RESTART);
    handler_case("clock_nanosleep", 1, SA_RESTART);
    handler_case("futex wait with a timeout", 2, SA_RESTART);   /* rem stays 0 */
    stop_cont_case("nanosleep", 0, SIGSTOP);
    stop_cont_case("clock_nanosleep REALTIME relative", 1, SIGSTOP);
    stop_cont_case("nanosleep", 0, SIGTSTP);   /* a stop ue carries out for the guest */
    return 0;
}
