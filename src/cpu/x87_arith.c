/* x87 arithmetic, comparisons and transcendental instructions: each runs the
 * guest's own instruction on the host (x87_host.h) and keeps the status
 * bits the host defines for it. Which C bits an instruction defines was
 * measured on the host: where the SDM says "undefined" the host leaves the
 * bit alone, so ue does too. */
#include "x87.h"

/* A stack underflow on an arithmetic op: the destination gets the indefinite. */
static void underflow_to(struct x87_state *f, int p)
{
    x87_st_copy(&f->st[p], X87_INDEFINITE);
    x87_set_valid(f, p);
    x87_underflow(f);
}
/* A stack underflow on a comparison: unordered. */
static void com_underflow(struct x87_state *f)
{
    f->sw = (f->sw & ~SW_CC) | SW_C3 | SW_C2 | SW_C0 | SW_IE | SW_SF;
}
static inline bool both_valid(const struct x87_state *f, int p, int q) { return !(((f->tw >> p) | (f->tw >> q)) & 1); }

/* ---- memory operand: st0 = st0 op m (D8 m32real, DC m64real, DA m32int, DE m16int) ---- */
#define ARITH_MEM(name, OPC, REG, type, load)                                   \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        uint32_t off;                                                           \
        x87_begin(c, i);                                                        \
        type m = load(x87_ea(c, i, &off));                                      \
        x87_note_mem(c, i, off);                                                \
        int p = f->top;                                                         \
        if (likely(!x87_empty(f, p)))                                           \
            x87_flags(f, xb_arith_mem(OPC, REG, &f->st[p], &m), SW_C1);         \
        else                                                                    \
            underflow_to(f, p);                                                 \
        x87_end(c);                                                             \
    }
#define COM_MEM(name, OPC, REG, type, load)                                     \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        uint32_t off;                                                           \
        x87_begin(c, i);                                                        \
        type m = load(x87_ea(c, i, &off));                                      \
        x87_note_mem(c, i, off);                                                \
        if (likely(!x87_empty(f, f->top)))                                      \
            x87_flags(f, xb_com_mem(OPC, REG, &f->st[f->top], &m), SW_CC);      \
        else                                                                    \
            com_underflow(f);                                                   \
        if (REG == 3) x87_pop(f);                                               \
        x87_end(c);                                                             \
    }
#define MEM_FORMS(OPC, sfx, type, load)                                         \
    ARITH_MEM(op_fadd_##sfx, OPC, 0, type, load)                                \
    ARITH_MEM(op_fmul_##sfx, OPC, 1, type, load)                                \
    COM_MEM(op_fcom_##sfx, OPC, 2, type, load)                                  \
    COM_MEM(op_fcomp_##sfx, OPC, 3, type, load)                                 \
    ARITH_MEM(op_fsub_##sfx, OPC, 4, type, load)                                \
    ARITH_MEM(op_fsubr_##sfx, OPC, 5, type, load)                               \
    ARITH_MEM(op_fdiv_##sfx, OPC, 6, type, load)                                \
    ARITH_MEM(op_fdivr_##sfx, OPC, 7, type, load)                               \
    static const op_fn ops_##sfx[8] = {op_fadd_##sfx, op_fmul_##sfx, op_fcom_##sfx, op_fcomp_##sfx, \
                                       op_fsub_##sfx, op_fsubr_##sfx, op_fdiv_##sfx, op_fdivr_##sfx};
MEM_FORMS(0xd8, m32, uint32_t, ld32)
MEM_FORMS(0xdc, m64, uint64_t, ld64)
MEM_FORMS(0xda, mi32, uint32_t, ld32)
MEM_FORMS(0xde, mi16, uint16_t, ld16)

/* ---- register operands ---- */
/* D8 C0+8r+i: st0 = st0 op st(i) */
#define ARITH_ST0(name, REG)                                                    \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, pi = (p0 + i->rm) & 7;                                 \
        if (likely(both_valid(f, p0, pi)))                                      \
            x87_flags(f, xb_reg_res0(0xd8, 0xc1 + (REG << 3), &f->st[p0], &f->st[pi], &f->st[p0]), SW_C1); \
        else                                                                    \
            underflow_to(f, p0);                                                \
        x87_end(c);                                                             \
    }
/* DC C0+8r+i: st(i) = st(i) op st0; DE: the same, then pop */
#define ARITH_STI(name, OPC, REG, XB, POP)                                      \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, pi = (p0 + i->rm) & 7;                                 \
        if (likely(both_valid(f, p0, pi)))                                      \
            x87_flags(f, XB(OPC, 0xc1 + (REG << 3), &f->st[p0], &f->st[pi], &f->st[pi]), SW_C1); \
        else                                                                    \
            underflow_to(f, pi);                                                \
        if (POP) x87_pop(f);                                                    \
        x87_end(c);                                                             \
    }
#define REG_FORMS(REG, op)                                                      \
    ARITH_ST0(op_##op##_st0_sti, REG)                                           \
    ARITH_STI(op_##op##_sti_st0, 0xdc, REG, xb_reg_res1, 0)                     \
    ARITH_STI(op_##op##p_sti_st0, 0xde, REG, xb_reg_pop, 1)
REG_FORMS(0, fadd)
REG_FORMS(1, fmul)
REG_FORMS(4, fsub)
REG_FORMS(5, fsubr)
REG_FORMS(6, fdiv)
REG_FORMS(7, fdivr)

/* Comparisons of st0 with st(i), or with st1 for FCOMPP/FUCOMPP (ONE). The
 * host runs the same opcode on ST(1); NPOP is how many it pops. */
#define COM_REG(name, OPC, MODRM, NPOP, ONE)                                    \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, pi = (p0 + (ONE ? 1 : i->rm)) & 7;                     \
        if (likely(both_valid(f, p0, pi)))                                      \
            x87_flags(f, xb_reg_com(OPC, MODRM, NPOP, &f->st[p0], &f->st[pi]), SW_CC); \
        else                                                                    \
            com_underflow(f);                                                   \
        for (int k = 0; k < NPOP; k++) x87_pop(f);                              \
        x87_end(c);                                                             \
    }
COM_REG(op_fcom_sti, 0xd8, 0xd1, 0, 0)
COM_REG(op_fcomp_sti, 0xd8, 0xd9, 1, 0)
COM_REG(op_fcom2_sti, 0xdc, 0xd1, 0, 0)     /* undocumented aliases, as the host runs them */
COM_REG(op_fcomp3_sti, 0xdc, 0xd9, 1, 0)
COM_REG(op_fcomp5_sti, 0xde, 0xd1, 1, 0)
COM_REG(op_fcompp, 0xde, 0xd9, 2, 1)
COM_REG(op_fucom_sti, 0xdd, 0xe1, 0, 0)
COM_REG(op_fucomp_sti, 0xdd, 0xe9, 1, 0)
COM_REG(op_fucompp, 0xda, 0xe9, 2, 1)

/* FCOMI/FUCOMI(P): ZF, PF, CF from the comparison; OF, SF, AF cleared. */
#define COMI_REG(name, OPC, MODRM, NPOP)                                        \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, pi = (p0 + i->rm) & 7;                                 \
        uint32_t fl = F_ZF | F_PF | F_CF;                                       \
        if (likely(both_valid(f, p0, pi))) {                                    \
            bool z, p, cf;                                                      \
            x87_flags(f, xb_reg_comi(OPC, MODRM, NPOP, &f->st[p0], &f->st[pi], z, p, cf), 0); \
            fl = (z ? F_ZF : 0) | (p ? F_PF : 0) | (cf ? F_CF : 0);             \
        } else {                                                                \
            x87_underflow(f);                                                   \
        }                                                                       \
        flags_set(c, fl, F_ZF | F_PF | F_CF | F_OF | F_SF | F_AF);              \
        for (int k = 0; k < NPOP; k++) x87_pop(f);                              \
        x87_end(c);                                                             \
    }
COMI_REG(op_fucomi, 0xdb, 0xe9, 0)
COMI_REG(op_fcomi, 0xdb, 0xf1, 0)
COMI_REG(op_fucomip, 0xdf, 0xe9, 1)
COMI_REG(op_fcomip, 0xdf, 0xf1, 1)

/* ---- D9 E0..FF: operations on st0 (and st1) ---- */
#define UNARY(name, MODRM, TAKE)                                                \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top;                                                        \
        if (likely(!x87_empty(f, p0))) {                                        \
            x87_flags(f, xb_unary(MODRM, &f->st[p0], &f->st[p0]), TAKE);        \
        } else {                                                                \
            underflow_to(f, p0);                                                \
            f->sw &= ~((TAKE) & SW_C2);   /* C2 (operand out of range) is cleared */ \
        }                                                                       \
        x87_end(c);                                                             \
    }
UNARY(op_f2xm1, 0xf0, SW_C1)
UNARY(op_fsqrt, 0xfa, SW_C1)
UNARY(op_frndint, 0xfc, SW_C1)
UNARY(op_fsin, 0xfe, SW_C1 | SW_C2)
UNARY(op_fcos, 0xff, SW_C1 | SW_C2)

/* FCHS/FABS only touch the sign bit (no exceptions, not even for SNaNs). */
static void sign_op(struct cpu *c, const struct insn *i, uint8_t and_mask, uint8_t xor_mask)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int p0 = f->top;
    if (likely(!x87_empty(f, p0))) {
        uint8_t *se = (uint8_t *)&f->st[p0] + 9;
        *se = (*se & and_mask) ^ xor_mask;
        f->sw &= ~SW_C1;
    } else {
        underflow_to(f, p0);
    }
    x87_end(c);
}
HANDLER(op_fchs) { sign_op(c, i, 0xff, 0x80); }
HANDLER(op_fabs) { sign_op(c, i, 0x7f, 0); }

HANDLER(op_ftst)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    if (likely(!x87_empty(f, f->top))) x87_flags(f, xb_examine(0xe4, &f->st[f->top]), SW_CC);
    else com_underflow(f);
    x87_end(c);
}

HANDLER(op_fxam)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int p0 = f->top;
    if (likely(!x87_empty(f, p0))) {
        x87_flags(f, xb_examine(0xe5, &f->st[p0]), SW_CC);
    } else {
        /* class "empty": C3 and C0; C1 is the stale sign on some hosts */
        bool neg = ((const uint8_t *)&f->st[p0])[9] & 0x80;
        f->sw = (f->sw & ~SW_CC) | SW_C3 | SW_C0 | (x87_host.fxam_empty_sign && neg ? SW_C1 : 0);
    }
    x87_end(c);
}

static inline bool is_nan_or_inf(const long double *v) { return (((const uint16_t *)v)[4] & 0x7fff) == 0x7fff; }

/* st0 = f(st0, st1): FPREM, FPREM1, FSCALE. FPREM(1) with a NaN result
 * (invalid or NaN operand) leaves C0 and C3 alone on the host. */
#define BINARY_ST0(name, MODRM, TAKE, PREM)                                     \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, p1 = (p0 + 1) & 7;                                     \
        if (likely(both_valid(f, p0, p1))) {                                    \
            uint16_t hsw = xb_binary_st0(MODRM, &f->st[p0], &f->st[p1], &f->st[p0]); \
            /* no quotient bits when invalid (a NaN result); an unmasked     \
             * exception leaves C0 and C3 alone */                             \
            bool nan = PREM && is_nan_or_inf(&f->st[p0]);                       \
            bool unmasked = hsw & ~f->cw & (SW_IE | SW_DE | SW_ZE);             \
            x87_flags(f, hsw, unmasked || nan ? SW_C1 | SW_C2 : TAKE);          \
        } else {                                                                \
            underflow_to(f, p0);                                                \
            if (PREM) f->sw &= ~SW_C2;   /* "complete": C2 cleared */           \
        }                                                                       \
        x87_end(c);                                                             \
    }
BINARY_ST0(op_fprem, 0xf8, SW_CC, 1)
BINARY_ST0(op_fprem1, 0xf5, SW_CC, 1)
BINARY_ST0(op_fscale, 0xfd, SW_C1, 0)

/* st1 = f(st0, st1), pop: FYL2X, FYL2XP1, FPATAN */
#define BINARY_POP(name, MODRM)                                                 \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, p1 = (p0 + 1) & 7;                                     \
        if (likely(both_valid(f, p0, p1)))                                      \
            x87_flags(f, xb_binary_pop(MODRM, &f->st[p0], &f->st[p1], &f->st[p1]), SW_C1); \
        else                                                                    \
            underflow_to(f, p1);                                                \
        x87_pop(f);                                                             \
        x87_end(c);                                                             \
    }
BINARY_POP(op_fyl2x, 0xf1)
BINARY_POP(op_fyl2xp1, 0xf9)
BINARY_POP(op_fpatan, 0xf3)

/* One operand, two results pushed: FXTRACT, and FSINCOS/FPTAN (no push
 * and C2 = 1 when the operand is out of range). Stack faults leave the
 * indefinite in both registers. */
#define PUSH2(name, MODRM, CHECK_C2, TAKE)                                      \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        int p0 = f->top, pn = (p0 - 1) & 7;                                     \
        if (likely(x87_empty(f, pn) && !x87_empty(f, p0))) {                    \
            uint16_t hsw = xb_push2(MODRM, CHECK_C2, &f->st[p0], &f->st[pn], &f->st[p0]); \
            x87_flags(f, hsw, TAKE);                                            \
            if (!(CHECK_C2 && (hsw & SW_C2))) {                                 \
                f->top = pn;                                                    \
                x87_set_valid(f, pn);                                           \
            }                                                                   \
        } else {                                                                \
            if (x87_empty(f, p0)) x87_underflow(f);  /* underflow wins */       \
            else x87_overflow(f);                                               \
            f->sw &= ~(CHECK_C2 ? SW_C2 : 0);                                   \
            x87_st_copy(&f->st[p0], X87_INDEFINITE);                            \
            x87_st_copy(&f->st[pn], X87_INDEFINITE);                            \
            x87_set_valid(f, p0);                                               \
            x87_set_valid(f, pn);                                               \
            f->top = pn;                                                        \
        }                                                                       \
        x87_end(c);                                                             \
    }
PUSH2(op_fxtract, 0xf4, 0, SW_C1)
PUSH2(op_fsincos, 0xfb, 1, SW_C1 | SW_C2)
PUSH2(op_fptan, 0xf2, 1, SW_C1 | SW_C2)

static void set_reg8(int op, int reg, op_fn fn)
{
    for (int rm = 0; rm < 8; rm++) x87_reg_ops[op & 7][(reg << 3) | rm] = fn;
}
static void set_reg1(int op, int modrm, op_fn fn) { x87_reg_ops[op & 7][modrm & 63] = fn; }

void x87_register_arith(void)
{
    for (int r = 0; r < 8; r++) {
        x87_mem_ops[0][r] = ops_m32[r];
        x87_mem_ops[4][r] = ops_m64[r];
        x87_mem_ops[2][r] = ops_mi32[r];
        x87_mem_ops[6][r] = ops_mi16[r];
    }
    static const op_fn st0_sti[8] = {op_fadd_st0_sti, op_fmul_st0_sti, op_fcom_sti, op_fcomp_sti,
                                     op_fsub_st0_sti, op_fsubr_st0_sti, op_fdiv_st0_sti, op_fdivr_st0_sti};
    static const op_fn sti_st0[8] = {op_fadd_sti_st0, op_fmul_sti_st0, op_fcom2_sti, op_fcomp3_sti,
                                     op_fsub_sti_st0, op_fsubr_sti_st0, op_fdiv_sti_st0, op_fdivr_sti_st0};
    static const op_fn sti_st0_pop[8] = {op_faddp_sti_st0, op_fmulp_sti_st0, op_fcomp5_sti, NULL,
                                         op_fsubp_sti_st0, op_fsubrp_sti_st0, op_fdivp_sti_st0, op_fdivrp_sti_st0};
    for (int r = 0; r < 8; r++) {
        set_reg8(0xd8, r, st0_sti[r]);
        set_reg8(0xdc, r, sti_st0[r]);
        if (sti_st0_pop[r]) set_reg8(0xde, r, sti_st0_pop[r]);
    }
    set_reg1(0xde, 0xd9, op_fcompp);
    set_reg8(0xdd, 4, op_fucom_sti);
    set_reg8(0xdd, 5, op_fucomp_sti);
    set_reg1(0xda, 0xe9, op_fucompp);
    set_reg8(0xdb, 5, op_fucomi);
    set_reg8(0xdb, 6, op_fcomi);
    set_reg8(0xdf, 5, op_fucomip);
    set_reg8(0xdf, 6, op_fcomip);

    set_reg1(0xd9, 0xe0, op_fchs);
    set_reg1(0xd9, 0xe1, op_fabs);
    set_reg1(0xd9, 0xe4, op_ftst);
    set_reg1(0xd9, 0xe5, op_fxam);
    set_reg1(0xd9, 0xf0, op_f2xm1);
    set_reg1(0xd9, 0xf1, op_fyl2x);
    set_reg1(0xd9, 0xf2, op_fptan);
    set_reg1(0xd9, 0xf3, op_fpatan);
    set_reg1(0xd9, 0xf4, op_fxtract);
    set_reg1(0xd9, 0xf5, op_fprem1);
    set_reg1(0xd9, 0xf8, op_fprem);
    set_reg1(0xd9, 0xf9, op_fyl2xp1);
    set_reg1(0xd9, 0xfa, op_fsqrt);
    set_reg1(0xd9, 0xfb, op_fsincos);
    set_reg1(0xd9, 0xfc, op_frndint);
    set_reg1(0xd9, 0xfd, op_fscale);
    set_reg1(0xd9, 0xfe, op_fsin);
    set_reg1(0xd9, 0xff, op_fcos);
}
