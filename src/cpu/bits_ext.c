/* Integer extensions the host may have beyond the base set: POPCNT, LZCNT
 * and TZCNT (F3 before BSR/BSF), MOVBE, CRC32 (SSE4.2), ADCX/ADOX (ADX).
 * Each runs only where the host has it (vendor.h, host_isa), so a program
 * sees the same instruction set as natively; CPUID says which. */
#include "cpu.h"
#include "vendor.h"

static uint32_t load_src(struct cpu *c, const struct insn *i)
{
    return i->opsize16 ? load_rm16(c, i) : load_rm32(c, i);
}

static void set_dst(struct cpu *c, const struct insn *i, uint32_t v)
{
    if (i->opsize16) set_r16(c, i->reg, (uint16_t)v);
    else c->r[i->reg] = v;
}

/* POPCNT: ZF says the source was 0; CF OF SF AF PF are cleared. Without the
 * F3 prefix 0F B8 is JMPE (IA-64 only): #UD. */
HANDLER(op_popcnt)
{
    if (i->rep != REP_F3 || !host_isa.popcnt) cpu_raise_ud(c, i);
    uint32_t v = load_src(c, i);
    set_dst(c, i, __builtin_popcount(v));
    if (!i->flags_dead) flags_set(c, v ? 0 : F_ZF, F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF);
}

/* TZCNT (F3 0F BC) and LZCNT (F3 0F BD) count to the operand size for a
 * zero source (CF set); ZF says the count is 0; OF SF AF PF are undefined
 * (kept). On a host without them the F3 prefix is ignored and they are BSF
 * and BSR: false, and bits.c runs those. */
bool bits_f3_count(struct cpu *c, const struct insn *i, bool leading)
{
    if (leading ? !host_isa.lzcnt : !host_isa.bmi1) return false;
    uint32_t v = load_src(c, i), bits = i->opsize16 ? 16 : 32, n = bits;
    if (v) n = leading ? (uint32_t)__builtin_clz(v) - (32 - bits) : (uint32_t)__builtin_ctz(v);
    set_dst(c, i, n);
    if (!i->flags_dead) flags_set(c, (v ? 0 : F_CF) | (n ? 0 : F_ZF), F_CF | F_ZF);
    return true;
}

/* MOVBE: a load or store with the bytes reversed; memory operands only. */
HANDLER(op_movbe_load)
{
    if (i->mod3 || !host_isa.movbe) cpu_raise_ud(c, i);
    if (i->opsize16) set_r16(c, i->reg, __builtin_bswap16(ld16(ea(c, i))));
    else c->r[i->reg] = __builtin_bswap32(ld32(ea(c, i)));
}
HANDLER(op_movbe_store)
{
    if (i->mod3 || !host_isa.movbe) cpu_raise_ud(c, i);
    if (i->opsize16) st16(ea(c, i), __builtin_bswap16(get_r16(c, i->reg)));
    else st32(ea(c, i), __builtin_bswap32(c->r[i->reg]));
}

/* CRC32: the Castagnoli polynomial, bit-reflected (0x82F63B78), folded in
 * a byte at a time, low byte first. */
static uint32_t crc32c(uint32_t crc, uint32_t data, int bytes)
{
    for (int k = 0; k < bytes; k++) {
        crc ^= (data >> 8 * k) & 0xff;
        for (int b = 0; b < 8; b++) crc = crc >> 1 ^ (0x82F63B78u & -(crc & 1));
    }
    return crc;
}
HANDLER(op_crc32_8)
{
    if (!host_isa.sse42) cpu_raise_ud(c, i);
    c->r[i->reg] = crc32c(c->r[i->reg], load_rm8(c, i), 1);
}
HANDLER(op_crc32_v)
{
    if (!host_isa.sse42) cpu_raise_ud(c, i);
    c->r[i->reg] = crc32c(c->r[i->reg], load_src(c, i), i->opsize16 ? 2 : 4);
}

/* ADCX (66) and ADOX (F3): an add with carry through CF or OF only; the
 * other flags stay. Always 32-bit in 32-bit mode. */
HANDLER(op_adcx_adox)
{
    if (!host_isa.adx) cpu_raise_ud(c, i);
    bool ox = i->rep == REP_F3;
    uint32_t f = ox ? F_OF : F_CF;
    uint32_t a = c->r[i->reg], b = load_rm32(c, i), in = (flags_get(c) & f) != 0;
    uint64_t r = (uint64_t)a + b + in;
    c->r[i->reg] = (uint32_t)r;
    flags_set(c, r >> 32 ? f : 0, f);
}

void ops_register_bits_ext(void)
{
    const uint32_t v = D_SZ(SZ_V);
    op_set(optab0f, 0xB8, op_popcnt, NULL, D_MODRM | D_FL_WRITE | v);
    /* 0F 38 F0/F1 and F6 by mandatory prefix: MOVBE (none, 66), CRC32 (F2,
     * with 66 a 16-bit source), ADCX (66) and ADOX (F3) */
    op_set_sse(optab0f38, 0xF0, 0, op_movbe_load, D_MODRM | D_FL_NONE | v);
    op_set_sse(optab0f38, 0xF0, 1, op_movbe_load, D_MODRM | D_FL_NONE | v);
    op_set_sse(optab0f38, 0xF0, 3, op_crc32_8, D_MODRM | D_FL_NONE | D_SZ(SZ_1));
    op_set_sse(optab0f38, 0xF1, 0, op_movbe_store, D_MODRM | D_FL_NONE | D_MSTORE | v);
    op_set_sse(optab0f38, 0xF1, 1, op_movbe_store, D_MODRM | D_FL_NONE | D_MSTORE | v);
    op_set_sse(optab0f38, 0xF1, 3, op_crc32_v, D_MODRM | D_FL_NONE | v);
    op_set_sse(optab0f38, 0xF6, 1, op_adcx_adox, D_MODRM | D_SZ(SZ_4));
    op_set_sse(optab0f38, 0xF6, 2, op_adcx_adox, D_MODRM | D_SZ(SZ_4));
}
