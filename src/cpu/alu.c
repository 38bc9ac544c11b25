/* The ALU family (ADD OR ADC SBB AND SUB XOR CMP, TEST), INC/DEC, NOT/NEG,
 * MUL/IMUL/DIV/IDIV, XADD, CMPXCHG, CMPXCHG8B.
 * Rule: memory is written before flags and registers change, so an
 * instruction whose store faults can be re-run from its start. */
#include <signal.h>

#include "cpu.h"
#include "sizes.h"
#include "cond.h"

enum alu_op { A_ADD, A_OR, A_ADC, A_SBB, A_AND, A_SUB, A_XOR, A_CMP };

static inline uint32_t alu_result(enum alu_op op, int sz, uint32_t a, uint32_t b, uint32_t cf)
{
    uint32_t m = size_mask(sz);
    switch (op) {
    case A_ADD: return (a + b) & m;
    case A_OR: return a | b;
    case A_ADC: return (a + b + cf) & m;
    case A_SBB: return (a - b - cf) & m;
    case A_AND: return a & b;
    case A_SUB: case A_CMP: return (a - b) & m;
    default: return a ^ b;
    }
}

static inline void alu_flags(struct cpu *c, enum alu_op op, int sz, uint32_t r, uint32_t a, uint32_t b)
{
    static const uint8_t kind[8] = {LF_ADD, LF_LOGIC, LF_ADC, LF_SBB, LF_LOGIC, LF_SUB, LF_LOGIC, LF_SUB};
    if (op == A_OR || op == A_AND || op == A_XOR) {   /* the result alone decides */
        c->lf_op = LF_LOGIC + sz;
        c->lf_res = r;
        return;
    }
    set_lazy(c, kind[op] + sz, r, a, b);
}

/* ALU op on an r/m destination (mod3 or memory) with source value b. */
#define DEFINE_ALU_RM(BITS, SZ)                                                             \
    static inline void alu_rm##BITS(struct cpu *c, const struct insn *i, enum alu_op op, uint32_t b) \
    {                                                                                       \
        uint32_t cf = (op == A_ADC || op == A_SBB) ? flag_cf_inline(c) : 0;                        \
        if (i->mod3) {                                                                      \
            uint32_t a = GETR##BITS(c, i->rm);                                              \
            uint32_t r = alu_result(op, SZ, a, b, cf);                                      \
            if (op != A_CMP) SETR##BITS(c, i->rm, r);                                       \
            alu_flags(c, op, SZ, r, a, b);                                                  \
        } else if (op == A_CMP) {                                                           \
            uint32_t a = LD##BITS(ea(c, i));                                                \
            alu_flags(c, op, SZ, alu_result(op, SZ, a, b, 0), a, b);                       \
        } else {                                                                            \
            guest_addr addr = ea(c, i);                                                     \
            RMW(uint##BITS##_t, i->lock, addr, old, alu_result(op, SZ, old, b, cf));              \
            alu_flags(c, op, SZ, new_, old, b);                                             \
        }                                                                                   \
    }
DEFINE_ALU_RM(8, 0)
DEFINE_ALU_RM(16, 1)
DEFINE_ALU_RM(32, 2)

#define DEFINE_ALU_FORMS(name, OP)                                                                   \
    HANDLER(op_##name##_rm8_r8) { alu_rm8(c, i, OP, get_r8(c, i->reg)); } \
    HANDLER(op_##name##_rm16_r16) { alu_rm16(c, i, OP, get_r16(c, i->reg)); } \
    HANDLER(op_##name##_rm32_r32) { alu_rm32(c, i, OP, c->r[i->reg]); } \
    HANDLER(op_##name##_rm8_imm) { alu_rm8(c, i, OP, i->imm & 0xff); } \
    HANDLER(op_##name##_rm16_imm) { alu_rm16(c, i, OP, i->imm & 0xffff); } \
    HANDLER(op_##name##_rm32_imm) { alu_rm32(c, i, OP, i->imm); } \
    HANDLER(op_##name##_r8_rm8)                               \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = get_r8(c, i->reg), b = load_rm8(c, i), r = alu_result(OP, 0, a, b, cf);          \
        if (OP != A_CMP) set_r8(c, i->reg, r);                                                        \
        alu_flags(c, OP, 0, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_r16_rm16)                             \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = get_r16(c, i->reg), b = load_rm16(c, i), r = alu_result(OP, 1, a, b, cf);        \
        if (OP != A_CMP) set_r16(c, i->reg, r);                                                       \
        alu_flags(c, OP, 1, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_r32_rm32)                             \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[i->reg], b = load_rm32(c, i), r = alu_result(OP, 2, a, b, cf);              \
        if (OP != A_CMP) c->r[i->reg] = r;                                                            \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_al_imm)                               \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = get_r8(c, EAX), b = i->imm & 0xff, r = alu_result(OP, 0, a, b, cf);              \
        if (OP != A_CMP) set_r8(c, EAX, r);                                                           \
        alu_flags(c, OP, 0, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_ax_imm)                               \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = get_r16(c, EAX), b = i->imm & 0xffff, r = alu_result(OP, 1, a, b, cf);           \
        if (OP != A_CMP) set_r16(c, EAX, r);                                                          \
        alu_flags(c, OP, 1, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_eax_imm)                              \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[EAX], b = i->imm, r = alu_result(OP, 2, a, b, cf);                          \
        if (OP != A_CMP) c->r[EAX] = r;                                                               \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }

/* Decode-time specialisations of the 32-bit forms: register-register, and
 * memory operands without index (ea_simple). */
#define DEFINE_ALU_FAST(name, OP)                                                                     \
    HANDLER(op_##name##_r32_r32_reg)  /* 01-style, mod 3 */  \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[i->rm], b = c->r[i->reg], r = alu_result(OP, 2, a, b, cf);                  \
        if (OP != A_CMP) c->r[i->rm] = r;                                                             \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_r32_rm32_reg) /* 03-style, mod 3 */  \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[i->reg], b = c->r[i->rm], r = alu_result(OP, 2, a, b, cf);                  \
        if (OP != A_CMP) c->r[i->reg] = r;                                                            \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_r32_m32_simple)                      \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[i->reg], b = ld32(ea_simple(c, i)), r = alu_result(OP, 2, a, b, cf);        \
        if (OP != A_CMP) c->r[i->reg] = r;                                                            \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }                                                                                                 \
    HANDLER(op_##name##_rm32_imm_reg)                        \
    {                                                                                                 \
        uint32_t cf = (OP == A_ADC || OP == A_SBB) ? flag_cf_inline(c) : 0;                                  \
        uint32_t a = c->r[i->rm], b = i->imm, r = alu_result(OP, 2, a, b, cf);                        \
        if (OP != A_CMP) c->r[i->rm] = r;                                                             \
        alu_flags(c, OP, 2, r, a, b);                                                                 \
    }

#define ALU_OPS(X) X(add, A_ADD) X(or, A_OR) X(adc, A_ADC) X(sbb, A_SBB) X(and, A_AND) X(sub, A_SUB) X(xor, A_XOR) X(cmp, A_CMP)
ALU_OPS(DEFINE_ALU_FORMS)
ALU_OPS(DEFINE_ALU_FAST)

/* ---- TEST ---- */
HANDLER(op_test_rm8_r8) { set_lazy(c, LF_LOGIC, load_rm8(c, i) & get_r8(c, i->reg), 0, 0); }
HANDLER(op_test_rm16_r16) { set_lazy(c, LF_LOGIC + 1, load_rm16(c, i) & get_r16(c, i->reg), 0, 0); }
HANDLER(op_test_rm32_r32) { set_lazy(c, LF_LOGIC + 2, load_rm32(c, i) & c->r[i->reg], 0, 0); }
HANDLER(op_test_rm8_imm) { set_lazy(c, LF_LOGIC, load_rm8(c, i) & i->imm & 0xff, 0, 0); }
HANDLER(op_test_rm16_imm) { set_lazy(c, LF_LOGIC + 1, load_rm16(c, i) & i->imm & 0xffff, 0, 0); }
HANDLER(op_test_rm32_imm) { set_lazy(c, LF_LOGIC + 2, load_rm32(c, i) & i->imm, 0, 0); }
HANDLER(op_test_al_imm) { set_lazy(c, LF_LOGIC, c->r[EAX] & i->imm & 0xff, 0, 0); }
HANDLER(op_test_ax_imm) { set_lazy(c, LF_LOGIC + 1, c->r[EAX] & i->imm & 0xffff, 0, 0); }
HANDLER(op_test_eax_imm) { set_lazy(c, LF_LOGIC + 2, c->r[EAX] & i->imm, 0, 0); }

/* ---- INC/DEC/NOT/NEG (one-operand read-modify-write) ---- */
#define DEFINE_UNARY(BITS, SZ)                                                                 \
    HANDLER(op_inc_rm##BITS)                           \
    {                                                                                          \
        uint32_t cf = flag_cf_inline(c), a, r;                                                        \
        if (i->mod3) { a = GETR##BITS(c, i->rm); r = (a + 1) & size_mask(SZ); SETR##BITS(c, i->rm, r); } \
        else { guest_addr addr = ea(c, i); RMW(uint##BITS##_t, i->lock, addr, old, old + 1); a = old; r = new_; } \
        c->eflags = (c->eflags & ~F_CF) | cf;                                                  \
        set_lazy(c, LF_INC + SZ, r, a, 1);                                                     \
    }                                                                                          \
    HANDLER(op_dec_rm##BITS)                           \
    {                                                                                          \
        uint32_t cf = flag_cf_inline(c), a, r;                                                        \
        if (i->mod3) { a = GETR##BITS(c, i->rm); r = (a - 1) & size_mask(SZ); SETR##BITS(c, i->rm, r); } \
        else { guest_addr addr = ea(c, i); RMW(uint##BITS##_t, i->lock, addr, old, old - 1); a = old; r = new_; } \
        c->eflags = (c->eflags & ~F_CF) | cf;                                                  \
        set_lazy(c, LF_DEC + SZ, r, a, 1);                                                     \
    }                                                                                          \
    HANDLER(op_not_rm##BITS)                           \
    {                                                                                          \
        if (i->mod3) SETR##BITS(c, i->rm, ~GETR##BITS(c, i->rm));                              \
        else { guest_addr addr = ea(c, i); RMW(uint##BITS##_t, i->lock, addr, old, ~old); (void)new_; } \
    }                                                                                          \
    HANDLER(op_neg_rm##BITS)                           \
    {                                                                                          \
        uint32_t a, r;                                                                         \
        if (i->mod3) { a = GETR##BITS(c, i->rm); r = (0 - a) & size_mask(SZ); SETR##BITS(c, i->rm, r); } \
        else { guest_addr addr = ea(c, i); RMW(uint##BITS##_t, i->lock, addr, old, 0 - old); a = old; r = new_; } \
        set_lazy(c, LF_NEG + SZ, r, a, 0);                                                     \
    }
DEFINE_UNARY(8, 0)
DEFINE_UNARY(16, 1)
DEFINE_UNARY(32, 2)

HANDLER(op_inc_r32)
{
    if (i->flags_dead) { c->r[i->op & 7] += 1; return; }   /* nobody reads its flags */
    uint32_t cf = flag_cf_inline(c), a = c->r[i->op & 7];
    c->r[i->op & 7] = a + 1;
    c->eflags = (c->eflags & ~F_CF) | cf;
    set_lazy(c, LF_INC + 2, a + 1, a, 1);
}
HANDLER(op_dec_r32)
{
    if (i->flags_dead) { c->r[i->op & 7] -= 1; return; }   /* nobody reads its flags */
    uint32_t cf = flag_cf_inline(c), a = c->r[i->op & 7];
    c->r[i->op & 7] = a - 1;
    c->eflags = (c->eflags & ~F_CF) | cf;
    set_lazy(c, LF_DEC + 2, a - 1, a, 1);
}
HANDLER(op_inc_r16)
{
    uint32_t cf = flag_cf_inline(c), a = get_r16(c, i->op & 7), r = (a + 1) & 0xffff;
    set_r16(c, i->op & 7, r);
    c->eflags = (c->eflags & ~F_CF) | cf;
    set_lazy(c, LF_INC + 1, r, a, 1);
}
HANDLER(op_dec_r16)
{
    uint32_t cf = flag_cf_inline(c), a = get_r16(c, i->op & 7), r = (a - 1) & 0xffff;
    set_r16(c, i->op & 7, r);
    c->eflags = (c->eflags & ~F_CF) | cf;
    set_lazy(c, LF_DEC + 1, r, a, 1);
}

/* ---- MUL/IMUL/DIV/IDIV ---- */
HANDLER(op_mul_rm8)
{
    uint32_t r = (c->r[EAX] & 0xff) * load_rm8(c, i);
    set_r16(c, EAX, r);
    set_lazy(c, LF_MUL, r & 0xff, 0, (r >> 8) != 0);
}
HANDLER(op_mul_rm16)
{
    uint32_t r = (c->r[EAX] & 0xffff) * load_rm16(c, i);
    set_r16(c, EAX, r);
    set_r16(c, EDX, r >> 16);
    set_lazy(c, LF_MUL + 1, r & 0xffff, 0, (r >> 16) != 0);
}
HANDLER(op_mul_rm32)
{
    uint64_t r = (uint64_t)c->r[EAX] * load_rm32(c, i);
    c->r[EAX] = (uint32_t)r;
    c->r[EDX] = r >> 32;
    set_lazy(c, LF_MUL + 2, (uint32_t)r, 0, (r >> 32) != 0);
}
HANDLER(op_imul1_rm8)
{
    int32_t r = (int8_t)c->r[EAX] * (int8_t)load_rm8(c, i);
    set_r16(c, EAX, r);
    set_lazy(c, LF_IMUL, r & 0xff, 0, r != (int8_t)r);
}
HANDLER(op_imul1_rm16)
{
    int32_t r = (int16_t)c->r[EAX] * (int16_t)load_rm16(c, i);
    set_r16(c, EAX, r);
    set_r16(c, EDX, (uint32_t)r >> 16);
    set_lazy(c, LF_IMUL + 1, r & 0xffff, 0, r != (int16_t)r);
}
HANDLER(op_imul1_rm32)
{
    int64_t r = (int64_t)(int32_t)c->r[EAX] * (int32_t)load_rm32(c, i);
    c->r[EAX] = (uint32_t)r;
    c->r[EDX] = (uint64_t)r >> 32;
    set_lazy(c, LF_IMUL + 2, (uint32_t)r, 0, r != (int32_t)r);
}
/* IMUL r, r/m (0F AF) and IMUL r, r/m, imm (69, 6B) */
static void imul_to_reg32(struct cpu *c, const struct insn *i, int32_t a, int32_t b)
{
    int64_t r = (int64_t)a * b;
    c->r[i->reg] = (uint32_t)r;
    set_lazy(c, LF_IMUL + 2, (uint32_t)r, 0, r != (int32_t)r);
}
static void imul_to_reg16(struct cpu *c, const struct insn *i, int16_t a, int16_t b)
{
    int32_t r = (int32_t)a * b;
    set_r16(c, i->reg, r);
    set_lazy(c, LF_IMUL + 1, r & 0xffff, 0, r != (int16_t)r);
}
HANDLER(op_imul_r32_rm32) { imul_to_reg32(c, i, c->r[i->reg], load_rm32(c, i)); }
HANDLER(op_imul_r16_rm16) { imul_to_reg16(c, i, get_r16(c, i->reg), load_rm16(c, i)); }
HANDLER(op_imul_r32_rm32_imm) { imul_to_reg32(c, i, load_rm32(c, i), i->imm); }
HANDLER(op_imul_r16_rm16_imm) { imul_to_reg16(c, i, load_rm16(c, i), i->imm); }

static void divide_error(struct cpu *c, const struct insn *i) { cpu_raise(c, SIGFPE, FPE_INTDIV, i->eip); }

HANDLER(op_div_rm8)
{
    uint32_t d = load_rm8(c, i), n = c->r[EAX] & 0xffff;
    if (d == 0 || n / d > 0xff) divide_error(c, i);
    set_r16(c, EAX, (n / d) | ((n % d) << 8));
}
HANDLER(op_div_rm16)
{
    uint32_t d = load_rm16(c, i), n = (c->r[EDX] << 16) | (c->r[EAX] & 0xffff);
    if (d == 0 || n / d > 0xffff) divide_error(c, i);
    set_r16(c, EAX, n / d);
    set_r16(c, EDX, n % d);
}
HANDLER(op_div_rm32)
{
    uint64_t d = load_rm32(c, i), n = ((uint64_t)c->r[EDX] << 32) | c->r[EAX];
    if (d == 0 || n / d > 0xffffffffu) divide_error(c, i);
    c->r[EAX] = n / d;
    c->r[EDX] = n % d;
}
HANDLER(op_idiv_rm8)
{
    int32_t d = (int8_t)load_rm8(c, i), n = (int16_t)c->r[EAX];
    if (d == 0) divide_error(c, i);
    int32_t q = n / d;
    if (q != (int8_t)q) divide_error(c, i);
    set_r16(c, EAX, (q & 0xff) | ((n % d) & 0xff) << 8);
}
HANDLER(op_idiv_rm16)
{
    int32_t d = (int16_t)load_rm16(c, i), n = (int32_t)((c->r[EDX] << 16) | (c->r[EAX] & 0xffff));
    if (d == 0 || (n == INT32_MIN && d == -1)) divide_error(c, i);
    int32_t q = n / d;
    if (q != (int16_t)q) divide_error(c, i);
    set_r16(c, EAX, q);
    set_r16(c, EDX, n % d);
}
HANDLER(op_idiv_rm32)
{
    int64_t d = (int32_t)load_rm32(c, i), n = (int64_t)(((uint64_t)c->r[EDX] << 32) | c->r[EAX]);
    if (d == 0 || (n == INT64_MIN && d == -1)) divide_error(c, i);
    int64_t q = n / d;
    if (q != (int32_t)q) divide_error(c, i);
    c->r[EAX] = (uint32_t)q;
    c->r[EDX] = (uint32_t)(n % d);
}

/* ---- XADD, CMPXCHG, CMPXCHG8B ---- */
#define DEFINE_XADD_CMPXCHG(BITS, SZ)                                                          \
    HANDLER(op_xadd_rm##BITS)                          \
    {                                                                                          \
        uint32_t b = GETR##BITS(c, i->reg), a, r;                                              \
        if (i->mod3) {                                                                         \
            a = GETR##BITS(c, i->rm); r = (a + b) & size_mask(SZ);                             \
            SETR##BITS(c, i->reg, a); SETR##BITS(c, i->rm, r);                                 \
        } else {                                                                               \
            guest_addr addr = ea(c, i);                                                        \
            RMW(uint##BITS##_t, i->lock, addr, old, old + b);                                        \
            a = old; r = new_; SETR##BITS(c, i->reg, a);                                       \
        }                                                                                      \
        set_lazy(c, LF_ADD + SZ, r, a, b);                                                     \
    }                                                                                          \
    HANDLER(op_cmpxchg_rm##BITS)                       \
    {                                                                                          \
        uint32_t acc = GETR##BITS(c, EAX), src = GETR##BITS(c, i->reg), cur;                   \
        if (i->mod3) {                                                                         \
            cur = GETR##BITS(c, i->rm);                                                        \
            if (cur == acc) SETR##BITS(c, i->rm, src); else SETR##BITS(c, EAX, cur);           \
        } else {                                                                               \
            uint##BITS##_t expect = acc;                                                       \
            if (cmpxchg##BITS(ea(c, i), &expect, (uint##BITS##_t)src)) cur = acc;              \
            else { cur = expect; SETR##BITS(c, EAX, cur); }                                    \
        }                                                                                      \
        set_lazy(c, LF_SUB + SZ, (acc - cur) & size_mask(SZ), acc, cur);                       \
    }
DEFINE_XADD_CMPXCHG(8, 0)
DEFINE_XADD_CMPXCHG(16, 1)
DEFINE_XADD_CMPXCHG(32, 2)

HANDLER(op_cmpxchg8b)
{
    uint64_t expect = ((uint64_t)c->r[EDX] << 32) | c->r[EAX];
    uint64_t repl = ((uint64_t)c->r[ECX] << 32) | c->r[EBX];
    bool eq = cmpxchg64(ea(c, i), &expect, repl);
    if (!eq) { c->r[EAX] = (uint32_t)expect; c->r[EDX] = expect >> 32; }
    flags_set(c, eq ? F_ZF : 0, F_ZF);
}

void ops_register_alu(void)
{
/* ADC and SBB read CF; the rest of the family writes all six flags. All
 * but CMP write their r/m destination and take LOCK. */
#define ALU_FL(OP) ((OP) == A_ADC || (OP) == A_SBB ? 0 : D_FL_WRITE)
#define ALU_DST(OP) ((OP) == A_CMP ? 0 : D_LOCK)
#define ALU_F(OP) (ALU_FL(OP) | D_NOFAULT)
#define REG_ALU(name, OP)                                                        \
    op_set(optab, OP * 8 + 0, op_##name##_rm8_r8, NULL, D_MODRM | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_1)); \
    op_set(optab, OP * 8 + 1, op_##name##_rm32_r32, op_##name##_rm16_r16,                  \
           D_MODRM | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_V));                                \
    op_set(optab, OP * 8 + 2, op_##name##_r8_rm8, NULL, D_MODRM | ALU_F(OP) | D_SZ(SZ_1));   \
    op_set(optab, OP * 8 + 3, op_##name##_r32_rm32, op_##name##_r16_rm16, D_MODRM | ALU_F(OP) | D_SZ(SZ_V)); \
    op_set(optab, OP * 8 + 4, op_##name##_al_imm, NULL, D_IMM8 | ALU_F(OP));               \
    op_set(optab, OP * 8 + 5, op_##name##_eax_imm, op_##name##_ax_imm, D_IMMZ | ALU_F(OP)); \
    op_set_group(optab, 0x80, OP, op_##name##_rm8_imm, NULL, D_IMM8 | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_1)); \
    op_set_group(optab, 0x82, OP, op_##name##_rm8_imm, NULL, D_IMM8 | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_1)); \
    op_set_group(optab, 0x81, OP, op_##name##_rm32_imm, op_##name##_rm16_imm,              \
                 D_IMMZ | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_V));                          \
    op_set_group(optab, 0x83, OP, op_##name##_rm32_imm, op_##name##_rm16_imm,              \
                 D_IMM8S | ALU_F(OP) | ALU_DST(OP) | D_SZ(SZ_V));
    ALU_OPS(REG_ALU)
#undef REG_ALU
#define REG_ALU_FAST(name, OP)                                                   \
    op_set_fast(optab, OP * 8 + 1, -1, op_##name##_r32_r32_reg, NULL);           \
    op_set_fast(optab, OP * 8 + 3, -1, op_##name##_r32_rm32_reg, op_##name##_r32_m32_simple); \
    op_set_fast(optab, 0x81, OP, op_##name##_rm32_imm_reg, NULL);                \
    op_set_fast(optab, 0x83, OP, op_##name##_rm32_imm_reg, NULL);
    ALU_OPS(REG_ALU_FAST)
#undef REG_ALU_FAST

    const uint32_t nf = D_NOFAULT, b = D_SZ(SZ_1), v = D_SZ(SZ_V);
    op_set(optab, 0x84, op_test_rm8_r8, NULL, D_MODRM | D_FL_WRITE | nf | b);
    op_set(optab, 0x85, op_test_rm32_r32, op_test_rm16_r16, D_MODRM | D_FL_WRITE | nf | v);
    op_set(optab, 0xA8, op_test_al_imm, NULL, D_IMM8 | D_FL_WRITE | nf);
    op_set(optab, 0xA9, op_test_eax_imm, op_test_ax_imm, D_IMMZ | D_FL_WRITE | nf);
    for (int r = 0; r < 8; r++) {
        op_set(optab, 0x40 + r, op_inc_r32, op_inc_r16, D_FL_PARTIAL | nf);
        op_set(optab, 0x48 + r, op_dec_r32, op_dec_r16, D_FL_PARTIAL | nf);
    }
    op_set_group(optab, 0xFE, 0, op_inc_rm8, NULL, D_LOCK | nf | b);
    op_set_group(optab, 0xFE, 1, op_dec_rm8, NULL, D_LOCK | nf | b);
    op_set_group(optab, 0xFF, 0, op_inc_rm32, op_inc_rm16, D_LOCK | nf | v);
    op_set_group(optab, 0xFF, 1, op_dec_rm32, op_dec_rm16, D_LOCK | nf | v);

    op_set_group(optab, 0xF6, 0, op_test_rm8_imm, NULL, D_IMM8 | D_FL_WRITE | nf | b);
    op_set_group(optab, 0xF6, 1, op_test_rm8_imm, NULL, D_IMM8 | D_FL_WRITE | nf | b);
    op_set_group(optab, 0xF6, 2, op_not_rm8, NULL, D_FL_NONE | D_LOCK | nf | b);
    op_set_group(optab, 0xF6, 3, op_neg_rm8, NULL, D_FL_WRITE | D_LOCK | nf | b);
    op_set_group(optab, 0xF6, 4, op_mul_rm8, NULL, D_FL_WRITE | nf | b);
    op_set_group(optab, 0xF6, 5, op_imul1_rm8, NULL, D_FL_WRITE | nf | b);
    op_set_group(optab, 0xF6, 6, op_div_rm8, NULL, D_FL_NONE | b);     /* #DE */
    op_set_group(optab, 0xF6, 7, op_idiv_rm8, NULL, D_FL_NONE | b);
    op_set_group(optab, 0xF7, 0, op_test_rm32_imm, op_test_rm16_imm, D_IMMZ | D_FL_WRITE | nf | v);
    op_set_group(optab, 0xF7, 1, op_test_rm32_imm, op_test_rm16_imm, D_IMMZ | D_FL_WRITE | nf | v);
    op_set_group(optab, 0xF7, 2, op_not_rm32, op_not_rm16, D_FL_NONE | D_LOCK | nf | v);
    op_set_group(optab, 0xF7, 3, op_neg_rm32, op_neg_rm16, D_FL_WRITE | D_LOCK | nf | v);
    op_set_group(optab, 0xF7, 4, op_mul_rm32, op_mul_rm16, D_FL_WRITE | nf | v);
    op_set_group(optab, 0xF7, 5, op_imul1_rm32, op_imul1_rm16, D_FL_WRITE | nf | v);
    op_set_group(optab, 0xF7, 6, op_div_rm32, op_div_rm16, D_FL_NONE | v);
    op_set_group(optab, 0xF7, 7, op_idiv_rm32, op_idiv_rm16, D_FL_NONE | v);

    op_set(optab0f, 0xAF, op_imul_r32_rm32, op_imul_r16_rm16, D_MODRM | D_FL_WRITE | nf | v);
    op_set(optab, 0x69, op_imul_r32_rm32_imm, op_imul_r16_rm16_imm, D_MODRM | D_IMMZ | D_FL_WRITE | nf | v);
    op_set(optab, 0x6B, op_imul_r32_rm32_imm, op_imul_r16_rm16_imm, D_MODRM | D_IMM8S | D_FL_WRITE | nf | v);

    op_set(optab0f, 0xC0, op_xadd_rm8, NULL, D_MODRM | D_FL_WRITE | D_LOCK | nf | b);
    op_set(optab0f, 0xC1, op_xadd_rm32, op_xadd_rm16, D_MODRM | D_FL_WRITE | D_LOCK | nf | v);
    op_set(optab0f, 0xB0, op_cmpxchg_rm8, NULL, D_MODRM | D_FL_WRITE | D_LOCK | nf | b);
    op_set(optab0f, 0xB1, op_cmpxchg_rm32, op_cmpxchg_rm16, D_MODRM | D_FL_WRITE | D_LOCK | nf | v);
    op_set_group(optab0f, 0xC7, 1, op_cmpxchg8b, NULL, D_MEMONLY | D_FL_PARTIAL | D_LOCK | D_SZ(SZ_8));

    ops_register_shift();
    ops_register_bits();
}
