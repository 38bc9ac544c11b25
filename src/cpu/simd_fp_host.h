/* SSE floating-point backend for x86 hosts: every guest SSE/SSE2/SSE3
 * computation runs as the host's own instruction, so results, NaN
 * propagation, rounding, FTZ/DAZ, approximations (rcpps, rsqrtps) and the
 * exception flags are the host CPU's, bit for bit.
 *
 * The backend interface (what a soft-float backend for other hosts would
 * provide with the same names):
 *   fpb_begin(c) ... fpb_end(c)  bracket the computations of one guest
 *       instruction: in between the host computes with the guest's MXCSR
 *       (rounding, FTZ, DAZ, masks); fpb_end ORs the raised exception flags
 *       into c->mxcsr (or leaves them pending in the host: SIMD_FP_LAZY). An unmasked exception traps in between (host SIGFPE,
 *       which fault.c turns into the guest's): handlers keep results in
 *       locals and store them only after fpb_end.
 *   FPB_2(INSN, d, s)           *d = INSN(*d, *s) on union xmm_reg values
 *   FPB_2I(INSN, IMM, d, s)     the same with a constant imm8 (cmpps...)
 *   FPB_TOINT(INSN, r, s)       uint32_t r = INSN(*s) (cvtss2si...)
 *   FPB_FROMINT(INSN, d, r)     *d = INSN(*d, uint32_t r) (cvtsi2ss...)
 *   FPB_COMI(INSN, a, b, fl)    fl = ZF|PF|CF of INSN(*a, *b) (comiss...)
 * INSN is the host mnemonic of the instruction with the guest's semantics
 * (AT&T operand order: source, then destination).
 *
 * MXCSR rule: the guest's MXCSR may stay loaded in the host between
 * instructions (resident); fpb_mx_host is then equal to c->mxcsr, the host
 * exception flags belong to the guest, and a computation runs without
 * loading any MXCSR (the fast path). Any other value of fpb_mx_host
 * (MX_UNKNOWN, or a guest MXCSR changed by LDMXCSR/FXRSTOR/signals) takes
 * the slow path: load the guest MXCSR, compute, and if it may not stay, put
 * the host back to the default 0x1f80. A host signal handler left by
 * siglongjmp runs with the kernel's initial MXCSR (0x1f80, no flags).
 *
 * Which MXCSR may stay, and when the flags are collected, depends on
 * whether the rest of ue tells this code about host faults and about its
 * own uses of c->mxcsr (sse_mxcsr_fault_save, sse_mxcsr_sync: sse.h):
 *  - SIMD_FP_LAZY 0 (no such calls): only a guest MXCSR with the default
 *    control bits stays (the kernel's reset then changes nothing that
 *    matters), and every fast-path bracket ends with STMXCSR, so c->mxcsr
 *    is always exact.
 *  - SIMD_FP_LAZY 1 (the calls are wired): any guest MXCSR with every
 *    exception masked stays (ue's own C code computes nothing in
 *    float/double, so the guest's rounding, FTZ and DAZ reach no one else,
 *    and a masked host cannot trap), and the fast path leaves new flags in
 *    the host MXCSR, where they accumulate (sticky) until a sync.
 * STMXCSR costs ~12 cycles on this host (AMD Zen 4): an ADDPS under ue takes
 * ~7.8 ns with it, ~3 ns without; the slow path ~9.4 ns. */
#ifndef UE_SIMD_FP_HOST_H
#define UE_SIMD_FP_HOST_H

#ifndef SIMD_FP_LAZY
#define SIMD_FP_LAZY 1
#endif

#include "sse.h"

#if !defined(__x86_64__) && !defined(__i386__)
#error "simd_fp_host.h: no SSE floating-point backend for this host"
#endif

#define MX_FLAGS 0x3fu          /* IE DE ZE OE UE PE */
#define MX_DEFAULT 0x1f80u
#define MX_MASKS 0x1f80u        /* IM DM ZM OM UM PM */
/* a guest MXCSR that may stay loaded in the host (see above) */
#if SIMD_FP_LAZY
#define MX_RESIDENT(mx) (((mx) & MX_MASKS) == MX_MASKS)
#else
#define MX_RESIDENT(mx) (((mx) & ~MX_FLAGS) == MX_DEFAULT)
#endif
#define MX_UNKNOWN 0xffffffffu  /* reserved bits set: never a guest MXCSR */

extern __thread uint32_t fpb_mx_host __attribute__((tls_model("local-exec")));
void fpb_begin_slow(struct cpu *c);
void fpb_end_slow(struct cpu *c);

static inline void fpb_begin(struct cpu *c)
{
    if (unlikely(c->mxcsr != fpb_mx_host)) fpb_begin_slow(c);
}
static inline void fpb_end(struct cpu *c)
{
    if (unlikely(fpb_mx_host == MX_UNKNOWN)) { fpb_end_slow(c); return; }
#if !SIMD_FP_LAZY
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    c->mxcsr |= m & MX_FLAGS;
    fpb_mx_host = c->mxcsr;
#endif
}

/* a 128-bit value in a host xmm register */
typedef double fpb_vec __attribute__((vector_size(16)));

static inline fpb_vec fpb_in(const union xmm_reg *x) { fpb_vec v; memcpy(&v, x, 16); return v; }
static inline void fpb_out(union xmm_reg *x, fpb_vec v) { memcpy(x, &v, 16); }

/* Volatile: the computations stay inside their bracket (GCC keeps volatile
 * asm statements in order). Register operands only: a host memory operand
 * would bring the host's alignment rules. */
#define FPB_2(INSN, d, s) do {                                                  \
    fpb_vec d_ = fpb_in(d), s_ = fpb_in(s);                                     \
    __asm__ volatile(#INSN " %1, %0" : "+x"(d_) : "x"(s_));                     \
    fpb_out(d, d_);                                                             \
} while (0)

#define FPB_2I(INSN, IMM, d, s) do {                                            \
    fpb_vec d_ = fpb_in(d), s_ = fpb_in(s);                                     \
    __asm__ volatile(#INSN " %2, %1, %0" : "+x"(d_) : "x"(s_), "i"(IMM));       \
    fpb_out(d, d_);                                                             \
} while (0)

#define FPB_TOINT(INSN, r, s) do {                                              \
    fpb_vec s_ = fpb_in(s);                                                     \
    __asm__ volatile(#INSN " %1, %0" : "=r"(r) : "x"(s_));                      \
} while (0)

#define FPB_FROMINT(INSN, d, r) do {                                            \
    fpb_vec d_ = fpb_in(d);                                                     \
    uint32_t r_ = (r);                                                          \
    __asm__ volatile(#INSN " %1, %0" : "+x"(d_) : "r"(r_));                     \
    fpb_out(d, d_);                                                             \
} while (0)

/* Scalar forms on the low lane only: *d = INSN(*d, *s) on a float (32) or
 * double (64) held as bits. Moving only the lane keeps the host's
 * store-to-load forwarding intact (a 16-byte load after an 8-byte store of
 * the same register stalls); the upper lanes are not the instruction's. */
#define FPB_S(INSN, BITS, d, s) do {                                            \
    FPB_T##BITS d_, s_;                                                         \
    memcpy(&d_, (d), BITS / 8);                                                 \
    memcpy(&s_, (s), BITS / 8);                                                 \
    __asm__ volatile(#INSN " %1, %0" : "+x"(d_) : "x"(s_));                     \
    memcpy((d), &d_, BITS / 8);                                                 \
} while (0)
#define FPB_T32 float
#define FPB_T64 double

/* the flags COMISS/UCOMISS set: ZF, PF, CF (OF, SF, AF cleared) */
#define FPB_COMI(INSN, a, b, fl) do {                                           \
    fpb_vec a_ = fpb_in(a), b_ = fpb_in(b);                                     \
    bool z_, p_, c_;                                                            \
    __asm__ volatile(#INSN " %4, %3" : "=@ccz"(z_), "=@ccp"(p_), "=@ccc"(c_)     \
                     : "x"(a_), "x"(b_));                                       \
    (fl) = (z_ ? F_ZF : 0) | (p_ ? F_PF : 0) | (c_ ? F_CF : 0);                 \
} while (0)

/* ---- shared by simd_fp.c and simd_cvt.c ---- */


/* scalar sources: the low 32 or 64 bits of xmm/m32 or xmm/m64, the rest
 * zero (the host never looks at it) */
static inline union xmm_reg load_s32(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {{0}};
    v.d[0] = xmm_load_rm32(c, i);
    return v;
}
static inline union xmm_reg load_s64(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {{0}};
    v.q[0] = xmm_load_rm64(c, i);
    return v;
}

#endif
