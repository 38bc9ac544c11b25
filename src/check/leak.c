/* The leak scan (Valgrind memcheck's classification):
 *  1. roots: every readable guest region except ue's heap arenas and
 *     device mappings (a thread's stack from its ESP up only), and every
 *     thread's registers. A word pointing at a block's start makes it
 *     reachable, into its inside possibly lost; blocks reached are scanned
 *     in turn (a block reached only from possibly-lost ones stays possible).
 *  2. each block still unreached leads a clique: definitely lost, and the
 *     unreached blocks it reaches are indirectly lost, their bytes counted
 *     in the leader's record (ind_bytes).
 * Records group blocks by (kind, allocation stack); report.c prints them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "../os/os.h"

enum { UNREACHED, POSSIBLE, REACHABLE, DEFINITE, INDIRECT };

struct scan {
    const struct heap_block *b;
    size_t n;
    uint8_t *state;
    uint64_t *ind;          /* leaders: indirectly lost bytes */
    size_t *stack, sp, cap; /* blocks to scan */
    guest_addr lo;          /* lowest block start, highest block end */
    uint64_t hi;
    bool oom;
};

static pthread_mutex_t leak_lock = PTHREAD_MUTEX_INITIALIZER;
static struct leak_summary last;
static struct leak_rec *prev_recs;   /* the last scan's records, for only_new */
static size_t n_prev;

/* The block holding address v (its start, or inside), or -1. */
static ssize_t block_of(const struct scan *s, guest_addr v, bool *at_start)
{
    if (v < s->lo || v >= s->hi) return -1;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {   /* last block with start <= v */
        size_t mid = (lo + hi) / 2;
        if (s->b[mid].start <= v) lo = mid + 1; else hi = mid;
    }
    if (!lo) return -1;
    const struct heap_block *b = &s->b[lo - 1];
    *at_start = v == b->start;
    if (v - b->start < b->size || *at_start) return (ssize_t)(lo - 1);
    return -1;
}

static void push(struct scan *s, size_t k)
{
    if (s->sp == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        size_t *n = realloc(s->stack, cap * sizeof *n);
        if (!n) { s->oom = true; return; }
        s->stack = n;
        s->cap = cap;
    }
    s->stack[s->sp++] = k;
}

/* Valgrind's leak-check heuristics (all on, its default): interior
 * pointers that C++ layouts make on purpose count as start pointers. */
static bool heuristic_start(const struct heap_block *b, guest_addr v)
{
    uint32_t w[3];
    uint32_t off = v - b->start;
    if ((off != 4 && off != 8 && off != 12) || ua_read(w, b->start, off)) return false;
    if (off == 12)   /* std::string (COW): length, capacity, refcount, chars, NUL */
        return 12ull + w[1] + 1 == b->size && w[0] <= w[1];
    if (off == 8)    /* a 64-bit length before the data */
        return w[1] == 0 && w[0] > 0 && w[0] == b->size - 8;
    return w[0] > 0 && (b->size - 4) % w[0] == 0;   /* new[]: the element count first */
}

/* A word found in a root (from == -1) or in block from. */
static void found(struct scan *s, guest_addr v, ssize_t from, ssize_t clique)
{
    bool at_start;
    ssize_t k = block_of(s, v, &at_start);
    if (k < 0 || k == from) return;
    uint8_t *st = &s->state[k];
    if (clique < 0) {
        if (!at_start && heuristic_start(&s->b[k], v)) at_start = true;
        bool definite_prior = from < 0 || s->state[from] == REACHABLE;
        uint8_t ns = at_start && definite_prior ? REACHABLE : POSSIBLE;
        if (*st >= ns) return;
        *st = ns;
        push(s, (size_t)k);
    } else if (*st == UNREACHED) {
        *st = INDIRECT;
        s->ind[clique] += s->b[k].size;
        push(s, (size_t)k);
    } else if (*st == DEFINITE && k != clique) {   /* an earlier clique joins this one */
        *st = INDIRECT;
        s->ind[clique] += s->b[k].size + s->ind[k];
        s->ind[k] = 0;
    }
}

/* Every aligned word of [a, a+len) that can be read. */
static void scan_range(struct scan *s, guest_addr a, uint64_t len, ssize_t from, ssize_t clique, bool check_shadow)
{
    static uint32_t buf[16384];
    uint64_t end = (uint64_t)a + len;
    uint64_t p = ((uint64_t)a + 3) & ~3ull;
    while (p + 4 <= end) {
        uint64_t want = end - p < sizeof buf ? (end - p) & ~3ull : sizeof buf;
        size_t left = ua_read_partial(buf, (guest_addr)p, want);
        size_t got = (want - left) / 4;
        for (size_t w = 0; w < got; w++) {
            guest_addr v = buf[w];
            if (v < s->lo || v >= s->hi) continue;
            /* words the guest made unaddressable are not roots */
            if (check_shadow && chk_shadow && shadow_first_noaccess((guest_addr)(p + 4 * w), 4) >= 0) continue;
            found(s, v, from, clique);
        }
        if (!left) { p += want; continue; }
        /* past the unreadable page, and on to the next mapping if it is not one */
        p = PAGE_UP(p + (want - left) + 1);
        const struct region *r = p < end ? mem_next_region((guest_addr)p) : NULL;
        if (!r) break;
        if (r->start > p) p = r->start;
    }
}

static void drain(struct scan *s, ssize_t clique)
{
    while (s->sp) {
        size_t k = s->stack[--s->sp];
        scan_range(s, s->b[k].start, s->b[k].size, (ssize_t)k, clique, false);
    }
}

static bool in_any(const struct heap_range *r, size_t n, guest_addr a, guest_addr *end)
{
    for (size_t k = 0; k < n; k++)
        if (a >= r[k].start && a < r[k].end) { *end = r[k].end; return true; }
    return false;
}

/* A region's readable root part: [start, end) minus arenas, from a thread's ESP up. */
static void scan_region(struct scan *s, const struct region *r, const struct heap_range *ar, size_t nar,
                        uint32_t (*regs)[THREAD_ROOT_WORDS], size_t nthreads)
{
    if (!(r->prot & PROT_READ) || !strncmp(r->name, "/dev/", 5)) return;
    /* a file's never-writable mapping (code, constants) holds no heap
     * pointers, only numbers that may look like them; RELRO was writable */
    if (!(r->flags & (MAP_ANONYMOUS | R_ACCOUNT)) && !(r->prot & PROT_WRITE)) return;
    guest_addr start = r->start;
    uint64_t end = r->end ? r->end : 1ull << 32;
    for (size_t t = 0; t < nthreads; t++) {
        guest_addr sp = regs[t][ESP];
        if (sp > start && sp < end) start = sp & ~3u;
    }
    for (uint64_t a = start; a < end; ) {
        guest_addr aend;
        if (in_any(ar, nar, (guest_addr)a, &aend)) { a = aend ? aend : end; continue; }
        uint64_t stop = end;   /* up to the next arena */
        for (size_t k = 0; k < nar; k++)
            if (ar[k].start > a && ar[k].start < stop) stop = ar[k].start;
        scan_range(s, (guest_addr)a, stop - a, -1, -1, true);
        drain(s, -1);
        a = stop;
    }
}

static int rec_order(const void *x, const void *y)
{
    const struct leak_rec *a = x, *b = y;
    if (a->kind != b->kind) return a->kind - b->kind;
    return a->alloc < b->alloc ? -1 : a->alloc > b->alloc;
}

static const uint8_t state_kind[] = { [POSSIBLE] = LEAK_POSSIBLE, [REACHABLE] = LEAK_REACHABLE,
                                      [DEFINITE] = LEAK_DEFINITE, [INDIRECT] = LEAK_INDIRECT };

/* Records by (kind, stack), merged; the summary. Returns the count. */
static size_t make_records(const struct scan *s, struct leak_rec **out, struct leak_summary *sum)
{
    struct leak_rec *r = malloc((s->n ? s->n : 1) * sizeof *r);
    *out = r;
    if (!r) return 0;
    for (size_t k = 0; k < s->n; k++) {
        int kind = state_kind[s->state[k]];
        r[k] = (struct leak_rec){ kind, s->b[k].alloc, s->b[k].size, 1, s->ind[k] };
        int ix = __builtin_ctz((unsigned)kind);
        sum->bytes[ix] += s->b[k].size;
        sum->blocks[ix]++;
    }
    qsort(r, s->n, sizeof *r, rec_order);
    size_t m = 0;
    for (size_t k = 0; k < s->n; k++) {
        if (m && r[m - 1].kind == r[k].kind && r[m - 1].alloc == r[k].alloc) {
            r[m - 1].bytes += r[k].bytes;
            r[m - 1].blocks += r[k].blocks;
            r[m - 1].ind_bytes += r[k].ind_bytes;
        } else {
            r[m++] = r[k];
        }
    }
    return m;
}

/* only_new: the records that grew since the last scan. */
static size_t keep_new(struct leak_rec *r, size_t n)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const struct leak_rec *p = bsearch(&r[k], prev_recs, n_prev, sizeof *prev_recs, rec_order);
        if (!p || r[k].bytes > p->bytes || r[k].blocks > p->blocks) r[m++] = r[k];
    }
    return m;
}

void leak_check(int mode, bool only_new)
{
    pthread_mutex_lock(&leak_lock);
    struct scan s = { 0 };
    struct heap_range *ar = NULL;
    size_t nar = 0;
    s.n = heap_snapshot((struct heap_block **)&s.b, &ar, &nar);
    s.state = calloc(s.n + 1, 1);
    s.ind = calloc(s.n + 1, sizeof *s.ind);
    if (s.n && s.state && s.ind) {
        s.lo = s.b[0].start;
        for (size_t k = 0; k < s.n; k++)
            if ((uint64_t)s.b[k].start + s.b[k].size + 1 > s.hi) s.hi = (uint64_t)s.b[k].start + s.b[k].size + 1;
        static uint32_t regs[256][THREAD_ROOT_WORDS];
        size_t nt = thread_roots(regs, 256);
        for (size_t t = 0; t < nt; t++)
            for (int w = 0; w < THREAD_ROOT_WORDS; w++) found(&s, regs[t][w], -1, -1);
        drain(&s, -1);
        for (const struct region *r = mem_next_region(0); r; ) {
            struct region cur = *r;   /* r is mem's per-thread copy: the scan asks again */
            scan_region(&s, &cur, ar, nar, regs, nt);
            if (!cur.end) break;
            r = mem_next_region(cur.end);
        }
        for (size_t k = 0; k < s.n; k++) {
            if (s.state[k] != UNREACHED) continue;
            s.state[k] = DEFINITE;
            push(&s, k);
            drain(&s, (ssize_t)k);
        }
    }
    struct leak_summary sum = { 0 };
    struct leak_rec *recs = NULL;
    size_t n = s.state && s.ind ? make_records(&s, &recs, &sum) : 0;
    struct leak_rec *keep = recs ? malloc((n ? n : 1) * sizeof *keep) : NULL;
    if (keep) memcpy(keep, recs, n * sizeof *keep);
    size_t shown = only_new ? keep_new(recs, n) : n;
    if (keep) { free(prev_recs); prev_recs = keep; n_prev = n; }
    last = sum;
    pthread_mutex_unlock(&leak_lock);
    chk_report_leaks(recs, (int)shown, &sum, mode);
    pthread_mutex_lock(&leak_lock);
    last = sum;   /* with what the report moved to suppressed */
    pthread_mutex_unlock(&leak_lock);
    free(recs);
    free((void *)s.b);
    free(ar);
    free(s.state);
    free(s.ind);
    free(s.stack);
}

/* In a forked child, a scan another thread was running is gone. */
static void leak_fork_child(void) { pthread_mutex_init(&leak_lock, NULL); }
__attribute__((constructor)) static void leak_atfork(void) { pthread_atfork(NULL, NULL, leak_fork_child); }

void leak_counts(struct leak_summary *s)
{
    pthread_mutex_lock(&leak_lock);
    *s = last;
    pthread_mutex_unlock(&leak_lock);
}
