/* Shared by the MMX/SSE files (simd_*.c): operand access for MMX (mm),
 * XMM and their memory forms, and the rules every SIMD handler follows.
 *
 * - Registration: op_set_sse(tab, op, pfx, fn, flags) picks the handler by
 *   mandatory prefix (0 none = MMX or packed-single, 1 = 66, 2 = F3, 3 = F2);
 *   op_set_group_sse does the same for the 0F 71/72/73 shift groups. Every
 *   handler that leaves EFLAGS alone is registered with D_FL_NONE (the
 *   block's flag-liveness pass relies on it); COMISS and friends D_FL_WRITE.
 * - An MMX instruction first calls mmx_enter(c) (TOP = 0, all tags valid);
 *   EMMS empties the tags. MMn is the mantissa of x87 physical register n.
 * - 128-bit memory operands of the aligned forms raise #GP (SIGSEGV,
 *   SI_KERNEL, address 0) when not 16-byte aligned: xmm_load_a/xmm_store_a.
 * - Guest memory is read and written through the ld and st helpers of guestmem.h,
 *   so the memcheck build can route it. */
#ifndef UE_SSE_H
#define UE_SSE_H

#include <signal.h>

#include "cpu.h"
#include "x87.h"
#include "vendor.h"

/* A pending unmasked x87 exception is raised by the next MMX instruction
 * (#MF), before it touches memory. */
static inline void mmx_pending(struct cpu *c, const struct insn *i)
{
    x87_sync(c);
    if (unlikely(c->fpu.sw & ~c->fpu.cw & 0x3f)) x87_check_pending(c, i);
}
/* The x87-to-MMX switch: #MF first, then TOP = 0 and every tag valid. */
static inline void mmx_enter(struct cpu *c, const struct insn *i)
{
    mmx_pending(c, i);
    x87_mmx_enter(c);
}
static inline uint64_t mm_get(struct cpu *c, int n) { return x87_mmx_get(c, n); }
static inline void mm_set(struct cpu *c, int n, uint64_t v) { x87_mmx_set(c, n, v); }

/* An MMX store of mm register n (size 4 or 8) to a: the #MF, the
 * x87-to-MMX switch and the store's page fault in the host's order. */
static inline void mmx_store(struct cpu *c, const struct insn *i, guest_addr a, int n, int size)
{
    if (unlikely(!host_facts.x87_pending_before_store_fault)) {
        x87_sync(c);
        if (c->fpu.sw & ~c->fpu.cw & 0x3f) st_probe(a, size);
    }
    mmx_pending(c, i);
    uint64_t v = mm_get(c, n);
    if (host_facts.mmx_switch_before_store_fault) x87_mmx_enter(c);
    if (size == 4) st32(a, (uint32_t)v);
    else st64(a, v);
    if (!host_facts.mmx_switch_before_store_fault) x87_mmx_enter(c);
}

/* the r/m operand of an MMX instruction: mm register or 64-bit memory */
static inline uint64_t mm_load_rm(struct cpu *c, const struct insn *i)
{
    if (i->mod3) return mm_get(c, i->rm);
    mmx_pending(c, i);
    return ld64(ea(c, i));
}

static inline void xmm_check_align(struct cpu *c, guest_addr a)
{
    if (a & 15) cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);
}
/* the r/m operand of an XMM instruction, 128 bits: unaligned (_u) or aligned (_a) */
static inline union xmm_reg xmm_load_u(struct cpu *c, const struct insn *i)
{
    union xmm_reg v;
    if (i->mod3) return c->xmm[i->rm];
    ld128(ea(c, i), &v);   /* whole even when the instruction uses half of it, as the hardware */
    return v;
}
static inline union xmm_reg xmm_load_a(struct cpu *c, const struct insn *i)
{
    if (!i->mod3) xmm_check_align(c, ea(c, i));
    return xmm_load_u(c, i);
}
static inline void xmm_store_u(struct cpu *c, const struct insn *i, const union xmm_reg *v)
{
    if (i->mod3) { c->xmm[i->rm] = *v; return; }
    st128(ea(c, i), v);
}
static inline void xmm_store_a(struct cpu *c, const struct insn *i, const union xmm_reg *v)
{
    if (!i->mod3) xmm_check_align(c, ea(c, i));
    xmm_store_u(c, i, v);
}
/* The m128 operand of an arithmetic instruction: 16-byte aligned, unless
 * AMD's misaligned SSE mode is on (MXCSR.MM, bit 17, settable when the host
 * has it); the moves (MOVAPS, MOVNTPS...) check alignment regardless. */
#define MX_MM 0x20000u
static inline union xmm_reg xmm_load_arith(struct cpu *c, const struct insn *i)
{
    return unlikely(c->mxcsr & MX_MM) ? xmm_load_u(c, i) : xmm_load_a(c, i);
}

/* scalar r/m operands: low 32 or 64 bits of an xmm register, or memory */
static inline uint32_t xmm_load_rm32(struct cpu *c, const struct insn *i)
{
    return i->mod3 ? c->xmm[i->rm].d[0] : ld32(ea(c, i));
}
static inline uint64_t xmm_load_rm64(struct cpu *c, const struct insn *i)
{
    return i->mod3 ? c->xmm[i->rm].q[0] : ld64(ea(c, i));
}

/* The guest MXCSR (simd_fp.c). Exception flags raised by SSE arithmetic
 * may be pending in the host MXCSR (simd_fp_host.h, SIMD_FP_LAZY):
 * sse_mxcsr_sync(c) moves them into c->mxcsr; call it in the guest's own
 * thread before reading or writing c->mxcsr outside the simd files. A host
 * fault handler that leaves by siglongjmp calls sse_mxcsr_fault_save(c, uc)
 * (the kernel reset the host MXCSR for the handler). */
void sse_mxcsr_sync(struct cpu *c);
void sse_mxcsr_fault_save(struct cpu *c, const void *ucontext);

/* Register functions of the SIMD files, called by ops_register_sse(). */
void simd_register_int(void);   /* simd_int.c: MMX and SSE2 packed integer, SSSE3, integer moves */
void simd_register_fp(void);    /* simd_fp.c: SSE/SSE2/SSE3 floating point, conversions, MXCSR use */
void simd_register_cvt(void);   /* simd_cvt.c: SSE/SSE2 conversions, called by simd_register_fp() */
void simd_register_sse42(void); /* simd_sse42.c: PCMPxSTRx, PCMPGTQ */
void simd_register_aes(void);   /* simd_aes.c: AES-NI, PCLMULQDQ */
void simd_register_sha(void);   /* simd_sha.c: SHA1 and SHA256 */

#endif
