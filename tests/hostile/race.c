/* Racing threads (make fuzz-race): the main thread issues system calls
 * whose argument structures (msghdr, cmsg, iovec arrays, mmsghdr, fd_sets,
 * pollfds, epoll events, sigevent, sigaction, stack_t, timespecs, sembufs,
 * robust lists) live in a shared arena, while two helper threads flip
 * their words and bytes, and a third sends SIGUSR1 to the main thread now
 * and then. What the calls return races, so nothing is compared: the run
 * must end with "done" and status 0, natively and under ue, and ue must not
 * die (run.sh checks for "ue: internal error").
 *
 * usage: race SEED COUNT [SKIP]   (SKIP: comma-separated call kinds, see kinds[])
 *
 * Safety natively: a flipped word only ever becomes a value from a pool
 * (arena addresses, unmapped or kernel addresses, lengths, fds) or has its
 * low byte changed; arena addresses lie 256 bytes or more inside the arena,
 * so no flip makes the kernel write outside it. Timeouts are flipped only
 * among short or invalid values, fds are non-blocking and every receive
 * says MSG_DONTWAIT, so no call can block for long. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "common.h"

#define AR       0x31000000u     /* arena: 16 pages, unmapped pages on both sides */
#define AR_SIZE  0x10000u
#define P(a)     ((void *)(uintptr_t)(a))

enum region_kind { GEN, TIME };
struct region { const char *name; uint32_t off, size; enum region_kind kind; };

/* Offsets inside the arena; each struct kind has its own region. */
static const struct region regions[] = {
    { "msghdr", 0x0100, 0x40, GEN },     /* msghdr + its sockaddr */
    { "iov", 0x0200, 0x80, GEN },        /* 16 iovecs */
    { "cmsg", 0x0300, 0x80, GEN },       /* control: SCM_RIGHTS + SCM_CREDENTIALS */
    { "mmsg", 0x0400, 0x100, GEN },      /* 8 mmsghdrs */
    { "fdset", 0x0600, 0x180, GEN },     /* three fd_sets */
    { "pollfd", 0x0800, 0x60, GEN },
    { "epev", 0x0900, 0x60, GEN },
    { "sigevent", 0x0a00, 0x40, GEN },
    { "sigaction", 0x0b00, 0x40, GEN },
    { "stack", 0x0c00, 0x10, GEN },
    { "sigset", 0x0c80, 0x10, GEN },
    { "sembuf", 0x0d00, 0x60, GEN },
    { "robust", 0x0e00, 0x100, GEN },    /* head and a chain of entries */
    { "timespec", 0x0f00, 0x40, TIME },  /* four timespecs */
};
#define NREG (int)(sizeof regions / sizeof regions[0])
enum { R_MSG, R_IOV, R_CMSG, R_MMSG, R_FDSET, R_POLL, R_EPEV, R_SIGEV, R_SIGACT, R_STACK, R_SIGSET, R_SEMBUF, R_ROBUST, R_TS };
#define RA(r) (AR + regions[r].off)

static uint8_t pristine[0x1000];        /* the structures as built: flips restore from here */
static volatile int stop;
static int semid = -1;
static pid_t main_tid;
static uint64_t seed;

/* Flips: thread-local PRNG so the flippers do not share state with main. */
static uint32_t trnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}

static uint32_t pool_value(uint64_t *s)
{
    static const uint32_t fixed[] = { 0, 1, 2, 4, 8, 12, 16, 20, 28, 0x7fffffff, 0x80000000, 0xffffffff,
                                      0xfffffff0, 0x1000, 0x10000, 0xfffff000, 0xc0000000, AR - 0x1000,
                                      AR + AR_SIZE, 3, 5, 7, 9, 1024, (uint32_t)-1, SOL_SOCKET, SCM_RIGHTS };
    uint32_t r = trnd(s);
    switch (r % 4) {
    case 0: return fixed[(r >> 2) % (sizeof fixed / sizeof fixed[0])];
    case 1: return AR + 0x100 + (r >> 2) % (AR_SIZE - 0x200);       /* anywhere well inside */
    case 2: return RA((r >> 2) % NREG) + ((r >> 8) % 4) * 4;         /* another structure */
    default: return (r >> 2) % 64;
    }
}

/* Seconds are 0 or negative (EINVAL), fractions at most 1000 (a select
 * timeval's microseconds too): no wait is ever long. */
static uint32_t time_value(uint64_t *s, uint32_t word)
{
    static const uint32_t sec[] = { 0, 0, 0, 0xffffffff, 0x80000000 };
    static const uint32_t frac[] = { 0, 1, 999, 1000, 0xffffffff, 0x80000000 };
    uint32_t r = trnd(s);
    return word % 2 ? frac[r % 6] : sec[r % 5];
}

static void *flipper(void *arg)
{
    uint64_t s = seed * 31 + (uintptr_t)arg;
    while (!stop) {
        uint32_t r = trnd(&s);
        const struct region *g = &regions[r % NREG];
        uint32_t w = (trnd(&s) % (g->size / 4)) * 4, a = AR + g->off + w;
        volatile uint32_t *p = P(a);
        switch (trnd(&s) % 8) {
        case 0: case 1: case 2: *p = *(uint32_t *)(pristine + g->off + w); break;
        case 3: case 4: *p = g->kind == TIME ? time_value(&s, w / 4) : pool_value(&s); break;
        case 5: if (g->kind == GEN) *(volatile uint8_t *)P(a) ^= (uint8_t)trnd(&s); break;
        case 6: /* restore the whole region now and then: mostly-valid structures reach deeper */
            memcpy(P(AR + g->off), pristine + g->off, g->size); break;
        default: sched_yield(); break;
        }
    }
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

static void *ticker(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 300000 };
    while (!stop) {
        nanosleep(&ts, NULL);
        syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    }
    return NULL;
}

/* A thread that hangs a (flipped) robust list on itself and exits: the
 * kernel, and ue, walk the list at exit. */
static void *robust_thread(void *arg)
{
    (void)arg;
    syscall(SYS_set_robust_list, RA(R_ROBUST), 12);
    return NULL;
}

static void build(void)
{
    uint8_t *ar = P(AR);
    memset(ar, 0, 0x1000);
    /* msghdr: name (sockaddr_un at +0x20), iov, control, flags */
    uint32_t *m = P(RA(R_MSG));
    m[0] = RA(R_MSG) + 0x20; m[1] = 0; m[2] = RA(R_IOV); m[3] = 4; m[4] = RA(R_CMSG); m[5] = 40; m[6] = 0;
    struct sockaddr_un *su = P(RA(R_MSG) + 0x20);
    su->sun_family = AF_UNIX;
    uint32_t *iov = P(RA(R_IOV));
    for (int i = 0; i < 16; i++) { iov[2 * i] = AR + 0x2000 + i * 0x400; iov[2 * i + 1] = 64 + i * 16; }
    uint32_t *c = P(RA(R_CMSG));
    c[0] = 20; c[1] = SOL_SOCKET; c[2] = SCM_RIGHTS; c[3] = 3; c[4] = 4;           /* two fds */
    c[5] = 24; c[6] = SOL_SOCKET; c[7] = 2 /* SCM_CREDENTIALS */; c[8] = 0; c[9] = 0; c[10] = 0;
    uint32_t *mm = P(RA(R_MMSG));
    for (int i = 0; i < 8; i++) {        /* mmsghdr: msghdr (28) + msg_len (4) */
        mm[8 * i + 0] = 0; mm[8 * i + 1] = 0; mm[8 * i + 2] = RA(R_IOV) + 8 * (i % 8); mm[8 * i + 3] = 2;
        mm[8 * i + 4] = i & 1 ? RA(R_CMSG) : 0; mm[8 * i + 5] = i & 1 ? 20 : 0; mm[8 * i + 6] = 0; mm[8 * i + 7] = 0;
    }
    uint32_t *fs = P(RA(R_FDSET));
    fs[0] = 0xff8; fs[32] = 0xff8; fs[64] = 0x38;
    uint32_t *pf = P(RA(R_POLL));
    for (int i = 0; i < 12; i++) { pf[2 * i] = 3 + i; pf[2 * i + 1] = POLLIN | POLLOUT; }
    uint32_t *ev = P(RA(R_EPEV));      /* i386 epoll_event is packed: 12 bytes */
    for (int i = 0; i < 8; i++) { ev[3 * i] = EPOLLIN | EPOLLOUT; ev[3 * i + 1] = i; ev[3 * i + 2] = ~i; }
    uint32_t *se = P(RA(R_SIGEV));       /* sigevent: value, signo, notify, tid */
    se[0] = 0x1234; se[1] = SIGUSR2; se[2] = 1 /* SIGEV_NONE */; se[3] = 0;
    uint32_t *sa = P(RA(R_SIGACT));      /* kernel sigaction: handler, flags, restorer, mask */
    sa[0] = (uint32_t)(uintptr_t)on_usr1; sa[1] = 0; sa[2] = 0; sa[3] = 0; sa[4] = 0;
    uint32_t *st = P(RA(R_STACK));
    st[0] = AR + 0x8000; st[1] = 0; st[2] = 0x4000;
    uint32_t *ss = P(RA(R_SIGSET));
    ss[0] = 1u << (SIGUSR2 - 1); ss[1] = 0;
    uint16_t *sb = P(RA(R_SEMBUF));      /* sembuf: num, op, flg */
    for (int i = 0; i < 8; i++) { sb[3 * i] = i % 2; sb[3 * i + 1] = (i & 1) ? 1 : (uint16_t)-1; sb[3 * i + 2] = IPC_NOWAIT; }
    uint32_t *rl = P(RA(R_ROBUST));      /* head: next, futex_offset, pending; then a loop of entries */
    rl[0] = RA(R_ROBUST) + 0x10; rl[1] = 4; rl[2] = 0;
    for (int i = 0; i < 8; i++) { rl[4 + 2 * i] = RA(R_ROBUST) + 0x10 + 8 * (i + 1); rl[5 + 2 * i] = 0; }
    rl[4 + 2 * 7] = RA(R_ROBUST);        /* back to the head */
    uint32_t *ts = P(RA(R_TS));
    for (int i = 0; i < 8; i++) { ts[2 * i] = 0; ts[2 * i + 1] = 1000; }
    memcpy(pristine, ar, 0x1000);
}

/* The calls, by kind; each takes its arguments from the arena. */
enum { K_SENDMSG, K_RECVMSG, K_SENDMMSG, K_RECVMMSG, K_READV, K_WRITEV, K_SELECT, K_PSELECT, K_POLL,
       K_PPOLL, K_EPOLL, K_TIMER, K_SIGACTION, K_SIGALTSTACK, K_SIGTIMEDWAIT, K_SEMOP, K_FUTEX,
       K_ROBUST, K_NANOSLEEP, K_PREADV, NKINDS };

static int fds[16];

static void one_call(int k)
{
    long r = 0;
    switch (k) {
    case K_SENDMSG: r = syscall(SYS_sendmsg, fds[rn(2) ? 0 : 2], RA(R_MSG), MSG_DONTWAIT | (rn(2) ? MSG_NOSIGNAL : 0)); break;
    case K_RECVMSG: r = syscall(SYS_recvmsg, fds[rn(2) ? 1 : 3], RA(R_MSG), MSG_DONTWAIT | (rn(3) ? 0 : MSG_PEEK | MSG_CMSG_CLOEXEC)); break;
    case K_SENDMMSG: r = syscall(SYS_sendmmsg, fds[rn(2) ? 0 : 2], RA(R_MMSG), 1 + rn(8), MSG_DONTWAIT); break;
    case K_RECVMMSG: r = syscall(SYS_recvmmsg, fds[rn(2) ? 1 : 3], RA(R_MMSG), 1 + rn(8), MSG_DONTWAIT,
                                 rn(2) ? 0 : RA(R_TS)); break;
    case K_READV: r = syscall(SYS_readv, fds[rn(2) ? 5 : 1], RA(R_IOV), rn(17)); break;
    case K_WRITEV: r = syscall(SYS_writev, fds[rn(3) == 0 ? 6 : rn(2) ? 4 : 0], RA(R_IOV), rn(17)); break;
    case K_PREADV: r = syscall(SYS_preadv, fds[6], RA(R_IOV), rn(17), rn(4096), 0); break;
    case K_SELECT: r = syscall(SYS__newselect, rn(2) ? 16 : 1024, RA(R_FDSET), RA(R_FDSET) + 128, RA(R_FDSET) + 256,
                               RA(R_TS) + 8); break;
    case K_PSELECT: {
        uint32_t *six = P(RA(R_SIGSET) + 8);   /* {sigset pointer, size}: part of the flipped sigset region */
        six[0] = RA(R_SIGSET); six[1] = 8;
        r = syscall(SYS_pselect6, 16, RA(R_FDSET), RA(R_FDSET) + 128, 0, RA(R_TS), RA(R_SIGSET) + 8);
        break;
    }
    case K_POLL: r = syscall(SYS_poll, RA(R_POLL), rn(13), 0); break;
    case K_PPOLL: r = syscall(SYS_ppoll, RA(R_POLL), rn(13), RA(R_TS) + 16, RA(R_SIGSET), 8); break;
    case K_EPOLL:
        r = syscall(SYS_epoll_ctl, fds[7], 1 + rn(3), fds[rn(7)], RA(R_EPEV) + 12 * rn(8));
        r = syscall(SYS_epoll_wait, fds[7], RA(R_EPEV), 1 + rn(8), 0);
        break;
    case K_TIMER: {
        uint32_t *id = P(AR + 0x1800);
        *id = 0xffffffff;
        r = syscall(SYS_timer_create, rn(2) ? CLOCK_MONOTONIC : CLOCK_REALTIME, RA(R_SIGEV), AR + 0x1800);
        if (r == 0) syscall(SYS_timer_delete, *id);   /* never armed: nothing fires; a flipped id only leaks */
        break;
    }
    case K_SIGACTION: r = syscall(SYS_rt_sigaction, SIGUSR2, RA(R_SIGACT), AR + 0x1900, 8); break;
    case K_SIGALTSTACK: r = syscall(SYS_sigaltstack, RA(R_STACK), AR + 0x1a00); break;
    case K_SIGTIMEDWAIT: r = syscall(SYS_rt_sigtimedwait, RA(R_SIGSET), AR + 0x1b00, RA(R_TS) + 24, 8); break;
    case K_SEMOP: if (semid >= 0) r = syscall(SYS_ipc, 4 /* SEMTIMEDOP */, semid, 1 + rn(8), 0, RA(R_SEMBUF), RA(R_TS)); break;
    case K_FUTEX: {
        uint32_t w = RA(R_SEMBUF) + 4 * rn(8);     /* a word others flip */
        r = syscall(SYS_futex, w, rn(2) ? 0 /* WAIT */ : 9 /* WAIT_BITSET */, *(volatile uint32_t *)P(w), RA(R_TS), 0, 0xffffffff);
        break;
    }
    case K_ROBUST: {
        pthread_t t;
        if (pthread_create(&t, NULL, robust_thread, NULL) == 0) pthread_join(t, NULL);
        break;
    }
    case K_NANOSLEEP: r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, RA(R_TS) + 8 * rn(4), AR + 0x1c00); break;
    }
    (void)r;
}

int main(int argc, char **argv)
{
    if (argc < 3) { out("usage: race SEED COUNT [SKIP]\n"); return 2; }
    seed = parse_u64(argv[1]);
    long count = strtol(argv[2], NULL, 0);
    static char skip[NKINDS];
    if (argc > 3)
        for (char *s = argv[3]; *s;) {
            long n = strtol(s, &s, 0);
            if (n >= 0 && n < NKINDS) skip[n] = 1;
            if (*s) s++;
        }
    int allowed = 0;
    for (int k = 0; k < NKINDS; k++) allowed += !skip[k];
    if (!allowed) { out("every kind is skipped\n"); return 2; }   /* the draw below would never end */
    rng_seed(seed);
    if (mmap(P(AR), AR_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != P(AR)) {
        out("setup failed: arena\n");
        return 2;
    }
    build();
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv)) return 2;
    fds[0] = sv[0]; fds[1] = sv[1];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv)) return 2;
    fds[2] = sv[0]; fds[3] = sv[1];
    if (pipe2(sv, O_NONBLOCK)) return 2;
    fds[5] = sv[0]; fds[4] = sv[1];
    fds[6] = open("racefile", O_RDWR | O_CREAT | O_TRUNC, 0644);
    fds[7] = epoll_create1(0);
    if (fds[6] < 0 || fds[7] < 0) return 2;
    int first_free = fds[7] + 1;
    /* A key of our own, not IPC_PRIVATE: the runner removes the set (ipcrm -S) even when a run dies. */
    semid = semget(0x52ac0000 + (key_t)(seed & 0xffff), 2, IPC_CREAT | 0600);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    main_tid = syscall(SYS_gettid);

    pthread_t th[3];
    pthread_create(&th[0], NULL, flipper, (void *)1);
    pthread_create(&th[1], NULL, flipper, (void *)2);
    pthread_create(&th[2], NULL, ticker, NULL);
    for (long i = 0; i < count; i++) {
        int k;
        do k = rn(NKINDS); while (skip[k]);
        one_call(k);
        if (i % 64 == 63) syscall(SYS_close_range, first_free, 1023, 0);   /* fds received with SCM_RIGHTS */
    }
    stop = 1;
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    /* back to sane signal state before leaving: the flips may have installed anything for SIGUSR2 */
    signal(SIGUSR2, SIG_IGN);
    if (semid >= 0) semctl(semid, 0, IPC_RMID);
    out("done %ld calls\n", count);
    return 0;
}
