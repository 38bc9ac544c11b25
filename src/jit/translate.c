/* Guest instructions to host code (doc/jit.md).
 *
 * x86 on x86: most integer instructions run as themselves. The guest's
 * registers live in the host's (ESP in r12), so an instruction is re-encoded
 * from its decoded fields with the same opcode, a REX bit where ESP is
 * named, and its memory operand as gs:[32-bit address] (0x65 0x67: the
 * address is computed in 32 bits, wrapping as the guest's, and GS holds the
 * window's base). The host computes the flags, defined and undefined, as
 * the CPU the guest would run on natively: they stay in the host's EFLAGS
 * across the block. FS and GS overrides add the guest segment's base in a
 * scratch register first.
 *
 * Pushes, pops, calls and returns are written out (store first, then ESP,
 * so that a fault leaves the guest state as before the instruction).
 * Everything else runs in the interpreter from translated code (a helper
 * run: the state goes to struct cpu and back), and a few instructions end
 * translated code (segment loads, POPF: they change what translated code
 * takes as fixed: segment bases flat, DF, TF and AC clear). */
#include <stddef.h>

#include "jit_int.h"
#include "../cpu/vendor.h"
#include "../cpu/x87.h"

enum { C_NONE, C_R8, C_RV, C_EXT };     /* what a ModRM field names */
enum { I_NONE, I_8, I_Z, I_16 };        /* the immediate */
struct natop {
    uint8_t ok;         /* 1: copied as itself */
    uint8_t modrm;
    uint8_t reg, rm;    /* C_*: the reg field and the r/m field */
    uint8_t imm;
    uint8_t grp;        /* with a group: the ModRM.reg values that qualify (0: all) */
    uint8_t regonly;    /* only the register form (BT r/m, r reaches beyond the operand) */
    uint8_t host_op;    /* the opcode to write when it differs (0x82 is 0x80 in 64-bit mode) */
};
static struct natop nat1[256], nat0f[256];
static bool nat_ready;

static void nat(struct natop *t, int op, int modrm, int reg, int rm, int imm, int grp)
{
    t[op] = (struct natop){ 1, (uint8_t)modrm, (uint8_t)reg, (uint8_t)rm, (uint8_t)imm, (uint8_t)grp, 0, (uint8_t)op };
}

static void sse_init(void);
static void mmx_init(bool ssse3);

static void nat_init(void)
{
    for (int row = 0; row < 8; row++) {   /* ADD OR ADC SBB AND SUB XOR CMP */
        int o = row * 8;
        nat(nat1, o + 0, 1, C_R8, C_R8, I_NONE, 0);
        nat(nat1, o + 1, 1, C_RV, C_RV, I_NONE, 0);
        nat(nat1, o + 2, 1, C_R8, C_R8, I_NONE, 0);
        nat(nat1, o + 3, 1, C_RV, C_RV, I_NONE, 0);
        nat(nat1, o + 4, 0, C_NONE, C_NONE, I_8, 0);
        nat(nat1, o + 5, 0, C_NONE, C_NONE, I_Z, 0);
    }
    nat(nat1, 0x69, 1, C_RV, C_RV, I_Z, 0);
    nat(nat1, 0x6b, 1, C_RV, C_RV, I_8, 0);
    nat(nat1, 0x80, 1, C_EXT, C_R8, I_8, 0);
    nat(nat1, 0x81, 1, C_EXT, C_RV, I_Z, 0);
    nat(nat1, 0x82, 1, C_EXT, C_R8, I_8, 0);
    nat1[0x82].host_op = 0x80;
    nat(nat1, 0x83, 1, C_EXT, C_RV, I_8, 0);
    for (int op = 0x84; op <= 0x8b; op++) nat(nat1, op, 1, op & 1 ? C_RV : C_R8, op & 1 ? C_RV : C_R8, I_NONE, 0);
    nat(nat1, 0x8d, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat1, 0x98, 0, C_NONE, C_NONE, I_NONE, 0);
    nat(nat1, 0x99, 0, C_NONE, C_NONE, I_NONE, 0);
    nat(nat1, 0xa8, 0, C_NONE, C_NONE, I_8, 0);
    nat(nat1, 0xa9, 0, C_NONE, C_NONE, I_Z, 0);
    nat(nat1, 0xc0, 1, C_EXT, C_R8, I_8, 0);
    nat(nat1, 0xc1, 1, C_EXT, C_RV, I_8, 0);
    nat(nat1, 0xc6, 1, C_EXT, C_R8, I_8, 0x01);
    nat(nat1, 0xc7, 1, C_EXT, C_RV, I_Z, 0x01);
    nat(nat1, 0xd0, 1, C_EXT, C_R8, I_NONE, 0);
    nat(nat1, 0xd1, 1, C_EXT, C_RV, I_NONE, 0);
    nat(nat1, 0xd2, 1, C_EXT, C_R8, I_NONE, 0);
    nat(nat1, 0xd3, 1, C_EXT, C_RV, I_NONE, 0);
    nat(nat1, 0xf6, 1, C_EXT, C_R8, I_NONE, 0);    /* TEST (/0 /1) takes an imm8: see imm_of */
    nat(nat1, 0xf7, 1, C_EXT, C_RV, I_NONE, 0);
    nat(nat1, 0xfe, 1, C_EXT, C_R8, I_NONE, 0x03);
    nat(nat1, 0xff, 1, C_EXT, C_RV, I_NONE, 0x03);
    for (int op = 0x40; op <= 0x4f; op++) nat(nat0f, op, 1, C_RV, C_RV, I_NONE, 0);   /* CMOVcc */
    for (int op = 0x90; op <= 0x9f; op++) nat(nat0f, op, 1, C_EXT, C_R8, I_NONE, 0);  /* SETcc */
    for (int op = 0xa3; op <= 0xbb; op += 8) { nat(nat0f, op, 1, C_RV, C_RV, I_NONE, 0); nat0f[op].regonly = 1; }
    nat(nat0f, 0xa4, 1, C_RV, C_RV, I_8, 0);
    nat(nat0f, 0xa5, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xac, 1, C_RV, C_RV, I_8, 0);
    nat(nat0f, 0xad, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xaf, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xb0, 1, C_R8, C_R8, I_NONE, 0);
    nat(nat0f, 0xb1, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xb6, 1, C_RV, C_R8, I_NONE, 0);
    nat(nat0f, 0xb7, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xbe, 1, C_RV, C_R8, I_NONE, 0);
    nat(nat0f, 0xbf, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xba, 1, C_EXT, C_RV, I_8, 0xf0);
    nat(nat0f, 0xbc, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xbd, 1, C_RV, C_RV, I_NONE, 0);
    nat(nat0f, 0xc0, 1, C_R8, C_R8, I_NONE, 0);
    nat(nat0f, 0xc1, 1, C_RV, C_RV, I_NONE, 0);
    sse_init();
    nat_ready = true;
}

/* Is i's handler the one its opcode registered (not a #UD, a store through
 * CS, or another form the decoder picked)? */
static bool plain_handler(const struct insn *i)
{
    const struct opdesc *d = &cpu_variant->tab[i->map][i->op];
    if (d->flags & D_SSE) return false;
    if (d->flags & D_GROUP) d = &d->sub[i->reg];
    return i->fn == d->fn[i->opsize16] || (i->fn && (i->fn == d->fast_reg || i->fn == d->fast_mem));
}

static struct hmem guest_mem(const struct insn *i)
{
    struct hmem m = { i->base == RZERO ? H_NONE : host_of_guest[i->base],
                      i->index == RZERO ? H_NONE : host_of_guest[i->index], i->scale, (int32_t)i->disp };
    if (m.index == H_NONE) m.scale = 0;
    return m;
}

/* ---- memcheck: the shadow, checked before each access ----
 * Under memcheck (jit_checked) translated code runs the checked CPU's
 * blocks. Before an instruction touches guest memory itself, the shadow
 * bytes of what it touches must all be zero: addressable (part 1 knows no
 * other state). If one is not, the instruction runs in the checked
 * interpreter instead (a slow path per instruction, written after the
 * block), which reports it as without translation (partial loads, the read
 * and the write of a read-modify-write) and then performs it. The test
 * leaves the flags alone, as the guest's live in the host's: the shadow is
 * loaded into rcx (the guest's ECX waits in r9) for JRCXZ. */
#define CHK_SITES 512
struct chk_site {
    uint32_t k;          /* the instruction */
    uint8_t *site;       /* the rel32 of its jump to the slow path */
};
static __thread struct {
    uint32_t k;          /* the instruction being written */
    bool record;         /* the real pass: remember each jump to a slow path */
    bool refuse;         /* an access no check describes: the instruction is not translated */
    uint32_t nsite;
    struct chk_site site[CHK_SITES];
} chk;   /* each thread translates into its own cache */

/* the n bytes at guest address r11d; each part: load the shadow into rcx,
 * on when zero, else restore rcx and jump to the slow path */
static void shadow_check(struct jbuf *j, uint32_t n)
{
    if (!jit_checked) return;
    if (n == 0 || n > 32) {
        chk.refuse = true;
        return;
    }
    uint32_t w = n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
    mov_rr64(j, H_ECX_SAVE, H_RCX);
    for (uint32_t off = 0; off < n; off += w) {
        if (off + w > n) off = n - w;   /* the last part overlaps the one before */
        struct hmem m = { H_SHADOW, H_T1, 0, (int32_t)off };
        uint8_t rex = rex_mem(w == 8, H_RCX, &m);
        e8(j, rex);
        if (w < 4) { e8(j, 0x0f); e8(j, w == 1 ? 0xb6 : 0xb7); }   /* movzx ecx, byte/word */
        else e8(j, 0x8b);                                           /* mov ecx/rcx */
        modrm_mem(j, H_RCX, &m);
        e8(j, 0xe3); e8(j, 8);                                      /* jrcxz over the next two */
        mov_rr64(j, H_RCX, H_ECX_SAVE);
        uint8_t *site = jmp_rel32(j, j->p);
        if (chk.record) {
            if (chk.nsite == CHK_SITES) chk.refuse = true;
            else chk.site[chk.nsite++] = (struct chk_site){ chk.k, site };
        }
    }
    mov_rr64(j, H_RCX, H_ECX_SAVE);
}

/* The memory operand as the host reaches it: with an FS or GS override,
 * or a shadow to check, r11 = the guest's linear address (base of the
 * segment added, 32 bits). */
static struct hmem mem_operand(struct jbuf *j, const struct insn *i)
{
    struct hmem m = guest_mem(i);
    bool seg = i->seg == SEG_FS || i->seg == SEG_GS;
    if (!seg && !jit_checked) return m;
    if (m.base == H_NONE && m.index == H_NONE) {
        e8(j, 0x41); e8(j, 0xb8 | (H_T1 & 7)); e32(j, (uint32_t)m.disp);   /* mov r11d, imm32 */
    } else {
        e8(j, 0x67);
        uint8_t rex = rex_mem(false, H_T1, &m);
        e8(j, rex ? rex : 0x40);
        e8(j, 0x8d);
        modrm_mem(j, H_T1, &m);                                           /* lea r11d, [ea] */
    }
    if (seg) {
        mov_load32(j, H_T0, H_CPU, (int32_t)(offsetof(struct cpu, segbase) + 4 * i->seg));
        struct hmem sum = { H_T1, H_T0, 0, 0 };
        e8(j, 0x67);
        e8(j, rex_mem(false, H_T1, &sum));
        e8(j, 0x8d);
        modrm_mem(j, H_T1, &sum);                                         /* lea r11d, [r11d + r10d] */
    }
    shadow_check(j, sz_bytes(i->mem >> 2, i->opsize16));
    return (struct hmem){ H_T1, H_NONE, 0, 0 };
}

/* One instruction as the host runs it: [LOCK] [GS and addr32 for a memory
 * operand; addr32 only for LEA] [66] [a mandatory prefix] [REX] [0F [38|3A]]
 * opcode, then ModRM for reg field hreg and r/m register hrm, or memory
 * operand m (NULL: the register form). */
static void emit_op(struct jbuf *j, bool lock, bool opsize16, uint8_t mandatory, int map, uint8_t op, int hreg,
                    int hrm, const struct hmem *m, bool lea)
{
    if (lock) e8(j, 0xf0);
    if (m) {
        if (!lea) e8(j, 0x65);
        e8(j, 0x67);
    }
    if (opsize16) e8(j, 0x66);
    if (mandatory) e8(j, mandatory);
    uint8_t rex = m ? rex_mem(false, hreg, m) : rex_rr(false, hreg, hrm);
    if (rex) e8(j, rex);
    if (map != MAP_1) {
        e8(j, 0x0f);
        if (map != MAP_0F) e8(j, map == MAP_0F38 ? 0x38 : 0x3a);
    }
    e8(j, op);
    if (m) modrm_mem(j, hreg, m);
    else e8(j, 0xc0 | (hreg & 7) << 3 | (hrm & 7));
}

static int imm_of(const struct insn *i, const struct natop *d)
{
    if ((i->op == 0xf6 || i->op == 0xf7) && i->map == MAP_1 && i->reg < 2) return i->op == 0xf6 ? I_8 : I_Z;
    return d->imm;
}

static void emit_imm(struct jbuf *j, const struct insn *i, int kind)
{
    if (kind == I_8) e8(j, i->imm);
    else if (kind == I_16 || (kind == I_Z && i->opsize16)) e16(j, i->imm);
    else if (kind == I_Z) e32(j, i->imm);
}

/* A guest instruction from the tables above, re-encoded. False (nothing
 * written) when it cannot run as itself. */
static bool emit_copy(struct jbuf *j, const struct insn *i)
{
    const struct natop *d = i->map == MAP_1 ? &nat1[i->op] : i->map == MAP_0F ? &nat0f[i->op] : NULL;
    /* F3 0F BC/BD: TZCNT/LZCNT where the host has them, else BSF/BSR: the
     * host decides as the guest's CPU would (bits_ext.c follows the host) */
    bool count = i->map == MAP_0F && (i->op == 0xbc || i->op == 0xbd) && i->rep == REP_F3;
    if (!d || !d->ok || (i->rep && !count) || i->addr16) return false;
    if (d->grp && !(d->grp >> i->reg & 1)) return false;
    if (i->map == MAP_1 && i->op == 0xff && i->reg > 1) return false;
    if (!plain_handler(i)) return false;
    if (!d->modrm) {
        if (i->opsize16) e8(j, 0x66);
        e8(j, d->host_op);
        emit_imm(j, i, d->imm);
        return true;
    }
    if (d->regonly && !i->mod3) return false;
    bool lea = i->map == MAP_1 && i->op == 0x8d;
    int hreg = d->reg == C_RV ? host_of_guest[i->reg] : i->reg;
    bool byte_reg_high = (d->reg == C_R8 && i->reg >= 4) || (d->rm == C_R8 && i->mod3 && i->rm >= 4);
    int imm = imm_of(i, d);
    uint8_t mandatory = count ? 0xf3 : 0;
    if (i->mod3) {
        int hrm = d->rm == C_RV ? host_of_guest[i->rm] : i->rm;
        if (rex_rr(false, hreg, hrm) && byte_reg_high) return false;
        emit_op(j, false, i->opsize16, mandatory, i->map, d->host_op, hreg, hrm, NULL, false);
        emit_imm(j, i, imm);
        return true;
    }
    struct hmem g = guest_mem(i);
    /* AH..BH cannot be named with a REX prefix, which r11 needs */
    bool via_r11 = !lea && (i->seg == SEG_FS || i->seg == SEG_GS || jit_checked);
    if (byte_reg_high && (via_r11 || rex_mem(false, hreg, &g))) return false;
    struct hmem m = lea ? g : mem_operand(j, i);
    emit_op(j, i->lock, i->opsize16, mandatory, i->map, d->host_op, hreg, 0, &m, lea);
    emit_imm(j, i, imm);
    return true;
}

/* ---- SSE/SSE2 moves, bitwise and integer operations ----
 * The guest's XMM registers live in struct cpu: the instruction runs on
 * host xmm0 (its reg field) and xmm1 (a register r/m), loaded from there
 * and stored back. The floating-point ones run under the guest's MXCSR,
 * which op_jit_enter makes the host's (every exception masked, so none
 * traps; the flags they raise stay in the host's MXCSR for the guest, as
 * the interpreter leaves them). A misaligned m128 is the host's #GP, which
 * fault.c makes the guest's. */
enum { S_X = 1, S_G };                  /* an operand field: XMM or general register */
enum { W_REG = 1, W_RM = 2 };           /* which operand the instruction writes */
struct sseop {
    uint8_t ok, reg, rm, writes, imm8, regonly, grp;
};
static struct sseop sse_nat[256][4];    /* 0F map, by mandatory prefix slot */
static struct sseop sse_nat38[256], sse_nat3a[256];   /* 0F 38, 0F 3A with 66 (where the host has them) */

static void sse(int op, int slot, int reg, int rm, int writes, int imm8)
{
    sse_nat[op][slot] = (struct sseop){ 1, (uint8_t)reg, (uint8_t)rm, (uint8_t)writes, (uint8_t)imm8, 0, 0 };
}

static void sse_init(void)
{
    for (int slot = 0; slot < 4; slot++) {
        sse(0x10, slot, S_X, S_X, W_REG, 0);    /* MOVUPS MOVUPD MOVSS MOVSD loads */
        sse(0x11, slot, S_X, S_X, W_RM, 0);     /* and stores */
    }
    for (int slot = 0; slot < 2; slot++) {
        sse(0x28, slot, S_X, S_X, W_REG, 0);    /* MOVAPS MOVAPD */
        sse(0x29, slot, S_X, S_X, W_RM, 0);
        for (int op = 0x54; op <= 0x57; op++) sse(op, slot, S_X, S_X, W_REG, 0);   /* AND ANDN OR XOR */
    }
    static const uint8_t rmw66[] = {
        0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
        0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
        0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
        0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe,
    };
    for (size_t k = 0; k < sizeof rmw66; k++) sse(rmw66[k], 1, S_X, S_X, W_REG, 0);
    sse(0x6e, 1, S_X, S_G, W_REG, 0);           /* MOVD xmm, r/m32 */
    sse(0x7e, 1, S_X, S_G, W_RM, 0);            /* MOVD r/m32, xmm */
    sse(0x7e, 2, S_X, S_X, W_REG, 0);           /* MOVQ xmm, xmm/m64 */
    sse(0xd6, 1, S_X, S_X, W_RM, 0);            /* MOVQ xmm/m64, xmm */
    sse(0x6f, 1, S_X, S_X, W_REG, 0);           /* MOVDQA, MOVDQU */
    sse(0x6f, 2, S_X, S_X, W_REG, 0);
    sse(0x7f, 1, S_X, S_X, W_RM, 0);
    sse(0x7f, 2, S_X, S_X, W_RM, 0);
    sse(0x70, 1, S_X, S_X, W_REG, 1);           /* PSHUFD PSHUFHW PSHUFLW */
    sse(0x70, 2, S_X, S_X, W_REG, 1);
    sse(0x70, 3, S_X, S_X, W_REG, 1);
    for (int slot = 0; slot < 2; slot++) {
        sse(0x12, slot, S_X, S_X, W_REG, 0);    /* MOVLPS/MOVHLPS, MOVLPD */
        sse(0x13, slot, S_X, S_X, W_RM, 0);
        sse(0x16, slot, S_X, S_X, W_REG, 0);    /* MOVHPS/MOVLHPS, MOVHPD */
        sse(0x17, slot, S_X, S_X, W_RM, 0);
        sse(0x14, slot, S_X, S_X, W_REG, 0);    /* UNPCKLPS/PD, UNPCKHPS/PD */
        sse(0x15, slot, S_X, S_X, W_REG, 0);
        sse(0xc6, slot, S_X, S_X, W_REG, 1);    /* SHUFPS/PD */
        sse(0x50, slot, S_G, S_X, 0, 0);        /* MOVMSKPS/PD */
        sse_nat[0x50][slot].regonly = 1;
        sse(0x2e, slot, S_X, S_X, 0, 0);        /* UCOMISS/SD, COMISS/SD: EFLAGS */
        sse(0x2f, slot, S_X, S_X, 0, 0);
        sse(0x5a, slot, S_X, S_X, W_REG, 0);    /* CVTPS2PD, CVTPD2PS */
        sse(0x5b, slot, S_X, S_X, W_REG, 0);    /* CVTDQ2PS, CVTPS2DQ */
    }
    /* floating point: the guest's MXCSR is the host's while translated code
     * runs (op_jit_enter), every exception masked */
    for (int slot = 0; slot < 4; slot++) {
        static const uint8_t fp[] = { 0x51, 0x58, 0x59, 0x5c, 0x5d, 0x5e, 0x5f };
        for (size_t k = 0; k < sizeof fp; k++) sse(fp[k], slot, S_X, S_X, W_REG, 0);
        sse(0xc2, slot, S_X, S_X, W_REG, 1);    /* CMPPS/PD/SS/SD */
    }
    for (int slot = 0; slot < 4; slot += 2) sse(slot ? 0x52 : 0x52, slot, S_X, S_X, W_REG, 0);   /* RSQRTPS/SS */
    sse(0x53, 0, S_X, S_X, W_REG, 0);           /* RCPPS/SS */
    sse(0x53, 2, S_X, S_X, W_REG, 0);
    sse(0x5a, 2, S_X, S_X, W_REG, 0);           /* CVTSS2SD, CVTSD2SS */
    sse(0x5a, 3, S_X, S_X, W_REG, 0);
    sse(0x5b, 2, S_X, S_X, W_REG, 0);           /* CVTTPS2DQ */
    sse(0xe6, 1, S_X, S_X, W_REG, 0);           /* CVTTPD2DQ, CVTDQ2PD, CVTPD2DQ */
    sse(0xe6, 2, S_X, S_X, W_REG, 0);
    sse(0xe6, 3, S_X, S_X, W_REG, 0);
    for (int slot = 2; slot < 4; slot++) {
        sse(0x2a, slot, S_X, S_G, W_REG, 0);    /* CVTSI2SS/SD xmm, r/m32 */
        sse(0x2c, slot, S_G, S_X, 0, 0);        /* CVTTSS2SI/SD2SI r32, xmm/m */
        sse(0x2d, slot, S_G, S_X, 0, 0);
    }
    sse(0xc4, 1, S_X, S_G, W_REG, 1);           /* PINSRW xmm, r32/m16 */
    sse(0xc5, 1, S_G, S_X, 0, 1);               /* PEXTRW r32, xmm */
    sse_nat[0xc5][1].regonly = 1;
    bool ssse3 = host_isa.ssse3, sse41 = ssse3 && host_isa.sse41;
    mmx_init(ssse3);
    if (host_isa.sse3) {
        sse(0x12, 2, S_X, S_X, W_REG, 0);       /* MOVSLDUP, MOVDDUP, MOVSHDUP */
        sse(0x12, 3, S_X, S_X, W_REG, 0);
        sse(0x16, 2, S_X, S_X, W_REG, 0);
        for (int slot = 1; slot < 4; slot += 2) {
            sse(0x7c, slot, S_X, S_X, W_REG, 0);    /* HADDPD/PS, HSUBPD/PS, ADDSUBPD/PS */
            sse(0x7d, slot, S_X, S_X, W_REG, 0);
            sse(0xd0, slot, S_X, S_X, W_REG, 0);
        }
        sse(0xf0, 3, S_X, S_X, W_REG, 0);       /* LDDQU */
    }
    struct sseop rmw = { 1, S_X, S_X, W_REG, 0, 0, 0 };
    if (ssse3) {
        static const uint8_t ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x1c, 0x1d, 0x1e };
        for (size_t k = 0; k < sizeof ops; k++) sse_nat38[ops[k]] = rmw;
        sse_nat3a[0x0f] = rmw;                  /* PALIGNR */
        sse_nat3a[0x0f].imm8 = 1;
    }
    if (sse41) {
        /* not PBLENDVB/BLENDVPS/BLENDVPD: their implicit XMM0 is the host's scratch */
        static const uint8_t ops[] = { 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x28, 0x29, 0x2b, 0x30, 0x31, 0x32, 0x33,
                                       0x34, 0x35, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41 };
        for (size_t k = 0; k < sizeof ops; k++) sse_nat38[ops[k]] = rmw;
        sse_nat38[0x17] = (struct sseop){ 1, S_X, S_X, 0, 0, 0, 0 };          /* PTEST: EFLAGS */
        static const uint8_t imm[] = { 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x21, 0x40, 0x41, 0x42 };
        for (size_t k = 0; k < sizeof imm; k++) { sse_nat3a[imm[k]] = rmw; sse_nat3a[imm[k]].imm8 = 1; }
        for (int op = 0x14; op <= 0x17; op++)   /* PEXTRB/W/D, EXTRACTPS r/m, xmm */
            sse_nat3a[op] = (struct sseop){ 1, S_X, S_G, W_RM, 1, 0, 0 };
        sse_nat3a[0x20] = (struct sseop){ 1, S_X, S_G, W_REG, 1, 0, 0 };      /* PINSRB */
        sse_nat3a[0x22] = (struct sseop){ 1, S_X, S_G, W_REG, 1, 0, 0 };      /* PINSRD */
    }
    if (sse41 && host_isa.sse42) {
        sse_nat38[0x37] = rmw;                  /* PCMPGTQ */
        /* PCMPESTRI, PCMPISTRI (ECX and EFLAGS out; EAX, EDX in): not the
         * M forms, whose implicit XMM0 is the host's scratch */
        sse_nat3a[0x61] = sse_nat3a[0x63] = (struct sseop){ 1, S_X, S_X, 0, 1, 0, 0 };
    }
    if (sse41 && host_isa.aes) {
        for (int op = 0xdb; op <= 0xdf; op++) sse_nat38[op] = rmw;
        sse_nat3a[0xdf] = rmw;                  /* AESKEYGENASSIST */
        sse_nat3a[0xdf].imm8 = 1;
    }
    if (sse41 && host_isa.pclmul) {
        sse_nat3a[0x44] = rmw;
        sse_nat3a[0x44].imm8 = 1;
    }
    sse(0xd7, 1, S_G, S_X, 0, 0);               /* PMOVMSKB r32, xmm */
    sse_nat[0xd7][1].regonly = 1;
    for (int op = 0x71; op <= 0x73; op++) {     /* shifts by imm8: the r/m register */
        sse(op, 1, 0, S_X, W_RM, 1);
        sse_nat[op][1].regonly = 1;
        sse_nat[op][1].grp = op == 0x73 ? 0xcc : 0x54;   /* /2 /4 /6; 73: /2 /3 /6 /7 */
    }
}

#define XMM_OFF(r) ((int32_t)(offsetof(struct cpu, xmm) + 16 * (r)))
static void xmm_move(struct jbuf *j, bool store, int hx, int guest_xmm)
{
    struct hmem m = { H_CPU, H_NONE, 0, XMM_OFF(guest_xmm) };
    e8(j, 0xf3);
    e8(j, rex_mem(false, hx, &m));
    e8(j, 0x0f);
    e8(j, store ? 0x7f : 0x6f);
    modrm_mem(j, hx, &m);
}

static bool emit_sse(struct jbuf *j, const struct insn *i)
{
    if ((i->map != MAP_0F && i->map != MAP_0F38 && i->map != MAP_0F3A) || i->addr16 || i->lock) return false;
    int slot = insn_sse_prefix(i);
    const struct sseop *d = i->map == MAP_0F ? &sse_nat[i->op][slot]
                          : slot != 1 ? NULL : i->map == MAP_0F38 ? &sse_nat38[i->op] : &sse_nat3a[i->op];
    if (!d || !d->ok || (d->regonly && !i->mod3) || (d->grp && !(d->grp >> i->reg & 1))) return false;
    const struct opdesc *od = &cpu_variant->tab[i->map][i->op];
    if (od->flags & D_GROUP) od = &od->sub[i->reg];
    if (!(od->flags & D_SSE) || i->fn != od->fn[slot]) return false;
    /* host operands: reg field xmm0 or a general register; r/m xmm1, a
     * general register or gs:[address] */
    int hreg = d->reg == S_X ? 0 : d->reg == S_G ? host_of_guest[i->reg] : i->reg;
    if (d->reg == S_X) xmm_move(j, false, 0, i->reg);
    struct hmem m;
    int hrm = 1;
    if (i->mod3) {
        if (d->rm == S_X) xmm_move(j, false, 1, i->rm);
        else hrm = host_of_guest[i->rm];
    } else {
        m = mem_operand(j, i);
    }
    static const uint8_t mandatory[4] = { 0, 0x66, 0xf3, 0xf2 };
    emit_op(j, false, false, mandatory[slot], i->map, i->op, hreg, hrm, i->mod3 ? NULL : &m, false);
    if (d->imm8) e8(j, i->imm);
    if (d->writes & W_REG && d->reg == S_X) xmm_move(j, true, 0, i->reg);
    if (d->writes & W_RM && i->mod3 && d->rm == S_X) xmm_move(j, true, 1, i->rm);
    return true;
}

/* ---- x87: the guest's instruction on the host FPU ----
 * Translated code runs with the guest's x87 state resident in the host FPU
 * (op_jit_enter and every helper run see to it; a block is not entered
 * while an x87 exception is unmasked), as the interpreter's resident path
 * runs it (x87_resident.c): the instruction as itself, memory operands as
 * gs:[address], then the last-instruction pointers the handlers keep
 * (FIP, FCS, FOP; FDP, FDS for memory forms). Instructions that load or
 * save whole environments or the control word are not translated. */
static void store16_cpu(struct jbuf *j, int32_t off, uint16_t v)
{
    e8(j, 0x66);
    op_rm(j, false, 0xc7, 0, H_CPU, off);
    e16(j, v);
}
static void copy16_cpu(struct jbuf *j, int32_t dst, int32_t src)
{
    struct hmem m = { H_CPU, H_NONE, 0, src };
    e8(j, rex_mem(false, H_T1, &m));
    e8(j, 0x0f); e8(j, 0xb7);
    modrm_mem(j, H_T1, &m);                                    /* movzx r11d, word [r15 + src] */
    e8(j, 0x66);
    op_rm(j, false, 0x89, H_T1, H_CPU, dst);                   /* mov [r15 + dst], r11w */
}

op_fn chk_x87_handler(const struct insn *i);   /* the checked build's x87_handler (x87.c) */

static bool emit_x87(struct jbuf *j, const struct insn *i)
{
    if (i->map != MAP_1 || (i->op & 0xf8) != 0xd8 || i->addr16 || i->lock || i->rep) return false;
    int o = i->op & 7;
    /* the checked CPU's handler is its own build's (on the state in memory):
     * the instruction is one the plain build runs resident */
    op_fn res = i->mod3 ? x87_res_reg_ops[o][(i->reg << 3) | i->rm] : x87_res_mem_ops[o][i->reg];
    if (jit_checked ? i->fn != chk_x87_handler(i) || res == x87_illegal : i->fn != res) return false;
    if (i->mod3) {
        int m = (i->reg << 3) | i->rm;
        if (o == 3 && m >= 0x20 && m <= 0x24 && m != 0x22) return false;
    } else {
        if ((o == 1 && i->reg >= 4) || (o == 5 && (i->reg == 4 || i->reg >= 6))) return false;
    }
    struct hmem m;
    if (!i->mod3) m = mem_operand(j, i);
    emit_op(j, false, false, 0, MAP_1, i->op, i->reg, i->rm, i->mod3 ? NULL : &m, false);
    op_rm(j, false, 0xc7, 0, H_CPU, (int32_t)offsetof(struct cpu, fpu.fip));
    e32(j, i->eip);
    copy16_cpu(j, (int32_t)offsetof(struct cpu, fpu.fcs), (int32_t)offsetof(struct cpu, sreg[SEG_CS]));
    if (i->mod3) {
        store16_cpu(j, (int32_t)offsetof(struct cpu, fpu.fop), (uint16_t)(o << 8 | 0xc0 | i->reg << 3 | i->rm));
        return true;
    }
    store16_cpu(j, (int32_t)offsetof(struct cpu, fpu.fop), (uint16_t)(0x8000 | o << 8 | i->reg << 3 | i->rm));
    struct hmem g = guest_mem(i);
    if (g.base == H_NONE && g.index == H_NONE) {
        op_rm(j, false, 0xc7, 0, H_CPU, (int32_t)offsetof(struct cpu, fpu.fdp));
        e32(j, (uint32_t)g.disp);
    } else {
        e8(j, 0x67);
        e8(j, rex_mem(false, H_T1, &g) | 0x40);
        e8(j, 0x8d);
        modrm_mem(j, H_T1, &g);                                 /* lea r11d, [offset] */
        mov_store32(j, H_CPU, (int32_t)offsetof(struct cpu, fpu.fdp), H_T1);
    }
    copy16_cpu(j, (int32_t)offsetof(struct cpu, fpu.fds), (int32_t)offsetof(struct cpu, sreg[i->seg]));
    return true;
}

/* ---- MMX: the guest's instruction on the host's MMX registers ----
 * They are the x87 registers, which hold the guest's state while translated
 * code runs (above): the instruction runs as itself (every x87 exception
 * masked, so no #MF is pending), general registers and memory operands
 * rewritten as for integer instructions. */
enum { M_MM = 1, M_G };
static uint8_t mmx_reg[256], mmx_rm[256], mmx_imm[256], mmx_grp[256], mmx_regonly[256];
static uint8_t mmx38[256];      /* SSSE3 mm forms, where the host has SSSE3 */

static void mmx_init(bool ssse3)
{
    static const uint8_t ops[] = {
        0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6f, 0x74, 0x75, 0x76, 0x7f,
        0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
        0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
        0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe,
    };
    for (size_t k = 0; k < sizeof ops; k++) mmx_reg[ops[k]] = mmx_rm[ops[k]] = M_MM;
    mmx_reg[0x6e] = M_MM, mmx_rm[0x6e] = M_G;                  /* MOVD mm, r/m32 */
    mmx_reg[0x7e] = M_MM, mmx_rm[0x7e] = M_G;                  /* MOVD r/m32, mm */
    mmx_reg[0x70] = mmx_rm[0x70] = M_MM, mmx_imm[0x70] = 1;    /* PSHUFW */
    mmx_reg[0xc4] = M_MM, mmx_rm[0xc4] = M_G, mmx_imm[0xc4] = 1;   /* PINSRW */
    mmx_reg[0xc5] = M_G, mmx_rm[0xc5] = M_MM, mmx_imm[0xc5] = mmx_regonly[0xc5] = 1;   /* PEXTRW */
    mmx_reg[0xd7] = M_G, mmx_rm[0xd7] = M_MM, mmx_regonly[0xd7] = 1;   /* PMOVMSKB */
    for (int op = 0x71; op <= 0x73; op++) {                    /* shifts by imm8 */
        mmx_reg[op] = 0, mmx_rm[op] = M_MM, mmx_imm[op] = mmx_regonly[op] = 1;
        mmx_grp[op] = 0x54;                                    /* /2 /4 /6 (73: /2 /6 exist) */
    }
    if (ssse3) {
        static const uint8_t o38[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x1c, 0x1d, 0x1e };
        for (size_t k = 0; k < sizeof o38; k++) mmx38[o38[k]] = 1;
    }
}

static bool emit_mmx(struct jbuf *j, const struct insn *i)
{
    if (jit_checked) return false;   /* MMX registers are the x87's (above) */
    if ((i->map != MAP_0F && i->map != MAP_0F38) || i->addr16 || i->lock || insn_sse_prefix(i)) return false;
    bool m38 = i->map == MAP_0F38;
    if (m38 ? !mmx38[i->op] : (!mmx_rm[i->op] && i->op != 0x77)) return false;
    const struct opdesc *od = &cpu_variant->tab[i->map][i->op];
    if (od->flags & D_GROUP) od = &od->sub[i->reg];
    if (!(od->flags & D_SSE) && i->op != 0x77) return false;
    if (i->fn != od->fn[0]) return false;
    if (!m38 && i->op == 0x77) {                                /* EMMS */
        e8(j, 0x0f);
        e8(j, 0x77);
        return true;
    }
    int regc = m38 ? M_MM : mmx_reg[i->op], rmc = m38 ? M_MM : mmx_rm[i->op];
    if (!m38 && ((mmx_regonly[i->op] && !i->mod3) || (mmx_grp[i->op] && !(mmx_grp[i->op] >> i->reg & 1)))) return false;
    int hreg = regc == M_G ? host_of_guest[i->reg] : i->reg;
    int hrm = rmc == M_G ? host_of_guest[i->rm] : i->rm;
    struct hmem m;
    if (!i->mod3) m = mem_operand(j, i);
    emit_op(j, false, false, 0, i->map, i->op, hreg, hrm, i->mod3 ? NULL : &m, false);
    if (!m38 && mmx_imm[i->op]) e8(j, i->imm);
    return true;
}

/* ---- the stack: gs:[r12d + disp] ---- */
static void stack_op(struct jbuf *j, uint8_t op, int reg, int32_t disp)
{
    if (jit_checked) {
        lea32(j, H_T1, H_R12, disp);
        shadow_check(j, 4);
    }
    e8(j, 0x65);
    e8(j, 0x67);
    op_rm(j, false, op, reg, H_R12, disp);
}
static void esp_add(struct jbuf *j, int32_t d) { lea32(j, H_R12, H_R12, d); }
/* load r/m32 into r10d (a register, or memory that may fault) */
static void load_rm_t0(struct jbuf *j, const struct insn *i)
{
    if (i->mod3) {
        op_rr(j, false, 0x89, host_of_guest[i->rm], H_T0);
        return;
    }
    struct hmem m = mem_operand(j, i);
    emit_op(j, false, false, 0, MAP_1, 0x8b, H_T0, 0, &m, false);
}

/* lea r64, [base + index] */
static void lea64(struct jbuf *j, int reg, int base, int index)
{
    struct hmem m = { (uint8_t)base, (uint8_t)index, 0, 0 };
    e8(j, rex_mem(true, reg, &m));
    e8(j, 0x8d);
    modrm_mem(j, reg, &m);
}

/* The string instructions (MOVS CMPS STOS LODS SCAS, with or without
 * REP/REPE/REPNE), forward (translated code runs with DF clear): the host's
 * own instruction on host pointers (the window's base added to ESI and EDI,
 * taken off again after), so they run as fast as natively, set the flags
 * the host sets, and fault where the guest's would. A fault in between
 * leaves host pointers in rsi/rdi: jit_fault_state takes the base off. */
static bool string_uses(uint8_t op, bool *si, bool *di)
{
    switch (op & 0xfe) {
    case 0xa4: case 0xa6: *si = *di = true; return true;   /* MOVS CMPS */
    case 0xaa: case 0xae: *si = false; *di = true; return true;   /* STOS SCAS */
    case 0xac: *si = true; *di = false; return true;   /* LODS */
    }
    return false;
}

static bool emit_string(struct jbuf *j, const struct insn *i)
{
    bool si, di;
    if (jit_checked) return false;   /* the checked interpreter checks each element */
    if (i->map != MAP_1 || !string_uses(i->op, &si, &di) || i->addr16 || i->lock || !plain_handler(i)) return false;
    bool compares = (i->op & 0xfe) == 0xa6 || (i->op & 0xfe) == 0xae;
    if (i->rep == REP_F2 && !compares) return false;
    if (si && (i->seg == SEG_FS || i->seg == SEG_GS)) return false;
    mov_imm64(j, H_T1, (uintptr_t)g2h(0));
    if (di) lea64(j, H_RDI, H_RDI, H_T1);
    if (si) lea64(j, H_RSI, H_RSI, H_T1);
    if (i->opsize16 && (i->op & 1)) e8(j, 0x66);
    if (i->rep) e8(j, i->rep == REP_F2 ? 0xf2 : 0xf3);
    e8(j, i->op);
    mov_imm64(j, H_T1, (uint64_t)-(uintptr_t)g2h(0));
    if (di) {
        lea64(j, H_RDI, H_RDI, H_T1);
        op_rr(j, false, 0x89, H_RDI, H_RDI);                       /* mov edi, edi: wraps as the guest's */
    }
    if (si) {
        lea64(j, H_RSI, H_RSI, H_T1);
        op_rr(j, false, 0x89, H_RSI, H_RSI);
    }
    return true;
}

/* Instructions written out by hand that do not end the block. */
static bool emit_special(struct jbuf *j, const struct insn *i)
{
    if (i->map != MAP_1 && i->map != MAP_0F) return false;
    if (i->map == MAP_1 && i->op >= 0xa4 && i->op <= 0xaf && i->op != 0xa8 && i->op != 0xa9) return emit_string(j, i);
    if (i->rep || i->addr16 || !plain_handler(i)) return false;
    uint8_t op = i->op;
    if (i->map == MAP_1 && op == 0xfc) return true;                /* CLD: translated code runs with DF clear */
    if (i->map == MAP_0F) {
        if (op >= 0xc8 && op <= 0xcf && !i->opsize16) {            /* BSWAP */
            int h = host_of_guest[op & 7];
            if (h >= 8) e8(j, 0x41);
            e8(j, 0x0f);
            e8(j, 0xc8 | (h & 7));
            return true;
        }
        if (op == 0x1f || op == 0x18 || op == 0x0d) return true;    /* NOP r/m, PREFETCHh: touch nothing */
        return false;
    }
    if (op >= 0x40 && op <= 0x4f) {                                 /* INC/DEC r: FF /0 /1 */
        int h = host_of_guest[op & 7];
        if (i->opsize16) e8(j, 0x66);
        if (h >= 8) e8(j, 0x41);
        e8(j, 0xff);
        e8(j, 0xc0 | (op >= 0x48) << 3 | (h & 7));
        return true;
    }
    if ((op == 0x9e || op == 0x9f) && host_isa.lahf64) {                  /* SAHF, LAHF: AH is the guest's */
        e8(j, op);
        return true;
    }
    if (op >= 0x90 && op <= 0x97) {                                 /* XCHG eAX, r; NOP */
        if (op == 0x90) return true;
        int h = host_of_guest[op & 7];
        if (i->opsize16) e8(j, 0x66);
        if (h >= 8) e8(j, 0x41);
        e8(j, 0x90 | (h & 7));
        return true;
    }
    if (op >= 0xb0 && op <= 0xb7) {                                 /* MOV r8, imm8 */
        e8(j, op);
        e8(j, i->imm);
        return true;
    }
    if (op >= 0xb8 && op <= 0xbf) {                                 /* MOV r, imm */
        int h = host_of_guest[op & 7];
        if (i->opsize16) e8(j, 0x66);
        if (h >= 8) e8(j, 0x41);
        e8(j, 0xb8 | (h & 7));
        emit_imm(j, i, I_Z);
        return true;
    }
    if (op >= 0xa0 && op <= 0xa3) {                                 /* MOV with moffs: as 8A/8B/88/89 */
        struct insn t = *i;
        t.op = op == 0xa0 ? 0x8a : op == 0xa1 ? 0x8b : op == 0xa2 ? 0x88 : 0x89;
        t.reg = EAX;
        t.mod3 = 0;
        t.base = t.index = RZERO;
        t.scale = 0;
        struct hmem m = mem_operand(j, &t);
        emit_op(j, false, i->opsize16, 0, MAP_1, t.op, H_RAX, 0, &m, false);
        return true;
    }
    if (i->opsize16) return false;
    if (op >= 0x50 && op <= 0x57) {                                 /* PUSH r */
        stack_op(j, 0x89, host_of_guest[op & 7], -4);
        esp_add(j, -4);
        return true;
    }
    if (op >= 0x58 && op <= 0x5f) {                                 /* POP r */
        int h = host_of_guest[op & 7];
        stack_op(j, 0x8b, h, 0);
        if (h != H_R12) esp_add(j, 4);                              /* POP ESP: the value popped */
        return true;
    }
    if (op == 0x68 || op == 0x6a) {                                 /* PUSH imm */
        stack_op(j, 0xc7, 0, -4);
        e32(j, i->imm);
        esp_add(j, -4);
        return true;
    }
    if (op == 0xff && i->reg == 6) {                                /* PUSH r/m32: its address uses the old ESP */
        load_rm_t0(j, i);
        stack_op(j, 0x89, H_T0, -4);
        esp_add(j, -4);
        return true;
    }
    if (op == 0xc9) {                                               /* LEAVE */
        if (jit_checked) {
            lea32(j, H_T1, H_RBP, 0);
            shadow_check(j, 4);
        }
        e8(j, 0x65);
        e8(j, 0x67);
        op_rm(j, false, 0x8b, H_T0, H_RBP, 0);                      /* mov r10d, gs:[ebp] */
        lea32(j, H_R12, H_RBP, 4);
        op_rr(j, false, 0x89, H_T0, H_RBP);                         /* mov ebp, r10d */
        return true;
    }
    return false;
}

/* Instructions the interpreter must run with translated code left: they
 * change what translated code takes as fixed (segment bases; DF, TF, AC). */
static bool ends_translation(const struct insn *i)
{
    if (i->map == MAP_1 && !i->mod3 && ((i->op == 0xd9 && i->reg >= 4 && i->reg <= 6) || (i->op == 0xdd && (i->reg == 4 || i->reg == 6))))
        return true;   /* x87 environments and control word: the residency translated code relies on */
    if (i->map == MAP_1)
        switch (i->op) {
        case 0x07: case 0x17: case 0x1f: case 0x8e: case 0x9d: case 0xc4: case 0xc5: case 0xcf: case 0xfd:
            return true;
        }
    if (i->map == MAP_0F)
        switch (i->op) {
        case 0xa1: case 0xa9: case 0xb2: case 0xb4: case 0xb5:
        case 0xae:   /* LDMXCSR, FXRSTOR...: MXCSR.MM decides how SSE checks alignment */
            return true;
        }
    return false;
}

/* ---- block ends ---- */
struct pending {            /* an exit stub to write after the body */
    uint8_t kind;
    uint32_t k;
    guest_addr eip;
    uint8_t *site;          /* rel32 field jumping to the stub */
    bool link;              /* the site may be linked to the next block later */
};
#define MAX_PENDING 8

static bool add_exit(struct pending *p, int *np, int kind, uint32_t k, guest_addr eip, uint8_t *site, bool link)
{
    if (*np >= MAX_PENDING) return false;
    p[(*np)++] = (struct pending){ (uint8_t)kind, k, eip, site, link };
    return true;
}

/* jump to the block of EIP r10d through the dispatch table (the target's
 * indirect entry checks it is the one) */
static void emit_dispatch(struct jbuf *j)
{
    static const uint8_t seq[] = {
        0x45, 0x0f, 0xb7, 0xda,         /* movzx r11d, r10w */
        0x47, 0x8b, 0x1c, 0x9e,         /* mov r11d, [r14 + r11*4] */
        0x4f, 0x8d, 0x5c, 0x1d, 0x00,   /* lea r11, [r13 + r11] */
        0x41, 0xff, 0xe3,               /* jmp r11 */
    };
    for (size_t k = 0; k < sizeof seq; k++) e8(j, seq[k]);
}

/* The block's last instruction as a host control transfer; false: it is
 * left to the interpreter. */
static bool emit_control(struct jbuf *j, const struct insn *i, uint32_t k, struct pending *p, int *np)
{
    if (i->fn == cpu_variant->op_goto) {
        return add_exit(p, np, JX_GOTO, k, i->imm, jmp_rel32(j, j->p), true);
    }
    if (i->addr16 || !plain_handler(i)) return false;
    uint8_t op = i->op;
    guest_addr next = next_eip(i);
    if (i->map == MAP_0F && op >= 0x80 && op <= 0x8f) {             /* Jcc rel16/32 */
        if (i->rep) return false;
        uint8_t *t = jcc_rel32(j, op & 15, j->p);
        uint8_t *f = jmp_rel32(j, j->p);
        return add_exit(p, np, JX_GOTO, k, i->imm, t, true) && add_exit(p, np, JX_GOTO, k, next, f, true);
    }
    if (i->map != MAP_1) return false;
    if (op >= 0x70 && op <= 0x7f) {
        if (i->rep) return false;
        uint8_t *t = jcc_rel32(j, op & 15, j->p);
        uint8_t *f = jmp_rel32(j, j->p);
        return add_exit(p, np, JX_GOTO, k, i->imm, t, true) && add_exit(p, np, JX_GOTO, k, next, f, true);
    }
    if (op >= 0xe0 && op <= 0xe3 && !i->rep) {                     /* LOOPNE LOOPE LOOP JECXZ (ECX: not addr16) */
        if (op != 0xe3) lea32(j, H_RCX, H_RCX, -1);                 /* ECX - 1, flags kept */
        e8(j, 0x67); e8(j, 0xe3);                                   /* jecxz: to the fall-through jump */
        e8(j, op == 0xe3 ? 5 : op == 0xe2 ? 5 : 11);
        if (op == 0xe3) {
            uint8_t *f = jmp_rel32(j, j->p);                        /* ECX != 0: on */
            uint8_t *t = jmp_rel32(j, j->p);                        /* ECX == 0: jump */
            return add_exit(p, np, JX_GOTO, k, next, f, true) && add_exit(p, np, JX_GOTO, k, i->imm, t, true);
        }
        if (op != 0xe2) {
            uint8_t *t = jcc_rel32(j, op == 0xe1 ? 4 : 5, j->p);    /* LOOPE: ZF set; LOOPNE: clear */
            uint8_t *f1 = jmp_rel32(j, j->p);
            uint8_t *f2 = jmp_rel32(j, j->p);                       /* ECX == 0 */
            return add_exit(p, np, JX_GOTO, k, i->imm, t, true) && add_exit(p, np, JX_GOTO, k, next, f1, true)
                   && add_exit(p, np, JX_GOTO, k, next, f2, true);
        }
        uint8_t *t = jmp_rel32(j, j->p);                            /* ECX != 0: jump */
        uint8_t *f = jmp_rel32(j, j->p);                            /* ECX == 0 */
        return add_exit(p, np, JX_GOTO, k, i->imm, t, true) && add_exit(p, np, JX_GOTO, k, next, f, true);
    }
    if (op == 0xeb || op == 0xe9) {
        if (i->rep) return false;
        return add_exit(p, np, JX_GOTO, k, i->imm, jmp_rel32(j, j->p), true);
    }
    if (i->opsize16) return false;
    if (op == 0xe8 && !i->rep) {                                    /* CALL rel32 */
        stack_op(j, 0xc7, 0, -4);
        e32(j, next);
        esp_add(j, -4);
        return add_exit(p, np, JX_GOTO, k, i->imm, jmp_rel32(j, j->p), true);
    }
    if (op == 0xc3 || op == 0xc2) {                                 /* RET, RET imm16 (REP RET too) */
        if (i->rep == REP_F2) return false;
        stack_op(j, 0x8b, H_T0, 0);
        esp_add(j, 4 + (op == 0xc2 ? (int32_t)(i->imm & 0xffff) : 0));
        emit_dispatch(j);
        return true;
    }
    if (op == 0xff && (i->reg == 2 || i->reg == 4) && !i->rep) {  /* CALL/JMP r/m32 */
        load_rm_t0(j, i);
        if (i->reg == 2) {
            stack_op(j, 0xc7, 0, -4);
            e32(j, next);
            esp_add(j, -4);
        }
        emit_dispatch(j);
        return true;
    }
    return false;
}

/* The attention poll: a load from the page before the code, which ue makes
 * unreadable while a signal or a flush waits (jit_poll_arm); the fault
 * goes to the poll stub, which leaves for the run loop (jit_poll_fault). One load, no flags. */
static void emit_poll(struct jbuf *j)
{
    mov_load32(j, H_T1, H_CODE, -POLL_SIZE);
}

/* Memcheck: before a block's first x87 instruction, the x87 state must be
 * in the host FPU (the checked CPU keeps it in memory; jit.c's x87_res stub
 * loads it, or leaves for the interpreter at instruction k when an
 * exception is unmasked). Flag-free test of x87_owner == c: rcx = owner -
 * c (LEA), JRCXZ. */
extern __thread struct cpu *x87_owner __attribute__((tls_model("local-exec")));
static bool emit_x87_resident(struct jit_ctx *x, struct jbuf *j, struct cpu *c, struct block *b, uint32_t k)
{
    struct jit_exit *e = jit_data_alloc(x, sizeof *e);
    if (!e) return false;
    *e = (struct jit_exit){ b, NULL, b->insns[k].eip, JX_RESUME, (uint8_t)k };
    uintptr_t tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    int64_t off = (int64_t)((uintptr_t)&x87_owner - tp);
    mov_imm64(j, H_T0, (uint64_t)-(uintptr_t)c);
    mov_rr64(j, H_ECX_SAVE, H_RCX);
    e8(j, 0x64); e8(j, 0x48); e8(j, 0x8b); e8(j, 0x0c); e8(j, 0x25); e32(j, (uint32_t)off);   /* mov rcx, fs:[off] */
    struct hmem m = { H_RCX, H_T0, 0, 0 };
    e8(j, rex_mem(true, H_RCX, &m)); e8(j, 0x8d); modrm_mem(j, H_RCX, &m);                  /* lea rcx, [rcx + r10] */
    e8(j, 0xe3); e8(j, 3 + 10 + 5 + 2);                                                    /* jrcxz: resident */
    mov_rr64(j, H_RCX, H_ECX_SAVE);
    mov_imm64(j, H_T1, (uintptr_t)e);
    e8(j, 0xe8); e32(j, (uint32_t)(x->x87_res - (j->p + 4)));
    e8(j, 0xeb); e8(j, 3);                                                                 /* jmp over */
    mov_rr64(j, H_RCX, H_ECX_SAVE);
    return off == (int32_t)off;
}

/* the entry after a helper run's instructions: back to the helper stub */
static void op_run_end(struct cpu *c, const struct insn *i) { (void)c; (void)i; }

enum { K_NATIVE, K_HELPER, K_CONTROL, K_LEAVE };

int jit_translate(struct jit_ctx *x, struct cpu *c, struct block *b)
{
    (void)c;
    if (!nat_ready) nat_init();
    uint32_t n = b->n;
    uint8_t kind[72];
    if (n > 70) return 0;
    /* what each instruction becomes, written once into scratch space */
    uint8_t scratch[256];
    uint32_t natives = 0, runs = 0, end = n;
    chk.record = false;
    for (uint32_t k = 0; k < n; k++) {
        const struct insn *i = &b->insns[k];
        struct jbuf s = { scratch, scratch + sizeof scratch, false };
        struct pending p[MAX_PENDING];
        int np = 0;
        chk.refuse = false;
        if (k == n - 1) {
            kind[k] = emit_control(&s, i, k, p, &np) && !chk.refuse ? K_CONTROL : K_LEAVE;
        } else if (ends_translation(i)) {
            kind[k] = K_LEAVE;
        } else if ((emit_copy(&s, i) || emit_special(&s, i) || emit_sse(&s, i) || emit_x87(&s, i) || emit_mmx(&s, i))
                   && !chk.refuse && !s.full) {
            kind[k] = K_NATIVE;
        } else {
            kind[k] = K_HELPER;
        }
        if (kind[k] == K_LEAVE) { end = k; break; }
        if (kind[k] == K_NATIVE || kind[k] == K_CONTROL) natives++;
        else if (k == 0 || kind[k - 1] != K_HELPER) runs++;
    }
    /* A helper run costs about as much as six instructions gain by running
     * natively (nbody_x87 and nbody_sse2 of the benchmark: at 1 native per
     * run translated code was 40% slower than the interpreter, at 6 even) */
    if (end == 0 || natives == 0 || natives < runs * 6) return 0;

    if ((size_t)(x->code + x->code_size - x->code_ptr) < (jit_checked ? 192u : 64u) * n + 1024) return -1;
    struct jit_block *jb = jit_data_alloc(x, sizeof *jb + (n + 1) * sizeof(uint16_t));
    if (!jb) return -1;
    jb->b = b;
    jb->n = n;
    jb->bounces = 0;
    struct jbuf j = { x->code_ptr, x->code + x->code_size, false };
    struct pending p[MAX_PENDING];
    int np = 0;
    uint8_t *after[72];                 /* where the code after instruction k begins (its slow path's way back) */
    bool x87_resident = false;          /* memcheck: the x87 state is in the host from here on (helper runs keep it) */
    chk.record = true;
    chk.nsite = 0;
    chk.refuse = false;

    /* indirect entry: r10d must be this block's EIP. Flag-free: the
     * difference goes to ecx (kept in r11) and JRCXZ tests it. */
    jb->ientry = j.p;
    mov_rr64(&j, H_T1, H_RCX);
    lea32(&j, H_RCX, H_T0, -(int32_t)b->start);
    e8(&j, 0xe3); e8(&j, 8);            /* jrcxz over the next two */
    mov_rr64(&j, H_RCX, H_T1);
    patch_rel32(jmp_rel32(&j, j.p), x->code);      /* the miss stub */
    mov_rr64(&j, H_RCX, H_T1);
    jb->entry = j.p;
    emit_poll(&j);
    jb->fast = j.p;

    for (uint32_t k = 0; k < n; k++) {
        jb->pc[k] = (uint16_t)(j.p - jb->ientry);
        if (k >= end) continue;
        const struct insn *i = &b->insns[k];
        chk.k = k;
        switch (kind[k]) {
        case K_NATIVE:
            if (jit_checked && !x87_resident && i->map == MAP_1 && (i->op & 0xf8) == 0xd8) {
                if (!emit_x87_resident(x, &j, c, b, k)) return -1;
                x87_resident = true;
            }
            if (!emit_copy(&j, i) && !emit_special(&j, i) && !emit_sse(&j, i) && !emit_x87(&j, i)) emit_mmx(&j, i);
            after[k] = j.p;
            break;
        case K_CONTROL:
            emit_control(&j, i, k, p, &np);
            break;
        case K_HELPER: {
            uint32_t m = k;
            while (m + 1 < end && kind[m + 1] == K_HELPER) m++;
            struct jit_run *run = jit_data_alloc(x, sizeof *run + (m - k + 2) * sizeof(struct insn));
            if (!run) return -1;
            run->b = b;
            run->count = m - k + 1;
            memcpy(run->insns, &b->insns[k], (m - k + 1) * sizeof(struct insn));
            memset(&run->insns[m - k + 1], 0, sizeof(struct insn));
            run->insns[m - k + 1].fn = op_run_end;
            run->insns[m - k + 1].eip = next_eip(&b->insns[m]);
            mov_imm64(&j, H_T1, (uintptr_t)run);
            e8(&j, 0xe8);
            e32(&j, (uint32_t)(x->helper - (j.p + 4)));
            for (uint32_t q = k + 1; q <= m; q++) jb->pc[q] = jb->pc[k];
            k = m;
            break;
        }
        }
    }
    if (end < n && !add_exit(p, &np, JX_RESUME, end, b->insns[end].eip, jmp_rel32(&j, j.p), false)) return 0;
    if (j.p - jb->ientry > UINT16_MAX || chk.refuse) return 0;
    jb->pc[n] = (uint16_t)(j.p - jb->ientry);

    /* memcheck's slow paths: the instruction in the checked interpreter,
     * then on after it (a block's last instruction: the interpreter goes on) */
    for (uint32_t q = 0; q < chk.nsite; q++) {
        uint32_t k = chk.site[q].k;
        if (q == 0 || chk.site[q - 1].k != k) {
            uint8_t *stub = j.p;
            if (kind[k] == K_CONTROL) {
                struct jit_exit *e = jit_data_alloc(x, sizeof *e);
                if (!e) return -1;
                *e = (struct jit_exit){ b, NULL, b->insns[k].eip, JX_RESUME, (uint8_t)k };
                mov_imm64(&j, H_T1, (uintptr_t)e);
                patch_rel32(jmp_rel32(&j, j.p), x->exit);
            } else {
                struct jit_run *run = jit_data_alloc(x, sizeof *run + 2 * sizeof(struct insn));
                if (!run) return -1;
                run->b = b;
                run->count = 1;
                run->insns[0] = b->insns[k];
                memset(&run->insns[1], 0, sizeof(struct insn));
                run->insns[1].fn = op_run_end;
                run->insns[1].eip = next_eip(&b->insns[k]);
                mov_imm64(&j, H_T1, (uintptr_t)run);
                e8(&j, 0xe8);
                e32(&j, (uint32_t)(x->helper - (j.p + 4)));
                patch_rel32(jmp_rel32(&j, j.p), after[k]);
            }
            for (uint32_t r = q; r < chk.nsite && chk.site[r].k == k; r++) patch_rel32(chk.site[r].site, stub);
        }
    }

    /* the exit stubs */
    for (int q = 0; q < np; q++) {
        struct jit_exit *e = jit_data_alloc(x, sizeof *e);
        if (!e) return -1;
        e->kind = p[q].kind;
        e->k = (uint8_t)p[q].k;
        e->eip = p[q].eip;
        e->b = b;
        e->patch = p[q].link ? p[q].site : NULL;
        patch_rel32(p[q].site, j.p);
        mov_imm64(&j, H_T1, (uintptr_t)e);
        patch_rel32(jmp_rel32(&j, j.p), x->exit);
    }
    if (j.full) return -1;
    x->code_ptr = (uint8_t *)(((uintptr_t)j.p + 15) & ~(uintptr_t)15);
    b->jit = jb;
    return 1;
}
