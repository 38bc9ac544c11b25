/* ue-test: variants=s2 d0 */
/* MMX / SSE2 / SSSE3 shifts (by register, by memory, by imm8), whole-register
 * byte shifts, pshufw/pshufd/pshufhw/pshuflw, palignr, pinsrw/pextrw and
 * pmovmskb over boundary values and counts. Built without -msse: the asm
 * blocks own the SIMD registers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint8_t b[16]; } __attribute__((aligned(16))) v128;

#define NV 6
static v128 vin[NV];
static uint32_t seed = 777;
static uint32_t lcg(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static void hex(const v128 *v, int n)
{
    for (int k = n - 1; k >= 0; k--) printf("%02x", v->b[k]);
}

static void init_vectors(void)
{
    static const uint16_t w[] = {0x8000, 0x7fff, 0xffff, 0x0001, 0x8001, 0x4000, 0x00ff, 0xfedc};
    for (int k = 0; k < 16; k++) {
        vin[0].b[k] = 0xff;
        vin[1].b[k] = k * 0x11;
        vin[2].b[k] = k & 1 ? 0x80 : 0x7f;
    }
    memcpy(&vin[3], w, 16);
    for (int v = 4; v < NV; v++)
        for (int k = 0; k < 16; k++) vin[v].b[k] = lcg();
}

/* shift by a count operand: xmm register, xmm m128, mm register, m64 */
#define SHR(op)                                                                                   \
    static void op##_xr(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movdqu (%0),%%xmm1\n\tmovdqu (%1),%%xmm4\n\t" #op " %%xmm4,%%xmm1\n\t"      \
                     "movdqu %%xmm1,(%0)" ::"r"(d), "r"(s) : "memory");                          \
    }                                                                                             \
    static void op##_xm(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movdqu (%0),%%xmm6\n\t" #op " (%1),%%xmm6\n\tmovdqu %%xmm6,(%0)" ::"r"(d), \
                     "r"(s) : "memory");                                                          \
    }                                                                                             \
    static void op##_mr(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movq (%0),%%mm7\n\tmovq (%1),%%mm0\n\t" #op " %%mm0,%%mm7\n\t"              \
                     "movq %%mm7,(%0)\n\temms" ::"r"(d), "r"(s) : "memory");                     \
    }                                                                                             \
    static void op##_mm(v128 *d, const v128 *s)                                                   \
    {                                                                                             \
        asm volatile("movq (%0),%%mm2\n\t" #op " (%1),%%mm2\n\tmovq %%mm2,(%0)\n\temms" ::"r"(d), \
                     "r"(s) : "memory");                                                          \
    }
#define SHIFT_OPS(X) X(psrlw) X(psrld) X(psrlq) X(psllw) X(pslld) X(psllq) X(psraw) X(psrad)
SHIFT_OPS(SHR)

/* shift by imm8: every count in IMMS, xmm and mm forms */
#define IMMS(X, op) X(op, 0) X(op, 1) X(op, 3) X(op, 7) X(op, 8) X(op, 15) X(op, 16) X(op, 17) \
    X(op, 31) X(op, 32) X(op, 33) X(op, 63) X(op, 64) X(op, 100) X(op, 255)
#define NIMM 15
#define SHI_ONE(op, n)                                                                            \
    asm volatile("movdqu (%0),%%xmm3\n\t" #op " $" #n ",%%xmm3\n\tmovdqu %%xmm3,(%0)" ::"r"(&x[k]) : "memory"); \
    k++;
#define SHI_ONE_MM(op, n)                                                                         \
    asm volatile("movq (%0),%%mm5\n\t" #op " $" #n ",%%mm5\n\tmovq %%mm5,(%0)\n\temms" ::"r"(&x[k]) : "memory"); \
    k++;
#define SHI(op)                                                                                   \
    static void op##_imm(const v128 *in, v128 *x, v128 *m)                                        \
    {                                                                                             \
        int k = 0;                                                                                \
        for (int j = 0; j < NIMM; j++) x[j] = m[j] = *in;                                         \
        IMMS(SHI_ONE, op)                                                                         \
        k = 0;                                                                                    \
        x = m;                                                                                    \
        IMMS(SHI_ONE_MM, op)                                                                      \
    }
SHIFT_OPS(SHI)
static void psrldq_imm(const v128 *in, v128 *x, v128 *m)
{
    int k = 0;
    for (int j = 0; j < NIMM; j++) x[j] = m[j] = *in;
    IMMS(SHI_ONE, psrldq)
}
static void pslldq_imm(const v128 *in, v128 *x, v128 *m)
{
    int k = 0;
    for (int j = 0; j < NIMM; j++) x[j] = m[j] = *in;
    IMMS(SHI_ONE, pslldq)
}

struct shop { const char *name; void (*xr)(v128 *, const v128 *), (*xm)(v128 *, const v128 *),
              (*mr)(v128 *, const v128 *), (*mm)(v128 *, const v128 *); void (*imm)(const v128 *, v128 *, v128 *); };
#define SHENT(op) {#op, op##_xr, op##_xm, op##_mr, op##_mm, op##_imm},
static const struct shop shops[] = {SHIFT_OPS(SHENT)};

/* shuffles by imm8 */
#define SHUF_IMMS(X, op) X(op, 0x00) X(op, 0x1b) X(op, 0xe4) X(op, 0x4e) X(op, 0xb1) X(op, 0xff) \
    X(op, 0x39) X(op, 0x93) X(op, 0x55) X(op, 0xaa)
#define NSHUF 10
#define SHUF_X(op, n)                                                                            \
    asm volatile("movdqu (%0),%%xmm0\n\tmovdqu %%xmm7,%%xmm7\n\t" #op " $" #n ",%%xmm0,%%xmm7\n\t" \
                 "movdqu %%xmm7,(%1)\n\t" #op " $" #n ",(%0),%%xmm2\n\tmovdqu %%xmm2,(%2)"      \
                 ::"r"(in), "r"(&x[k]), "r"(&m[k]) : "memory");                                 \
    k++;
#define SHUF_M(op, n)                                                                            \
    asm volatile("movq (%0),%%mm1\n\t" #op " $" #n ",%%mm1,%%mm4\n\tmovq %%mm4,(%1)\n\t"         \
                 #op " $" #n ",(%0),%%mm6\n\tmovq %%mm6,(%2)\n\temms"                            \
                 ::"r"(in), "r"(&x[k]), "r"(&m[k]) : "memory");                                 \
    k++;
static void shuffles(const v128 *in)
{
    v128 x[NSHUF], m[NSHUF];
    int k;
#define SHUF_PRINT(name)                                                                         \
    for (int j = 0; j < k; j++) { printf(" "); hex(&x[j], 16); if (memcmp(&x[j], &m[j], 16)) printf("!mem"); } \
    printf("\n");
    k = 0; SHUF_IMMS(SHUF_X, pshufd) printf("pshufd:"); SHUF_PRINT()
    k = 0; SHUF_IMMS(SHUF_X, pshufhw) printf("pshufhw:"); SHUF_PRINT()
    k = 0; SHUF_IMMS(SHUF_X, pshuflw) printf("pshuflw:"); SHUF_PRINT()
    memset(x, 0, sizeof x); memset(m, 0, sizeof m);
    k = 0; SHUF_IMMS(SHUF_M, pshufw) printf("pshufw:"); SHUF_PRINT()
}

/* palignr: xmm and mm, register and memory */
#define ALIGN_IMMS(X) X(0) X(1) X(3) X(7) X(8) X(9) X(15) X(16) X(17) X(24) X(31) X(32) X(33) X(200)
#define NALIGN 14
#define ALIGN_X(n)                                                                               \
    asm volatile("movdqu (%0),%%xmm3\n\tmovdqu (%1),%%xmm5\n\tpalignr $" #n ",%%xmm5,%%xmm3\n\t" \
                 "movdqu %%xmm3,(%2)\n\tmovdqu (%0),%%xmm4\n\tpalignr $" #n ",(%1),%%xmm4\n\t"   \
                 "movdqu %%xmm4,(%3)\n\t"                                                         \
                 "movq (%0),%%mm2\n\tmovq (%1),%%mm3\n\tpalignr $" #n ",%%mm3,%%mm2\n\t"          \
                 "movq %%mm2,(%4)\n\tmovq (%0),%%mm5\n\tpalignr $" #n ",(%1),%%mm5\n\t"            \
                 "movq %%mm5,(%5)\n\temms"                                                        \
                 ::"r"(a), "r"(b), "r"(&r[k][0]), "r"(&r[k][1]), "r"(&r[k][2]), "r"(&r[k][3]) : "memory"); \
    k++;
static void palignr_all(const v128 *a, const v128 *b)
{
    v128 r[NALIGN][4];
    int k = 0;
    memset(r, 0, sizeof r);
    ALIGN_IMMS(ALIGN_X)
    printf("palignr:");
    for (int j = 0; j < k; j++) {
        printf(" ");
        hex(&r[j][0], 16);
        printf("/");
        hex(&r[j][2], 8);
        if (memcmp(&r[j][0], &r[j][1], 16) || memcmp(&r[j][2], &r[j][3], 8)) printf("!mem");
    }
    printf("\n");
}

/* pinsrw / pextrw (imm & 3 for mm, & 7 for xmm), pmovmskb */
#define WIMMS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(11) X(255)
#define PINS(n)                                                                                  \
    asm volatile("movdqu (%0),%%xmm6\n\tpinsrw $" #n ",%%ecx,%%xmm6\n\tmovdqu %%xmm6,(%1)\n\t"  \
                 "movdqu (%0),%%xmm1\n\tpinsrw $" #n ",(%3),%%xmm1\n\tmovdqu %%xmm1,16(%1)\n\t"  \
                 "movq (%0),%%mm4\n\tpinsrw $" #n ",%%ecx,%%mm4\n\tmovq %%mm4,32(%1)\n\t"        \
                 "movq (%0),%%mm0\n\tpinsrw $" #n ",(%3),%%mm0\n\tmovq %%mm0,40(%1)\n\t"          \
                 "movdqu (%0),%%xmm2\n\tmovl $-1,%%edx\n\tpextrw $" #n ",%%xmm2,%%edx\n\tmovl %%edx,48(%1)\n\t" \
                 "movq (%0),%%mm7\n\tmovl $-1,%%edx\n\tpextrw $" #n ",%%mm7,%%edx\n\tmovl %%edx,52(%1)\n\temms" \
                 ::"r"(in), "r"(out), "c"(0xabcd1234u), "r"(&w16) : "edx", "memory");            \
    printf("pinsrw/pextrw %d: ", n);                                                             \
    hex(&out[0], 16); printf(" "); hex(&out[1], 16); printf(" "); hex(&out[2], 8); printf(" ");  \
    hex((v128 *)&out[2].b[8], 8); printf(" %08x %08x\n", ((uint32_t *)&out[3])[0], ((uint32_t *)&out[3])[1]);
static void words(const v128 *in)
{
    v128 out[4];
    uint16_t w16 = 0x9876;
    WIMMS(PINS)
    uint32_t mx, mm;
    asm volatile("movdqu (%2),%%xmm5\n\tmovl $-1,%0\n\tpmovmskb %%xmm5,%0\n\tmovq (%2),%%mm2\n\t"
                 "movl $-1,%1\n\tpmovmskb %%mm2,%1\n\temms" : "=&r"(mx), "=&r"(mm) : "r"(in) : "memory");
    printf("pmovmskb %08x %08x\n", mx, mm);
}

int main(void)
{
    init_vectors();
    static const uint64_t counts[] = {0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 0x100000000ull,
                                      0x8000000000000001ull, 0xffffffffffffffffull};
    for (size_t o = 0; o < sizeof shops / sizeof shops[0]; o++)
        for (int v = 0; v < NV; v++) {
            printf("%s in%d:", shops[o].name, v);
            for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
                v128 s, d = vin[v], d2 = vin[v], e = vin[v], e2 = vin[v];
                memset(&s, 0xa5, 16);                      /* the upper half is ignored */
                memcpy(&s, &counts[c], 8);
                shops[o].xr(&d, &s);
                shops[o].xm(&d2, &s);
                shops[o].mr(&e, &s);
                shops[o].mm(&e2, &s);
                printf(" ");
                hex(&d, 16);
                printf("/");
                hex(&e, 8);
                if (memcmp(&d, &d2, 16) || memcmp(&e, &e2, 8)) printf("!mem");
            }
            printf("\n");
            v128 x[NIMM], m[NIMM];
            shops[o].imm(&vin[v], x, m);
            printf("%s imm in%d:", shops[o].name, v);
            for (int j = 0; j < NIMM; j++) { printf(" "); hex(&x[j], 16); printf("/"); hex(&m[j], 8); }
            printf("\n");
        }
    for (int v = 0; v < NV; v++) {
        v128 x[NIMM], m[NIMM];
        psrldq_imm(&vin[v], x, m);
        printf("psrldq in%d:", v);
        for (int j = 0; j < NIMM; j++) { printf(" "); hex(&x[j], 16); }
        pslldq_imm(&vin[v], x, m);
        printf("\npslldq in%d:", v);
        for (int j = 0; j < NIMM; j++) { printf(" "); hex(&x[j], 16); }
        printf("\n");
        shuffles(&vin[v]);
        palignr_all(&vin[v], &vin[(v + 1) % NV]);
        words(&vin[v]);
    }
    return 0;
}
