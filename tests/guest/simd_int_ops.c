/* ue-test: variants=s2 d0 */
/* MMX / SSE2 / SSSE3 two-operand integer ops over boundary and random lane
 * values: each op in its XMM register form, XMM aligned-memory form, MMX
 * register form and MMX memory form (mem forms summarised by a hash).
 * Built without -msse so the compiler itself uses no SIMD registers (the
 * asm blocks therefore need not list them as clobbers). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint8_t b[16]; } __attribute__((aligned(16))) v128;
typedef void (*opfn)(v128 *d, const v128 *s);

#define NV 14
static v128 vin[NV];

static uint32_t seed = 12345;
static uint32_t lcg(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static void init_vectors(void)
{
    static const uint8_t b[] = {0, 1, 2, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40, 0xc0, 0x3f};
    static const uint16_t w[] = {0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0xfffe, 0x00ff, 0xff00, 0x4000, 0xc000};
    static const uint32_t d[] = {0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x0000ffff, 0xffff0000, 0x12345678};
    for (int k = 0; k < 16; k++) {
        vin[0].b[k] = 0;
        vin[1].b[k] = 0xff;
        vin[2].b[k] = b[k % sizeof b];
        vin[3].b[k] = b[(k * 5 + 3) % sizeof b];
        vin[5].b[k] = 0x80;
        vin[6].b[k] = 0x7f;
    }
    for (int k = 0; k < 8; k++) {
        uint16_t x = w[k % 11], y = w[(k * 3 + 5) % 11], z = k & 1 ? 0x8000 : 0x7fff;
        memcpy(&vin[4].b[2 * k], &x, 2);
        memcpy(&vin[7].b[2 * k], &y, 2);
        memcpy(&vin[8].b[2 * k], &z, 2);
    }
    for (int k = 0; k < 4; k++) {
        uint32_t x = d[k % 9], y = d[(k + 5) % 9];
        memcpy(&vin[9].b[4 * k], &x, 4);
        memcpy(&vin[10].b[4 * k], &y, 4);
    }
    for (int v = 11; v < NV; v++)
        for (int k = 0; k < 16; k++) vin[v].b[k] = lcg();
}

#define BIN(op)                                                                                   \
    static void xr_##op(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movdqu (%0),%%xmm5\n\tmovdqu (%1),%%xmm2\n\t" #op " %%xmm2,%%xmm5\n\t"      \
                     "movdqu %%xmm5,(%0)" ::"r"(d), "r"(s) : "memory");          \
    }                                                                                             \
    static void xm_##op(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movdqu (%0),%%xmm7\n\t" #op " (%1),%%xmm7\n\tmovdqu %%xmm7,(%0)" ::"r"(d), \
                     "r"(s) : "memory");                                                  \
    }
#define BINMM(op)                                                                                 \
    BIN(op)                                                                                       \
    static void mr_##op(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movq (%0),%%mm3\n\tmovq (%1),%%mm6\n\t" #op " %%mm6,%%mm3\n\t"              \
                     "movq %%mm3,(%0)\n\temms" ::"r"(d), "r"(s) : "memory");       \
    }                                                                                             \
    static void mm_##op(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movq (%0),%%mm1\n\t" #op " (%1),%%mm1\n\tmovq %%mm1,(%0)\n\temms" ::"r"(d), \
                     "r"(s) : "memory");                                                   \
    }

#define OPS(X)                                                                                    \
    X(paddb) X(paddw) X(paddd) X(paddq) X(psubb) X(psubw) X(psubd) X(psubq) X(paddsb) X(paddsw)   \
    X(paddusb) X(paddusw) X(psubsb) X(psubsw) X(psubusb) X(psubusw) X(pmullw) X(pmulhw)            \
    X(pmulhuw) X(pmuludq) X(pmaddwd) X(pcmpeqb) X(pcmpeqw) X(pcmpeqd) X(pcmpgtb) X(pcmpgtw)      \
    X(pcmpgtd) X(pand) X(pandn) X(por) X(pxor) X(packsswb) X(packssdw) X(packuswb) X(punpcklbw)  \
    X(punpcklwd) X(punpckldq) X(punpckhbw) X(punpckhwd) X(punpckhdq) X(pavgb) X(pavgw)           \
    X(pminub) X(pmaxub) X(pminsw) X(pmaxsw) X(psadbw) X(pshufb) X(phaddw) X(phaddd) X(phaddsw)   \
    X(phsubw) X(phsubd) X(phsubsw) X(pmaddubsw) X(pmulhrsw) X(psignb) X(psignw) X(psignd)        \
    X(pabsb) X(pabsw) X(pabsd)
#define OPS_XMM_ONLY(X) X(punpcklqdq) X(punpckhqdq)

OPS(BINMM)
OPS_XMM_ONLY(BIN)

struct op { const char *name; opfn xr, xm, mr, mm; };
#define ENT(op) {#op, xr_##op, xm_##op, mr_##op, mm_##op},
#define ENTX(op) {#op, xr_##op, xm_##op, 0, 0},
static const struct op ops[] = {OPS(ENT) OPS_XMM_ONLY(ENTX)};

static void hex(const v128 *v, int n)
{
    for (int k = n - 1; k >= 0; k--) printf("%02x", v->b[k]);
}
static uint32_t fnv(uint32_t h, const v128 *v, int n)
{
    for (int k = 0; k < n; k++) h = (h ^ v->b[k]) * 16777619u;
    return h;
}

int main(void)
{
    init_vectors();
    for (int v = 0; v < NV; v++) { printf("in%d ", v); hex(&vin[v], 16); printf("\n"); }
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        uint32_t hx = 2166136261u, hm = 2166136261u;
        for (int a = 0; a < NV; a++) {
            printf("%s %d:", ops[o].name, a);
            for (int b = 0; b < NV; b++) {
                v128 d = vin[a], s = vin[b], d2 = vin[a];
                ops[o].xr(&d, &s);
                printf(" ");
                hex(&d, 16);
                ops[o].xm(&d2, &s);
                hx = fnv(hx, &d2, 16);
                if (ops[o].mr) {
                    v128 e = vin[a], e2 = vin[a];
                    ops[o].mr(&e, &s);
                    printf("/");
                    hex(&e, 8);
                    ops[o].mm(&e2, &s);
                    hm = fnv(hm, &e2, 8);
                }
            }
            printf("\n");
        }
        printf("%s memforms %08x %08x\n", ops[o].name, hx, hm);
    }
    return 0;
}
