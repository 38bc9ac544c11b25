/* ue-test: variants=s2 d0; timeout=10 */
/* madvise advice values on guest memory: DONTNEED zeroes private anonymous
 * pages, FREE, WIPEONFORK/KEEPONFORK (the child sees zeroes or the data),
 * DONTFORK (the child has no such mapping: maps, a fault, a fresh mmap
 * there), POPULATE_READ/WRITE, COLD/PAGEOUT, GUARD_INSTALL/REMOVE (a guard
 * page faults with SIGSEGV; a syscall reading it gets EFAULT), unknown
 * values; process_madvise on itself; remap_file_pages on a shared file
 * mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_name.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

static long mad(void *p, size_t n, int a) { return madvise(p, n, a) ? -errno : 0; }

static sigjmp_buf jb;
static volatile int sig, code;
static void on_segv(int s, siginfo_t *si, void *uc) { sig = s; code = si->si_code; siglongjmp(jb, 1); }
static const char *touch(volatile char *p, int write)
{
    sig = 0;
    if (!sigsetjmp(jb, 1)) {
        if (write) *p = 1; else (void)*p;
        return "ok";
    }
    return code == SEGV_MAPERR ? "SIGSEGV MAPERR" : code == SEGV_ACCERR ? "SIGSEGV ACCERR" : "SIGSEGV other";
}

static int in_maps(void *p)
{
    char line[256];
    FILE *f = fopen("/proc/self/maps", "r");
    unsigned long a = (uintptr_t)p, s, e;
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= a && a < e) found = 1;
    fclose(f);
    return found;
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
    sigaction(SIGSEGV, &sa, NULL);
    char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 'x', 8 * 4096);
    long r = mad(p, 4096, MADV_DONTNEED);
    printf("DONTNEED %s: %d %c\n", en(r), p[0], p[4096]);
    r = mad(p + 4096, 4096, MADV_FREE);
    printf("FREE %s: %s\n", en(r), p[4096] == 'x' || p[4096] == 0 ? "x or 0" : "other");
    printf("WILLNEED %s\n", en(mad(p, 8 * 4096, MADV_WILLNEED)));
    printf("COLD %s PAGEOUT %s\n", en(mad(p, 4096, MADV_COLD)), en(mad(p + 2 * 4096, 4096, MADV_PAGEOUT)));
    printf("after PAGEOUT %c\n", p[2 * 4096]);
    printf("POPULATE_READ %s POPULATE_WRITE %s\n", en(mad(p, 8 * 4096, MADV_POPULATE_READ)), en(mad(p, 8 * 4096, MADV_POPULATE_WRITE)));
    printf("SEQUENTIAL %s RANDOM %s NORMAL %s\n", en(mad(p, 4096, MADV_SEQUENTIAL)), en(mad(p, 4096, MADV_RANDOM)),
           en(mad(p, 4096, MADV_NORMAL)));
    printf("MERGEABLE %s UNMERGEABLE %s\n", en(mad(p, 4096, MADV_MERGEABLE)), en(mad(p, 4096, MADV_UNMERGEABLE)));
    printf("HUGEPAGE %s NOHUGEPAGE %s\n", en(mad(p, 4096, MADV_HUGEPAGE)), en(mad(p, 4096, MADV_NOHUGEPAGE)));
    printf("DONTDUMP %s DODUMP %s\n", en(mad(p, 4096, MADV_DONTDUMP)), en(mad(p, 4096, MADV_DODUMP)));
    printf("REMOVE on private %s\n", en(mad(p, 4096, MADV_REMOVE)));
    printf("unknown 77 %s\n", en(mad(p, 4096, 77)));
    printf("unaligned %s\n", en(mad(p + 1, 4096, MADV_DONTNEED)));
    printf("len 0 %s\n", en(mad(p, 0, MADV_DONTNEED)));
    printf("unmapped %s\n", en(mad((void *)4096, 4096, MADV_DONTNEED)));

    /* WIPEONFORK / KEEPONFORK / DONTFORK */
    char *w = p + 3 * 4096, *k = p + 4 * 4096, *d = p + 5 * 4096;
    memset(w, 'w', 4096);
    memset(k, 'k', 4096);
    memset(d, 'd', 4096);
    printf("WIPEONFORK %s\n", en(mad(w, 4096, MADV_WIPEONFORK)));
    printf("WIPEONFORK+KEEPONFORK %s %s\n", en(mad(k, 4096, MADV_WIPEONFORK)), en(mad(k, 4096, MADV_KEEPONFORK)));
    printf("DONTFORK %s\n", en(mad(d, 4096, MADV_DONTFORK)));
    int sh = open("madv.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(sh, 4096);
    char *f = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, sh, 0);
    printf("WIPEONFORK on a file %s\n", en(mad(f, 4096, MADV_WIPEONFORK)));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: wiped %d kept %d\n", w[0], k[0]);
        printf("child: dontfork in maps %d, touch %s\n", in_maps(d), touch(d, 0));
        char *m = mmap(d, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        printf("child: map there %s\n", m == d ? "ok" : strerror(errno));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent: %c %c %c\n", w[0], k[0], d[0]);
    printf("DOFORK %s\n", en(mad(d, 4096, MADV_DOFORK)));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        printf("child: after DOFORK %c\n", d[0]);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* guard pages */
    char *g = p + 6 * 4096;
    g[0] = 'g';
    r = mad(g, 4096, MADV_GUARD_INSTALL);
    printf("GUARD_INSTALL %s\n", en(r));
    if (r == 0) {
        printf("read guard: %s\n", touch(g, 0));
        printf("write guard: %s\n", touch(g, 1));
        int pf[2];
        pipe(pf);
        printf("write(2) from guard: %s\n", en(write(pf[1], g, 4) < 0 ? -errno : 4));
        r = mad(g, 4096, MADV_GUARD_REMOVE);
        printf("GUARD_REMOVE %s: %d\n", en(r), g[0]);
        printf("GUARD on a file %s\n", en(mad(f, 4096, MADV_GUARD_INSTALL)));
    }

    /* process_madvise on itself */
    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    struct iovec v[2] = { { p, 4096 }, { p + 2 * 4096, 8192 } };
    printf("process_madvise COLD %s\n", en(syscall(SYS_process_madvise, pidfd, v, 2, MADV_COLD, 0) < 0 ? -errno : 0));
    long n = syscall(SYS_process_madvise, pidfd, v, 2, MADV_PAGEOUT, 0);
    printf("process_madvise PAGEOUT %s\n", en(n < 0 ? -errno : n));
    printf("process_madvise flags %s\n", en(syscall(SYS_process_madvise, pidfd, v, 2, MADV_COLD, 1) < 0 ? -errno : 0));
    printf("process_madvise bad vec %s\n", en(syscall(SYS_process_madvise, pidfd, NULL, 2, MADV_COLD, 0) < 0 ? -errno : 0));
    printf("process_madvise bad fd %s\n", en(syscall(SYS_process_madvise, 99, v, 2, MADV_COLD, 0) < 0 ? -errno : 0));
    printf("process_madvise 2000 %s\n", en(syscall(SYS_process_madvise, pidfd, v, 2000, MADV_COLD, 0) < 0 ? -errno : 0));

    /* remap_file_pages: the second page of the mapping shows the file's first */
    ftruncate(sh, 3 * 4096);
    munmap(f, 4096);
    f = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, sh, 0);
    f[0] = 'A'; f[4096] = 'B'; f[8192] = 'C';
    r = syscall(SYS_remap_file_pages, f + 4096, 4096, 0, 0, 0);
    r = r < 0 ? -errno : r;
    printf("remap_file_pages %s: %c %c %c\n", en(r), f[0], f[4096], f[8192]);
    printf("remap_file_pages prot %s\n", en(syscall(SYS_remap_file_pages, f, 4096, 1, 0, 0) < 0 ? -errno : 0));
    printf("remap_file_pages private %s\n", en(syscall(SYS_remap_file_pages, p, 4096, 0, 0, 0) < 0 ? -errno : 0));
    printf("remap_file_pages unmapped %s\n", en(syscall(SYS_remap_file_pages, 4096, 4096, 0, 0, 0) < 0 ? -errno : 0));
    printf("remap_file_pages size 0 %s\n", en(syscall(SYS_remap_file_pages, f, 0, 0, 0, 0) < 0 ? -errno : 0));
    printf("remap_file_pages past end %s\n", en(syscall(SYS_remap_file_pages, f, 4 * 4096, 0, 0, 0) < 0 ? -errno : 0));
    FILE *mf = fopen("/proc/self/maps", "r");
    char line[256];
    while (fgets(line, sizeof line, mf))
        if (strstr(line, "madv.dat")) { unsigned long s, e, o; sscanf(line, "%lx-%lx %*s %lx", &s, &e, &o); printf("maps: +%lx %lx offset %lx\n", s - (uintptr_t)f, e - s, o); }
    fclose(mf);
    unlink("madv.dat");
    return 0;
}
