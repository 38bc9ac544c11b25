/* ue-test: variants=s2 p0 */
/* CPUID leaf 0 returns (the vendor is not printed: ue mirrors the host's) and leaf 1 says
 * TSC and CX8 are there; the ID flag toggles; RDTSC increases. */
#include "x86t.h"

int main(void)
{
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    printf("cpuid 0 returned, max leaf >= 1: %s\n", a >= 1 ? "yes" : "no");
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    printf("leaf 1: tsc=%u cx8=%u cmov=%u\n", d >> 4 & 1, d >> 8 & 1, d >> 15 & 1);
    uint32_t f1, f2;
    asm volatile("pushf\n\tpop %%eax\n\tmov %%eax, %%ecx\n\txor $0x200000, %%eax\n\tpush %%eax\n\tpopf\n\t"
                 "pushf\n\tpop %%eax\n\tpush %%ecx\n\tpopf"
                 : "=a"(f1), "=c"(f2));
    printf("ID flag toggles: %s\n", (f1 ^ f2) & 0x200000 ? "yes" : "no");
    uint32_t lo0, hi0, lo1, hi1;
    asm volatile("rdtsc" : "=a"(lo0), "=d"(hi0));
    for (volatile int i = 0; i < 100000; i++)
        ;
    asm volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
    uint64_t t0 = (uint64_t)hi0 << 32 | lo0, t1 = (uint64_t)hi1 << 32 | lo1;
    printf("rdtsc increases: %s\n", t1 > t0 ? "yes" : "no");
    int mono = 1;
    for (int i = 0; i < 1000; i++) {
        asm volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
        uint64_t t = (uint64_t)hi1 << 32 | lo1;
        if (t < t1)
            mono = 0;
        t1 = t;
    }
    printf("rdtsc monotonic: %s\n", mono ? "yes" : "no");
    return 0;
}
