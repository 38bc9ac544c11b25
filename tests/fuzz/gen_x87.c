/* x87 instructions: loads and stores of every format, arithmetic in all
 * memory and register forms, compares (FCOM/FUCOM/FICOM/FCOMI/FTST/FXAM),
 * transcendentals, FCMOVcc, stack and control instructions, control word
 * changes (precision, rounding, unmasked exceptions), FNSTSW, FNSTENV/FLDENV
 * and FNSAVE/FRSTOR (32- and 16-bit formats). Which condition bits each
 * leaves undefined follows the SDM's "FPU Flags Affected". */
#include <string.h>

#include "gen.h"

/* what an instruction does to C0..C3 */
enum {
    CK_ARITH,   /* C1 defined (rounding or stack fault), C0 C2 C3 undefined */
    CK_ALL,     /* all four defined */
    CK_TRIG,    /* C1 and C2 defined, C0 C3 undefined */
    CK_UNDEF,   /* all undefined */
    CK_C1,      /* C1 defined, the rest unchanged */
    CK_KEEP,
};

static void c_effect(struct ins *I, int kind)
{
    switch (kind) {
    case CK_ARITH: I->c_def = FZ_C1; I->c_undef = FZ_C0 | FZ_C2 | FZ_C3; break;
    case CK_ALL: I->c_def = FZ_CALL; break;
    case CK_TRIG: I->c_def = FZ_C1 | FZ_C2; I->c_undef = FZ_C0 | FZ_C3; break;
    case CK_UNDEF: I->c_undef = FZ_CALL; break;
    case CK_C1: I->c_def = FZ_C1; break;
    default: break;
    }
}

/* FXAM defines C0..C3 whatever ST0 holds (empty included). */
bool gen_x87_define_c(struct gen *g)
{
    struct ins *I = ins_new(g, S_SETUP, "fxam");
    ins_b(I, 0xd9);
    ins_b(I, 0xe5);
    c_effect(I, CK_ALL);
    return ins_end(g, I);
}

static bool need_c(struct gen *g)
{
    return !(g->t.cur.c_undef & FZ_CALL) || gen_x87_define_c(g);
}

static bool mem_op(struct gen *g, uint8_t op, int reg, int size, int mflags, const char *name, int ck)
{
    struct rmop o = { .is_mem = 1 };
    if (!pick_mem(g, &o.m, size, mflags)) return false;
    struct ins *I = ins_new(g, S_X87, name);
    if (o.m.seg) ins_b(I, o.m.seg);
    ins_b(I, op);
    ins_modrm(I, reg, &o);
    c_effect(I, ck);
    return ins_end(g, I);
}

static bool reg_op(struct gen *g, uint8_t op, uint8_t modrm, const char *name, int ck)
{
    struct ins *I = ins_new(g, S_X87, name);
    ins_b(I, op);
    ins_b(I, modrm);
    c_effect(I, ck);
    return ins_end(g, I);
}

/* ---- arithmetic ---- */

static bool x_arith_mem(struct gen *g)
{
    static const char *const fp[8] = { "fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr" };
    static const char *const in[8] = { "fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr" };
    static const uint8_t ops[4] = { 0xd8, 0xdc, 0xda, 0xde };
    static const int sizes[4] = { 4, 8, 4, 2 };
    int f = rnd_below(g, 4), n = rnd_below(g, 8);
    return mem_op(g, ops[f], n, sizes[f], M_READ | M_FAULT, f < 2 ? fp[n] : in[n], n == 2 || n == 3 ? CK_ALL : CK_ARITH);
}

static bool x_arith_reg(struct gen *g)
{
    static const char *const d8[8] = { "fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr" };
    static const char *const dc[8] = { "fadd", "fmul", NULL, NULL, "fsubr", "fsub", "fdivr", "fdiv" };
    static const char *const de[8] = { "faddp", "fmulp", NULL, NULL, "fsubrp", "fsubp", "fdivrp", "fdivp" };
    int f = rnd_below(g, 3), n, i = rnd_below(g, 8);
    if (f == 2 && chance(g, 10)) return reg_op(g, 0xde, 0xd9, "fcompp", CK_ALL);
    do n = rnd_below(g, 8); while (f && (n == 2 || n == 3));
    const char *name = f == 0 ? d8[n] : f == 1 ? dc[n] : de[n];
    return reg_op(g, f == 0 ? 0xd8 : f == 1 ? 0xdc : 0xde, 0xc0 | n << 3 | i, name,
                  f == 0 && (n == 2 || n == 3) ? CK_ALL : CK_ARITH);
}

/* D9 E0..FF and friends: one-byte-modrm operations on the stack top */
static bool x_unary(struct gen *g)
{
    static const struct { uint8_t m; const char *name; int ck; } ops[] = {
        { 0xe0, "fchs", CK_ARITH }, { 0xe1, "fabs", CK_ARITH }, { 0xe4, "ftst", CK_ALL }, { 0xe5, "fxam", CK_ALL },
        { 0xf0, "f2xm1", CK_ARITH }, { 0xf1, "fyl2x", CK_ARITH }, { 0xf2, "fptan", CK_TRIG },
        { 0xf3, "fpatan", CK_ARITH }, { 0xf4, "fxtract", CK_ARITH }, { 0xf5, "fprem1", CK_ALL },
        { 0xf6, "fdecstp", CK_ARITH }, { 0xf7, "fincstp", CK_ARITH }, { 0xf8, "fprem", CK_ALL },
        { 0xf9, "fyl2xp1", CK_ARITH }, { 0xfa, "fsqrt", CK_ARITH }, { 0xfb, "fsincos", CK_TRIG },
        { 0xfc, "frndint", CK_ARITH }, { 0xfd, "fscale", CK_ARITH }, { 0xfe, "fsin", CK_TRIG },
        { 0xff, "fcos", CK_TRIG }, { 0xd0, "fnop", CK_UNDEF },
    };
    int k = rnd_below(g, sizeof ops / sizeof ops[0]);
    return reg_op(g, 0xd9, ops[k].m, ops[k].name, ops[k].ck);
}

static bool x_const(struct gen *g)
{
    static const char *const names[7] = { "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz" };
    int k = rnd_below(g, 7);
    return reg_op(g, 0xd9, 0xe8 + k, names[k], CK_ARITH);
}

/* ---- loads and stores ---- */

static bool x_load(struct gen *g)
{
    switch (rnd_below(g, 8)) {
    case 0: return mem_op(g, 0xd9, 0, 4, M_READ | M_FAULT, "fld m32", CK_ARITH);
    case 1: return mem_op(g, 0xdd, 0, 8, M_READ | M_FAULT, "fld m64", CK_ARITH);
    case 2: return mem_op(g, 0xdb, 5, 10, M_READ | M_FAULT, "fld m80", CK_ARITH);
    case 3: return mem_op(g, 0xdf, 0, 2, M_READ | M_FAULT, "fild m16", CK_ARITH);
    case 4: return mem_op(g, 0xdb, 0, 4, M_READ | M_FAULT, "fild m32", CK_ARITH);
    case 5: return mem_op(g, 0xdf, 5, 8, M_READ | M_FAULT, "fild m64", CK_ARITH);
    case 6: return reg_op(g, 0xd9, 0xc0 + rnd_below(g, 8), "fld st", CK_ARITH);
    default: {   /* FBLD of a valid packed BCD (invalid digits give undefined results) */
        struct memop m;
        if (!pick_mem(g, &m, 10, M_READ | M_DATA)) return false;
        uint8_t d[10];
        for (int k = 0; k < 9; k++) d[k] = (uint8_t)(rnd_below(g, 10) << 4 | rnd_below(g, 10));
        if (chance(g, 30)) memset(d + 1 + rnd_below(g, 4), 0, 5);
        d[9] = chance(g, 50) ? 0x80 : 0;
        uint32_t w0, w1;
        memcpy(&w0, d, 4);
        memcpy(&w1, d + 4, 4);
        if (!emit_store_imm(g, m.addr, w0, 4) || !emit_store_imm(g, m.addr + 4, w1, 4) ||
            !emit_store_imm(g, m.addr + 8, d[8] | d[9] << 8, 2))
            return false;
        struct rmop o = { .is_mem = 1, .m = m };
        struct ins *I = ins_new(g, S_X87, "fbld");
        if (m.seg) ins_b(I, m.seg);
        ins_b(I, 0xdf);
        ins_modrm(I, 4, &o);
        c_effect(I, CK_ARITH);
        return ins_end(g, I);
    }
    }
}

static bool x_store(struct gen *g)
{
    int w = M_WRITE | M_FAULT;
    switch (rnd_below(g, 14)) {
    case 0: return mem_op(g, 0xd9, 2, 4, w, "fst m32", CK_ARITH);
    case 1: return mem_op(g, 0xd9, 3, 4, w, "fstp m32", CK_ARITH);
    case 2: return mem_op(g, 0xdd, 2, 8, w, "fst m64", CK_ARITH);
    case 3: return mem_op(g, 0xdd, 3, 8, w, "fstp m64", CK_ARITH);
    case 4: return mem_op(g, 0xdb, 7, 10, w, "fstp m80", CK_ARITH);
    case 5: return mem_op(g, 0xdf, 2, 2, w, "fist m16", CK_ARITH);
    case 6: return mem_op(g, 0xdf, 3, 2, w, "fistp m16", CK_ARITH);
    case 7: return mem_op(g, 0xdb, 2, 4, w, "fist m32", CK_ARITH);
    case 8: return mem_op(g, 0xdb, 3, 4, w, "fistp m32", CK_ARITH);
    case 9: return mem_op(g, 0xdf, 7, 8, w, "fistp m64", CK_ARITH);
    case 10: return mem_op(g, 0xdf, 6, 10, w, "fbstp", CK_ARITH);
    case 11: return reg_op(g, 0xdd, 0xd0 + rnd_below(g, 8), "fst st", CK_ARITH);
    case 12: return reg_op(g, 0xdd, 0xd8 + rnd_below(g, 8), "fstp st", CK_ARITH);
    default: return reg_op(g, 0xd9, 0xc8 + rnd_below(g, 8), "fxch", CK_ARITH);
    }
}

bool gen_fisttp(struct gen *g)
{
    static const uint8_t ops[3] = { 0xdf, 0xdb, 0xdd };
    static const int sizes[3] = { 2, 4, 8 };
    static const char *const names[3] = { "fisttp m16", "fisttp m32", "fisttp m64" };
    int k = rnd_below(g, 3);
    struct rmop o = { .is_mem = 1 };
    if (!pick_mem(g, &o.m, sizes[k], M_WRITE | M_FAULT)) return false;
    struct ins *I = ins_new(g, S_SSE3, names[k]);
    if (o.m.seg) ins_b(I, o.m.seg);
    ins_b(I, ops[k]);
    ins_modrm(I, 1, &o);
    c_effect(I, CK_ARITH);
    return ins_end(g, I);
}

/* ---- compares and conditional moves ---- */

static bool x_compare(struct gen *g)
{
    int i = rnd_below(g, 8);
    switch (rnd_below(g, 6)) {
    case 0: return reg_op(g, 0xdd, 0xe0 + i, "fucom", CK_ALL);
    case 1: return reg_op(g, 0xdd, 0xe8 + i, "fucomp", CK_ALL);
    case 2: return reg_op(g, 0xda, 0xe9, "fucompp", CK_ALL);
    default: {   /* FCOMI family: EFLAGS */
        static const struct { uint8_t op, m; const char *name; } f[4] = {
            { 0xdb, 0xf0, "fcomi" }, { 0xdb, 0xe8, "fucomi" }, { 0xdf, 0xf0, "fcomip" }, { 0xdf, 0xe8, "fucomip" } };
        int k = rnd_below(g, 4);
        struct ins *I = ins_new(g, S_X87, f[k].name);
        ins_b(I, f[k].op);
        ins_b(I, f[k].m + i);
        c_effect(I, CK_C1);
        I->f_def = FZ_OF | FZ_SF | FZ_AF;
        I->fcomi = 1;   /* ZF PF CF: set unless an unmasked #IA */
        return ins_end(g, I);
    }
    }
}

static bool x_fcmov(struct gen *g)
{
    static const uint32_t reads[4] = { FZ_CF, FZ_ZF, FZ_CF | FZ_ZF, FZ_PF };
    static const char *const names[8] = { "fcmovb", "fcmove", "fcmovbe", "fcmovu",
                                          "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu" };
    int cc = rnd_below(g, 4), neg = rnd_below(g, 2);
    if (g->t.cur.f_undef & reads[cc] && !emit_define_flags(g)) return false;
    struct ins *I = ins_new(g, S_X87, names[cc + 4 * neg]);
    ins_b(I, neg ? 0xdb : 0xda);
    ins_b(I, 0xc0 | cc << 3 | rnd_below(g, 8));
    c_effect(I, CK_ARITH);
    I->f_read = reads[cc];
    return ins_end(g, I);
}

/* ---- control ---- */

static uint16_t pick_cw(struct gen *g)
{
    uint16_t cw = 0x037f;
    /* DM too: with #D unmasked, AMD still completes FLD m32/m64 where the
     * SDM leaves the operands unaltered (a vendor difference ue probes) */
    static const uint8_t bits[6] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20 };
    if (chance(g, 10)) cw &= ~bits[rnd_below(g, 6)];
    else if (chance(g, 5)) cw = (cw & ~0x3f) | (rnd(g) & 0x3f);
    cw = (cw & ~0xc00) | rnd_below(g, 4) << 10;
    int pc = rnd_below(g, 10);
    cw = (cw & ~0x300) | (pc < 5 ? 3 : pc < 7 ? 2 : pc < 9 ? 0 : 1) << 8;
    if (chance(g, 5)) cw ^= rnd(g) & 0xe0c0;   /* reserved bits */
    return cw;
}

static bool x_fldcw(struct gen *g)
{
    struct memop m;
    if (!pick_mem(g, &m, 2, M_READ | M_DATA)) return false;
    uint16_t cw = pick_cw(g);
    if (!emit_store_imm(g, m.addr, cw, 2)) return false;
    struct rmop o = { .is_mem = 1, .m = m };
    struct ins *I = ins_new(g, S_X87, "fldcw");
    if (m.seg) ins_b(I, m.seg);
    ins_b(I, 0xd9);
    ins_modrm(I, 5, &o);
    c_effect(I, CK_UNDEF);
    I->cw_op = CW_SET;
    I->cw_val = cw;
    return ins_end(g, I);
}

static bool x_status(struct gen *g)
{
    struct ins *I;
    bool wait = chance(g, 20);
    switch (rnd_below(g, 6)) {
    case 0: case 1:   /* fnstsw ax */
        if (!need_c(g)) return false;
        I = ins_new(g, S_X87, wait ? "fstsw ax" : "fnstsw ax");
        if (wait) ins_b(I, 0x9b);
        ins_b(I, 0xdf);
        ins_b(I, 0xe0);
        I->c_read = FZ_CALL;
        c_effect(I, CK_UNDEF);
        I->regs_w = 1 << EAX;
        return ins_end(g, I);
    case 2: {         /* fnstsw m16 */
        if (!need_c(g)) return false;
        struct rmop o = { .is_mem = 1 };
        if (!pick_mem(g, &o.m, 2, M_WRITE | M_FAULT)) return false;
        I = ins_new(g, S_X87, "fnstsw m16");
        if (wait) ins_b(I, 0x9b);
        ins_b(I, 0xdd);
        ins_modrm(I, 7, &o);
        I->c_read = FZ_CALL;
        c_effect(I, CK_UNDEF);
        return ins_end(g, I);
    }
    case 3: {         /* fnstcw m16 */
        struct rmop o = { .is_mem = 1 };
        if (!pick_mem(g, &o.m, 2, M_WRITE | M_FAULT)) return false;
        I = ins_new(g, S_X87, "fnstcw");
        if (wait) ins_b(I, 0x9b);
        ins_b(I, 0xd9);
        ins_modrm(I, 7, &o);
        c_effect(I, CK_UNDEF);
        return ins_end(g, I);
    }
    case 4:           /* fnclex / fninit / fwait */
        if (chance(g, 40)) {
            I = ins_new(g, S_X87, "fwait");
            ins_b(I, 0x9b);
            return ins_end(g, I);
        }
        if (chance(g, 60)) {
            I = ins_new(g, S_X87, wait ? "fclex" : "fnclex");
            if (wait) ins_b(I, 0x9b);
            ins_b(I, 0xdb);
            ins_b(I, 0xe2);
            c_effect(I, CK_UNDEF);
            return ins_end(g, I);
        }
        I = ins_new(g, S_X87, wait ? "finit" : "fninit");
        if (wait) ins_b(I, 0x9b);
        ins_b(I, 0xdb);
        ins_b(I, 0xe3);
        I->c_def = FZ_CALL;
        I->cw_op = CW_SET;
        I->cw_val = 0x037f;
        return ins_end(g, I);
    default: {        /* ffree / ffreep */
        bool p = chance(g, 30);
        return reg_op(g, p ? 0xdf : 0xdd, 0xc0 + rnd_below(g, 8), p ? "ffreep" : "ffree", CK_UNDEF);
    }
    }
}

/* A simple operation between a store of the environment and its reload. */
static bool x_simple(struct gen *g)
{
    switch (rnd_below(g, 4)) {
    case 0: return x_arith_reg(g);
    case 1: return x_unary(g);
    case 2: return x_const(g);
    default: return x_store(g);
    }
}

/* FNSTENV/FNSAVE to memory, maybe a few operations, FLDENV/FRSTOR back. */
static bool x_env(struct gen *g)
{
    bool save = chance(g, 40), o16 = chance(g, 25), wait = chance(g, 15);
    int env = o16 ? 14 : 28, size = env + (save ? 80 : 0);
    uint32_t ptr_off = o16 ? 6 : 12, ptr_len = o16 ? 8 : 16;
    struct memop m;
    if (!pick_mem(g, &m, size, M_WRITE | M_DATA | M_NOINDEX)) return false;
    if (chance(g, 10)) {   /* load an environment from whatever the memory holds */
        struct ins *L = ins_new(g, S_X87, save ? "frstor" : "fldenv");
        if (o16) ins_b(L, 0x66);
        if (m.seg) ins_b(L, m.seg);
        ins_b(L, save ? 0xdd : 0xd9);
        struct rmop r = { .is_mem = 1, .m = m };
        r.m.flags = M_READ;
        r.m.size = size;
        ins_modrm(L, 4, &r);
        L->c_def = FZ_CALL;
        L->cw_op = CW_UNKNOWN;
        return ins_end(g, L);
    }
    if (!need_c(g)) return false;
    struct rmop o = { .is_mem = 1, .m = m };
    o.m.flags &= ~M_READ;
    struct ins *I = ins_new(g, S_X87, save ? "fnsave" : "fnstenv");
    if (wait) ins_b(I, 0x9b);
    if (o16) ins_b(I, 0x66);
    if (m.seg) ins_b(I, m.seg);
    ins_b(I, save ? 0xdd : 0xd9);
    ins_modrm(I, 6, &o);
    I->c_read = FZ_CALL;
    ins_poison(I, m.addr + ptr_off, ptr_len);   /* FIP, FCS/FOP, FDP, FDS */
    if (save) {
        I->c_def = FZ_CALL;   /* FNSAVE ends with FNINIT */
        I->cw_op = CW_SET;
        I->cw_val = 0x037f;
    } else {
        c_effect(I, CK_UNDEF);
        I->cw_op = g->t.cur.cw_known ? CW_SET : CW_UNKNOWN;
        I->cw_val = g->t.cur.cw | 0x3f;   /* FNSTENV masks all exceptions */
    }
    if (!ins_end(g, I)) return false;
    if (chance(g, 30)) return true;   /* only the store */
    int n = rnd_below(g, 3);
    for (int k = 0; k < n; k++)
        if (!x_simple(g)) return false;
    I = ins_new(g, S_X87, save ? "frstor" : "fldenv");
    if (o16) ins_b(I, 0x66);
    if (m.seg) ins_b(I, m.seg);
    ins_b(I, save ? 0xdd : 0xd9);
    struct rmop r = { .is_mem = 1, .m = m };
    r.m.flags &= ~M_READ;
    ins_modrm(I, 4, &r);
    ins_read(I, m.addr, ptr_off);
    ins_read(I, m.addr + env, size - env);
    I->c_def = FZ_CALL;
    I->cw_op = CW_UNKNOWN;
    return ins_end(g, I);
}

struct tmpl {
    bool (*fn)(struct gen *g);
    int weight;
};
static const struct tmpl x87_tmpl[] = {
    { x_arith_mem, 10 }, { x_arith_reg, 10 }, { x_unary, 10 }, { x_const, 3 }, { x_load, 12 }, { x_store, 12 },
    { x_compare, 6 }, { x_fcmov, 3 }, { x_fldcw, 3 }, { x_status, 6 }, { x_env, 3 },
};

bool gen_x87(struct gen *g)
{
    int total = 0;
    for (unsigned k = 0; k < sizeof x87_tmpl / sizeof x87_tmpl[0]; k++) total += x87_tmpl[k].weight;
    int r = rnd_below(g, total);
    for (unsigned k = 0; k < sizeof x87_tmpl / sizeof x87_tmpl[0]; k++) {
        if (r < x87_tmpl[k].weight) return x87_tmpl[k].fn(g);
        r -= x87_tmpl[k].weight;
    }
    return false;
}
