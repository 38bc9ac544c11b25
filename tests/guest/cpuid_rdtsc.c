/* ue-test: variants=s2 p0 */
/* CPUID leaf 0 returns and leaf 1 says TSC and CX8 are there; the vendor and
 * brand strings are the host's; the ID flag toggles; RDTSC increases. */
#include "x86t.h"

int main(void)
{
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    printf("cpuid 0 returned, max leaf >= 1: %s\n", a >= 1 ? "yes" : "no");
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    printf("leaf 1: tsc=%u cx8=%u cmov=%u\n", d >> 4 & 1, d >> 8 & 1, d >> 15 & 1);
    /* the vendor and brand strings are the host's */
    unsigned w[12];
    __asm__ volatile("cpuid" : "=a"(w[0]), "=b"(w[1]), "=c"(w[3]), "=d"(w[2]) : "a"(0));
    printf("vendor: %.4s%.4s%.4s\n", (char *)&w[1], (char *)&w[2], (char *)&w[3]);
    __asm__ volatile("cpuid" : "=a"(a) : "a"(0x80000000u) : "ebx", "ecx", "edx");
    if (a >= 0x80000004u) {
        for (unsigned k = 0; k < 3; k++)
            __asm__ volatile("cpuid" : "=a"(w[4 * k]), "=b"(w[4 * k + 1]), "=c"(w[4 * k + 2]), "=d"(w[4 * k + 3])
                             : "a"(0x80000002u + k));
        printf("brand: %.48s\n", (char *)w);
    }
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
