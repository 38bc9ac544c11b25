/* The code generator's runtime: per-thread code caches, the entry and exit
 * stubs, block linking, flushes, and fault mapping (doc/jit.md). The
 * translation of instructions is translate.c's.
 *
 * Each guest thread has its own code cache, as it has its own decoded
 * blocks (exec.c): a thread only ever runs and frees its own code, and an
 * invalidation elsewhere reaches it through its attention flag, as for the
 * decoded blocks. A cache is two mappings: host code (read, write and
 * execute) and the records the code points at (exits, helper runs, block
 * maps). When either is full, all of the thread's translations go. */
#include <asm/prctl.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "jit.h"
#include "jit_int.h"
#include "../mem/mem.h"
#include "../check/check.h"
#include "../cpu/simd_fp_host.h"
#include "../cpu/x87.h"

int jit_mode = JIT_ON;
bool jit_checked;
size_t jit_cache_size = 32u << 20;
uint32_t jit_threshold = UINT32_MAX;

/* UE_JIT_STATS: what translated code did, printed at exit (a tuning aid;
 * counted without atomics, so approximate with threads) */
static struct {
    uint64_t enters, links, indirect, resumes, interp, helper_runs, blocks, refused, flushes, unjit;
    uint64_t helper_op[4][256];
} st;
static bool stats_on;

/* The indirect-jump table: 65536 entries by the target EIP's low 16 bits
 * (256 KiB a thread), each the code offset of a block's indirect entry,
 * which checks that the target is its EIP. (An entry for every EIP needs no
 * check but costs 4 bytes of memory for each byte of guest code that holds
 * targets: 55 MiB more than qemu-i386 on the cc1 row; the check costs about
 * 10% on the interp row.) */
#define JTAB_ENTRIES 65536u
#define JTAB_BYTES (JTAB_ENTRIES * 4ull)
#define JT_LOG_MAX 4096u        /* entries remembered for a flush; beyond, the table is cleared whole */
#define STUB_ROOM 512           /* the shared stubs at the start of the code */

#ifdef __x86_64__

void jit_init(bool checked)
{
    jit_checked = checked;
    const char *env = getenv("UE_JIT");
    if (jit_mode == JIT_OFF) ;   /* --no-jit */
    else if (env && (!strcmp(env, "off") || !strcmp(env, "0"))) jit_mode = JIT_OFF;
    else if (env && !strcmp(env, "all")) jit_mode = JIT_ALL;
    else if (env && (!strcmp(env, "on") || !strcmp(env, "1"))) jit_mode = JIT_ON;
    jit_threshold = jit_mode == JIT_OFF ? UINT32_MAX : jit_mode == JIT_ALL ? 1 : JIT_HOT;
    const char *hot = getenv("UE_JIT_HOT");   /* a tuning aid: runs before a block is translated */
    if (jit_mode == JIT_ON && hot && atoi(hot) > 0) jit_threshold = (uint32_t)atoi(hot);
    stats_on = getenv("UE_JIT_STATS") != NULL;
}

void jit_stats_print(void)
{
    if (!stats_on) return;
    fprintf(stderr, "ue jit: %llu blocks translated, %llu refused, %llu flushes; %llu entries from the interpreter, "
            "%llu links made, %llu indirect misses, %llu hand-backs mid-block, %llu to untranslated blocks, "
            "%llu helper runs, %llu blocks left to the interpreter\n", (unsigned long long)st.blocks, (unsigned long long)st.refused,
            (unsigned long long)st.flushes, (unsigned long long)st.enters, (unsigned long long)st.links,
            (unsigned long long)st.indirect, (unsigned long long)st.resumes, (unsigned long long)st.interp,
            (unsigned long long)st.helper_runs, (unsigned long long)st.unjit);
    struct jit_ctx *x = cur_cpu ? cur_cpu->loop.jit : NULL;
    if (x)
        fprintf(stderr, "ue jit: this thread's cache: %zu KiB of code, %zu KiB of records\n",
                (size_t)(x->code_ptr - x->code) >> 10, (size_t)(x->data_ptr - x->data) >> 10);
    static const char *maps[4] = { "", "0f ", "0f38 ", "0f3a " };
    for (int n = 0; n < 12; n++) {
        uint64_t best = 0;
        int bm = 0, bo = 0;
        for (int m = 0; m < 4; m++)
            for (int o = 0; o < 256; o++)
                if (st.helper_op[m][o] > best) { best = st.helper_op[m][o]; bm = m; bo = o; }
        if (!best) break;
        fprintf(stderr, "ue jit:   helper %s%02x: %llu\n", maps[bm], bo, (unsigned long long)best);
        st.helper_op[bm][bo] = 0;
    }
}

/* ---- the shared stubs ----
 * enter(cpu, code, flags): saves the host's callee-saved registers, loads
 * the guest's registers and arithmetic flags, jumps to code. Translated code
 * runs with the host stack 16-byte aligned.
 * exit (jumped to with r11 = the struct jit_exit): stores the guest's
 * registers, returns the host flags to enter's caller.
 * helper (called with r11 = a struct jit_run): stores the guest's registers
 * and flags, runs the instructions in the interpreter, loads them back.
 * miss (offset 0, where every empty dispatch-table entry points): an
 * indirect jump whose target has no code yet: exit with c->eip = r10d. */
static void store_guest_regs(struct jbuf *j)
{
    for (int g = 0; g < 8; g++) mov_store32(j, H_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * g), host_of_guest[g]);
}
static void load_guest_regs(struct jbuf *j)
{
    for (int g = 0; g < 8; g++) mov_load32(j, host_of_guest[g], H_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * g));
}

static void emit_stubs(struct jit_ctx *x)
{
    struct jbuf j = { x->code, x->code + STUB_ROOM, false };
    /* miss */
    mov_store32(&j, H_CPU, offsetof(struct cpu, eip), H_T0);
    mov_imm64(&j, H_T1, (uintptr_t)&x->miss_exit);
    uint8_t *miss_jmp = j.p;
    e8(&j, 0xe9); e32(&j, 0);
    /* poll: where a poll that faulted goes on (jit_poll_fault) */
    x->poll_stub = j.p;
    mov_imm64(&j, H_T1, (uintptr_t)&x->poll_exit);
    uint8_t *poll_jmp = j.p;
    e8(&j, 0xe9); e32(&j, 0);
    /* exit */
    x->exit = j.p;
    patch_rel32(miss_jmp + 1, x->exit);
    patch_rel32(poll_jmp + 1, x->exit);
    mov_store64(&j, H_CPU, offsetof(struct cpu, loop.jit_exit), H_T1);
    store_guest_regs(&j);
    e8(&j, 0x9c);                       /* pushfq */
    pop_r(&j, H_RAX);
    e8(&j, 0x48); e8(&j, 0x83); e8(&j, 0xc4); e8(&j, 8);   /* add rsp, 8 */
    pop_r(&j, H_R15); pop_r(&j, H_R14); pop_r(&j, H_R13); pop_r(&j, H_R12); pop_r(&j, H_RBX); pop_r(&j, H_RBP);
    e8(&j, 0xc3);
    /* enter */
    x->enter = (jit_enter_fn)(void *)j.p;
    push_r(&j, H_RBP); push_r(&j, H_RBX); push_r(&j, H_R12); push_r(&j, H_R13); push_r(&j, H_R14); push_r(&j, H_R15);
    e8(&j, 0x48); e8(&j, 0x83); e8(&j, 0xec); e8(&j, 8);   /* sub rsp, 8 */
    mov_rr64(&j, H_CPU, H_RDI);
    mov_imm64(&j, H_CODE, (uintptr_t)x->code);
    mov_imm64(&j, H_JTAB, (uintptr_t)x->jtab);
    if (jit_checked) mov_imm64(&j, H_SHADOW, (uintptr_t)chk_shadow);
    push_r(&j, H_RDX);
    e8(&j, 0x9d);                       /* popfq */
    mov_rr64(&j, H_T1, H_RSI);
    load_guest_regs(&j);
    jmp_r(&j, H_T1);
    /* helper */
    x->helper = j.p;
    store_guest_regs(&j);
    e8(&j, 0x9c);
    pop_r(&j, H_RDX);
    mov_rr64(&j, H_RDI, H_CPU);
    mov_rr64(&j, H_RSI, H_T1);
    e8(&j, 0x48); e8(&j, 0x83); e8(&j, 0xec); e8(&j, 8);
    mov_imm64(&j, H_RAX, (uintptr_t)jit_run_helper);
    call_r(&j, H_RAX);
    e8(&j, 0x48); e8(&j, 0x83); e8(&j, 0xc4); e8(&j, 8);
    push_r(&j, H_RAX);
    e8(&j, 0x9d);
    load_guest_regs(&j);
    if (jit_checked) mov_imm64(&j, H_SHADOW, (uintptr_t)chk_shadow);
    e8(&j, 0xc3);
    /* x87_res (memcheck): called with r11 = a jit_exit; the checked CPU
     * keeps the x87 state in memory, translated x87 code needs it in the
     * host FPU: x87_host_ready(c), then back, or (an exception unmasked)
     * out through r11's exit. Guest registers and flags kept. */
    x->x87_res = j.p;
    e8(&j, 0x9c);                       /* pushfq */
    push_r(&j, H_RAX); push_r(&j, H_RCX); push_r(&j, H_RDX); push_r(&j, H_RSI); push_r(&j, H_RDI);
    push_r(&j, H_R8); push_r(&j, H_R9); push_r(&j, H_T1);   /* with the return address: 80 bytes, aligned */
    mov_rr64(&j, H_RDI, H_CPU);
    mov_imm64(&j, H_RAX, (uintptr_t)x87_host_ready);
    call_r(&j, H_RAX);
    e8(&j, 0x44); e8(&j, 0x0f); e8(&j, 0xb6); e8(&j, 0xd0);   /* movzx r10d, al */
    pop_r(&j, H_T1); pop_r(&j, H_R9); pop_r(&j, H_R8);
    pop_r(&j, H_RDI); pop_r(&j, H_RSI); pop_r(&j, H_RDX); pop_r(&j, H_RCX); pop_r(&j, H_RAX);
    e8(&j, 0x9d);                       /* popfq */
    mov_rr64(&j, H_R9, H_RCX);
    op_rr(&j, false, 0x89, H_T0, H_RCX);   /* mov ecx, r10d */
    e8(&j, 0xe3); e8(&j, 4);            /* jrcxz: may not */
    mov_rr64(&j, H_RCX, H_R9);
    e8(&j, 0xc3);
    mov_rr64(&j, H_RCX, H_R9);
    e8(&j, 0x48); e8(&j, 0x8d); e8(&j, 0x64); e8(&j, 0x24); e8(&j, 0x08);   /* lea rsp, [rsp + 8]: the call's return address */
    patch_rel32(jmp_rel32(&j, j.p), x->exit);
    if (j.full) ue_fatal(70, "internal: the JIT's stubs do not fit");
}

/* Runs a helper run's instructions in the interpreter (called by the helper
 * stub with the host flags); returns the arithmetic flags to go on with. */
uint64_t jit_run_helper(struct cpu *c, const struct jit_run *run, uint64_t hostflags)
{
    c->eflags = (c->eflags & ~F_ARITH) | ((uint32_t)hostflags & F_ARITH);
    c->lf_op = LF_NONE;
    c->loop.blk = run->b;
    bool resident = x87_owner == c;
    if (jit_checked && resident) x87_sync(c);   /* the checked CPU's handlers read it in memory */
    /* threaded handlers run on to the returning entry; one that returns
     * (as a block's last may) hands back here, and the run goes on after it */
    const struct insn *i = run->insns, *end = run->insns + run->count;
    st.helper_runs++;
    if (unlikely(stats_on))
        for (const struct insn *k = i; k < end; k++) st.helper_op[k->map][k->op]++;
    while (i < end) {
        c->loop.cur = i;
        i->fn(c, i);
        i = c->loop.cur + 1;
    }
    /* an instruction that took the x87 state out of the host (MMX...):
     * translated x87 code needs it back (its masks cannot have changed);
     * under memcheck the checked handlers had it in memory (above) */
    if (unlikely(x87_owner != c) && (!jit_checked || resident)) x87_host_ready(c);
    return (flags_get(c) & F_ARITH) | 2;
}

static void ctx_free(struct jit_ctx *x)
{
    if (x->poll && x->poll != MAP_FAILED) munmap(x->poll, POLL_SIZE + x->code_size);
    if (x->data && x->data != MAP_FAILED) munmap(x->data, x->data_size);
    if (x->jtab && x->jtab != MAP_FAILED) munmap(x->jtab, JTAB_BYTES);
    free(x->jt_log);
    free(x->blocks);
    free(x);
}

/* the table's entry for eip = the block's indirect entry (remembered, to
 * be emptied by a flush) */
static void jtab_set(struct jit_ctx *x, guest_addr eip, const uint8_t *ientry)
{
    uint32_t k = eip & (JTAB_ENTRIES - 1);
    if (!x->jtab[k]) {
        if (x->jt_n < JT_LOG_MAX) x->jt_log[x->jt_n] = k;
        x->jt_n++;
    }
    x->jtab[k] = (uint32_t)(ientry - x->code);
}

static struct jit_ctx *ctx_new(struct cpu *c)
{
    struct jit_ctx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->code_size = jit_cache_size;
    x->data_size = jit_cache_size;
    x->poll = mmap(NULL, POLL_SIZE + x->code_size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    x->code = x->poll == MAP_FAILED ? MAP_FAILED : x->poll + POLL_SIZE;
    x->data = mmap(NULL, x->data_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    x->jtab = mmap(NULL, JTAB_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    x->jt_log = malloc(JT_LOG_MAX * sizeof *x->jt_log);
    if (x->code == MAP_FAILED || x->data == MAP_FAILED || x->jtab == MAP_FAILED || !x->jt_log) {
        ctx_free(x);
        return NULL;
    }
    x->miss_exit.kind = JX_INDIRECT;
    emit_stubs(x);
    x->code_ptr = x->code + STUB_ROOM;
    x->data_ptr = x->data;
    /* guest memory is reached as gs:[32-bit address]: the window's base in GS */
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)g2h(0)) != 0
        || mprotect(x->poll, POLL_SIZE, PROT_READ) != 0) {
        ctx_free(x);
        return NULL;
    }
    c->loop.jit = x;
    if (c->loop.attention) jit_poll_arm(c, true);   /* asked before the page existed */
    return x;
}

static struct jit_block *block_of_pc(struct jit_ctx *x, const uint8_t *pc)
{
    uint32_t lo = 0, hi = x->nblocks;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (x->blocks[mid]->ientry <= pc) lo = mid + 1;
        else hi = mid;
    }
    if (!lo) return NULL;
    struct jit_block *jb = x->blocks[lo - 1];
    return pc < jb->ientry + jb->pc[jb->n] ? jb : NULL;
}

void jit_poll_arm(struct cpu *c, bool arm)
{
    struct jit_ctx *x = c->loop.jit;
    if (x) mprotect(x->poll, POLL_SIZE, arm ? PROT_NONE : PROT_READ);
}

bool jit_poll_fault(struct cpu *c, const void *addr, void *ucv)
{
    struct jit_ctx *x = c->loop.jit;
    if (!x || (const uint8_t *)addr < x->poll || (const uint8_t *)addr >= x->poll + POLL_SIZE) return false;
    ucontext_t *uc = ucv;
    struct jit_block *jb = block_of_pc(x, (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP]);
    if (!jb) return false;
    if (!c->loop.attention) {   /* armed by a race with os_attention: nothing waits */
        jit_poll_arm(c, false);
        return true;
    }
    x->poll_exit = (struct jit_exit){ jb->b, NULL, jb->b->start, JX_GOTO, 0 };
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)x->poll_stub;
    return true;
}

void jit_flush(struct cpu *c)
{
    struct jit_ctx *x = c->loop.jit;
    if (!x) return;
    for (uint32_t k = 0; k < x->nblocks; k++) {
        struct block *b = x->blocks[k]->b;
        b->insns[0].fn = b->fn0;
        b->jit = NULL;
        b->heat = 0;
    }
    x->nblocks = 0;
    if (x->code_ptr != x->code + STUB_ROOM || x->data_ptr != x->data) {
        if (x->jt_n > JT_LOG_MAX) memset(x->jtab, 0, JTAB_BYTES);
        else for (uint32_t k = 0; k < x->jt_n; k++) x->jtab[x->jt_log[k]] = 0;
        x->jt_n = 0;
        x->code_ptr = x->code + STUB_ROOM;
        x->data_ptr = x->data;
    }
    x->gen++;
    st.flushes++;
}

void jit_thread_exit(struct cpu *c)
{
    struct jit_ctx *x = c->loop.jit;
    if (!x) return;
    jit_flush(c);
    c->loop.jit = NULL;          /* before the free: a signal handler may arm the poll page */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    ctx_free(x);
}

void *jit_data_alloc(struct jit_ctx *x, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(x->data + x->data_size - x->data_ptr) < n) return NULL;
    void *p = x->data_ptr;
    x->data_ptr += n;
    return p;
}

/* The JIT's entry, in place of a translated block's first handler: runs
 * translated code, following links and indirect jumps between translated
 * blocks, and hands back to the interpreter where translation stops. */
static void op_jit_enter(struct cpu *c, const struct insn *i)
{
    struct block *b = c->loop.blk;
    struct jit_ctx *x = c->loop.jit;
    /* translated code takes the data segments as flat, DF clear, SSE
     * alignment checked (MXCSR.MM clear) and SSE exceptions masked (the
     * guest's MXCSR stays in the host), and does not trace */
    if (unlikely((c->eflags & (F_TF | F_AC | F_DF)) | (c->mxcsr & MX_MM) | !MX_RESIDENT(c->mxcsr)
                 | c->segbase[SEG_DS] | c->segbase[SEG_ES] | c->segbase[SEG_SS] | c->segbase[SEG_CS])) {
        b->fn0(c, i);
        return;
    }
    if (unlikely(c->mxcsr != fpb_mx_host)) { fpb_begin(c); fpb_end(c); }   /* the guest's MXCSR in the host */
    /* an x87 exception unmasked: the interpreter's memory path (the checked
     * CPU has no resident x87, and translates no x87 instruction) */
    if (unlikely(!jit_checked && !x87_host_ready(c))) {
        b->fn0(c, i);
        return;
    }
    const uint8_t *code = b->jit->entry;
    st.enters++;
    for (;;) {
        uint64_t hf = x->enter(c, code, (flags_get(c) & F_ARITH) | 2);
        if (jit_checked && x87_owner == c) x87_sync(c);   /* translated x87 code left it in the host */
        c->eflags = (c->eflags & ~F_ARITH) | ((uint32_t)hf & F_ARITH);
        c->lf_op = LF_NONE;
        const struct jit_exit *e = c->loop.jit_exit;
        if (e->kind == JX_RESUME) {
            st.resumes++;
            /* the rest of the block is the interpreter's */
            const struct insn *n = &e->b->insns[e->k];
            c->loop.blk = e->b;
            c->loop.cur = n;
            /* the first instruction (memcheck's slow path of a block's
             * only one, or its x87 state refused) has this entry in its place */
            if (n->fn == op_jit_enter) e->b->fn0(c, n);
            else n->fn(c, n);
            return;
        }
        guest_addr eip = e->kind == JX_GOTO ? e->eip : c->eip;
        struct block *eb = e->b ? e->b : b;
        c->eip = eip;
        c->loop.blk = eb;
        c->loop.cur = &eb->insns[eb->n - 1];   /* the block is done */
        if (c->loop.attention | c->loop.smc_single) return;
        uint32_t gen = x->gen;
        struct block *nb = cpu_block_at(c, eip);
        if (x->gen != gen) return;   /* the cache was emptied meanwhile */
        if (!nb->jit && ++nb->heat == jit_threshold) jit_compile(c, nb);
        if (x->gen != gen) return;
        if (!nb->jit) {
            st.interp++;
            /* A translated block that keeps leaving for blocks the
             * translator refused (x87 or SIMD code between integer
             * blocks) pays two transitions each time for little: the
             * interpreter enters it interpreted from now on (links from
             * other translated blocks still reach its code). */
            if (nb->heat > jit_threshold && e->b && e->b->jit && ++e->b->jit->bounces == JIT_BOUNCES) {
                e->b->insns[0].fn = e->b->fn0;
                st.unjit++;
            }
            if (unlikely((uintptr_t)__builtin_frame_address(0) < c->loop.stack_floor)) return;
            c->loop.blk = nb;
            c->loop.cur = nb->insns;
            nb->insns[0].fn(c, nb->insns);
            return;
        }
        /* a forward link needs no poll: every cycle of blocks has a link
         * that is not forward, and indirect entries poll */
        if (e->patch) { patch_rel32(e->patch, nb->start > e->b->start ? nb->jit->fast : nb->jit->entry); st.links++; }
        else if (e->kind == JX_INDIRECT) st.indirect++;
        if (!e->patch) jtab_set(x, eip, nb->jit->ientry);
        b = nb;
        code = nb->jit->entry;
    }
}

void jit_compile(struct cpu *c, struct block *b)
{
    if (jit_mode == JIT_OFF || jit_threshold == UINT32_MAX || b->jit) return;
    struct jit_ctx *x = c->loop.jit;
    if (!x && !(x = ctx_new(c))) { jit_mode = JIT_OFF; jit_threshold = UINT32_MAX; return; }
    for (int attempt = 0; attempt < 2; attempt++) {
        if (x->nblocks == x->cap) {
            uint32_t cap = x->cap ? x->cap * 2 : 1024;
            struct jit_block **nb = realloc(x->blocks, cap * sizeof *nb);
            if (!nb) return;
            x->blocks = nb;
            x->cap = cap;
        }
        int r = jit_translate(x, c, b);
        if (r > 0) {
            st.blocks++;
            struct jit_block *jb = b->jit;
            x->blocks[x->nblocks++] = jb;
            b->fn0 = b->insns[0].fn;
            b->insns[0].fn = op_jit_enter;
            jtab_set(x, b->start, jb->ientry);
            return;
        }
        if (r == 0) { st.refused++; return; }   /* not worth it, or not translatable */
        /* out of room: start again empty (this block is still being decoded, not freed) */
        jit_flush(c);
    }
}

bool jit_fault_state(struct cpu *c, void *ucv)
{
    struct jit_ctx *x = c->loop.jit;
    if (!x) return false;
    ucontext_t *uc = ucv;
    const uint8_t *pc = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
    if (pc < x->code + STUB_ROOM || pc >= x->code_ptr) return false;
    struct jit_block *jb = block_of_pc(x, pc);
    if (!jb) return false;
    uint32_t off = (uint32_t)(pc - jb->ientry), k = 0;
    while (k + 1 < jb->n && jb->pc[k + 1] <= off) k++;
    static const int greg[8] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_R12, REG_RBP, REG_RSI, REG_RDI };
    for (int g = 0; g < 8; g++) c->r[g] = (uint32_t)uc->uc_mcontext.gregs[greg[g]];
    /* a string instruction (translate.c: emit_string) holds host pointers;
     * translated code has no other instruction with these opcode bytes */
    const uint8_t *q = pc;
    while (*q == 0x66 || *q == 0xf3 || *q == 0xf2) q++;
    if (*q >= 0xa4 && *q <= 0xaf && *q != 0xa8 && *q != 0xa9) {
        uint8_t op = *q & 0xfe;
        if (op != 0xac) c->r[EDI] = (uint32_t)((uintptr_t)uc->uc_mcontext.gregs[REG_RDI] - (uintptr_t)g2h(0));
        if (op == 0xa4 || op == 0xa6 || op == 0xac)
            c->r[ESI] = (uint32_t)((uintptr_t)uc->uc_mcontext.gregs[REG_RSI] - (uintptr_t)g2h(0));
    }
    c->eflags = (c->eflags & ~F_ARITH) | ((uint32_t)uc->uc_mcontext.gregs[REG_EFL] & F_ARITH);
    c->lf_op = LF_NONE;
    c->loop.blk = jb->b;
    c->loop.cur = &jb->b->insns[k];
    return true;
}

#else   /* not an x86-64 host: the interpreter alone */

void jit_init(bool checked) { (void)checked; jit_mode = JIT_OFF; }
void jit_stats_print(void) {}
void jit_poll_arm(struct cpu *c, bool arm) { (void)c; (void)arm; }
bool jit_poll_fault(struct cpu *c, const void *addr, void *ucv) { (void)c; (void)addr; (void)ucv; return false; }
void jit_flush(struct cpu *c) { (void)c; }
void jit_thread_exit(struct cpu *c) { (void)c; }
void jit_compile(struct cpu *c, struct block *b) { (void)c; (void)b; }
bool jit_fault_state(struct cpu *c, void *ucv) { (void)c; (void)ucv; return false; }

#endif
