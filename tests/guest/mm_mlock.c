/* ue-test: variants=s2 d0 */
/* mlock/mlock2/munlock on guest ranges: the change of VmLck in
 * /proc/self/status (the process's size differs under ue; the delta must
 * not), MLOCK_ONFAULT, and the errors (flags, holes, lengths). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "result_name.h"

static long vmlck(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmLck: %ld", &kb) == 1) break;
    fclose(f);
    return kb;
}
#define R(x) ((x) ? -errno : 0)

int main(void)
{
    const size_t K64 = 64 * 1024;
    char *p = mmap(NULL, 4 * K64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long base = vmlck();
    long r = R(mlock(p, K64));
    printf("mlock 64K %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    r = R(mlock(p + 100, 10));   /* already locked, unaligned start */
    printf("mlock again %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    r = R(munlock(p, K64));
    printf("munlock %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    r = R(syscall(SYS_mlock2, p + K64, K64, MLOCK_ONFAULT));
    printf("mlock2 ONFAULT %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    r = R(syscall(SYS_mlock2, p + 2 * K64, K64, 0));
    printf("mlock2 0 %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    printf("mlock2 bad flags %s\n", en(R(syscall(SYS_mlock2, p, K64, 2))));
    r = R(munlock(p, 4 * K64));
    printf("munlock all %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    r = R(mlock(p + 4095, 2));
    printf("mlock odd length %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    munlock(p, 4 * K64);
    printf("mlock len 0 %s\n", en(R(mlock(p, 0))));
    printf("mlock hole %s\n", en(R(mlock((void *)4096, 4096))));
    printf("mlock2 hole bad flags %s\n", en(R(syscall(SYS_mlock2, 4096, 4096, 2))));
    munmap(p + K64, K64);
    r = R(mlock(p, 3 * K64));
    printf("mlock across a hole %s: VmLck +%ld kB\n", en(r), vmlck() - base);
    printf("munlock across a hole %s\n", en(R(munlock(p, 3 * K64))));
    printf("munlock hole %s\n", en(R(munlock((void *)4096, 4096))));
    printf("mlock past top %s\n", en(R(mlock((void *)0xfffff000u, 8192))));
    printf("mlockall 0 %s\n", en(R(mlockall(0))));
    printf("mlockall 8 %s\n", en(R(mlockall(8))));
    printf("mlockall ONFAULT alone %s\n", en(R(mlockall(MCL_ONFAULT))));
    long before = vmlck();
    r = R(mlockall(MCL_FUTURE));
    char *q = mmap(NULL, K64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mlockall FUTURE %s: a new 64K mapping VmLck +%ld kB\n", en(r), vmlck() - before);
    munmap(q, K64);
    r = R(mlockall(MCL_FUTURE | MCL_ONFAULT));
    q = mmap(NULL, K64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mlockall FUTURE|ONFAULT %s: VmLck +%ld kB\n", en(r), vmlck() - before);
    q[0] = 1;
    printf("touched: VmLck +%ld kB\n", vmlck() - before);
    munmap(q, K64);
    r = R(munlockall());
    q = mmap(NULL, K64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("munlockall %s: a new mapping VmLck +%ld kB\n", en(r), vmlck() - before);
    munmap(q, K64);
    before = vmlck();
    r = R(mlockall(MCL_CURRENT));
    printf("mlockall CURRENT %s: VmLck grew %d\n", en(r), vmlck() > before);
    r = R(munlockall());
    printf("munlockall %s: VmLck %ld\n", en(r), vmlck());
    return 0;
}
