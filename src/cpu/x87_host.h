/* x87 backend for x86 hosts, memory path: each guest x87 computation runs
 * as the host's own x87 instruction on 80-bit values kept in memory, so
 * results, rounding, C1/C2 and exception flags are the host CPU's, bit for
 * bit. (The resident path, x87_resident.c, runs the guest's instructions on
 * the host registers directly; this one serves unmasked exceptions.)
 *
 * The backend interface (what a soft-float backend for other hosts would
 * provide with the same names): xb_* macros below. Each takes pointers to
 * 80-bit values (long double slots) and, for memory operands, to a host copy
 * of the guest operand; each returns the host status word after the
 * instruction (exception flags 0-5 and C0-C3; the caller keeps the bits the
 * instruction defines). Opcode bytes are literal tokens: the guest's own
 * opcode (D8..DF) and ModRM.reg are re-emitted with .byte, with the register
 * operand always ST(1) and the memory operand always [rdx].
 *
 * Rules for the host FPU on this path (x87.c keeps the control word):
 *  - the host x87 stack is empty between backend calls (every macro pops what
 *    it pushed), so backend code never overflows;
 *  - the host control word is the guest's with all exceptions masked, except
 *    during the one instruction XB_AFTER describes;
 *  - host exception flags are sticky and only ever a subset of the guest's, so
 *    ORing them into the guest status word after each call is exact.
 * ue's own C code uses no x87 arithmetic (x86-64 does float/double in SSE;
 * long double is only moved around with integer copies), so nothing else
 * depends on, or disturbs, the host x87 state. */
#ifndef UE_X87_HOST_H
#define UE_X87_HOST_H

#include <stdint.h>

#define XB_CLOBBER "st", "st(1)", "st(2)"

/* The slow path (guest has unmasked exceptions) runs the instruction with
 * the guest's own control word, so the host gives the native unmasked
 * response (no result, or the exponent-wrapped one of OE/UE), then clears
 * the pending exception and masks everything again before any waiting
 * instruction: xb_slow_cw is that masked word, 0 on the fast path. */
extern __thread uint16_t xb_slow_cw __attribute__((tls_model("local-exec")));
#define XB_AFTER "fnstsw %%ax\n\tcmpw $0, %[scw]\n\tje 2f\n\tfnclex\n\tfldcw %[scw]\n2:\n\t"
#define XB_SCW [scw] "m"(xb_slow_cw)

/* st0 = st0 OP *m (D8 m32real, DC m64real, DA m32int, DE m16int; reg 0,1,4..7) */
#define xb_arith_mem(OPC, REG, st0, m) ({                                       \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte " #OPC ", (" #REG "<<3)|2\n\t"          \
                     XB_AFTER "fstpt %[a]"                                 \
                     : [a] "+m"(*(st0)), "=&a"(sw_)                               \
                     : "d"(m), "m"(*(m)), XB_SCW : XB_CLOBBER);                          \
    sw_; })

/* FCOM/FCOMP/FICOM.. with a memory operand: C0-C3 from comparing st0 with *m */
#define xb_com_mem(OPC, REG, st0, m) ({                                         \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte " #OPC ", (" #REG "<<3)|2\n\t"          \
                     XB_AFTER                                           \
                     ".ifc " #REG ",2\n\tfstp %%st(0)\n\t.endif"                 \
                     : "=&a"(sw_)                                                 \
                     : [a] "m"(*(st0)), "d"(m), "m"(*(m)), XB_SCW : XB_CLOBBER);         \
    sw_; })

/* Register forms with host ST(0) = *st0 and ST(1) = *sti, one instruction
 * OPC,MODRM (ModRM with rm = 1).
 * xb_reg_res0: keep the host ST(0) result in *res (D8 forms: st0 = st0 op sti)
 * xb_reg_res1: keep the host ST(1) result in *res (DC forms: sti = sti op st0)
 * xb_reg_pop:  the instruction pops; keep the remaining ST(0) (DE forms) */
#define xb_reg_res0(OPC, MODRM, st0, sti, res) ({                               \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte " #OPC ", " #MODRM "\n\t"   \
                     XB_AFTER "fstpt %[r]\n\tfstp %%st(0)"                 \
                     : [r] "=m"(*(res)), "=&a"(sw_)                               \
                     : [a] "m"(*(st0)), [b] "m"(*(sti)), XB_SCW : XB_CLOBBER);           \
    sw_; })
#define xb_reg_res1(OPC, MODRM, st0, sti, res) ({                               \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte " #OPC ", " #MODRM "\n\t"   \
                     XB_AFTER "fstp %%st(0)\n\tfstpt %[r]"                 \
                     : [r] "=m"(*(res)), "=&a"(sw_)                               \
                     : [a] "m"(*(st0)), [b] "m"(*(sti)), XB_SCW : XB_CLOBBER);           \
    sw_; })
#define xb_reg_pop(OPC, MODRM, st0, sti, res) ({                                \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte " #OPC ", " #MODRM "\n\t"   \
                     XB_AFTER "fstpt %[r]"                                 \
                     : [r] "=m"(*(res)), "=&a"(sw_)                               \
                     : [a] "m"(*(st0)), [b] "m"(*(sti)), XB_SCW : XB_CLOBBER);           \
    sw_; })
/* compare forms: NPOP is how many values the instruction pops on the host */
#define xb_reg_com(OPC, MODRM, NPOP, st0, sti) ({                               \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte " #OPC ", " #MODRM "\n\t"   \
                     XB_AFTER                                           \
                     ".if " #NPOP " < 2\n\tfstp %%st(0)\n\t.endif\n\t"           \
                     ".if " #NPOP " < 1\n\tfstp %%st(0)\n\t.endif"               \
                     : "=&a"(sw_)                                                 \
                     : [a] "m"(*(st0)), [b] "m"(*(sti)), XB_SCW : XB_CLOBBER);           \
    sw_; })
/* FCOMI/FUCOMI (+P): also returns ZF, PF, CF (read before XB_AFTER's compare) */
#define xb_reg_comi(OPC, MODRM, NPOP, st0, sti, zf, pf, cf) ({                  \
    uint16_t sw_;                                                               \
    uint8_t z_, p_, c_;                                                         \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte " #OPC ", " #MODRM "\n\t"   \
                     "setz %[z]\n\tsetp %[p]\n\tsetc %[c]\n\t"                \
                     XB_AFTER                                                   \
                     ".if " #NPOP " < 2\n\tfstp %%st(0)\n\t.endif\n\t"           \
                     ".if " #NPOP " < 1\n\tfstp %%st(0)\n\t.endif"               \
                     : "=&a"(sw_), [z] "=&q"(z_), [p] "=&q"(p_), [c] "=&q"(c_)      \
                     : [a] "m"(*(st0)), [b] "m"(*(sti)), XB_SCW : XB_CLOBBER);  \
    zf = z_; pf = p_; cf = c_;                                                  \
    sw_; })

/* One operand, one result: *res = OP(*st0) (D9 E0..FF: fsqrt, fsin, frndint...) */
#define xb_unary(MODRM, st0, res) ({                                            \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte 0xd9, " #MODRM "\n\t"                    \
                     XB_AFTER "fstpt %[r]"                                 \
                     : [r] "=m"(*(res)), "=&a"(sw_)                               \
                     : [a] "m"(*(st0)), XB_SCW : XB_CLOBBER);                            \
    sw_; })
/* FTST/FXAM: flags only. */
#define xb_examine(MODRM, st0) ({                                               \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte 0xd9, " #MODRM "\n\t"                    \
                     XB_AFTER "fstp %%st(0)"                               \
                     : "=&a"(sw_) : [a] "m"(*(st0)), XB_SCW : XB_CLOBBER);                \
    sw_; })
/* Two operands ST(0), ST(1): FPREM/FPREM1/FSCALE write ST(0) (*res0);
 * FYL2X/FYL2XP1/FPATAN pop and write ST(1) (*res1). */
#define xb_binary_st0(MODRM, st0, st1, res0) ({                                 \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte 0xd9, " #MODRM "\n\t"       \
                     XB_AFTER "fstpt %[r]\n\tfstp %%st(0)"                 \
                     : [r] "=m"(*(res0)), "=&a"(sw_)                              \
                     : [a] "m"(*(st0)), [b] "m"(*(st1)), XB_SCW : XB_CLOBBER);           \
    sw_; })
#define xb_binary_pop(MODRM, st0, st1, res1) ({                                 \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[b]\n\tfldt %[a]\n\t.byte 0xd9, " #MODRM "\n\t"       \
                     XB_AFTER "fstpt %[r]"                                 \
                     : [r] "=m"(*(res1)), "=&a"(sw_)                              \
                     : [a] "m"(*(st0)), [b] "m"(*(st1)), XB_SCW : XB_CLOBBER);           \
    sw_; })
/* One operand, two results (FXTRACT, and FSINCOS/FPTAN which leave the
 * operand alone with C2 = 1 when it is out of range): host ST(0) goes to
 * *new0 (the pushed register), ST(1) to *old0 (the operand's register). */
#define xb_push2(MODRM, CHECK_C2, st0, new0, old0) ({                           \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte 0xd9, " #MODRM "\n\t"                    \
                     XB_AFTER                                           \
                     ".if " #CHECK_C2 "\n\ttest $0x400, %%ax\n\tjnz 1f\n\t.endif\n\t" \
                     "fstpt %[n]\n1:\n\tfstpt %[o]"                              \
                     : [n] "=m"(*(new0)), [o] "=m"(*(old0)), "=&a"(sw_)           \
                     : [a] "m"(*(st0)), XB_SCW : XB_CLOBBER, "cc");                      \
    sw_; })

/* Loads from a host copy of a memory operand: FLD m32/m64 (exceptions),
 * FILD m16/m32/m64, FBLD; and the constants FLD1..FLDZ (D9 E8..EE). */
#define xb_load_mem(OPC, REG, m, res) ({                                        \
    uint16_t sw_;                                                               \
    __asm__ volatile(".byte " #OPC ", (" #REG "<<3)|2\n\t"                        \
                     XB_AFTER "fstpt %[r]"                                 \
                     : [r] "=m"(*(res)), "=&a"(sw_)                               \
                     : "d"(m), "m"(*(m)), XB_SCW : XB_CLOBBER);                          \
    sw_; })
#define xb_load_const(MODRM, res) ({                                            \
    __asm__ volatile(".byte 0xd9, " #MODRM "\n\tfstpt %[r]"                       \
                     : [r] "=m"(*(res)) : : XB_CLOBBER); })
/* Stores into a host buffer with a popping store form: FSTP m32/m64,
 * FISTP m16/m32/m64, FISTTP m16/m32/m64, FBSTP m80. */
#define xb_store_mem(OPC, REG, st0, m) ({                                       \
    uint16_t sw_;                                                               \
    __asm__ volatile("fldt %[a]\n\t.byte " #OPC ", (" #REG "<<3)|2\n\t"          \
                     XB_AFTER                                               \
                     : "=m"(*(m)), "=&a"(sw_)                                     \
                     : [a] "m"(*(st0)), "d"(m), XB_SCW : XB_CLOBBER);                    \
    sw_; })

/* Control of the host FPU. */
static inline void xb_load_cw(uint16_t cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }
static inline uint16_t xb_store_cw(void) { uint16_t cw; __asm__ volatile("fnstcw %0" : "=m"(cw)); return cw; }
static inline void xb_clear_exceptions(void) { __asm__ volatile("fnclex"); }

#endif
