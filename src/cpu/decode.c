/* The decoder: prefixes, opcode maps, ModRM/SIB, displacements and
 * immediates into a struct insn (SDM vol.2 chapter 2). */
#include <signal.h>

#include "cpu.h"
#include "vendor.h"
#include "../mem/mem.h"
#include "x87.h"

struct opdesc optab[256], optab0f[256], optab0f38[256], optab0f3a[256];
struct opdesc optab_vex0f[256], optab_vex0f38[256], optab_vex0f3a[256];

/* Group sub-tables, handed out on first use. */
static struct opdesc group_pool[48][8];
static int group_used;

static struct opdesc *group_of(struct opdesc *tab, int op)
{
    struct opdesc *d = &tab[op];
    if (!d->sub) {
        if (group_used == 48) ue_fatal(70, "internal: too many opcode groups");
        d->sub = group_pool[group_used++];
        d->flags |= D_GROUP | D_MODRM;
    }
    return (struct opdesc *)d->sub;
}

/* The memory operand's facts as struct opdesc keeps them per fn. */
static uint8_t mem_facts(uint32_t flags)
{
    int kind = flags & D_MNONE ? MK_NONE : flags & (D_MRMW | D_LOCK) ? MK_RMW
             : flags & D_MSTORE ? MK_STORE : MK_READ;
    return (uint8_t)(kind | D_SZ_OF(flags) << 2);
}

static void set_entry(struct opdesc *d, op_fn fn32, op_fn fn16, uint32_t flags)
{
    d->fn[0] = fn32;
    d->fn[1] = fn16 ? fn16 : fn32;
    d->flags = flags;
    d->mem[0] = d->mem[1] = mem_facts(flags);
}

void op_set(struct opdesc *tab, int op, op_fn fn32, op_fn fn16, uint32_t flags)
{
    set_entry(&tab[op], fn32, fn16, flags);
}

void op_set_group(struct opdesc *tab, int op, int reg, op_fn fn32, op_fn fn16, uint32_t flags)
{
    set_entry(&group_of(tab, op)[reg], fn32, fn16, flags);
}

void op_set_fast(struct opdesc *tab, int op, int reg, op_fn fast_reg, op_fn fast_mem)
{
    struct opdesc *d = reg < 0 ? &tab[op] : &group_of(tab, op)[reg];
    d->fast_reg = fast_reg;
    d->fast_mem = fast_mem;
}

/* Entry d's flags after slot pfx is filled with flags: the prefix slots
 * share one flag class, so where the others' differs the entry takes the
 * one that holds for all: reading flags when one reads them, else
 * D_FL_PARTIAL (a writer skips its flag work when nobody reads it, the
 * others keep the flags before them live). */
static uint32_t sse_entry_flags(const struct opdesc *d, int pfx, uint32_t flags)
{
    const uint32_t cls = D_FL_NONE | D_FL_WRITE | D_FL_PARTIAL;
    bool others = false;
    for (int k = 0; k < 4; k++) others |= k != pfx && d->fn[k];
    uint32_t a = d->flags & cls, b = flags & cls;
    if (!others || !(d->flags & D_SSE) || a == b) return flags | D_SSE;
    return (flags & ~cls) | (a && b ? D_FL_PARTIAL : 0) | D_SSE;
}

void op_set_sse(struct opdesc *tab, int op, int pfx, op_fn fn, uint32_t flags)
{
    tab[op].flags = sse_entry_flags(&tab[op], pfx, flags);
    tab[op].fn[pfx] = fn;
    tab[op].mem[pfx] = mem_facts(flags);
}

void op_set_group_sse(struct opdesc *tab, int op, int reg, int pfx, op_fn fn, uint32_t flags)
{
    struct opdesc *sub = group_of(tab, op);
    sub[reg].flags = sse_entry_flags(&sub[reg], pfx, flags);
    sub[reg].fn[pfx] = fn;
    sub[reg].mem[pfx] = mem_facts(flags);
}

/* Handlers for bytes that are not an instruction ue runs. */
static void op_illegal(struct cpu *c, const struct insn *i) { cpu_raise_ud(c, i); }
static void op_fetch_fault(struct cpu *c, const struct insn *i)
{
    /* the instruction's bytes run into memory that is not executable */
    const struct region *r = mem_next_region(i->disp);
    bool mapped = r && r->start <= i->disp;
#ifdef UE_CHECKED
    if (i->disp == i->eip) chk_invalid_jump(c, i->eip);   /* control went there */
#endif
    cpu_raise(c, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, i->disp);
}
/* A store through CS (a code segment, not writable): #GP. */
void op_cs_store(struct cpu *c, const struct insn *i) { (void)i; cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0); }
/* An instruction longer than 15 bytes, or running past CS's limit, is a general-protection fault. */
static void op_too_long(struct cpu *c, const struct insn *i) { cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0); }

void op_goto(struct cpu *c, const struct insn *i);
void op_jmp_rel(struct cpu *c, const struct insn *i);
static const struct cpu_variant this_build = {
    decode_one, {optab, optab0f, optab0f38, optab0f3a, optab_vex0f, optab_vex0f38, optab_vex0f3a},
    op_goto, op_jmp_rel, op_cs_store,
};

void decode_init(void)
{
    host_facts_probe();   /* before the handlers that read the facts register */
    /* The files register in this order; a later registration wins. */
    ops_register_system();
    ops_register_alu();
    ops_register_data();
    ops_register_control();
    ops_register_string();
    ops_register_bcd();
    ops_register_x87();
    ops_register_sse();
    cpu_variant = &this_build;
}

/* 16-bit addressing forms (SDM vol.2 table 2-1): base and index registers. */
static const uint8_t rm16_base[8] = {EBX, EBX, EBP, EBP, ESI, EDI, EBP, EBX};
static const uint8_t rm16_index[8] = {ESI, EDI, ESI, EDI, RZERO, RZERO, RZERO, RZERO};

/* eip is the linear address of the bytes; the instruction's EIP is its
 * offset in CS. A 16-bit code segment (SEGM_CS16) flips the default operand
 * and address sizes: 66 and 67 then select 32 bits. SSE forms, chosen by
 * the 66 prefix as a mandatory prefix, see it as in 32-bit code. */
bool decode_one(struct cpu *c, guest_addr eip, guest_addr limit, struct insn *o)
{
    const uint8_t *p = gm_code(eip);
    uint32_t avail = limit - eip;
    uint32_t pos = 0;
    bool code16 = c->seg_mode & SEGM_CS16;
    memset(o, 0, sizeof *o);
    o->eip = eip - c->segbase[SEG_CS];
    o->mem = MK_NONE;   /* no memory operand (until one is decoded) */
#ifdef UE_CHECKED
    uint32_t hook_len;
    chk_op_fn hook = chk_decode_hook(eip, &hook_len);
    if (hook) {   /* the checker's own instruction: it ends the block and sets c->eip (check.h) */
        o->fn = hook;
        o->len = hook_len;
        return true;
    }
#endif
    o->base = o->index = RZERO;
    o->seg = SEG_DS;
    int seg_override = -1;
    if (avail > 15) avail = 15;
    bool cs_cut = false;   /* the bytes end at CS's limit: fetching past it is #GP(0) */
    if (unlikely(c->seg_mode & (SEGM_CS | SEGM_CS16))) {
        int64_t room = (int64_t)c->seglimit[SEG_CS] - o->eip + 1;
        if (room < avail) { avail = room > 0 ? (uint32_t)room : 0; cs_cut = true; }
    }

#define NEED(n) do { if (pos + (n) > avail) goto fetch_fault; } while (0)
#define U8() (p[pos++])
#define U16() (pos += 2, (uint16_t)(p[pos - 2] | p[pos - 1] << 8))
#define U32() (pos += 4, (uint32_t)p[pos - 4] | (uint32_t)p[pos - 3] << 8 | (uint32_t)p[pos - 2] << 16 | (uint32_t)p[pos - 1] << 24)

    uint8_t b;
    for (;;) {
        NEED(1);
        b = U8();
        switch (b) {
        case 0x66: o->opsize16 = 1; continue;
        case 0x67: o->addr16 = 1; continue;
        case 0xF0: o->lock = 1; continue;
        case 0xF2: o->rep = REP_F2; continue;
        case 0xF3: o->rep = REP_F3; continue;
        case 0x26: seg_override = SEG_ES; continue;
        case 0x2E: seg_override = SEG_CS; continue;
        case 0x36: seg_override = SEG_SS; continue;
        case 0x3E: seg_override = SEG_DS; continue;
        case 0x64: seg_override = SEG_FS; continue;
        case 0x65: seg_override = SEG_GS; continue;
        }
        break;
    }
    int map = MAP_1;
    int vex_v = 15;   /* VEX.vvvv as encoded (inverted), all four bits; 15 without VEX */
    bool vex_bad = false;
    if (b == 0x0F) {
        NEED(1);
        b = U8();
        map = MAP_0F;
        if (b == 0x38 || b == 0x3A) {
            map = b == 0x38 ? MAP_0F38 : MAP_0F3A;
            NEED(1);
            b = U8();
        }
    } else if ((b & 0xFE) == 0xC4) {
        /* C4/C5: LES/LDS, or in 32-bit mode a 3-/2-byte VEX prefix when the
         * next byte's top bits (VEX.R and VEX.X, or VEX.R and VEX.vvvv[3],
         * inverted) are 11b: LES/LDS take no register operand (SDM vol.2 2.3.5) */
        NEED(1);
        if (p[pos] >= 0xC0) {
            uint8_t v1 = U8(), v2;   /* v2: W vvvv L pp */
            int mmmmm = 1;
            if (b == 0xC4) {
                NEED(1);
                v2 = U8();
                mmmmm = v1 & 0x1F;   /* VEX.B (bit 5) is ignored in 32-bit mode */
            } else {
                v2 = v1 & 0x7F;      /* map 0F, W0 */
            }
            NEED(1);
            b = U8();
            vex_v = v2 >> 3 & 15;
            o->vvvv = ~vex_v & 7;    /* vvvv[3] is ignored in 32-bit mode where it names a register */
            o->vex = (v2 & 3) | (v2 & 4 ? VEX_L : 0) | (v2 & 0x80 ? VEX_W : 0);
            map = MAP_VEX0F - 1 + mmmmm;
            /* after 66, F2, F3 or LOCK (or REX, which 32-bit mode has not): #UD (SDM vol.2 2.3.2) */
            vex_bad = mmmmm < 1 || mmmmm > 3 || o->opsize16 || o->rep || o->lock;
            if (vex_bad) map = MAP_VEX0F;
        }
    }
    o->op = b;
    o->map = map;
    const struct opdesc *d = &this_build.tab[map][b];
    uint32_t flags = d->flags;
    if (unlikely(code16)) o->addr16 ^= 1;
    if (vex_bad) goto illegal;

    if (flags & D_MODRM) {
        NEED(1);
        uint8_t modrm = U8();
        int mod = modrm >> 6, rm = modrm & 7;
        o->reg = (modrm >> 3) & 7;
        o->rm = rm;
        if (mod == 3) {
            o->mod3 = 1;
        } else if (!o->addr16) {
            if (rm == 4) {
                NEED(1);
                uint8_t sib = U8();
                int base = sib & 7, index = (sib >> 3) & 7;
                o->scale = sib >> 6;
                o->index = index == 4 ? RZERO : index;
                if (base == 5 && mod == 0) { NEED(4); o->disp = U32(); }
                else o->base = base;
                if (base == ESP || (base == EBP && mod != 0)) o->seg = SEG_SS;
            } else if (rm == 5 && mod == 0) {
                NEED(4);
                o->disp = U32();
            } else {
                o->base = rm;
                if (rm == EBP) o->seg = SEG_SS;
            }
            if (mod == 1) { NEED(1); o->disp = (int8_t)U8(); }
            else if (mod == 2) { NEED(4); o->disp = U32(); }
        } else {
            if (mod == 0 && rm == 6) {
                NEED(2);
                o->disp = U16();
            } else {
                o->base = rm16_base[rm];
                o->index = rm16_index[rm];
                if (rm16_base[rm] == EBP) o->seg = SEG_SS;
            }
            if (mod == 1) { NEED(1); o->disp = (int8_t)U8(); }
            else if (mod == 2) { NEED(2); o->disp = U16(); }
        }
    }
    if (seg_override >= 0) o->seg = seg_override;

    if (flags & D_GROUP) {
        d = &d->sub[o->reg];
        /* the sub-entry's flag class replaces the group's */
        flags = (flags & ~(D_GROUP | D_FL_NONE | D_FL_WRITE | D_FL_PARTIAL)) | d->flags;
    }
    if (unlikely(code16) && !(flags & D_SSE) && map < MAP_VEX0F) o->opsize16 ^= 1;
    int slot = flags & D_SSE ? insn_sse_prefix(o) : o->opsize16;
    op_fn fn = d->fn[slot];
    if (!(flags & D_SSE) && !o->opsize16 && (flags & D_MODRM)) {
        if (o->mod3) { if (d->fast_reg) fn = d->fast_reg; }
        else if (d->fast_mem && o->index == RZERO && !o->addr16 && !o->lock) fn = d->fast_mem;
    }
    if (!fn) goto illegal;
    if (o->lock && (o->mod3 || !(flags & D_LOCK))) goto illegal;
    if (!o->mod3 && (flags & (D_MODRM | D_MOFFS))) {
        o->mem = d->mem[slot];
        int kind = o->mem & 3;
        if ((kind == MK_STORE || kind == MK_RMW) && o->seg == SEG_CS) fn = op_cs_store;
    }
    bool x87 = map == MAP_1 && (b & 0xf8) == 0xd8;
    if ((flags & D_MEMONLY) && o->mod3) goto illegal;
    if ((flags & D_REGONLY) && !o->mod3) goto illegal;
    if ((flags & D_VEX_L0) && (o->vex & VEX_L)) goto illegal;
    if ((flags & D_VEX_NOV) && (vex_v | (host_facts.vex_unused_v3_checked ? 0 : 8)) != 15) goto illegal;

    if (flags & D_IMM8) { NEED(1); o->imm = U8(); }
    else if (flags & D_IMM8S) { NEED(1); o->imm = (int8_t)U8(); }
    else if (flags & D_IMM16) { NEED(2); o->imm = U16(); }
    else if (flags & D_IMMZ) {
        if (o->opsize16) { NEED(2); o->imm = U16(); }
        else { NEED(4); o->imm = U32(); }
    } else if (flags & D_MOFFS) {
        if (o->addr16) { NEED(2); o->disp = U16(); }
        else { NEED(4); o->disp = U32(); }
    } else if (flags & D_FAR) {
        if (o->opsize16) { NEED(2); o->imm = U16(); }
        else { NEED(4); o->imm = U32(); }
        NEED(2);
        o->imm2 = U16();
    } else if (flags & D_ENTER) {
        NEED(3);
        o->imm = U16();
        o->imm2 = U8();
    }
    uint32_t rel = 0;
    bool relative = false;
    if (flags & D_REL8) { NEED(1); rel = (int8_t)U8(); relative = true; }
    else if (flags & D_RELZ) {
        relative = true;
        if (o->opsize16) { NEED(2); rel = (int16_t)U16(); }
        else { NEED(4); rel = U32(); }
    }
    o->len = pos;
    if (relative) {
        o->imm = o->eip + pos + rel;
        if (o->opsize16) o->imm &= 0xffff;
    }
    o->fn = x87 && fn != op_cs_store ? x87_handler(o) : fn;   /* x87 binds its handler per form */
    o->fl = (flags & (D_FL_NONE | D_FL_WRITE | D_FL_PARTIAL)) >> 15;
    o->nofault = (flags & D_NOFAULT) && !(flags & (D_SSE | D_END | D_MOFFS))
                 && (o->mod3 || !(flags & D_MODRM)) && !o->lock;
    return flags & D_END;

illegal:
    o->fn = op_illegal;
    o->len = pos;
    return true;

fetch_fault:
    if (limit - eip >= 15 || cs_cut) {
        o->fn = op_too_long;
    } else {
        o->fn = op_fetch_fault;
        o->disp = limit;             /* the first byte ue could not fetch */
    }
    o->len = pos;
    return true;
#undef NEED
#undef U8
#undef U16
#undef U32
}
