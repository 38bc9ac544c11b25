/* ue-test: variants=s2 d0; timeout=10 */
/* MAP_GROWSDOWN mappings grow down on a fault just below them (mm/mmap.c
 * expand_downwards): by exactly the touched page, far below too, as seen in
 * /proc/self/maps; not within stack_guard_gap of an accessible mapping
 * below (SIGSEGV); a syscall buffer below grows it; mprotect with
 * PROT_GROWSDOWN reaches down to its start. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define P 4096u
static sigjmp_buf jb;
static void on_segv(int s) { siglongjmp(jb, 1); }
static const char *touch(volatile char *p)
{
    if (!sigsetjmp(jb, 1)) { *p = 1; return "ok"; }
    return "SIGSEGV";
}
/* the size of the mapping holding a, from /proc/self/maps */
static long size_at(uintptr_t a)
{
    char line[256];
    unsigned long s, e;
    long n = -1;
    FILE *f = fopen("/proc/self/maps", "r");
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= a && a < e) n = (long)(e - s);
    fclose(f);
    return n;
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    /* find room: 64 MiB reserved, then freed, the grow-down page at its top */
    char *room = mmap(NULL, 64u << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(room, 64u << 20);
    char *top = room + (64u << 20) - P;
    char *g = mmap(top, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
    printf("map %s size %ld\n", g == top ? "ok" : strerror(errno), size_at((uintptr_t)top) / P);
    { const char *t = touch(top - 1); printf("touch below: %s size %ld\n", t, size_at((uintptr_t)top) / P); }
    { const char *t = touch(top - 100 * P); printf("touch 100 pages below: %s size %ld\n", t, size_at((uintptr_t)top) / P); }
    struct timespec *ts = (struct timespec *)(top - 200 * P);
    int r = clock_gettime(CLOCK_MONOTONIC, ts);
    r = r == 0 ? 0 : -errno;
    printf("syscall buffer 200 pages below: %d size %ld\n", r, size_at((uintptr_t)top) / P);
    printf("mprotect GROWSDOWN %d\n", mprotect(top, P, PROT_READ | PROT_GROWSDOWN) ? -errno : 0);
    printf("after: touch %s\n", touch(top - 150 * P));
    mprotect(top, P, PROT_READ | PROT_WRITE | PROT_GROWSDOWN);
    /* an accessible mapping 300 pages below the bottom: the growth stops
     * stack_guard_gap (256 pages) above it */
    char *bottom = top - 201 * P;
    char *low = mmap(bottom - 300 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("low map %s\n", low == bottom - 300 * P ? "ok" : strerror(errno));
    { const char *t = touch(bottom - 10 * P); printf("touch 10 below bottom: %s size %ld\n", t, size_at((uintptr_t)top) / P); }
    { const char *t = touch(bottom - 100 * P); printf("touch 100 below bottom: %s size %ld\n", t, size_at((uintptr_t)top) / P); }
    munmap(low, P);
    { const char *t = touch(bottom - 100 * P); printf("touch 100 below bottom, low gone: %s size %ld\n", t, size_at((uintptr_t)top) / P); }
    /* a hinted mmap in the gap below goes elsewhere; a fixed one works */
    char *h = mmap(bottom - 200 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("hinted map in the gap: %s\n", h == bottom - 200 * P ? "there" : "elsewhere");
    munmap(top - 400 * P, 401 * P);
    return 0;
}
