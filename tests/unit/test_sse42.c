/* The C string compare of src/cpu/simd_sse42.c (str_soft, what hosts
 * without the instruction run) against the host's PCMPxSTRx, which ue runs
 * on x86 hosts: every imm8, on strings with zeros at every place, equal
 * and near-equal elements and signed bounds, and lengths in EAX/EDX from
 * -20 to 20 and beyond. Skipped where the host lacks SSE4.2. */
#include "../../src/cpu/simd_sse42.c"

#include "unit.h"

static uint64_t rng = 0x5e42;
static uint32_t rnd(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

/* a string of bytes from a small alphabet (so elements repeat), with
 * zeros and bounds now and then */
static void fill(xr *v)
{
    static const uint8_t alpha[] = { 'a', 'b', 'c', 0x00, 0x7f, 0x80, 0xff, 0x01 };
    int kinds = 3 + rnd() % 6;
    for (int k = 0; k < 16; k++) v->b[k] = rnd() % 5 == 0 ? (uint8_t)rnd() : alpha[rnd() % kinds];
}

static uint32_t pick_len(void)
{
    switch (rnd() % 4) {
    case 0: return rnd();
    case 1: return (uint32_t)((int)(rnd() % 41) - 20);
    default: return rnd() % 17;
    }
}

int main(void)
{
    if (!__builtin_cpu_supports("sse4.2")) {
        printf("test_sse42: the host has no SSE4.2, nothing to compare\n");
        return unit_done("sse42");
    }
    long bad = 0;
    for (int round = 0; round < 3000; round++) {
        xr a, b;
        fill(&a);
        fill(&b);
        uint32_t eax = pick_len(), edx = pick_len();
        for (unsigned imm = 0; imm < 256; imm++) {
            int n;
            uint32_t fl_soft, fl_host;
            unsigned res = str_soft(&a, &b, false, 0, 0, imm, &n, &fl_soft);
            uint32_t want = host_istri(&a, &b, 0, 0, imm, &fl_host), got = str_index(res, n, imm);
            bool ok = want == got && fl_soft == fl_host;
            xr mw = host_istrm(&a, &b, 0, 0, imm, &fl_host), mg = str_mask(res, n, imm);
            ok = ok && !memcmp(&mw, &mg, 16) && fl_soft == fl_host;
            res = str_soft(&a, &b, true, eax, edx, imm, &n, &fl_soft);
            want = host_estri(&a, &b, eax, edx, imm, &fl_host);
            ok = ok && want == str_index(res, n, imm) && fl_soft == fl_host;
            mw = host_estrm(&a, &b, eax, edx, imm, &fl_host);
            mg = str_mask(res, n, imm);
            ok = ok && !memcmp(&mw, &mg, 16) && fl_soft == fl_host;
            if (!ok && bad++ < 5)
                printf("mismatch: imm %02x eax %d edx %d a %016llx%016llx b %016llx%016llx\n", imm, (int)eax, (int)edx,
                       (unsigned long long)a.q[1], (unsigned long long)a.q[0], (unsigned long long)b.q[1],
                       (unsigned long long)b.q[0]);
        }
    }
    CHECK_EQ(bad, 0);
    return unit_done("sse42");
}
