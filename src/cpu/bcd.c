/* BCD adjustments: DAA, DAS, AAA, AAS, AAM, AAD, and SALC.
 * Rules from SDM vol.2 pseudo-code; flags the SDM calls undefined follow what
 * an AMD Zen host computes (checked natively for every AX x CF x AF input). */
#include <signal.h>

#include "cpu.h"

/* SF and ZF of a 16-bit result, PF of its low byte (AMD's AAA/AAS). */
static inline uint32_t szp16(uint16_t v)
{
    uint32_t f = 0;
    if (v == 0) f |= F_ZF;
    if (v & 0x8000) f |= F_SF;
    if (!__builtin_parity(v & 0xff)) f |= F_PF;
    return f;
}

/* SF, ZF and PF of an 8-bit result. */
static inline uint32_t szp8(uint8_t v)
{
    uint32_t f = 0;
    if (v == 0) f |= F_ZF;
    if (v & 0x80) f |= F_SF;
    if (!__builtin_parity(v)) f |= F_PF;
    return f;
}

/* DAA: SDM "DAA—Decimal Adjust AL after Addition". */
HANDLER(op_daa)
{
    uint32_t in = flags_get(c), out = 0;
    uint8_t al = (uint8_t)c->r[EAX], old = al;
    if ((al & 0x0f) > 9 || (in & F_AF)) {
        al += 6;
        out |= F_AF;
    }
    if (old > 0x99 || (in & F_CF)) {
        al += 0x60;
        out |= F_CF;
    }
    /* OF (undefined): the host reports signed overflow of old -> al */
    if (~old & al & 0x80) out |= F_OF;
    set_r8(c, EAX, al);
    flags_set(c, out | szp8(al), F_ARITH);
}

/* DAS: SDM "DAS—Decimal Adjust AL after Subtraction". */
HANDLER(op_das)
{
    uint32_t in = flags_get(c), out = 0;
    uint8_t al = (uint8_t)c->r[EAX], old = al;
    if ((al & 0x0f) > 9 || (in & F_AF)) {
        if (al < 6) out |= F_CF;      /* borrow from AL - 6 */
        al -= 6;
        out |= F_AF;
    }
    if (old > 0x99 || (in & F_CF)) {
        al -= 0x60;
        out |= F_CF;
    }
    /* OF (undefined): the host reports signed overflow of old -> al */
    if (old & ~al & 0x80) out |= F_OF;
    set_r8(c, EAX, al);
    flags_set(c, out | szp8(al), F_ARITH);
}

/* AAA: SDM "AAA—ASCII Adjust After Addition" (the AX + 106H form of current
 * CPUs). The host sets SF/ZF/PF/OF from the 16-bit AX before AL is masked. */
HANDLER(op_aaa)
{
    uint32_t in = flags_get(c), out = 0;
    uint16_t old = (uint16_t)c->r[EAX], ax = old;
    if ((ax & 0x0f) > 9 || (in & F_AF)) {
        ax += 0x106;
        out |= F_AF | F_CF;
    }
    if (~old & ax & 0x8000) out |= F_OF;
    set_r16(c, EAX, ax & 0xff0f);
    flags_set(c, out | szp16(ax), F_ARITH);
}

/* AAS: SDM "AAS—ASCII Adjust AL After Subtraction" (the AX - 106H form),
 * undefined flags as AAA's. */
HANDLER(op_aas)
{
    uint32_t in = flags_get(c), out = 0;
    uint16_t old = (uint16_t)c->r[EAX], ax = old;
    if ((ax & 0x0f) > 9 || (in & F_AF)) {
        ax -= 0x106;
        out |= F_AF | F_CF;
    }
    if (old & ~ax & 0x8000) out |= F_OF;
    set_r16(c, EAX, ax & 0xff0f);
    flags_set(c, out | szp16(ax), F_ARITH);
}

/* AAM imm8: AH = AL / base, AL = AL % base; base 0 is a divide error. */
HANDLER(op_aam)
{
    uint8_t base = (uint8_t)i->imm, al = (uint8_t)c->r[EAX];
    if (base == 0) cpu_raise(c, SIGFPE, FPE_INTDIV, i->eip);
    uint8_t q = al / base, r = al % base;
    set_r16(c, EAX, (uint16_t)(q << 8 | r));
    flags_set(c, szp8(r), F_ARITH);
}

/* AAD imm8: AL = AL + AH * base, AH = 0. CF/AF/OF (undefined) are those of
 * the 8-bit add AL + (AH * base), as the host computes them. */
HANDLER(op_aad)
{
    uint8_t a = (uint8_t)c->r[EAX], b = (uint8_t)((c->r[EAX] >> 8) * i->imm);
    uint8_t al = a + b;
    uint32_t out = szp8(al);
    if (al < a) out |= F_CF;
    if ((a ^ b ^ al) & 0x10) out |= F_AF;
    if (~(a ^ b) & (a ^ al) & 0x80) out |= F_OF;
    set_r16(c, EAX, al);
    flags_set(c, out, F_ARITH);
}

/* SALC (undocumented D6): AL = CF ? 0xff : 0, flags unchanged. */
HANDLER(op_salc)
{
    set_r8(c, EAX, flag_cf(c) ? 0xff : 0);
}

void ops_register_bcd(void)
{
    op_set(optab, 0x27, op_daa, NULL, D_NOFAULT);
    op_set(optab, 0x2f, op_das, NULL, D_NOFAULT);
    op_set(optab, 0x37, op_aaa, NULL, D_NOFAULT);
    op_set(optab, 0x3f, op_aas, NULL, D_NOFAULT);
    op_set(optab, 0xd4, op_aam, NULL, D_IMM8);   /* #DE */
    op_set(optab, 0xd5, op_aad, NULL, D_IMM8 | D_NOFAULT);
    op_set(optab, 0xd6, op_salc, NULL, D_NOFAULT);
}
