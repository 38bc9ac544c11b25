/* Guest stack capture: unwind with the loaded objects' CFI (rules cached by
 * PC, one libdw question per distinct PC), else the ebp chain; intern the
 * frame list. Runs at every malloc and free of the guest, so the common
 * path takes no lock: both tables are read lock-free and only grow under a
 * mutex. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../check/check.h"
#include "../cpu/cpu.h"
#include "../loader/loader.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "stack.h"
#include "symbols.h"

#define MAX_FRAMES 256
#define EIP_COL 8   /* DWARF's i386 return-address column; 0..7 are ue's EAX..EDI */

static inline uint32_t hash32(uint32_t x)
{
    x ^= x >> 16; x *= 0x7feb352du;
    x ^= x >> 15; x *= 0x846ca68bu;
    return x ^ (x >> 16);
}

/* ---- the rule cache: PC -> unwind rule, open addressing, never shrinks.
 * A slot's pc is stored (release) after its rule, so a reader that sees the
 * pc sees the rule; a forgotten slot keeps its rule and gets the key
 * GONE (no PC is below the first page), so a reader never sees a torn
 * rule. Old tables are left allocated after a resize: readers may still be
 * in them. ---- */
#define GONE 1u
struct rule_slot { _Atomic uint32_t pc; struct unwind_rule r; };
struct rule_table { uint32_t mask, used; struct rule_slot slot[]; };
static _Atomic(struct rule_table *) rules;
static pthread_mutex_t rule_lock = PTHREAD_MUTEX_INITIALIZER;
/* the intern table (below) */
/* a slot: the top 16 bits of the stack's hash, then its record's address
 * (user-space addresses have 47 bits; 0: empty). Probing touches a record
 * only when the tag matches, and a hit costs the slot and the record. */
struct intern_table { uint32_t mask, used; _Atomic uint64_t slot[]; };
static _Atomic(struct intern_table *) interned;
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

static struct rule_table *rule_table_new(uint32_t size)
{
    struct rule_table *t = calloc(1, sizeof *t + size * sizeof t->slot[0]);
    if (t) t->mask = size - 1;
    return t;
}

static void rule_put(struct rule_table *t, guest_addr pc, const struct unwind_rule *r)
{
    uint32_t i = hash32(pc) & t->mask;
    for (;; i = (i + 1) & t->mask) {
        uint32_t k = atomic_load_explicit(&t->slot[i].pc, memory_order_relaxed);
        if (k == pc) return;
        if (!k) break;
    }
    t->slot[i].r = *r;
    atomic_store_explicit(&t->slot[i].pc, pc, memory_order_release);
    t->used++;
}

static void rule_insert(guest_addr pc, const struct unwind_rule *r)
{
    pthread_mutex_lock(&rule_lock);
    struct rule_table *t = atomic_load(&rules), *n = NULL;
    if (!t) n = rule_table_new(256);   /* grows by doubling: a small table stays in cache */
    else if ((t->used + 1) * 2 > t->mask + 1 && (n = rule_table_new((t->mask + 1) * 2)))
        for (uint32_t i = 0; i <= t->mask; i++) {
            uint32_t k = atomic_load_explicit(&t->slot[i].pc, memory_order_relaxed);
            if (k > GONE) rule_put(n, k, &t->slot[i].r);
        }
    if (n) atomic_store_explicit(&rules, t = n, memory_order_release);
    if (t && (t->used + 1) * 2 <= t->mask + 1) rule_put(t, pc, r);
    pthread_mutex_unlock(&rule_lock);
}

void stack_forget_code(guest_addr a, uint32_t len)
{
    pthread_mutex_lock(&rule_lock);
    struct rule_table *t = atomic_load(&rules);
    for (uint32_t i = 0; t && i <= t->mask; i++) {
        uint32_t k = atomic_load_explicit(&t->slot[i].pc, memory_order_relaxed);
        if (k > GONE && k - a < len) atomic_store_explicit(&t->slot[i].pc, GONE, memory_order_release);
    }
    pthread_mutex_unlock(&rule_lock);
}

/* A fork from another guest thread must not leave the child with a lock
 * held: the forking thread takes them all first. */
static void lock_all(void) { pthread_mutex_lock(&intern_lock); pthread_mutex_lock(&rule_lock); }
static void unlock_all(void) { pthread_mutex_unlock(&rule_lock); pthread_mutex_unlock(&intern_lock); }
static void at_fork(void) { pthread_atfork(lock_all, unlock_all, unlock_all); }
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

/* The rule at pc: from the cache, else from libdw (then cached). */
static const struct unwind_rule *rule_for(guest_addr pc, struct unwind_rule *tmp)
{
    static const struct unwind_rule stop = { .kind = UR_STOP };
    if (pc < GUEST_PAGE) return &stop;
    struct rule_table *t = atomic_load_explicit(&rules, memory_order_acquire);
    if (likely(t))
        for (uint32_t i = hash32(pc) & t->mask;; i = (i + 1) & t->mask) {
            uint32_t k = atomic_load_explicit(&t->slot[i].pc, memory_order_acquire);
            if (k == pc) return &t->slot[i].r;
            if (!k) break;
        }
    pthread_once(&fork_once, at_fork);
    sym_unwind_rule(pc, tmp);
    rule_insert(pc, tmp);
    return tmp;
}

/* ---- one frame's registers ---- */
struct uregs { uint32_t r[9]; uint32_t known; /* bit per register */ };

static bool read_word(uint32_t a, uint32_t *v) { return ua_get_u32(a, v) == 0; }

/* A DWARF expression of the CFI (PLT entries' CFA, the odd register rule). */
static bool eval(const struct unwind_expr *e, const struct uregs *u, uint32_t cfa, uint32_t *out)
{
    uint32_t st[16];
    int sp = 0;
#define NEED(k) do { if (sp < (k)) return false; } while (0)
#define PUSH(v) do { if (sp == 16) return false; st[sp++] = (v); } while (0)
    for (int i = 0; i < e->n; i++) {
        const struct unwind_op *o = &e->op[i];
        uint8_t a = o->atom;
        uint32_t x, y;
        if (a >= DW_OP_lit0 && a <= DW_OP_lit31) { PUSH(a - DW_OP_lit0); continue; }
        if ((a >= DW_OP_breg0 && a <= DW_OP_breg0 + 8) || a == DW_OP_bregx) {
            unsigned reg = a == DW_OP_bregx ? (unsigned)o->a : a - DW_OP_breg0;
            if (reg > 8 || !(u->known >> reg & 1)) return false;
            PUSH(u->r[reg] + (uint32_t)(a == DW_OP_bregx ? o->b : o->a));
            continue;
        }
        switch (a) {
        case DW_OP_call_frame_cfa: PUSH(cfa); break;
        case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u: case DW_OP_const2s:
        case DW_OP_const4u: case DW_OP_const4s: case DW_OP_constu: case DW_OP_consts:
            PUSH((uint32_t)o->a); break;
        case DW_OP_plus_uconst: NEED(1); st[sp - 1] += (uint32_t)o->a; break;
        case DW_OP_dup: NEED(1); x = st[sp - 1]; PUSH(x); break;
        case DW_OP_drop: NEED(1); sp--; break;
        case DW_OP_swap: NEED(2); x = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = x; break;
        case DW_OP_deref: NEED(1); if (!read_word(st[sp - 1], &st[sp - 1])) return false; break;
        case DW_OP_plus: case DW_OP_minus: case DW_OP_and: case DW_OP_or: case DW_OP_xor:
        case DW_OP_shl: case DW_OP_shr: case DW_OP_mul:
        case DW_OP_ge: case DW_OP_gt: case DW_OP_le: case DW_OP_lt: case DW_OP_eq: case DW_OP_ne:
            NEED(2);
            y = st[--sp];
            x = st[sp - 1];
            switch (a) {
            case DW_OP_plus: x += y; break;
            case DW_OP_minus: x -= y; break;
            case DW_OP_and: x &= y; break;
            case DW_OP_or: x |= y; break;
            case DW_OP_xor: x ^= y; break;
            case DW_OP_mul: x *= y; break;
            case DW_OP_shl: x = y < 32 ? x << y : 0; break;
            case DW_OP_shr: x = y < 32 ? x >> y : 0; break;
            case DW_OP_ge: x = (int32_t)x >= (int32_t)y; break;
            case DW_OP_gt: x = (int32_t)x > (int32_t)y; break;
            case DW_OP_le: x = (int32_t)x <= (int32_t)y; break;
            case DW_OP_lt: x = (int32_t)x < (int32_t)y; break;
            case DW_OP_eq: x = x == y; break;
            case DW_OP_ne: x = x != y; break;
            }
            st[sp - 1] = x;
            break;
        default:
            return false;
        }
    }
#undef NEED
#undef PUSH
    if (!sp) return false;
    *out = st[sp - 1];
    return true;
}

/* A caller's register by its rule; false when it cannot be known. */
static bool caller_reg(uint8_t rule, int32_t off, const struct unwind_expr *e, const struct uregs *u,
                       int reg, uint32_t cfa, uint32_t *v)
{
    switch (rule) {
    case RR_SAME:
        *v = u->r[reg];
        return u->known >> reg & 1;
    case RR_AT: return read_word(cfa + off, v);
    case RR_VAL: *v = cfa + off; return true;
    case RR_EXPR:
        if (!eval(e, u, cfa, v)) return false;
        return e->value || read_word(*v, v);
    default: return false;
    }
}

/* Unwinds one frame: u becomes the caller's registers (r[EIP_COL] its
 * return address). False at the end of the walk. */
static bool unwind_one(const struct unwind_rule *rl, struct uregs *u)
{
    uint32_t esp = u->r[ESP], ebp = u->r[EBP], cfa, ra, nebp;
    bool ebp_known = u->known >> EBP & 1;
    switch (rl->kind) {
    case UR_CFI:
        if (rl->cfa_reg == 0xff) {
            if (!eval(rl->cfa_expr, u, 0, &cfa)) return false;
        } else {
            if (!(u->known >> rl->cfa_reg & 1)) return false;
            cfa = u->r[rl->cfa_reg] + rl->cfa_off;
        }
        if (rl->ra == RR_SAME || !caller_reg(rl->ra, rl->ra_off, rl->ra_expr, u, EIP_COL, cfa, &ra)) return false;
        ebp_known = caller_reg(rl->ebp, rl->ebp_off, rl->ebp_expr, u, EBP, cfa, &nebp);
        break;
    case UR_ENTRY:
        cfa = esp + 4;
        if (!read_word(esp, &ra)) return false;
        nebp = ebp;
        break;
    case UR_FP:
        /* [ebp] = the caller's ebp, [ebp+4] = the return address */
        if (!ebp_known || (ebp & 3) || ebp < esp || ebp - esp > (256u << 20)) return false;
        if (!read_word(ebp, &nebp) || !read_word(ebp + 4, &ra)) return false;
        cfa = ebp + 8;
        break;
    default:
        return false;
    }
    /* the stack grows down: a caller's frame is above ours */
    if (cfa <= esp || ra < GUEST_PAGE) return false;
    u->r[ESP] = cfa;
    u->r[EBP] = nebp;
    u->r[EIP_COL] = ra;
    u->known = 1u << ESP | 1u << EIP_COL | (ebp_known ? 1u << EBP : 0);
    return true;
}

/* A handler returned into ue's vDSO trampoline (no CFI there): the
 * interrupted registers are in the signal frame's sigcontext, which starts
 * after the handler's return address and signal number (sigframe), or at
 * the ucontext pointed to by puc, + 20 (rt_sigframe) (the i386 kernel's
 * arch/x86/include/asm/sigframe.h and uapi/asm/sigcontext.h). */
static bool from_sigframe(struct uregs *u, bool rt)
{
    static const uint8_t sc_off[8] = { [EAX] = 44, [ECX] = 40, [EDX] = 36, [EBX] = 32,
                                       [ESP] = 28, [EBP] = 24, [ESI] = 20, [EDI] = 16 };
    uint32_t cfa = u->r[ESP], sc = cfa + 4, puc, eip;
    if (rt) {
        if (!read_word(cfa + 8, &puc)) return false;
        sc = puc + 20;
    }
    if (!read_word(sc + 56, &eip)) return false;
    for (int r = 0; r < 8; r++)
        if (!read_word(sc + sc_off[r], &u->r[r])) return false;
    u->r[EIP_COL] = eip;
    u->known = 0x1ff;
    return true;
}

/* ---- interning: frame lists -> ids. Records live in a directory of
 * fixed chunks (never moved) so ids resolve without a lock. ---- */
struct stack_rec { uint32_t hash, n, id; guest_addr pc[]; };
#define SLOT_PTR(k) ((const struct stack_rec *)(uintptr_t)((k) & ((1ull << 48) - 1)))
#define SLOT_TAG(h) ((uint64_t)((h) >> 16) << 48)
#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)
#define DIR_SIZE 65536
static struct stack_rec **_Atomic dir[DIR_SIZE];
static uint32_t n_stacks;   /* written under intern_lock */

static const struct stack_rec *rec_of(stack_id id)
{
    struct stack_rec **chunk = atomic_load_explicit(&dir[(id - 1) >> CHUNK_BITS], memory_order_acquire);
    return chunk ? chunk[(id - 1) & (CHUNK - 1)] : NULL;
}

static stack_id find_in(struct intern_table *t, uint32_t h, const guest_addr *pcs, int n)
{
    for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
        uint64_t k = atomic_load_explicit(&t->slot[i], memory_order_acquire);
        if (!k) return 0;
        if ((k & ~((1ull << 48) - 1)) != SLOT_TAG(h)) continue;
        const struct stack_rec *r = SLOT_PTR(k);
        if (r->hash == h && r->n == (uint32_t)n && !memcmp(r->pc, pcs, n * sizeof *pcs)) return r->id;
    }
}

/* (under intern_lock; the record is complete before its slot is published) */
static void put_in(struct intern_table *t, const struct stack_rec *r)
{
    uint32_t i = r->hash & t->mask;
    while (atomic_load_explicit(&t->slot[i], memory_order_relaxed)) i = (i + 1) & t->mask;
    atomic_store_explicit(&t->slot[i], SLOT_TAG(r->hash) | (uintptr_t)r, memory_order_release);
    t->used++;
}

/* A bump allocator for records (under intern_lock). */
static void *rec_alloc(size_t size)
{
    static char *cur, *end;
    size = (size + 7) & ~(size_t)7;
    if (size > (size_t)(end - cur)) {
        size_t block = size > 65536 ? size : 65536;
        if (!(cur = malloc(block))) { end = NULL; return NULL; }
        end = cur + block;
    }
    void *p = cur;
    cur += size;
    return p;
}

static stack_id intern(const guest_addr *pcs, int n)
{
    uint32_t h = 0x9e3779b9u ^ (uint32_t)n;
    for (int i = 0; i < n; i++) h = hash32(h ^ pcs[i]);
    struct intern_table *t = atomic_load_explicit(&interned, memory_order_acquire);
    stack_id id = t ? find_in(t, h, pcs, n) : 0;
    if (likely(id)) return id;

    pthread_once(&fork_once, at_fork);
    pthread_mutex_lock(&intern_lock);
    t = atomic_load(&interned);
    if (t && (id = find_in(t, h, pcs, n))) goto out;
    if (n_stacks + 1 >= (uint32_t)DIR_SIZE * CHUNK) goto out;
    if (!t || (t->used + 1) * 2 > t->mask + 1) {
        uint32_t size = t ? (t->mask + 1) * 2 : 4096;
        struct intern_table *nt = calloc(1, sizeof *nt + size * sizeof nt->slot[0]);
        if (!nt) goto out;
        nt->mask = size - 1;
        if (t)
            for (uint32_t i = 0; i <= t->mask; i++) {
                uint64_t k = atomic_load_explicit(&t->slot[i], memory_order_relaxed);
                if (k) put_in(nt, SLOT_PTR(k));
            }
        atomic_store_explicit(&interned, t = nt, memory_order_release);
    }
    struct stack_rec *r = rec_alloc(sizeof *r + n * sizeof *pcs);
    uint32_t ci = n_stacks >> CHUNK_BITS;
    struct stack_rec **chunk = atomic_load_explicit(&dir[ci], memory_order_relaxed);
    if (!chunk && (chunk = calloc(CHUNK, sizeof *chunk))) atomic_store_explicit(&dir[ci], chunk, memory_order_release);
    if (!r || !chunk) goto out;
    id = n_stacks + 1;
    r->hash = h;
    r->n = (uint32_t)n;
    r->id = id;
    memcpy(r->pc, pcs, n * sizeof *pcs);
    chunk[n_stacks & (CHUNK - 1)] = r;
    __atomic_store_n(&n_stacks, id, __ATOMIC_RELEASE);
    if (!((uintptr_t)r >> 47)) put_in(t, r);   /* else (never on Linux) not shared: a new id next time */
out:
    pthread_mutex_unlock(&intern_lock);
    return id;
}

/* ---- the interface ---- */

/* The frames: pc, then each caller's return address - 1 (inside its call
 * instruction: what Valgrind prints, and the right line), or the exact pc
 * a signal interrupted. */
static int unwind(struct cpu *c, guest_addr pc, guest_addr *out, int max)
{
    struct uregs u;
    memcpy(u.r, c->r, 8 * sizeof u.r[0]);
    u.r[EIP_COL] = pc;
    u.known = 0x1ff;
    struct unwind_rule tmp;   /* a rule not cached (used before the next one) */
    const struct unwind_rule *rl = rule_for(pc, &tmp);
    int n = 0;
    out[n++] = pc;
    while (n < max && unwind_one(rl, &u)) {
        /* a signal frame's caller was interrupted at that exact pc */
        guest_addr at = u.r[EIP_COL] - !rl->signal;
        if (vdso_base && (u.r[EIP_COL] == vdso_sigreturn || u.r[EIP_COL] == vdso_rt_sigreturn)) {
            if (!from_sigframe(&u, u.r[EIP_COL] == vdso_rt_sigreturn)) break;
            at = u.r[EIP_COL];
        }
        rl = rule_for(at, &tmp);
        if (rl->kind == UR_STOP) break;   /* not code: garbage on the stack */
        out[n++] = at;
    }
    return n;
}

stack_id stack_capture(struct cpu *c, guest_addr pc)
{
    guest_addr pcs[MAX_FRAMES];
    int max = chk_opt.num_callers > 0 ? chk_opt.num_callers : 12;
    if (max > MAX_FRAMES) max = MAX_FRAMES;
    int n = 1;
    pcs[0] = pc;
    if (c) n = unwind(c, pc, pcs, max);
    /* a system call made through __kernel_vsyscall: Valgrind's stacks start
     * at the libc function that made it (it gives x86 guests no vDSO) */
    if (n > 1 && vdso_base && pcs[0] - vdso_base < GUEST_PAGE) return intern(pcs + 1, n - 1);
    return intern(pcs, n);
}

stack_id stack_here(struct cpu *c)
{
    return stack_capture(c, c->loop.cur ? c->loop.cur->eip : c->eip);
}

int stack_frames(stack_id id, const guest_addr **pcs)
{
    const struct stack_rec *r = NULL;
    if (id && id <= __atomic_load_n(&n_stacks, __ATOMIC_ACQUIRE)) r = rec_of(id);
    if (!r) {
        *pcs = NULL;
        return 0;
    }
    *pcs = r->pc;
    return (int)r->n;
}
