/* Integer instructions: ALU in every form and size, inc/dec/neg/not,
 * mul/imul/div/idiv, shifts and rotates, double shifts, bit tests and scans,
 * exchanges, setcc/cmovcc, moves and extensions, lea (also 16-bit
 * addressing), balanced stack use, flags moves, string instructions, BCD,
 * enter/leave, forward jumps and call/ret, and (rarely) instructions that
 * fault. Flag effects follow the SDM, with counts known when generated. */
#include <string.h>

#include "gen.h"

#define LOGIC_DEF (FZ_ARITH & ~FZ_AF)

/* the flags condition code cc reads */
static uint32_t cc_reads(int cc)
{
    static const uint32_t r[8] = { FZ_OF, FZ_CF, FZ_ZF, FZ_CF | FZ_ZF, FZ_SF, FZ_PF, FZ_SF | FZ_OF,
                                   FZ_ZF | FZ_SF | FZ_OF };
    return r[(cc >> 1) & 7];
}
static const char *const jcc_names[16] = { "jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
                                           "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg" };

static int pick_size(struct gen *g)
{
    int r = rnd_below(g, 100);
    return r < 25 ? 1 : r < 45 ? 2 : 4;
}

static uint32_t size_mask(int size) { return size == 4 ? 0xffffffffu : (1u << 8 * size) - 1; }

/* Legacy prefixes in a random order (the decoder must not care). */
static void prefixes(struct gen *g, struct ins *I, uint8_t seg, bool o16, bool lock, uint8_t rep)
{
    uint8_t p[4];
    int n = 0;
    if (seg) p[n++] = seg;
    if (o16) p[n++] = 0x66;
    if (lock) p[n++] = 0xf0;
    if (rep) p[n++] = rep;
    for (int k = n - 1; k > 0; k--) {
        int j = rnd_below(g, k + 1);
        uint8_t t = p[k];
        p[k] = p[j];
        p[j] = t;
    }
    for (int k = 0; k < n; k++) ins_b(I, p[k]);
}

static uint8_t rm_seg(const struct rmop *o) { return o->is_mem ? o->m.seg : 0; }
static uint8_t rm_regs(int size, const struct rmop *o) { return o->is_mem ? 0 : reg_bit(size, o->reg); }

/* Makes the flags in mask defined before a reader. */
static bool need_flags(struct gen *g, uint32_t mask)
{
    if (!(g->t.cur.f_undef & mask)) return true;
    if (!(mask & ~FZ_CF) && chance(g, 40)) {
        int set = rnd_below(g, 2);
        struct ins *I = ins_new(g, S_SETUP, set ? "stc" : "clc");
        ins_b(I, set ? 0xf9 : 0xf8);
        I->f_def = FZ_CF;
        return ins_end(g, I);
    }
    return emit_define_flags(g);
}

/* ---- ALU ---- */

static bool t_alu(struct gen *g)
{
    static const char *const names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
    int op = rnd_below(g, 8), size = pick_size(g), form = rnd_below(g, 5);
    bool writes = op != 7, logic = op == 1 || op == 4 || op == 6;
    if (form == 4 && size == 1) size = 4;
    if ((op == 2 || op == 3) && !need_flags(g, FZ_CF)) return false;
    struct rmop o;
    int wflags = M_READ | (writes ? M_WRITE : 0) | M_FAULT;
    if (form != 2 && !pick_rm(g, &o, size, 40, (form == 1) ? M_READ | M_FAULT : wflags)) return false;
    bool lock = form != 1 && form != 2 && o.is_mem && writes && chance(g, 25);
    struct ins *I = ins_new(g, S_INT, names[op]);
    prefixes(g, I, form == 2 ? 0 : rm_seg(&o), size == 2, lock, 0);
    uint32_t imm = pick_u32(g);
    int isz = size == 4 ? 4 : size;
    switch (form) {
    case 0:   /* r/m, r */
        ins_b(I, op * 8 + (size > 1));
        ins_modrm(I, pick_src(g), &o);
        if (writes) I->regs_w = rm_regs(size, &o);
        break;
    case 1: { /* r, r/m */
        int r = writes ? pick_dst(g, size) : pick_src(g);
        ins_b(I, op * 8 + 2 + (size > 1));
        ins_modrm(I, r, &o);
        if (writes) I->regs_w = reg_bit(size, r);
        break;
    }
    case 2:   /* accumulator, imm */
        ins_b(I, op * 8 + 4 + (size > 1));
        ins_imm(I, imm, isz);
        if (writes) I->regs_w = 1 << EAX;
        break;
    case 3:   /* r/m, imm (80 and its alias 82 for bytes) */
        ins_b(I, size == 1 ? (chance(g, 5) ? 0x82 : 0x80) : 0x81);
        ins_modrm(I, op, &o);
        ins_imm(I, imm, isz);
        if (writes) I->regs_w = rm_regs(size, &o);
        break;
    default:  /* r/m, sign-extended imm8 */
        ins_b(I, 0x83);
        ins_modrm(I, op, &o);
        ins_imm(I, imm, 1);
        if (writes) I->regs_w = rm_regs(size, &o);
        break;
    }
    I->f_def = logic ? LOGIC_DEF : FZ_ARITH;
    I->f_undef = logic ? FZ_AF : 0;
    I->f_read = (op == 2 || op == 3) ? FZ_CF : 0;
    return ins_end(g, I);
}

static bool t_test(struct gen *g)
{
    int size = pick_size(g), form = rnd_below(g, 3);
    struct rmop o;
    if (form != 1 && !pick_rm(g, &o, size, 35, M_READ | M_FAULT)) return false;
    struct ins *I = ins_new(g, S_INT, "test");
    prefixes(g, I, form == 1 ? 0 : rm_seg(&o), size == 2, false, 0);
    int isz = size == 4 ? 4 : size;
    if (form == 0) {
        ins_b(I, 0x84 + (size > 1));
        ins_modrm(I, pick_src(g), &o);
    } else if (form == 1) {
        ins_b(I, 0xa8 + (size > 1));
        ins_imm(I, pick_u32(g), isz);
    } else {
        ins_b(I, 0xf6 + (size > 1));
        ins_modrm(I, chance(g, 5) ? 1 : 0, &o);   /* /1 is an alias */
        ins_imm(I, pick_u32(g), isz);
    }
    I->f_def = LOGIC_DEF;
    I->f_undef = FZ_AF;
    return ins_end(g, I);
}

static bool t_incdec(struct gen *g)
{
    int size = pick_size(g), dec = rnd_below(g, 2);
    struct ins *I;
    if (size > 1 && chance(g, 40)) {   /* 40+r / 48+r */
        int r = pick_dst(g, size);
        I = ins_new(g, S_INT, dec ? "dec" : "inc");
        prefixes(g, I, 0, size == 2, false, 0);
        ins_b(I, (dec ? 0x48 : 0x40) + r);
        I->regs_w = 1 << r;
    } else {
        struct rmop o;
        if (!pick_rm(g, &o, size, 40, M_READ | M_WRITE | M_FAULT)) return false;
        I = ins_new(g, S_INT, dec ? "dec" : "inc");
        prefixes(g, I, rm_seg(&o), size == 2, o.is_mem && chance(g, 25), 0);
        ins_b(I, size == 1 ? 0xfe : 0xff);
        ins_modrm(I, dec, &o);
        I->regs_w = rm_regs(size, &o);
    }
    I->f_def = FZ_ARITH & ~FZ_CF;
    return ins_end(g, I);
}

static bool t_negnot(struct gen *g)
{
    int size = pick_size(g), neg = rnd_below(g, 2);
    struct rmop o;
    if (!pick_rm(g, &o, size, 35, M_READ | M_WRITE | M_FAULT)) return false;
    struct ins *I = ins_new(g, S_INT, neg ? "neg" : "not");
    prefixes(g, I, rm_seg(&o), size == 2, o.is_mem && chance(g, 25), 0);
    ins_b(I, size == 1 ? 0xf6 : 0xf7);
    ins_modrm(I, 2 + neg, &o);
    I->regs_w = rm_regs(size, &o);
    if (neg) I->f_def = FZ_ARITH;
    return ins_end(g, I);
}

/* ---- multiply and divide ---- */

static bool t_mul(struct gen *g)
{
    int size = pick_size(g), form = rnd_below(g, 4);
    struct rmop o;
    if (form > 0 && size == 1) size = 4;
    if (!pick_rm(g, &o, size, 35, M_READ | M_FAULT)) return false;
    struct ins *I = ins_new(g, S_INT, "imul");
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);
    if (form == 0) {   /* mul / imul r/m: EDX:EAX */
        int sign = rnd_below(g, 2);
        I->name = sign ? "imul" : "mul";
        ins_b(I, size == 1 ? 0xf6 : 0xf7);
        ins_modrm(I, 4 + sign, &o);
        I->regs_w = size == 1 ? 1 << EAX : (1 << EAX | 1 << EDX);
    } else {
        int r = pick_dst(g, size);
        if (form == 1) {
            ins_b(I, 0x0f);
            ins_b(I, 0xaf);
            ins_modrm(I, r, &o);
        } else if (form == 2) {
            ins_b(I, 0x6b);
            ins_modrm(I, r, &o);
            ins_imm(I, pick_u32(g), 1);
        } else {
            ins_b(I, 0x69);
            ins_modrm(I, r, &o);
            ins_imm(I, pick_u32(g), size);
        }
        I->regs_w = 1 << r;
    }
    I->f_def = FZ_CF | FZ_OF;
    I->f_undef = FZ_SF | FZ_ZF | FZ_AF | FZ_PF;
    return ins_end(g, I);
}

static bool t_div(struct gen *g)
{
    int size = pick_size(g), sign = rnd_below(g, 2);
    uint32_t mask = size_mask(size), bits = 8 * size;
    bool fault = g->fault_ok && !g->ended && chance(g, 25);
    uint32_t d = pick_u32(g) & mask;
    int32_t sd = size == 1 ? (int8_t)d : size == 2 ? (int16_t)d : (int32_t)d;
    if (!fault) {
        while (d == 0 || (sign && sd == -1)) {
            d = pick_u32(g) & mask;
            sd = size == 1 ? (int8_t)d : size == 2 ? (int16_t)d : (int32_t)d;
        }
    } else {
        d = chance(g, 60) ? 0 : d;
        g->ended = true;
    }
    /* the high half of the dividend: small enough for the quotient to fit */
    uint32_t high;
    bool sext = false;
    if (fault) {
        high = d == 0 ? pick_u32(g) : (sign ? (uint32_t)(sd < 0 ? -sd : sd) : d + rnd_below(g, 3));
    } else if (!sign) {
        high = rnd_below(g, d);
    } else {
        uint32_t ad = sd < 0 ? (uint32_t)-sd : (uint32_t)sd;
        if (ad < 4 || chance(g, 30)) sext = true, high = 0;
        else high = (uint32_t)((int32_t)rnd_below(g, 2 * (ad / 2 - 2) + 1) - (int32_t)(ad / 2 - 2));
    }
    high &= mask;
    (void)bits;
    /* the divisor: a register other than the dividend's, or memory */
    struct rmop o;
    memset(&o, 0, sizeof o);
    if (chance(g, 40)) {
        o.is_mem = 1;
        g->avoid_idx = 1 << EAX | 1 << EDX;   /* the dividend is set after */
        bool ok = pick_mem(g, &o.m, size, M_READ | M_DATA);
        g->avoid_idx = 0;
        if (!ok) return false;
        if (in_window(o.m.addr, size) && !emit_store_imm(g, o.m.addr, d, size)) return false;
    } else {
        do o.reg = size == 1 ? rnd_below(g, 8) : pick_dst(g, 4);
        while (size == 1 ? (o.reg == 0 || o.reg == 4) : (o.reg == EAX || o.reg == EDX));
        if (!emit_mov_imm(g, size == 1 ? (o.reg & 3) : o.reg, size == 1 && o.reg >= 4 ? d << 8 : d)) return false;
    }
    struct ins *S;
    if (sext) {
        S = ins_new(g, S_INT, size == 1 ? "cbw" : size == 2 ? "cwd" : "cdq");
        if (size <= 2) ins_b(S, 0x66);
        ins_b(S, size == 1 ? 0x98 : 0x99);
        S->regs_w = size == 1 ? 1 << EAX : 1 << EDX;
    } else if (size == 1) {
        S = ins_new(g, S_SETUP, "mov");   /* mov ah, imm8 */
        ins_b(S, 0xb4);
        ins_imm(S, high, 1);
        S->regs_w = 1 << EAX;
    } else {
        S = ins_new(g, S_SETUP, "mov");
        if (size == 2) ins_b(S, 0x66);
        ins_b(S, 0xba);
        ins_imm(S, high, size);
        S->regs_w = 1 << EDX;
    }
    if (!ins_end(g, S)) return false;
    struct ins *I = ins_new(g, S_INT, sign ? "idiv" : "div");
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);
    ins_b(I, size == 1 ? 0xf6 : 0xf7);
    ins_modrm(I, 6 + sign, &o);
    I->regs_w = size == 1 ? 1 << EAX : (1 << EAX | 1 << EDX);
    I->f_undef = FZ_ARITH;
    return ins_end(g, I);
}

/* ---- shifts and rotates ---- */

/* Flag effects of op (0 rol .. 7 sar) on a size-byte operand by a count
 * known at generation time. */
static void shift_flags(struct ins *I, int op, int size, uint32_t count)
{
    uint32_t bits = 8 * size, c = count & 31;
    if (c == 0) return;
    switch (op) {
    case 0: case 1:   /* rol, ror */
        I->f_def = FZ_CF | (c == 1 ? FZ_OF : 0);
        I->f_undef = c == 1 ? 0 : FZ_OF;
        break;
    case 2: case 3: { /* rcl, rcr: rotate through CF by c mod (bits + 1) */
        uint32_t t = size == 4 ? c : c % (bits + 1);
        if (t) {
            I->f_read = FZ_CF;
            I->f_def = FZ_CF;
        }
        if (c == 1) {
            I->f_read |= FZ_CF;
            I->f_def |= FZ_OF;
        } else {
            I->f_undef = FZ_OF;
        }
        break;
    }
    default:          /* shl, shr, sal, sar */
        I->f_def = FZ_SF | FZ_ZF | FZ_PF | FZ_CF | (c == 1 ? FZ_OF : 0);
        I->f_undef = FZ_AF | (c == 1 ? 0 : FZ_OF);
        if (op != 7 && c >= bits) {
            I->f_def &= ~FZ_CF;
            I->f_undef |= FZ_CF;
        }
        break;
    }
}

static uint32_t pick_count(struct gen *g)
{
    int r = rnd_below(g, 100);
    return r < 70 ? rnd_below(g, 41) : r < 85 ? rnd_below(g, 3) : r < 95 ? 31 + rnd_below(g, 3) : rnd_below(g, 256);
}

static bool t_shift(struct gen *g)
{
    static const char *const names[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
    int op = rnd_below(g, 8), size = pick_size(g), form = rnd_below(g, 3);
    if (op == 6 && chance(g, 80)) op = 4;   /* /6 is the undocumented SAL alias */
    uint32_t count = 1;
    bool known = true;
    if (form == 1) count = pick_count(g);
    if (form == 2) {
        if (chance(g, 85)) {
            count = pick_count(g);
            struct ins *S = ins_new(g, S_SETUP, "mov");   /* mov cl, imm8 */
            ins_b(S, 0xb1);
            ins_imm(S, count, 1);
            S->regs_w = 1 << ECX;
            if (!ins_end(g, S)) return false;
        } else {
            known = false;
        }
    }
    struct rmop o;
    g->avoid_idx = 1 << ECX;   /* CL holds the count */
    bool ok = pick_rm(g, &o, size, 30, M_READ | M_WRITE | M_FAULT);
    g->avoid_idx = 0;
    if (!ok) return false;
    struct ins *I = ins_new(g, S_INT, names[op]);
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);
    ins_b(I, (form == 0 ? 0xd0 : form == 1 ? 0xc0 : 0xd2) + (size > 1));
    ins_modrm(I, op, &o);
    if (form == 1) ins_imm(I, count, 1);
    I->regs_w = rm_regs(size, &o);
    if (known) {
        shift_flags(I, op, size, count);
    } else {   /* count 0 leaves the flags: only what may become undefined is */
        I->f_undef = (op == 0 || op == 1 || op == 2 || op == 3) ? FZ_OF : FZ_AF | FZ_OF | (size < 4 && op != 7 ? FZ_CF : 0);
        if (op == 2 || op == 3) I->f_read = FZ_CF;
    }
    if (I->f_read && (g->t.cur.f_undef & I->f_read)) return false;
    return ins_end(g, I);
}

static bool t_shiftd(struct gen *g)
{
    int size = chance(g, 35) ? 2 : 4, right = rnd_below(g, 2), by_cl = rnd_below(g, 2);
    uint32_t count = pick_count(g), c = count & 31;
    if (by_cl) {
        struct ins *S = ins_new(g, S_SETUP, "mov");
        ins_b(S, 0xb1);
        ins_imm(S, count, 1);
        S->regs_w = 1 << ECX;
        if (!ins_end(g, S)) return false;
    }
    struct rmop o;
    g->avoid_idx = 1 << ECX;
    bool ok = pick_rm(g, &o, size, 30, M_READ | M_WRITE | M_FAULT);
    g->avoid_idx = 0;
    if (!ok) return false;
    /* an undefined result in memory could be copied on (ENTER's frame
     * pointers) where poisoning does not follow it: keep those in registers */
    if (o.is_mem && c > 8u * size) return false;
    struct ins *I = ins_new(g, S_INT, right ? "shrd" : "shld");
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);
    ins_b(I, 0x0f);
    ins_b(I, (right ? 0xac : 0xa4) + by_cl);
    ins_modrm(I, pick_src(g), &o);
    if (!by_cl) ins_imm(I, count, 1);
    I->regs_w = rm_regs(size, &o);
    bool undef_result = c > 8u * size;
    if (c && !undef_result) {
        I->f_def = FZ_SF | FZ_ZF | FZ_PF | FZ_CF | (c == 1 ? FZ_OF : 0);
        I->f_undef = FZ_AF | (c == 1 ? 0 : FZ_OF);
    } else if (undef_result) {
        I->f_undef = FZ_ARITH;
        if (o.is_mem) ins_poison(I, o.m.addr, size);
    }
    if (!ins_end(g, I)) return false;
    if (undef_result && !o.is_mem) return emit_mov_imm(g, o.reg, pick_u32(g));
    return true;
}

/* ---- bits ---- */

static bool t_bt(struct gen *g)
{
    static const char *const names[4] = { "bt", "bts", "btr", "btc" };
    int op = rnd_below(g, 4), size = chance(g, 30) ? 2 : 4, imm = rnd_below(g, 2);
    uint32_t bits = 8 * size;
    struct rmop o;
    memset(&o, 0, sizeof o);
    int src = pick_src(g);
    uint32_t ib = rnd_below(g, 256);
    int mflags = M_READ | (op ? M_WRITE : 0) | M_FAULT | M_DATA;
    if (chance(g, 40)) {
        o.is_mem = 1;
        if (!pick_mem(g, &o.m, size, mflags)) return false;
        if (!in_window(o.m.addr, size)) imm = 1;   /* a faulting address: no offset beyond it */
        if (!imm) {
            /* a register bit offset reaches beyond the operand: keep it in the window */
            int32_t k = (int32_t)rnd_below(g, 8 * bits) - (int32_t)(4 * bits);
            int32_t unit = k >= 0 ? k / (int32_t)bits : -((-k + (int32_t)bits - 1) / (int32_t)bits);
            uint32_t at = o.m.addr + unit * size;
            if (!in_window(at, size)) k = (int32_t)rnd_below(g, bits), at = o.m.addr;
            do src = pick_dst(g, 4); while (src == g->B || (o.m.has_sib && ((o.m.sib >> 3) & 7) == src));
            if (!emit_mov_imm(g, src, (uint32_t)k)) return false;
            o.m.addr = at;
        }
    } else {
        o.reg = op ? pick_dst(g, size) : pick_src(g);
    }
    struct ins *I = ins_new(g, S_INT, names[op]);
    prefixes(g, I, rm_seg(&o), size == 2, o.is_mem && op && chance(g, 25), 0);
    ins_b(I, 0x0f);
    if (imm) {
        ins_b(I, 0xba);
        ins_modrm(I, 4 + op, &o);
        ins_imm(I, ib, 1);
    } else {
        ins_b(I, 0xa3 + 8 * op);
        ins_modrm(I, src, &o);
    }
    if (op) I->regs_w = rm_regs(size, &o);
    I->f_def = FZ_CF;
    I->f_undef = FZ_OF | FZ_SF | FZ_AF | FZ_PF;
    return ins_end(g, I);
}

static bool t_bitscan(struct gen *g)
{
    int size = chance(g, 30) ? 2 : 4, rev = rnd_below(g, 2);
    uint32_t v = chance(g, 10) ? 0 : pick_u32(g);
    if (size == 2 && (v & 0xffff) == 0 && chance(g, 70)) v |= 1u << rnd_below(g, 16);
    bool zero = (v & size_mask(size)) == 0;
    struct rmop o;
    memset(&o, 0, sizeof o);
    if (chance(g, 35)) {
        o.is_mem = 1;
        if (!pick_mem(g, &o.m, size, M_READ | M_DATA)) return false;
        if (!emit_store_imm(g, o.m.addr, v, size)) return false;
    } else {
        o.reg = pick_dst(g, 4);
        if (!emit_mov_imm(g, o.reg, v)) return false;
    }
    int d = pick_dst(g, size);
    struct ins *I = ins_new(g, S_INT, rev ? "bsr" : "bsf");
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);   /* never F3: that is TZCNT/LZCNT */
    ins_b(I, 0x0f);
    ins_b(I, 0xbc + rev);
    ins_modrm(I, d, &o);
    I->regs_w = 1 << d;
    I->f_def = FZ_ZF;
    I->f_undef = FZ_CF | FZ_OF | FZ_SF | FZ_AF | FZ_PF;
    if (!ins_end(g, I)) return false;
    if (zero) return emit_mov_imm(g, d, pick_u32(g));   /* the destination is undefined */
    return true;
}

/* POPCNT, TZCNT, LZCNT (F3 0F B8/BC/BD), MOVBE (0F 38 F0/F1), CRC32 (F2 0F
 * 38 F0/F1) and ADCX/ADOX (66/F3 0F 38 F6): only those the host has (the
 * generator runs on it), which are the ones ue runs. */
enum { BX_POPCNT, BX_TZCNT, BX_LZCNT, BX_MOVBE, BX_CRC32, BX_ADX, BX_N };
static unsigned bitext_host(void)
{
    static int have = -1;
    if (have < 0) {
        unsigned a, b, c, d, max;
        have = 0;
        __asm__("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
        have |= (c >> 23 & 1) << BX_POPCNT | (c >> 22 & 1) << BX_MOVBE | (c >> 20 & 1) << BX_CRC32;
        if (max >= 7) {
            __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
            have |= (b >> 3 & 1) << BX_TZCNT | (b >> 19 & 1) << BX_ADX;
        }
        __asm__("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000), "c"(0));
        if (max >= 0x80000001) {
            __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
            have |= (c >> 5 & 1) << BX_LZCNT;
        }
    }
    return (unsigned)have;
}

static bool t_bitext(struct gen *g)
{
    int kind = rnd_below(g, BX_N);
    if (!(bitext_host() >> kind & 1)) return false;
    int size = chance(g, 30) ? 2 : 4;
    struct rmop o;
    struct ins *I;
    int d;
    switch (kind) {
    case BX_POPCNT: case BX_TZCNT: case BX_LZCNT: {
        static const char *const names[] = {"popcnt", "tzcnt", "lzcnt"};
        if (!pick_rm(g, &o, size, 35, M_READ | M_FAULT)) return false;
        d = pick_dst(g, size);
        I = ins_new(g, S_INT, names[kind]);
        prefixes(g, I, rm_seg(&o), size == 2, false, 0xf3);
        ins_b(I, 0x0f);
        ins_b(I, kind == BX_POPCNT ? 0xb8 : kind == BX_TZCNT ? 0xbc : 0xbd);
        ins_modrm(I, d, &o);
        I->regs_w = reg_bit(size, d);
        I->f_def = kind == BX_POPCNT ? FZ_ARITH : FZ_CF | FZ_ZF;
        I->f_undef = kind == BX_POPCNT ? 0 : FZ_OF | FZ_SF | FZ_AF | FZ_PF;
        return ins_end(g, I);
    }
    case BX_MOVBE: {
        bool store = chance(g, 50);
        if (!pick_mem(g, &o.m, size, store ? M_WRITE | M_FAULT : M_READ | M_FAULT)) return false;
        o.is_mem = 1;
        d = store ? pick_src(g) : pick_dst(g, size);
        I = ins_new(g, S_INT, "movbe");
        prefixes(g, I, o.m.seg, size == 2, false, 0);
        ins_b(I, 0x0f);
        ins_b(I, 0x38);
        ins_b(I, 0xf0 + store);
        ins_modrm(I, d, &o);
        if (!store) I->regs_w = reg_bit(size, d);
        return ins_end(g, I);
    }
    case BX_CRC32: {
        int src = chance(g, 25) ? 1 : size;
        if (!pick_rm(g, &o, src, 35, M_READ | M_FAULT)) return false;
        d = pick_dst(g, 4);
        I = ins_new(g, S_INT, "crc32");
        prefixes(g, I, rm_seg(&o), src == 2, false, 0xf2);
        ins_b(I, 0x0f);
        ins_b(I, 0x38);
        ins_b(I, src == 1 ? 0xf0 : 0xf1);
        ins_modrm(I, d, &o);
        I->regs_w = reg_bit(4, d);
        return ins_end(g, I);
    }
    default: {   /* ADCX (66) through CF, ADOX (F3) through OF */
        bool ox = chance(g, 50);
        uint32_t f = ox ? FZ_OF : FZ_CF;
        if (!need_flags(g, f)) return false;
        if (!pick_rm(g, &o, 4, 35, M_READ | M_FAULT)) return false;
        d = pick_dst(g, 4);
        I = ins_new(g, S_INT, ox ? "adox" : "adcx");
        prefixes(g, I, rm_seg(&o), false, false, ox ? 0xf3 : 0x66);
        ins_b(I, 0x0f);
        ins_b(I, 0x38);
        ins_b(I, 0xf6);
        ins_modrm(I, d, &o);
        I->regs_w = reg_bit(4, d);
        I->f_read = f;
        I->f_def = f;
        return ins_end(g, I);
    }
    }
}

static bool t_bswap(struct gen *g)
{
    int r = pick_dst(g, 4);
    struct ins *I = ins_new(g, S_INT, "bswap");
    ins_b(I, 0x0f);
    ins_b(I, 0xc8 + r);
    I->regs_w = 1 << r;
    return ins_end(g, I);
}

/* ---- exchanges ---- */

static bool t_xchg(struct gen *g)
{
    int size = pick_size(g), kind = rnd_below(g, 4);
    struct rmop o;
    int r = pick_dst(g, size);
    struct ins *I;
    if (kind == 0 && size > 1) {   /* 90+r */
        I = ins_new(g, S_INT, "xchg");
        prefixes(g, I, 0, size == 2, false, 0);
        ins_b(I, 0x90 + r);
        I->regs_w = 1 << EAX | 1 << r;
        return ins_end(g, I);
    }
    if (!pick_rm(g, &o, size, 45, M_READ | M_WRITE | M_FAULT)) return false;
    bool lock = o.is_mem && chance(g, 30);
    if (kind <= 1) {
        I = ins_new(g, S_INT, "xchg");
        prefixes(g, I, rm_seg(&o), size == 2, lock, 0);
        ins_b(I, 0x86 + (size > 1));
        ins_modrm(I, r, &o);
        I->regs_w = reg_bit(size, r) | rm_regs(size, &o);
    } else if (kind == 2) {
        I = ins_new(g, S_INT, "xadd");
        prefixes(g, I, rm_seg(&o), size == 2, lock, 0);
        ins_b(I, 0x0f);
        ins_b(I, 0xc0 + (size > 1));
        ins_modrm(I, r, &o);
        I->regs_w = reg_bit(size, r) | rm_regs(size, &o);
        I->f_def = FZ_ARITH;
    } else {
        I = ins_new(g, S_INT, "cmpxchg");
        prefixes(g, I, rm_seg(&o), size == 2, lock, 0);
        ins_b(I, 0x0f);
        ins_b(I, 0xb0 + (size > 1));
        ins_modrm(I, pick_src(g), &o);
        I->regs_w = 1 << EAX | rm_regs(size, &o);
        I->f_def = FZ_ARITH;
    }
    return ins_end(g, I);
}

static bool t_cmpxchg8b(struct gen *g)
{
    struct memop m;
    g->avoid_idx = 1 << EAX | 1 << EDX;
    bool ok = pick_mem(g, &m, 8, M_READ | M_WRITE | M_FAULT | M_DATA);
    g->avoid_idx = 0;
    if (!ok) return false;
    if (in_window(m.addr, 8) && chance(g, 50)) {   /* make it succeed */
        uint32_t lo = pick_u32(g), hi = pick_u32(g);
        if (!emit_mov_imm(g, EAX, lo) || !emit_mov_imm(g, EDX, hi)) return false;
        if (!emit_store_imm(g, m.addr, lo, 4) || !emit_store_imm(g, m.addr + 4, hi, 4)) return false;
    }
    struct ins *I = ins_new(g, S_INT, "cmpxchg8b");
    prefixes(g, I, m.seg, false, chance(g, 30), 0);
    ins_b(I, 0x0f);
    ins_b(I, 0xc7);
    struct rmop o = { .is_mem = 1, .m = m };
    ins_modrm(I, 1, &o);
    I->regs_w = 1 << EAX | 1 << EDX;
    I->f_def = FZ_ZF;
    return ins_end(g, I);
}

/* ---- conditions ---- */

static bool t_setcc(struct gen *g)
{
    int cc = rnd_below(g, 16);
    if (!need_flags(g, cc_reads(cc))) return false;
    struct rmop o;
    if (!pick_rm(g, &o, 1, 30, M_WRITE | M_FAULT)) return false;
    struct ins *I = ins_new(g, S_INT, "setcc");
    prefixes(g, I, rm_seg(&o), false, false, 0);
    ins_b(I, 0x0f);
    ins_b(I, 0x90 + cc);
    ins_modrm(I, 0, &o);
    I->regs_w = rm_regs(1, &o);
    I->f_read = cc_reads(cc);
    return ins_end(g, I);
}

static bool t_cmov(struct gen *g)
{
    int cc = rnd_below(g, 16), size = chance(g, 25) ? 2 : 4;
    if (!need_flags(g, cc_reads(cc))) return false;
    struct rmop o;
    if (!pick_rm(g, &o, size, 35, M_READ | M_FAULT)) return false;
    int r = pick_dst(g, size);
    struct ins *I = ins_new(g, S_INT, "cmovcc");
    prefixes(g, I, rm_seg(&o), size == 2, false, 0);
    ins_b(I, 0x0f);
    ins_b(I, 0x40 + cc);
    ins_modrm(I, r, &o);
    I->regs_w = 1 << r;
    I->f_read = cc_reads(cc);
    return ins_end(g, I);
}

/* ---- moves ---- */

static bool t_mov(struct gen *g)
{
    int size = pick_size(g), form = rnd_below(g, 7);
    struct rmop o;
    struct ins *I;
    int isz = size == 4 ? 4 : size;
    if (form == 0 || form == 1) {   /* 88/89: r/m, r and 8A/8B: r, r/m */
        bool store = form == 0;
        if (!pick_rm(g, &o, size, 50, store ? M_WRITE | M_FAULT : M_READ | M_FAULT)) return false;
        int r = store ? pick_src(g) : pick_dst(g, size);
        I = ins_new(g, S_INT, "mov");
        prefixes(g, I, rm_seg(&o), size == 2, false, 0);
        ins_b(I, (store ? 0x88 : 0x8a) + (size > 1));
        ins_modrm(I, r, &o);
        I->regs_w = store ? rm_regs(size, &o) : reg_bit(size, r);
    } else if (form == 2) {         /* B0+r / B8+r */
        int r = pick_dst(g, size);
        I = ins_new(g, S_INT, "mov");
        prefixes(g, I, 0, size == 2, false, 0);
        ins_b(I, (size == 1 ? 0xb0 : 0xb8) + r);
        ins_imm(I, pick_u32(g), isz);
        I->regs_w = reg_bit(size, r);
    } else if (form == 3) {         /* C6/C7 /0 */
        if (!pick_rm(g, &o, size, 70, M_WRITE | M_FAULT)) return false;
        I = ins_new(g, S_INT, "mov");
        prefixes(g, I, rm_seg(&o), size == 2, false, 0);
        ins_b(I, 0xc6 + (size > 1));
        ins_modrm(I, 0, &o);
        ins_imm(I, pick_u32(g), isz);
        I->regs_w = rm_regs(size, &o);
    } else if (form == 4) {         /* A0-A3: moffs */
        bool store = rnd_below(g, 2);
        struct memop m;
        if (!pick_mem(g, &m, size, store ? M_WRITE : M_READ)) return false;
        I = ins_new(g, S_INT, "mov");
        prefixes(g, I, m.seg, size == 2, false, 0);
        ins_b(I, (store ? 0xa2 : 0xa0) + (size > 1));
        ins_imm(I, m.addr, 4);
        if (!store) {
            ins_read(I, m.addr, size);
            I->regs_w = 1 << EAX;
        }
    } else if (form == 5) {         /* movzx / movsx */
        int src = chance(g, 50) ? 1 : 2, dsz = src == 1 && chance(g, 25) ? 2 : 4, sx = rnd_below(g, 2);
        if (!pick_rm(g, &o, src, 40, M_READ | M_FAULT)) return false;
        int r = pick_dst(g, dsz);
        I = ins_new(g, S_INT, sx ? "movsx" : "movzx");
        prefixes(g, I, rm_seg(&o), dsz == 2, false, 0);
        ins_b(I, 0x0f);
        ins_b(I, (sx ? 0xbe : 0xb6) + (src == 2));
        ins_modrm(I, r, &o);
        I->regs_w = 1 << r;
    } else {                        /* 8C: mov r/m, sreg */
        int s = rnd_below(g, 6), o16 = rnd_below(g, 2);
        if (!pick_rm(g, &o, 2, 30, M_WRITE | M_FAULT)) return false;
        I = ins_new(g, S_INT, "mov sreg");
        prefixes(g, I, rm_seg(&o), o16, false, 0);
        ins_b(I, 0x8c);
        ins_modrm(I, s, &o);
        I->regs_w = rm_regs(4, &o);
    }
    return ins_end(g, I);
}

static bool t_cbw(struct gen *g)
{
    int wide = rnd_below(g, 2), o16 = rnd_below(g, 2);
    struct ins *I = ins_new(g, S_INT, wide ? (o16 ? "cwd" : "cdq") : (o16 ? "cbw" : "cwde"));
    if (o16) ins_b(I, 0x66);
    ins_b(I, 0x98 + wide);
    I->regs_w = wide ? 1 << EDX : 1 << EAX;
    return ins_end(g, I);
}

/* LEA with any registers and displacement: nothing is accessed. */
static bool t_lea(struct gen *g)
{
    int o16 = chance(g, 25), a16 = chance(g, 25);
    int r = pick_dst(g, o16 ? 2 : 4);
    struct ins *I = ins_new(g, S_INT, "lea");
    prefixes(g, I, 0, o16, false, 0);
    if (a16) ins_b(I, 0x67);
    ins_b(I, 0x8d);
    int mod = rnd_below(g, 3), rm = rnd_below(g, 8);
    ins_b(I, mod << 6 | r << 3 | rm);
    if (a16) {
        if (mod == 1) ins_imm(I, rnd(g), 1);
        else if (mod == 2 || (mod == 0 && rm == 6)) ins_imm(I, pick_u32(g), 2);
    } else {
        if (rm == 4) ins_b(I, (uint8_t)rnd(g));
        bool base5 = rm == 4 ? (I->b[I->len - 1] & 7) == 5 : rm == 5;
        if (mod == 1) ins_imm(I, rnd(g), 1);
        else if (mod == 2 || (mod == 0 && base5)) ins_imm(I, pick_u32(g), 4);
    }
    I->regs_w = 1 << r;
    return ins_end(g, I);
}

static bool t_xlat(struct gen *g)
{
    uint32_t a = FZ_WIN + rnd_below(g, FZ_WIN_SIZE - 256);
    if (!emit_mov_imm(g, EBX, a)) return false;
    struct ins *I = ins_new(g, S_INT, "xlat");
    if (chance(g, 15)) ins_b(I, 0x26 + 8 * rnd_below(g, 4));
    ins_b(I, 0xd7);
    ins_read(I, a, 256);
    I->regs_w = 1 << EAX;
    return ins_end(g, I);
}

/* ---- flags ---- */

static bool t_flagops(struct gen *g)
{
    struct ins *I;
    switch (rnd_below(g, 8)) {
    case 0: case 1: {   /* clc stc cmc */
        int k = rnd_below(g, 3);
        if (k == 2 && !need_flags(g, FZ_CF)) return false;
        I = ins_new(g, S_INT, k == 0 ? "clc" : k == 1 ? "stc" : "cmc");
        ins_b(I, k == 0 ? 0xf8 : k == 1 ? 0xf9 : 0xf5);
        I->f_def = FZ_CF;
        if (k == 2) I->f_read = FZ_CF;
        return ins_end(g, I);
    }
    case 2: {           /* cld std */
        int s = rnd_below(g, 2);
        I = ins_new(g, S_INT, s ? "std" : "cld");
        ins_b(I, s ? 0xfd : 0xfc);
        I->df = s ? DF_SET : DF_CLEAR;
        return ins_end(g, I);
    }
    case 3:             /* lahf */
        if (!need_flags(g, FZ_ARITH & ~FZ_OF)) return false;
        I = ins_new(g, S_INT, "lahf");
        ins_b(I, 0x9f);
        I->f_read = FZ_ARITH & ~FZ_OF;
        I->regs_w = 1 << EAX;
        return ins_end(g, I);
    case 4:             /* sahf */
        I = ins_new(g, S_INT, "sahf");
        ins_b(I, 0x9e);
        I->f_def = FZ_ARITH & ~FZ_OF;
        return ins_end(g, I);
    case 5:             /* salc: AL = CF ? 0xff : 0 */
        if (!need_flags(g, FZ_CF)) return false;
        I = ins_new(g, S_INT, "salc");
        ins_b(I, 0xd6);
        I->f_read = FZ_CF;
        I->regs_w = 1 << EAX;
        return ins_end(g, I);
    case 6: {           /* pushf; pop r */
        int o16 = chance(g, 25), r = pick_dst(g, 4);
        if (!need_flags(g, FZ_ARITH)) return false;
        I = ins_new(g, S_INT, "pushf");
        if (o16) ins_b(I, 0x66);
        ins_b(I, 0x9c);
        I->f_read = FZ_ARITH;
        if (!ins_end(g, I)) return false;
        I = ins_new(g, S_INT, "pop");
        if (o16) ins_b(I, 0x66);
        ins_b(I, 0x58 + r);
        I->regs_w = 1 << r;
        return ins_end(g, I);
    }
    default: {          /* push imm; popf */
        int o16 = chance(g, 20);
        uint32_t v = 0x2 | (rnd(g) & (FZ_ARITH | 0x400 | 0x200 | 0x3000 | 0x4000 | 0x200000));
        if (!o16 && g->fault_ok && !g->ended && chance(g, 10)) {   /* AC: later misaligned accesses raise #AC */
            v |= 0x40000;
            g->ac = true;
        }
        I = ins_new(g, S_INT, "push");
        if (o16) ins_b(I, 0x66);
        ins_b(I, 0x68);
        ins_imm(I, v, o16 ? 2 : 4);
        if (!ins_end(g, I)) return false;
        I = ins_new(g, S_INT, "popf");
        if (o16) ins_b(I, 0x66);
        ins_b(I, 0x9d);
        I->f_def = FZ_ARITH;
        I->df = (v & 0x400) ? DF_SET : DF_CLEAR;
        return ins_end(g, I);
    }
    }
}

/* ---- BCD ---- */

static bool t_bcd(struct gen *g)
{
    struct ins *I;
    int k = rnd_below(g, 6);
    if (k < 4) {
        static const char *const names[4] = { "daa", "das", "aaa", "aas" };
        static const uint8_t ops[4] = { 0x27, 0x2f, 0x37, 0x3f };
        uint32_t rd = k < 2 ? FZ_CF | FZ_AF : FZ_AF;
        if (!need_flags(g, rd)) return false;
        I = ins_new(g, S_INT, names[k]);
        ins_b(I, ops[k]);
        I->f_read = rd;
        if (k < 2) {
            I->f_def = FZ_CF | FZ_AF | FZ_SF | FZ_ZF | FZ_PF;
            I->f_undef = FZ_OF;
        } else {
            I->f_def = FZ_AF | FZ_CF;
            I->f_undef = FZ_OF | FZ_SF | FZ_ZF | FZ_PF;
        }
    } else {
        uint8_t base = chance(g, 70) ? 10 : (uint8_t)rnd(g);
        if (k == 4 && base == 0) base = 10;
        if (k == 4 && g->fault_ok && !g->ended && chance(g, 15)) {
            base = 0;   /* #DE */
            g->ended = true;
        }
        I = ins_new(g, S_INT, k == 4 ? "aam" : "aad");
        ins_b(I, k == 4 ? 0xd4 : 0xd5);
        ins_b(I, base);
        I->f_def = FZ_SF | FZ_ZF | FZ_PF;
        I->f_undef = FZ_OF | FZ_AF | FZ_CF;
    }
    I->regs_w = 1 << EAX;
    return ins_end(g, I);
}

/* ---- string instructions ---- */

static bool t_string(struct gen *g)
{
    static const char *const names[5] = { "movs", "cmps", "stos", "lods", "scas" };
    static const uint8_t ops[5] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
    int kind = rnd_below(g, 5), size = pick_size(g);
    if (chance(g, 30) || g->t.cur.df < 0) {   /* pick the direction */
        int s = g->t.cur.df < 0 ? rnd_below(g, 2) : !g->t.cur.df;
        struct ins *D = ins_new(g, S_INT, s ? "std" : "cld");
        ins_b(D, s ? 0xfd : 0xfc);
        D->df = s ? DF_SET : DF_CLEAR;
        if (!ins_end(g, D)) return false;
    }
    int df = g->t.cur.df;
    uint8_t rep = 0;   /* F2 on MOVS/STOS/LODS is reserved: only the compares get it */
    if (chance(g, 65)) rep = (kind == 1 || kind == 4) && chance(g, 40) ? 0xf2 : 0xf3;
    uint32_t n = rep ? (chance(g, 10) ? 0 : 1 + rnd_below(g, 12)) : 1;
    uint32_t span = n * size;
    bool src = kind <= 1 || kind == 3, dst = kind != 3;
    /* starting addresses so [first, last] element stays in the window */
    uint32_t room = FZ_WIN_SIZE - span - size;
    uint32_t a = FZ_WIN + rnd_below(g, room) + (df ? span : 0);
    uint32_t b = FZ_WIN + rnd_below(g, room) + (df ? span : 0);
    if (chance(g, 50)) a -= a % size, b -= b % size;
    if (src && !emit_mov_imm(g, ESI, a)) return false;
    if (dst && !emit_mov_imm(g, EDI, b)) return false;
    if (rep && !emit_mov_imm(g, ECX, n)) return false;
    struct ins *I = ins_new(g, S_INT, names[kind]);
    uint8_t seg = src && chance(g, 10) ? (uint8_t[]){ 0x26, 0x2e, 0x36, 0x3e }[rnd_below(g, 4)] : 0;
    prefixes(g, I, seg, size == 2, false, rep);
    ins_b(I, ops[kind] + (size > 1));
    uint32_t lo_a = df ? a - span + size : a, lo_b = df ? b - span + size : b;
    if (src) ins_read(I, lo_a, span);
    if (kind == 1 || kind == 4) ins_read(I, lo_b, span);
    I->need_df = 1 + df;
    I->regs_w = (src ? 1 << ESI : 0) | (dst ? 1 << EDI : 0) | (rep ? 1 << ECX : 0) | (kind == 3 ? 1 << EAX : 0);
    if ((kind == 1 || kind == 4) && n) I->f_def = FZ_ARITH;
    return ins_end(g, I);
}

/* ---- the stack ---- */

static bool t_simple(struct gen *g);

static bool emit_push(struct gen *g, int *bytes)
{
    struct ins *I;
    int o16 = chance(g, 15);
    int k = rnd_below(g, 6);
    int n = o16 ? 2 : 4;
    if (k == 0 || k == 1) {
        I = ins_new(g, S_INT, "push");
        prefixes(g, I, 0, o16, false, 0);
        ins_b(I, 0x50 + pick_src(g));
    } else if (k == 2) {
        I = ins_new(g, S_INT, "push");
        prefixes(g, I, 0, o16, false, 0);
        if (chance(g, 50)) {
            ins_b(I, 0x6a);
            ins_imm(I, pick_u32(g), 1);
        } else {
            ins_b(I, 0x68);
            ins_imm(I, pick_u32(g), n);
        }
    } else if (k == 3) {             /* push r/m */
        struct rmop o;
        if (!pick_rm(g, &o, n, 70, M_READ)) return false;
        I = ins_new(g, S_INT, "push");
        prefixes(g, I, rm_seg(&o), o16, false, 0);
        ins_b(I, 0xff);
        ins_modrm(I, 6, &o);
    } else if (k == 4) {             /* push sreg: the 32-bit form's upper half varies by CPU (ue probes it) */
        static const uint8_t sp[6][2] = { { 0x06 }, { 0x0e }, { 0x16 }, { 0x1e }, { 0x0f, 0xa0 }, { 0x0f, 0xa8 } };
        int s = rnd_below(g, 6);
        I = ins_new(g, S_INT, "push sreg");
        if (o16) ins_b(I, 0x66);
        ins_b(I, sp[s][0]);
        if (sp[s][0] == 0x0f) ins_b(I, sp[s][1]);
    } else {                         /* pusha */
        I = ins_new(g, S_INT, "pusha");
        prefixes(g, I, 0, o16, false, 0);
        ins_b(I, 0x60);
        n = o16 ? 16 : 32;
    }
    g->esp -= n;
    *bytes = n;
    return ins_end(g, I);
}

static bool emit_pop(struct gen *g, int n)
{
    struct ins *I;
    if (n == 16 || n == 32) {        /* popa, skipping ESP */
        I = ins_new(g, S_INT, "popa");
        if (n == 16) ins_b(I, 0x66);
        ins_b(I, 0x61);
        I->regs_w = 0xff & ~(1 << ESP);
        g->esp += n;
        return ins_end(g, I);
    }
    if (chance(g, 30)) {             /* pop r/m: the address is computed after ESP moves */
        g->esp += n;
        struct rmop o;
        if (!pick_rm(g, &o, n, 60, M_WRITE)) return false;
        I = ins_new(g, S_INT, "pop");
        prefixes(g, I, rm_seg(&o), n == 2, false, 0);
        ins_b(I, 0x8f);
        ins_modrm(I, 0, &o);
        I->regs_w = rm_regs(n, &o);
        return ins_end(g, I);
    }
    int r = pick_dst(g, n);
    I = ins_new(g, S_INT, "pop");
    prefixes(g, I, 0, n == 2, false, 0);
    ins_b(I, 0x58 + r);
    I->regs_w = 1 << r;
    g->esp += n;
    return ins_end(g, I);
}

static bool t_pushpop(struct gen *g)
{
    int sizes[3], n = 1 + rnd_below(g, 3);
    for (int k = 0; k < n; k++)
        if (!emit_push(g, &sizes[k])) return false;
    if (chance(g, 30) && !t_simple(g)) return false;
    for (int k = n - 1; k >= 0; k--)
        if (!emit_pop(g, sizes[k])) return false;
    return true;
}

static bool t_enter(struct gen *g)
{
    int level = chance(g, 60) ? 0 : rnd_below(g, 4);
    uint32_t size = chance(g, 30) ? 0 : rnd_below(g, 64);
    if (level || chance(g, 30)) {
        /* ENTER copies level-1 frame pointers from below the old EBP */
        uint32_t ebp = FZ_WIN + 16 + rnd_below(g, 0x180);
        if (!emit_mov_imm(g, EBP, ebp)) return false;
    }
    struct ins *I = ins_new(g, S_INT, "enter");
    ins_b(I, 0xc8);
    ins_imm(I, size, 2);
    ins_imm(I, level, 1);
    I->regs_w = 1 << EBP;
    if (!ins_end(g, I)) return false;
    g->esp -= 4 + 4 * level + size;
    uint8_t prot = g->protect;
    bool nb = g->no_base;
    if (g->B == EBP) g->no_base = true;   /* EBP is the frame now: no B-relative memory */
    g->protect |= 1 << EBP;
    bool ok = !chance(g, 40) || t_simple(g);
    g->protect = prot;
    g->no_base = nb;
    if (!ok) return false;
    I = ins_new(g, S_INT, "leave");
    ins_b(I, 0xc9);
    I->regs_w = 1 << EBP;
    g->esp += 4 + 4 * level + size;
    return ins_end(g, I);
}

/* ---- control flow inside the case ---- */

static bool t_jump(struct gen *g)
{
    int kind = rnd_below(g, 10);
    int j = g->nins;
    struct ins *I = ins_new(g, S_INT, "jcc");
    int cc = rnd_below(g, 16);
    bool near = chance(g, 25);
    if (kind < 5) {
        if (!need_flags(g, cc_reads(cc))) return false;
        j = g->nins;
        I = ins_new(g, S_INT, "jcc");
        I->name = jcc_names[cc];
        if (near) {
            ins_b(I, 0x0f);
            ins_b(I, 0x80 + cc);
            ins_imm(I, 0, 4);
        } else {
            ins_b(I, 0x70 + cc);
            ins_b(I, 0);
        }
        I->f_read = cc_reads(cc);
    } else if (kind < 7) {
        I->name = "jmp";
        if (near) {
            ins_b(I, 0xe9);
            ins_imm(I, 0, 4);
        } else {
            ins_b(I, 0xeb);
            ins_b(I, 0);
        }
        I->jmp_always = 1;
    } else {
        int l = kind - 7;   /* loop, loope/loopne, jecxz */
        if (l == 1 && !need_flags(g, FZ_ZF)) return false;
        j = g->nins;
        I = ins_new(g, S_INT, "loop");
        if (chance(g, 50) && !emit_mov_imm(g, ECX, rnd_below(g, 3))) return false;
        j = g->nins;
        I = ins_new(g, S_INT, "loop");
        if (l == 0) {
            I->name = "loop";
            ins_b(I, 0xe2);
            I->regs_w = 1 << ECX;
        } else if (l == 1) {
            int z = rnd_below(g, 2);
            I->name = z ? "loope" : "loopne";
            ins_b(I, z ? 0xe1 : 0xe0);
            I->regs_w = 1 << ECX;
            I->f_read = FZ_ZF;
        } else {
            I->name = "jecxz";
            ins_b(I, 0xe3);
        }
        ins_b(I, 0);
        near = false;
    }
    if (!ins_end(g, I)) return false;
    struct trk_core snap = g->t.cur;
    int inner = 1 + rnd_below(g, 3);
    for (int k = 0; k < inner; k++)
        if (!t_simple(g)) return false;
    struct ins *J = &g->ins[j];
    trk_join(&g->t, &snap, J->jmp_always);
    uint32_t dist = 0;
    for (int k = j + 1; k < g->nins; k++) dist += g->ins[k].len;
    if (!near && dist > 127) return false;
    if (near) memcpy(J->b + J->len - 4, &dist, 4);
    else J->b[J->len - 1] = (uint8_t)dist;
    J->skip = g->nins - j - 1;
    return true;
}

/* call to a ret right behind a jump over it: call +2; jmp +1; ret */
static bool t_callret(struct gen *g)
{
    bool peek = chance(g, 40);
    int r = pick_dst(g, 4);
    struct ins *I = ins_new(g, S_INT, "call");
    ins_b(I, 0xe8);
    ins_imm(I, 2, 4);
    if (!ins_end(g, I)) return false;
    int len = (peek ? 3 : 0) + (chance(g, 30) ? 3 : 1);
    I = ins_new(g, S_INT, "jmp");
    ins_b(I, 0xeb);
    ins_b(I, (uint8_t)len);
    I->jmp_always = 1;
    I->skip = peek ? 2 : 1;
    if (!ins_end(g, I)) return false;
    if (peek) {   /* mov r, [esp]: the return address */
        I = ins_new(g, S_INT, "mov");
        ins_b(I, 0x8b);
        ins_b(I, 0x04 | r << 3);
        ins_b(I, 0x24);
        I->regs_w = 1 << r;
        if (!ins_end(g, I)) return false;
    }
    I = ins_new(g, S_INT, "ret");
    if (len - (peek ? 3 : 0) == 3) {
        ins_b(I, 0xc2);
        ins_imm(I, 0, 2);
    } else {
        ins_b(I, 0xc3);
    }
    return ins_end(g, I);
}

static bool t_nop(struct gen *g)
{
    struct ins *I = ins_new(g, S_INT, "nop");
    switch (rnd_below(g, 4)) {
    case 0: ins_b(I, 0x90); break;
    case 1: ins_b(I, 0x66); ins_b(I, 0x90); break;
    case 2: ins_b(I, 0xf3); ins_b(I, 0x90); I->name = "pause"; break;
    default:   /* 0F 1F /0: the memory operand is not accessed */
        ins_b(I, 0x0f);
        ins_b(I, 0x1f);
        ins_b(I, 0x44);
        ins_b(I, 0x00);
        ins_b(I, (uint8_t)rnd(g));
        break;
    }
    return ins_end(g, I);
}

/* Instructions that raise a signal in user mode. */
static bool t_fault(struct gen *g)
{
    if (!g->fault_ok || g->ended) return false;
    struct ins *I = ins_new(g, S_INT, "fault");
    switch (rnd_below(g, 22)) {
    case 16: I->name = "int1"; ins_b(I, 0xf1); break;
    case 17: {   /* C6/C7 /1../7: undefined (C6 F8 and C7 F8 are XABORT and XBEGIN) */
        int big = rnd_below(g, 2), r = 1 + rnd_below(g, 7), rm = rnd_below(g, 8);
        if (r == 7 && rm == 0) rm = 1 + rnd_below(g, 7);
        I->name = big ? "c7 /r" : "c6 /r";
        ins_b(I, big ? 0xc7 : 0xc6);
        ins_b(I, (uint8_t)(0xc0 | r << 3 | rm));
        ins_imm(I, rnd(g), big ? 4 : 1);
        break;
    }
    case 18: {   /* a segment load of a selector that faults: #GP/#NP with the selector as error code */
        static const uint16_t bad[] = { 0x4, 0x7, 0x8, 0x13, 0x18, 0x3b, 0x40, 0x68, 0x6f, 0x80, 0x1234, 0xfffc, 0xffff };
        static const uint8_t sreg[] = { 0, 2, 3, 4, 5 };   /* ES SS DS FS GS */
        int r = pick_dst(g, 4), s = sreg[rnd_below(g, 5)];
        if (!emit_mov_imm(g, r, bad[rnd_below(g, sizeof bad / sizeof bad[0])])) return false;
        I = ins_new(g, S_INT, "load sreg");
        if (chance(g, 20)) {                 /* a far jump or call to it */
            I->name = "far jmp/call";
            ins_b(I, chance(g, 50) ? 0xea : 0x9a);
            ins_imm(I, rnd(g), 4);
            ins_imm(I, bad[rnd_below(g, sizeof bad / sizeof bad[0])], 2);
        } else if (chance(g, 50)) {          /* mov sreg, r16 */
            if (chance(g, 30)) ins_b(I, 0x66);
            ins_b(I, 0x8e);
            ins_b(I, (uint8_t)(0xc0 | s << 3 | r));
        } else {                              /* push r; pop sreg */
            static const uint8_t pops[6][2] = { { 0x07 }, { 0 }, { 0x17 }, { 0x1f }, { 0x0f, 0xa1 }, { 0x0f, 0xa9 } };
            struct ins *P = I;
            P->name = "push";
            ins_b(P, 0x50 + r);
            if (!ins_end(g, P)) return false;
            g->esp -= 4;
            I = ins_new(g, S_INT, "pop sreg");
            ins_b(I, pops[s][0]);
            if (pops[s][0] == 0x0f) ins_b(I, pops[s][1]);
        }
        break;
    }
    case 19: {   /* ENTER whose final ESP lands on the read-only page below the data */
        int level = rnd_below(g, 4);
        uint32_t final = FZ_RO_PAGE + rnd_below(g, 0x1000);
        uint32_t size = g->esp - 4 - 4 * level - final;
        if (size > 0xffff) return false;
        if (level && !emit_mov_imm(g, EBP, FZ_WIN + 16 + rnd_below(g, 0x180))) return false;
        I = ins_new(g, S_INT, "enter");
        if (chance(g, 15)) ins_b(I, 0x66);
        ins_b(I, 0xc8);
        ins_imm(I, size, 2);
        ins_imm(I, level, 1);
        break;
    }
    case 20: {   /* a push straddling the read-only page below the data */
        static const char *const names[6] = { "push", "push imm", "push sreg", "call", "pusha", "push m" };
        int k = rnd_below(g, 6), off = rnd_below(g, k == 4 ? 32 : 4);
        /* or ESP just above 0: the first slot runs past 4 GiB (#SS) or lies in the top page */
        if (!emit_mov_imm(g, ESP, chance(g, 20) ? (uint32_t)rnd_below(g, 4) : FZ_DATA_PAGE + off)) return false;
        I = ins_new(g, S_INT, names[k]);
        if (k == 0) ins_b(I, 0x50 + pick_src(g));
        else if (k == 1) { ins_b(I, 0x68); ins_imm(I, rnd(g), 4); }
        else if (k == 2) ins_b(I, 0x1e);
        else if (k == 3) { ins_b(I, 0xe8); ins_imm(I, 0, 4); }
        else if (k == 4) ins_b(I, 0x60);
        else { ins_b(I, 0xff); ins_b(I, 0x35); ins_imm(I, FZ_WIN + rnd_below(g, 0x100), 4); }
        break;
    }
    case 21: {   /* a pop straddling into the unmapped page above the data, or POP m32 to it */
        static const char *const names[6] = { "pop", "pop sreg", "popa", "ret", "pop m", "pop m fault" };
        int k = rnd_below(g, 6), off = 1 + rnd_below(g, k == 2 ? 31 : 3);
        /* or ESP in the last bytes below 4 GiB: a slot past the limit (#SS) or in the top page */
        uint32_t sp = k == 5 ? FZ_ESP0 : chance(g, 20) ? 0xffffffffu - rnd_below(g, 4) : FZ_UNMAPPED - off;
        if (!emit_mov_imm(g, ESP, sp)) return false;
        I = ins_new(g, S_INT, names[k]);
        if (k == 0) ins_b(I, 0x58 + pick_dst(g, 4));
        else if (k == 1) ins_b(I, 0x1f);
        else if (k == 2) ins_b(I, 0x61);
        else if (k == 3) ins_b(I, 0xc3);
        else if (k == 4) { ins_b(I, 0x8f); ins_b(I, 0x05); ins_imm(I, FZ_WIN + rnd_below(g, 0x100), 4); }
        else { ins_b(I, 0x8f); ins_b(I, 0x05); ins_imm(I, FZ_UNMAPPED - 2 + rnd_below(g, 8), 4); }
        break;
    }
    case 14: case 15: {   /* 16-bit addressing reaches below 64 KiB, never mapped: si_addr checks the EA */
        int mod = rnd_below(g, 3), rm = rnd_below(g, 8);
        I->name = "addr16";
        if (chance(g, 50)) ins_b(I, 0x66);
        ins_b(I, 0x67);
        if (chance(g, 20)) {
            I->name = "xlat addr16";
            ins_b(I, 0xd7);
            break;
        }
        ins_b(I, chance(g, 50) ? 0x8b : 0x89);
        ins_b(I, mod << 6 | rnd_below(g, 8) << 3 | rm);
        if (mod == 1) ins_imm(I, rnd(g), 1);
        else if (mod == 2 || (mod == 0 && rm == 6)) ins_imm(I, rnd(g), 2);
        break;
    }
    case 0: I->name = "ud2"; ins_b(I, 0x0f); ins_b(I, 0x0b); break;
    case 1: I->name = "int3"; ins_b(I, 0xcc); break;
    case 2: {
        static const uint8_t vec[] = { 3, 4, 1, 0x0d, 0x21, 0x81, 0xff, 0x2e };
        I->name = "int";
        ins_b(I, 0xcd);
        ins_b(I, vec[rnd_below(g, sizeof vec)]);
        break;
    }
    case 3:
        if (!need_flags(g, FZ_OF)) return false;
        I = ins_new(g, S_INT, "into");
        ins_b(I, 0xce);
        I->f_read = FZ_OF;
        break;
    case 4: I->name = "hlt"; ins_b(I, 0xf4); break;
    case 5: I->name = "cli"; ins_b(I, 0xfa); break;
    case 6: I->name = "sti"; ins_b(I, 0xfb); break;
    case 7: I->name = "in"; ins_b(I, chance(g, 50) ? 0xec : 0xe4); if (I->b[0] == 0xe4) ins_b(I, 0x60); break;
    case 8: I->name = "out"; ins_b(I, 0xee); break;
    case 9: {   /* bound r32, m32&32 */
        struct memop m;
        if (!pick_mem(g, &m, 8, M_READ | M_DATA)) return false;
        I = ins_new(g, S_INT, "bound");
        struct rmop o = { .is_mem = 1, .m = m };
        if (chance(g, 25)) ins_b(I, 0x66);
        ins_b(I, 0x62);
        ins_modrm(I, pick_src(g), &o);
        break;
    }
    case 10: I->name = "lock"; ins_b(I, 0xf0); ins_b(I, 0x01); ins_b(I, 0xc0 | rnd_below(g, 64)); break;
    case 11: I->name = "lea reg"; ins_b(I, 0x8d); ins_b(I, 0xc0 | rnd_below(g, 64)); break;
    case 12: I->name = "mov cr"; ins_b(I, 0x0f); ins_b(I, 0x20); ins_b(I, 0xc0); break;
    default: {  /* a store through CS: #GP */
        struct memop m;
        if (!pick_mem(g, &m, 4, M_WRITE | M_NOSEG)) return false;
        I = ins_new(g, S_INT, "mov cs:");
        struct rmop o = { .is_mem = 1, .m = m };
        ins_b(I, 0x2e);
        ins_b(I, 0x89);
        ins_modrm(I, pick_src(g), &o);
        break;
    }
    }
    g->ended = true;
    return ins_end(g, I);
}

/* What may sit inside a jump's region, a push/pop pair or an enter frame:
 * nothing that moves ESP or changes DF. */
static bool t_simple(struct gen *g)
{
    switch (rnd_below(g, 11)) {
    case 0: case 1: return t_alu(g);
    case 2: return t_mov(g);
    case 3: return t_incdec(g);
    case 4: return t_negnot(g);
    case 5: return t_shift(g);
    case 6: return t_setcc(g);
    case 7: return t_cmov(g);
    case 8: return t_lea(g);
    case 9: return t_test(g);
    default: return t_xchg(g);
    }
}

struct tmpl {
    bool (*fn)(struct gen *g);
    int weight;
};
static const struct tmpl int_tmpl[] = {
    { t_alu, 14 }, { t_test, 3 }, { t_incdec, 4 }, { t_negnot, 3 }, { t_mul, 5 }, { t_div, 5 },
    { t_shift, 10 }, { t_shiftd, 4 }, { t_bt, 4 }, { t_bitscan, 3 }, { t_bitext, 3 }, { t_bswap, 1 }, { t_xchg, 5 },
    { t_cmpxchg8b, 1 }, { t_setcc, 4 }, { t_cmov, 4 }, { t_mov, 6 }, { t_cbw, 2 }, { t_lea, 3 },
    { t_xlat, 1 }, { t_flagops, 5 }, { t_bcd, 3 }, { t_string, 6 }, { t_pushpop, 4 }, { t_enter, 2 },
    { t_jump, 4 }, { t_callret, 1 }, { t_nop, 1 }, { t_fault, 2 },
};

bool gen_int(struct gen *g)
{
    int total = 0;
    for (unsigned k = 0; k < sizeof int_tmpl / sizeof int_tmpl[0]; k++) total += int_tmpl[k].weight;
    int r = rnd_below(g, total);
    for (unsigned k = 0; k < sizeof int_tmpl / sizeof int_tmpl[0]; k++) {
        if (r < int_tmpl[k].weight) return int_tmpl[k].fn(g);
        r -= int_tmpl[k].weight;
    }
    return false;
}
