/* String instructions: MOVS, CMPS, STOS, LODS, SCAS (8/16/32 bits), with the
 * REP/REPE/REPNE prefixes, and INS/OUTS (which fault in user mode).
 *
 * Source DS:ESI (segment overridable: i->seg), destination ES:EDI (never
 * overridable); 0x67 makes the registers SI, DI and CX. Registers move after
 * each element's memory access, so a fault leaves ESI/EDI/ECX describing the
 * elements still to do and re-running the instruction finishes the job. */
#include <signal.h>

#include "cpu.h"
#include "../mem/mem.h"

/* ---- operands ---- */
static inline uint32_t ld_n(guest_addr a, int n) { return n == 1 ? ld8(a) : n == 2 ? ld16(a) : ld32(a); }
static inline void st_n(guest_addr a, uint32_t v, int n)
{
    if (n == 1) st8(a, (uint8_t)v);
    else if (n == 2) st16(a, (uint16_t)v);
    else st32(a, v);
}
static inline uint32_t mask_n(int n) { return n == 1 ? 0xff : n == 2 ? 0xffff : 0xffffffff; }
static inline int size_idx(int n) { return n == 1 ? 0 : n == 2 ? 1 : 2; }   /* for LF_* + size */
static inline uint32_t acc_get(const struct cpu *c, int n) { return c->r[EAX] & mask_n(n); }
static inline void acc_set(struct cpu *c, int n, uint32_t v)
{
    if (n == 1) set_r8(c, EAX, (uint8_t)v);
    else if (n == 2) set_r16(c, EAX, (uint16_t)v);
    else c->r[EAX] = v;
}

/* ESI, EDI, ECX by address size. */
static inline uint32_t str_reg(const struct cpu *c, const struct insn *i, int r)
{
    return i->addr16 ? c->r[r] & 0xffff : c->r[r];
}
static inline void str_add(struct cpu *c, const struct insn *i, int r, int32_t d)
{
    if (i->addr16) set_r16(c, r, (uint16_t)(c->r[r] + d));
    else c->r[r] += d;
}
static inline guest_addr src_addr(const struct cpu *c, const struct insn *i)
{
    return c->segbase[i->seg] + str_reg(c, i, ESI);
}
static inline guest_addr dst_addr(const struct cpu *c, const struct insn *i)
{
    return c->segbase[SEG_ES] + str_reg(c, i, EDI);
}
static inline int32_t step(const struct cpu *c, int n) { return (c->eflags & F_DF) ? -n : n; }

/* Elements of size n that fit between linear address a and the end of its
 * page in the direction of travel (0 when the element at a straddles pages). */
static inline uint32_t page_elems(guest_addr a, int n, bool down)
{
    uint32_t off = a & (GUEST_PAGE - 1);
    if (off + n > GUEST_PAGE) return 0;
    return down ? off / n + 1 : (GUEST_PAGE - off) / n;
}

/* Long REP loops let a pending signal in between elements, as the hardware
 * interrupts them: every page-sized chunk (or REP_POLL elements) they look
 * at c->loop.attention and, with work left, leave for the run loop with
 * ESI/EDI/ECX as they are and EIP at the instruction, which then resumes. */
#define REP_POLL 4096u
static inline void rep_poll(struct cpu *c, const struct insn *i)
{
    if (unlikely(c->loop.attention) && str_reg(c, i, ECX)) cpu_leave_at(c, i->eip);
}

/* ---- MOVS ---- */

/* REP MOVS with 32-bit addressing: chunks that stay inside one source page
 * and one destination page, so only a chunk's first element can fault, and
 * the registers, updated once per chunk, still describe the work left.
 * Overlaps the element order would show (the byte-replicating dst = src + k
 * idiom) go element by element. */
static void rep_movs_bulk(struct cpu *c, const struct insn *i, int n)
{
    bool down = c->eflags & F_DF;
    while (c->r[ECX]) {
        guest_addr s = c->segbase[i->seg] + c->r[ESI], d = c->segbase[SEG_ES] + c->r[EDI];
        uint32_t k = page_elems(s, n, down), kd = page_elems(d, n, down);
        if (kd < k) k = kd;
        if (c->r[ECX] < k) k = c->r[ECX];
        uint32_t bytes = k * n;
        uint32_t gap = down ? s - d : d - s;   /* how far the writes run ahead of the reads */
        /* the first element goes alone: a fault then reports the address
         * the CPU would, and the rest of both pages is known to be usable */
        st_n(d, ld_n(s, n), n);
        if (k < 2 || (gap != 0 && gap < bytes)) k = 1;
        else gm_copy(down ? d - n : d + n, down ? s - n : s + n, n, k - 1, down);
        int32_t delta = down ? -(int32_t)(k * n) : (int32_t)(k * n);
        c->r[ESI] += delta;
        c->r[EDI] += delta;
        c->r[ECX] -= k;
        rep_poll(c, i);
    }
}

static inline __attribute__((always_inline)) void movs(struct cpu *c, const struct insn *i, int n)
{
    int32_t d = step(c, n);
    if (!i->rep) {
        st_n(dst_addr(c, i), ld_n(src_addr(c, i), n), n);
        str_add(c, i, ESI, d);
        str_add(c, i, EDI, d);
        return;
    }
    if (!i->addr16) {
        rep_movs_bulk(c, i, n);
        return;
    }
    for (uint32_t k = 1; str_reg(c, i, ECX); k++) {
        st_n(dst_addr(c, i), ld_n(src_addr(c, i), n), n);
        str_add(c, i, ESI, d);
        str_add(c, i, EDI, d);
        str_add(c, i, ECX, -1);
        if (!(k % REP_POLL)) rep_poll(c, i);
    }
}

/* ---- STOS ---- */

/* REP STOS with 32-bit addressing: page-bounded chunks, as rep_movs_bulk. */
static void rep_stos_bulk(struct cpu *c, const struct insn *i, int n)
{
    bool down = c->eflags & F_DF;
    uint32_t v = acc_get(c, n);
    while (c->r[ECX]) {
        guest_addr d = c->segbase[SEG_ES] + c->r[EDI];
        uint32_t k = page_elems(d, n, down);
        if (c->r[ECX] < k) k = c->r[ECX];
        st_n(d, v, n);                 /* alone first, as in rep_movs_bulk */
        if (k < 2) k = 1;
        else gm_fill(down ? d - n : d + n, v, n, k - 1, down);
        c->r[EDI] += down ? -(int32_t)(k * n) : (int32_t)(k * n);
        c->r[ECX] -= k;
        rep_poll(c, i);
    }
}

static inline __attribute__((always_inline)) void stos(struct cpu *c, const struct insn *i, int n)
{
    int32_t d = step(c, n);
    if (!i->rep) {
        st_n(dst_addr(c, i), acc_get(c, n), n);
        str_add(c, i, EDI, d);
        return;
    }
    if (!i->addr16) {
        rep_stos_bulk(c, i, n);
        return;
    }
    for (uint32_t k = 1; str_reg(c, i, ECX); k++) {
        st_n(dst_addr(c, i), acc_get(c, n), n);
        str_add(c, i, EDI, d);
        str_add(c, i, ECX, -1);
        if (!(k % REP_POLL)) rep_poll(c, i);
    }
}

/* ---- LODS ---- */
static inline __attribute__((always_inline)) void lods(struct cpu *c, const struct insn *i, int n)
{
    int32_t d = step(c, n);
    if (!i->rep) {
        acc_set(c, n, ld_n(src_addr(c, i), n));
        str_add(c, i, ESI, d);
        return;
    }
    for (uint32_t k = 1; str_reg(c, i, ECX); k++) {
        acc_set(c, n, ld_n(src_addr(c, i), n));
        str_add(c, i, ESI, d);
        str_add(c, i, ECX, -1);
        if (!(k % REP_POLL)) rep_poll(c, i);
    }
}

/* ---- CMPS and SCAS: flags of a - b; REPE stops on a != b, REPNE on a == b ---- */
static inline bool rep_stops(const struct insn *i, uint32_t a, uint32_t b)
{
    return (a == b) != (i->rep == REP_F3);
}

static inline __attribute__((always_inline)) void cmps(struct cpu *c, const struct insn *i, int n)
{
    int32_t d = step(c, n);
    if (!i->rep) {
        uint32_t a = ld_n(src_addr(c, i), n), b = ld_n(dst_addr(c, i), n);
        str_add(c, i, ESI, d);
        str_add(c, i, EDI, d);
        set_lazy(c, LF_SUB + size_idx(n), (a - b) & mask_n(n), a, b);
        return;
    }
    for (uint32_t k = 1; str_reg(c, i, ECX); k++) {
        uint32_t a = ld_n(src_addr(c, i), n), b = ld_n(dst_addr(c, i), n);
        str_add(c, i, ESI, d);
        str_add(c, i, EDI, d);
        str_add(c, i, ECX, -1);
        set_lazy(c, LF_SUB + size_idx(n), (a - b) & mask_n(n), a, b);
        if (rep_stops(i, a, b)) break;
        if (!(k % REP_POLL)) rep_poll(c, i);
    }
}

/* REPNE SCASB upwards with 32-bit addressing (inlined strlen/memchr): memchr
 * over page-bounded chunks. */
static void repne_scasb_bulk(struct cpu *c, const struct insn *i)
{
    uint8_t al = (uint8_t)c->r[EAX];
    while (c->r[ECX]) {
        guest_addr d = c->segbase[SEG_ES] + c->r[EDI];
        uint32_t k = page_elems(d, 1, false);
        if (c->r[ECX] < k) k = c->r[ECX];
        uint8_t last = ld8(d);         /* alone first: a fault reports d, not what the scan reads first */
        uint32_t done = 1;
        if (last != al && k > 1) done += gm_scan8(d + 1, al, k - 1, &last);
        bool found = last == al;
        c->r[EDI] += done;
        c->r[ECX] -= done;
        set_lazy(c, LF_SUB, (uint8_t)(al - last), al, last);
        if (found) return;
        rep_poll(c, i);
    }
}

static inline __attribute__((always_inline)) void scas(struct cpu *c, const struct insn *i, int n)
{
    int32_t d = step(c, n);
    uint32_t a = acc_get(c, n);
    if (!i->rep) {
        uint32_t b = ld_n(dst_addr(c, i), n);
        str_add(c, i, EDI, d);
        set_lazy(c, LF_SUB + size_idx(n), (a - b) & mask_n(n), a, b);
        return;
    }
    if (n == 1 && i->rep == REP_F2 && d > 0 && !i->addr16) {
        repne_scasb_bulk(c, i);
        return;
    }
    for (uint32_t k = 1; str_reg(c, i, ECX); k++) {
        uint32_t b = ld_n(dst_addr(c, i), n);
        str_add(c, i, EDI, d);
        str_add(c, i, ECX, -1);
        set_lazy(c, LF_SUB + size_idx(n), (a - b) & mask_n(n), a, b);
        if (rep_stops(i, a, b)) break;
        if (!(k % REP_POLL)) rep_poll(c, i);
    }
}

/* ---- handlers ---- */
#define STRING_FORMS(name)                                                        \
    HANDLER(op_##name##8) { name(c, i, 1); }  \
    HANDLER(op_##name##16) { name(c, i, 2); } \
    HANDLER(op_##name##32) { name(c, i, 4); }
STRING_FORMS(movs)
STRING_FORMS(cmps)
STRING_FORMS(stos)
STRING_FORMS(lods)
STRING_FORMS(scas)

/* INS/OUTS: port I/O without IOPL is #GP, which Linux reports as SIGSEGV/SI_KERNEL. */
HANDLER(op_ins_outs)
{
    cpu_raise(c, SIGSEGV, SI_KERNEL, 0);
}

void ops_register_string(void)
{
    op_set(optab, 0xA4, op_movs8, NULL, 0);
    op_set(optab, 0xA5, op_movs32, op_movs16, 0);
    op_set(optab, 0xA6, op_cmps8, NULL, 0);
    op_set(optab, 0xA7, op_cmps32, op_cmps16, 0);
    op_set(optab, 0xAA, op_stos8, NULL, 0);
    op_set(optab, 0xAB, op_stos32, op_stos16, 0);
    op_set(optab, 0xAC, op_lods8, NULL, 0);
    op_set(optab, 0xAD, op_lods32, op_lods16, 0);
    op_set(optab, 0xAE, op_scas8, NULL, 0);
    op_set(optab, 0xAF, op_scas32, op_scas16, 0);
    for (int op = 0x6C; op <= 0x6F; op++) op_set(optab, op, op_ins_outs, NULL, 0);
}
