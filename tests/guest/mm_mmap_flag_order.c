/* ue-test: variants=s2 d0 */
/* mmap2's judgement of odd flag mixes, in do_mmap's order: MAP_GROWSDOWN on
 * a file mapping is EINVAL, but only after the file's own checks (EACCES for
 * a write-only file, ENODEV for a pipe, which has no mmap at all), and
 * before the mapping is made (a unix socket's mmap would say ENODEV, a
 * memfd's would succeed); a shared anonymous or droppable mapping cannot grow
 * down; MAP_SHARED_VALIDATE is no anonymous type; with a file,
 * MAP_SHARED_VALIDATE refuses flags outside the legacy set
 * (MAP_FIXED_NOREPLACE: EOPNOTSUPP) where MAP_SHARED ignores them;
 * anonymous huge pages of a size the kernel does not have are EINVAL
 * before the length is judged. Every failing call leaves the range as it was.
 * A MAP_FIXED mapping whose file refuses it late (a unix socket's mmap:
 * ENODEV) has already taken away what was there: the range is a hole
 * afterwards, free for MAP_FIXED_NOREPLACE (ue's list kept it, and the
 * host's range was left with a hole ue's own mappings could land in).
 * An O_PATH descriptor is EBADF (fget does not see it), whatever else is
 * wrong. Found by the sys fuzzer (mmap2 was left out of its check run). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static sigjmp_buf jb;
static void on_segv(int s) { (void)s; siglongjmp(jb, 1); }

static char *base;   /* 16 pages of ours: page 0 holds a marker that must survive */

static void try(const char *what, size_t off, size_t len, int prot, int flags, int fd)
{
    errno = 0;
    long r = syscall(SYS_mmap2, base + off, len, prot, flags, fd, 0);
    int e = errno;
    if (r == -1) printf("%-44s -> %s\n", what, strerrorname_np(e));
    else printf("%-44s -> %s\n", what, (char *)r == base + off ? "mapped at the address" : "mapped elsewhere");
    if (r != -1 && (char *)r != base + off) munmap((void *)r, len);
    printf("  marker %s\n", base[0] == 'M' ? "kept" : "changed");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    base = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 1;
    munmap(base + 8 * 4096, 8 * 4096);     /* pages 8-15 free for the mappings that succeed */
    base[0] = 'M';

    int p[2], sv[2];
    if (pipe(p) || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) return 1;
    int mfd = syscall(SYS_memfd_create, "m", 0);
    if (mfd < 0 || ftruncate(mfd, 8 * 4096)) return 1;
    int wfd = open("wo", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (wfd < 0 || ftruncate(wfd, 4096)) return 1;
    int ro = open("wo", O_RDONLY);
    const int FG = MAP_FIXED | MAP_GROWSDOWN;

    /* files with MAP_GROWSDOWN: over page 0 too, which must stay */
    try("memfd shared growsdown over ours", 0, 4096, PROT_READ, MAP_SHARED | FG, mfd);
    try("memfd private growsdown", 8 * 4096, 4096, PROT_READ, MAP_PRIVATE | FG, mfd);
    try("memfd validate growsdown", 8 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | FG, mfd);
    try("unix socket shared growsdown", 0, 4096, 0, MAP_SHARED | FG, sv[0]);
    try("unix socket shared", 8 * 4096, 4096, 0, MAP_SHARED | MAP_FIXED, sv[0]);
    try("pipe shared growsdown", 0, 4096, PROT_READ, MAP_SHARED | FG, p[0]);
    try("write-only file private growsdown", 0, 4096, PROT_READ, MAP_PRIVATE | FG, wfd);
    try("read-only file shared writable growsdown", 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | FG, ro);
    try("memfd type 0 growsdown", 0, 4096, PROT_READ, FG, mfd);

    /* an O_PATH descriptor is no file to map: EBADF before anything else */
    int opath = open("wo", O_PATH);
    try("O_PATH file, bad type", 0, 4096, PROT_READ, 0x4 | MAP_FIXED, opath);
    try("O_PATH file private", 8 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, opath);

    /* anonymous */
    try("anon shared growsdown", 0, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | FG, -1);
    try("anon validate", 8 * 4096, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_FIXED, -1);
    try("anon droppable growsdown", 0, 4096, PROT_READ, MAP_DROPPABLE | MAP_ANONYMOUS | FG, -1);
    try("anon droppable locked", 0, 4096, PROT_READ, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, -1);
    try("anon type 0", 0, 4096, PROT_READ, MAP_ANONYMOUS | MAP_FIXED, -1);
    /* anonymous huge pages of a size that does not exist: EINVAL before the length is judged */
    try("anon hugetlb, 16-byte pages, length 4 GiB-1", 0, 0xffffffff, PROT_READ,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED | (4 << MAP_HUGE_SHIFT), -1);
    try("anon hugetlb, 2^56-byte pages, length 4 GiB-1", 0, 0xffffffff, PROT_READ,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED | (56u << MAP_HUGE_SHIFT), -1);
    /* over a mapping of ours on a 2 MiB boundary: EEXIST before any huge page is reserved */
    char *big = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *al = (char *)(((uintptr_t)big + (2 << 20) - 1) & ~(uintptr_t)((2 << 20) - 1));
    errno = 0;
    long hr = syscall(SYS_mmap2, al, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED_NOREPLACE, -1, 0);
    printf("anon hugetlb noreplace over ours -> %s\n", hr == -1 ? strerrorname_np(errno) : "mapped");
    errno = 0;
    hr = syscall(SYS_mmap2, al + 4096, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED_NOREPLACE, -1, 0);
    printf("anon hugetlb noreplace, not on 2 MiB -> %s\n", hr == -1 ? strerrorname_np(errno) : "mapped");
    munmap(big, 4 << 20);
    try("anon private growsdown", 8 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | FG, -1);
    munmap(base + 8 * 4096, 4096);

    /* MAP_SHARED_VALIDATE refuses what MAP_SHARED ignores */
    try("memfd validate noreplace", 9 * 4096, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, mfd);
    try("memfd validate noreplace over ours", 0, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, mfd);
    try("memfd validate fixed|32bit", 9 * 4096, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED | MAP_32BIT, mfd);
    munmap(base + 9 * 4096, 4096);
    try("memfd validate fixed|huge size bits", 9 * 4096, 4096, PROT_READ,
        MAP_SHARED_VALIDATE | MAP_FIXED | (21 << MAP_HUGE_SHIFT), mfd);
    munmap(base + 9 * 4096, 4096);
    try("memfd shared noreplace", 9 * 4096, 4096, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, mfd);
    munmap(base + 9 * 4096, 4096);
    try("memfd shared fixed|32bit", 9 * 4096, 4096, PROT_READ, MAP_SHARED | MAP_FIXED | MAP_32BIT, mfd);
    munmap(base + 9 * 4096, 4096);
    try("memfd validate fixed|uninitialized", 9 * 4096, 4096, PROT_READ,
        MAP_SHARED_VALIDATE | MAP_FIXED | 0x4000000, mfd);
    munmap(base + 9 * 4096, 4096);

    /* refused by the socket's mmap, after the old page was taken away */
    char *old = base + 10 * 4096;
    if (mmap(old, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != old) return 1;
    old[0] = 'O';
    errno = 0;
    long r = syscall(SYS_mmap2, old, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, sv[0], 0);
    printf("unix socket over a page of ours -> %ld %s\n", r, strerrorname_np(errno));
    signal(SIGSEGV, on_segv);
    if (!sigsetjmp(jb, 1)) printf("  the old page reads %c\n", old[0]);
    else printf("  the old page is gone (SIGSEGV)\n");
    unsigned char v;
    errno = 0;
    printf("  mincore -> %d %s\n", mincore(old, 4096, &v), strerrorname_np(errno));
    void *q = mmap(old, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("  MAP_FIXED_NOREPLACE there -> %s\n", q == old ? "mapped" : strerrorname_np(errno));
    unlink("wo");
    return 0;
}
