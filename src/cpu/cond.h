/* The 16 x86 conditions (Jcc/SETcc/CMOVcc) as inline code: a handler made
 * for one condition code gets the choice folded at compile time, and CMP or
 * TEST results are compared straight from the recorded operands. */
#ifndef UE_COND_H
#define UE_COND_H

#include "sizes.h"

/* The arithmetic flags of the recorded operation (flags.c). */
uint32_t flags_arith(const struct cpu *c);

/* CF alone, cheaply for the common kinds (INC/DEC keep it, ADC/SBB read it). */
static inline __attribute__((always_inline)) bool flag_cf_inline(struct cpu *c)
{
    uint32_t op = c->lf_op;
    switch (op) {
    case LF_NONE: return c->eflags & F_CF;
    case LF_LOGIC: case LF_LOGIC + 1: case LF_LOGIC + 2: return false;
    case LF_SUB: case LF_SUB + 1: case LF_SUB + 2:
        return c->lf_a < c->lf_b;
    case LF_ADD: case LF_ADD + 1: case LF_ADD + 2:
        return c->lf_res < c->lf_a;
    case LF_INC: case LF_INC + 1: case LF_INC + 2:
    case LF_DEC: case LF_DEC + 1: case LF_DEC + 2:
        return c->eflags & F_CF;
    default: return flags_arith(c) & F_CF;
    }
}

static inline bool cond_from_flags(uint32_t f, int cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = f & F_OF; break;
    case 1: r = f & F_CF; break;
    case 2: r = f & F_ZF; break;
    case 3: r = f & (F_CF | F_ZF); break;
    case 4: r = f & F_SF; break;
    case 5: r = f & F_PF; break;
    case 6: r = !(f & F_SF) != !(f & F_OF); break;
    default: r = (f & F_ZF) || (!(f & F_SF) != !(f & F_OF)); break;
    }
    return r ^ (cc & 1);
}

static inline __attribute__((always_inline)) bool cond_eval(struct cpu *c, int cc)
{
    uint32_t op = c->lf_op;
    if (op >= LF_SUB && op < LF_SUB + 3) {
        /* CMP/SUB: compare the operands directly (res = a - b, already masked) */
        int sz = op - LF_SUB;
        uint32_t a = c->lf_a, b = c->lf_b;
        int32_t sa = size_sext(a, sz), sb = size_sext(b, sz);
        bool r;
        switch (cc >> 1) {
        case 1: r = a < b; break;
        case 2: r = a == b; break;
        case 3: r = a <= b; break;
        case 4: r = c->lf_res & size_sign(sz); break;
        case 6: r = sa < sb; break;
        case 7: r = sa <= sb; break;
        default: return cond_from_flags(flags_arith(c), cc);
        }
        return r ^ (cc & 1);
    }
    if (op >= LF_LOGIC && op < LF_LOGIC + 3) {
        int sz = op - LF_LOGIC;
        uint32_t res = c->lf_res & size_mask(sz);
        bool zf = res == 0, sf = res & size_sign(sz), r;
        switch (cc >> 1) {
        case 0: case 1: r = false; break;
        case 2: case 3: r = zf; break;
        case 4: case 6: r = sf; break;
        case 7: r = zf || sf; break;
        default: return cond_from_flags(flags_arith(c), cc);
        }
        return r ^ (cc & 1);
    }
    if ((cc >> 1) == 1 || (cc >> 1) == 3) {
        /* CF (and for BE/A ZF, which every recorded kind has in its result) */
        bool cf = flag_cf_inline(c);
        if ((cc >> 1) == 3 && !cf)
            cf = op == LF_NONE ? c->eflags & F_ZF : !(c->lf_res & size_mask((op - 1) % 3));
        return cf ^ (cc & 1);
    }
    if (op != LF_NONE && ((cc >> 1) == 2 || (cc >> 1) == 4)) {
        /* ZF and SF come from the result for every recorded kind (INC, DEC, ADD...) */
        int sz = (op - 1) % 3;
        bool r = (cc >> 1) == 2 ? !(c->lf_res & size_mask(sz)) : !!(c->lf_res & size_sign(sz));
        return r ^ (cc & 1);
    }
    return cond_from_flags(flags_arith(c), cc);
}

#endif
