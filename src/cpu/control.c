/* Control transfer: JMP, Jcc, CALL, RET, LOOP/LOOPcc, JCXZ/JECXZ, INT 0x80.
 * Each of these ends a block and leaves the next EIP in c->eip. Relative
 * targets are resolved by the decoder into i->imm. */
#include <signal.h>

#include "cpu.h"
#include "cond.h"
#include "../os/os.h"

/* The pseudo-instruction closing a block that ends without a branch. */
void op_goto(struct cpu *c, const struct insn *i) { c->eip = i->imm; cpu_chain(c); }

void op_jmp_rel(struct cpu *c, const struct insn *i) { c->eip = i->imm; cpu_chain(c); }
/* one handler per condition: its test folds, and each has its own host branch */
#define DEFINE_JCC(cc) \
    HANDLER_END(op_jcc_##cc) { c->eip = cond_eval(c, cc) ? i->imm : next_eip(i); }
DEFINE_JCC(0) DEFINE_JCC(1) DEFINE_JCC(2) DEFINE_JCC(3) DEFINE_JCC(4) DEFINE_JCC(5) DEFINE_JCC(6) DEFINE_JCC(7)
DEFINE_JCC(8) DEFINE_JCC(9) DEFINE_JCC(10) DEFINE_JCC(11) DEFINE_JCC(12) DEFINE_JCC(13) DEFINE_JCC(14) DEFINE_JCC(15)
static const op_fn jcc_fns[16] = {
    op_jcc_0, op_jcc_1, op_jcc_2, op_jcc_3, op_jcc_4, op_jcc_5, op_jcc_6, op_jcc_7,
    op_jcc_8, op_jcc_9, op_jcc_10, op_jcc_11, op_jcc_12, op_jcc_13, op_jcc_14, op_jcc_15,
};
HANDLER_END(op_jmp_rm32) { c->eip = load_rm32(c, i); }
HANDLER_END(op_jmp_rm16) { c->eip = load_rm16(c, i); }

HANDLER_END(op_call_rel32)
{
    push32(c, next_eip(i));
    c->eip = i->imm;
}
HANDLER_END(op_call_rel16)
{
    push16(c, next_eip(i));
    c->eip = i->imm;
}
HANDLER_END(op_call_rm32)
{
    uint32_t target = load_rm32(c, i);  /* read before ESP moves: call *4(%esp) */
    push32(c, next_eip(i));
    c->eip = target;
}
HANDLER_END(op_call_rm16)
{
    uint32_t target = load_rm16(c, i);
    push16(c, next_eip(i));
    c->eip = target;
}
HANDLER_END(op_ret32) { c->eip = pop32(c); }
HANDLER_END(op_ret16) { c->eip = pop16(c); }
HANDLER_END(op_ret32_imm)
{
    c->eip = pop32(c);
    c->r[ESP] += i->imm & 0xffff;
}
HANDLER_END(op_ret16_imm)
{
    c->eip = pop16(c);
    c->r[ESP] += i->imm & 0xffff;
}

/* LOOP/LOOPE/LOOPNE/JECXZ: the count is CX under an address-size prefix. */
static inline uint32_t count_dec(struct cpu *c, const struct insn *i)
{
    if (i->addr16) { uint16_t n = get_r16(c, ECX) - 1; set_r16(c, ECX, n); return n; }
    return --c->r[ECX];
}
HANDLER_END(op_loop)
{
    c->eip = count_dec(c, i) ? i->imm : next_eip(i);
}
HANDLER_END(op_loope)
{
    uint32_t n = count_dec(c, i);
    c->eip = n && cond_true(c, 4) ? i->imm : next_eip(i);
}
HANDLER_END(op_loopne)
{
    uint32_t n = count_dec(c, i);
    c->eip = n && cond_true(c, 5) ? i->imm : next_eip(i);
}
HANDLER_END(op_jecxz)
{
    uint32_t n = i->addr16 ? get_r16(c, ECX) : c->r[ECX];
    c->eip = n ? next_eip(i) : i->imm;
}

/* INT n: only 0x80 has a gate open to user mode on Linux. INT 3 and INT 4
 * trap (EIP after the instruction, as INT3/INTO); the other vectors are
 * general-protection faults at the instruction (SIGSEGV). */
static void op_int(struct cpu *c, const struct insn *i)
{
    uint8_t vec = i->imm;
    if (vec == 0x80) {
        c->eip = next_eip(i);
        sys_int80(c);
        return;
    }
    if (vec == 3 || vec == 4) {
        c->eip = next_eip(i);
        c->loop.cur = NULL;
        cpu_raise_trap(c, vec == 3 ? SIGTRAP : SIGSEGV, 0x80 /* SI_KERNEL */, 0, vec);   /* #BP, #OF */
    }
    cpu_raise(c, SIGSEGV, 0x80, 0);
}

/* Far transfers: to the flat user code segment, or to a code segment of
 * the LDT (16- or 32-bit, with a base); other selectors fault with their
 * error code (system.c far_cs_load). The stack slots are of the operand
 * size, relative to SS. */
/* The CS slot is read whole, as the CPU does: a slot crossing into an unmapped page faults. */
static inline uint32_t ld_cs_slot(guest_addr a)
{
    uint32_t v = ld32(a);
    __asm__("" : "+r"(v));   /* keeps the compiler from narrowing the load to the selector's 16 bits */
    return v;
}
static void op_retf32(struct cpu *c, const struct insn *i)
{
    uint32_t sp = c->r[ESP], ss = c->segbase[SEG_SS];
    uint32_t eip = ld32(ss + sp), cs = ld_cs_slot(ss + sp + 4);
    far_cs_load(c, (uint16_t)cs, eip, true);
    c->r[ESP] = sp + 8 + (i->op == 0xCA ? i->imm & 0xffff : 0);
}
/* IRET with EFLAGS.NT set asks for a task return, which long mode refuses: #GP(0) (SDM IRET, IA-32e mode). */
static void iret_check_nt(struct cpu *c)
{
    if (c->eflags & F_NT) cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);
}
static void op_iret32(struct cpu *c, const struct insn *i)
{
    iret_check_nt(c);
    uint32_t sp = c->r[ESP], ss = c->segbase[SEG_SS];
    uint32_t eip = ld32(ss + sp), cs = ld_cs_slot(ss + sp + 4), fl = ld32(ss + sp + 8);
    far_cs_load(c, (uint16_t)cs, eip, true);
    c->r[ESP] = sp + 12;
    flags_set(c, fl, F_ARITH | F_TF | F_DF | F_NT | F_AC | F_ID);
}
/* With a 16-bit operand size the slots are 16 bits and EIP is the popped IP
 * zero-extended (SDM RET/IRET, protected mode, same privilege); IRET then
 * writes only FLAGS[15:0]. */
static void op_retf16(struct cpu *c, const struct insn *i)
{
    uint32_t sp = c->r[ESP], ss = c->segbase[SEG_SS];
    uint16_t ip = ld16(ss + sp), cs = ld16(ss + sp + 2);
    far_cs_load(c, cs, ip, true);
    c->r[ESP] = sp + 4 + (i->op == 0xCA ? i->imm & 0xffff : 0);
}
static void op_iret16(struct cpu *c, const struct insn *i)
{
    iret_check_nt(c);
    uint32_t sp = c->r[ESP], ss = c->segbase[SEG_SS];
    uint16_t ip = ld16(ss + sp), cs = ld16(ss + sp + 2), fl = ld16(ss + sp + 4);
    far_cs_load(c, cs, ip, true);
    c->r[ESP] = sp + 6;
    flags_set(c, fl, F_ARITH | F_TF | F_DF | F_NT);
}

/* CALL far: CS and the return offset pushed in operand-size slots (a
 * 32-bit CS slot gets the selector zero-extended) after the target checked;
 * the stack is written before CS changes, so a faulting push leaves all as
 * it was. */
static void call_far(struct cpu *c, const struct insn *i, uint16_t sel, uint32_t off)
{
    uint32_t sp = c->r[ESP], ss = c->segbase[SEG_SS];
    uint16_t old_cs = c->sreg[SEG_CS];
    uint32_t ret = next_eip(i);
    far_cs_check(c, sel, off);
    if (i->opsize16) {
        st16(ss + sp - 2, old_cs);
        st16(ss + sp - 4, (uint16_t)ret);
        c->r[ESP] = sp - 4;
    } else {
        st32(ss + sp - 4, old_cs);
        st32(ss + sp - 8, ret);
        c->r[ESP] = sp - 8;
    }
    far_cs_load(c, sel, off, false);
}
static void op_jmp_far(struct cpu *c, const struct insn *i) { far_cs_load(c, i->imm2, i->imm, false); }
static void op_call_far(struct cpu *c, const struct insn *i) { call_far(c, i, i->imm2, i->imm); }

/* FF /5 JMP m16:32 and FF /3 CALL m16:32 (m16:16): offset, then selector */
static void far_pointer(struct cpu *c, const struct insn *i, uint16_t *sel, uint32_t *off)
{
    guest_addr a = ea(c, i);
    *off = i->opsize16 ? ld16(a) : ld32(a);
    *sel = ld16(a + (i->opsize16 ? 2 : 4));
}
static void op_jmp_far_m(struct cpu *c, const struct insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_pointer(c, i, &sel, &off);
    far_cs_load(c, sel, off, false);
}
static void op_call_far_m(struct cpu *c, const struct insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_pointer(c, i, &sel, &off);
    call_far(c, i, sel, off);
}

void ops_register_control(void)
{
    op_set(optab, 0xEB, op_jmp_rel, NULL, D_REL8 | D_END);
    op_set(optab, 0xE9, op_jmp_rel, NULL, D_RELZ | D_END);
    for (int cc = 0; cc < 16; cc++) {
        op_set(optab, 0x70 + cc, jcc_fns[cc], NULL, D_REL8 | D_END);
        op_set(optab0f, 0x80 + cc, jcc_fns[cc], NULL, D_RELZ | D_END);
    }
    op_set(optab, 0xE8, op_call_rel32, op_call_rel16, D_RELZ | D_END);
    op_set_group(optab, 0xFF, 2, op_call_rm32, op_call_rm16, D_END | D_SZ(SZ_V));
    op_set_group(optab, 0xFF, 4, op_jmp_rm32, op_jmp_rm16, D_END | D_SZ(SZ_V));
    op_set_group(optab, 0xFF, 3, op_call_far_m, NULL, D_END | D_MEMONLY | D_SZ(SZ_FAR));
    op_set_group(optab, 0xFF, 5, op_jmp_far_m, NULL, D_END | D_MEMONLY | D_SZ(SZ_FAR));
    op_set(optab, 0xC3, op_ret32, op_ret16, D_END);
    op_set(optab, 0xC2, op_ret32_imm, op_ret16_imm, D_IMM16 | D_END);
    op_set(optab, 0xE2, op_loop, NULL, D_REL8 | D_END);
    op_set(optab, 0xE1, op_loope, NULL, D_REL8 | D_END);
    op_set(optab, 0xE0, op_loopne, NULL, D_REL8 | D_END);
    op_set(optab, 0xE3, op_jecxz, NULL, D_REL8 | D_END);
    op_set(optab, 0xCD, op_int, NULL, D_IMM8 | D_END);
    op_set(optab, 0xCB, op_retf32, op_retf16, D_END);
    op_set(optab, 0xCA, op_retf32, op_retf16, D_IMM16 | D_END);
    op_set(optab, 0xCF, op_iret32, op_iret16, D_END);
    op_set(optab, 0xEA, op_jmp_far, NULL, D_FAR | D_END);
    op_set(optab, 0x9A, op_call_far, NULL, D_FAR | D_END);
}
