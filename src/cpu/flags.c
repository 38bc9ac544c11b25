/* Lazy arithmetic flags: the last flag-setting operation is recorded
 * (kind+size, result, operands) and CF/PF/AF/ZF/SF/OF are computed when read.
 * Conditions (Jcc/SETcc/CMOVcc) read the common cases straight from the
 * operands. */
#include "cpu.h"
#include "cond.h"

static inline uint32_t pzs(uint32_t res, int sz)
{
    uint32_t f = 0;
    if (!(__builtin_parity(res & 0xff))) f |= F_PF;
    if ((res & size_mask(sz)) == 0) f |= F_ZF;
    if (res & size_sign(sz)) f |= F_SF;
    return f;
}

/* The arithmetic flags of the recorded operation. */
uint32_t flags_arith(const struct cpu *c)
{
    uint32_t op = c->lf_op, res = c->lf_res, a = c->lf_a, b = c->lf_b;
    if (op == LF_NONE) return c->eflags & F_ARITH;
    int sz = (op - 1) % 3;
    uint32_t kind = op - sz;
    uint32_t sign = size_sign(sz);
    uint32_t f = pzs(res, sz);
    switch (kind) {
    case LF_ADD:
    case LF_ADC:
        if (((a & b) | ((a | b) & ~res)) & sign) f |= F_CF;
        if (((a ^ res) & (b ^ res)) & sign) f |= F_OF;
        f |= (a ^ b ^ res) & F_AF;
        break;
    case LF_SUB:
    case LF_SBB:
        if (((~a & b) | ((~a | b) & res)) & sign) f |= F_CF;
        if (((a ^ b) & (a ^ res)) & sign) f |= F_OF;
        f |= (a ^ b ^ res) & F_AF;
        break;
    case LF_LOGIC:
        break;
    case LF_INC:
        f |= c->eflags & F_CF;
        if ((res & size_mask(sz)) == sign) f |= F_OF;
        if ((res & 0xf) == 0) f |= F_AF;
        break;
    case LF_DEC:
        f |= c->eflags & F_CF;
        if ((res & size_mask(sz)) == sign - 1) f |= F_OF;
        if ((res & 0xf) == 0xf) f |= F_AF;
        break;
    case LF_NEG: /* res = -a */
        if (a) f |= F_CF;
        if ((res & size_mask(sz)) == sign) f |= F_OF;
        f |= (a ^ res) & F_AF;
        break;
    case LF_SHL: { /* a = operand, b = count (1..31) */
        int bits = 8 << sz;
        uint64_t wide = (uint64_t)a << b;
        if ((wide >> bits) & 1) f |= F_CF;
        if (((res & sign) != 0) != ((f & F_CF) != 0)) f |= F_OF;
        break;
    }
    case LF_SHR:
        if (b <= 32 && ((uint64_t)a >> (b - 1)) & 1) f |= F_CF;
        if (a & sign) f |= F_OF;
        break;
    case LF_SAR: { /* a is the sign-extended operand */
        uint32_t n = b - 1 > 31 ? 31 : b - 1;
        if (((int32_t)a >> n) & 1) f |= F_CF;
        break;
    }
    case LF_MUL:
    case LF_IMUL: /* b = 1 when the result did not fit the low half */
        if (b) f |= F_CF | F_OF;
        break;
    }
    return f;
}

uint32_t flags_get(struct cpu *c)
{
    return (c->eflags & ~F_ARITH) | flags_arith(c) | 0x2;
}

void flags_set(struct cpu *c, uint32_t f, uint32_t mask)
{
    uint32_t cur = flags_get(c);
    c->lf_op = LF_NONE;
    c->eflags = (cur & ~mask) | (f & mask);
}

bool flag_cf(struct cpu *c) { return flag_cf_inline(c); }

bool cond_true(struct cpu *c, int cc) { return cond_eval(c, cc); }
