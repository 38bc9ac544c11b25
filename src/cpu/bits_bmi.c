/* BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR; TZCNT is in bits_ext.c) and BMI2
 * (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX): VEX-encoded operations
 * on general registers, registered only where the host has them
 * (host_isa.bmi1, bmi2), so that elsewhere they are #UD as natively.
 * Operands (SDM vol.2): ModRM.reg is the destination, ModRM.rm a source,
 * VEX.vvvv the other source (the destination of BLSI/BLSMSK/BLSR, the low
 * half of MULX). Always 32-bit in 32-bit mode: VEX.W is ignored there. */
#include "cpu.h"
#include "vendor.h"

/* SF, ZF and PF of a 32-bit result */
static inline uint32_t result_flags(uint32_t r)
{
    return (r ? 0 : F_ZF) | (r & 0x80000000u ? F_SF : 0) | (__builtin_parity(r & 0xff) ? 0 : F_PF);
}

/* The BMI1 flags: OF cleared; AF and PF are undefined, and here are what
 * AMD Zen 4 gives (AF clear, PF of the result); the others by instruction. */
static inline void bmi1_flags(struct cpu *c, const struct insn *i, uint32_t f)
{
    if (!i->flags_dead) flags_set(c, f, F_ARITH);
}

/* ANDN: ~vvvv & r/m; the flags of a logical operation (SF ZF, CF OF clear). */
HANDLER(op_andn)
{
    uint32_t r = ~c->r[i->vvvv] & load_rm32(c, i);
    c->r[i->reg] = r;
    set_lazy(c, LF_LOGIC + 2, r, 0, 0);
}

/* BEXTR: LEN = vvvv[15:8] bits of r/m from START = vvvv[7:0]; bits past 31
 * are zeros. ZF by the result, CF OF clear; SF AF PF undefined (AMD: SF
 * clear, AF set, PF of the result). */
HANDLER(op_bextr)
{
    uint32_t src = load_rm32(c, i), ctl = c->r[i->vvvv];
    uint32_t start = ctl & 0xff, len = ctl >> 8 & 0xff;
    uint32_t r = start < 32 ? src >> start : 0;
    if (len < 32) r &= (1u << len) - 1;
    c->r[i->reg] = r;
    bmi1_flags(c, i, (result_flags(r) & ~F_SF) | F_AF);
}

/* BLSI (isolate the lowest set bit), BLSMSK (mask up to it), BLSR (reset
 * it): r/m into vvvv. CF: BLSI's says the source was not zero, the others'
 * that it was; BLSMSK clears ZF (its result is never zero). */
HANDLER(op_blsi)
{
    uint32_t src = load_rm32(c, i), r = src & -src;
    c->r[i->vvvv] = r;
    bmi1_flags(c, i, result_flags(r) | (src ? F_CF : 0));
}
HANDLER(op_blsmsk)
{
    uint32_t src = load_rm32(c, i), r = src ^ (src - 1);
    c->r[i->vvvv] = r;
    bmi1_flags(c, i, (result_flags(r) & ~F_ZF) | (src ? 0 : F_CF));
}
HANDLER(op_blsr)
{
    uint32_t src = load_rm32(c, i), r = src & (src - 1);
    c->r[i->vvvv] = r;
    bmi1_flags(c, i, result_flags(r) | (src ? 0 : F_CF));
}

/* BZHI: r/m with the bits from N = vvvv[7:0] up cleared; CF says N > 31
 * (the source is kept whole). SF ZF by the result, OF clear. */
HANDLER(op_bzhi)
{
    uint32_t src = load_rm32(c, i), n = c->r[i->vvvv] & 0xff;
    uint32_t r = n < 32 ? src & ((1u << n) - 1) : src;
    c->r[i->reg] = r;
    bmi1_flags(c, i, result_flags(r) | (n > 31 ? F_CF : 0));
}

/* MULX: EDX * r/m unsigned, the low half into vvvv, then the high half
 * into ModRM.reg (which wins when they name the same register). No flags. */
HANDLER(op_mulx)
{
    uint64_t p = (uint64_t)c->r[EDX] * load_rm32(c, i);
    c->r[i->vvvv] = (uint32_t)p;
    c->r[i->reg] = (uint32_t)(p >> 32);
}

/* PDEP: the low bits of vvvv deposited, in order, at the set bits of the
 * r/m mask; PEXT: the bits of vvvv at the mask's set bits, packed low. */
HANDLER(op_pdep)
{
    uint32_t src = c->r[i->vvvv], mask = load_rm32(c, i), r = 0;
    for (uint32_t k = 1; mask; mask &= mask - 1, k <<= 1)
        if (src & k) r |= mask & -mask;
    c->r[i->reg] = r;
}
HANDLER(op_pext)
{
    uint32_t src = c->r[i->vvvv], mask = load_rm32(c, i), r = 0;
    for (uint32_t k = 1; mask; mask &= mask - 1, k <<= 1)
        if (src & mask & -mask) r |= k;
    c->r[i->reg] = r;
}

/* RORX: r/m rotated right by imm8 mod 32; SARX, SHLX, SHRX: r/m shifted by
 * vvvv mod 32. No flags. */
HANDLER(op_rorx)
{
    uint32_t v = load_rm32(c, i), n = i->imm & 31;
    c->r[i->reg] = n ? v >> n | v << (32 - n) : v;
}
HANDLER(op_sarx) { uint32_t v = load_rm32(c, i); c->r[i->reg] = (uint32_t)((int32_t)v >> (c->r[i->vvvv] & 31)); }
HANDLER(op_shlx) { uint32_t v = load_rm32(c, i); c->r[i->reg] = v << (c->r[i->vvvv] & 31); }
HANDLER(op_shrx) { uint32_t v = load_rm32(c, i); c->r[i->reg] = v >> (c->r[i->vvvv] & 31); }

void ops_register_bits_bmi(void)
{
    /* all VEX.LZ (L1: #UD); the memory operand is a 32-bit read */
    const uint32_t f = D_MODRM | D_VEX_L0 | D_SZ(SZ_4), w = f | D_FL_WRITE, n = f | D_FL_NONE;
    if (host_isa.bmi1) {
        op_set_sse(optab_vex0f38, 0xF2, 0, op_andn, w);
        op_set_sse(optab_vex0f38, 0xF7, 0, op_bextr, w);
        op_set_group_sse(optab_vex0f38, 0xF3, 1, 0, op_blsr, w);
        op_set_group_sse(optab_vex0f38, 0xF3, 2, 0, op_blsmsk, w);
        op_set_group_sse(optab_vex0f38, 0xF3, 3, 0, op_blsi, w);
    }
    if (host_isa.bmi2) {
        op_set_sse(optab_vex0f38, 0xF5, 0, op_bzhi, w);
        op_set_sse(optab_vex0f38, 0xF5, 3, op_pdep, n);
        op_set_sse(optab_vex0f38, 0xF5, 2, op_pext, n);
        op_set_sse(optab_vex0f38, 0xF6, 3, op_mulx, n);
        op_set_sse(optab_vex0f38, 0xF7, 2, op_sarx, n);
        op_set_sse(optab_vex0f38, 0xF7, 1, op_shlx, n);
        op_set_sse(optab_vex0f38, 0xF7, 3, op_shrx, n);
        op_set_sse(optab_vex0f3a, 0xF0, 3, op_rorx, n | D_IMM8 | D_VEX_NOV);
    }
}
