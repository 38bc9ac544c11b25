/* The x87 FPU core: dispatch of D8..DF, the memory path's host control
 * word, pending unmasked exceptions, stack faults, and host facts measured
 * at start-up (x87_state.c). Two paths run the instructions (see x87.h):
 *  - resident (x87_resident.c): every exception masked; the guest state
 *    lives in the host FPU and each instruction runs as itself;
 *  - memory (x87_arith.c, x87_ldst.c, x87_ctl.c): the state is in
 *    struct x87_state and each instruction loads its operands into the host,
 *    runs, and stores the results back; used while the guest has unmasked
 *    exceptions (the slow path there snapshots state for the unmasked
 *    response), or with UE_X87_MEMORY=1.
 *
 * Host control word rule for the memory path: x87 code is the only user of
 * the host x87 control word. x87_begin() loads (guest cw | 0x3f) when
 * x87_host_cw says otherwise and nothing restores it afterwards; ue's C code
 * never computes in x87 (x86-64 does float/double in SSE), so it does not
 * care. A host signal handler left by siglongjmp runs with the kernel's
 * initial FPU state, which x87_fault_save() accounts for. */
#include <signal.h>
#include <stdlib.h>

#include "x87.h"

op_fn x87_mem_ops[8][8];
op_fn x87_reg_ops[8][64];

const uint8_t x87_indefinite_bytes[16] __attribute__((aligned(16))) = {
    0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff};

__thread uint16_t xb_slow_cw;

/* The state before the current instruction, kept only while the guest has
 * unmasked exceptions: an unmasked IE, DE or ZE leaves the destination and
 * the stack as they were (SDM vol.1 4.9.2, 8.5). */
static __thread struct {
    long double st[8];
    int top;
    uint16_t tw;
} snap;

void x87_reset(struct x87_state *f)
{
    f->cw = 0x37f;
    f->sw = 0;
    f->tw = 0xff;
    f->top = 0;
    f->fip = f->fdp = 0;
    f->fop = f->fcs = f->fds = 0;
}

uint16_t x87_status_word(const struct x87_state *f)
{
    uint16_t sw = (f->sw & ~(SW_ES | SW_B | 0x3800)) | (f->top << 11);
    if (f->sw & ~f->cw & SW_EXC) sw |= SW_ES | SW_B;
    return sw;
}

/* Tag of one register from its contents (SDM vol.1 8.1.7): 0 valid, 1 zero, 2 special. */
static unsigned tag_of(const long double *v)
{
    uint64_t mant;
    uint16_t se;
    memcpy(&mant, v, 8);
    memcpy(&se, (const uint8_t *)v + 8, 2);
    unsigned exp = se & 0x7fff;
    if (exp == 0x7fff) return 2;
    if (exp == 0) return mant ? 2 : 1;
    return mant >> 63 ? 0 : 2;   /* unnormals are special */
}

uint16_t x87_tag_word(const struct x87_state *f)
{
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++)
        tw |= (x87_empty(f, p) ? 3 : tag_of(&f->st[p])) << (2 * p);
    return tw;
}

void x87_underflow(struct x87_state *f) { f->sw = (f->sw & ~SW_C1) | SW_IE | SW_SF; }
void x87_overflow(struct x87_state *f) { f->sw |= SW_IE | SW_SF | SW_C1; }

/* si_code of the x87 #MF as Linux computes it (arch/x86/kernel/fpu/core.c). */
static int fpe_code(unsigned err)
{
    if (err & SW_IE) return FPE_FLTINV;
    if (err & SW_ZE) return FPE_FLTDIV;
    if (err & SW_OE) return FPE_FLTOVF;
    if (err & (SW_DE | SW_UE)) return FPE_FLTUND;
    return FPE_FLTRES;
}

void x87_check_pending(struct cpu *c, const struct insn *i)
{
    unsigned err = c->fpu.sw & ~c->fpu.cw & SW_EXC;
    if (unlikely(err)) cpu_raise(c, SIGFPE, fpe_code(err), i->eip);
}

void x87_begin_slow(struct cpu *c, const struct insn *i)
{
    struct x87_state *f = &c->fpu;
    x87_check_pending(c, i);
    if ((f->cw & SW_EXC) == SW_EXC) {
        xb_load_cw(f->cw);
        xb_slow_cw = 0;
        x87_host_cw = f->cw;
        return;
    }
    /* unmasked exceptions: this op runs with the guest's own control word
     * (see XB_AFTER), and every op stays on the slow path */
    x87_host_cw = 0;
    xb_slow_cw = f->cw | SW_EXC;
    xb_load_cw(f->cw);
    memcpy(snap.st, f->st, sizeof snap.st);
    snap.top = f->top;
    snap.tw = f->tw;
}

__thread bool x87_load_keeps_on_de;

void x87_end_slow(struct cpu *c)
{
    struct x87_state *f = &c->fpu;
    if (!xb_slow_cw) return;
    /* the host may hold what an unmasked response left on its stack */
    __asm__ volatile("fninit" ::: "st", "st(1)", "st(2)");
    xb_slow_cw = 0;
    unsigned raised = f->sw & ~f->cw & SW_EXC;
    if (x87_load_keeps_on_de && !(raised & (SW_IE | SW_ZE))) return;
    if (!(raised & (SW_IE | SW_DE | SW_ZE))) return;
    memcpy(f->st, snap.st, sizeof snap.st);
    f->top = snap.top;
    f->tw = snap.tw;
}

/* ---- dispatch ---- */

void x87_illegal(struct cpu *c, const struct insn *i) { cpu_raise_ud(c, i); }

static inline op_fn memory_fn(const struct insn *i)
{
    return i->mod3 ? x87_reg_ops[i->op & 7][(i->reg << 3) | i->rm] : x87_mem_ops[i->op & 7][i->reg];
}

#ifdef UE_CHECKED
/* the checked build has no resident path: the host would touch guest memory unseen */
static inline op_fn resident_fn(const struct insn *i) { return memory_fn(i); }
#else
static inline op_fn resident_fn(const struct insn *i)
{
    return i->mod3 ? x87_res_reg_ops[i->op & 7][(i->reg << 3) | i->rm] : x87_res_mem_ops[i->op & 7][i->reg];
}

/* A resident handler found the state in memory: enter the host if every
 * exception is masked, else run on the memory copy. */
static bool resident_allowed = true;   /* UE_X87_MEMORY=1 turns the resident path off (testing) */

void x87_not_resident(struct cpu *c, const struct insn *i)
{
    if ((c->fpu.cw & SW_EXC) == SW_EXC && resident_allowed) {
        x87_enter_host(c);
        resident_fn(i)(c, i);
        return;
    }
    memory_fn(i)(c, i);
}

bool x87_host_ready(struct cpu *c)
{
    if (x87_owner == c) return true;
    if ((c->fpu.cw & SW_EXC) != SW_EXC || !resident_allowed) return false;
    x87_enter_host(c);
    return true;
}
#endif

static void op_x87(struct cpu *c, const struct insn *i) { resident_fn(i)(c, i); }

/* The handler of a decoded D8..DF instruction, for the decoder to bind
 * directly (saves op_x87's second dispatch). */
op_fn x87_handler(const struct insn *i)
{
    if ((i->op & 0xf8) != 0xd8) return NULL;
    return resident_fn(i);
}

void ops_register_x87(void)
{
    x87_probe_host();
#ifndef UE_CHECKED
    const char *mem = getenv("UE_X87_MEMORY");
    resident_allowed = !(mem && *mem == '1');
#endif
    for (int o = 0; o < 8; o++) {
        for (int r = 0; r < 8; r++) x87_mem_ops[o][r] = x87_illegal;
        for (int m = 0; m < 64; m++) x87_reg_ops[o][m] = x87_illegal;
    }
    x87_register_arith();
    x87_register_ldst();
    x87_register_ctl();
#ifndef UE_CHECKED
    x87_register_resident();
#endif
    /* The memory forms' facts, by escape byte and ModRM.reg (SDM vol.2
     * FPU opcode maps): loads read, stores write, the sizes of their types. */
#define X87_LD(sz) D_SZ(sz)
#define X87_ST(sz) (D_MSTORE | D_SZ(sz))
    static const uint32_t mem_facts[8][8] = {
        {X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4)},
        {X87_LD(SZ_4), 0, X87_ST(SZ_4), X87_ST(SZ_4), X87_LD(SZ_ENV), X87_LD(SZ_2), X87_ST(SZ_ENV), X87_ST(SZ_2)},
        {X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4), X87_LD(SZ_4)},
        {X87_LD(SZ_4), X87_ST(SZ_4), X87_ST(SZ_4), X87_ST(SZ_4), 0, X87_LD(SZ_10), 0, X87_ST(SZ_10)},
        {X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8), X87_LD(SZ_8)},
        {X87_LD(SZ_8), X87_ST(SZ_8), X87_ST(SZ_8), X87_ST(SZ_8), X87_LD(SZ_STATE), 0, X87_ST(SZ_STATE), X87_ST(SZ_2)},
        {X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2), X87_LD(SZ_2)},
        {X87_LD(SZ_2), X87_ST(SZ_2), X87_ST(SZ_2), X87_ST(SZ_2), X87_LD(SZ_10), X87_LD(SZ_8), X87_ST(SZ_10), X87_ST(SZ_8)},
    };
#undef X87_LD
#undef X87_ST
    for (int o = 0; o < 8; o++)
        for (int r = 0; r < 8; r++) op_set_group(optab, 0xd8 + o, r, op_x87, NULL, mem_facts[o][r]);
    x87_register_sse_state();
}
