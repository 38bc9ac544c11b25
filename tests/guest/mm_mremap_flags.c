/* ue-test: variants=s2 d0; timeout=10 */
/* mremap with MREMAP_DONTUNMAP (the old range stays mapped and reads as
 * zeroes, the data moves) and the errors of mm/mremap.c's parameter checks
 * in order; mmap flags: MAP_FIXED_NOREPLACE, MAP_DROPPABLE,
 * MAP_SHARED_VALIDATE with MAP_SYNC or unknown bits, MAP_HUGETLB and
 * memfd_create(MFD_HUGETLB) (ENOMEM where the host has no huge pages), and
 * the order of mmap's checks (a closed fd before a zero length...). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "result_name.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 4
#endif

static long M(void *p) { return p == MAP_FAILED ? -errno : 0; }
static long RM(void *old, size_t ol, size_t nl, int fl, void *na)
{
    void *r = mremap(old, ol, nl, fl, na);
    return r == MAP_FAILED ? -errno : 0;
}

int main(void)
{
    const size_t P = 4096;
    char *a = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 'a', 4 * P);
    char *dst = mmap(NULL, 4 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(dst, 4 * P);
    /* DONTUNMAP to a fixed place */
    char *n = mremap(a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, dst);
    printf("DONTUNMAP fixed %s: new %c old %d\n", n == dst ? "ok" : strerror(errno), n == dst ? n[0] : '-', n == dst ? a[0] : -1);
    a[0] = 'z';
    printf("old range writable: %c\n", a[0]);
    /* DONTUNMAP to any place */
    n = mremap(a + 2 * P, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    printf("DONTUNMAP anywhere %s: new %c old %d\n", n != MAP_FAILED ? "ok" : strerror(errno), n != MAP_FAILED ? n[0] : '-', a[2 * P]);
    /* errors in check_mremap_params order */
    printf("unknown flag %s\n", en(RM(a, P, P, 8, NULL)));
    printf("unaligned %s\n", en(RM(a + 1, P, P, MREMAP_MAYMOVE, NULL)));
    printf("new len 0 %s\n", en(RM(a, P, 0, MREMAP_MAYMOVE, NULL)));
    printf("new len 4G-4K %s\n", en(RM(a, P, 0xfffff000u, MREMAP_MAYMOVE, NULL)));
    printf("DONTUNMAP without MAYMOVE %s\n", en(RM(a, P, P, MREMAP_DONTUNMAP, NULL)));
    printf("DONTUNMAP resize %s\n", en(RM(a, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL)));
    printf("DONTUNMAP unaligned hint %s\n", en(RM(a, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, (char *)dst + 1)));
    printf("DONTUNMAP overlap %s\n", en(RM(a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, a + P)));
    printf("DONTUNMAP hint past top %s\n", en(RM(a, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, (void *)0xfffff000u)));
    printf("FIXED unaligned %s\n", en(RM(a, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)dst + 1)));
    printf("FIXED without MAYMOVE %s\n", en(RM(a, P, P, MREMAP_FIXED, dst)));
    printf("unmapped old %s\n", en(RM((void *)P, P, P, MREMAP_MAYMOVE, NULL)));
    printf("DONTUNMAP unmapped old %s\n", en(RM((void *)P, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL)));
    int fd = open("mremap.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 2 * P);
    char *f = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    f[0] = 'F';
    n = mremap(f, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    printf("DONTUNMAP shared file %s: new %c old %c\n", n != MAP_FAILED ? "ok" : strerror(errno), n != MAP_FAILED ? n[0] : '-', f[0]);

    /* mmap flags */
    char *x = mmap(NULL, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("FIXED_NOREPLACE over a mapping %s\n", en(M(mmap(x + P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0))));
    munmap(x + P, P);
    printf("FIXED_NOREPLACE free %s\n", en(M(mmap(x + P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0))));
    printf("FIXED_NOREPLACE unaligned %s\n", en(M(mmap(x + 1, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0))));
    char *d = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
    printf("DROPPABLE %s\n", en(M(d)));
    if (d != MAP_FAILED) { d[0] = 1; printf("DROPPABLE data %d\n", d[0]); }
    printf("DROPPABLE file %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_DROPPABLE, fd, 0))));
    printf("SHARED_VALIDATE %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE, fd, 0))));
    printf("SHARED_VALIDATE|SYNC %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0))));
    printf("SHARED|SYNC %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_SYNC, fd, 0))));
    printf("SHARED_VALIDATE unknown bit %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE | 0x8000000, fd, 0))));
    printf("SHARED_VALIDATE anon %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0))));
    printf("PRIVATE|SYNC %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_SYNC | MAP_ANONYMOUS, -1, 0))));
    printf("HUGETLB anon %s\n", en(M(mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0))));
    printf("HUGETLB file %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_HUGETLB, fd, 0))));
    int hfd = memfd_create("huge", MFD_HUGETLB);
    printf("memfd HUGETLB %s\n", en(hfd < 0 ? -errno : 0));
    if (hfd >= 0) {
        /* a hugetlbfs file: a whole huge page, placed on one (ENOMEM without huge pages) */
        printf("ftruncate 2M %s\n", en(ftruncate(hfd, 2 << 20) ? -errno : 0));
        char *hp = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
        printf("mmap hugetlbfs 2M %s\n", en(M(hp)));
        if (hp != MAP_FAILED) { printf("aligned %d\n", ((uintptr_t)hp & ((2 << 20) - 1)) == 0); munmap(hp, 2 << 20); }
        hp = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
        printf("mmap hugetlbfs 4K %s\n", en(M(hp)));
        if (hp != MAP_FAILED) { printf("aligned %d\n", ((uintptr_t)hp & ((2 << 20) - 1)) == 0); munmap(hp, 2 << 20); }
        printf("mmap hugetlbfs HUGETLB %s\n", en(M(mmap(NULL, 2 << 20, PROT_READ, MAP_SHARED | MAP_HUGETLB, hfd, 0))));
        printf("mmap hugetlbfs fixed unaligned %s\n", en(M(mmap(x + P, 2 << 20, PROT_READ, MAP_SHARED | MAP_FIXED, hfd, 0))));
        close(hfd);
    }
    printf("HUGETLB anon 1G pages %s\n", en(M(mmap(NULL, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (30 << MAP_HUGE_SHIFT), -1, 0))));
    printf("HUGETLB anon 8K pages %s\n", en(M(mmap(NULL, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (13 << MAP_HUGE_SHIFT), -1, 0))));
    int cfd = dup(fd);
    close(cfd);
    printf("closed fd, len 0 %s\n", en(M(mmap(NULL, 0, PROT_READ, MAP_SHARED, cfd, 0))));
    printf("closed fd, bad type %s\n", en(M(mmap(NULL, P, PROT_READ, 0, cfd, 0))));
    printf("closed fd, unaligned fixed %s\n", en(M(mmap((void *)1, P, PROT_READ, MAP_SHARED | MAP_FIXED, cfd, 0))));
    printf("anon len 0 %s\n", en(M(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))));
    printf("bad type len 0 %s\n", en(M(mmap(NULL, 0, PROT_READ, MAP_ANONYMOUS, -1, 0))));
    printf("huge len %s\n", en(M(mmap(NULL, 0xfffff001u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))));
    printf("offset overflow %s\n", en(M((void *)syscall(SYS_mmap2, 0, 2 * P, PROT_READ, MAP_SHARED, fd, 0xfffffff0u))));
    printf("write-only fd %s\n", en(M(mmap(NULL, P, PROT_READ, MAP_SHARED, open("mremap.dat", O_WRONLY), 0))));
    printf("munmap len 0 %s\n", en(munmap(x, 0) ? -errno : 0));
    printf("munmap unaligned %s\n", en(munmap(x + 1, P) ? -errno : 0));
    printf("munmap past top %s\n", en(munmap((void *)0xffffe000u, 2 * P) ? -errno : 0));
    printf("mprotect unaligned %s\n", en(mprotect(x + 1, P, PROT_READ) ? -errno : 0));
    printf("mprotect bad prot %s\n", en(mprotect(x, P, 0x100) ? -errno : 0));
    printf("mprotect hole %s\n", en(mprotect((void *)P, P, PROT_READ) ? -errno : 0));
    unlink("mremap.dat");
    return 0;
}
