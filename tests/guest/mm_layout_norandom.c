/* ue-test: variants=s2 d2 p2 */
/* The layout without address randomisation (personality ADDR_NO_RANDOMIZE,
 * set here and kept across execve, as setarch -R does): [stack] ends at
 * STACK_TOP 0xffffe000, the vDSO and the first mmap without a hint go below
 * mmap_base, which sits below the stack by the RLIMIT_STACK at exec (at least
 * 128 MiB, else the limit plus the 1 MiB guard gap, at most 5/6 of the space
 * when unlimited). Exact addresses, exec'd with three limits, then with
 * ADDR_COMPAT_LAYOUT (bottom-up from 0x55555000). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

static void show(const char *stage)
{
    static char maps[1 << 16];
    unsigned long lo = 0, hi = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    size_t len = fread(maps, 1, sizeof maps - 1, f);
    fclose(f);
    maps[len] = 0;
    char *s = strstr(maps, "[stack]");
    if (s) {
        while (s > maps && s[-1] != '\n') s--;
        sscanf(s, "%lx-%lx", &lo, &hi);
    }
    void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *big = mmap(NULL, 64 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("%s: [stack] ends at 0x%08lx, vdso at 0x%08lx, first mmap at %p, then 64 MiB at %p\n", stage, hi,
           getauxval(AT_SYSINFO_EHDR), m, big);
}

static void run_with_limit(const char *argv0, const char *next, rlim_t limit)
{
    struct rlimit rl = { limit, RLIM_INFINITY };
    if (setrlimit(RLIMIT_STACK, &rl)) perror("setrlimit");
    fflush(stdout);
    execl("/proc/self/exe", argv0, next, (char *)NULL);
    perror("execl");
    exit(1);
}

int main(int argc, char **argv)
{
    int pers = personality(0xffffffff);
    if (argc < 2) {
        if (personality(pers | ADDR_NO_RANDOMIZE) < 0) perror("personality");
        run_with_limit(argv[0], "8m", 8 << 20);
    }
    printf("ADDR_NO_RANDOMIZE kept across exec: %d\n", !!(pers & ADDR_NO_RANDOMIZE));
    show(argv[1]);
    if (!strcmp(argv[1], "8m")) run_with_limit(argv[0], "300m", 300 << 20);
    if (!strcmp(argv[1], "300m")) run_with_limit(argv[0], "unlimited", RLIM_INFINITY);
    if (!strcmp(argv[1], "unlimited")) {
        /* the legacy layout: bottom-up from TASK_UNMAPPED_BASE (PAGE_ALIGN(TASK_SIZE / 3)) */
        personality(pers | ADDR_COMPAT_LAYOUT);
        run_with_limit(argv[0], "legacy", 8 << 20);
    }
    return 0;
}
