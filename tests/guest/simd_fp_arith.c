/* ue-test: variants=s2 d0 p2; cflags=-msse3 */
/* SSE/SSE2/SSE3 floating-point arithmetic and comparisons: every pair of
 * boundary values (zeros, infinities, QNaN/SNaN with payloads, denormals,
 * extremes, inexact cases) through add/sub/mul/div/min/max/sqrt/rcp/rsqrt,
 * addsub/hadd/hsub, cmp (all 8 predicates), comi/ucomi, in register and
 * memory forms, under the 4 rounding modes x {-, FTZ, DAZ, FTZ+DAZ}, with
 * MXCSR read after each instruction. Round-to-nearest without FTZ/DAZ is
 * register forms are printed in full (hex); the rest as one hash line per
 * instruction and mode. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

typedef union {
    __m128 v;
    uint32_t u[4];
    uint64_t q[2];
} __attribute__((aligned(16))) v128;

static uint32_t def_csr = 0x1f80;

/* d = INSN(d, s) with MXCSR = *csr before; *csr = MXCSR after */
#define DEF_OP(name, insn)                                                                    \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        __m128 x = d->v;                                                                      \
        if (mem)                                                                              \
            __asm__ volatile("ldmxcsr %[c]\n\t" insn " %[s], %[d]\n\tstmxcsr %[c]\n\tldmxcsr %[z]" \
                             : [d] "+x"(x), [c] "+m"(*csr) : [s] "m"(s->v), [z] "m"(def_csr));  \
        else                                                                                  \
            __asm__ volatile("ldmxcsr %[c]\n\t" insn " %[s], %[d]\n\tstmxcsr %[c]\n\tldmxcsr %[z]" \
                             : [d] "+x"(x), [c] "+m"(*csr) : [s] "x"(s->v), [z] "m"(def_csr));  \
        d->v = x;                                                                             \
    }
/* comparisons into EFLAGS: d->u[0] = the status flags after */
#define DEF_COMI(name, insn)                                                                  \
    static void name(v128 *d, const v128 *s, uint32_t *csr, int mem)                          \
    {                                                                                         \
        uint32_t f;                                                                           \
        if (mem)                                                                              \
            __asm__ volatile("ldmxcsr %[c]\n\t" insn " %[s], %[d]\n\tpushf\n\tpop %[f]\n\t"   \
                             "stmxcsr %[c]\n\tldmxcsr %[z]"                                    \
                             : [f] "=&r"(f), [c] "+m"(*csr) : [d] "x"(d->v), [s] "m"(s->v), [z] "m"(def_csr) : "cc"); \
        else                                                                                  \
            __asm__ volatile("ldmxcsr %[c]\n\t" insn " %[s], %[d]\n\tpushf\n\tpop %[f]\n\t"   \
                             "stmxcsr %[c]\n\tldmxcsr %[z]"                                    \
                             : [f] "=&r"(f), [c] "+m"(*csr) : [d] "x"(d->v), [s] "x"(s->v), [z] "m"(def_csr) : "cc"); \
        d->u[0] = f & 0x8d5;                                                                  \
    }

#define FOUR(op) DEF_OP(op_##op##ps, #op "ps") DEF_OP(op_##op##pd, #op "pd") \
                 DEF_OP(op_##op##ss, #op "ss") DEF_OP(op_##op##sd, #op "sd")
FOUR(add) FOUR(sub) FOUR(mul) FOUR(div) FOUR(min) FOUR(max) FOUR(sqrt)
DEF_OP(op_rcpps, "rcpps") DEF_OP(op_rcpss, "rcpss")
DEF_OP(op_rsqrtps, "rsqrtps") DEF_OP(op_rsqrtss, "rsqrtss")
DEF_OP(op_addsubps, "addsubps") DEF_OP(op_addsubpd, "addsubpd")
DEF_OP(op_haddps, "haddps") DEF_OP(op_haddpd, "haddpd")
DEF_OP(op_hsubps, "hsubps") DEF_OP(op_hsubpd, "hsubpd")
#define CMP8(sfx) DEF_OP(op_cmp0##sfx, "cmp" #sfx " $0,") DEF_OP(op_cmp1##sfx, "cmp" #sfx " $1,") \
    DEF_OP(op_cmp2##sfx, "cmp" #sfx " $2,") DEF_OP(op_cmp3##sfx, "cmp" #sfx " $3,")               \
    DEF_OP(op_cmp4##sfx, "cmp" #sfx " $4,") DEF_OP(op_cmp5##sfx, "cmp" #sfx " $5,")               \
    DEF_OP(op_cmp6##sfx, "cmp" #sfx " $6,") DEF_OP(op_cmp7##sfx, "cmp" #sfx " $0xff,")
CMP8(ps) CMP8(pd) CMP8(ss) CMP8(sd)
DEF_COMI(op_comiss, "comiss") DEF_COMI(op_ucomiss, "ucomiss")
DEF_COMI(op_comisd, "comisd") DEF_COMI(op_ucomisd, "ucomisd")

enum kind { PS, PD, SS, SD };
typedef void (*op_fn)(v128 *, const v128 *, uint32_t *, int);
static const struct op { const char *name; op_fn fn; enum kind k; } ops[] = {
#define E4(op) {#op "ps", op_##op##ps, PS}, {#op "pd", op_##op##pd, PD}, {#op "ss", op_##op##ss, SS}, {#op "sd", op_##op##sd, SD},
    E4(add) E4(sub) E4(mul) E4(div) E4(min) E4(max) E4(sqrt)
    {"rcpps", op_rcpps, PS}, {"rcpss", op_rcpss, SS}, {"rsqrtps", op_rsqrtps, PS}, {"rsqrtss", op_rsqrtss, SS},
    {"addsubps", op_addsubps, PS}, {"addsubpd", op_addsubpd, PD}, {"haddps", op_haddps, PS},
    {"haddpd", op_haddpd, PD}, {"hsubps", op_hsubps, PS}, {"hsubpd", op_hsubpd, PD},
#define C8(sfx, K) {"cmp0" #sfx, op_cmp0##sfx, K}, {"cmp1" #sfx, op_cmp1##sfx, K}, {"cmp2" #sfx, op_cmp2##sfx, K}, \
    {"cmp3" #sfx, op_cmp3##sfx, K}, {"cmp4" #sfx, op_cmp4##sfx, K}, {"cmp5" #sfx, op_cmp5##sfx, K},           \
    {"cmp6" #sfx, op_cmp6##sfx, K}, {"cmp7" #sfx, op_cmp7##sfx, K},
    C8(ps, PS) C8(pd, PD) C8(ss, SS) C8(sd, SD)
    {"comiss", op_comiss, SS}, {"ucomiss", op_ucomiss, SS}, {"comisd", op_comisd, SD}, {"ucomisd", op_ucomisd, SD},
};

static const uint32_t fv[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3eaaaaab, 0x7f7fffff,
    0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345, 0xffc54321, 0x7f800001, 0xffa00005,
    0x00000001, 0x807fffff, 0x00800000, 0x00c00000, 0x4f000000, 0x3f800001, 0x33800000, 0x4b800000,
};
static const uint64_t dv[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff8000000000000ull,
    0x4008000000000000ull, 0x3fd5555555555555ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff8000012345678ull,
    0xfff8000087654321ull, 0x7ff0000000000001ull, 0xfff4000000000005ull, 1, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x0018000000000000ull, 0x41e0000000000000ull, 0x3ff0000000000001ull,
    0x3ca0000000000000ull, 0x4340000000000000ull,
};
#define NF 24
#define NP (NF * NF)

static uint32_t hash;
static void mix(uint32_t v)
{
    for (int k = 0; k < 4; k++) {
        hash ^= (v >> (8 * k)) & 0xff;
        hash *= 16777619u;
    }
}

/* run op over all pairs; print each result when verbose */
static void run(const struct op *o, uint32_t ctl, int mem, int verbose)
{
    v128 d, s;
    hash = 2166136261u;
    uint32_t orflags = 0;
    int lanes = o->k == PS ? 4 : o->k == PD ? 2 : 1;
    for (int p = 0; p < NP; p += lanes) {
        for (int l = 0; l < 4; l++) { d.u[l] = 0x11111111 * (l + 1); s.u[l] = 0x7f800001; }
        for (int l = 0; l < lanes; l++) {
            int a = (p + l) / NF, b = (p + l) % NF;
            if (o->k == PS || o->k == SS) { d.u[l] = fv[a]; s.u[l] = fv[b]; }
            else { d.q[l] = dv[a]; s.q[l] = dv[b]; }
        }
        v128 din = d;
        uint32_t csr = ctl;
        o->fn(&d, &s, &csr, mem);
        orflags |= csr;
        for (int l = 0; l < 4; l++) mix(d.u[l]);
        mix(csr);
        if (verbose) {
            /* one line per packed op or per 4 scalar ops: pair (value indices) > result lanes / MXCSR */
            if (lanes > 1 || p % 4 == 0) printf("%s", o->name);
            printf(" %d.%d>", p / NF, p % NF);
            if (o->k == PS) printf("%08x %08x %08x %08x", d.u[0], d.u[1], d.u[2], d.u[3]);
            if (o->k == PD) printf("%llx %llx", (unsigned long long)d.q[0], (unsigned long long)d.q[1]);
            /* scalar forms: the upper lanes kept? */
            if (o->k == SS) printf("%x%s", d.u[0], d.u[1] == din.u[1] && d.u[2] == din.u[2] && d.u[3] == din.u[3] ? "" : "!");
            if (o->k == SD) printf("%llx%s", (unsigned long long)d.q[0], d.q[1] == din.q[1] ? "" : "!");
            printf("/%x", csr);
            if (lanes > 1 || p % 4 == 3) printf("\n");
        }
    }
    if (!verbose) printf("%-8s ctl %04x %s hash %08x mx-or %04x\n", o->name, ctl, mem ? "mem" : "reg", hash, orflags);
}

int main(int argc, char **argv)
{
    int nops = sizeof ops / sizeof ops[0];
    /* round to nearest, no FTZ/DAZ: every result */
    for (int k = 0; k < nops; k++) {
        run(&ops[k], 0x1f80, 0, 1);
        run(&ops[k], 0x1f80, 1, 0);
    }
    /* every mode: hashes */
    static const uint32_t extra[] = {0, 0x8000, 0x0040, 0x8040};
    for (int rc = 0; rc < 4; rc++)
        for (int e = 0; e < 4; e++) {
            uint32_t ctl = 0x1f80 | rc << 13 | extra[e];
            /* stale flags in: they must stay set */
            for (int k = 0; k < nops; k++) {
                run(&ops[k], ctl | (k & 1 ? 0x21 : 0), k & 2, 0);
            }
        }
    return 0;
}
