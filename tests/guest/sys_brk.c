/* ue-test: variants=all */
/* brk/sbrk: sbrk(0) is stable, growing returns the old break, the new memory
 * is zeroed and writable, shrinking and growing again zeroes the pages given
 * back, a request that cannot fit fails with ENOMEM, raw brk(0) returns the
 * current break and a too low brk leaves it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    /* stdio must not allocate from the heap between the sbrk calls */
    static char obuf[4096];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    char *b0 = sbrk(0);
    printf("sbrk(0) stable: %d\n", sbrk(0) == b0);
    char *old = sbrk(100000);
    printf("sbrk(100000) returns old break: %d\n", old == b0);
    char *b1 = sbrk(0);
    printf("break moved by 100000: %d\n", b1 - b0 == 100000);
    int zero = 1;
    for (int i = 0; i < 100000; i++)
        if (old[i])
            zero = 0;
    printf("new memory zeroed: %d\n", zero);
    memset(old, 0x5a, 100000);
    printf("writable: %d\n", old[99999] == 0x5a);
    sbrk(-50000);
    char *b2 = sbrk(0);
    printf("shrunk by 50000: %d\n", b2 - b0 == 50000);
    sbrk(50000);
    /* whole pages given back and taken again come back zeroed */
    uintptr_t from = ((uintptr_t)old + 50000 + 4095) & ~(uintptr_t)4095;
    zero = 1;
    for (char *q = (char *)from; q < old + 100000; q++)
        if (*q)
            zero = 0;
    printf("regrown pages zeroed again: %d\n", zero);
    printf("first half kept: %d\n", old[0] == 0x5a && old[40000] == 0x5a);
    /* 2 GiB twice cannot fit in a 32-bit address space */
    errno = 0;
    void *r1 = sbrk(0x7ff00000);
    void *r2 = sbrk(0x7ff00000);
    printf("two 2 GiB sbrk: one fails: %d %s\n", r1 == (void *)-1 || r2 == (void *)-1, strerrorname_np(errno));
    if (r2 != (void *)-1)
        sbrk(-0x7ff00000);
    if (r1 != (void *)-1)
        sbrk(-0x7ff00000);
    long cur = syscall(SYS_brk, 0);
    printf("raw brk(0) == sbrk(0): %d\n", (char *)cur == (char *)sbrk(0));
    long set = syscall(SYS_brk, cur + 8192);
    printf("raw brk grows: %d\n", set == cur + 8192);
    long bad = syscall(SYS_brk, 1);
    printf("raw brk too low returns current: %d\n", bad == cur + 8192);
    return 0;
}
