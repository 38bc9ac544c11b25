/* Vendor (and hypervisor) differences measured on the host at start-up
 * (vendor.c); doc/vendor.md lists them and the defaults. */
#ifndef UE_VENDOR_H
#define UE_VENDOR_H

#include <stdbool.h>

struct host_facts {
    bool probed;                        /* the probes ran (else the defaults stand) */
    bool int1_eip_after;                /* INT1's SIGTRAP shows the EIP after it, not at it */
    bool push_sreg_zero_extends;        /* PUSH Sreg (32-bit) writes 0000ssss, not 16 bits */
    bool enter_writes_before_check;     /* ENTER stores EBP and the display before its final-ESP fault */
    bool popa_partial;                  /* a faulting POPA keeps the registers it loaded before the fault */
    bool x87_store_fault_first;         /* a store suppressed by its own unmasked exception still page-faults */
    bool x87_pending_before_store_fault;/* a pending unmasked exception (#MF) beats the store's page fault */
    bool mmx_switch_before_store_fault; /* an MMX store's page fault shows the x87-to-MMX switch done */
    bool sha_unaligned;                 /* SHA*'s m128 operand need not be 16-byte aligned (AMD) */
    bool vex_unused_v3_checked;         /* a VEX.vvvv that names nothing must be 1111b in all four bits,
                                           vvvv[3] too (which 32-bit mode otherwise ignores) */
};
extern struct host_facts host_facts;

/* Instruction-set extensions outside what CPUID leaf 1 of an SSSE3 part
 * lists, that ue runs as the host does: an instruction the host lacks is
 * #UD (or, for the F3 bit scans, the BSF/BSR it then is), as natively.
 * From the host's CPUID on x86 hosts; all present elsewhere. */
struct host_isa {
    bool popcnt, lzcnt, bmi1, bmi2, movbe, sse42, adx, sse41;
    bool aes, pclmul, sha;
    bool rdrand, rdseed, rdtscp, rdpid;   /* the host's own answers: never run in C */
    bool sse3, ssse3, lahf64;   /* for the code generator (src/jit), which runs them as the host's own */
};
extern struct host_isa host_isa;
void host_facts_probe(void);

#endif
