/* SSE4.1 (SDM vol.2): the packed integer ops, blends, inserts and extracts
 * in plain C; ROUNDPS/PD/SS/SD and DPPS/DPPD on the host (simd_fp_host.h),
 * so results and exception flags are the host's bit for bit. Each runs
 * only where the host has SSE4.1 (host_isa.sse41): #UD otherwise, as
 * natively. Legacy-SSE m128 operands must be 16-byte aligned
 * (xmm_load_arith; MOVNTDQA always); the narrower ones need not be. */
#include "simd_fp_host.h"
#include "simd_host.h"

typedef union xmm_reg xr;

#define NEED41() do { if (unlikely(!host_isa.sse41)) cpu_raise_ud(c, i); } while (0)

/* ---- PMOVSX / PMOVZX: the low 8, 4 or 2 bytes of the source widened ---- */
static uint64_t load_low(struct cpu *c, const struct insn *i, int bytes)
{
    if (i->mod3) return c->xmm[i->rm].q[0];
    guest_addr a = ea(c, i);
    return bytes == 8 ? ld64(a) : bytes == 4 ? ld32(a) : ld16(a);
}
#define PMOVX(name, bytes, ST, TT, SF, TF)                                      \
    HANDLER(op_##name)                                                          \
    {                                                                           \
        NEED41();                                                               \
        xr s, d;                                                                \
        s.q[0] = load_low(c, i, bytes);                                         \
        for (int k = 0; k < 16 / (int)sizeof(TT); k++) d.TF[k] = (TT)(ST)s.SF[k]; \
        c->xmm[i->reg] = d;                                                     \
    }
PMOVX(pmovsxbw, 8, int8_t, uint16_t, b, w)
PMOVX(pmovsxbd, 4, int8_t, uint32_t, b, d)
PMOVX(pmovsxbq, 2, int8_t, uint64_t, b, q)
PMOVX(pmovsxwd, 8, int16_t, uint32_t, w, d)
PMOVX(pmovsxwq, 4, int16_t, uint64_t, w, q)
PMOVX(pmovsxdq, 8, int32_t, uint64_t, d, q)
PMOVX(pmovzxbw, 8, uint8_t, uint16_t, b, w)
PMOVX(pmovzxbd, 4, uint8_t, uint32_t, b, d)
PMOVX(pmovzxbq, 2, uint8_t, uint64_t, b, q)
PMOVX(pmovzxwd, 8, uint16_t, uint32_t, w, d)
PMOVX(pmovzxwq, 4, uint16_t, uint64_t, w, q)
PMOVX(pmovzxdq, 8, uint32_t, uint64_t, d, q)

/* ---- lane-wise two-operand ops: d = f(d, s) ---- */
#define LANES(name, F, T, expr)                                                 \
    HANDLER(op_##name)                                                          \
    {                                                                           \
        NEED41();                                                               \
        xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];                      \
        for (int k = 0; k < 16 / (int)sizeof d->F[0]; k++) {                    \
            T a = (T)d->F[k], b = (T)s.F[k];                                    \
            d->F[k] = (expr);                                                   \
        }                                                                       \
    }
LANES(pminsb, b, int8_t, a < b ? a : b)
LANES(pminsd, d, int32_t, a < b ? a : b)
LANES(pminuw, w, uint16_t, a < b ? a : b)
LANES(pminud, d, uint32_t, a < b ? a : b)
LANES(pmaxsb, b, int8_t, a > b ? a : b)
LANES(pmaxsd, d, int32_t, a > b ? a : b)
LANES(pmaxuw, w, uint16_t, a > b ? a : b)
LANES(pmaxud, d, uint32_t, a > b ? a : b)
LANES(pmulld, d, uint32_t, a * b)
LANES(pcmpeqq, q, uint64_t, a == b ? ~(uint64_t)0 : 0)

HANDLER(op_pmuldq)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 2; k++)
        d->q[k] = (uint64_t)((int64_t)(int32_t)d->d[2 * k] * (int32_t)s.d[2 * k]);
}
HANDLER(op_packusdw)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg], r;
    for (int k = 0; k < 4; k++) {
        int32_t a = (int32_t)d->d[k], b = (int32_t)s.d[k];
        r.w[k] = a < 0 ? 0 : a > 65535 ? 65535 : (uint16_t)a;
        r.w[k + 4] = b < 0 ? 0 : b > 65535 ? 65535 : (uint16_t)b;
    }
    *d = r;
}
/* PTEST: ZF = (s AND d) == 0, CF = (s AND NOT d) == 0; OF SF AF PF cleared */
HANDLER(op_ptest)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    uint64_t and_ = (s.q[0] & d->q[0]) | (s.q[1] & d->q[1]);
    uint64_t andn = (s.q[0] & ~d->q[0]) | (s.q[1] & ~d->q[1]);
    flags_set(c, (and_ ? 0 : F_ZF) | (andn ? 0 : F_CF), F_ARITH);
}
/* PHMINPOSUW: the smallest unsigned word and its (lowest) index */
HANDLER(op_phminposuw)
{
    NEED41();
    xr s = xmm_load_arith(c, i), r = {{0}};
    int m = 0;
    for (int k = 1; k < 8; k++)
        if (s.w[k] < s.w[m]) m = k;
    r.w[0] = s.w[m];
    r.w[1] = (uint16_t)m;
    c->xmm[i->reg] = r;
}
HANDLER(op_movntdqa)
{
    NEED41();
    c->xmm[i->reg] = xmm_load_a(c, i);
}

/* ---- blends: by imm8 bits, or by the sign bits of XMM0 ---- */
HANDLER(op_pblendvb)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg], m = c->xmm[0];
    for (int k = 0; k < 16; k++)
        if (m.b[k] & 0x80) d->b[k] = s.b[k];
}
HANDLER(op_blendvps)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg], m = c->xmm[0];
    for (int k = 0; k < 4; k++)
        if (m.d[k] >> 31) d->d[k] = s.d[k];
}
HANDLER(op_blendvpd)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg], m = c->xmm[0];
    for (int k = 0; k < 2; k++)
        if (m.q[k] >> 63) d->q[k] = s.q[k];
}
HANDLER(op_pblendw)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 8; k++)
        if (i->imm >> k & 1) d->w[k] = s.w[k];
}
HANDLER(op_blendps)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 4; k++)
        if (i->imm >> k & 1) d->d[k] = s.d[k];
}
HANDLER(op_blendpd)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 2; k++)
        if (i->imm >> k & 1) d->q[k] = s.q[k];
}

/* ---- MPSADBW: eight sums of absolute differences of 4-byte windows ---- */
HANDLER(op_mpsadbw)
{
    NEED41();
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg], r;
    int doff = (i->imm >> 2 & 1) * 4, soff = (i->imm & 3) * 4;
    for (int k = 0; k < 8; k++) {
        int sum = 0;
        for (int j = 0; j < 4; j++) {
            int v = d->b[doff + k + j] - s.b[soff + j];
            sum += v < 0 ? -v : v;
        }
        r.w[k] = (uint16_t)sum;
    }
    *d = r;
}

/* ---- inserts and extracts (the general register is r/m, the xmm reg) ---- */
HANDLER(op_pextrb)
{
    NEED41();
    uint8_t v = c->xmm[i->reg].b[i->imm & 15];
    if (i->mod3) c->r[i->rm] = v;
    else st8(ea(c, i), v);
}
HANDLER(op_pextrw_m)
{
    NEED41();
    uint16_t v = c->xmm[i->reg].w[i->imm & 7];
    if (i->mod3) c->r[i->rm] = v;
    else st16(ea(c, i), v);
}
HANDLER(op_pextrd)   /* and EXTRACTPS: the same bits */
{
    NEED41();
    store_rm32(c, i, c->xmm[i->reg].d[i->imm & 3]);
}
HANDLER(op_pinsrb)
{
    NEED41();
    c->xmm[i->reg].b[i->imm & 15] = i->mod3 ? (uint8_t)c->r[i->rm] : ld8(ea(c, i));
}
HANDLER(op_pinsrd)
{
    NEED41();
    c->xmm[i->reg].d[i->imm & 3] = load_rm32(c, i);
}
/* INSERTPS: dword imm[7:6] of the register source (a memory source is one
 * dword) into dword imm[5:4], then the dwords of imm[3:0] zeroed */
HANDLER(op_insertps)
{
    NEED41();
    uint32_t v = i->mod3 ? c->xmm[i->rm].d[i->imm >> 6 & 3] : ld32(ea(c, i));
    xr *d = &c->xmm[i->reg];
    d->d[i->imm >> 4 & 3] = v;
    for (int k = 0; k < 4; k++)
        if (i->imm >> k & 1) d->d[k] = 0;
}

/* ---- ROUNDxx, DPPx on the host: the imm8 is a constant of the host
 * instruction, so one case per value ---- */

#define FP_IMM(INSN, LOAD)                                                      \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        NEED41();                                                               \
        union xmm_reg s = LOAD(c, i), d = c->xmm[i->reg];                       \
        fpb_begin(c);                                                           \
        switch (i->imm & 255) {                                                 \
        C256(INSN##_CASE)                                                       \
        }                                                                       \
        fpb_end(c);                                                             \
        c->xmm[i->reg] = d;                                                     \
    }
#define roundps_CASE(n) case n: FPB_2I(roundps, n, &d, &s); break;
#define roundpd_CASE(n) case n: FPB_2I(roundpd, n, &d, &s); break;
#define roundss_CASE(n) case n: FPB_2I(roundss, n, &d, &s); break;
#define roundsd_CASE(n) case n: FPB_2I(roundsd, n, &d, &s); break;
#define dpps_CASE(n) case n: FPB_2I(dpps, n, &d, &s); break;
#define dppd_CASE(n) case n: FPB_2I(dppd, n, &d, &s); break;
FP_IMM(roundps, xmm_load_arith)
FP_IMM(roundpd, xmm_load_arith)
FP_IMM(roundss, load_s32)
FP_IMM(roundsd, load_s64)
FP_IMM(dpps, xmm_load_arith)
FP_IMM(dppd, xmm_load_arith)

void simd_register_sse41(void)
{
    const uint32_t fl = D_MODRM | D_FL_NONE;
    static const struct { uint8_t op; op_fn fn; uint8_t sz; } t38[] = {
        {0x10, op_pblendvb, SZ_16}, {0x14, op_blendvps, SZ_16}, {0x15, op_blendvpd, SZ_16},
        {0x20, op_pmovsxbw, SZ_8}, {0x21, op_pmovsxbd, SZ_4}, {0x22, op_pmovsxbq, SZ_2},
        {0x23, op_pmovsxwd, SZ_8}, {0x24, op_pmovsxwq, SZ_4}, {0x25, op_pmovsxdq, SZ_8},
        {0x28, op_pmuldq, SZ_16}, {0x29, op_pcmpeqq, SZ_16}, {0x2B, op_packusdw, SZ_16},
        {0x30, op_pmovzxbw, SZ_8}, {0x31, op_pmovzxbd, SZ_4}, {0x32, op_pmovzxbq, SZ_2},
        {0x33, op_pmovzxwd, SZ_8}, {0x34, op_pmovzxwq, SZ_4}, {0x35, op_pmovzxdq, SZ_8},
        {0x38, op_pminsb, SZ_16}, {0x39, op_pminsd, SZ_16}, {0x3A, op_pminuw, SZ_16},
        {0x3B, op_pminud, SZ_16}, {0x3C, op_pmaxsb, SZ_16}, {0x3D, op_pmaxsd, SZ_16},
        {0x3E, op_pmaxuw, SZ_16}, {0x3F, op_pmaxud, SZ_16}, {0x40, op_pmulld, SZ_16},
        {0x41, op_phminposuw, SZ_16},
    };
    for (size_t k = 0; k < sizeof t38 / sizeof t38[0]; k++)
        op_set_sse(optab0f38, t38[k].op, 1, t38[k].fn, fl | D_SZ(t38[k].sz));
    op_set_sse(optab0f38, 0x17, 1, op_ptest, D_MODRM | D_FL_WRITE | D_SZ(SZ_16));
    op_set_sse(optab0f38, 0x2A, 1, op_movntdqa, fl | D_MEMONLY | D_SZ(SZ_16));

    static const struct { uint8_t op; op_fn fn; uint32_t flags; } t3a[] = {
        {0x08, op_roundps, D_SZ(SZ_16)}, {0x09, op_roundpd, D_SZ(SZ_16)},
        {0x0A, op_roundss, D_SZ(SZ_4)}, {0x0B, op_roundsd, D_SZ(SZ_8)},
        {0x0C, op_blendps, D_SZ(SZ_16)}, {0x0D, op_blendpd, D_SZ(SZ_16)},
        {0x0E, op_pblendw, D_SZ(SZ_16)},
        {0x14, op_pextrb, D_MSTORE | D_SZ(SZ_1)}, {0x15, op_pextrw_m, D_MSTORE | D_SZ(SZ_2)},
        {0x16, op_pextrd, D_MSTORE | D_SZ(SZ_4)}, {0x17, op_pextrd, D_MSTORE | D_SZ(SZ_4)},
        {0x20, op_pinsrb, D_SZ(SZ_1)}, {0x21, op_insertps, D_SZ(SZ_4)},
        {0x22, op_pinsrd, D_SZ(SZ_4)},
        {0x40, op_dpps, D_SZ(SZ_16)}, {0x41, op_dppd, D_SZ(SZ_16)},
        {0x42, op_mpsadbw, D_SZ(SZ_16)},
    };
    for (size_t k = 0; k < sizeof t3a / sizeof t3a[0]; k++)
        op_set_sse(optab0f3a, t3a[k].op, 1, t3a[k].fn, fl | D_IMM8 | t3a[k].flags);
}
