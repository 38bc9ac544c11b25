/* BMI1 and BMI2 (only where the host has BMI2: fuzz.c): the VEX-encoded
 * general-register instructions with register and memory operands, BEXTR
 * controls and BZHI indexes around the operand size, VEX fields 32-bit
 * mode ignores (VEX.W, VEX.B, vvvv[3] where vvvv names a register) set at
 * random, and now and then an encoding every CPU refuses (#UD: VEX.L=1, a
 * 66/F2/F3/LOCK prefix before VEX, a reserved map, a pp or ModRM.reg no
 * extension defines there, RORX with vvvv not 1111b), which ends the case. */
#include "gen.h"

/* what VEX.vvvv is */
enum { V_SRC, V_DST, V_NONE };
/* the vvvv source's values worth forcing */
enum { C_ANY, C_BEXTR, C_INDEX };

struct bop {
    const char *name;
    uint8_t map, pp, op, ext;   /* map: 2 0F38, 3 0F3A; ext: ModRM.reg of the F3 group, else 8 */
    uint8_t vvvv, ctl;
    bool bmi1_flags, bextr_flags, imm;
};

static const struct bop ops[] = {
    { "andn", 2, 0, 0xf2, 8, V_SRC, C_ANY, true, false, false },
    { "bextr", 2, 0, 0xf7, 8, V_SRC, C_BEXTR, true, true, false },
    { "blsr", 2, 0, 0xf3, 1, V_DST, C_ANY, true, false, false },
    { "blsmsk", 2, 0, 0xf3, 2, V_DST, C_ANY, true, false, false },
    { "blsi", 2, 0, 0xf3, 3, V_DST, C_ANY, true, false, false },
    { "bzhi", 2, 0, 0xf5, 8, V_SRC, C_INDEX, true, false, false },
    { "pext", 2, 2, 0xf5, 8, V_SRC, C_ANY, false, false, false },
    { "pdep", 2, 3, 0xf5, 8, V_SRC, C_ANY, false, false, false },
    { "mulx", 2, 3, 0xf6, 8, V_DST, C_ANY, false, false, false },
    { "shlx", 2, 1, 0xf7, 8, V_SRC, C_INDEX, false, false, false },
    { "sarx", 2, 2, 0xf7, 8, V_SRC, C_INDEX, false, false, false },
    { "shrx", 2, 3, 0xf7, 8, V_SRC, C_INDEX, false, false, false },
    { "rorx", 3, 3, 0xf0, 8, V_NONE, C_ANY, false, false, true },
};
#define NOPS (sizeof ops / sizeof ops[0])

/* The #UD forms: which field is wrong. */
enum { U_L1, U_PREFIX, U_MAP, U_PP, U_GROUP, U_VVVV, U_N };

static uint32_t pick_ctl(struct gen *g, int kind)
{
    uint32_t hi = chance(g, 20) ? pick_u32(g) & 0xffff0000u : 0;
    if (kind == C_BEXTR) {
        uint32_t start = chance(g, 15) ? rnd(g) & 0xff : rnd_below(g, 36);
        uint32_t len = chance(g, 15) ? rnd(g) & 0xff : rnd_below(g, 36);
        return hi | len << 8 | start;
    }
    return (hi | (chance(g, 20) ? rnd(g) & 0xff00 : 0)) | (chance(g, 15) ? rnd(g) & 0xff : rnd_below(g, 36));
}

static bool bmi_op(struct gen *g, const struct bop *s)
{
    int bad = g->fault_ok && !g->ended && chance(g, 10) ? (int)rnd_below(g, U_N) : -1;
    if (bad == U_GROUP && s->ext == 8) bad = U_L1;
    if (bad == U_VVVV && s->vvvv != V_NONE) bad = U_L1;
    if (bad == U_PP && s->op == 0xf7) bad = U_PREFIX;   /* F7 has all four */
    /* vvvv as a source: a control value now and then (set up before the
     * memory operand is picked, and kept out of its index) */
    int v = s->vvvv == V_SRC ? pick_src(g) : s->vvvv == V_DST ? pick_dst(g, 4) : 0;
    if (s->vvvv == V_SRC && s->ctl != C_ANY && chance(g, 60)) {
        v = pick_dst(g, 4);
        if (!emit_mov_imm(g, v, pick_ctl(g, s->ctl))) return false;
        g->avoid_idx |= 1 << v;
    }
    struct rmop o;
    if (!pick_rm(g, &o, 4, 35, M_READ | M_FAULT)) return false;
    int d = pick_dst(g, 4);   /* ModRM.reg's, where it names one */

    struct ins *I = ins_new(g, S_BMI, s->name);
    uint8_t seg = o.is_mem ? o.m.seg : 0, pfx = 0;
    if (bad == U_PREFIX) {
        static const uint8_t p[] = { 0x66, 0xf2, 0xf3, 0xf0 };
        pfx = p[rnd_below(g, 4)];
    }
    bool seg_first = chance(g, 50);   /* a segment prefix may come anywhere before VEX */
    if (seg && seg_first) ins_b(I, seg);
    if (pfx) ins_b(I, pfx);
    if (seg && !seg_first) ins_b(I, seg);
    int map = s->map;
    if (bad == U_MAP) map = chance(g, 30) ? 0 : 4 + rnd_below(g, 28);
    int pp = s->pp;
    if (bad == U_PP) pp = (pp + 1 + rnd_below(g, 3)) & 3;
    int vf = s->vvvv == V_NONE ? 15 : (~v & 7) | (chance(g, 20) ? 0 : 8);   /* vvvv[3] is ignored for a register */
    if (bad == U_VVVV) vf = 15 ^ (1 + rnd_below(g, 15));
    ins_b(I, 0xc4);
    ins_b(I, (uint8_t)(0xc0 | (chance(g, 20) ? 0 : 0x20) | map));
    ins_b(I, (uint8_t)((chance(g, 20) ? 0x80 : 0) | vf << 3 | (bad == U_L1 ? 4 : 0) | pp));
    ins_b(I, s->op);
    int reg = s->ext != 8 ? s->ext : d;
    if (bad == U_GROUP) reg = chance(g, 25) ? 0 : 4 + rnd_below(g, 4);
    ins_modrm(I, reg, &o);
    if (s->imm) ins_b(I, (uint8_t)(chance(g, 30) ? rnd_below(g, 40) : rnd(g)));
    if (bad >= 0) {
        I->name = "vex #ud";
        g->ended = true;
        return ins_end(g, I);
    }
    I->regs_w = s->vvvv == V_DST ? 1 << v : 0;
    if (s->ext == 8) I->regs_w |= 1 << d;
    if (s->bmi1_flags) {
        I->f_def = s->bextr_flags ? FZ_ZF | FZ_CF | FZ_OF : FZ_CF | FZ_ZF | FZ_SF | FZ_OF;
        I->f_undef = s->bextr_flags ? FZ_SF | FZ_AF | FZ_PF : FZ_AF | FZ_PF;
    }
    return ins_end(g, I);
}

bool gen_bmi(struct gen *g)
{
    int count = 1 + (chance(g, 40) ? rnd_below(g, 3) : 0);
    for (int c = 0; c < count; c++)
        if (!bmi_op(g, &ops[rnd_below(g, NOPS)])) return false;
    return true;
}
