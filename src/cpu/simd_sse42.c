/* SSE4.2 (SDM vol.2, PCMPESTRI...; vol.1 12.10 "SSE4.2 string and text
 * instructions"): the four packed string compares and PCMPGTQ. The
 * compares are written out in C below, and run as the host's instruction
 * on x86 hosts; CRC32 and POPCNT live in bits_ext.c. Each runs only where
 * the host has SSE4.2 (host_isa.sse42): #UD otherwise, as natively. The
 * string compares' m128 operand need not be aligned; PCMPGTQ's must. */
#include "sse.h"
#include "simd_host.h"

typedef union xmm_reg xr;

#define NEED42() do { if (unlikely(!host_isa.sse42)) cpu_raise_ud(c, i); } while (0)

HANDLER(op_pcmpgtq)
{
    NEED42();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 2; k++)
        d->q[k] = (int64_t)d->q[k] > (int64_t)s.q[k] ? ~(uint64_t)0 : 0;
}

/* ---- PCMPxSTRx. imm8: [1:0] element format (unsigned bytes, unsigned
 * words, signed bytes, signed words), [3:2] aggregation, [5:4] polarity,
 * [6] most significant index / expanded mask. The first operand (ModRM.reg)
 * is a, the second (r/m) b; la, lb their valid lengths. ---- */
enum { AGG_EQUAL_ANY, AGG_RANGES, AGG_EQUAL_EACH, AGG_EQUAL_ORDERED };

/* The elements of v widened to int (signed or not as the format says). */
static int unpack(const xr *v, unsigned imm, int e[16])
{
    int n = imm & 1 ? 8 : 16;
    for (int k = 0; k < n; k++)
        switch (imm & 3) {
        case 0: e[k] = v->b[k]; break;
        case 1: e[k] = v->w[k]; break;
        case 2: e[k] = (int8_t)v->b[k]; break;
        default: e[k] = (int16_t)v->w[k]; break;
        }
    return n;
}

/* The implicit length: elements before the first zero one. */
static int implicit_len(const int e[16], int n)
{
    int k = 0;
    while (k < n && e[k]) k++;
    return k;
}

/* The explicit length: |r| saturated to n elements. */
static int explicit_len(uint32_t r, int n)
{
    uint32_t m = (int32_t)r < 0 ? -r : r;   /* 0x80000000 stays large */
    return m > (uint32_t)n ? n : (int)m;
}

/* IntRes2 of the SDM (one bit per element of b), and the flags: CF
 * IntRes2 != 0, ZF b shorter than n, SF a shorter than n, OF IntRes2[0],
 * AF PF clear. */
static unsigned pcmpstr(const int a[16], int la, const int b[16], int lb, int n, unsigned imm, uint32_t *fl)
{
    unsigned res = 0;
    switch (imm >> 2 & 3) {
    case AGG_EQUAL_ANY:      /* b[j] is one of a[0..la) */
        for (int j = 0; j < lb; j++)
            for (int k = 0; k < la; k++)
                if (a[k] == b[j]) { res |= 1u << j; break; }
        break;
    case AGG_RANGES:         /* b[j] lies in one of the ranges [a[2k], a[2k+1]] (both valid) */
        for (int j = 0; j < lb; j++)
            for (int k = 0; k + 1 < la; k += 2)
                if (a[k] <= b[j] && b[j] <= a[k + 1]) { res |= 1u << j; break; }
        break;
    case AGG_EQUAL_EACH:     /* a[j] == b[j]; both invalid: true, one invalid: false */
        for (int j = 0; j < n; j++)
            if (j < la && j < lb ? a[j] == b[j] : j >= la && j >= lb) res |= 1u << j;
        break;
    case AGG_EQUAL_ORDERED:  /* a (up to its end) starts at b[j]; a past la matches anything */
        for (int j = 0; j < n; j++) {
            bool m = true;
            for (int k = 0; m && k < la && j + k < n; k++)
                m = j + k < lb && a[k] == b[j + k];
            if (m) res |= 1u << j;
        }
        break;
    }
    unsigned all = (1u << n) - 1;
    switch (imm >> 4 & 3) {
    case 1: res ^= all; break;                  /* negative */
    case 3: res ^= (1u << lb) - 1; break;       /* masked negative: the valid part of b */
    }
    *fl = (res ? F_CF : 0) | (lb < n ? F_ZF : 0) | (la < n ? F_SF : 0) | (res & 1 ? F_OF : 0);
    return res;
}

/* ---- the outputs from IntRes2: ECX, the lowest (imm8[6] clear) or
 * highest set bit's index, n when none; XMM0, the bits zero-extended
 * (imm8[6] clear) or each widened to its element ---- */
static __attribute__((unused)) uint32_t str_index(unsigned res, int n, unsigned imm)
{
    return !res ? (uint32_t)n : imm & 0x40 ? 31 - __builtin_clz(res) : __builtin_ctz(res);
}
static __attribute__((unused)) xr str_mask(unsigned res, int n, unsigned imm)
{
    xr m = {{0}};
    if (!(imm & 0x40)) m.w[0] = (uint16_t)res;
    else if (n == 16) for (int k = 0; k < 16; k++) m.b[k] = res >> k & 1 ? 0xff : 0;
    else for (int k = 0; k < 8; k++) m.w[k] = res >> k & 1 ? 0xffff : 0;
    return m;
}

/* The whole compare in C, for explicit (EAX, EDX) or implicit
 * (zero-terminated) lengths: IntRes2, n and the flags. What non-x86 hosts
 * run; tests/unit/test_sse42.c holds it to the host's instruction. */
static __attribute__((unused)) unsigned str_soft(const xr *va, const xr *vb, bool explicit, uint32_t eax,
                                                 uint32_t edx, unsigned imm, int *n, uint32_t *fl)
{
    int a[16], b[16];
    *n = unpack(va, imm, a);
    unpack(vb, imm, b);
    int la = explicit ? explicit_len(eax, *n) : implicit_len(a, *n);
    int lb = explicit ? explicit_len(edx, *n) : implicit_len(b, *n);
    return pcmpstr(a, la, b, lb, *n, imm, fl);
}

#if defined(__x86_64__) || defined(__i386__)
/* ---- on x86 hosts the host's own instruction (it has SSE4.2 whenever
 * the guest may run these): 25-60 ns a compare on this AMD host, against
 * 360-400 ns for str_soft. The imm8 is part of the host instruction, so
 * one case per value. ---- */
#define SSE42_HOST 1
#define STR_FLAGS "=@ccc"(cf), "=@ccz"(zf), "=@ccs"(sf), "=@cco"(of)
#define STR_CASE(INSN, OUT, n, ...)                                             \
    case n: __asm__(#INSN " $" #n ", %[b], %[a]" : OUT, STR_FLAGS : [a] "x"(va), [b] "x"(vb) __VA_ARGS__); break;
#define ISTRI_CASE(n) STR_CASE(pcmpistri, "=c"(ecx), n)
#define ESTRI_CASE(n) STR_CASE(pcmpestri, "=c"(ecx), n, , "a"(eax), "d"(edx))
#define ISTRM_CASE(n) STR_CASE(pcmpistrm, "=Yz"(m), n)
#define ESTRM_CASE(n) STR_CASE(pcmpestrm, "=Yz"(m), n, , "a"(eax), "d"(edx))
#define STR_HOST(name, CASE, T, init)                                           \
    static T name(const xr *a, const xr *b, uint32_t eax, uint32_t edx, unsigned imm, uint32_t *fl) \
    {                                                                           \
        host_v128 va = host_v(*a), vb = host_v(*b), m = {0};                    \
        uint32_t ecx = 0;                                                       \
        bool cf = 0, zf = 0, sf = 0, of = 0;                                    \
        (void)eax, (void)edx, (void)m, (void)ecx;                               \
        switch (imm & 255) { C256(CASE) }                                       \
        *fl = (cf ? F_CF : 0) | (zf ? F_ZF : 0) | (sf ? F_SF : 0) | (of ? F_OF : 0); \
        return init;                                                            \
    }
STR_HOST(host_istri, ISTRI_CASE, uint32_t, ecx)
STR_HOST(host_estri, ESTRI_CASE, uint32_t, ecx)
STR_HOST(host_istrm, ISTRM_CASE, xr, guest_v(m))
STR_HOST(host_estrm, ESTRM_CASE, xr, guest_v(m))
#endif

/* PCMPxSTRI (ECX) or PCMPxSTRM (XMM0), with explicit or implicit lengths */
static void pcmpstr_op(struct cpu *c, const struct insn *i, bool explicit, bool mask)
{
    xr b = xmm_load_u(c, i), m;
    const xr *a = &c->xmm[i->reg];
    unsigned imm = i->imm & 0xff;
    uint32_t fl, ecx = 0, eax = c->r[EAX], edx = c->r[EDX];
#ifdef SSE42_HOST
    if (mask) m = (explicit ? host_estrm : host_istrm)(a, &b, eax, edx, imm, &fl);
    else ecx = (explicit ? host_estri : host_istri)(a, &b, eax, edx, imm, &fl);
#else
    int n;
    unsigned res = str_soft(a, &b, explicit, eax, edx, imm, &n, &fl);
    if (mask) m = str_mask(res, n, imm);
    else ecx = str_index(res, n, imm);
#endif
    flags_set(c, fl, F_ARITH);
    if (mask) c->xmm[0] = m;
    else c->r[ECX] = ecx;
}

HANDLER(op_pcmpestrm) { NEED42(); pcmpstr_op(c, i, true, true); }
HANDLER(op_pcmpestri) { NEED42(); pcmpstr_op(c, i, true, false); }
HANDLER(op_pcmpistrm) { NEED42(); pcmpstr_op(c, i, false, true); }
HANDLER(op_pcmpistri) { NEED42(); pcmpstr_op(c, i, false, false); }

void simd_register_sse42(void)
{
    op_set_sse(optab0f38, 0x37, 1, op_pcmpgtq, D_MODRM | D_FL_NONE | D_SZ(SZ_16));
    const uint32_t fl = D_MODRM | D_IMM8 | D_FL_WRITE | D_SZ(SZ_16);
    op_set_sse(optab0f3a, 0x60, 1, op_pcmpestrm, fl);
    op_set_sse(optab0f3a, 0x61, 1, op_pcmpestri, fl);
    op_set_sse(optab0f3a, 0x62, 1, op_pcmpistrm, fl);
    op_set_sse(optab0f3a, 0x63, 1, op_pcmpistri, fl);
}
