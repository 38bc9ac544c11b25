/* The MXCSR bracket of the SIMD files (see simd_fp_host.h): what the host
 * MXCSR holds is per-thread state both CPU builds share, so this file is
 * compiled once. */
#include <ucontext.h>

#include "simd_fp_host.h"

__thread uint32_t fpb_mx_host = MX_UNKNOWN;

void fpb_begin_slow(struct cpu *c)
{
    fpb_mx_host = MX_UNKNOWN;   /* before loading: a trap leaves it so */
    uint32_t m = c->mxcsr;
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
}

void fpb_end_slow(struct cpu *c)
{
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    c->mxcsr |= m & MX_FLAGS;
    if (MX_RESIDENT(c->mxcsr)) {
        fpb_mx_host = c->mxcsr;   /* resident: the host holds exactly the guest's MXCSR */
    } else {
        uint32_t def = MX_DEFAULT;
        __asm__ volatile("ldmxcsr %0" : : "m"(def));
    }
}

void sse_mxcsr_sync(struct cpu *c)
{
    if (c->mxcsr != fpb_mx_host) return;   /* nothing pending in the host */
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    c->mxcsr |= m & MX_FLAGS;
    fpb_mx_host = c->mxcsr;
}

void sse_mxcsr_fault_save(struct cpu *c, const void *ucontext)
{
#ifdef __x86_64__
    const ucontext_t *uc = ucontext;
    if (c->mxcsr == fpb_mx_host && uc->uc_mcontext.fpregs) c->mxcsr |= uc->uc_mcontext.fpregs->mxcsr & MX_FLAGS;
#endif
    fpb_mx_host = MX_UNKNOWN;   /* the kernel gave the handler a fresh MXCSR */
}
