/* ue-test: variants=s2 p0 */
/* LOOP LOOPE LOOPNE JECXZ and their 16-bit-count forms (0x67: CX), counting
 * iterations; LOOP leaves the flags alone. */
#include "x86t.h"

int main(void)
{
    /* (ECX=0 would run the 32-bit LOOP 2^32 times: only the 16-bit form gets it.) */
    static const uint32_t counts[] = {0, 1, 2, 5, 0x10000, 0x10003};
    for (int k = 0; k < NV(counts); k++) {
        uint32_t a, c, d, f;
        /* EDX counts iterations; the body does not touch flags (lea). */
        if (counts[k] != 0) {
            a = 0; c = counts[k]; d = 0;
            X86_RUN_A("1: lea 1(%%edx), %%edx\n\tloop 1b", F_BASE | F_ZF, a, c, d, f);
            printf("loop     ecx0=%08x -> iters=%u ecx=%08x f=%03x\n", counts[k], d, c, f & F_VISIBLE);
        }
        {
            a = 0; c = counts[k]; d = 0;
            X86_RUN_A("1: lea 1(%%edx), %%edx\n\taddr16 loop 1b", F_BASE, a, c, d, f);
            printf("loopw    ecx0=%08x -> iters=%u ecx=%08x f=%03x\n", counts[k], d, c, f & F_VISIBLE);
        }
        a = 0; c = counts[k]; d = 0;
        X86_RUN_A("jecxz 2f\n\tmov $1, %%edx\n2:", F_BASE, a, c, d, f);
        printf("jecxz    ecx0=%08x -> fallthrough=%u\n", counts[k], d);
        a = 0; c = counts[k]; d = 0;
        X86_RUN_A("jcxz 2f\n\tmov $1, %%edx\n2:", F_BASE, a, c, d, f);
        printf("jcxz     ecx0=%08x -> fallthrough=%u\n", counts[k], d);
    }
    /* LOOPE runs while ZF=1, LOOPNE while ZF=0: compare EAX with a value
     * reached after 3 iterations. */
    for (int stop = 0; stop < 6; stop++) {
        uint32_t a = 0, c = 10, d = stop, f;
        X86_RUN_A("1: inc %%eax\n\tcmp %%edx, %%eax\n\tloopne 1b", F_BASE, a, c, d, f);
        printf("loopne stop=%d -> eax=%u ecx=%u zf=%d\n", stop, a, c, !!(f & F_ZF));
        a = 0; c = 10; d = stop;
        X86_RUN_A("1: inc %%eax\n\tcmp %%edx, %%eax\n\tloope 1b", F_BASE, a, c, d, f);
        printf("loope  stop=%d -> eax=%u ecx=%u zf=%d\n", stop, a, c, !!(f & F_ZF));
        /* loope: eax counts down from stop to 0: equal while eax==edx */
        a = stop; c = 10; d = 0;
        X86_RUN_A("1: cmp %%eax, %%eax\n\tloope 1b", F_BASE, a, c, d, f);
        printf("loope-all stop=%d -> ecx=%u zf=%d\n", stop, c, !!(f & F_ZF));
    }
    return 0;
}
