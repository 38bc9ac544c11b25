/* The data accesses an instruction makes, for the rare paths that need
 * them: segment limit violations past 4 GiB (the fault path) and EFLAGS.AC
 * alignment checks (the run loop's single-step path while AC is set).
 *
 * Segment limit violations of accesses that run past 4 GiB:
 * With flat 4 GiB segments an access of n bytes at offset o exceeds the
 * limit when o + n > 2^32: #SS through SS, #GP through any other segment
 * (SDM vol.3 5.3), checked per access before paging. ue's loads and stores
 * simply wrap into the guard after the window, and since the top guest page
 * can never be mapped (the compat TASK_SIZE is 0xffffe000) such an access
 * faults in the host at its first byte. Only then, in the fault path, is the
 * faulting access told apart: this file finds which of the instruction's
 * accesses starts at (or contains) the fault address, and its size. */
#include "cpu.h"
#include "vendor.h"

/* The opsize-dependent operand size: 2 or 4 bytes. */
static inline int osz(const struct insn *i) { return i->opsize16 ? 2 : 4; }

/* Size in bytes of the first access the CPU makes to the memory operand
 * (its size from the opcode facts), which is what its limit check covers
 * (0: no access ue knows of). Wide operands are split as the host shows: a
 * far pointer's offset first, an 80-bit value's 8 low bytes, the x87
 * environment and state in operand-size units; FXSAVE/FXRSTOR: AMD probes
 * the area's end first. */
static int first_access(const struct insn *i)
{
    switch (i->mem >> 2) {
    case SZ_FAR: case SZ_2V: case SZ_ENV: case SZ_STATE: return osz(i);
    case SZ_10: return 8;
    case SZ_512: return 0;
    default: return (int)sz_bytes(i->mem >> 2, i->opsize16);
    }
}

/* The instruction's ModRM or moffs memory operand: its offset in its
 * segment and its size; false when it has none ue knows the size of. */
static bool mem_operand(const struct cpu *c, const struct insn *i, uint32_t *off, int *n)
{
    bool moffs = i->map == MAP_1 && i->op >= 0xa0 && i->op <= 0xa3;
    if (moffs) {
        *off = i->disp;
        *n = first_access(i);
        return true;
    }
    if (i->map == MAP_0F && i->op == 0xf7 && i->mod3) {     /* MASKMOVQ/MASKMOVDQU: DS:EDI */
        if (insn_sse_prefix(i) == 0) return false;                  /* MASKMOVQ checks its own, after the x87-to-MMX switch */
        *off = i->addr16 ? c->r[EDI] & 0xffff : c->r[EDI];
        *n = insn_sse_prefix(i) == 1 ? 16 : 8;
        return true;
    }
    if (i->mod3) return false;
    const struct opdesc *d = &cpu_variant->tab[i->map][i->op];
    if (!(d->flags & D_MODRM)) return false;
    if (d->flags & D_GROUP) d = &d->sub[i->reg];
    if (!(d->flags & D_SSE) ? !d->fn[0] && !d->fn[1] : !d->fn[insn_sse_prefix(i)]) return false;   /* undefined: #UD comes first */
    *n = first_access(i);
    uint32_t a = c->r[i->base] + (c->r[i->index] << i->scale) + i->disp;
    *off = i->addr16 ? a & 0xffff : a;
    if (i->map == MAP_0F && (i->op & 0xe7) == 0xa3) {     /* BT/BTS/BTR/BTC m, r: the bit offset picks the word */
        int32_t bit = i->opsize16 ? (int16_t)c->r[i->reg] : (int32_t)c->r[i->reg];
        *off += (uint32_t)((bit >> (i->opsize16 ? 4 : 5)) * osz(i));
        *n = osz(i);
    }
    return *n > 0;
}

/* Does the instruction push or pop (SS-relative slots of 2 or 4 bytes)? */
bool insn_uses_stack(const struct insn *i)
{
    int op = i->op;
    if (i->map == MAP_0F) return op == 0xa0 || op == 0xa1 || op == 0xa8 || op == 0xa9;
    if (i->map != MAP_1) return false;
    if (op >= 0x50 && op <= 0x61) return true;
    switch (op) {
    case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17: case 0x1e: case 0x1f: case 0x68: case 0x6a:
    case 0x8f: case 0x9a: case 0x9c: case 0x9d: case 0xc2: case 0xc3: case 0xc8: case 0xc9: case 0xca:
    case 0xcb: case 0xcf: case 0xe8:
        return true;
    case 0xff: return i->reg == 2 || i->reg == 3 || i->reg == 6;
    }
    return false;
}

/* #AC: the access of n bytes at offset off in segment seg is not aligned to
 * its size (16 at most), as CR0.AM with EFLAGS.AC checks at CPL 3. */
static bool misaligned(const struct cpu *c, uint32_t off, int n, int seg)
{
    if ((uint64_t)off + n > (1ull << 32)) return false;   /* past the limit: its #GP/#SS comes first */
    if (n > 16) n = 16;
    return n > 1 && ((off + c->segbase[seg]) & (n - 1));
}

/* The 128-bit memory forms that need no 16-byte alignment: MOVUPS/MOVUPD,
 * MOVDQU, LDDQU, MASKMOVDQU, PCMPxSTRx, and SHA* where the host does not
 * check. The others raise #GP first, in their handler (unless AMD's
 * misaligned SSE mode, MXCSR.MM, lets the arithmetic ones by). */
static bool unaligned_form(const struct cpu *c, const struct insn *i)
{
    int p = insn_sse_prefix(i);
    if (c->mxcsr & 0x20000u) return true;
    if (i->map == MAP_0F3A) return (i->op >= 0x60 && i->op <= 0x63 && p == 1) || (i->op == 0xcc && p == 0 && host_facts.sha_unaligned);
    if (i->map == MAP_0F38) return i->op >= 0xc8 && i->op <= 0xcd && p == 0 && host_facts.sha_unaligned;
    if (i->map != MAP_0F) return false;
    return ((i->op == 0x10 || i->op == 0x11) && p <= 1) || ((i->op == 0x6f || i->op == 0x7f) && p == 2)
        || (i->op == 0xf0 && p == 3) || i->op == 0xf7;
}

bool insn_misaligned(const struct cpu *c, const struct insn *i)
{
    int n;
    uint32_t off;
    if (mem_operand(c, i, &off, &n)) {
        /* MASKMOVDQU's #AC looks at 8-byte alignment (measured on AMD Zen 4:
         * an 8-aligned, 16-misaligned store goes through) */
        if (i->map == MAP_0F && i->op == 0xf7) n = 8;
        if (misaligned(c, off, n, i->seg)) return n < 16 || unaligned_form(c, i);
    }
    if (i->map == MAP_1 && ((i->op >= 0xa4 && i->op <= 0xa7) || (i->op >= 0xaa && i->op <= 0xaf))) {
        n = i->op & 1 ? osz(i) : 1;
        bool src = i->op <= 0xa7 || i->op == 0xac || i->op == 0xad;   /* MOVS, CMPS, LODS read DS:ESI */
        bool dst = i->op != 0xac && i->op != 0xad;                      /* all but LODS use ES:EDI */
        uint32_t si = i->addr16 ? c->r[ESI] & 0xffff : c->r[ESI], di = i->addr16 ? c->r[EDI] & 0xffff : c->r[EDI];
        if (i->rep && !(i->addr16 ? c->r[ECX] & 0xffff : c->r[ECX])) return false;
        return (src && misaligned(c, si, n, i->seg)) || (dst && misaligned(c, di, n, SEG_ES));
    }
    if (insn_uses_stack(i)) {
        n = osz(i);
        /* ENTER checks only its first push here: the display reads below EBP
         * and the final-ESP check are its own, in its order (the host pushes
         * EBP before the #AC of a misaligned display read) */
        return misaligned(c, i->map == MAP_1 && i->op == 0xc9 ? c->r[EBP] : c->r[ESP], n, SEG_SS);
    }
    return false;
}

/* Does the instruction raise a pending unmasked x87 exception (#MF) before
 * the #AC of its misaligned memory operand? The host does for the waiting
 * x87 instructions (not FNSTENV, FNSTCW, FNSAVE, FNSTSW) and for those that
 * name an MMX register (not CVTPI2PS/CVTPI2PD m64, which name none). */
bool insn_mf_first(const struct insn *i)
{
    int op = i->op, p = insn_sse_prefix(i);
    switch (i->map) {
    case MAP_1:
        if (op < 0xd8 || op > 0xdf) return false;
        return !((op == 0xd9 || op == 0xdd) && i->reg >= 6);
    case MAP_0F:
        if (op == 0x2c || op == 0x2d) return p <= 1;        /* CVT(T)PS2PI, CVT(T)PD2PI */
        if (p) return false;
        return (op >= 0x60 && op <= 0x7f && op != 0x77) || op == 0xc4 || op == 0xc5 || op >= 0xd1;
    case MAP_0F38: return p == 0 && op < 0xf0;               /* SSSE3 on MMX registers (not MOVBE) */
    case MAP_0F3A: return p == 0 && op == 0x0f;             /* PALIGNR mm */
    }
    return false;
}

/* An access of n bytes at offset off in segment seg, at linear address
 * off + base: does it hold the fault address, and does it run past 4 GiB? */
static int check(const struct cpu *c, uint64_t ga, uint32_t off, int n, int seg, bool *held)
{
    uint32_t lin = off + c->segbase[seg];
    *held = ga >= lin && ga < (uint64_t)lin + n;
    return *held && (uint64_t)off + n > (1ull << 32) ? seg : -1;
}

int seg_limit_fault(const struct cpu *c, const struct insn *i, uint64_t ga)
{
    bool held;
    int r, n;
    uint32_t off;
    if (!i) return -1;
    if (mem_operand(c, i, &off, &n)) {
        r = check(c, ga, off, n, i->seg, &held);
        if (held) return r;
    }
    if (i->map == MAP_1 && ((i->op >= 0xa4 && i->op <= 0xa7) || (i->op >= 0xaa && i->op <= 0xaf))) {
        n = i->op & 1 ? osz(i) : 1;                            /* string element: ES:EDI, then DS:ESI */
        if (!i->addr16) {
            r = check(c, ga, c->r[EDI], n, SEG_ES, &held);
            if (held) return r;
            r = check(c, ga, c->r[ESI], n, i->seg, &held);
            if (held) return r;
        }
        return -1;
    }
    if (i->map == MAP_1 && i->op == 0xd7) {                      /* XLAT */
        r = check(c, ga, (i->addr16 ? c->r[EBX] & 0xffff : c->r[EBX]) + (c->r[EAX] & 0xff), 1, i->seg, &held);
        return held ? r : -1;
    }
    /* a push or pop slot: ue's stack accesses fault at their first byte,
     * so the slot starts at the fault address and crosses 4 GiB when it
     * starts in its last bytes */
    if (insn_uses_stack(i)) {
        n = osz(i);
        if (ga < (1ull << 32) && ga > (1ull << 32) - n) return SEG_SS;
    }
    return -1;
}

/* ---- segment limits of LDT data segments (cpu.h SEGM_DATA) ----
 * Checked before an instruction runs, for its memory operand (its first
 * access), its first string element and its stack slots; FS and GS limits
 * are not checked (a null FS is every process's), nor later elements of a
 * REP string instruction. */
static bool within(const struct cpu *c, int seg, uint32_t off, uint32_t n)
{
    uint64_t end = (uint64_t)off + n - 1;
    switch (c->seg_kind[seg] & ~SK_READONLY) {
    case SK_FLAT: return true;
    case SK_LIMIT: return end <= c->seglimit[seg];
    case SK_DOWN16: return off > c->seglimit[seg] && end <= 0xffff;
    case SK_DOWN32: return off > c->seglimit[seg] && end <= 0xffffffff;
    default: return false;   /* null: any access is #GP(0) */
    }
}

/* #SS(0) for SS, #GP(0) for DS and ES, 0 where it fits or the limit is not
 * checked; a write to a read-only segment is #GP(0) (SS is always writable) */
static int limit_trap(const struct cpu *c, int seg, uint32_t off, uint32_t n, bool write)
{
    if (seg != SEG_DS && seg != SEG_ES && seg != SEG_SS) return 0;
    if (!within(c, seg, off, n)) return seg == SEG_SS ? 12 : 13;
    return write && (c->seg_kind[seg] & SK_READONLY) ? 13 : 0;
}

/* The bytes an instruction pops at ESP (positive) or pushes below it (negative). */
static int stack_bytes(const struct insn *i)
{
    int n = osz(i), op = i->op;
    if (i->map == MAP_0F) return op == 0xa1 || op == 0xa9 ? n : -n;
    switch (op) {
    case 0x07: case 0x17: case 0x1f: case 0x8f: case 0x9d: case 0xc2: case 0xc3: return n;
    case 0x61: return 8 * n;
    case 0x60: return -8 * n;
    case 0xca: case 0xcb: return 2 * n;
    case 0xcf: return 3 * n;
    case 0x9a: return -2 * n;
    case 0xff: return i->reg == 3 ? -2 * n : -n;
    }
    return op >= 0x58 && op <= 0x5f ? n : -n;
}

int insn_limit_fault(const struct cpu *c, const struct insn *i)
{
    int n, t;
    uint32_t off;
    if (mem_operand(c, i, &off, &n) && (t = limit_trap(c, i->seg, off, n, (i->mem & 3) == MK_STORE || (i->mem & 3) == MK_RMW)))
        return t;
    if (i->map == MAP_1 && ((i->op >= 0xa4 && i->op <= 0xa7) || (i->op >= 0xaa && i->op <= 0xaf))) {
        n = i->op & 1 ? osz(i) : 1;
        bool src = i->op <= 0xa7 || i->op == 0xac || i->op == 0xad;
        bool dst = i->op != 0xac && i->op != 0xad;
        uint32_t si = i->addr16 ? c->r[ESI] & 0xffff : c->r[ESI], di = i->addr16 ? c->r[EDI] & 0xffff : c->r[EDI];
        if (i->rep && !(i->addr16 ? c->r[ECX] & 0xffff : c->r[ECX])) return 0;
        bool store = i->op == 0xa4 || i->op == 0xa5 || i->op == 0xaa || i->op == 0xab;   /* MOVS, STOS */
        if (src && (t = limit_trap(c, i->seg, si, n, false))) return t;
        if (dst && (t = limit_trap(c, SEG_ES, di, n, store))) return t;
        return 0;
    }
    if (i->map == MAP_1 && i->op == 0xc9) return limit_trap(c, SEG_SS, c->r[EBP], osz(i), false);   /* LEAVE */
    if (insn_uses_stack(i) && !(i->map == MAP_1 && i->op == 0xc8)) {                         /* not ENTER */
        int b = stack_bytes(i);
        return b > 0 ? limit_trap(c, SEG_SS, c->r[ESP], b, false) : limit_trap(c, SEG_SS, c->r[ESP] + b, -b, false);
    }
    return 0;
}
