/* ue-test: variants=all */
/* mmap: anonymous (zeroed, page aligned), MAP_FIXED over an existing mapping,
 * mprotect to read-only (a write faults: caught), munmap (access faults),
 * mremap grow in place or moving (contents kept), file mappings MAP_PRIVATE
 * (writes not visible in the file) and MAP_SHARED (writes visible through
 * read(), and file writes visible in the mapping), mmap2 page offsets,
 * msync, madvise, bad arguments (EINVAL, EBADF). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static void on_segv(int s) { siglongjmp(env, 1); }

static int writes(volatile char *p)
{
    if (sigsetjmp(env, 1))
        return 0;
    *p = 1;
    return 1;
}

static int reads(volatile char *p)
{
    if (sigsetjmp(env, 1))
        return 0;
    (void)*p;
    return 1;
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anon ok=%d aligned=%d zero=%d\n", a != MAP_FAILED, ((uintptr_t)a & 4095) == 0, a[0] == 0 && a[3 * 4096 - 1] == 0);
    memset(a, 'a', 3 * 4096);
    char *f = mmap(a + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED same address=%d replaced with zeros=%d neighbours kept=%d\n", f == a + 4096, f[0] == 0,
           a[0] == 'a' && a[8192] == 'a');
    int r = mprotect(a, 4096, PROT_READ);
    printf("mprotect ro: %d\n", r);
    int w = writes(a);
    printf("write to ro faults: %d, read works: %d\n", !w, reads(a));
    r = mprotect(a, 4096, PROT_READ | PROT_WRITE);
    printf("mprotect rw: %d, write works: %d\n", r, writes(a));
    r = mprotect(a + 8192, 4096, PROT_NONE);
    printf("mprotect none: %d, read faults: %d\n", r, !reads(a + 8192));
    r = munmap(a + 4096, 4096);
    w = reads(a + 4096);
    printf("munmap middle: %d, access faults: %d, others fine: %d\n", r, !w, reads(a));
    munmap(a, 3 * 4096);

    char *g = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(g, "keep me");
    char *h = mremap(g, 4096, 1 << 20, MREMAP_MAYMOVE);
    printf("mremap grow: ok=%d kept=%d tail zero=%d\n", h != MAP_FAILED, strcmp(h, "keep me") == 0, h[(1 << 20) - 1] == 0);
    char *s = mremap(h, 1 << 20, 4096, 0);
    printf("mremap shrink in place: %d\n", s == h);
    errno = 0;
    char *n = mremap(s, 4096, 1 << 24, 0);
    printf("mremap without MAYMOVE: %s\n", n == MAP_FAILED ? strerrorname_np(errno) : "ok");
    munmap(n == MAP_FAILED ? s : n, n == MAP_FAILED ? 4096 : 1 << 24);

    int fd = open("map.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    for (int i = 0; i < 3 * 4096; i++)
        write(fd, &"0123456789abcdef"[i % 16], 1);
    char *pm = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    printf("private map at offset 4096: %.8s\n", pm);
    pm[0] = 'X';
    char c;
    pread(fd, &c, 1, 4096);
    printf("private write not in file: %c\n", c);
    char *sm = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    sm[5] = 'S';
    sm[4096 * 2 + 1] = 'T';
    pread(fd, &c, 1, 5);
    printf("shared write seen by read(): %c\n", c);
    pwrite(fd, "W", 1, 7);
    printf("file write seen in the shared map: %c\n", sm[7]);
    printf("msync: %d\n", msync(sm, 3 * 4096, MS_SYNC));
    printf("madvise: %d\n", madvise(sm, 4096, MADV_WILLNEED));
    munmap(sm, 3 * 4096);
    pread(fd, &c, 1, 8193);
    printf("after munmap the file keeps it: %c\n", c);
    /* the last page of the file, mapped with room after it */
    char *tail = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 8192);
    printf("last page: %c ... %c\n", tail[0], tail[4095]);
    munmap(tail, 8192);
    errno = 0;
    void *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100);
    printf("unaligned offset: %s\n", bad == MAP_FAILED ? strerrorname_np(errno) : "ok");
    bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 0);
    printf("bad fd: %s\n", bad == MAP_FAILED ? strerrorname_np(errno) : "ok");
    bad = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("zero length: %s\n", bad == MAP_FAILED ? strerrorname_np(errno) : "ok");
    /* a lot of mappings, all distinct */
    void *many[200];
    int distinct = 1;
    for (int i = 0; i < 200; i++) {
        many[i] = mmap(NULL, 4096 * (1 + i % 4), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *(int *)many[i] = i;
    }
    for (int i = 0; i < 200; i++)
        if (*(int *)many[i] != i)
            distinct = 0;
    printf("200 mappings distinct: %d\n", distinct);
    for (int i = 0; i < 200; i++)
        munmap(many[i], 4096 * (1 + i % 4));
    /* a big one: 512 MiB reserved, touched sparsely */
    char *big = mmap(NULL, 512u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("512 MiB: %d\n", big != MAP_FAILED);
    if (big != MAP_FAILED) {
        for (unsigned o = 0; o < (512u << 20); o += 16u << 20)
            big[o] = 1;
        munmap(big, 512u << 20);
    }
    unlink("map.bin");
    return 0;
}
