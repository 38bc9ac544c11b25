/* The run loop and the decoded-block cache.
 *
 * Blocks are runs of decoded instructions ending at a control transfer,
 * keyed by their first EIP. Self-modifying code: a page that holds decoded
 * code and is writable for the guest is write-protected on the host; the
 * first write to it faults, ue drops the page's blocks, makes the page
 * writable again and re-runs the writing instruction on its own
 * (smc_single), so code written just ahead of the running instruction is
 * seen. Measured alternative (compare bytes on every block entry) costs on
 * every block; this costs only when code is written.
 *
 * Each guest thread has its own cache, so a thread only ever frees its own
 * blocks. Invalidation drops the calling thread's blocks at once and asks
 * every other thread (through its attention flag) to empty its cache at its
 * next block boundary. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "cpu.h"
#include "sse.h"
#include "../mem/mem.h"
#include "../os/os.h"
#include "../jit/jit.h"

#define BLOCK_MAX_INSNS 64
#define HASH_BITS 16
#define MAX_BLOCKS 250000


__thread struct cpu *cur_cpu;


struct code_cache {
    struct block *hash[1u << HASH_BITS];
    struct block *jc[CPU_JC_SIZE];      /* direct-mapped by EIP: the hash chain's fast path */
    uint32_t count;
    uint32_t epoch;             /* changes whenever blocks are freed: succ links and held block pointers die */
    int flush_pending;          /* set by other threads */
    struct cpu *cpu;
    struct code_cache *next;    /* all caches, under caches_lock */
};
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static struct code_cache *caches;
static int cache_users;         /* threads with a cache */
static __thread struct code_cache *my_cache;
/* Bit per guest page: holds decoded code; ue made it read-only on the host.
 * Any thread reads them (atomically); a bit changes only together with the
 * page's host protection, under prot_lock, so a page is never left
 * read-only with its wprot bit clear (a write to it would look like a guest
 * fault). */
static uint8_t code_pages[1u << 17];
static uint8_t wprot_pages[1u << 17];
/* Counts pages made writable again, so that a write fault can tell a race
 * with another thread's unprotect from a page that stays unwritable. */
static uint32_t unprotect_epoch;
static __thread guest_addr retry_page = 1;   /* 1: no page (pages are aligned) */
static __thread uint32_t retry_epoch;
static pthread_mutex_t prot_lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry after a block's last instruction. When the next block is one
 * that followed this one before, it runs it straight away (a tail call, so
 * the host stack stays flat); otherwise, or when a signal or a code flush
 * waits, it returns to the run loop. */
static void op_block_end(struct cpu *c, const struct insn *i) { (void)i; cpu_chain(c); }

static inline unsigned hash_eip(guest_addr a) { return (a ^ (a >> HASH_BITS)) & ((1u << HASH_BITS) - 1); }
static inline bool bit_get(const uint8_t *bits, uint32_t page)
{
    return __atomic_load_n(&bits[page >> 3], __ATOMIC_ACQUIRE) & (1u << (page & 7));
}
static inline void bit_set(uint8_t *bits, uint32_t page)
{
    __atomic_fetch_or(&bits[page >> 3], (uint8_t)(1u << (page & 7)), __ATOMIC_RELEASE);
}
static inline void bit_clear(uint8_t *bits, uint32_t page)
{
    __atomic_fetch_and(&bits[page >> 3], (uint8_t)~(1u << (page & 7)), __ATOMIC_RELEASE);
}

void cpu_init(struct cpu *c)
{
    memset(c, 0, sizeof *c);
    c->eflags = 0x202;
    c->fpu.cw = 0x37f;
    c->fpu.tw = 0xffff;
    c->mxcsr = 0x1f80;
    c->sreg[SEG_CS] = 0x23;
    c->sreg[SEG_DS] = c->sreg[SEG_ES] = c->sreg[SEG_SS] = 0x2b;
}

void cpu_sync(struct cpu *c)
{
    x87_sync(c);
    sse_mxcsr_sync(c);
}

static void flush_all_blocks(void)
{
    struct code_cache *cc = my_cache;
    __atomic_store_n(&cc->flush_pending, 0, __ATOMIC_SEQ_CST);
    jit_flush(cc->cpu);
    for (unsigned h = 0; h < (1u << HASH_BITS); h++) {
        struct block *b = cc->hash[h];
        while (b) { struct block *n = b->hnext; free(b); b = n; }
        cc->hash[h] = NULL;
    }
    cc->count = 0;
    cc->epoch++;
    memset(cc->jc, 0, sizeof cc->jc);
}

/* Drop this thread's blocks overlapping [lo, hi); other threads empty their
 * caches at their next block boundary. */
static void drop_blocks(guest_addr lo, uint64_t hi)
{
    struct code_cache *cc = my_cache;
    if (cc) {
        cc->epoch++;
        memset(cc->jc, 0, sizeof cc->jc);
        jit_flush(cc->cpu);     /* its code jumps between blocks: all of it goes */
        for (unsigned h = 0; h < (1u << HASH_BITS); h++) {
            struct block **pp = &cc->hash[h];
            while (*pp) {
                struct block *b = *pp;
                if (b->lo < hi && b->hi > lo) { *pp = b->hnext; free(b); cc->count--; }
                else { b->succ[0] = b->succ[1] = NULL; pp = &b->hnext; }
            }
        }
    }
    if (__atomic_load_n(&cache_users, __ATOMIC_SEQ_CST) > 1) {
        pthread_mutex_lock(&caches_lock);
        for (struct code_cache *o = caches; o; o = o->next) {
            if (o == cc) continue;
            __atomic_store_n(&o->flush_pending, 1, __ATOMIC_SEQ_CST);
            cpu_attention(o->cpu);
        }
        pthread_mutex_unlock(&caches_lock);
    }
}

static void cache_attach(struct cpu *c)
{
    struct code_cache *cc = calloc(1, sizeof *cc);
    if (!cc) ue_fatal(70, "out of memory for decoded code");
    cc->cpu = c;
    pthread_mutex_lock(&caches_lock);
    cc->next = caches;
    caches = cc;
    cache_users++;
    pthread_mutex_unlock(&caches_lock);
    my_cache = cc;
    c->loop.jc = cc->jc;
}

void cpu_thread_exit(void)
{
    struct code_cache *cc = my_cache;
    if (!cc) return;
    flush_all_blocks();
    pthread_mutex_lock(&caches_lock);
    for (struct code_cache **pp = &caches; *pp; pp = &(*pp)->next)
        if (*pp == cc) { *pp = cc->next; break; }
    cache_users--;
    jit_thread_exit(cc->cpu);   /* under the lock: no other thread arms its poll page meanwhile */
    pthread_mutex_unlock(&caches_lock);
    my_cache = NULL;
    free(cc);
}

void cpu_after_fork(void)
{
    /* the child has only the forking thread: forget the others' caches */
    caches_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    prot_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;   /* a thread that is gone may have held it */
    if (my_cache) my_cache->next = NULL;
    caches = my_cache;
    cache_users = my_cache ? 1 : 0;
}

/* Drop decoded code overlapping [addr, addr+len), and ue's write protection
 * of its pages. remapped: the mapping there changed, and with it the host
 * protection: a page is made writable again only where the guest may write
 * it (where protect_code took the write away). */
static void invalidate(guest_addr addr, uint32_t len, bool remapped)
{
    if (!len) return;
    uint32_t first = addr >> 12, last = (uint32_t)(((uint64_t)addr + len - 1) >> 12);
    bool any = false, locked = false;
    for (uint32_t p = first; p <= last && p < (1u << 20); p++) {
        if (!bit_get(code_pages, p)) continue;
        if (!locked) { pthread_mutex_lock(&prot_lock); locked = true; }
        if (!bit_get(code_pages, p)) continue;
        any = true;
        bit_clear(code_pages, p);
        if (bit_get(wprot_pages, p)) {
            if (!remapped || mem_guest_writable(p << 12)) gm_protect_page(p << 12, PROT_READ | PROT_WRITE);
            bit_clear(wprot_pages, p);
            __atomic_add_fetch(&unprotect_epoch, 1, __ATOMIC_SEQ_CST);
        }
    }
    if (locked) pthread_mutex_unlock(&prot_lock);
    if (any) drop_blocks((guest_addr)first << 12, ((uint64_t)last + 1) << 12);
}

static void code_invalidate(guest_addr addr, uint32_t len) { invalidate(addr, len, false); }

void code_mem_event(const struct mem_event *e)
{
    switch (e->kind) {
    case MEV_MAP: case MEV_UNMAP: case MEV_PROTECT: case MEV_SHMAT:
        invalidate(e->addr, e->len, true);
        break;
    case MEV_MREMAP:
        invalidate(e->old_addr, e->old_len, true);
        invalidate(e->addr, e->len, true);
        break;
    case MEV_BRK:
        if (e->old_addr > e->addr) invalidate(e->addr, e->old_addr - e->addr, true);
        break;
    case MEV_CONTENTS:   /* the mapping stays: as a write to it */
        code_invalidate(e->addr, e->len);
        break;
    default:
        break;
    }
}

void code_prepare_write(guest_addr addr, uint32_t len)
{
    if (!len) return;
    /* one invalidation over the protected pages' span: each drop scans every block */
    uint32_t first = addr >> 12, last = (uint32_t)(((uint64_t)addr + len - 1) >> 12);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t p = first; p <= last && p < (1u << 20); p++)
        if (bit_get(wprot_pages, p)) { if (lo == UINT32_MAX) lo = p; hi = p; }
    if (lo == UINT32_MAX) return;
    uint64_t span = (uint64_t)(hi - lo + 1) * GUEST_PAGE;
    code_invalidate(lo << 12, span > UINT32_MAX ? UINT32_MAX : (uint32_t)span);
}

/* Called by the fault handler for a host write fault at guest address a.
 * True when the page was write-protected by ue for its decoded code. */
bool code_write_fault(guest_addr a)
{
    if (!bit_get(wprot_pages, a >> 12)) {
        /* another thread may have made the page writable again since this
         * write faulted: then the write is re-run, not a guest fault. A
         * second fault on the page with no page unprotected in between is
         * a real one (the host page is not writable for another reason). */
        pthread_mutex_lock(&prot_lock);
        pthread_mutex_unlock(&prot_lock);
        guest_addr page = a & ~(GUEST_PAGE - 1);
        uint32_t epoch = __atomic_load_n(&unprotect_epoch, __ATOMIC_SEQ_CST);
        if (page == retry_page && epoch == retry_epoch) { retry_page = 1; return false; }
        if (!mem_guest_writable(page)) return false;
        retry_page = page;
        retry_epoch = epoch;
        return true;
    }
    code_invalidate(a & ~(GUEST_PAGE - 1), GUEST_PAGE);
    return true;
}

static void protect_code(guest_addr start, guest_addr end)
{
    for (uint64_t p = start >> 12; p <= (uint64_t)(end - 1) >> 12; p++) {
        if (bit_get(code_pages, p)) continue;
        pthread_mutex_lock(&prot_lock);
        if (!bit_get(code_pages, p)) {
            if (mem_guest_writable(p << 12)) {
                bit_set(wprot_pages, p);     /* before the protection: a write fault finds it */
                gm_protect_page(p << 12, PROT_READ);
            }
            bit_set(code_pages, p);
        }
        pthread_mutex_unlock(&prot_lock);
    }
}

/* End of the executable bytes starting at a: its page and the next one at most. */
static guest_addr exec_limit(guest_addr a)
{
    uint64_t page = a & ~(uint64_t)(GUEST_PAGE - 1);
    if (!mem_ok(page, 1, PROT_EXEC)) return a;
    uint64_t lim = page + GUEST_PAGE;
    if (lim < (1ull << 32) && mem_ok(lim, 1, PROT_EXEC)) lim += GUEST_PAGE;
    return lim >= (1ull << 32) ? 0xffffffffu : (guest_addr)lim;
}

/* Backward liveness of the arithmetic flags over the block (live at its
 * end): an instruction whose flag results are overwritten before anything
 * reads them may skip computing them. */
static void mark_dead_flags(struct insn *insns, uint32_t n)
{
    bool live = true;
    for (uint32_t k = n; k-- > 0;) {
        struct insn *i = &insns[k];
        switch (i->fl << 15) {
        case D_FL_NONE: break;
        case D_FL_WRITE: i->flags_dead = !live; live = false; break;
        case D_FL_PARTIAL: i->flags_dead = !live; break;
        default: live = true; break;
        }
        /* a fault here shows every flag to the signal handler */
        if (!i->nofault) live = true;
    }
}

/* the entry after the one instruction run_single runs */
static void op_single_end(struct cpu *c, const struct insn *i) { (void)c; (void)i; }

static struct block *translate(struct cpu *c, guest_addr eip)
{
    struct insn tmp[BLOCK_MAX_INSNS + 2];
    uint32_t n = 0;
    guest_addr a = eip, limit = exec_limit(eip);
    uint64_t lo = eip, hi = eip + 1;
    int followed = 0;
    bool ended = false;
    if (my_cache->count >= MAX_BLOCKS) flush_all_blocks();
    while (n < BLOCK_MAX_INSNS) {
        if (limit - a < 15) limit = exec_limit(a);
        /* protect before reading: a write racing the decode then faults and flushes us */
        if (limit != a) protect_code(a, limit - a < 15 ? limit : a + 15);
        ended = cpu_variant->decode_one(c, a, limit, &tmp[n]);
        uint64_t next = (uint64_t)a + tmp[n].len;
        if (next > hi) hi = next;
        /* A direct JMP to nearby code does not end the block: decoding goes
         * on at its target and the JMP itself disappears (each instruction
         * carries its own EIP), so loops of small blocks need fewer exits. */
        guest_addr t = tmp[n].imm;
        if (ended && tmp[n].fn == cpu_variant->op_jmp_rel && followed < 4 && t - a + 4096u < 8192u && t != eip) {
            followed++;
            a = t;
            if (a < lo) lo = a;
            limit = exec_limit(a);
            ended = false;
            continue;
        }
        a = (guest_addr)next;
        n++;
        if (ended) break;
    }
    if (!ended) {
        struct insn *g = &tmp[n++];
        memset(g, 0, sizeof *g);
        g->fn = cpu_variant->op_goto;
        g->eip = a;
        g->imm = a;
    }
    mark_dead_flags(tmp, n);
    memset(&tmp[n], 0, sizeof tmp[n]);
    tmp[n].fn = op_block_end;
    tmp[n].eip = a;
    struct block *b = malloc(sizeof *b + (n + 1) * sizeof(struct insn));
    if (!b) ue_fatal(70, "out of memory for decoded code");
    b->start = eip;
    b->lo = (guest_addr)lo;
    b->hi = hi > 0xffffffffu ? 0xffffffffu : (guest_addr)hi;
    b->n = n;
    b->heat = 0;
    b->jit = NULL;
    b->fn0 = NULL;
    b->succ[0] = b->succ[1] = NULL;
    memcpy(b->insns, tmp, (n + 1) * sizeof(struct insn));
    protect_code(b->lo, b->hi);
    unsigned h = hash_eip(eip);
    b->hnext = my_cache->hash[h];
    my_cache->hash[h] = b;
    my_cache->count++;
    return b;
}

static inline struct block *lookup(struct code_cache *cc, guest_addr eip)
{
    struct block *b = cc->jc[eip & (CPU_JC_SIZE - 1)];
    if (likely(b && b->start == eip)) return b;
    unsigned h = hash_eip(eip);
    struct block **pp = &cc->hash[h];
    for (; (b = *pp); pp = &b->hnext) {
        if (b->start == eip) {
            if (pp != &cc->hash[h]) { *pp = b->hnext; b->hnext = cc->hash[h]; cc->hash[h] = b; }
            cc->jc[eip & (CPU_JC_SIZE - 1)] = b;
            return b;
        }
    }
    return NULL;
}

struct block *cpu_block_at(struct cpu *c, guest_addr eip)
{
    struct block *b = lookup(my_cache, eip);
    return b ? b : translate(c, eip);
}

/* MOVS, CMPS, STOS, LODS, SCAS */
static bool string_insn(const struct insn *i)
{
    return i->map == MAP_1 && ((i->op >= 0xa4 && i->op <= 0xa7) || (i->op >= 0xaa && i->op <= 0xaf));
}

/* One iteration of a REP string instruction (with single-step, #DB comes
 * after each): the element, the count down by one, EIP left at the
 * instruction while elements remain and REPE/REPNE do not stop. */
static void rep_one(struct cpu *c, struct insn *i)
{
    uint32_t n = i->addr16 ? c->r[ECX] & 0xffff : c->r[ECX];
    c->eip = next_eip(i);
    if (!n) return;
    uint8_t rep = i->rep;
    i->rep = 0;
    i->fn(c, i);
    n--;
    if (i->addr16) c->r[ECX] = (c->r[ECX] & 0xffff0000u) | n;
    else c->r[ECX] = n;
    bool cmp = i->op == 0xa6 || i->op == 0xa7 || i->op == 0xae || i->op == 0xaf;
    bool stop = cmp && !(flags_get(c) & F_ZF) == (rep == REP_F3);
    if (n && !stop) c->eip = i->eip;
}

/* Single-step's #DB after an instruction that began with TF set: not after
 * INT n (the interrupt clears TF; the kernel returns to the next
 * instruction with it set again), nor after MOV SS / POP SS, whose
 * interrupt shadow holds it over the next instruction, which traps. */
static void single_step_trap(struct cpu *c, const struct insn *i)
{
    if (i->map == MAP_1 && (i->op == 0xcd || i->op == 0x17 || (i->op == 0x8e && i->reg == SEG_SS))) return;
    c->loop.cur = NULL;
    cpu_raise_trap(c, SIGTRAP, TRAP_TRACE, c->eip, 1);
}

/* Run one instruction decoded on the spot, not cached and not protecting
 * its page: the instruction that just wrote to its own code page, every
 * instruction while EFLAGS.AC is set (alignment checks), and every
 * instruction while EFLAGS.TF is set (single-step). */
static void run_single(struct cpu *c)
{
    struct insn one[2];
    /* with EFLAGS.AC set every instruction comes here, its accesses checked
     * first; smc_single stays set meanwhile so that a control transfer does
     * not chain into cached (unchecked) blocks */
    bool ac = c->eflags & F_AC, tf = c->eflags & F_TF;
    c->loop.smc_single = ac | tf | !!c->seg_mode;   /* LDT segments: never the cached blocks (cpu.h) */
    guest_addr eip = c->eip, lin = eip + c->segbase[SEG_CS];
    bool ends = cpu_variant->decode_one(c, lin, exec_limit(lin), &one[0]);
    memset(&one[1], 0, sizeof one[1]);
    one[1].fn = op_single_end;
    c->loop.cur = &one[0];
    int seg_trap;   /* a limit comes before alignment */
    if (c->seg_mode & SEGM_DATA && (seg_trap = insn_limit_fault(c, &one[0])))
        cpu_raise_err(c, seg_trap == 12 ? SIGBUS : SIGSEGV, SI_KERNEL, seg_trap, 0);   /* #SS(0), #GP(0) */
    /* a store through CS is #GP before its alignment is looked at (the host's order) */
    if (ac && one[0].fn != cpu_variant->op_cs_store && insn_misaligned(c, &one[0])) {
        if (insn_mf_first(&one[0])) mmx_pending(c, &one[0]);   /* a pending x87 exception (#MF) comes first */
        cpu_raise_trap(c, SIGBUS, BUS_ADRALN, 0, 17);   /* #AC */
    }
    uint32_t regs[8];
    if (c->seg_mode & SEGM_CS) memcpy(regs, c->r, sizeof regs);
    if (tf && one[0].rep && string_insn(&one[0])) rep_one(c, &one[0]);
    else {
        one[0].fn(c, &one[0]);
        if (unlikely(c->seg_mode & SEGM_CS) && ends && c->eip > c->seglimit[SEG_CS]) {
            /* a near transfer past CS's limit: #GP(0) at it, before it changed anything */
            memcpy(c->r, regs, sizeof regs);
            c->loop.cur = &one[0];
            cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);
        }
        if (!ends) c->eip = (eip + one[0].len) & (c->seg_mode & SEGM_CS16 ? 0xffff : 0xffffffff);
    }
    c->loop.smc_single = false;
    if (tf) single_step_trap(c, &one[0]);
    c->loop.cur = NULL;
}

void cpu_leave_at(struct cpu *c, guest_addr eip)
{
    c->eip = eip;
    c->loop.cur = NULL;
    siglongjmp(c->loop.fault_jmp, 1);
}

void cpu_run(struct cpu *c)
{
    cur_cpu = c;
    if (!my_cache) cache_attach(c);
    c->loop.in_loop = true;
    sigsetjmp(c->loop.fault_jmp, 1);   /* faults come back here with c->eip set */
    struct code_cache *cc = my_cache;
    struct block *prev = NULL;     /* the block that ran last, while cc->epoch == prev_epoch */
    uint32_t prev_epoch = 0;
    c->loop.stack_floor = (uintptr_t)__builtin_frame_address(0) - (64u << 10);
    for (;;) {
        if (unlikely(c->loop.attention)) {
            os_attention(c);
            if (__atomic_load_n(&cc->flush_pending, __ATOMIC_SEQ_CST)) flush_all_blocks();
        }
        /* self-modifying code, alignment checks while EFLAGS.AC is set, or
         * single-step while EFLAGS.TF is set, LDT segments (cpu.h seg_mode):
         * one instruction at a time */
        if (unlikely(c->loop.smc_single | !!(c->eflags & (F_AC | F_TF)) | c->seg_mode)) { run_single(c); prev = NULL; continue; }
        /* chaining: most blocks go on to one of the last two blocks that followed them */
        struct block *b;
        guest_addr eip = c->eip;
        if (prev && prev_epoch == cc->epoch && prev->succ[0] && prev->succ[0]->start == eip) {
            b = prev->succ[0];
        } else if (prev && prev_epoch == cc->epoch && prev->succ[1] && prev->succ[1]->start == eip) {
            b = prev->succ[1];
            prev->succ[1] = prev->succ[0];
            prev->succ[0] = b;
        } else {
            b = cpu_block_at(c, eip);
            if (prev && prev_epoch == cc->epoch) { prev->succ[1] = prev->succ[0]; prev->succ[0] = b; }
        }
        if (unlikely(++b->heat == jit_threshold)) jit_compile(c, b);
        uint32_t epoch = cc->epoch;
        c->loop.blk = b;
        const struct insn *i = b->insns;
        for (;;) {
            c->loop.cur = i;
            i->fn(c, i);             /* runs on through threaded handlers, and chained blocks */
            if (cc->epoch != epoch) break;   /* blocks were freed (a syscall unmapped code) */
            b = c->loop.blk;
            i = c->loop.cur + 1;
            if (i >= b->insns + b->n) break;  /* back from the block's end */
        }
        prev = cc->epoch == epoch ? c->loop.blk : NULL;
        prev_epoch = cc->epoch;
    }
}
