/* Data movement: MOV, MOVZX/MOVSX, LEA, XCHG, PUSH/POP (incl. PUSHA/POPA,
 * PUSHF/POPF), ENTER/LEAVE, CMOVcc, SETcc, CBW/CWDE/CWD/CDQ, LAHF/SAHF, XLAT,
 * the flag instructions CLC/STC/CMC/CLD/STD, and the NOP forms. */
#include <signal.h>

#include "cpu.h"
#include "vendor.h"
#include "cond.h"
#include "sizes.h"

/* ---- MOV ---- */
HANDLER(op_mov_rm8_r8) { store_rm8(c, i, get_r8(c, i->reg)); }
HANDLER(op_mov_rm16_r16) { store_rm16(c, i, get_r16(c, i->reg)); }
HANDLER(op_mov_rm32_r32) { store_rm32(c, i, c->r[i->reg]); }
HANDLER(op_mov_r8_rm8) { set_r8(c, i->reg, load_rm8(c, i)); }
HANDLER(op_mov_r16_rm16) { set_r16(c, i->reg, load_rm16(c, i)); }
HANDLER(op_mov_r32_rm32) { c->r[i->reg] = load_rm32(c, i); }
HANDLER(op_mov_rm8_imm) { store_rm8(c, i, i->imm); }
HANDLER(op_mov_rm16_imm) { store_rm16(c, i, i->imm); }
HANDLER(op_mov_rm32_imm) { store_rm32(c, i, i->imm); }
HANDLER(op_mov_r8_imm) { set_r8(c, i->op & 7, i->imm); }
HANDLER(op_mov_r16_imm) { set_r16(c, i->op & 7, i->imm); }
HANDLER(op_mov_r32_imm) { c->r[i->op & 7] = i->imm; }
/* A0-A3: accumulator <-> absolute address (decoded as a memory operand) */
HANDLER(op_mov_al_moffs) { set_r8(c, EAX, ld8(ea(c, i))); }
HANDLER(op_mov_ax_moffs) { set_r16(c, EAX, ld16(ea(c, i))); }
HANDLER(op_mov_eax_moffs) { c->r[EAX] = ld32(ea(c, i)); }
HANDLER(op_mov_moffs_al) { st8(ea(c, i), c->r[EAX]); }
HANDLER(op_mov_moffs_ax) { st16(ea(c, i), c->r[EAX]); }
HANDLER(op_mov_moffs_eax) { st32(ea(c, i), c->r[EAX]); }

HANDLER(op_movzx_r32_rm8) { c->r[i->reg] = load_rm8(c, i); }
HANDLER(op_movzx_r16_rm8) { set_r16(c, i->reg, load_rm8(c, i)); }
HANDLER(op_movzx_r32_rm16) { c->r[i->reg] = load_rm16(c, i); }
HANDLER(op_movsx_r32_rm8) { c->r[i->reg] = (int8_t)load_rm8(c, i); }
HANDLER(op_movsx_r16_rm8) { set_r16(c, i->reg, (int8_t)load_rm8(c, i)); }
HANDLER(op_movsx_r32_rm16) { c->r[i->reg] = (int16_t)load_rm16(c, i); }

/* decode-time specialisations (see struct opdesc) */
HANDLER(op_mov_r32_r32) { c->r[i->reg] = c->r[i->rm]; }
HANDLER(op_mov_rm32_r32_reg) { c->r[i->rm] = c->r[i->reg]; }
HANDLER(op_mov_r32_m32_simple) { c->r[i->reg] = ld32(ea_simple(c, i)); }
HANDLER(op_mov_m32_r32_simple) { st32(ea_simple(c, i), c->r[i->reg]); }
HANDLER(op_mov_m32_imm_simple) { st32(ea_simple(c, i), i->imm); }
HANDLER(op_movzx_r32_m8_simple) { c->r[i->reg] = ld8(ea_simple(c, i)); }
HANDLER(op_lea_r32_simple) { c->r[i->reg] = c->r[i->base] + i->disp; }
HANDLER(op_push_m32_simple) { push32(c, ld32(ea_simple(c, i))); }

/* LEA computes the offset only: no segment base. */
static inline uint32_t lea_offset(const struct cpu *c, const struct insn *i)
{
    uint32_t a = c->r[i->base] + (c->r[i->index] << i->scale) + i->disp;
    return i->addr16 ? a & 0xffff : a;
}
HANDLER(op_lea_r32) { c->r[i->reg] = lea_offset(c, i); }
HANDLER(op_lea_r16) { set_r16(c, i->reg, lea_offset(c, i)); }

/* ---- XCHG (with memory: always atomic, LOCK or not) ---- */
HANDLER(op_xchg_rm8_r8)
{
    uint8_t v = get_r8(c, i->reg);
    if (i->mod3) { set_r8(c, i->reg, get_r8(c, i->rm)); set_r8(c, i->rm, v); }
    else set_r8(c, i->reg, xchg8(ea(c, i), v));
}
HANDLER(op_xchg_rm16_r16)
{
    uint16_t v = get_r16(c, i->reg);
    if (i->mod3) { set_r16(c, i->reg, get_r16(c, i->rm)); set_r16(c, i->rm, v); }
    else set_r16(c, i->reg, xchg16(ea(c, i), v));
}
HANDLER(op_xchg_rm32_r32)
{
    uint32_t v = c->r[i->reg];
    if (i->mod3) { c->r[i->reg] = c->r[i->rm]; c->r[i->rm] = v; }
    else c->r[i->reg] = xchg32(ea(c, i), v);
}
HANDLER(op_xchg_eax_r32)
{
    uint32_t v = c->r[EAX];
    c->r[EAX] = c->r[i->op & 7];
    c->r[i->op & 7] = v;
}
HANDLER(op_xchg_ax_r16)
{
    uint16_t v = get_r16(c, EAX);
    set_r16(c, EAX, get_r16(c, i->op & 7));
    set_r16(c, i->op & 7, v);
}
HANDLER(op_nop) {}

/* ---- stack ---- */
HANDLER(op_push_r32) { push32(c, c->r[i->op & 7]); }
HANDLER(op_push_r16) { push16(c, c->r[i->op & 7]); }
HANDLER(op_pop_r32) { uint32_t v = pop32(c); c->r[i->op & 7] = v; }
HANDLER(op_pop_r16) { uint16_t v = pop16(c); set_r16(c, i->op & 7, v); }
HANDLER(op_push_imm32) { push32(c, i->imm); }
HANDLER(op_push_imm16) { push16(c, i->imm); }
HANDLER(op_push_rm32) { push32(c, load_rm32(c, i)); }
HANDLER(op_push_rm16) { push16(c, load_rm16(c, i)); }
/* POP r/m: a memory destination is addressed with ESP already incremented,
 * but ESP changes only after the store (a faulting store leaves it as it
 * was): the address is computed without touching c->r[ESP]. */
static inline guest_addr ea_after_pop(const struct cpu *c, const struct insn *i, uint32_t esp)
{
    uint32_t base = i->base == ESP ? esp : c->r[i->base];   /* SIB never indexes by ESP */
    uint32_t a = base + (c->r[i->index] << i->scale) + i->disp;
    if (unlikely(i->addr16)) a &= 0xffff;
    return a + c->segbase[i->seg];
}
HANDLER(op_pop_rm32)
{
    uint32_t old = c->r[ESP], v = ld32(old + c->segbase[SEG_SS]);
    if (!i->mod3) st32(ea_after_pop(c, i, old + 4), v);
    c->r[ESP] = old + 4;
    if (i->mod3) c->r[i->rm] = v;
}
HANDLER(op_pop_rm16)
{
    uint32_t old = c->r[ESP];
    uint16_t v = ld16(old + c->segbase[SEG_SS]);
    if (!i->mod3) st16(ea_after_pop(c, i, old + 2), v);
    c->r[ESP] = old + 2;
    if (i->mod3) set_r16(c, i->rm, v);
}

HANDLER(op_pusha32)
{
    uint32_t sp = c->r[ESP];
    for (int r = 0; r < 8; r++) st32(sp - 4 * (r + 1) + c->segbase[SEG_SS], c->r[r]);
    c->r[ESP] = sp - 32;
}
HANDLER(op_pusha16)
{
    uint32_t sp = c->r[ESP];
    for (int r = 0; r < 8; r++) st16(sp - 2 * (r + 1) + c->segbase[SEG_SS], c->r[r]);
    c->r[ESP] = sp - 16;
}
/* POPA reads upwards from ESP (a fault reports the first unreadable
 * slot); where the host keeps registers loaded before a fault, so does ue. */
HANDLER(op_popa32)
{
    uint32_t sp = c->r[ESP], v[8];
    for (int r = 8; r-- > 0;) {
        v[r] = ld32(sp + 4 * (7 - r) + c->segbase[SEG_SS]);
        if (host_facts.popa_partial && r != ESP) c->r[r] = v[r];
        __asm__ volatile("" ::: "memory");   /* one slot at a time, in order */
    }
    for (int r = 0; r < 8; r++) if (r != ESP) c->r[r] = v[r];
    c->r[ESP] = sp + 32;
}
HANDLER(op_popa16)
{
    uint32_t sp = c->r[ESP];
    uint16_t v[8];
    for (int r = 8; r-- > 0;) {
        v[r] = ld16(sp + 2 * (7 - r) + c->segbase[SEG_SS]);
        if (host_facts.popa_partial && r != ESP) set_r16(c, r, v[r]);
        __asm__ volatile("" ::: "memory");
    }
    for (int r = 0; r < 8; r++) if (r != ESP) set_r16(c, r, v[r]);
    c->r[ESP] = sp + 16;
}

/* EFLAGS as user code sees it: IF set, VM and RF never visible. */
static inline uint32_t pushed_flags(struct cpu *c) { return (flags_get(c) | F_IF) & ~0x30000u; }
/* POPF at CPL 3 with IOPL 0 may change these (SDM vol.2 "POPF"); IF and IOPL stay. */
#define POPF_MASK (F_ARITH | F_TF | F_DF | 0x4000u /* NT */ | F_AC | F_ID)
HANDLER(op_pushf32) { push32(c, pushed_flags(c)); }
HANDLER(op_pushf16) { push16(c, pushed_flags(c)); }
/* Setting AC (alignment checks) or TF (single-step) ends the block: the run
 * loop then runs one instruction at a time (already so when smc_single). */
HANDLER(op_popf32)
{
    uint32_t before = c->eflags;
    flags_set(c, pop32(c), POPF_MASK);
    if (unlikely(c->eflags & ~before & (F_AC | F_TF)) && !c->loop.smc_single) cpu_leave_at(c, next_eip(i));
}
HANDLER(op_popf16)
{
    uint32_t before = c->eflags;
    flags_set(c, pop16(c), POPF_MASK & 0xffff);
    if (unlikely(c->eflags & ~before & F_TF) && !c->loop.smc_single) cpu_leave_at(c, next_eip(i));
}

/* ENTER with a nesting level: the frame pointer and the display are
 * written, then a write at the final stack pointer is checked (SDM: #PF
 * "if a write using the final value of the stack pointer would cause a
 * page fault"), so a fault leaves ESP and EBP as they were. */
static inline void enter_probe(struct cpu *c, guest_addr a, int w)
{
    /* with EFLAGS.AC the check is alignment-checked too (#AC), at the host's point of it */
    if (unlikely(c->eflags & F_AC) && (a & (w - 1))) cpu_raise_trap(c, SIGBUS, BUS_ADRALN, 0, 17);
    st_probe(a, 1);
}
/* A display read with EFLAGS.AC: #AC when misaligned, after the stores before it */
static inline uint32_t enter_display(struct cpu *c, uint32_t bp, int w)
{
    guest_addr a = bp + c->segbase[SEG_SS];
    if (unlikely(c->eflags & F_AC) && (a & (w - 1))) cpu_raise_trap(c, SIGBUS, BUS_ADRALN, 0, 17);
    return w == 4 ? ld32(a) : ld16(a);
}
static inline void enter_check_first(struct cpu *c, uint32_t size, uint32_t level, int w)
{
    if (!host_facts.enter_writes_before_check)   /* the host checks the final ESP before any store */
        enter_probe(c, c->r[ESP] - w * (1 + level) - size + c->segbase[SEG_SS], w);
}
HANDLER(op_enter32)
{
    uint32_t size = i->imm & 0xffff, level = i->imm2 & 31;
    enter_check_first(c, size, level, 4);
    uint32_t ebp = c->r[EBP], sp = c->r[ESP] - 4;
    st32(sp + c->segbase[SEG_SS], ebp);
    uint32_t frame = sp;
    for (uint32_t l = 1; l < level; l++) { sp -= 4; ebp -= 4; st32(sp + c->segbase[SEG_SS], enter_display(c, ebp, 4)); }
    if (level) { sp -= 4; st32(sp + c->segbase[SEG_SS], frame); }
    enter_probe(c, sp - size + c->segbase[SEG_SS], 4);
    c->r[EBP] = frame;
    c->r[ESP] = sp - size;
}
HANDLER(op_enter16)
{
    uint32_t size = i->imm & 0xffff, level = i->imm2 & 31;
    enter_check_first(c, size, level, 2);
    uint32_t bp = c->r[EBP], sp = c->r[ESP] - 2;
    st16(sp + c->segbase[SEG_SS], bp);
    uint32_t frame = sp;
    for (uint32_t l = 1; l < level; l++) { sp -= 2; bp -= 2; st16(sp + c->segbase[SEG_SS], (uint16_t)enter_display(c, bp, 2)); }
    if (level) { sp -= 2; st16(sp + c->segbase[SEG_SS], frame); }
    enter_probe(c, sp - size + c->segbase[SEG_SS], 2);
    set_r16(c, EBP, frame);
    c->r[ESP] = sp - size;
}
HANDLER(op_leave32)
{
    uint32_t v = ld32(c->r[EBP] + c->segbase[SEG_SS]);
    c->r[ESP] = c->r[EBP] + 4;
    c->r[EBP] = v;
}
HANDLER(op_leave16)
{
    uint16_t v = ld16(c->r[EBP] + c->segbase[SEG_SS]);
    c->r[ESP] = c->r[EBP] + 2;
    set_r16(c, EBP, v);
}

/* ---- conditional moves and sets: one handler per condition code, so the
 * test folds at compile time (cond.h) ---- */
#define DEFINE_CC_FORMS(cc)                                                                  \
    HANDLER(op_cmov_r32_##cc)                                                               \
    {                                                                                       \
        uint32_t v = load_rm32(c, i);  /* the source is read even when false */            \
        if (cond_eval(c, cc)) c->r[i->reg] = v;                                             \
    }                                                                                       \
    HANDLER(op_cmov_r16_##cc)                                                               \
    {                                                                                       \
        uint16_t v = load_rm16(c, i);                                                       \
        if (cond_eval(c, cc)) set_r16(c, i->reg, v);                                        \
    }                                                                                       \
    HANDLER(op_setcc_##cc) { store_rm8(c, i, cond_eval(c, cc)); }
#define CC_LIST(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
CC_LIST(DEFINE_CC_FORMS)
#define CC_ENTRY(cc) {op_cmov_r32_##cc, op_cmov_r16_##cc, op_setcc_##cc},
static const op_fn cc_forms[16][3] = { CC_LIST(CC_ENTRY) };

/* ---- conversions ---- */
HANDLER(op_cwde) { c->r[EAX] = (int16_t)c->r[EAX]; }
HANDLER(op_cbw) { set_r16(c, EAX, (int8_t)c->r[EAX]); }
HANDLER(op_cdq) { c->r[EDX] = (int32_t)c->r[EAX] >> 31; }
HANDLER(op_cwd) { set_r16(c, EDX, (int16_t)c->r[EAX] >> 15); }
HANDLER(op_xlat)
{
    uint32_t a = c->r[EBX] + (c->r[EAX] & 0xff);
    if (i->addr16) a &= 0xffff;
    set_r8(c, EAX, ld8(a + c->segbase[i->seg]));
}

/* ---- flag instructions ---- */
HANDLER(op_lahf) { set_r8(c, 4 /* AH */, (flags_get(c) & 0xd5) | 2); }
HANDLER(op_sahf)
{
    flags_set(c, get_r8(c, 4), F_CF | F_PF | F_AF | F_ZF | F_SF);
}
HANDLER(op_clc) { flags_set(c, 0, F_CF); }
HANDLER(op_stc) { flags_set(c, F_CF, F_CF); }
HANDLER(op_cmc) { flags_set(c, flag_cf(c) ? 0 : F_CF, F_CF); }
HANDLER(op_cld) { c->eflags &= ~F_DF; }
HANDLER(op_std) { c->eflags |= F_DF; }

void ops_register_data(void)
{
    const uint32_t nf = D_NOFAULT, b = D_SZ(SZ_1), w = D_SZ(SZ_2), v = D_SZ(SZ_V);
    op_set(optab, 0x88, op_mov_rm8_r8, NULL, D_MODRM | D_FL_NONE | D_MSTORE | nf | b);
    op_set(optab, 0x89, op_mov_rm32_r32, op_mov_rm16_r16, D_MODRM | D_FL_NONE | D_MSTORE | nf | v);
    op_set(optab, 0x8A, op_mov_r8_rm8, NULL, D_MODRM | D_FL_NONE | nf | b);
    op_set(optab, 0x8B, op_mov_r32_rm32, op_mov_r16_rm16, D_MODRM | D_FL_NONE | nf | v);
    op_set_group(optab, 0xC6, 0, op_mov_rm8_imm, NULL, D_IMM8 | D_FL_NONE | D_MSTORE | nf | b);
    op_set_group(optab, 0xC7, 0, op_mov_rm32_imm, op_mov_rm16_imm, D_IMMZ | D_FL_NONE | D_MSTORE | nf | v);
    for (int r = 0; r < 8; r++) {
        op_set(optab, 0xB0 + r, op_mov_r8_imm, NULL, D_IMM8 | D_FL_NONE | nf);
        op_set(optab, 0xB8 + r, op_mov_r32_imm, op_mov_r16_imm, D_IMMZ | D_FL_NONE | nf);
        op_set(optab, 0x50 + r, op_push_r32, op_push_r16, D_FL_NONE);
        op_set(optab, 0x58 + r, op_pop_r32, op_pop_r16, D_FL_NONE);
        if (r) op_set(optab, 0x90 + r, op_xchg_eax_r32, op_xchg_ax_r16, D_FL_NONE | nf);
    }
    op_set(optab, 0x90, op_nop, NULL, D_FL_NONE | nf);   /* also PAUSE (F3 90) */
    op_set(optab, 0xA0, op_mov_al_moffs, NULL, D_MOFFS | D_FL_NONE | b);
    op_set(optab, 0xA1, op_mov_eax_moffs, op_mov_ax_moffs, D_MOFFS | D_FL_NONE | v);
    op_set(optab, 0xA2, op_mov_moffs_al, NULL, D_MOFFS | D_FL_NONE | D_MSTORE | b);
    op_set(optab, 0xA3, op_mov_moffs_eax, op_mov_moffs_ax, D_MOFFS | D_FL_NONE | D_MSTORE | v);
    op_set(optab0f, 0xB6, op_movzx_r32_rm8, op_movzx_r16_rm8, D_MODRM | D_FL_NONE | nf | b);
    op_set(optab0f, 0xB7, op_movzx_r32_rm16, op_movzx_r32_rm16, D_MODRM | D_FL_NONE | nf | w);
    op_set(optab0f, 0xBE, op_movsx_r32_rm8, op_movsx_r16_rm8, D_MODRM | D_FL_NONE | nf | b);
    op_set(optab0f, 0xBF, op_movsx_r32_rm16, op_movsx_r32_rm16, D_MODRM | D_FL_NONE | nf | w);
    op_set(optab, 0x8D, op_lea_r32, op_lea_r16, D_MODRM | D_MEMONLY | D_FL_NONE | D_MNONE | nf);
    op_set(optab, 0x86, op_xchg_rm8_r8, NULL, D_MODRM | D_FL_NONE | D_LOCK | nf | b);
    op_set(optab, 0x87, op_xchg_rm32_r32, op_xchg_rm16_r16, D_MODRM | D_FL_NONE | D_LOCK | nf | v);

    op_set(optab, 0x68, op_push_imm32, op_push_imm16, D_IMMZ | D_FL_NONE);
    op_set(optab, 0x6A, op_push_imm32, op_push_imm16, D_IMM8S | D_FL_NONE);
    op_set_group(optab, 0xFF, 6, op_push_rm32, op_push_rm16, D_FL_NONE | v);
    op_set_group(optab, 0x8F, 0, op_pop_rm32, op_pop_rm16, D_FL_NONE | D_MSTORE | v);
    op_set(optab, 0x60, op_pusha32, op_pusha16, D_FL_NONE);
    op_set(optab, 0x61, op_popa32, op_popa16, D_FL_NONE);
    op_set(optab, 0x9C, op_pushf32, op_pushf16, 0);
    op_set(optab, 0x9D, op_popf32, op_popf16, D_FL_WRITE);
    op_set(optab, 0xC8, op_enter32, op_enter16, D_ENTER | D_FL_NONE);
    op_set(optab, 0xC9, op_leave32, op_leave16, D_FL_NONE);

    for (int cc = 0; cc < 16; cc++) {
        op_set(optab0f, 0x40 + cc, cc_forms[cc][0], cc_forms[cc][1], D_MODRM | nf | v);
        op_set(optab0f, 0x90 + cc, cc_forms[cc][2], NULL, D_MODRM | D_MSTORE | nf | b);
    }
    op_set(optab, 0x98, op_cwde, op_cbw, D_FL_NONE | nf);
    op_set(optab, 0x99, op_cdq, op_cwd, D_FL_NONE | nf);
    op_set(optab, 0xD7, op_xlat, NULL, D_FL_NONE);
    op_set(optab, 0x9F, op_lahf, NULL, nf);
    op_set(optab, 0x9E, op_sahf, NULL, D_FL_PARTIAL | nf);
    op_set(optab, 0xF8, op_clc, NULL, D_FL_PARTIAL | nf);
    op_set(optab, 0xF9, op_stc, NULL, D_FL_PARTIAL | nf);
    op_set(optab, 0xF5, op_cmc, NULL, nf);
    op_set(optab, 0xFC, op_cld, NULL, D_FL_NONE | nf);
    op_set(optab, 0xFD, op_std, NULL, D_FL_NONE | nf);

    op_set_fast(optab, 0x8B, -1, op_mov_r32_r32, op_mov_r32_m32_simple);
    op_set_fast(optab, 0x89, -1, op_mov_rm32_r32_reg, op_mov_m32_r32_simple);
    op_set_fast(optab, 0xC7, 0, NULL, op_mov_m32_imm_simple);
    op_set_fast(optab0f, 0xB6, -1, NULL, op_movzx_r32_m8_simple);
    op_set_fast(optab, 0x8D, -1, NULL, op_lea_r32_simple);
    op_set_fast(optab, 0xFF, 6, NULL, op_push_m32_simple);

    /* hint NOPs (0F 18-1F, incl. PREFETCHh and the multi-byte NOP 0F 1F /0) */
    for (int op = 0x18; op <= 0x1F; op++) op_set(optab0f, op, op_nop, NULL, D_MODRM | D_MNONE);
}
