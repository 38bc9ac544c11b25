/* A small x86-64 encoder: the few host instruction forms the translator
 * writes itself (SDM vol.2 chapter 2: REX, ModRM, SIB). Guest instructions
 * that run natively are re-encoded from their decoded fields instead
 * (translate.c). */
#ifndef UE_JIT_EMIT_H
#define UE_JIT_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum { H_RAX, H_RCX, H_RDX, H_RBX, H_RSP, H_RBP, H_RSI, H_RDI,
       H_R8, H_R9, H_R10, H_R11, H_R12, H_R13, H_R14, H_R15, H_NONE = 0xff };

/* The host registers translated code keeps: the guest's eight (EAX..EDI
 * in their own numbers, ESP in r12, which encodes like ESP with a REX bit),
 * the struct cpu in r15, the code cache's base in r13 and its dispatch table
 * in r14; r10 and r11 are scratch. Under memcheck r8 holds the shadow's base
 * and r9 the guest's ECX while a check borrows rcx (translate.c). */
#define H_CPU H_R15
#define H_CODE H_R13
#define H_JTAB H_R14
#define H_T0 H_R10
#define H_T1 H_R11
#define H_SHADOW H_R8
#define H_ECX_SAVE H_R9
static const uint8_t host_of_guest[8] = { H_RAX, H_RCX, H_RDX, H_RBX, H_R12, H_RBP, H_RSI, H_RDI };

struct jbuf {
    uint8_t *p, *end;
    bool full;          /* ran out of room: the result is discarded */
};

static inline void e8(struct jbuf *j, uint32_t v)
{
    if (j->p < j->end) *j->p++ = (uint8_t)v;
    else j->full = true;
}
static inline void e16(struct jbuf *j, uint32_t v) { e8(j, v); e8(j, v >> 8); }
static inline void e32(struct jbuf *j, uint32_t v) { e16(j, v); e16(j, v >> 16); }
static inline void e64(struct jbuf *j, uint64_t v) { e32(j, (uint32_t)v); e32(j, (uint32_t)(v >> 32)); }

/* A host memory operand: base + index << scale + disp (H_NONE: absent). */
struct hmem {
    uint8_t base, index, scale;
    int32_t disp;
};

static inline bool fits8(int32_t v) { return v >= -128 && v <= 127; }

/* REX for a reg field and a memory operand (0 when none is needed, unless w). */
static inline uint8_t rex_mem(bool w, int reg, const struct hmem *m)
{
    uint8_t r = (uint8_t)((w ? 8 : 0) | (reg >= 8 && reg != H_NONE ? 4 : 0)
                          | (m->index != H_NONE && m->index >= 8 ? 2 : 0) | (m->base != H_NONE && m->base >= 8 ? 1 : 0));
    return r ? 0x40 | r : 0;
}
static inline uint8_t rex_rr(bool w, int reg, int rm)
{
    uint8_t r = (uint8_t)((w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0));
    return r ? 0x40 | r : 0;
}

/* ModRM, SIB and displacement for reg field reg and memory operand m. */
static inline void modrm_mem(struct jbuf *j, int reg, const struct hmem *m)
{
    int r = (reg & 7) << 3;
    if (m->base == H_NONE) {   /* SIB without base: disp32 (never RIP-relative) */
        e8(j, r | 4);
        e8(j, m->index == H_NONE ? 0x25 : (m->scale << 6 | (m->index & 7) << 3 | 5));
        e32(j, (uint32_t)m->disp);
        return;
    }
    int mod = m->disp == 0 && (m->base & 7) != 5 ? 0 : fits8(m->disp) ? 1 : 2;
    if (m->index == H_NONE && (m->base & 7) != 4) {
        e8(j, mod << 6 | r | (m->base & 7));
    } else {
        e8(j, mod << 6 | r | 4);
        e8(j, (m->index == H_NONE ? 0 : m->scale << 6) | (m->index == H_NONE ? 4 : m->index & 7) << 3 | (m->base & 7));
    }
    if (mod == 1) e8(j, (uint32_t)m->disp);
    else if (mod == 2) e32(j, (uint32_t)m->disp);
}

/* op reg, [base + disp] with an optional REX.W (one opcode byte). */
static inline void op_rm(struct jbuf *j, bool w, uint8_t op, int reg, int base, int32_t disp)
{
    struct hmem m = { (uint8_t)base, H_NONE, 0, disp };
    uint8_t rex = rex_mem(w, reg, &m);
    if (rex) e8(j, rex);
    e8(j, op);
    modrm_mem(j, reg, &m);
}
/* op reg, rm (register forms) */
static inline void op_rr(struct jbuf *j, bool w, uint8_t op, int reg, int rm)
{
    uint8_t rex = rex_rr(w, reg, rm);
    if (rex) e8(j, rex);
    e8(j, op);
    e8(j, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

static inline void mov_load32(struct jbuf *j, int reg, int base, int32_t disp) { op_rm(j, false, 0x8b, reg, base, disp); }
static inline void mov_store32(struct jbuf *j, int base, int32_t disp, int reg) { op_rm(j, false, 0x89, reg, base, disp); }
static inline void mov_load64(struct jbuf *j, int reg, int base, int32_t disp) { op_rm(j, true, 0x8b, reg, base, disp); }
static inline void mov_store64(struct jbuf *j, int base, int32_t disp, int reg) { op_rm(j, true, 0x89, reg, base, disp); }
static inline void mov_rr64(struct jbuf *j, int dst, int src) { op_rr(j, true, 0x89, src, dst); }
static inline void mov_imm64(struct jbuf *j, int reg, uint64_t v)
{
    e8(j, 0x48 | (reg >= 8 ? 1 : 0));
    e8(j, 0xb8 | (reg & 7));
    e64(j, v);
}
static inline void push_r(struct jbuf *j, int reg) { if (reg >= 8) e8(j, 0x41); e8(j, 0x50 | (reg & 7)); }
static inline void pop_r(struct jbuf *j, int reg) { if (reg >= 8) e8(j, 0x41); e8(j, 0x58 | (reg & 7)); }
static inline void jmp_r(struct jbuf *j, int reg) { if (reg >= 8) e8(j, 0x41); e8(j, 0xff); e8(j, 0xe0 | (reg & 7)); }
static inline void call_r(struct jbuf *j, int reg) { if (reg >= 8) e8(j, 0x41); e8(j, 0xff); e8(j, 0xd0 | (reg & 7)); }
/* lea r32, [base + disp] in 32 bits (flags untouched) */
static inline void lea32(struct jbuf *j, int reg, int base, int32_t disp) { op_rm(j, false, 0x8d, reg, base, disp); }

/* jmp/jcc rel32 to target; returns the rel32 field's address (patchable) */
static inline uint8_t *jmp_rel32(struct jbuf *j, const uint8_t *target)
{
    e8(j, 0xe9);
    uint8_t *f = j->p;
    e32(j, (uint32_t)(target - (j->p + 4)));
    return f;
}
static inline uint8_t *jcc_rel32(struct jbuf *j, int cc, const uint8_t *target)
{
    e8(j, 0x0f);
    e8(j, 0x80 | cc);
    uint8_t *f = j->p;
    e32(j, (uint32_t)(target - (j->p + 4)));
    return f;
}
static inline void patch_rel32(uint8_t *field, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (field + 4));
    memcpy(field, &rel, 4);
}

#endif
