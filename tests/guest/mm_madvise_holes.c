/* ue-test: variants=s2 d0 */
/* madvise over ranges with holes, as madvise_walk_vmas does it: the
 * mappings are advised in order, a hole only makes the result ENOMEM at
 * the end, and the first mapping that refuses the advice ends the walk
 * with its error. MADV_REMOVE works on shared memory and is EINVAL on a
 * private mapping; a hole before a shared page still lets the page be
 * emptied. (ue advised its own reservation of the hole, private memory:
 * EINVAL, and the page after it kept its bytes.) Found by the sys fuzzer
 * (seed 0xb00e: madvise(30128000, c000, MADV_REMOVE)). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static char *base;

/* pages: 0 private, 1 hole, 2 shared, 3 hole, 4 shared, 5 hole (to the end) */
static void setup(void)
{
    munmap(base, 6 * 4096);
    if (mmap(base, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != base ||
        mmap(base + 2 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != base + 2 * 4096 ||
        mmap(base + 4 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != base + 4 * 4096)
        _exit(1);
    base[0] = 'p';
    base[2 * 4096] = 's';
    base[4 * 4096] = 't';
}

static void try(const char *what, int from, int pages, int advice)
{
    setup();
    errno = 0;
    int r = madvise(base + from * 4096, pages * 4096, advice);
    printf("%-40s -> %d %s; pages 0, 2, 4 hold %d %d %d\n", what, r, r ? strerrorname_np(errno) : "",
           base[0], base[2 * 4096], base[4 * 4096]);
}

int main(void)
{
    base = mmap(NULL, 6 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 1;
    try("REMOVE: hole, shared", 1, 2, MADV_REMOVE);
    try("REMOVE: shared, hole, shared", 2, 3, MADV_REMOVE);
    try("REMOVE: shared, hole, shared, hole", 2, 4, MADV_REMOVE);
    try("REMOVE: private, hole, shared", 0, 3, MADV_REMOVE);
    try("REMOVE: hole only", 1, 1, MADV_REMOVE);
    try("DONTNEED: all six", 0, 6, MADV_DONTNEED);
    try("POPULATE_WRITE: hole, shared", 1, 2, MADV_POPULATE_WRITE);
    try("POPULATE_WRITE: shared, hole", 2, 2, MADV_POPULATE_WRITE);
    return 0;
}
