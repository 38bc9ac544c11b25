/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* A handler changed while its signal is being delivered: one thread swaps
 * SIGUSR1 between an SA_SIGINFO handler that blocks SIGUSR2 and a plain one
 * with an empty mask, and SIGWINCH between a one-shot (SA_RESETHAND)
 * handler, SIG_IGN and SIG_DFL, while another thread keeps sending both to
 * the main thread. Every delivery must run one whole action as installed
 * when it was taken: the handler's kind, its siginfo and its mask agree. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RUN_NS 800000000LL   /* sending time: bounded run, natively and under ue */
static volatile int done;
static volatile int errors, ran_info, ran_plain, ran_winch;
static volatile unsigned deliveries;
static pid_t main_tid;

static int usr2_blocked(void)
{
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, SIGUSR2);
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    if (sig != SIGUSR1 || !si || si->si_signo != SIGUSR1 || !uc || !usr2_blocked()) errors++;
    ran_info = 1;
}

static void on_plain(int sig)
{
    if (sig != SIGUSR1 || usr2_blocked()) errors++;
    ran_plain = 1;
    deliveries++;
}

static void on_winch(int sig)
{
    if (sig != SIGWINCH) errors++;
    ran_winch = 1;
}

static void *swapper(void *arg)
{
    struct sigaction a, b, w, ign, dfl;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = on_info;
    a.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaddset(&a.sa_mask, SIGUSR2);
    memset(&b, 0, sizeof b);
    b.sa_handler = on_plain;
    b.sa_flags = SA_RESTART;
    memset(&w, 0, sizeof w);
    w.sa_handler = on_winch;
    w.sa_flags = SA_RESETHAND | SA_RESTART;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (unsigned n = 0; !done; n++) {
        sigaction(SIGUSR1, n & 1 ? &a : &b, NULL);
        sigaction(SIGWINCH, n % 3 == 0 ? &w : n % 3 == 1 ? &ign : &dfl, NULL);
    }
    sigaction(SIGUSR1, &b, NULL);
    return NULL;
}

static void *sender(void *arg)
{
    /* mostly one SIGUSR1 at a time (it always has a handler), so each is a delivery racing the swaps */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        unsigned seen = deliveries;
        syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
        syscall(SYS_tgkill, getpid(), main_tid, SIGWINCH);
        for (int spin = 0; deliveries == seen && spin < 20000; spin++) {}
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < RUN_NS);
    done = 1;
    return NULL;
}

int main(void)
{
    struct sigaction b;
    memset(&b, 0, sizeof b);
    b.sa_handler = on_plain;
    sigaction(SIGUSR1, &b, NULL);
    main_tid = gettid();
    pthread_t s, t;
    pthread_create(&s, NULL, swapper, NULL);
    pthread_create(&t, NULL, sender, NULL);
    volatile unsigned long spin = 0;
    while (!done) spin++;   /* deliveries land between the main thread's instructions */
    pthread_join(t, NULL);
    pthread_join(s, NULL);
    printf("errors: %d\n", errors);
    printf("SIGUSR1 ran some handler: %d\n", ran_info | ran_plain);
    printf("SIGUSR1 deliveries counted: %d\n", deliveries > 0);
    printf("process survived SIGWINCH swaps: yes\n");
    return errors != 0;
}
