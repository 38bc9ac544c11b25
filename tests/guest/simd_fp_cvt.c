/* ue-test: variants=s2 d0 p2; cflags=-msse3 */
/* SSE/SSE2 conversions over boundary values (2^31 limits, halfway cases,
 * NaN payloads, SNaN, denormals, overflow/underflow to float) in register
 * and memory forms, under the 4 rounding modes x {-, FTZ, DAZ, FTZ+DAZ},
 * printing each result in hex and MXCSR after it. Also the MMX forms
 * (mm0 written by CVTTPD2PI, read by CVTPI2PD) and which of them switch the
 * x87 unit to MMX mode (the tag word after each). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <emmintrin.h>

typedef union {
    __m128 v;
    __m128d vd;
    uint32_t u[4];
    uint64_t q[2];
} __attribute__((aligned(16))) v128;

static uint32_t def_csr = 0x1f80;

#define PRE "ldmxcsr %[c]\n\t"
#define POST "\n\tstmxcsr %[c]\n\tldmxcsr %[z]"

/* xmm -> xmm: d = INSN(d, s) */
#define DEF_XX(name, insn)                                                                    \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        __m128 x = d->v;                                                                      \
        if (mem) __asm__ volatile(PRE insn " %[s], %[d]" POST                                 \
                                  : [d] "+x"(x), [c] "+m"(*csr) : [s] "m"(s->v), [z] "m"(def_csr)); \
        else __asm__ volatile(PRE insn " %[s], %[d]" POST                                     \
                              : [d] "+x"(x), [c] "+m"(*csr) : [s] "x"(s->v), [z] "m"(def_csr));    \
        d->v = x;                                                                             \
    }
/* xmm/m -> r32: d->u[0] */
#define DEF_X2I(name, insn)                                                                   \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        uint32_t r;                                                                           \
        if (mem) __asm__ volatile(PRE insn " %[s], %[r]" POST                                 \
                                  : [r] "=&r"(r), [c] "+m"(*csr) : [s] "m"(s->v), [z] "m"(def_csr)); \
        else __asm__ volatile(PRE insn " %[s], %[r]" POST                                     \
                              : [r] "=&r"(r), [c] "+m"(*csr) : [s] "x"(s->v), [z] "m"(def_csr));   \
        d->u[0] = r;                                                                          \
    }
/* r32/m32 -> xmm: d = INSN(d, s->u[0]) */
#define DEF_I2X(name, insn)                                                                   \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        __m128 x = d->v;                                                                      \
        if (mem) __asm__ volatile(PRE insn "l %[s], %[d]" POST                                \
                                  : [d] "+x"(x), [c] "+m"(*csr) : [s] "m"(s->u[0]), [z] "m"(def_csr)); \
        else __asm__ volatile(PRE insn " %[s], %[d]" POST                                     \
                              : [d] "+x"(x), [c] "+m"(*csr) : [s] "r"(s->u[0]), [z] "m"(def_csr));  \
        d->v = x;                                                                             \
    }
/* mm/m64 -> xmm; the register form's mm0 is loaded by CVTTPD2PI from the
 * exact doubles of s->u[0..1] */
#define DEF_M2X(name, insn)                                                                   \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        __m128 x = d->v;                                                                      \
        __m128d dbl = _mm_set_pd((int32_t)s->u[1], (int32_t)s->u[0]);                         \
        if (mem) __asm__ volatile(PRE insn " %[s], %[d]" POST "\n\temms"                     \
                                  : [d] "+x"(x), [c] "+m"(*csr) : [s] "m"(s->q[0]), [z] "m"(def_csr)); \
        else __asm__ volatile("cvttpd2pi %[b], %%mm0\n\t" PRE insn " %%mm0, %[d]" POST "\n\temms" \
                              : [d] "+x"(x), [c] "+m"(*csr) : [b] "x"(dbl), [z] "m"(def_csr) : "mm0"); \
        d->v = x;                                                                             \
    }
/* xmm/m -> mm0, read back as two exact doubles by CVTPI2PD: d */
#define DEF_X2M(name, insn)                                                                   \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        __m128d x;                                                                            \
        if (mem) __asm__ volatile(PRE insn " %[s], %%mm0" POST "\n\tcvtpi2pd %%mm0, %[o]\n\temms" \
                                  : [o] "=x"(x), [c] "+m"(*csr) : [s] "m"(s->v), [z] "m"(def_csr) : "mm0"); \
        else __asm__ volatile(PRE insn " %[s], %%mm0" POST "\n\tcvtpi2pd %%mm0, %[o]\n\temms"     \
                              : [o] "=x"(x), [c] "+m"(*csr) : [s] "x"(s->v), [z] "m"(def_csr) : "mm0"); \
        d->vd = x;                                                                            \
    }

DEF_XX(op_cvtss2sd, "cvtss2sd") DEF_XX(op_cvtps2pd, "cvtps2pd") DEF_XX(op_cvtsd2ss, "cvtsd2ss")
DEF_XX(op_cvtpd2ps, "cvtpd2ps") DEF_XX(op_cvtps2dq, "cvtps2dq") DEF_XX(op_cvttps2dq, "cvttps2dq")
DEF_XX(op_cvtpd2dq, "cvtpd2dq") DEF_XX(op_cvttpd2dq, "cvttpd2dq") DEF_XX(op_cvtdq2ps, "cvtdq2ps")
DEF_XX(op_cvtdq2pd, "cvtdq2pd")
DEF_X2I(op_cvtss2si, "cvtss2si") DEF_X2I(op_cvttss2si, "cvttss2si")
DEF_X2I(op_cvtsd2si, "cvtsd2si") DEF_X2I(op_cvttsd2si, "cvttsd2si")
DEF_I2X(op_cvtsi2ss, "cvtsi2ss") DEF_I2X(op_cvtsi2sd, "cvtsi2sd")
DEF_M2X(op_cvtpi2ps, "cvtpi2ps") DEF_M2X(op_cvtpi2pd, "cvtpi2pd")
DEF_X2M(op_cvtps2pi, "cvtps2pi") DEF_X2M(op_cvttps2pi, "cvttps2pi")
DEF_X2M(op_cvtpd2pi, "cvtpd2pi") DEF_X2M(op_cvttpd2pi, "cvttpd2pi")

enum in { F32, F64, I32 };
typedef void (*op_fn)(v128 *, const v128 *, uint32_t *, int);
static const struct op {
    const char *name;
    op_fn fn;
    enum in in;
    int lanes;   /* input values per instruction */
} ops[] = {
    {"cvtss2sd", op_cvtss2sd, F32, 1}, {"cvtps2pd", op_cvtps2pd, F32, 2}, {"cvtss2si", op_cvtss2si, F32, 1},
    {"cvttss2si", op_cvttss2si, F32, 1}, {"cvtps2dq", op_cvtps2dq, F32, 4}, {"cvttps2dq", op_cvttps2dq, F32, 4},
    {"cvtps2pi", op_cvtps2pi, F32, 2}, {"cvttps2pi", op_cvttps2pi, F32, 2},
    {"cvtsd2ss", op_cvtsd2ss, F64, 1}, {"cvtpd2ps", op_cvtpd2ps, F64, 2}, {"cvtsd2si", op_cvtsd2si, F64, 1},
    {"cvttsd2si", op_cvttsd2si, F64, 1}, {"cvtpd2dq", op_cvtpd2dq, F64, 2}, {"cvttpd2dq", op_cvttpd2dq, F64, 2},
    {"cvtpd2pi", op_cvtpd2pi, F64, 2}, {"cvttpd2pi", op_cvttpd2pi, F64, 2},
    {"cvtsi2ss", op_cvtsi2ss, I32, 1}, {"cvtsi2sd", op_cvtsi2sd, I32, 1}, {"cvtdq2ps", op_cvtdq2ps, I32, 4},
    {"cvtdq2pd", op_cvtdq2pd, I32, 2}, {"cvtpi2ps", op_cvtpi2ps, I32, 2}, {"cvtpi2pd", op_cvtpi2pd, I32, 2},
};

static const uint32_t fv[] = {
    0x00000000, 0x80000000, 0x3f000000, 0x3fc00000, 0x40200000, 0xbf000000, 0xbfc00000, 0xc0200000,
    0x3effffff, 0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, 0x7f800000, 0xff800000, 0x7fc12345,
    0x7f800001, 0xffa00005, 0x00000001, 0x807fffff, 0x7f7fffff, 0x501502f9, 0x406ccccd, 0x3eaaaaab,
};
static const uint64_t dv[] = {
    0, 0x8000000000000000ull, 0x3fe0000000000000ull, 0x3ff8000000000000ull, 0xc004000000000000ull,
    0x41dfffffffc00000ull, 0x41dfffffffe00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
    0xc1e0000000100000ull, 0xc1e0000000200000ull, 0x3ff0000010000000ull, 0x3ff0000010000004ull,
    0x7fefffffffffffffull, 0x37a16c262777579cull, 0x358dee7a4ad4b81full, 0x47effffff0000000ull,
    0x47efffffefffffffull, 0x7ff8000012345678ull, 0x7ff0000000000001ull, 1, 0xfff0000000000000ull,
    0x380fffffe0000000ull, 0xc00e666666666666ull,
};
static const uint32_t iv[] = {
    0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 16777216, 16777217, 16777219, (uint32_t)-16777217,
    0x7fffff80, 0x7fffffc0, 0x7fffffbf, 0x12345678, 0xedcba988, 3, (uint32_t)-3, 0x40000001, 0x00ffffff,
    0x7ffffffe, 100, 0x20000001, 0x00800001, 0xff7fffff,
};
#define NV 24

static void run(const struct op *o, uint32_t ctl, int mem)
{
    printf("%s %s ctl %04x:", o->name, mem ? "m" : "r", ctl);
    for (int k = 0; k < NV; k += o->lanes) {
        v128 d, s;
        for (int l = 0; l < 4; l++) { d.u[l] = 0x7f800001 + l; s.u[l] = 0x7fa00000 + l; }
        for (int l = 0; l < o->lanes; l++) {
            if (o->in == F64) s.q[l] = dv[k + l];
            else s.u[l] = o->in == F32 ? fv[k + l] : iv[k + l];
        }
        uint32_t csr = ctl;
        o->fn(&d, &s, &csr, mem);
        printf(" %08x%08x%08x%08x/%x", d.u[3], d.u[2], d.u[1], d.u[0], csr);
        if ((k / o->lanes) % 4 == 3 && k + o->lanes < NV) printf("\n ");
    }
    printf("\n");
}

/* x87 tag word and TOP after an instruction (MMX mode: TOP 0, all valid) */
static void tags(const char *what)
{
    uint16_t env[14];
    __asm__ volatile("fnstenv %0\n\tfldcw %0" : "=m"(env));
    printf("%s: sw %04x tw %04x\n", what, env[2] & 0x3800, env[4]);
}

int main(void)
{
    static const uint32_t extra[] = {0, 0x8000, 0x0040, 0x8040};
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++)
        for (int rc = 0; rc < 4; rc++)
            for (int e = 0; e < 4; e++)
                for (int mem = 0; mem < 2; mem++) run(&ops[k], 0x1f80 | rc << 13 | extra[e] | (e == 3 ? 0x3f : 0), mem);

    /* %a of a few results, through the compiler's own SSE code */
    volatile double d = 2147483647.5, dn = -2.5;
    volatile float f = 16777217.0f;
    printf("%a %d %d %a %a\n", d, (int)d, (int)dn, (double)(float)d, (double)f);

    /* which conversions are MMX instructions (x87 tags all valid, TOP 0) */
    static v128 m = {.u = {1, 2, 3, 4}};
    __m128 x = _mm_setzero_ps();
    __asm__ volatile("fninit\n\tfld1\n\tfld1");
    tags("before");
    __asm__ volatile("cvtpi2ps %1, %0" : "+x"(x) : "m"(m.q[0]));
    tags("cvtpi2ps m64");
    __asm__ volatile("emms\n\tfninit\n\tfld1\n\tfld1");
    __asm__ volatile("cvtpi2pd %1, %0" : "=x"(x) : "m"(m.q[0]));
    tags("cvtpi2pd m64");
    __asm__ volatile("fninit\n\tfld1\n\tfld1");
    __asm__ volatile("cvtps2pi %0, %%mm1" : : "m"(m.q[0]) : "mm1");
    tags("cvtps2pi m64");
    __asm__ volatile("emms\n\tfninit\n\tfld1\n\tfld1");
    __asm__ volatile("cvttpd2pi %0, %%mm2" : : "m"(m.v) : "mm2");
    tags("cvttpd2pi m128");
    __asm__ volatile("emms\n\tfninit");
    return 0;
}
