/* AES-NI (AESENC, AESENCLAST, AESDEC, AESDECLAST, AESIMC, AESKEYGENASSIST)
 * and PCLMULQDQ (SDM vol.2). The AES rounds run as the host's own
 * instructions on register values (the host has them whenever the guest
 * may: host_isa.aes, #UD otherwise, as natively); the carry-less multiply
 * is plain C (host_isa.pclmul gates it). Legacy-SSE m128 operands must be
 * 16-byte aligned (xmm_load_arith). */
#include "sse.h"
#include "simd_host.h"

typedef union xmm_reg xr;

#define NEED(ext) do { if (unlikely(!host_isa.ext)) cpu_raise_ud(c, i); } while (0)

#if defined(__x86_64__) || defined(__i386__)
/* d = INSN(d, round key) */
HOST_OP2(aesenc, NEED(aes), xmm_load_arith)
HOST_OP2(aesenclast, NEED(aes), xmm_load_arith)
HOST_OP2(aesdec, NEED(aes), xmm_load_arith)
HOST_OP2(aesdeclast, NEED(aes), xmm_load_arith)

HANDLER(op_aesimc)
{
    NEED(aes);
    host_v128 s = host_v(xmm_load_arith(c, i)), d;
    __asm__("aesimc %1, %0" : "=x"(d) : "x"(s));
    c->xmm[i->reg] = guest_v(d);
}
/* The round constant (imm8, zero-extended) is XORed into dwords 1 and 3
 * after RotWord(SubWord()): the host's result for 0, then the constant. */
HANDLER(op_aeskeygenassist)
{
    NEED(aes);
    host_v128 s = host_v(xmm_load_arith(c, i)), d;
    __asm__("aeskeygenassist $0, %1, %0" : "=x"(d) : "x"(s));
    xr r = guest_v(d);
    r.d[1] ^= i->imm & 0xff;
    r.d[3] ^= i->imm & 0xff;
    c->xmm[i->reg] = r;
}
#define AES_OPS 1
#endif

/* PCLMULQDQ: the carry-less product of quadword imm8[0] of the destination
 * and quadword imm8[4] of the source. */
HANDLER(op_pclmulqdq)
{
    NEED(pclmul);
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    uint64_t a = d->q[i->imm & 1], b = s.q[i->imm >> 4 & 1], lo = 0, hi = 0;
    for (int k = 0; k < 64; k++)
        if (b >> k & 1) {
            lo ^= a << k;
            if (k) hi ^= a >> (64 - k);
        }
    d->q[0] = lo;
    d->q[1] = hi;
}

void simd_register_aes(void)
{
    const uint32_t fl = D_MODRM | D_FL_NONE | D_SZ(SZ_16);
#ifdef AES_OPS
    op_set_sse(optab0f38, 0xDB, 1, op_aesimc, fl);
    op_set_sse(optab0f38, 0xDC, 1, op_aesenc, fl);
    op_set_sse(optab0f38, 0xDD, 1, op_aesenclast, fl);
    op_set_sse(optab0f38, 0xDE, 1, op_aesdec, fl);
    op_set_sse(optab0f38, 0xDF, 1, op_aesdeclast, fl);
    op_set_sse(optab0f3a, 0xDF, 1, op_aeskeygenassist, fl | D_IMM8);
#endif
    op_set_sse(optab0f3a, 0x44, 1, op_pclmulqdq, fl | D_IMM8);
}
