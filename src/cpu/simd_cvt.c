/* SSE/SSE2 conversions (0F 2A, 2C, 2D, 5A, 5B, E6), all on the host
 * (simd_fp_host.h). The MMX forms (CVTPI2PS, CVTPS2PI...) run as their XMM
 * equivalents (CVTDQ2PS, CVTPS2DQ...) on zero-padded values: same rounding,
 * same flags, and the host's own x87/MMX state (the guest's, when resident)
 * stays untouched. */
#include "simd_fp_host.h"

/* xmm(reg) = INSN(xmm(reg), source): packed m128 (aligned) or 64/32-bit sources */
#define CVT_XMM(INSN, LOAD)                                                     \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        union xmm_reg s = LOAD(c, i), d = c->xmm[i->reg];                       \
        fpb_begin(c);                                                           \
        FPB_2(INSN, &d, &s);                                                    \
        fpb_end(c);                                                             \
        c->xmm[i->reg] = d;                                                     \
    }

CVT_XMM(cvtps2pd, load_s64)
CVT_XMM(cvtpd2ps, xmm_load_arith)
CVT_XMM(cvtss2sd, load_s32)
CVT_XMM(cvtsd2ss, load_s64)
CVT_XMM(cvtdq2ps, xmm_load_arith)
CVT_XMM(cvtps2dq, xmm_load_arith)
CVT_XMM(cvttps2dq, xmm_load_arith)
CVT_XMM(cvtdq2pd, load_s64)
CVT_XMM(cvtpd2dq, xmm_load_arith)
CVT_XMM(cvttpd2dq, xmm_load_arith)

/* CVTSI2SS/CVTSI2SD xmm, r/m32 */
#define CVT_FROM_INT(NAME, INSN)                                                \
    HANDLER(op_##NAME)                                                          \
    {                                                                           \
        uint32_t v = load_rm32(c, i);                                           \
        union xmm_reg d = c->xmm[i->reg];                                       \
        fpb_begin(c);                                                           \
        FPB_FROMINT(INSN, &d, v);                                               \
        fpb_end(c);                                                             \
        c->xmm[i->reg] = d;                                                     \
    }
CVT_FROM_INT(cvtsi2ss, cvtsi2ssl)
CVT_FROM_INT(cvtsi2sd, cvtsi2sdl)

/* CVT(T)SS2SI/CVT(T)SD2SI r32, xmm/m32 or m64 */
#define CVT_TO_INT(INSN, LOAD)                                                  \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        union xmm_reg s = LOAD(c, i);                                           \
        uint32_t r;                                                             \
        fpb_begin(c);                                                           \
        FPB_TOINT(INSN, r, &s);                                                 \
        fpb_end(c);                                                             \
        c->r[i->reg] = r;                                                       \
    }
CVT_TO_INT(cvtss2si, load_s32)
CVT_TO_INT(cvttss2si, load_s32)
CVT_TO_INT(cvtsd2si, load_s64)
CVT_TO_INT(cvttsd2si, load_s64)

/* Whether CVTPI2PS xmm, m64 switches the x87 unit to MMX mode: it does per
 * the SDM (Intel), not on AMD hosts (measured on Zen 4); probed at start-up. */
static bool cvtpi2ps_mem_is_mmx = true;

static void probe_cvtpi2ps_mem(void)
{
#if defined(__x86_64__) || defined(__i386__)
    static uint8_t save[512] __attribute__((aligned(16)));
    uint64_t zero = 0;
    uint16_t env[14];
    fpb_vec x = {0, 0};
    /* the host FPU state is put back as it was (x87.c measures host facts likewise) */
    __asm__ volatile("fxsave %[save]\n\tfninit\n\tcvtpi2ps %[zero], %[x]\n\tfnstenv %[env]\n\tfxrstor %[save]"
                     : [save] "+m"(save), [x] "+x"(x), [env] "=m"(env) : [zero] "m"(zero) : "memory");
    cvtpi2ps_mem_is_mmx = env[4] != 0xffff;   /* full tag word: all empty after FNINIT */
#endif
}

/* CVTPI2PS xmm, mm/m64: the low half */
HANDLER(op_cvtpi2ps)
{
    union xmm_reg s = {{0}}, d = c->xmm[i->reg], r = d;
    bool mmx = i->mod3 || cvtpi2ps_mem_is_mmx;
    if (mmx) mmx_pending(c, i);
    s.q[0] = i->mod3 ? mm_get(c, i->rm) : ld64(ea(c, i));
    if (mmx) x87_mmx_enter(c);   /* a #XM frame shows the switch done */
    fpb_begin(c);
    FPB_2(cvtdq2ps, &r, &s);
    fpb_end(c);
    d.q[0] = r.q[0];
    c->xmm[i->reg] = d;
}
/* CVTPI2PD xmm, mm/m64: exact; the memory form is no MMX instruction (SDM) */
HANDLER(op_cvtpi2pd)
{
    union xmm_reg s = {{0}}, d = c->xmm[i->reg];
    if (i->mod3) { mmx_enter(c, i); s.q[0] = mm_get(c, i->rm); }
    else s.q[0] = ld64(ea(c, i));
    fpb_begin(c);
    FPB_2(cvtdq2pd, &d, &s);
    fpb_end(c);
    c->xmm[i->reg] = d;
}

/* mm(reg) = the two int32 of INSN(source): CVT(T)PS2PI xmm/m64, CVT(T)PD2PI xmm/m128 */
#define CVT_TO_MM(NAME, INSN, LOAD)                                             \
    HANDLER(op_##NAME)                                                          \
    {                                                                           \
        mmx_pending(c, i);                                                      \
        union xmm_reg s = LOAD(c, i), d = {{0}};                                \
        x87_mmx_enter(c);   /* a #XM frame shows the switch done */             \
        fpb_begin(c);                                                           \
        FPB_2(INSN, &d, &s);                                                    \
        fpb_end(c);                                                             \
        mm_set(c, i->reg, d.q[0]);                                              \
    }
CVT_TO_MM(cvtps2pi, cvtps2dq, load_s64)
CVT_TO_MM(cvttps2pi, cvttps2dq, load_s64)
CVT_TO_MM(cvtpd2pi, cvtpd2dq, xmm_load_arith)
CVT_TO_MM(cvttpd2pi, cvttpd2dq, xmm_load_arith)

void simd_register_cvt(void)
{
    probe_cvtpi2ps_mem();
    const uint32_t fl = D_MODRM | D_FL_NONE;
    op_set_sse(optab0f, 0x2a, 0, op_cvtpi2ps, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x2a, 1, op_cvtpi2pd, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x2a, 2, op_cvtsi2ss, fl | D_SZ(SZ_4));
    op_set_sse(optab0f, 0x2a, 3, op_cvtsi2sd, fl | D_SZ(SZ_4));
    op_set_sse(optab0f, 0x2c, 0, op_cvttps2pi, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x2c, 1, op_cvttpd2pi, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x2c, 2, op_cvttss2si, fl | D_SZ(SZ_4));
    op_set_sse(optab0f, 0x2c, 3, op_cvttsd2si, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x2d, 0, op_cvtps2pi, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x2d, 1, op_cvtpd2pi, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x2d, 2, op_cvtss2si, fl | D_SZ(SZ_4));
    op_set_sse(optab0f, 0x2d, 3, op_cvtsd2si, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x5a, 0, op_cvtps2pd, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x5a, 1, op_cvtpd2ps, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x5a, 2, op_cvtss2sd, fl | D_SZ(SZ_4));
    op_set_sse(optab0f, 0x5a, 3, op_cvtsd2ss, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0x5b, 0, op_cvtdq2ps, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x5b, 1, op_cvtps2dq, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x5b, 2, op_cvttps2dq, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0xe6, 1, op_cvttpd2dq, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0xe6, 2, op_cvtdq2pd, fl | D_SZ(SZ_8));
    op_set_sse(optab0f, 0xe6, 3, op_cvtpd2dq, fl | D_SZ(SZ_16));
}
