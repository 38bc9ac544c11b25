/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* Which error wins, and which bytes of a bad output buffer get written, for
 * process, signal and time calls (the hostile fuzzer's findings). An arena
 * of writable pages around a read-only page (RO), an unmapped one and a
 * file page past EOF; outputs that run into RO show what the kernel wrote
 * before the fault: put_user is one store per field (all or nothing),
 * copy_to_user writes the bytes before the fault. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static char *ar, *ro;

static void show(const char *what, long r)
{
    printf("%-28s %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static void dump(const char *what, const void *p, int n)
{
    const unsigned char *b = p;
    printf("  %s:", what);
    for (int i = 0; i < n; i++) printf(" %02x", b[i]);
    printf("\n");
}

static void fill(void) { memset(ro - 32, 0xaa, 32); }

static volatile uint32_t uc_flags = 0xdead;
static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
    (void)sig; (void)si;
    uc_flags = (uint32_t)((ucontext_t *)ucv)->uc_stack.ss_flags;
}

static void *thread_altstack(void *arg)
{
    (void)arg;
    uint32_t ss[3] = { 0, 0, 0 };   /* a new thread's stack is disabled (sas_ss_reset): a change */
    show("thread sigaltstack {0,0,0}", syscall(SYS_sigaltstack, ss, 0));
    return NULL;
}

int main(void)
{
    ar = mmap((void *)0x30000000, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memset(ar, 0xaa, 0x10000);
    ro = ar + 0x8000;
    mprotect(ro, 0x1000, PROT_READ);
    munmap(ar + 0x9000, 0x1000);
    int fd = open("small", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (write(fd, "0123456789", 10) != 10) return 1;
    mmap(ar + 0xa000, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
    unlink("small");
    char *past_eof = ar + 0xb000;

    /* error order */
    show("wait4 ECHILD, ro status", syscall(SYS_wait4, 1, ro + 0xca, 1, 0));
    show("sched_getparam bad pid", syscall(SYS_sched_getparam, 0x80000000, ar + 0x9000));
    show("clock_nanosleep bad clock", syscall(SYS_clock_nanosleep, 0x12, 1, 0xc0000000, ar));
    show("clock_nanosleep good clock", syscall(SYS_clock_nanosleep, 1, 1, 0xc0000000, ar));
    show("clock_nanosleep cpu clock", syscall(SYS_clock_nanosleep, 2, 0, 0xc0000000, ar));
    show("waitid bad options", syscall(SYS_waitid, 3, 0, ar + 0x7fe8, 0x2080b9, ar + 0x9000));
    show("getrandom bad flags", syscall(SYS_getrandom, 0xfffffffc, 0xdd6, 0x4001));
    uint32_t *h = (uint32_t *)(ar + 0x6dc);
    h[0] = 0x1234, h[1] = 0;
    show("capget bad version", syscall(SYS_capget, h, ro + 0x200));
    printf("  header version %x\n", h[0]);
    show("futex WAKE_OP|CLOCK_RT", syscall(SYS_futex, ar + 0x844a, 0x105, 1, 0, 0, 0));

    /* sigaltstack: a request equal to the current state succeeds before the size check */
    uint32_t *ss = (uint32_t *)(ar + 0x7fd1);
    ss[0] = 0, ss[1] = 0, ss[2] = 0;
    show("sigaltstack same, old EOF", syscall(SYS_sigaltstack, ss, past_eof + 0xf36));
    ss[2] = 100;
    show("sigaltstack small", syscall(SYS_sigaltstack, ss, past_eof + 0xf36));
    pthread_t th;
    pthread_create(&th, NULL, thread_altstack, NULL);
    pthread_join(th, NULL);
    /* the flags are kept as given: the handler's uc_stack shows SS_ONSTACK */
    static char stk[16384];
    stack_t st = { .ss_sp = stk, .ss_flags = SS_ONSTACK, .ss_size = sizeof stk };
    show("sigaltstack SS_ONSTACK", syscall(SYS_sigaltstack, &st, 0));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("  uc_stack.ss_flags %x\n", uc_flags);
    show("sigaltstack same again", syscall(SYS_sigaltstack, &st, 0));
    stack_t off = { .ss_flags = SS_DISABLE };
    show("sigaltstack disable", syscall(SYS_sigaltstack, &off, 0));

    /* sigaction: unknown flag bits are dropped; old actions written field by field */
    uint32_t act[5] = { 1 /* SIG_IGN */, 0xfffffffbu, 0x1234, 0x5, 0x6 };   /* rt: handler flags restorer mask */
    show("rt_sigaction all flags", syscall(SYS_rt_sigaction, 28, act, 0, 8));
    show("rt_sigaction read back", syscall(SYS_rt_sigaction, 28, 0, ar + 0x100, 8));
    dump("rt old", ar + 0x100, 20);
    show("sigaction read back", syscall(SYS_sigaction, 28, 0, ar + 0x200));
    dump("old", ar + 0x200, 16);
    for (int at = 4; at <= 20; at += 2) {
        char name[40];
        fill();
        snprintf(name, sizeof name, "sigaction old at RO-%d", at);
        show(name, syscall(SYS_sigaction, 28, 0, ro - at));
        dump("bytes", ro - 20, 20);
        fill();
        snprintf(name, sizeof name, "rt_sigaction old at RO-%d", at);
        show(name, syscall(SYS_rt_sigaction, 28, 0, ro - at, 8));
        dump("bytes", ro - 20, 20);
    }

    /* sigpending: one put_user; rt_sigpending: copy_to_user */
    sigset_t bs;
    sigemptyset(&bs);
    sigaddset(&bs, SIGUSR2);
    sigprocmask(SIG_BLOCK, &bs, NULL);
    raise(SIGUSR2);
    for (int at = 1; at <= 4; at++) {
        fill();
        show("sigpending across RO", syscall(SYS_sigpending, ro - at));
        dump("bytes", ro - 4, 4);
        fill();
        show("rt_sigpending across RO", syscall(SYS_rt_sigpending, ro - at, 8));
        dump("bytes", ro - 4, 4);
    }
    fill();
    show("getrlimit across RO", syscall(SYS_getrlimit, 7, ro - 4));
    dump("bytes", ro - 8, 8);
    fill();
    show("getresgid32 r, e ok, s RO", syscall(SYS_getresgid32, ro - 8, ro - 4, ro));
    dump("bytes", ro - 8, 8);
    fill();
    show("sched_getaffinity across RO", syscall(SYS_sched_getaffinity, 0, 64, ro - 4));
    dump("bytes", ro - 8, 8);
    /* single words running into RO: put_user writes none of their bytes */
    for (int at = 1; at <= 3; at++) {
        printf("word at RO-%d\n", at);
        fill();
        show("getresgid32 s across", syscall(SYS_getresgid32, ro - 12, ro - 8, ro - at));
        dump("bytes", ro - 12, 12);
        fill();
        show("getresuid16 s across", syscall(SYS_getresuid, ro - 12, ro - 8, ro - 1));
        dump("bytes", ro - 12, 12);
        fill();
        show("getcpu node across", syscall(SYS_getcpu, 0, ro - at, 0));
        dump("bytes", ro - 4, 4);
        fill();
        show("time across", syscall(SYS_time, ro - at) > 0 ? 1 : -1);
        dump("bytes", ro - 4, 4);
        fill();
        show("prctl GET_PDEATHSIG across", syscall(SYS_prctl, PR_GET_PDEATHSIG, ro - at));
        dump("bytes", ro - 4, 4);
        fill();
        show("get_robust_list len across", syscall(SYS_get_robust_list, 0, ro - 12, ro - at));
        dump("bytes", ro - 12, 12);
        fill();
        pid_t kid = fork();
        if (kid == 0) _exit(3);
        show("wait4 status across", syscall(SYS_wait4, kid, ro - at, 0, 0) == kid ? 1 : -1);
        dump("bytes", ro - 4, 4);
    }

    /* scheduling: a NULL param or a negative pid is EINVAL before any access */
    show("sched_getparam(1, NULL)", syscall(SYS_sched_getparam, 1, 0));
    show("sched_getparam(-1, p)", syscall(SYS_sched_getparam, -1, ar + 0x9000));
    show("sched_setparam(0, NULL)", syscall(SYS_sched_setparam, 0, 0));
    show("sched_setscheduler(0, -1, p)", syscall(SYS_sched_setscheduler, 0, -1, ar + 0x9000));
    show("sched_setscheduler(0, 0, NULL)", syscall(SYS_sched_setscheduler, 0, 0, 0));
    show("sched_getaffinity len 2^31", syscall(SYS_sched_getaffinity, 0, 0x80000000u, ar));
    show("sched_getaffinity pid 2^31", syscall(SYS_sched_getaffinity, 0x80000000u, 0x80000000u, ar));
    show("sched_getaffinity len 6", syscall(SYS_sched_getaffinity, 0, 6, ar));
    /* old getrlimit puts two words, sched_getaffinity 32-bit words; ugetrlimit copies bytes */
    for (int at = 1; at <= 7; at += 2) {
        printf("8 bytes at RO-%d\n", at);
        fill();
        show("getrlimit", syscall(SYS_getrlimit, 6, ro - at));
        dump("bytes", ro - 8, 8);
        fill();
        show("ugetrlimit", syscall(SYS_ugetrlimit, 6, ro - at));
        dump("bytes", ro - 8, 8);
        fill();
        long r = syscall(SYS_sched_getaffinity, 0, 0x60, ro - at);
        show("sched_getaffinity", r < 0 ? r : 0);
        printf("  first word written: %s\n", memcmp(ro - at, "\xaa\xaa\xaa\xaa", at < 4 ? at : 4) ? "yes" : "no");
    }
    /* on the alternate stack means above its base and at most its size above: no wrap */
    uint32_t high[3] = { 0xfffff000u, 0, 0xfffffff0u };
    show("sigaltstack above ESP, huge", syscall(SYS_sigaltstack, high, 0));
    show("sigaltstack again (not on it)", syscall(SYS_sigaltstack, high, ar + 0x400));
    dump("old", ar + 0x400, 12);
    uint32_t around[3] = { 0x1000, 0x80000000u /* SS_AUTODISARM */, 0xffffe000u };
    show("sigaltstack around ESP, autodisarm", syscall(SYS_sigaltstack, around, 0));
    show("sigaltstack again (autodisarm: never on it)", syscall(SYS_sigaltstack, around, ar + 0x400));
    dump("old", ar + 0x400, 12);
    around[1] = 0;
    show("sigaltstack around ESP", syscall(SYS_sigaltstack, around, 0));
    show("sigaltstack again (on it)", syscall(SYS_sigaltstack, around, ar + 0x400));
    show("sigaltstack query", syscall(SYS_sigaltstack, 0, ar + 0x400));
    dump("old", ar + 0x400, 12);

    /* the old sigprocmask's old mask is one word: none of it across RO */
    uint32_t more = 0x100;   /* SIGPIPE */
    for (int at = 1; at <= 4; at++) {
        fill();
        show("sigprocmask old across RO", syscall(SYS_sigprocmask, SIG_BLOCK, &more, ro - at));
        dump("bytes", ro - 4, 4);
    }

    /* waitid's six siginfo words are put one by one */
    for (int at = 1; at <= 16; at += 5) {
        fill();
        show("waitid infop across RO", syscall(SYS_waitid, P_ALL, 0, ro - at, WEXITED | WNOHANG, 0));
        dump("bytes", ro - 16, 16);
    }

    int *sv = (int *)(ar + 0x300);
    sv[0] = sv[1] = -5;
    show("socketpair bad type", syscall(SYS_socketpair, 1, 0x80a, 0, sv));
    printf("  sv written: %s\n", sv[0] != -5 ? "yes" : "no");
    return 0;
}
