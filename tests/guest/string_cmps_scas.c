/* ue-test: variants=s2 p0 d2 */
/* CMPS and SCAS b/w/d with REPE and REPNE, both directions: where they stop,
 * ECX/ESI/EDI after, and the flags of the last comparison (unchanged for a
 * count of zero).  Every scan stays inside a[] and b[]: up to 200 dwords
 * (800 bytes) from FWD upwards or from BACK downwards. */
#include "strop.h"

#define FWD 8
#define BACK 1600
static uint8_t a[BACK + 8], b[BACK + 8];

int main(void)
{
    static const uint32_t counts[] = {0, 1, 7, 64, 200};
    static const int diffs[] = {-1, 0, 1, 5, 63, 100};
    for (int c = 0; c < NV(counts); c++)
        for (int d = 0; d < NV(diffs); d++)
            for (int back = 0; back < 2; back++)
                for (int fl = 0; fl < NFLAGS_IN; fl++) {
                    uint32_t n = counts[c], fin = flags_in[fl] | (back ? F_DF : 0);
                    for (int i = 0; i < (int)sizeof a; i++)
                        a[i] = b[i] = (uint8_t)(i * 13);
                    if (diffs[d] >= 0) {
                        /* The difference sits diffs[d] elements from the start in the scan direction. */
                        int at = back ? BACK - diffs[d] : FWD + diffs[d];
                        b[at] ^= 0x80;
                    }
                    uint8_t *pa = back ? a + BACK : a + FWD, *pb = back ? b + BACK : b + FWD;
                    struct sregs r;
#define T(name, code, eax)                                                     \
    r = (struct sregs){eax, n, (uint32_t)pa, (uint32_t)pb, fin};               \
    STR_RUN(code, r);                                                          \
    printf("%-12s %s n=%-3u diff=%-3d fi=%03x -> ecx=%08x dsi=%+d ddi=%+d f=%03x\n", name, back ? "std" : "cld", \
           (unsigned)n, diffs[d], fin, r.c, (int)(r.s - (uint32_t)pa), (int)(r.d - (uint32_t)pb), r.f & F_VISIBLE);
                    T("repe cmpsb", "repe cmpsb", 0)
                    T("repe cmpsw", "repe cmpsw", 0)
                    T("repe cmpsl", "repe cmpsl", 0)
                    T("repne cmpsb", "repne cmpsb", 0)
                    T("cmpsb", "cmpsb", 0)
                    T("cmpsl", "cmpsl", 0)
                    /* scas compares AL/AX/EAX with [EDI]: search for b's changed byte */
                    T("repne scasb", "repne scasb", (uint32_t)(back ? (uint8_t)(b[BACK - (diffs[d] < 0 ? 0 : diffs[d])]) : (uint8_t)(b[FWD + (diffs[d] < 0 ? 0 : diffs[d])])))
                    T("repe scasb", "repe scasb", (uint32_t)(uint8_t)(pb[0]))
                    T("repne scasw", "repne scasw", 0x8080)
                    T("repe scasl", "repe scasl", 0x12345678)
                    T("scasl", "scasl", 0x12345678)
#undef T
                }
    /* strlen idiom */
    static char s[] = "hello, string instructions";
    struct sregs r = {0, 0xffffffff, 0, (uint32_t)s, F_BASE};
    STR_RUN("repne scasb", r);
    printf("strlen idiom: %u\n", (unsigned)(~r.c - 1));
    return 0;
}
