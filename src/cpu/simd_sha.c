/* SHA extensions (SDM vol.2: SHA1RNDS4, SHA1NEXTE, SHA1MSG1, SHA1MSG2,
 * SHA256RNDS2, SHA256MSG1, SHA256MSG2), run as the host's own instructions
 * on register values where the host has them (host_isa.sha; #UD
 * otherwise, as natively). No mandatory prefix. The m128 operand must be
 * 16-byte aligned where the host says so (the SDM's exception type 4;
 * AMD Zen does not check: host_facts.sha_unaligned). */
#include "sse.h"
#include "simd_host.h"

#if defined(__x86_64__) || defined(__i386__)
#define NEEDSHA() do { if (unlikely(!host_isa.sha)) cpu_raise_ud(c, i); } while (0)

static inline union xmm_reg sha_src(struct cpu *c, const struct insn *i)
{
    return host_facts.sha_unaligned ? xmm_load_u(c, i) : xmm_load_arith(c, i);
}

/* d = INSN(d, s) */
HOST_OP2(sha1nexte, NEEDSHA(), sha_src)
HOST_OP2(sha1msg1, NEEDSHA(), sha_src)
HOST_OP2(sha1msg2, NEEDSHA(), sha_src)
HOST_OP2(sha256msg1, NEEDSHA(), sha_src)
HOST_OP2(sha256msg2, NEEDSHA(), sha_src)

/* two rounds; the message words plus constants are the implicit XMM0 */
HANDLER(op_sha256rnds2)
{
    NEEDSHA();
    host_v128 s = host_v(sha_src(c, i)), d = host_v(c->xmm[i->reg]), k = host_v(c->xmm[0]);
    __asm__("sha256rnds2 %2, %1, %0" : "+x"(d) : "x"(s), "Yz"(k));
    c->xmm[i->reg] = guest_v(d);
}
/* four rounds; imm8[1:0] picks the function and constant (the rest is ignored) */
HANDLER(op_sha1rnds4)
{
    NEEDSHA();
    host_v128 s = host_v(sha_src(c, i)), d = host_v(c->xmm[i->reg]);
    switch (i->imm & 3) {
    case 0: __asm__("sha1rnds4 $0, %1, %0" : "+x"(d) : "x"(s)); break;
    case 1: __asm__("sha1rnds4 $1, %1, %0" : "+x"(d) : "x"(s)); break;
    case 2: __asm__("sha1rnds4 $2, %1, %0" : "+x"(d) : "x"(s)); break;
    default: __asm__("sha1rnds4 $3, %1, %0" : "+x"(d) : "x"(s)); break;
    }
    c->xmm[i->reg] = guest_v(d);
}
#endif

void simd_register_sha(void)
{
#if defined(__x86_64__) || defined(__i386__)
    const uint32_t fl = D_MODRM | D_FL_NONE | D_SZ(SZ_16);
    op_set_sse(optab0f38, 0xC8, 0, op_sha1nexte, fl);
    op_set_sse(optab0f38, 0xC9, 0, op_sha1msg1, fl);
    op_set_sse(optab0f38, 0xCA, 0, op_sha1msg2, fl);
    op_set_sse(optab0f38, 0xCB, 0, op_sha256rnds2, fl);
    op_set_sse(optab0f38, 0xCC, 0, op_sha256msg1, fl);
    op_set_sse(optab0f38, 0xCD, 0, op_sha256msg2, fl);
    op_set_sse(optab0f3a, 0xCC, 0, op_sha1rnds4, fl | D_IMM8);
#endif
}
