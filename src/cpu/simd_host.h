/* Guest XMM values in host vector registers, for the handlers that run the
 * host's own instruction through inline asm (simd_sse41.c, simd_sse42.c,
 * simd_aes.c, simd_sha.c). */
#ifndef UE_SIMD_HOST_H
#define UE_SIMD_HOST_H

#include <string.h>

#include "cpu.h"

typedef long long host_v128 __attribute__((vector_size(16)));
static inline host_v128 host_v(union xmm_reg v) { host_v128 r; memcpy(&r, &v, 16); return r; }
static inline union xmm_reg guest_v(host_v128 v) { union xmm_reg r; memcpy(&r, &v, 16); return r; }

/* op_INSN: d = INSN(d, s) on the host, after CHECK (its #UD where the host
 * lacks it); LOAD(c, i) gives the r/m operand. */
#define HOST_OP2(INSN, CHECK, LOAD)                                             \
    HANDLER(op_##INSN)                                                          \
    {                                                                           \
        CHECK;                                                                  \
        host_v128 s = host_v(LOAD(c, i)), d = host_v(c->xmm[i->reg]);           \
        __asm__(#INSN " %1, %0" : "+x"(d) : "x"(s));                            \
        c->xmm[i->reg] = guest_v(d);                                            \
    }

/* An imm8 that is part of the host instruction: one case per value,
 * C256(M) expands M(0) ... M(255). */
#define C4(M, b) M(b) M(b + 1) M(b + 2) M(b + 3)
#define C16(M, b) C4(M, b) C4(M, b + 4) C4(M, b + 8) C4(M, b + 12)
#define C64(M, b) C16(M, b) C16(M, b + 16) C16(M, b + 32) C16(M, b + 48)
#define C256(M) C64(M, 0) C64(M, 64) C64(M, 128) C64(M, 192)

#endif
