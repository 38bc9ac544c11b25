/* The x87 FPU: state helpers shared by the x87_*.c files, and the functions
 * other boxes call (signal frames, fault recovery, MMX aliasing).
 *
 * State (struct x87_state in cpu.h): st[] are the physical registers R0..R7,
 * ST(i) is st[(top + i) & 7]; tw holds one bit per physical register, set
 * when it is empty (the complement of FXSAVE's abridged tag); the full tag
 * word is computed from the contents when stored, as hardware does. sw holds
 * every status bit except TOP (kept in top) and ES/B (computed from the
 * exception flags and the control word when read). */
#ifndef UE_X87_H
#define UE_X87_H

#include "cpu.h"
#include "x87_host.h"

/* ---- used by other boxes ---- */

/* While the guest has every exception masked, its x87 state lives in the
 * host FPU of the thread running it (x87_resident.c), and c->fpu is stale.
 * x87_sync(c) writes it back to c->fpu (the next x87 instruction reloads
 * it): call it before reading or writing c->fpu from outside the x87 files
 * (signal frames, thread creation, debugger). The functions below sync
 * themselves. */
void x87_sync(struct cpu *c);
/* For the host SIGSEGV/SIGBUS handler, before it leaves with siglongjmp (the
 * kernel runs handlers with a fresh FPU, so the guest's x87 state is then
 * only in the signal frame): copies it from the ucontext into c->fpu. */
void x87_fault_save(struct cpu *c, const void *ucontext);
/* The host FPU state was replaced behind the x87 code's back, with nothing
 * to save: forget what it held. */
void x87_host_lost(void);

/* FNINIT of c's FPU (what a signal handler starts with). */
void x87_reinit(struct cpu *c);
/* FNINIT of a synced state: control word 0x37f, status 0, all registers
 * empty, pointers 0. */
void x87_reset(struct x87_state *f);
/* The status word as FNSTSW reads it (TOP, ES and B included), and the full
 * tag word (2 bits per physical register, from contents), of a synced state. */
uint16_t x87_status_word(const struct x87_state *f);
uint16_t x87_tag_word(const struct x87_state *f);
/* The 108-byte FNSAVE image (32-bit protected-mode layout; as in the i386
 * sigcontext's _fpstate head) and its reverse, without FNSAVE's re-init. */
void x87_save_fsave(struct cpu *c, uint8_t out[108]);
void x87_load_fsave(struct cpu *c, const uint8_t in[108]);
/* The 512-byte FXSAVE image (x87, MXCSR, XMM0-7) and its reverse. Loading
 * returns false, changing nothing, when MXCSR has reserved bits set. */
void x87_save_fxsave(struct cpu *c, uint8_t out[512]);
bool x87_load_fxsave(struct cpu *c, const uint8_t in[512]);
/* Bits of MXCSR the host accepts (FXSAVE's MXCSR_MASK). */
uint32_t x87_mxcsr_mask(void);

/* MMX registers alias the x87 mantissas: MMn is physical register n. An MMX
 * instruction sets TOP to 0 and every tag valid (x87_mmx_enter); writes set
 * the exponent field to all ones; EMMS empties every tag. */
static inline uint64_t x87_mmx_get(struct cpu *c, int n)
{
    uint64_t v;
    x87_sync(c);
    memcpy(&v, &c->fpu.st[n], 8);
    return v;
}
static inline void x87_mmx_set(struct cpu *c, int n, uint64_t v)
{
    uint16_t ones = 0xffff;
    x87_sync(c);
    memcpy(&c->fpu.st[n], &v, 8);
    memcpy((uint8_t *)&c->fpu.st[n] + 8, &ones, 2);
}
static inline void x87_mmx_enter(struct cpu *c) { x87_sync(c); c->fpu.top = 0; c->fpu.tw = 0; }
static inline void x87_emms(struct cpu *c) { x87_sync(c); c->fpu.top = 0; c->fpu.tw = 0xff; }

/* ---- inside the x87 files ---- */

#define SW_IE 0x0001
#define SW_DE 0x0002
#define SW_ZE 0x0004
#define SW_OE 0x0008
#define SW_UE 0x0010
#define SW_PE 0x0020
#define SW_SF 0x0040
#define SW_ES 0x0080
#define SW_C0 0x0100
#define SW_C1 0x0200
#define SW_C2 0x0400
#define SW_C3 0x4000
#define SW_B 0x8000
#define SW_CC (SW_C0 | SW_C1 | SW_C2 | SW_C3)
#define SW_EXC 0x003f

/* The guest control word loaded in this thread's host FPU, or 0: none known,
 * or the guest has unmasked exceptions (every op then takes the slow path,
 * which snapshots the state for the unmasked-exception response). The host
 * gets (cw | 0x3f): exceptions are always masked on the host. Only x87 code
 * changes the host control word, so it is reloaded only when this differs. */
extern __thread uint16_t x87_host_cw __attribute__((tls_model("local-exec")));

void x87_begin_slow(struct cpu *c, const struct insn *i);
/* SIGFPE now if an unmasked exception is pending (FWAIT, slow path). */
void x87_check_pending(struct cpu *c, const struct insn *i);
void x87_end_slow(struct cpu *c);

/* Start of every waiting x87 instruction: signals a pending unmasked
 * exception, makes the host control word the guest's. */
static inline void x87_begin(struct cpu *c, const struct insn *i)
{
    if (unlikely(x87_host_cw != c->fpu.cw)) x87_begin_slow(c, i);
}
/* End of every instruction that began with x87_begin. */
static inline void x87_end(struct cpu *c)
{
    if (unlikely(x87_host_cw != c->fpu.cw)) x87_end_slow(c);
}

static inline int x87_phys(const struct x87_state *f, int i) { return (f->top + i) & 7; }
static inline bool x87_empty(const struct x87_state *f, int p) { return (f->tw >> p) & 1; }
static inline void x87_set_valid(struct x87_state *f, int p) { f->tw &= ~(1u << p); }
static inline void x87_pop(struct x87_state *f)
{
    f->tw |= 1u << f->top;
    f->top = (f->top + 1) & 7;
}
static inline void x87_st_copy(long double *dst, const long double *src) { memcpy(dst, src, 10); }

/* Take the bits in take (of C0-C3) and every exception flag from the host status. */
static inline void x87_flags(struct x87_state *f, uint16_t hsw, uint16_t take)
{
    f->sw = (f->sw & ~take) | (hsw & (take | SW_EXC));
}

/* The QNaN floating-point indefinite, the masked response to invalid operations. */
extern const uint8_t x87_indefinite_bytes[16];
#define X87_INDEFINITE ((const long double *)x87_indefinite_bytes)

/* FIP/FOP (and FDP/FDS for memory operands): set by every non-control
 * instruction. FOP of a memory form keeps bit 15 set until its mod bits are
 * read back from the code (only when saved). */
static inline void x87_note(struct cpu *c, const struct insn *i)
{
    struct x87_state *f = &c->fpu;
    f->fip = i->eip;
    f->fcs = c->sreg[SEG_CS];
    f->fop = ((i->op & 7) << 8) | 0xc0 | (i->reg << 3) | i->rm;
}
/* Effective address of the memory operand; *off gets its offset in the segment (FDP). */
static inline guest_addr x87_ea(const struct cpu *c, const struct insn *i, uint32_t *off)
{
    uint32_t a = c->r[i->base] + (c->r[i->index] << i->scale) + i->disp;
    if (unlikely(i->addr16)) a &= 0xffff;
    *off = a;
    return a + c->segbase[i->seg];
}
static inline void x87_note_mem(struct cpu *c, const struct insn *i, uint32_t off)
{
    struct x87_state *f = &c->fpu;
    f->fip = i->eip;
    f->fcs = c->sreg[SEG_CS];
    f->fop = 0x8000 | ((i->op & 7) << 8) | (i->reg << 3) | i->rm;
    f->fdp = off;
    f->fds = c->sreg[i->seg];
}

/* Stack faults (masked response: the destination gets the indefinite). */
void x87_underflow(struct x87_state *f);           /* IE|SF, C1 = 0 */
void x87_overflow(struct x87_state *f);            /* IE|SF, C1 = 1 */
/* Push a value computed by the caller into the slot x87_push_slot returns. */
static inline long double *x87_push_slot(struct x87_state *f)
{
    f->top = (f->top - 1) & 7;
    x87_set_valid(f, f->top);
    return &f->st[f->top];
}

/* The dispatch tables filled by each file: memory forms by [opcode & 7][reg],
 * register forms by [opcode & 7][modrm & 63]; x87_illegal raises SIGILL.
 * x87_res_* are the resident path's (x87_resident.c). */
extern op_fn x87_mem_ops[8][8];
extern op_fn x87_reg_ops[8][64];
extern op_fn x87_res_mem_ops[8][8];
extern op_fn x87_res_reg_ops[8][64];
void x87_illegal(struct cpu *c, const struct insn *i);
void x87_register_resident(void); /* x87_resident.c, after the others */

/* The cpu whose x87 state is in this thread's host FPU, or NULL (x87_state.c). */
extern __thread struct cpu *x87_owner __attribute__((tls_model("local-exec")));
void x87_enter_host(struct cpu *c);
void x87_register_arith(void);   /* x87_arith.c */
void x87_register_ldst(void);    /* x87_ldst.c */
void x87_register_ctl(void);     /* x87_ctl.c */
void x87_register_sse_state(void); /* x87_ctl.c: FXSAVE/FXRSTOR/LDMXCSR/STMXCSR */

/* The decoder may call this for D8..DF (op, reg, rm, mod3 filled in) to bind
 * the instruction's own handler instead of the generic op_x87. */
op_fn x87_handler(const struct insn *i);
void x87_not_resident(struct cpu *c, const struct insn *i);
/* Translated code runs x87 instructions as the host's own (src/jit): true
 * when c's x87 state is in the host FPU, after entering it if every
 * exception is masked (the resident path's rule); false when it may not. */
bool x87_host_ready(struct cpu *c);

/* Host facts measured at start-up. */
struct x87_host_facts {
    uint16_t cw_keep, cw_ones;  /* FLDCW v stores (v & cw_keep) | cw_ones */
    uint32_t mxcsr_mask;
    bool fxsave_ptrs_need_es;   /* FXSAVE stores FIP/FDP/FOP only with ES set (AMD) */
    bool fcs_fds_zero;          /* CPUID.7.EBX[13]: FCS/FDS stored as 0 */
    bool fxam_empty_sign;       /* FXAM of an empty register gives C1 = its sign */
    bool denormal_load_completes; /* FLD m32/m64 of a denormal with DM unmasked still loads (AMD) */
};
/* Set by FLD m32/m64 for x87_end_slow: a #D alone does not undo this load
 * on hosts where it completes. */
extern __thread bool x87_load_keeps_on_de;
extern struct x87_host_facts x87_host;
void x87_probe_host(void);   /* x87_state.c: fills x87_host */

/* FLDCW v stores this (reserved bits as the host keeps them). */
static inline uint16_t x87_cw_normalize(uint16_t v) { return (v & x87_host.cw_keep) | x87_host.cw_ones; }

#endif
