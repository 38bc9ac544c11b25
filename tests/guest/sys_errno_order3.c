/* ue-test: variants=s2 d0 */
/* Argument checks in the kernel's order: which error wins when several
 * arguments are bad (EINVAL/E2BIG before EFAULT), path length limits,
 * negative offsets of the vectored calls, openat2's struct checks and
 * RESOLVE_* flags, memfd_create's name and flags, get_robust_list's
 * permission checks, F_CREATED_QUERY and PR_SET_TSC. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)-1)

static void show(const char *what, long r)
{
    printf("%-36s %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

struct open_how32 { uint64_t flags, mode, resolve; };

static void tcp_recvfrom(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (bind(l, (void *)&a, sizeof a) || listen(l, 1) || getsockname(l, (void *)&a, &al)) {
        printf("tcp: no loopback\n");
        return;
    }
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int s = accept(l, NULL, NULL);
    write(s, "hello", 5);
    char buf[8];
    socklen_t len = 16;
    show("recvfrom tcp addr -1", syscall(SYS_recvfrom, c, buf, 2, 0, BAD, &len));
    printf("  len after=%u\n", len);
    len = 16;
    show("recvfrom tcp addr -1 len -1", syscall(SYS_recvfrom, c, buf, 1, 0, BAD, BAD));
    show("recvfrom tcp addr NULL len -1", syscall(SYS_recvfrom, c, buf, 1, 0, NULL, BAD));
    struct sockaddr_in from;
    len = sizeof from;
    show("recvfrom tcp addr ok", syscall(SYS_recvfrom, c, buf, 1, 0, &from, &len));
    printf("  len after=%u\n", len);
    close(c); close(s); close(l);
    /* UDP: the address is copied out */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    al = sizeof ua;
    bind(u, (void *)&ua, sizeof ua);
    getsockname(u, (void *)&ua, &al);
    sendto(u, "x", 1, 0, (void *)&ua, sizeof ua);
    len = 16;
    show("recvfrom udp addr -1", syscall(SYS_recvfrom, u, buf, 1, 0, BAD, &len));
    close(u);
}

static void ipc_sched_time(void)
{
    int id = semget(IPC_PRIVATE, 2, 0600);
    /* ipc(SEMOP, id, nsops, 0, sops) and ipc(SEMTIMEDOP, id, nsops, 0, sops, ts) */
    show("ipc semop nsops 501 bad ptr", syscall(SYS_ipc, 1, id, 501, 0, BAD));
    show("ipc semop nsops 500 bad ptr", syscall(SYS_ipc, 1, id, 500, 0, BAD));
    show("ipc semop nsops 0 bad ptr", syscall(SYS_ipc, 1, id, 0, 0, BAD));
    show("ipc semtimedop nsops 501 bad", syscall(SYS_ipc, 4, id, 501, 0, BAD, BAD));
    show("semtimedop64 nsops 501 bad", syscall(SYS_semtimedop_time64, id, BAD, 501, BAD));
    show("semtimedop64 nsops 0 bad", syscall(SYS_semtimedop_time64, id, BAD, 0, BAD));
    show("semtimedop64 bad ts", syscall(SYS_semtimedop_time64, id, &(struct sembuf){ 0, 1, 0 }, 1, BAD));
    show("semtimedop64 bad id bad", syscall(SYS_semtimedop_time64, -1, BAD, 1, BAD));
    show("semctl bad cmd bad ptr", syscall(SYS_semctl, id, 0, 99, BAD));
    show("semctl IPC_STAT bad ptr", syscall(SYS_semctl, id, 0, IPC_STAT | 0x100, BAD));
    show("semctl GETALL bad ptr", syscall(SYS_semctl, id, 0, GETALL, BAD));
    show("semctl bad id bad cmd", syscall(SYS_semctl, -1, 0, 99, BAD));
    semctl(id, 0, IPC_RMID);

    struct sched_param sp;
    show("sched_getparam pid -1 bad", syscall(SYS_sched_getparam, -1, BAD));
    show("sched_getparam pid 0 NULL", syscall(SYS_sched_getparam, 0, NULL));
    show("sched_getparam pid 0 bad", syscall(SYS_sched_getparam, 0, BAD));
    show("sched_getparam no pid bad", syscall(SYS_sched_getparam, 999999, BAD));
    show("sched_getparam no pid ok", syscall(SYS_sched_getparam, 999999, &sp));
    show("sched_setparam pid -1 bad", syscall(SYS_sched_setparam, -1, BAD));
    show("sched_setparam pid 0 NULL", syscall(SYS_sched_setparam, 0, NULL));
    show("sched_setparam pid 0 bad", syscall(SYS_sched_setparam, 0, BAD));
    show("sched_setscheduler -1 bad", syscall(SYS_sched_setscheduler, -1, 0, BAD));
    show("sched_setscheduler pol 99 bad", syscall(SYS_sched_setscheduler, 0, 99, BAD));
    show("sched_setscheduler pol 0 NULL", syscall(SYS_sched_setscheduler, 0, 0, NULL));
    show("sched_getscheduler -1", syscall(SYS_sched_getscheduler, -1));
    show("sched_rr_get_interval -1 bad", syscall(SYS_sched_rr_get_interval, -1, BAD));

    timer_t t;
    struct sigevent ev = { .sigev_notify = SIGEV_NONE };
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    show("timer_settime bad flags bad", syscall(SYS_timer_settime, t, 8, BAD, BAD));
    show("timer_settime bad id bad", syscall(SYS_timer_settime, 1234, 0, BAD, BAD));
    show("timer_settime bad id NULL", syscall(SYS_timer_settime, 1234, 0, NULL, NULL));
    show("timer_settime ok id bad", syscall(SYS_timer_settime, t, 0, BAD, NULL));
    show("timer_settime ok id NULL", syscall(SYS_timer_settime, t, 0, NULL, NULL));
    show("timer_settime64 ok id NULL", syscall(SYS_timer_settime64, t, 0, NULL, BAD));
    show("timer_settime64 bad id NULL", syscall(SYS_timer_settime64, 1234, 0, NULL, NULL));
    show("timer_settime64 bad id bad", syscall(SYS_timer_settime64, 1234, 0, BAD, NULL));
    show("timer_gettime bad id bad", syscall(SYS_timer_gettime, 1234, BAD));
    show("timer_gettime ok id bad", syscall(SYS_timer_gettime, t, BAD));
    timer_delete(t);
}

/* "/aaa...a/aaa...a/..." with 99-byte components: long, each component legal */
static void fill_path(char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) p[k] = k % 100 == 0 ? '/' : 'a';
}

static void paths(void)
{
    char *p = malloc(8192);
    fill_path(p, 8192);
    show("open 8192 bytes no NUL", syscall(SYS_open, p, O_RDONLY));
    p[4096] = 0;
    show("open 4096 chars", syscall(SYS_open, p, O_RDONLY));
    p[4095] = 0;
    show("open 4095 chars", syscall(SYS_open, p, O_RDONLY));
    show("mkdir 4095 chars", syscall(SYS_mkdir, p, 0700));
    /* exactly 4096 bytes up to the end of the mapping, no NUL */
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);
    fill_path(m, 4096);
    show("open page no NUL then hole", syscall(SYS_open, m, O_RDONLY));
    show("stat page no NUL then hole", syscall(SYS_stat64, m, p + 4200));
    show("mkdir page no NUL then hole", syscall(SYS_mkdir, m, 0700));
    show("rename page no NUL, hole", syscall(SYS_rename, m, "x"));
    show("rename x, page no NUL", syscall(SYS_rename, "nonexistent", m));
    show("openat page no NUL", syscall(SYS_openat, AT_FDCWD, m, O_RDONLY));
    show("execve page no NUL", syscall(SYS_execve, m, NULL, NULL));
    show("chdir page no NUL", syscall(SYS_chdir, m));
    m[4095] = 0;
    show("open page 4095 + NUL", syscall(SYS_open, m, O_RDONLY));
    /* the last byte of the page is the 4096th: no NUL in 4096, yet a short string before a hole */
    memset(m, 0, 4096);
    memcpy(m + 4096 - 5, "/abc", 4);
    show("open short then hole", syscall(SYS_open, m + 4096 - 5 + 4 - 4, O_RDONLY));
    memcpy(m + 4096 - 4, "wxyz", 4);
    show("open unterminated at hole", syscall(SYS_open, m + 4096 - 4, O_RDONLY));
    char comp[300];
    memset(comp, 'c', 299);
    comp[299] = 0;
    show("open component 299", syscall(SYS_open, comp, O_RDONLY));
    comp[255] = 0;
    show("open component 255", syscall(SYS_open, comp, O_RDONLY));
    comp[255] = 'c';
    comp[256] = 0;
    show("open component 256", syscall(SYS_open, comp, O_RDONLY));
    show("mkdir component 256", syscall(SYS_mkdir, comp, 0700));
    show("creat component 256", syscall(SYS_creat, comp, 0600));
    munmap(m, 4096);
    free(p);
}

static void vectored(void)
{
    int fd = open("errno3.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "abcdef", 6);
    char b[4];
    struct iovec v = { b, 2 };
    show("preadv off -5", syscall(SYS_preadv, fd, &v, 1, -5, -1));
    show("preadv off -1", syscall(SYS_preadv, fd, &v, 1, -1, -1));
    show("preadv off 2^31 neg lo", syscall(SYS_preadv, fd, &v, 1, 0x80000000u, 0));
    show("preadv off hi neg", syscall(SYS_preadv, fd, &v, 1, 0, 0x80000000u));
    show("pwritev off -5", syscall(SYS_pwritev, fd, &v, 1, -5, -1));
    show("preadv2 off -1 (cur)", syscall(SYS_preadv2, fd, &v, 1, -1, -1, 0));
    show("preadv2 off -2", syscall(SYS_preadv2, fd, &v, 1, -2, -1, 0));
    show("pwritev2 off -2", syscall(SYS_pwritev2, fd, &v, 1, -2, -1, 0));
    show("pwritev2 off -1 (cur)", syscall(SYS_pwritev2, fd, &v, 1, -1, -1, 0));
    show("preadv off -5 bad iov", syscall(SYS_preadv, fd, BAD, 1, -5, -1));
    show("preadv2 off -2 bad flags", syscall(SYS_preadv2, fd, &v, 1, -2, -1, 0x100));
    show("pread64 off -5", syscall(SYS_pread64, fd, b, 2, -5, -1));
    show("preadv badfd off -5", syscall(SYS_preadv, 99, &v, 1, -5, -1));
    close(fd);
    unlink("errno3.tmp");
}

static void openat2_checks(void)
{
    mkdir("o2dir", 0700);
    close(open("o2dir/f", O_CREAT | O_WRONLY, 0600));
    symlink("f", "o2dir/lnk");
    symlink("/etc", "o2dir/abs");
    int d = open("o2dir", O_RDONLY | O_DIRECTORY);
    struct { struct open_how32 h; uint64_t extra; } big = { { O_RDONLY, 0, 0 }, 0 };
    show("openat2 size 23", syscall(SYS_openat2, d, "f", &big.h, 23));
    show("openat2 size 24", syscall(SYS_openat2, d, "f", &big.h, 24));
    show("openat2 size 32 zero tail", syscall(SYS_openat2, d, "f", &big, 32));
    big.extra = 1;
    show("openat2 size 32 nonzero tail", syscall(SYS_openat2, d, "f", &big, 32));
    char *page = calloc(1, 8192);
    memcpy(page, &big.h, 24);
    show("openat2 size 4096", syscall(SYS_openat2, d, "f", page, 4096));
    show("openat2 size 4097", syscall(SYS_openat2, d, "f", page, 4097));
    show("openat2 size 24 bad ptr", syscall(SYS_openat2, d, "f", BAD, 24));
    show("openat2 size 5000 bad ptr", syscall(SYS_openat2, d, "f", BAD, 5000));
    struct open_how32 h = { O_RDONLY, 0, 0 };
    h.resolve = 0x04; /* RESOLVE_NO_SYMLINKS */
    show("openat2 NO_SYMLINKS lnk", syscall(SYS_openat2, d, "lnk", &h, 24));
    h.resolve = 0x08; /* RESOLVE_BENEATH */
    show("openat2 BENEATH ..", syscall(SYS_openat2, d, "../o2dir/f", &h, 24));
    show("openat2 BENEATH abs link", syscall(SYS_openat2, d, "abs", &h, 24));
    show("openat2 BENEATH /etc", syscall(SYS_openat2, d, "/etc", &h, 24));
    h.resolve = 0x10; /* RESOLVE_IN_ROOT */
    show("openat2 IN_ROOT /f", syscall(SYS_openat2, d, "/f", &h, 24));
    h.resolve = 0x02; /* RESOLVE_NO_MAGICLINKS */
    show("openat2 NO_MAGICLINKS fd link", syscall(SYS_openat2, AT_FDCWD, "/proc/self/fd/0", &h, 24));
    h.resolve = 0x01; /* RESOLVE_NO_XDEV */
    show("openat2 NO_XDEV /proc", syscall(SYS_openat2, AT_FDCWD, "/proc/self", &h, 24));
    h.resolve = 0x40;
    show("openat2 resolve 0x40", syscall(SYS_openat2, d, "f", &h, 24));
    h.resolve = 0; h.flags = O_RDONLY; h.mode = 0600;
    show("openat2 mode without O_CREAT", syscall(SYS_openat2, d, "f", &h, 24));
    h.mode = 0; h.flags = 1ull << 40;
    show("openat2 flags bit 40", syscall(SYS_openat2, d, "f", &h, 24));
    for (long r = 3; r < 64; r++) if (r != d) close(r);
    unlink("o2dir/f"); unlink("o2dir/lnk"); unlink("o2dir/abs"); rmdir("o2dir");
    close(d);
    free(page);
}

static void memfd_checks(void)
{
    char name[300];
    memset(name, 'n', sizeof name);
    name[249] = 0;
    long r = syscall(SYS_memfd_create, name, 0);
    show("memfd name 249", r);
    if (r >= 0) close(r);
    name[249] = 'n'; name[250] = 0;
    show("memfd name 250", syscall(SYS_memfd_create, name, 0));
    show("memfd bad flags", syscall(SYS_memfd_create, "x", 0x80));
    show("memfd bad flags bad name", syscall(SYS_memfd_create, BAD, 0x80));
    show("memfd bad name", syscall(SYS_memfd_create, BAD, 0));
    show("memfd EXEC|NOEXEC_SEAL", syscall(SYS_memfd_create, "x", 0x10 | 0x8));
    r = syscall(SYS_memfd_create, "x", 0x10 /* MFD_EXEC */);
    show("memfd EXEC", r);
    if (r >= 0) close(r);
    r = syscall(SYS_memfd_create, "x", 0x8 /* MFD_NOEXEC_SEAL */);
    show("memfd NOEXEC_SEAL", r);
    if (r >= 0) {
        struct stat st;
        fstat(r, &st);
        printf("  mode=%o seals=%#x\n", st.st_mode & 0777, fcntl(r, F_GET_SEALS));
        close(r);
    }
    r = syscall(SYS_memfd_create, "x", 0x2 /* MFD_ALLOW_SEALING */);
    if (r >= 0) {
        struct stat st;
        fstat(r, &st);
        printf("  plain: mode=%o seals=%#x\n", st.st_mode & 0777, fcntl(r, F_GET_SEALS));
        close(r);
    }
}

static void robust(void)
{
    uint32_t head, len;
    show("get_robust_list self", syscall(SYS_get_robust_list, 0, &head, &len));
    show("get_robust_list no pid", syscall(SYS_get_robust_list, 999999, &head, &len));
    show("get_robust_list no pid bad", syscall(SYS_get_robust_list, 999999, BAD, BAD));
    show("get_robust_list self bad head", syscall(SYS_get_robust_list, 0, BAD, &len));
    show("get_robust_list self bad len", syscall(SYS_get_robust_list, 0, &head, BAD));
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    show("get_robust_list child", syscall(SYS_get_robust_list, c, &head, &len));
    printf("  len=%u\n", len);
    /* a child that is not dumpable: ptrace access needs CAP_SYS_PTRACE */
    int ready[2];
    pipe(ready);
    pid_t c2 = fork();
    if (c2 == 0) {
        prctl(PR_SET_DUMPABLE, 0);
        setresuid(65534, 65534, 65534);
        close(ready[1]);               /* EOF in the parent: the ids are set */
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    close(ready[1]);
    char rb;
    read(ready[0], &rb, 1);
    close(ready[0]);
    show("get_robust_list other uid", syscall(SYS_get_robust_list, c2, &head, &len));
    pid_t c3 = fork();
    if (c3 == 0) {
        setresuid(65534, 65534, 65534);
        show("get_robust_list as nobody of root", syscall(SYS_get_robust_list, getppid(), &head, &len));
        show("get_robust_list as nobody of nobody", syscall(SYS_get_robust_list, c2, &head, &len));
        _exit(0);
    }
    waitpid(c3, NULL, 0);
    write(p[1], "xx", 2);
    waitpid(c, NULL, 0);
    waitpid(c2, NULL, 0);
}

static void tsc_segv(int s) { printf("  SIGSEGV from rdtsc\n"); fflush(stdout); _exit(0); }

static void fcntl_prctl(void)
{
    int fd = open("cq.tmp", O_RDWR | O_CREAT | O_EXCL, 0600);
    show("F_CREATED_QUERY new", fcntl(fd, 1028));
    close(fd);
    fd = open("cq.tmp", O_RDWR | O_CREAT, 0600);
    show("F_CREATED_QUERY existing", fcntl(fd, 1028));
    int fd2 = dup(fd);
    show("F_DUPFD_QUERY dup", fcntl(fd, 1027, fd2));
    show("F_DUPFD_QUERY other", fcntl(fd, 1027, 0));
    show("F_DUPFD_QUERY bad arg fd", fcntl(fd, 1027, 99));
    close(fd2);
    close(fd);
    unlink("cq.tmp");
    show("F_CREATED_QUERY bad fd", fcntl(99, 1028));
    int tsc = -1;
    show("PR_GET_TSC", prctl(PR_GET_TSC, &tsc));
    printf("  tsc=%d\n", tsc);
    show("PR_GET_TSC bad ptr", prctl(PR_GET_TSC, BAD));
    show("PR_SET_TSC 3", prctl(PR_SET_TSC, 3));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        show("PR_SET_TSC SIGSEGV", prctl(PR_SET_TSC, PR_TSC_SIGSEGV));
        tsc = -1;
        show("PR_GET_TSC", prctl(PR_GET_TSC, &tsc));
        printf("  tsc=%d\n", tsc);
        uint32_t lo, hi;
        asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
        show("PR_SET_TSC ENABLE", prctl(PR_SET_TSC, PR_TSC_ENABLE));
        fflush(stdout);
        signal(SIGSEGV, tsc_segv);
        prctl(PR_SET_TSC, PR_TSC_SIGSEGV);
        asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
        printf("  rdtsc ran\n");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child: signaled=%d sig=%d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    tcp_recvfrom();
    ipc_sched_time();
    paths();
    vectored();
    openat2_checks();
    memfd_checks();
    robust();
    fcntl_prctl();
    return 0;
}
