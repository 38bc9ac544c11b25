/* Bit instructions: BT BTS BTR BTC (register and immediate offsets), BSF,
 * BSR, BSWAP. */
#include "cpu.h"
#include "sizes.h"

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static inline uint32_t bt_apply(int kind, uint32_t v, uint32_t bit)
{
    switch (kind) {
    case BT_SET: return v | (1u << bit);
    case BT_RESET: return v & ~(1u << bit);
    case BT_COMPLEMENT: return v ^ (1u << bit);
    default: return v;
    }
}

/* BT* r/m, r: with a memory operand the register is a signed bit offset that
 * may reach outside the addressed word (SDM vol.2 "BT"). kind comes from
 * the opcode: A3 BT, AB BTS, B3 BTR, BB BTC; BA /4-/7 with imm8. */
static inline int bt_kind(const struct insn *i)
{
    return i->op == 0xBA ? i->reg - 4 : (i->op >> 3) & 3;
}

#define DEFINE_BT(BITS)                                                               \
    HANDLER(op_bt_rm##BITS)                   \
    {                                                                                 \
        int kind = bt_kind(i);                                                        \
        uint32_t off = i->op == 0xBA ? i->imm : GETR##BITS(c, i->reg), cf;            \
        if (i->mod3) {                                                                \
            uint32_t bit = off & (BITS - 1), v = GETR##BITS(c, i->rm);                \
            cf = (v >> bit) & 1;                                                      \
            if (kind != BT_TEST) SETR##BITS(c, i->rm, bt_apply(kind, v, bit));        \
        } else {                                                                      \
            guest_addr a = ea(c, i);                                                  \
            if (i->op != 0xBA)                                                        \
                a += (uint32_t)(((int32_t)(BITS == 16 ? (int16_t)off : (int32_t)off) >> (BITS == 16 ? 4 : 5)) * (BITS / 8)); \
            uint32_t bit = off & (BITS - 1);                                          \
            if (kind == BT_TEST) cf = (LD##BITS(a) >> bit) & 1;                       \
            else {                                                                    \
                RMW(uint##BITS##_t, i->lock, a, old, bt_apply(kind, old, bit));       \
                cf = (old >> bit) & 1;                                                \
            }                                                                         \
        }                                                                             \
        if (!i->flags_dead) flags_set(c, cf, F_CF);                                   \
    }
DEFINE_BT(16)
DEFINE_BT(32)

/* BSF/BSR: a zero source sets ZF and leaves the destination unchanged.
 * With F3 they are TZCNT/LZCNT where the host has those (bits_ext.c). */
#define F3_COUNT(leading) if (unlikely(i->rep == REP_F3) && bits_f3_count(c, i, leading)) return
HANDLER(op_bsf_r32)
{
    F3_COUNT(false);
    uint32_t v = load_rm32(c, i);
    if (v) c->r[i->reg] = __builtin_ctz(v);
    if (!i->flags_dead) flags_set(c, v ? 0 : F_ZF, F_ZF);
}
HANDLER(op_bsr_r32)
{
    F3_COUNT(true);
    uint32_t v = load_rm32(c, i);
    if (v) c->r[i->reg] = 31 - __builtin_clz(v);
    if (!i->flags_dead) flags_set(c, v ? 0 : F_ZF, F_ZF);
}
HANDLER(op_bsf_r16)
{
    F3_COUNT(false);
    uint32_t v = load_rm16(c, i);
    if (v) set_r16(c, i->reg, __builtin_ctz(v));
    if (!i->flags_dead) flags_set(c, v ? 0 : F_ZF, F_ZF);
}
HANDLER(op_bsr_r16)
{
    F3_COUNT(true);
    uint32_t v = load_rm16(c, i);
    if (v) set_r16(c, i->reg, 31 - __builtin_clz(v));
    if (!i->flags_dead) flags_set(c, v ? 0 : F_ZF, F_ZF);
}

HANDLER(op_bswap_r32)
{
    c->r[i->op & 7] = __builtin_bswap32(c->r[i->op & 7]);
}
/* BSWAP with a 16-bit operand is undefined; hardware clears the low word. */
HANDLER(op_bswap_r16)
{
    set_r16(c, i->op & 7, 0);
}

void ops_register_bits(void)
{
    static const int reg_forms[] = {0xA3, 0xAB, 0xB3, 0xBB};
    /* BT reads its operand; BTS, BTR and BTC change it and take LOCK. A bit
     * offset from a register reaches beyond the operand (SZ_ANY). */
    for (int k = 0; k < 4; k++) {
        uint32_t dst = k ? D_LOCK : 0;
        op_set(optab0f, reg_forms[k], op_bt_rm32, op_bt_rm16, D_MODRM | D_FL_PARTIAL | D_NOFAULT | dst);
        op_set_group(optab0f, 0xBA, 4 + k, op_bt_rm32, op_bt_rm16,
                     D_IMM8 | D_FL_PARTIAL | D_NOFAULT | dst | D_SZ(SZ_V));
    }
    op_set(optab0f, 0xBC, op_bsf_r32, op_bsf_r16, D_MODRM | D_FL_PARTIAL | D_NOFAULT | D_SZ(SZ_V));
    op_set(optab0f, 0xBD, op_bsr_r32, op_bsr_r16, D_MODRM | D_FL_PARTIAL | D_NOFAULT | D_SZ(SZ_V));
    for (int r = 0; r < 8; r++) op_set(optab0f, 0xC8 + r, op_bswap_r32, op_bswap_r16, D_FL_NONE | D_NOFAULT);
    ops_register_bits_ext();
    ops_register_bits_bmi();
}
