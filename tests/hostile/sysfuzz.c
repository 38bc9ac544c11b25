/* Random syscall arguments (make fuzz-sys): an i386 guest that issues
 * system calls from an allow-list with hostile arguments against a fixed
 * arena, and prints one line per call: its number, arguments, result,
 * errno and a hash of the memory it owns. Run natively and under ue by
 * tests/hostile/run.sh; the two outputs must be identical.
 *
 * usage: sysfuzz SEED COUNT [SKIP]   (SKIP: comma-separated syscall numbers)
 * Run it in an empty directory it may fill (the runner makes one).
 *
 * What stays out of the allow-list, and why (natively and under ue these
 * legitimately differ, or they would harm the machine or the run):
 *  - pids, tids, times, random bytes, resource usage as results (getpid,
 *    gettid, set_tid_address, time, times, getrusage, sysinfo, getsid,
 *    get_robust_list and get_thread_area: addresses of glibc's TLS differ);
 *  - mmap without MAP_FIXED and brk: the kernel and ue place them differently;
 *    mmap2 gets any flags but always a fixed address: MAP_FIXED in the
 *    scratch zone, MAP_FIXED_NOREPLACE over the arena (see fix_mmap);
 *  - fds on files outside the run's directory (fchmod, fchown, fsetxattr
 *    and ftruncate would change them): fd 10 is a memfd, not /dev/null;
 *  - anything reaching other processes or the system: kill, ptrace, SysV IPC
 *    and mq (global objects), mount, reboot, set*id, setrlimit, sched_set*,
 *    mknod (root could make device nodes), F_SETOWN, F_SETLEASE, F_NOTIFY
 *    (SIGIO would kill us), inet sockets (only AF_UNIX is made);
 *  - calls that can block with no timeout: pause, sigsuspend, plain pipe
 *    and eventfd (blocking fds), F_SETLKW, FIONBIO, flock without LOCK_NB;
 *    every fd we make is non-blocking and every timeout we pass is short;
 *  - exit, execve, fork, clone, and munmap/mprotect/mremap of the arena:
 *    only the scratch zone is remapped;
 *  - alarm/setitimer/timer_settime/timerfd_settime: timing-dependent.
 * Outputs that hold times, inode numbers, free-block counts or random bytes
 * are masked (zeroed in our own memory) before hashing: see mask_*. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <poll.h>

#include "common.h"

#define A        0x30000000u            /* fixed: the same addresses natively and under ue */
#define RW       (A + 0x0000u)          /* 8 writable pages */
#define RW_END   (A + 0x8000u)
#define RO       (A + 0x8000u)          /* read-only: names, sockaddrs, input bytes */
#define HOLE1    (A + 0x9000u)          /* never mapped */
#define FMAP     (A + 0xa000u)          /* a 100-byte file mapped over two pages */
#define FEOF     (A + 0xb000u)          /* ...so this page lies past EOF (SIGBUS) */
#define HOLE2    (A + 0xc000u)
#define RW2      (A + 0xd000u)          /* writable, followed by an unmapped page */
#define HOLE3    (A + 0xe000u)
#define SCR      (A + 0x100000u)        /* scratch zone: the only place mmap/munmap/mprotect touch */
#define SCR_PAGES 64

#define P(a) ((void *)(uintptr_t)(a))

/* The memory we own and hash: the writable pages and the file page before EOF. */
static int owned(uint32_t a)
{
    return (a >= RW && a < RW_END) || (a >= FMAP && a < FEOF) || (a >= RW2 && a < HOLE3);
}

/* Names in the read-only page (relative, no "..": nothing outside the run's directory). */
static const char *const names[] = {
    "f0", "f1", "f2", "d0", "d0/f3", "l0", "l1", "n0", "s0", "s1", ".", "", "f0/", "d0/",
};
static uint32_t name_addr[sizeof names / sizeof names[0]];
static uint32_t longname_addr, nonul_addr;
static const char *const xnames[] = { "user.a", "user.b", "trusted.x", "bogus", "user." };
static uint32_t xname_addr[5];
static uint32_t sun_addr[3];            /* sockaddr_un "s0", "s1", and AF_INET (refused on unix sockets) */

static int first_free_fd;

static void die(const char *what)
{
    out("setup failed: %s errno=%d\n", what, errno);
    _exit(2);
}

static void map_at(uint32_t a, uint32_t len, int prot, int flags, int fd)
{
    void *p = mmap(P(a), len, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
    if (p != P(a)) die("mmap arena");
}

static void setup(void)
{
    int fd = open("mapfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[100];
    for (int i = 0; i < 100; i++) buf[i] = 'A' + i % 26;
    if (fd < 0 || write(fd, buf, 100) != 100) die("mapfile");
    map_at(RW, 0x8000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_at(RO, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_at(FMAP, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
    map_at(RW2, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    close(fd);

    /* Fill the read-only page: names, then sockaddrs, then patterned bytes. */
    char *ro = P(RO);
    uint32_t off = 0;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        name_addr[i] = RO + off;
        strcpy(ro + off, names[i]);
        off += strlen(names[i]) + 1;
    }
    for (unsigned i = 0; i < 5; i++) {
        xname_addr[i] = RO + off;
        strcpy(ro + off, xnames[i]);
        off += strlen(xnames[i]) + 1;
    }
    off = (off + 3) & ~3u;
    for (int i = 0; i < 2; i++) {
        struct sockaddr_un *su = (void *)(ro + off);
        su->sun_family = AF_UNIX;
        strcpy(su->sun_path, i ? "s1" : "s0");
        sun_addr[i] = RO + off;
        off += sizeof *su;
    }
    *(uint16_t *)(ro + off) = AF_INET;
    sun_addr[2] = RO + off;
    off += 16;
    longname_addr = RO + off;           /* 300 characters: ENAMETOOLONG as a component */
    memset(ro + off, 'x', 300);
    ro[off + 300] = 0;
    off += 301;
    /* no '/' among them: a path taken from here is one name in the run's
     * directory (one starting with '/' made files in the root directory) */
    for (uint32_t i = off; i < 0x1000; i++) ro[i] = (uint8_t)(i * 7 + 3) == '/' ? '0' : (uint8_t)(i * 7 + 3);
    nonul_addr = RO + 0x1000 - 1600;    /* runs into the hole with no NUL: EFAULT */
    memset(ro + 0x1000 - 1600, 'y', 1600);
    if (mprotect(P(RO), 0x1000, PROT_READ)) die("mprotect ro");
    for (uint32_t i = 0; i < 0x8000; i += 4) *(uint32_t *)P(RW + i) = i * 2654435761u;

    /* The fds the calls play with, in a fixed order so the numbers match. */
    int p[2];
    if (open("f0", O_RDWR | O_CREAT | O_TRUNC, 0644) != 3) die("f0");
    if (write(3, buf, 100) != 100) die("f0 write");
    if (open("f1", O_RDONLY | O_CREAT, 0600) != 4) die("f1");
    if (pipe2(p, O_NONBLOCK) || p[0] != 5) die("pipe");
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p) || p[0] != 7) die("socketpair stream");
    if (open(".", O_RDONLY | O_DIRECTORY) != 9) die("dir");
    /* A memfd, not /dev/null: fchmod/fchown/fsetxattr on an fd must never reach a system file. */
    if (syscall(SYS_memfd_create, "m", 0) != 10) die("memfd");
    if (syscall(SYS_eventfd2, 5, O_NONBLOCK) != 11) die("eventfd");
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, p) || p[0] != 12) die("socketpair dgram");
    if (syscall(SYS_epoll_create1, 0) != 14) die("epoll");
    first_free_fd = 15;
    if (mkdir("d0", 0755) || symlink("f0", "l0") || symlink("l1", "l1")) die("names");
    int f3 = open("d0/f3", O_WRONLY | O_CREAT, 0644);
    if (f3 != 15 || close(f3)) die("d0/f3");
    signal(SIGPIPE, SIG_IGN);           /* EPIPE instead of death, both sides */
    umask(022);
}

/* ---- argument values ---- */

static uint32_t fd_arg(void)
{
    static const int32_t odd[] = { -1, -100, 0x7fffffff, 1023, 1024, 65535, (int32_t)0x80000000, 255 };
    if (chance(85)) return 3 + rn(first_free_fd - 3 + 8);       /* ours, and a few just above */
    return PICK(odd);
}
static uint32_t dirfd_arg(void) { return chance(50) ? (uint32_t)-100 /* AT_FDCWD */ : fd_arg(); }

/* A pointer whose state is the same natively and under ue: never a random
 * address (the stack, heap and vDSO lie at different places). */
static uint32_t ptr_arg(int for_output)
{
    switch (rn(20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: return RW + rn(0x8000);
    case 6: return RW + (rn(0x2000) & ~3u);
    case 7: return RW_END - rn(64);                             /* straddles into the read-only page */
    case 8: return for_output ? RO + rn(0x1000) : RW + rn(0x8000);
    case 9: return HOLE1 + rn(0x1000);
    case 10: return FMAP + rn(0x1000);
    case 11: return FEOF - rn(64);                              /* straddles past EOF */
    case 12: return FEOF + rn(0x1000);
    case 13: return HOLE3 - 4;                                  /* 4 bytes before an unmapped page */
    case 14: return HOLE3 - rn(32);
    case 15: return RW2 + rn(0x1000);
    case 16: return chance(50) ? 0 : rn(4096);
    case 17: { static const uint32_t high[] = { 0xc0000000, 0xfffff000, 0xffffe000, 0xffffffff, 0xfffffffc, 0xbffffffc };
               return PICK(high); }
    case 18: return SCR + rn(SCR_PAGES) * 0x1000;
    default: return RO + rn(0x1000);
    }
}

static uint32_t len_arg(void)
{
    static const uint32_t v[] = { 0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 24, 28, 32, 64, 84, 88, 96, 100, 128,
                                  255, 256, 4095, 4096, 4097, 8192, 0x7fffffff, 0x80000000,
                                  0xffffffff, 0xfffffffe, 0xfffff000, 0x10000 };
    switch (rn(4)) {
    case 0: return rn(64);
    case 1: return rn(5000);
    default: return PICK(v);
    }
}
/* Lengths for copies between files: a wrapping count would copy gigabytes of a sparse file to disk. */
static uint32_t copylen_arg(void) { return chance(80) ? rn(70000) : PICK(((uint32_t[]){ 0, 1, 4096, 65536 })); }

static uint32_t int_arg(void)
{
    static const uint32_t v[] = { 0, 1, 2, 3, (uint32_t)-1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100, 0xffff };
    switch (rn(5)) {
    case 0: return rnd();
    case 1: return rn(16);
    case 2: return 1u << rn(32);
    default: return PICK(v);
    }
}
static uint32_t flags_arg(void) { return chance(30) ? 0 : chance(50) ? 1u << rn(32) : rnd() & rnd(); }
static uint32_t mode_arg(void) { return chance(80) ? rn(01000) : rnd(); }
static uint32_t off_arg(void)
{
    static const uint32_t v[] = { 0, 1, 99, 100, 101, 4096, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffff000, 0x7ffff000 };
    return chance(40) ? rn(300) : PICK(v);
}
static uint32_t sig_arg(void)
{
    static const uint32_t v[] = { SIGUSR1, SIGUSR2, 34, 40, 64, 0, 65, 9, 19, 1000, 0xffffffff };
    return PICK(v);                      /* none of these is ever sent to us */
}
static uint32_t pid_arg(void) { return PICK(((uint32_t[]){ 0, 0, 1, 0x7fffffff, 0xffffffff, 0x80000000 })); }
static uint32_t clk_arg(void) { return chance(80) ? rn(12) : PICK(((uint32_t[]){ 16, 0x7fffffff, 0xffffffff, 0xfffffffe })); }

/* A place for a structure we build: in our writable pages, sometimes
 * flush against the read-only page or the unmapped page after RW2. Places
 * of one call never overlap (a sigset built over a timeout would make it
 * a long wait). */
static uint32_t placed[16][2];
static int nplaced;
static uint32_t place(uint32_t n)
{
    for (int tries = 0;; tries++) {
        uint32_t a;
        switch (rn(6)) {
        case 0: a = RW_END - n; break;
        case 1: a = HOLE3 - n; break;
        case 2: a = RW + (rn(0x8000 - n) & ~3u); break;
        default: a = RW + rn(0x8000 - n); break;
        }
        int clash = 0;
        for (int i = 0; i < nplaced; i++)
            if (a < placed[i][1] && placed[i][0] < a + n) clash = 1;
        if (clash && tries < 50) continue;
        if (nplaced < 16) { placed[nplaced][0] = a; placed[nplaced][1] = a + n; nplaced++; }
        return a;
    }
}

/* A timeout that never blocks long: short, invalid, or faulting. */
static uint32_t ts_arg(int time64)
{
    uint32_t n = time64 ? 16 : 8, a = place(n);
    int32_t *t = P(a);
    switch (rn(6)) {
    case 0: return PICK(((uint32_t[]){ HOLE1, FEOF, 0xfffff000, HOLE3 - 4, 0xc0000000 }));
    case 1: t[0] = 0; t[1] = 1000000000; break;                 /* EINVAL */
    case 2: t[0] = -1; t[1] = 0; break;
    default: t[0] = 0; t[1] = rn(1000); break;
    }
    if (time64) { int64_t s = t[0]; uint32_t ns = t[1]; memcpy(t, &s, 8); t[2] = ns; t[3] = chance(80) ? 0 : rnd(); }
    return a;
}
static uint32_t tv_arg(void)
{
    uint32_t a = ts_arg(0);
    if (owned(a) && owned(a + 7)) { int32_t *t = P(a); t[1] = t[1] == 1000000000 ? 1 : t[1] % 1000; }   /* 1e6 us would be a 1 s wait */
    return a;
}

static uint32_t iov_arg(uint32_t *count)
{
    uint32_t n = chance(10) ? PICK(((uint32_t[]){ 0, 1024, 1025, 0xffffffff, 0x80000000 })) : 1 + rn(8);
    *count = n;
    if (chance(10)) return ptr_arg(0);
    uint32_t k = n > 8 ? 8 : n, a = place(8 * k);
    uint32_t *v = P(a);
    for (uint32_t i = 0; i < k; i++) {
        v[2 * i] = ptr_arg(1);
        v[2 * i + 1] = chance(70) ? rn(200) : len_arg();
    }
    return a;
}

static uint32_t sockaddr_arg(uint32_t *len)
{
    *len = chance(70) ? PICK(((uint32_t[]){ 4, 5, 110, 16, 3 })) : len_arg();
    if (*len == 2) *len = 3;             /* length 2 autobinds a global abstract name: differs per run */
    return chance(80) ? sun_addr[rn(3)] : ptr_arg(0);
}

/* A msghdr: name, iovec, and a control buffer with SCM_RIGHTS (our fds) or garbage. */
static uint32_t msghdr_arg(void)
{
    if (chance(8)) return ptr_arg(0);
    uint32_t a = place(28), *m = P(a), cnt, nl;
    uint32_t name = chance(50) ? 0 : sockaddr_arg(&nl);
    m[0] = name;
    m[1] = name ? nl : rn(16);
    m[2] = iov_arg(&cnt);
    m[3] = cnt;
    if (chance(40)) { m[4] = 0; m[5] = 0; }
    else {
        uint32_t nfd = rn(4), cl = 12 + 4 * nfd, c = place(cl + 16), *cm = P(c);
        cm[0] = chance(80) ? cl : int_arg();
        cm[1] = chance(90) ? SOL_SOCKET : int_arg();
        cm[2] = chance(80) ? SCM_RIGHTS : int_arg();
        for (uint32_t i = 0; i < nfd; i++) cm[3 + i] = fd_arg();
        m[4] = chance(90) ? c : ptr_arg(1);
        m[5] = chance(80) ? cl + PICK(((uint32_t[]){ 0, 0, 4, 16 })) : len_arg();
    }
    m[6] = flags_arg();
    return a;
}

static uint32_t fdset_arg(void)
{
    if (chance(30)) return chance(50) ? 0 : ptr_arg(0);
    uint32_t a = place(128), *s = P(a);
    for (int i = 0; i < 32; i++) s[i] = 0;
    s[0] = rnd() & 0xfff8 & (chance(70) ? 0x7ff8 : 0xffffffff);
    if (chance(10)) s[rn(32)] |= rnd();
    return a;
}

static uint32_t sigset_arg(void)
{
    if (chance(15)) return ptr_arg(0);
    uint32_t a = place(8), *s = P(a);
    s[0] = chance(50) ? 0 : rnd() & ~(1u << (SIGPIPE - 1));
    s[1] = chance(50) ? 0 : rnd();
    return a;
}

static uint32_t pollfd_arg(uint32_t *count)
{
    uint32_t n = chance(10) ? PICK(((uint32_t[]){ 0, 0x100000, 0xffffffff })) : 1 + rn(6);
    *count = n;
    if (chance(10)) return ptr_arg(0);
    uint32_t k = n > 6 ? 6 : n, a = place(8 * k), *v = P(a);
    for (uint32_t i = 0; i < k; i++) {
        v[2 * i] = fd_arg();
        v[2 * i + 1] = chance(80) ? (rnd() & 0x3ff) : rnd();
    }
    return a;
}

static uint32_t socklen_arg(void)
{
    if (chance(15)) return ptr_arg(1);
    uint32_t a = place(4);
    *(uint32_t *)P(a) = chance(70) ? PICK(((uint32_t[]){ 0, 2, 4, 8, 16, 110, 200 })) : len_arg();
    return a;
}

/* ---- masks: outputs that legitimately differ, zeroed where we own them ---- */

static void zero(uint32_t a, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (owned(a + i)) *(uint8_t *)P(a + i) = 0;
}
static void mask_stat64(uint32_t p) { zero(p + 12, 4); zero(p + 64, 32); }   /* __st_ino, times, st_ino */
static void mask_stat(uint32_t p) { zero(p + 4, 4); zero(p + 32, 24); }      /* st_ino, times */
static void mask_statx(uint32_t p) { zero(p + 32, 8); zero(p + 64, 64); }    /* stx_ino, four times */
static void mask_statfs64(uint32_t p) { zero(p + 16, 16); zero(p + 40, 8); } /* free blocks, free inodes */
static void mask_statfs(uint32_t p) { zero(p + 12, 8); zero(p + 24, 4); }
static void mask_dirents(uint32_t p, uint32_t n, int is64)
{
    for (uint32_t o = 0; o + 10 < n;) {
        uint16_t rl;
        if (!owned(p + o + (is64 ? 16 : 8)) || !owned(p + o + (is64 ? 17 : 9))) return;
        memcpy(&rl, P(p + o + (is64 ? 16 : 8)), 2);
        zero(p + o, is64 ? 8 : 4);      /* d_ino: the files are new in each run */
        if (rl < 12) return;
        o += rl;
    }
}

/* ---- the allow-list ---- */

/* Kind letters, one per argument slot:
 *  f fd  F dirfd  s path  N xattr name  i input pointer  o output pointer
 *  l length  L pointer to a socklen  C copy length  n int  x flags  m mode
 *  z 32-bit offset  Z 64-bit offset (two slots)  S signal  p pid  c clock
 *  t timeout timespec  T time64 timespec  v timeval  V iovec+count (two slots)
 *  a sockaddr+len (two slots)  M msghdr  d fd_set  k sigset  e sigset size
 *  P pollfd+count (two slots)  G scratch address  g scratch length  w whence/how  0 zero
 *  r resource */
struct call {
    int nr;
    const char *name, *kinds;
    void (*fix)(uint32_t *a);
    void (*post)(uint32_t *a, long r);
};

static uint32_t pick_fcntl(void)
{
    static const uint32_t cmds[] = { 0, 1, 2, 3, 4, 5, 6, 9, 11, 12, 13, 16, 36, 37, 1030, 1031, 1032,
                                     1033, 1034, 1025, 1035, 1036, 999, 0xffffffff };
    return PICK(cmds);
}
static void fix_fcntl(uint32_t *a)
{
    a[1] = pick_fcntl();
    if (a[1] == 4) a[2] = (a[2] | O_NONBLOCK) & ~O_ASYNC;           /* stay non-blocking, no SIGIO */
    else if (a[1] == 0 || a[1] == 1030) a[2] = chance(70) ? rn(40) : a[2];
    else if (a[1] == 2 || a[1] == 1031 || a[1] == 1033) a[2] = int_arg();
}
static void fix_ioctl(uint32_t *a)
{
    static const uint32_t cmds[] = { 0x541B /* FIONREAD */, 0x5451 /* FIOCLEX */, 0x5450 /* FIONCLEX */,
                                     0x5401 /* TCGETS */, 0x5413 /* TIOCGWINSZ */, 2 /* FIGETBSZ */,
                                     0x5460 /* FIOQSIZE */, 0x80046601 /* FS_IOC_GETFLAGS */,
                                     0x8912 /* SIOCGIFCONF */,
                                     0xdeadbeef };
    a[1] = PICK(cmds);    /* not FS_IOC_GETVERSION: inode generations are random */
}
static void fix_oflags(uint32_t *a, int i)
{
    static const uint32_t bits[] = { O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW,
                                     O_CLOEXEC, O_LARGEFILE, O_PATH, O_NOATIME, 0x410000 /* O_TMPFILE */ };
    uint32_t f = rn(4);
    for (int k = rn(4); k > 0; k--) f |= PICK(bits);
    if (chance(5)) f |= rnd() & ~(uint32_t)(O_ASYNC | O_DIRECT | O_SYNC);
    a[i] = f | O_NONBLOCK;
}
static void fix_open1(uint32_t *a) { fix_oflags(a, 1); }
static void fix_open2(uint32_t *a) { fix_oflags(a, 2); }
static void fix_nonblock1(uint32_t *a) { a[1] |= O_NONBLOCK; }
static void fix_nonblock3(uint32_t *a) { a[3] |= O_NONBLOCK; }
static void fix_robust(uint32_t *a) { a[1] = chance(80) ? 12 : a[1]; }    /* the kernel takes only 12 */
static void fix_prio1(uint32_t *a) { a[0] = chance(80) ? 1 : a[0]; a[1] = chance(80) ? 0 : a[1]; }
static void fix_socket(uint32_t *a)
{
    a[0] = chance(90) ? AF_UNIX : PICK(((uint32_t[]){ 0, 0xffff, 0xffffffff }));  /* never inet */
    a[1] = (chance(80) ? PICK(((uint32_t[]){ 1, 2, 5, 3, 10 })) : a[1]) | SOCK_NONBLOCK;
    a[2] = chance(80) ? 0 : a[2];
}
static void fix_dontwait3(uint32_t *a) { a[3] |= MSG_DONTWAIT; }
static void fix_dontwait2(uint32_t *a) { a[2] |= MSG_DONTWAIT; }
static void fix_accept4(uint32_t *a) { a[3] |= SOCK_NONBLOCK; }
static void fix_flock(uint32_t *a) { a[1] = (chance(90) ? rn(9) : a[1]) | 4 /* LOCK_NB */; }
static void fix_wnohang2(uint32_t *a) { a[2] = (a[2] & ~0x1000000u /* __WNOTHREAD stays possible */) | 1; }
static void fix_waitid(uint32_t *a) { a[0] = rn(4); a[3] |= 1; }
static void fix_splice(uint32_t *a) { a[5] |= 2; /* SPLICE_F_NONBLOCK */ }
static void fix_tee(uint32_t *a) { a[3] |= 2; }
static void fix_sockopt(uint32_t *a)
{
    static const uint32_t opts[] = { 3, 4, 5, 6, 7, 8, 9, 10, 13, 18, 19, 20, 21, 30, 38, 39, 42, 66, 67, 9999 };
    a[1] = chance(85) ? 1 : int_arg();
    a[2] = PICK(opts);
}
static void fix_prio(uint32_t *a) { a[0] = chance(80) ? 0 : int_arg(); }   /* PRIO_PROCESS: PRIO_USER sees other processes */
static void fix_scr_len_strict(uint32_t *a);
static void fix_madvise(uint32_t *a)
{
    static const uint32_t adv[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 14, 15, 16, 17, 20, 21, 100, 0xffffffff };
    a[2] = PICK(adv);
    fix_scr_len_strict(a);
}
static void fix_epoll_ctl(uint32_t *a)
{
    a[1] = chance(90) ? 1 + rn(3) : int_arg();
    if (chance(85)) {
        uint32_t e = place(12), *v = P(e);
        v[0] = chance(80) ? (rnd() & 0x201f) : rnd();
        v[1] = rnd(); v[2] = rnd();
        a[3] = e;
    }
}
static void fix_futex(uint32_t *a)
{
    static const uint32_t ops[] = { 0, 1, 3, 4, 5, 9, 10 };
    a[0] = chance(70) ? RW + (rn(0x8000) & ~3u) : a[0];
    a[1] = PICK(ops) | (chance(50) ? 128 : 0) | (chance(20) ? 256 : 0);
    a[2] = chance(50) ? *(uint32_t *)P(a[0] >= RW && a[0] < RW_END - 3 ? a[0] : RW) : a[2];
    a[3] = (a[1] & 127) == 0 || (a[1] & 127) == 9 ? ts_arg(0) : rn(8);
    a[4] = chance(70) ? RW + (rn(0x8000) & ~3u) : a[4];
}
static void fix_sigaltstack(uint32_t *a)
{
    if (chance(85)) {
        uint32_t s = place(12), *v = P(s);
        v[0] = RW + rn(0x8000);
        v[1] = PICK(((uint32_t[]){ 0, 1, 2, 4, 0x80000000, 0x80000002 })) ;
        v[2] = len_arg();
        a[0] = chance(20) ? 0 : s;
    }
}
static void fix_rlimit(uint32_t *a) { a[0] = chance(85) ? rn(16) : int_arg(); }
static void fix_prlimit(uint32_t *a) { a[0] = 0; a[1] = chance(85) ? rn(16) : int_arg(); a[2] = 0; }
static void fix_capget(uint32_t *a)
{
    uint32_t h = place(8), *v = P(h);
    v[0] = PICK(((uint32_t[]){ 0x19980330, 0x20071026, 0x20080522, 0, 0xffffffff }));
    v[1] = chance(80) ? 0 : pid_arg();
    a[0] = chance(90) ? h : a[0];
}
static void fix_prctl(uint32_t *a)
{
    static const uint32_t opts[] = { 16 /* GET_NAME */, 15 /* SET_NAME */, 3 /* GET_DUMPABLE */, 2 /* GET_PDEATHSIG */,
                                     21 /* GET_SECCOMP */, 9 /* GET_TIMING? */, 39 /* GET_NO_NEW_PRIVS */,
                                     23 /* CAPBSET_READ */, 8 /* GET_KEEPCAPS */, 0xffff };
    a[0] = PICK(opts);
}
static void fix_personality(uint32_t *a) { a[0] = 0xffffffff; }  /* query only */
static void fix_getrandom(uint32_t *a) { a[2] |= 1; /* GRND_NONBLOCK */ }
/* Never a CPU-time clock: a sleeping process uses no CPU time, so it would sleep for ever. */
static void fix_clock_ns(uint32_t *a)
{
    a[0] = PICK(((uint32_t[]){ 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xffffffff }));
    a[1] = chance(80) ? rn(2) : a[1];
}
static void fix_poll(uint32_t *a) { a[2] = 0; }            /* never wait */
static void fix_epoll_wait(uint32_t *a) { a[2] = chance(80) ? rn(10) : a[2]; a[3] = 0; }
static void fix_mmap(uint32_t *a)
{
    static const uint32_t lens[] = { 0, 1, 0x1000, 0x2000, 0x5000, 0xffffffff, 0xfffff001, SCR_PAGES * 0x1000 };
    a[0] = SCR + rn(SCR_PAGES) * 0x1000 + (chance(5) ? 1 : 0);
    a[1] = chance(70) ? (1 + rn(8)) * 0x1000 - (chance(20) ? rn(0x1000) : 0) : PICK(lens);
    if (a[0] + a[1] > SCR + SCR_PAGES * 0x1000 && a[1] < 0xfffff000) a[1] = SCR + SCR_PAGES * 0x1000 - (a[0] & ~0xfffu);
    a[2] = chance(90) ? rn(8) : rnd();
    a[3] = 0x10 /* MAP_FIXED */ | PICK(((uint32_t[]){ 1, 2, 0x21, 0x22, 3, 0, 8, 0x28 }))
         | (chance(20) ? PICK(((uint32_t[]){ 0x100, 0x4000, 0x8000, 0x1000, 0x40000, 0x20000, 0x2000,
                                             0x100000, 0x40, 0x80000, 0x10000 })) : 0);
    if (chance(10)) a[3] = (rnd() & rnd()) | 0x10;              /* any mix, but always a fixed address */
    a[5] = chance(80) ? rn(4) : PICK(((uint32_t[]){ 0xfffff, 0x7ffff, 0xffffffff }));
    /* Over the arena, a page or two: MAP_FIXED_NOREPLACE instead of
     * MAP_FIXED, so our pages give EEXIST and are never replaced; a hole
     * that gets mapped is unmapped again by post_mmap. */
    if (chance(10)) {
        a[0] = A + rn(15) * 0x1000;
        a[1] = (1 + rn(2)) * 0x1000 - (chance(20) ? rn(0x1000) : 0);
        a[3] = (a[3] & ~0x10u) | 0x100000;
    }
}
/* Only holes of the arena can have been mapped (fix_mmap): back to holes. */
static void post_mmap(uint32_t *a, long r)
{
    if (r != -1 && (uint32_t)r >= A && (uint32_t)r < A + 0xf000) munmap(P(r), (a[1] + 0xfff) & ~0xfffu);
}
/* Scratch ranges: never beyond the zone (MAP_FIXED-like calls there would clobber other mappings). */
static void fix_scr_len(uint32_t *a)
{
    if (a[1] < 0xfffff000 && a[0] + a[1] > SCR + SCR_PAGES * 0x1000) a[1] = rn(0x10000);
}
/* madvise and msync go on past holes (MADV_DONTNEED up to 4 GiB would wipe the stack): no wrapping lengths. */
static void fix_scr_len_strict(uint32_t *a)
{
    if (a[0] + a[1] > SCR + SCR_PAGES * 0x1000 || a[0] + a[1] < a[0]) a[1] = rn(0x10000);
}

/* Masked whatever the result: an EFAULT after a partial copy leaves part of the struct written. */
static void post_stat64_1(uint32_t *a, long r) { mask_stat64(a[1]); }
static void post_stat64_2(uint32_t *a, long r) { mask_stat64(a[2]); }
static void post_stat_1(uint32_t *a, long r) { mask_stat(a[1]); }
static void post_statx(uint32_t *a, long r) { mask_statx(a[4]); }
static void post_statfs64(uint32_t *a, long r) { mask_statfs64(a[2]); }
static void post_statfs(uint32_t *a, long r) { mask_statfs(a[1]); }
static uint32_t dents_len(uint32_t *a, long r) { return r > 0 ? r : a[2] < 0x9000 ? a[2] : 0x9000; }
/* The record after the last one returned may have been begun before its
 * fault (filldir stores d_ino first): its d_ino, an inode number, becomes
 * 0xee bytes where the call changed it, so that whether it was written
 * still counts. */
static uint8_t snap[0xa000];
static uint8_t *snap_at(uint32_t a)
{
    if (a >= RW && a < RW_END) return snap + (a - RW);
    if (a >= FMAP && a < FEOF) return snap + 0x8000 + (a - FMAP);
    if (a >= RW2 && a < HOLE3) return snap + 0x9000 + (a - RW2);
    return NULL;
}
static void fix_dents(uint32_t *a)
{
    (void)a;
    memcpy(snap, P(RW), 0x8000);
    memcpy(snap + 0x8000, P(FMAP), 0x1000);
    memcpy(snap + 0x9000, P(RW2), 0x1000);
}
static void mark_changed(uint32_t a, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *was = snap_at(a + i);
        if (was && *was != *(uint8_t *)P(a + i)) *(uint8_t *)P(a + i) = 0xee;
    }
}
static void post_dents(uint32_t *a, long r) { mask_dirents(a[1], dents_len(a, r), 0); if (r > 0) mark_changed(a[1] + r, 4); }
static void post_dents64(uint32_t *a, long r) { mask_dirents(a[1], dents_len(a, r), 1); if (r > 0) mark_changed(a[1] + r, 8); }
static void post_tv(uint32_t *a, long r) { zero(a[0], 8); }
static void post_ts1(uint32_t *a, long r) { zero(a[1], 8); }
static void post_ts64(uint32_t *a, long r) { zero(a[1], 16); }
/* select and ppoll write back the time left, which depends on how long the call took. */
static void post_select(uint32_t *a, long r) { zero(a[4], 8); }
static void post_ppoll(uint32_t *a, long r) { zero(a[2], 8); }
static void post_random(uint32_t *a, long r) { if (r > 0) zero(a[0], r); }
/* mincore's bytes say whether a page is in memory: host state, bit 0 only.
 * Cleared in the bytes the call may have written, written or not. */
static void post_mincore(uint32_t *a, long r)
{
    uint32_t n = a[1] > 0x100000 ? 0x100 : (a[1] + 0xfff) / 0x1000;   /* the zone ends within 0x100 pages */
    for (uint32_t i = 0; i < n; i++)
        if (owned(a[2] + i)) *(uint8_t *)P(a[2] + i) &= ~1u;
}
/* A timerfd made by us is never armed, so its times stay zero; rem of a nanosleep is
 * only written on EINTR, which cannot happen here. */

#define C(name, kinds, ...) { SYS_##name, #name, kinds, __VA_ARGS__ }
static const struct call calls[] = {
    C(read, "fol"), C(write, "fil"), C(open, "sxm", fix_open1), C(close, "f"), C(creat, "sm"),
    C(link, "ss"), C(unlink, "s"), C(chdir, "s"), C(chmod, "sm"), C(lchown32, "snn"),
    C(lseek, "fzw"), C(_llseek, "fnzow"), C(access, "sn"), C(rename, "ss"), C(mkdir, "sm"),
    C(rmdir, "s"), C(dup, "f"), C(dup2, "ff"), C(dup3, "ffx"), C(pipe2, "ox", fix_nonblock1),
    C(umask, "m"), C(ioctl, "fno", fix_ioctl), C(fcntl, "fno", fix_fcntl), C(fcntl64, "fno", fix_fcntl),
    C(getrlimit, "ro", fix_rlimit), C(ugetrlimit, "ro", fix_rlimit), C(prlimit64, "pnio", fix_prlimit),
    C(gettimeofday, "oo", NULL, post_tv), C(symlink, "ss"), C(readlink, "sol"),
    C(truncate, "sz"), C(ftruncate, "fz"), C(truncate64, "sZ"), C(ftruncate64, "fZ"),
    C(fchmod, "fm"), C(fchown32, "fnn"),
    C(statfs, "so", NULL, post_statfs), C(fstatfs, "fo", NULL, post_statfs),
    C(statfs64, "slo", NULL, post_statfs64), C(fstatfs64, "flo", NULL, post_statfs64),
    C(stat, "so", NULL, post_stat_1), C(lstat, "so", NULL, post_stat_1), C(fstat, "fo", NULL, post_stat_1),
    C(stat64, "so", NULL, post_stat64_1), C(lstat64, "so", NULL, post_stat64_1),
    C(fstat64, "fo", NULL, post_stat64_1), C(fstatat64, "Fsox", NULL, post_stat64_2),
    C(statx, "Fsxno", NULL, post_statx),
    C(getdents, "fol", fix_dents, post_dents), C(getdents64, "fol", fix_dents, post_dents64),
    C(readv, "fV"), C(writev, "fV"), C(preadv, "fVz0"), C(pwritev, "fVz0"),
    C(pread64, "folZ"), C(pwrite64, "filZ"), C(getcwd, "ol"),
    C(sendfile, "ffoC"), C(sendfile64, "ffoC"), C(uname, "o"), C(fchdir, "f"), C(flock, "fn", fix_flock),
    C(sched_getaffinity, "plo"), C(sched_yield, ""), C(sched_getscheduler, "p"), C(sched_getparam, "po"),
    C(nanosleep, "to"), C(poll, "Pn", fix_poll), C(_newselect, "ndddv", NULL, post_select),
    C(getresuid32, "ooo"), C(getresgid32, "ooo"), C(getgroups32, "lo"), C(getuid32, ""), C(getegid32, ""),
    C(rt_sigaction, "Siol"), C(rt_sigprocmask, "wkol"), C(rt_sigpending, "ol"), C(rt_sigtimedwait, "kotl"),
    C(sigaltstack, "io", fix_sigaltstack), C(sigprocmask, "wio"), C(sigpending, "o"), C(sigaction, "Sio"),
    C(signal, "Sn"), C(getitimer, "no"),
    C(clock_gettime, "co", NULL, post_ts1), C(clock_getres, "co"),
    C(clock_gettime64, "co", NULL, post_ts64), C(clock_getres_time64, "co"),
    C(clock_nanosleep, "cxto", fix_clock_ns),
    C(utimensat, "Fsix"), C(utime, "si"), C(utimes, "si"), C(futimesat, "Fsi"),
    C(faccessat, "Fsn"), C(faccessat2, "Fsnx"), C(fchmodat, "Fsm"), C(fchownat, "Fsnnx"),
    C(mkdirat, "Fsm"), C(unlinkat, "Fsx"), C(renameat, "FsFs"), C(renameat2, "FsFsx"),
    C(linkat, "FsFsx"), C(symlinkat, "sFs"), C(readlinkat, "Fsol"), C(openat, "Fsxm", fix_open2),
    C(socket, "nnn", fix_socket), C(socketpair, "nnno", fix_socket), C(bind, "fa"), C(connect, "fa"),
    C(listen, "fn"), C(accept4, "foLx", fix_accept4), C(getsockname, "foL"), C(getpeername, "foL"),
    C(sendto, "filxa", fix_dontwait3), C(recvfrom, "folxoL", fix_dontwait3),
    C(sendmsg, "fMx", fix_dontwait2), C(recvmsg, "fMx", fix_dontwait2), C(shutdown, "fn"),
    C(setsockopt, "fnnil", fix_sockopt), C(getsockopt, "fnnoL", fix_sockopt),
    C(epoll_create1, "x"), C(epoll_ctl, "fnfi", fix_epoll_ctl), C(epoll_wait, "fonn", fix_epoll_wait),
    C(epoll_pwait, "fonnke", fix_epoll_wait), C(eventfd2, "nx", fix_nonblock1),
    C(timerfd_create, "cx", fix_nonblock1), C(timerfd_gettime, "fo"), C(signalfd4, "fkex", fix_nonblock3),
    C(memfd_create, "sx"), C(splice, "fofoCx", fix_splice), C(tee, "ffCx", fix_tee),
    C(copy_file_range, "fofoCx"), C(getrandom, "olx", fix_getrandom, post_random),
    C(capget, "io", fix_capget), C(personality, "n", fix_personality), C(prctl, "nonnn", fix_prctl),
    C(wait4, "poxo", fix_wnohang2), C(waitid, "npoxo", fix_waitid),
    C(mmap2, "nnnnfn", fix_mmap, post_mmap), C(munmap, "Gg", fix_scr_len), C(mprotect, "Ggx", fix_scr_len),
    C(madvise, "Ggn", fix_madvise), C(mincore, "Ggo", fix_scr_len, post_mincore), C(msync, "Ggx", fix_scr_len_strict),
    C(futex, "onnnon", fix_futex), C(set_robust_list, "il", fix_robust),
    C(getxattr, "sNol"), C(lgetxattr, "sNol"), C(fgetxattr, "fNol"), C(setxattr, "sNilx"),
    C(fsetxattr, "fNilx"), C(listxattr, "sol"), C(flistxattr, "fol"), C(removexattr, "sN"),
    C(ppoll, "Ptke", NULL, post_ppoll), C(getpriority, "np", fix_prio), C(ioprio_get, "np", fix_prio1),
    C(readahead, "fZl"), C(fadvise64_64, "fZZn"), C(close_range, "ffx"),
};
#define NCALLS (int)(sizeof calls / sizeof calls[0])

static void gen_args(const struct call *c, uint32_t *a)
{
    int i = 0;
    nplaced = 0;
    for (const char *k = c->kinds; *k && i < 6; k++) {
        switch (*k) {
        case 'f': a[i++] = fd_arg(); break;
        case 'F': a[i++] = dirfd_arg(); break;
        case 's': {
            uint32_t r = rn(20);
            a[i++] = r < 15 ? PICK(name_addr) : r == 15 ? longname_addr : r == 16 ? nonul_addr : ptr_arg(0);
            if (r >= 17 && a[i - 1] >= RW && a[i - 1] < HOLE3 && !(a[i - 1] >= RO && a[i - 1] < HOLE1))
                a[i - 1] = HOLE1;       /* never a path from our writable pages: its bytes could name anything */
            break;
        }
        case 'N': a[i++] = chance(90) ? PICK(xname_addr) : PICK(((uint32_t[]){ 0, HOLE1, FEOF - 2, nonul_addr })); break;
        case 'i': a[i++] = ptr_arg(0); break;
        case 'o': a[i++] = ptr_arg(1); break;
        case 'l': a[i++] = len_arg(); break;
        case 'C': a[i++] = copylen_arg(); break;
        case 'L': a[i++] = socklen_arg(); break;
        case 'n': a[i++] = int_arg(); break;
        case 'x': a[i++] = flags_arg(); break;
        case 'm': a[i++] = mode_arg(); break;
        case 'z': a[i++] = off_arg(); break;
        case 'Z': {
            uint32_t lo = off_arg(), hi = chance(80) ? 0 : PICK(((uint32_t[]){ 1, 0xffffffff, 0x7fffffff, 0x80000000 }));
            a[i++] = lo;
            if (i < 6) a[i++] = hi;
            break;
        }
        case 'S': a[i++] = sig_arg(); break;
        case 'p': a[i++] = pid_arg(); break;
        case 'c': a[i++] = clk_arg(); break;
        case 't': a[i++] = ts_arg(0); break;
        case 'T': a[i++] = ts_arg(1); break;
        case 'v': a[i++] = tv_arg(); break;
        case 'V': { uint32_t n; a[i] = iov_arg(&n); i++; if (i < 6) a[i++] = n; break; }
        case 'a': { uint32_t n; a[i] = sockaddr_arg(&n); i++; if (i < 6) a[i++] = n; break; }
        case 'P': { uint32_t n; a[i] = pollfd_arg(&n); i++; if (i < 6) a[i++] = n; break; }
        case 'M': a[i++] = msghdr_arg(); break;
        case 'd': a[i++] = fdset_arg(); break;
        case 'k': a[i++] = sigset_arg(); break;
        case 'e': a[i++] = chance(85) ? 8 : len_arg(); break;
        case 'w': a[i++] = chance(85) ? rn(5) : int_arg(); break;
        case 'r': a[i++] = rn(16); break;
        case 'G': a[i++] = SCR + rn(SCR_PAGES) * 0x1000 + (chance(5) ? rn(0x1000) : 0); break;
        case 'g': a[i++] = chance(80) ? rn(16) * 0x1000 + (chance(20) ? rn(0x1000) : 0)
                                     : PICK(((uint32_t[]){ 0, 0xffffffff, 0xfffff001 })); break;
        case '0': a[i++] = 0; break;
        }
    }
    if (c->fix) c->fix(a);
}

static uint32_t arena_hash(void)
{
    uint32_t h = 2166136261u;
    h = hash_words(P(RW), 0x8000, h);
    h = hash_words(P(FMAP), 0x1000, h);
    return hash_words(P(RW2), 0x1000, h);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        out("usage: sysfuzz SEED COUNT [SKIP]\n");
        return 2;
    }
    uint64_t seed = parse_u64(argv[1]);
    long count = strtol(argv[2], NULL, 0);
    static char skip[1024];
    if (argc > 3)
        for (char *s = argv[3]; *s;) {
            long n = strtol(s, &s, 0);
            if (n >= 0 && n < 1024) skip[n] = 1;
            if (*s) s++;
        }
    int allowed = 0;
    for (int k = 0; k < NCALLS; k++) allowed += !skip[calls[k].nr];
    if (!allowed) { out("every call is skipped\n"); return 2; }   /* the draw below would never end */
    setup();
    rng_seed(seed);
    for (long i = 0; i < count; i++) {
        const struct call *c;
        do c = &calls[rn(NCALLS)]; while (skip[c->nr]);
        uint32_t a[6] = { 0 };
        gen_args(c, a);
        errno = 0;
        long r = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        int e = r == -1 ? errno : 0;
        if (c->post) c->post(a, r);
        out("%ld %d %s(%x,%x,%x,%x,%x,%x) = %ld e%d h%08x\n", i, c->nr, c->name,
            a[0], a[1], a[2], a[3], a[4], a[5], r, e, arena_hash());
    }
    out("done\n");
    return 0;
}
