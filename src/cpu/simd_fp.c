/* SSE, SSE2 and SSE3 floating point: moves, arithmetic, comparisons,
 * logic, shuffles and unpacks, the SSE3 horizontal ops, and the 0F AE
 * fences/CLFLUSH. Conversions are in simd_cvt.c. Every computation that can
 * raise a floating-point exception runs on the host (simd_fp_host.h);
 * pure data movement is plain C.
 *
 * Memory operands: legacy-SSE 128-bit operands must be 16-byte aligned
 * (#GP otherwise) except for MOVUPS/MOVUPD, and except for arithmetic in
 * AMD's misaligned SSE mode (xmm_load_arith); scalar and 64-bit ones need
 * not be. */
#include "simd_fp_host.h"


/* ---- arithmetic: xmm(reg) = xmm(reg) OP source, on the host ---- */

#define FP_PACKED(INSN)                                                         \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        union xmm_reg s = xmm_load_arith(c, i), d = c->xmm[i->reg];             \
        fpb_begin(c);                                                           \
        FPB_2(INSN, &d, &s);                                                    \
        fpb_end(c);                                                             \
        c->xmm[i->reg] = d;                                                     \
    }
#define FP_SCALAR(INSN, BITS)                                                   \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        uint##BITS##_t s = (uint##BITS##_t)xmm_load_rm##BITS(c, i), d;          \
        memcpy(&d, &c->xmm[i->reg], BITS / 8);                                  \
        fpb_begin(c);                                                           \
        FPB_S(INSN, BITS, &d, &s);                                              \
        fpb_end(c);                                                             \
        memcpy(&c->xmm[i->reg], &d, BITS / 8);                                  \
    }
/* the four forms of one operation: ps, pd, ss, sd */
#define FP_FOUR(OP) FP_PACKED(OP##ps) FP_PACKED(OP##pd) FP_SCALAR(OP##ss, 32) FP_SCALAR(OP##sd, 64)

FP_FOUR(add)
FP_FOUR(mul)
FP_FOUR(sub)
FP_FOUR(min)
FP_FOUR(div)
FP_FOUR(max)
FP_FOUR(sqrt)
FP_PACKED(rsqrtps)
FP_SCALAR(rsqrtss, 32)
FP_PACKED(rcpps)
FP_SCALAR(rcpss, 32)
FP_PACKED(addsubps)
FP_PACKED(addsubpd)
FP_PACKED(haddps)
FP_PACKED(haddpd)
FP_PACKED(hsubps)
FP_PACKED(hsubpd)

/* CMPccPS and friends: the predicate is imm8[2:0] (legacy encoding) */
#define FPB_CMP(INSN, d, s, imm) do {                                           \
    switch ((imm) & 7) {                                                        \
    case 0: FPB_2I(INSN, 0, d, s); break;                                       \
    case 1: FPB_2I(INSN, 1, d, s); break;                                       \
    case 2: FPB_2I(INSN, 2, d, s); break;                                       \
    case 3: FPB_2I(INSN, 3, d, s); break;                                       \
    case 4: FPB_2I(INSN, 4, d, s); break;                                       \
    case 5: FPB_2I(INSN, 5, d, s); break;                                       \
    case 6: FPB_2I(INSN, 6, d, s); break;                                       \
    default: FPB_2I(INSN, 7, d, s); break;                                      \
    }                                                                           \
} while (0)
#define FP_CMP(INSN, LOAD)                                                      \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        union xmm_reg s = LOAD(c, i), d = c->xmm[i->reg];                       \
        fpb_begin(c);                                                           \
        FPB_CMP(INSN, &d, &s, i->imm);                                          \
        fpb_end(c);                                                             \
        c->xmm[i->reg] = d;                                                     \
    }
FP_CMP(cmpps, xmm_load_arith)
FP_CMP(cmppd, xmm_load_arith)
FP_CMP(cmpss, load_s32)
FP_CMP(cmpsd, load_s64)

/* COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF from the comparison, OF SF AF clear */
#define FP_COMI(INSN, LOAD)                                                     \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        union xmm_reg b = LOAD(c, i), a = c->xmm[i->reg];                       \
        uint32_t fl;                                                            \
        fpb_begin(c);                                                           \
        FPB_COMI(INSN, &a, &b, fl);                                             \
        fpb_end(c);                                                             \
        c->eflags = (c->eflags & ~F_ARITH) | fl;                                \
        c->lf_op = LF_NONE;                                                     \
    }
FP_COMI(comiss, load_s32)
FP_COMI(ucomiss, load_s32)
FP_COMI(comisd, load_s64)
FP_COMI(ucomisd, load_s64)

/* ---- bitwise logic (no exceptions) ---- */

#define FP_LOGIC(NAME, EXPR)                                                    \
    HANDLER(op_##NAME)                                                          \
    {                                                                           \
        union xmm_reg s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];           \
        for (int k = 0; k < 2; k++) d->q[k] = EXPR;                             \
    }
FP_LOGIC(andp, d->q[k] & s.q[k])
FP_LOGIC(andnp, ~d->q[k] & s.q[k])
FP_LOGIC(orp, d->q[k] | s.q[k])
FP_LOGIC(xorp, d->q[k] ^ s.q[k])

/* ---- moves ---- */

/* MOVUPS/MOVUPD/MOVAPS/MOVAPD, loads (0F 10, 28) and stores (0F 11, 29, 2B) */
HANDLER(op_movu_load) { c->xmm[i->reg] = xmm_load_u(c, i); }
HANDLER(op_mova_load) { c->xmm[i->reg] = xmm_load_a(c, i); }
HANDLER(op_movu_store)
{
    union xmm_reg v = c->xmm[i->reg];
    xmm_store_u(c, i, &v);
}
HANDLER(op_mova_store)
{
    union xmm_reg v = c->xmm[i->reg];
    xmm_store_a(c, i, &v);
}

/* MOVSS/MOVSD: a load from memory zeroes the rest, register to register merges */
HANDLER(op_movss_load)
{
    if (i->mod3) { c->xmm[i->reg].d[0] = c->xmm[i->rm].d[0]; return; }
    union xmm_reg v = {{0}};
    v.d[0] = ld32(ea(c, i));
    c->xmm[i->reg] = v;
}
HANDLER(op_movsd_load)
{
    if (i->mod3) { c->xmm[i->reg].q[0] = c->xmm[i->rm].q[0]; return; }
    union xmm_reg v = {{0}};
    v.q[0] = ld64(ea(c, i));
    c->xmm[i->reg] = v;
}
HANDLER(op_movss_store)
{
    if (i->mod3) c->xmm[i->rm].d[0] = c->xmm[i->reg].d[0];
    else st32(ea(c, i), c->xmm[i->reg].d[0]);
}
HANDLER(op_movsd_store)
{
    if (i->mod3) c->xmm[i->rm].q[0] = c->xmm[i->reg].q[0];
    else st64(ea(c, i), c->xmm[i->reg].q[0]);
}

/* 0F 12: MOVLPS xmm, m64 / MOVHLPS xmm, xmm; 66: MOVLPD (memory only) */
HANDLER(op_movlps_load)
{
    if (i->mod3) c->xmm[i->reg].q[0] = c->xmm[i->rm].q[1];
    else c->xmm[i->reg].q[0] = ld64(ea(c, i));
}
/* 0F 16: MOVHPS xmm, m64 / MOVLHPS xmm, xmm; 66: MOVHPD (memory only) */
HANDLER(op_movhps_load)
{
    if (i->mod3) c->xmm[i->reg].q[1] = c->xmm[i->rm].q[0];
    else c->xmm[i->reg].q[1] = ld64(ea(c, i));
}
HANDLER(op_movlpd_load)
{
    if (i->mod3) cpu_raise_ud(c, i);
    c->xmm[i->reg].q[0] = ld64(ea(c, i));
}
HANDLER(op_movhpd_load)
{
    if (i->mod3) cpu_raise_ud(c, i);
    c->xmm[i->reg].q[1] = ld64(ea(c, i));
}
/* 0F 13 / 0F 17 (memory only): MOVLPS/MOVLPD m64, xmm and MOVHPS/MOVHPD m64, xmm */
HANDLER(op_movlp_store) { st64(ea(c, i), c->xmm[i->reg].q[0]); }
HANDLER(op_movhp_store) { st64(ea(c, i), c->xmm[i->reg].q[1]); }

/* SSE3 duplicating moves */
HANDLER(op_movsldup)
{
    union xmm_reg s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    d->d[0] = d->d[1] = s.d[0];
    d->d[2] = d->d[3] = s.d[2];
}
HANDLER(op_movshdup)
{
    union xmm_reg s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    d->d[0] = d->d[1] = s.d[1];
    d->d[2] = d->d[3] = s.d[3];
}
HANDLER(op_movddup)
{
    uint64_t v = xmm_load_rm64(c, i);
    c->xmm[i->reg].q[0] = c->xmm[i->reg].q[1] = v;
}

/* MOVMSKPS/MOVMSKPD r32, xmm: the sign bits */
HANDLER(op_movmskps)
{
    const union xmm_reg *s = &c->xmm[i->rm];
    uint32_t m = 0;
    for (int k = 0; k < 4; k++) m |= (s->d[k] >> 31) << k;
    c->r[i->reg] = m;
}
HANDLER(op_movmskpd)
{
    const union xmm_reg *s = &c->xmm[i->rm];
    c->r[i->reg] = (uint32_t)(s->q[0] >> 63) | (uint32_t)(s->q[1] >> 63) << 1;
}

/* ---- unpacks and shuffles (no exceptions) ---- */

HANDLER(op_unpcklps)
{
    union xmm_reg s = xmm_load_arith(c, i), d = c->xmm[i->reg], r;
    r.d[0] = d.d[0]; r.d[1] = s.d[0]; r.d[2] = d.d[1]; r.d[3] = s.d[1];
    c->xmm[i->reg] = r;
}
HANDLER(op_unpckhps)
{
    union xmm_reg s = xmm_load_arith(c, i), d = c->xmm[i->reg], r;
    r.d[0] = d.d[2]; r.d[1] = s.d[2]; r.d[2] = d.d[3]; r.d[3] = s.d[3];
    c->xmm[i->reg] = r;
}
HANDLER(op_unpcklpd)
{
    union xmm_reg s = xmm_load_arith(c, i);
    c->xmm[i->reg].q[1] = s.q[0];
}
HANDLER(op_unpckhpd)
{
    union xmm_reg s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    d->q[0] = d->q[1];
    d->q[1] = s.q[1];
}
HANDLER(op_shufps)
{
    union xmm_reg s = xmm_load_arith(c, i), d = c->xmm[i->reg], r;
    uint32_t m = i->imm;
    r.d[0] = d.d[m & 3];
    r.d[1] = d.d[(m >> 2) & 3];
    r.d[2] = s.d[(m >> 4) & 3];
    r.d[3] = s.d[(m >> 6) & 3];
    c->xmm[i->reg] = r;
}
HANDLER(op_shufpd)
{
    union xmm_reg s = xmm_load_arith(c, i), d = c->xmm[i->reg], r;
    r.q[0] = d.q[i->imm & 1];
    r.q[1] = s.q[(i->imm >> 1) & 1];
    c->xmm[i->reg] = r;
}

/* ---- 0F AE /5 /6 /7: fences and CLFLUSH ---- */

/* With a 66/F3/F2 prefix the register forms are other instructions ue
 * does not have (TPAUSE, INCSSP...): #UD, as on a host without them. */

/* LFENCE (mod 3); memory form: XRSTOR, not implemented */
HANDLER(op_lfence)
{
    if (!i->mod3 || i->opsize16 || i->rep) cpu_raise_ud(c, i);
}
/* MFENCE (mod 3); memory form: XSAVEOPT (not implemented), or with 66 CLWB
 * (a no-op that faults like a load) */
HANDLER(op_mfence)
{
    if (i->rep || i->mod3 == i->opsize16) cpu_raise_ud(c, i);
    if (i->mod3) __atomic_thread_fence(__ATOMIC_SEQ_CST);
    else (void)ld8(ea(c, i));
}
/* SFENCE (mod 3; guest stores are plain host stores, ordered already);
 * memory form: CLFLUSH, or with 66 CLFLUSHOPT: a no-op that faults like a load */
HANDLER(op_sfence_clflush)
{
    if (i->rep || (i->mod3 && i->opsize16)) cpu_raise_ud(c, i);
    if (!i->mod3) (void)ld8(ea(c, i));
}

/* ---- registration ---- */

enum { P_NONE, P_66, P_F3, P_F2 };
#define SSE_FL (D_MODRM | D_FL_NONE)

/* the four prefixed forms of one opcode (NULL: undefined), with the size
 * of each one's memory operand (SZS) */
#define SZS(none, p66, f3, f2) ((none) | (p66) << 4 | (f3) << 8 | (f2) << 12)
static void set4(int op, op_fn none, op_fn p66, op_fn f3, op_fn f2, uint32_t flags, uint32_t sizes)
{
    op_fn fn[4] = { none, p66, f3, f2 };
    for (int p = 0; p < 4; p++)
        if (fn[p]) op_set_sse(optab0f, op, p, fn[p], flags | D_SZ((sizes >> 4 * p) & 15));
}

void simd_register_fp(void)
{
    const uint32_t st = SSE_FL | D_MSTORE;
    const uint32_t all = SZS(SZ_16, SZ_16, SZ_4, SZ_8), packed = SZS(SZ_16, SZ_16, 0, 0);
    set4(0x10, op_movu_load, op_movu_load, op_movss_load, op_movsd_load, SSE_FL, all);
    set4(0x11, op_movu_store, op_movu_store, op_movss_store, op_movsd_store, st, all);
    set4(0x12, op_movlps_load, op_movlpd_load, op_movsldup, op_movddup, SSE_FL, SZS(SZ_8, SZ_8, SZ_16, SZ_8));
    set4(0x13, op_movlp_store, op_movlp_store, NULL, NULL, st | D_MEMONLY, SZS(SZ_8, SZ_8, 0, 0));
    set4(0x14, op_unpcklps, op_unpcklpd, NULL, NULL, SSE_FL, packed);
    set4(0x15, op_unpckhps, op_unpckhpd, NULL, NULL, SSE_FL, packed);
    set4(0x16, op_movhps_load, op_movhpd_load, op_movshdup, NULL, SSE_FL, SZS(SZ_8, SZ_8, SZ_16, 0));
    set4(0x17, op_movhp_store, op_movhp_store, NULL, NULL, st | D_MEMONLY, SZS(SZ_8, SZ_8, 0, 0));
    set4(0x28, op_mova_load, op_mova_load, NULL, NULL, SSE_FL, packed);
    set4(0x29, op_mova_store, op_mova_store, NULL, NULL, st, packed);
    set4(0x2b, op_mova_store, op_mova_store, NULL, NULL, st | D_MEMONLY, packed);
    set4(0x2e, op_ucomiss, op_ucomisd, NULL, NULL, D_MODRM | D_FL_WRITE, SZS(SZ_4, SZ_8, 0, 0));
    set4(0x2f, op_comiss, op_comisd, NULL, NULL, D_MODRM | D_FL_WRITE, SZS(SZ_4, SZ_8, 0, 0));
    set4(0x50, op_movmskps, op_movmskpd, NULL, NULL, SSE_FL | D_REGONLY, 0);
    set4(0x51, op_sqrtps, op_sqrtpd, op_sqrtss, op_sqrtsd, SSE_FL, all);
    set4(0x52, op_rsqrtps, NULL, op_rsqrtss, NULL, SSE_FL, all);
    set4(0x53, op_rcpps, NULL, op_rcpss, NULL, SSE_FL, all);
    set4(0x54, op_andp, op_andp, NULL, NULL, SSE_FL, packed);
    set4(0x55, op_andnp, op_andnp, NULL, NULL, SSE_FL, packed);
    set4(0x56, op_orp, op_orp, NULL, NULL, SSE_FL, packed);
    set4(0x57, op_xorp, op_xorp, NULL, NULL, SSE_FL, packed);
    set4(0x58, op_addps, op_addpd, op_addss, op_addsd, SSE_FL, all);
    set4(0x59, op_mulps, op_mulpd, op_mulss, op_mulsd, SSE_FL, all);
    set4(0x5c, op_subps, op_subpd, op_subss, op_subsd, SSE_FL, all);
    set4(0x5d, op_minps, op_minpd, op_minss, op_minsd, SSE_FL, all);
    set4(0x5e, op_divps, op_divpd, op_divss, op_divsd, SSE_FL, all);
    set4(0x5f, op_maxps, op_maxpd, op_maxss, op_maxsd, SSE_FL, all);
    set4(0x7c, NULL, op_haddpd, NULL, op_haddps, SSE_FL, SZS(0, SZ_16, 0, SZ_16));
    set4(0x7d, NULL, op_hsubpd, NULL, op_hsubps, SSE_FL, SZS(0, SZ_16, 0, SZ_16));
    set4(0xc2, op_cmpps, op_cmppd, op_cmpss, op_cmpsd, SSE_FL | D_IMM8, all);
    set4(0xc6, op_shufps, op_shufpd, NULL, NULL, SSE_FL | D_IMM8, packed);
    set4(0xd0, NULL, op_addsubpd, NULL, op_addsubps, SSE_FL, SZS(0, SZ_16, 0, SZ_16));

    op_set_group(optab0f, 0xae, 5, op_lfence, NULL, D_FL_NONE);
    op_set_group(optab0f, 0xae, 6, op_mfence, NULL, D_FL_NONE);
    op_set_group(optab0f, 0xae, 7, op_sfence_clflush, NULL, D_FL_NONE | D_SZ(SZ_1));   /* CLFLUSH probes a byte */

    simd_register_cvt();
}
