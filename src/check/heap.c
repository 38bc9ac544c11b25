/* The guest heap, kept by ue (Valgrind's replacement allocator does the
 * same): blocks live in guest memory, in arenas ue maps among the guest's
 * own mappings; what ue knows about them lives on the host, out of the
 * guest's reach.
 *
 * A chunk is [redzone][block][padding + redzone]: the block is addressable,
 * the rest is not. Chunks are carved from 4 MiB arenas, tile them without
 * gaps, and start on 16-byte granules; each arena has a host array of
 * chunk records by granule, so the chunk holding any address is a page
 * table lookup and a short backward scan away. Freed
 * blocks wait in a FIFO quarantine (freelist_vol bytes) before their chunk
 * goes to the free list of its size class. Chunks over CHUNK_SMALL_MAX get
 * a mapping of their own, unmapped when they leave the quarantine.
 * Client-described blocks (MALLOCLIKE_BLOCK, mempools) are kept apart, by
 * address. One mutex guards it all. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"

#define GRANULE 16u
#define ARENA_SIZE (4u << 20)
#define CHUNK_SMALL_MAX (64u << 10)
#define N_CLASSES (CHUNK_SMALL_MAX / GRANULE + 1)
#define MAX_BLOCK 0xc0000000u      /* no request beyond this can succeed in a 4 GiB space */
#define CUSTOM_FREED_KEEP 1024     /* freed client blocks remembered for messages */

enum { BS_LIVE, BS_FREED, BS_AVAIL };

struct blk {
    guest_addr key;           /* chunk start (arena blocks) or block start (custom) */
    uint32_t chunk_len;       /* arena blocks: the chunk's length */
    guest_addr user;
    uint32_t size;
    uint32_t rz;              /* custom blocks: redzone given by the client */
    guest_addr pool;          /* mempool (0: none) */
    stack_id alloc, freed;
    uint8_t kind, state, own_map;
    struct blk *hnext;        /* hash chain */
    struct blk *next;         /* quarantine FIFO, free list, or record free list */
};

struct htab {
    struct blk **b;
    size_t mask, n;
    int shift;   /* 64 - log2(buckets) */
};

struct pool {
    guest_addr addr;
    uint32_t rz;
    bool zeroed;
    unsigned flags;
    struct pool *next;
};

static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct htab customs;        /* client blocks, by address */
static struct blk *free_class[N_CLASSES];
/* The quarantine: two FIFOs, oldest first; blocks of BIG_BLOCK bytes or
 * more leave before any small one (Valgrind's --freelist-big-blocks). */
#define BIG_BLOCK 1000000u
static struct blk *q_head[2], *q_tail[2];   /* [0] big, [1] small */
static uint64_t q_bytes;
static struct blk *spare;           /* unused records */
static guest_addr bump, bump_end;   /* the rest of the arena being carved */
static struct arena *bump_arena;
static struct pool *pools;
static struct blk *custom_freed[CUSTOM_FREED_KEEP];
static unsigned custom_freed_at;
static struct heap_totals totals;

static uint32_t redzone(void)
{
    uint32_t rz = chk_opt.redzone ? chk_opt.redzone : 16;
    if (rz > 4096) rz = 4096;
    return (rz + GRANULE - 1) & ~(GRANULE - 1);
}

static uint64_t quarantine_max(void) { return chk_opt.freelist_vol ? chk_opt.freelist_vol : 20000000; }

/* ---- records and hashes ---- */

static struct blk *rec_new(void)
{
    if (!spare) {
        enum { SLAB = 4096 };
        struct blk *s = calloc(SLAB, sizeof *s);
        if (!s) return NULL;
        for (int k = 0; k < SLAB; k++) { s[k].next = spare; spare = &s[k]; }
    }
    struct blk *b = spare;
    spare = b->next;
    memset(b, 0, sizeof *b);
    return b;
}

static void rec_free(struct blk *b)
{
    b->next = spare;
    spare = b;
}

static size_t hslot(const struct htab *h, guest_addr key)
{
    return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> h->shift);   /* Fibonacci hashing */
}

static struct blk *hfind(const struct htab *h, guest_addr key)
{
    if (!h->b) return NULL;
    for (struct blk *b = h->b[hslot(h, key)]; b; b = b->hnext)
        if (b->key == key) return b;
    return NULL;
}

static void hinsert(struct htab *h, struct blk *nb)
{
    if (h->n >= h->mask) {   /* grow at load 1 */
        size_t nsize = h->b ? (h->mask + 1) * 2 : 1024;
        struct blk **t = calloc(nsize, sizeof *t);
        if (t) {
            struct htab nh = { t, nsize - 1, h->n, 64 - __builtin_ctzll(nsize) };
            for (size_t k = 0; h->b && k <= h->mask; k++)
                for (struct blk *b = h->b[k], *nx; b; b = nx) {
                    nx = b->hnext;
                    size_t s = hslot(&nh, b->key);
                    b->hnext = t[s];
                    t[s] = b;
                }
            free(h->b);
            *h = nh;
        } else if (!h->b) {
            return;   /* no table at all: the block goes unrecorded */
        }
    }
    size_t s = hslot(h, nb->key);
    nb->hnext = h->b[s];
    h->b[s] = nb;
    h->n++;
}

static void hremove(struct htab *h, struct blk *rb)
{
    if (!h->b) return;
    for (struct blk **pp = &h->b[hslot(h, rb->key)]; *pp; pp = &(*pp)->hnext)
        if (*pp == rb) { *pp = rb->hnext; h->n--; return; }
}

/* ---- arenas: guest memory of ue's heap, and which chunk starts where ---- */

struct arena {
    guest_addr start;
    uint32_t len;
    struct blk **slot;    /* by 16-byte granule: the chunk starting there, or NULL */
    struct blk *single;   /* a mapping for one chunk (slot is NULL) */
};
static struct arena **page_arena;   /* by guest page (NORESERVE, 8 MiB of address space) */
static struct arena **arena_list;
static size_t n_arenas, cap_arenas;

static bool heap_setup(void)
{
    if (page_arena) return true;
    void *p = mmap(NULL, (1u << 20) * sizeof *page_arena, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    page_arena = p;
    return true;
}

static struct arena *arena_of(guest_addr a) { return page_arena ? page_arena[a >> 12] : NULL; }

static void arena_pages(struct arena *ar, struct arena *v)
{
    for (uint32_t pg = ar->start >> 12; pg < (ar->start >> 12) + (ar->len >> 12); pg++) page_arena[pg] = v;
}

/* Guest memory for ue's heap, not addressable until carved. */
static struct arena *map_guest(uint32_t len, bool single)
{
    struct arena *ar = calloc(1, sizeof *ar);
    if (!ar || (!single && !(ar->slot = calloc(len / GRANULE, sizeof *ar->slot)))) goto fail;
    if (n_arenas == cap_arenas) {
        size_t cap = cap_arenas ? cap_arenas * 2 : 64;
        struct arena **l = realloc(arena_list, cap * sizeof *l);
        if (!l) goto fail;
        arena_list = l;
        cap_arenas = cap;
    }
    /* Natively malloc takes the break, not the top-down mmap area: asked for
     * bottom-up from 0x8c000000, arenas stay out of the holes the program's
     * own munmaps leave and the places its next mmaps take. The leak scan
     * is conservative: block addresses there (bytes xx xx 00 8c) are less
     * often mistaken in ordinary data than 0x2000xxxx or 0x3800xxxx, which
     * libc's constants and a library's DWARF bytes held. */
    static guest_addr hint = 0x8c000000;
    long r = mem_mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r < 0 && r > -4096) goto fail;
    if ((guest_addr)r == hint) hint += len;
    ar->start = (guest_addr)r;
    ar->len = len;
    shadow_set(ar->start, len, SH_NOACCESS);
    arena_list[n_arenas++] = ar;
    arena_pages(ar, ar);
    return ar;
fail:
    if (ar) free(ar->slot);
    free(ar);
    return NULL;
}

static void arena_unmap(struct arena *ar)
{
    for (size_t k = 0; k < n_arenas; k++)
        if (arena_list[k] == ar) { arena_list[k] = arena_list[--n_arenas]; break; }
    arena_pages(ar, NULL);
    mem_munmap(ar->start, ar->len);
    shadow_unmapped(ar->start, ar->len);
    free(ar->slot);
    free(ar);
}

/* The chunk holding a, in any state. */
static struct blk *chunk_find(guest_addr a)
{
    struct arena *ar = arena_of(a);
    if (!ar) return NULL;
    if (ar->single) return ar->single;
    uint32_t g = (a - ar->start) / GRANULE;
    /* back to the chunk's start: at most a small chunk's length */
    for (uint32_t n = 0; !ar->slot[g] && g && n < CHUNK_SMALL_MAX / GRANULE; n++) g--;
    struct blk *b = ar->slot[g];
    return b && a - b->key < b->chunk_len ? b : NULL;
}

/* The live or freed block whose chunk holds a. */
static struct blk *chunk_at(guest_addr a)
{
    struct blk *b = chunk_find(a);
    return b && b->state != BS_AVAIL ? b : NULL;
}

/* A chunk record for [a, a+len) of arena ar. */
static struct blk *chunk_new(struct arena *ar, guest_addr a, uint32_t len)
{
    struct blk *b = rec_new();
    if (!b) return NULL;
    b->key = a;
    b->chunk_len = len;
    b->state = BS_AVAIL;
    if (ar->slot) ar->slot[(a - ar->start) / GRANULE] = b;
    else ar->single = b;
    return b;
}

static void class_push(struct blk *b)
{
    b->state = BS_AVAIL;
    b->next = free_class[b->chunk_len / GRANULE];
    free_class[b->chunk_len / GRANULE] = b;
}

/* The last chunk_get of this thread mapped new memory (all zero). */
static __thread bool fresh_map;

/* A chunk of len bytes (a multiple of GRANULE). */
static struct blk *chunk_get(uint32_t len)
{
    if (len > CHUNK_SMALL_MAX) {
        uint32_t mlen = PAGE_UP(len);
        struct arena *ar = mlen ? map_guest(mlen, true) : NULL;
        if (!ar) return NULL;
        struct blk *b = chunk_new(ar, ar->start, mlen);
        if (b) b->own_map = fresh_map = 1;
        else arena_unmap(ar);
        return b;
    }
    struct blk *b = free_class[len / GRANULE];
    if (b) {
        free_class[len / GRANULE] = b->next;
        return b;
    }
    if (bump_end - bump < len) {
        /* the old arena's rest becomes free chunks of its own size */
        while (bump_end - bump >= GRANULE) {
            uint32_t piece = bump_end - bump > CHUNK_SMALL_MAX ? CHUNK_SMALL_MAX : bump_end - bump;
            struct blk *rest = chunk_new(bump_arena, bump, piece);
            if (!rest) break;
            class_push(rest);
            bump += piece;
        }
        struct arena *ar = map_guest(ARENA_SIZE, false);
        if (!ar) return NULL;
        bump_arena = ar;
        bump = ar->start;
        bump_end = ar->start + ARENA_SIZE;
    }
    b = chunk_new(bump_arena, bump, len);
    if (b) bump += len;
    return b;
}

/* ---- guest memory copies (fault-safe: the guest may have unmapped an arena) ---- */

static void guest_copy(guest_addr dst, guest_addr src, uint32_t n)
{
    static __thread uint8_t buf[16384];
    for (uint32_t k = 0; k < n; k += sizeof buf) {
        uint32_t m = n - k < sizeof buf ? n - k : sizeof buf;
        if (ua_read(buf, src + k, m) || ua_write(dst + k, buf, m)) return;
    }
}

/* ---- reports ---- */

static const char *free_fn(enum chk_alloc_kind k)
{
    return k == AK_NEW ? "operator delete" : k == AK_NEW_ARRAY ? "operator delete[]" : "free";
}

static void describe_blk(const struct blk *b, guest_addr a, struct chk_addr_desc *d);

static void report_bad_free(guest_addr p, const char *fn, stack_id where)
{
    if (chk_err_disabled) return;
    struct chk_error e = { .kind = ERR_INVALID_FREE, .where = where, .addr = p, .fn = fn };
    heap_describe(p, &e.desc);
    chk_report(&e);
}

/* ---- arena blocks ---- */

static void quarantine_release(void)
{
    uint64_t max = quarantine_max();
    while ((q_head[0] || q_head[1]) && q_bytes > max) {
        int k = q_head[0] ? 0 : 1;
        struct blk *b = q_head[k];
        q_head[k] = b->next;
        if (!q_head[k]) q_tail[k] = NULL;
        q_bytes -= b->size;
        if (b->own_map) {
            arena_unmap(arena_of(b->key));
            rec_free(b);
        } else {
            class_push(b);
        }
    }
}

guest_addr heap_alloc(uint32_t size, uint32_t align, enum chk_alloc_kind kind, stack_id where)
{
    if (size > MAX_BLOCK || align > (1u << 30)) return 0;
    if (align < GRANULE || (align & (align - 1))) align = align <= GRANULE ? GRANULE : 1u << (32 - __builtin_clz(align));
    uint32_t rz = redzone();
    uint32_t body = (size + GRANULE - 1) & ~(GRANULE - 1);
    if (!body) body = GRANULE;   /* malloc(0): a unique address */
    uint64_t len = (uint64_t)rz + (align - GRANULE) + body + rz;
    if (len > MAX_BLOCK) return 0;
    pthread_mutex_lock(&heap_lock);
    fresh_map = 0;
    struct blk *b = heap_setup() ? chunk_get((uint32_t)len) : NULL;
    if (!b) { pthread_mutex_unlock(&heap_lock); return 0; }
    b->user = (b->key + rz + align - 1) & ~(align - 1);
    b->size = size;
    b->kind = kind;
    b->alloc = where;
    b->freed = 0;
    b->state = BS_LIVE;
    shadow_set(b->user, size, SH_DEFINED);
    totals.allocs++;
    totals.bytes_allocated += size;
    totals.in_use_blocks++;
    totals.in_use_bytes += size;
    guest_addr user = b->user;
    pthread_mutex_unlock(&heap_lock);
    return user;
}

guest_addr heap_calloc(uint32_t nmemb, uint32_t size, stack_id where)
{
    uint64_t n = (uint64_t)nmemb * size;
    if (n > MAX_BLOCK) return 0;
    guest_addr p = heap_alloc((uint32_t)n, 0, AK_MALLOC, where);
    if (p && !fresh_map) ua_clear_partial(p, (uint32_t)n);   /* a new mapping is zero: its pages stay untouched */
    return p;
}

/* The live arena block starting at p, with the lock held. */
static struct blk *live_at(guest_addr p)
{
    struct blk *b = chunk_find(p);
    return b && b->user == p && b->state == BS_LIVE ? b : NULL;
}

/* Frees b (lock held): it goes to the quarantine. */
static void release_live(struct blk *b, stack_id where)
{
    b->state = BS_FREED;
    b->freed = where;
    shadow_set(b->user, b->size, SH_NOACCESS);
    totals.frees++;
    totals.in_use_blocks--;
    totals.in_use_bytes -= b->size;
    b->next = NULL;
    int k = b->size < BIG_BLOCK;
    if (q_tail[k]) q_tail[k]->next = b; else q_head[k] = b;
    q_tail[k] = b;
    q_bytes += b->size;
    quarantine_release();
}

static void report_mismatch(const struct blk *b, enum chk_alloc_kind kind, stack_id where)
{
    if (chk_err_disabled) return;
    struct chk_error e = { .kind = ERR_MISMATCHED_FREE, .where = where, .addr = b->user,
                           .fn = free_fn(kind), .alloc_kind = b->kind, .free_kind = kind };
    describe_blk(b, b->user, &e.desc);
    chk_report(&e);
}

void heap_free(guest_addr p, enum chk_alloc_kind kind, stack_id where)
{
    if (!p) return;
    pthread_mutex_lock(&heap_lock);
    struct blk *b = live_at(p);
    if (!b) {
        pthread_mutex_unlock(&heap_lock);
        report_bad_free(p, free_fn(kind), where);
        return;
    }
    struct blk copy = *b;   /* described as it was: alloc'd */
    release_live(b, where);
    pthread_mutex_unlock(&heap_lock);
    if (copy.kind != kind) report_mismatch(&copy, kind, where);
}

guest_addr heap_realloc(guest_addr p, uint32_t size, stack_id where)
{
    if (!p) return heap_alloc(size, 0, AK_MALLOC, where);
    pthread_mutex_lock(&heap_lock);
    struct blk *b = live_at(p);
    struct blk old = b ? *b : (struct blk){0};
    pthread_mutex_unlock(&heap_lock);
    if (!b) {
        report_bad_free(p, "realloc", where);
        return 0;
    }
    if (old.kind != AK_MALLOC) report_mismatch(&old, AK_MALLOC, where);
    if (!size) {   /* glibc: frees, returns NULL */
        heap_free(p, old.kind, where);
        return 0;
    }
    /* always a new block, as Valgrind: stale pointers to the old one show */
    guest_addr q = heap_alloc(size, 0, AK_MALLOC, where);
    if (!q) return 0;
    guest_copy(q, p, old.size < size ? old.size : size);
    pthread_mutex_lock(&heap_lock);
    b = live_at(p);   /* another thread may have freed it meanwhile */
    if (b) release_live(b, where);
    pthread_mutex_unlock(&heap_lock);
    return q;
}

uint32_t heap_usable_size(guest_addr p)
{
    pthread_mutex_lock(&heap_lock);
    struct blk *b = p ? live_at(p) : NULL;
    uint32_t n = b ? b->size : 0;
    pthread_mutex_unlock(&heap_lock);
    return n;
}

/* ---- client-described blocks (MALLOCLIKE_BLOCK, mempools) ---- */

static void custom_remember_freed(struct blk *b)
{
    unsigned k = custom_freed_at++ % CUSTOM_FREED_KEEP;
    if (custom_freed[k]) rec_free(custom_freed[k]);
    custom_freed[k] = b;
}

/* The block's bytes addressable, its redzones not. */
static void custom_mark(guest_addr a, uint32_t size, uint32_t rz)
{
    if (rz) {
        shadow_set(a - rz, rz, SH_NOACCESS);
        shadow_set(a + size, rz, SH_NOACCESS);
    }
    shadow_set_client(a, size, SH_DEFINED);
}

void heap_custom_alloc(guest_addr pool, guest_addr a, uint32_t size, uint32_t rz, stack_id where)
{
    if (!a) return;
    if (rz > 4096) rz = 4096;
    pthread_mutex_lock(&heap_lock);
    struct blk *b = hfind(&customs, a);
    if (!b) {
        b = rec_new();
        if (!b) { pthread_mutex_unlock(&heap_lock); return; }
        b->key = a;
        hinsert(&customs, b);
    } else if (!b->pool) {
        totals.in_use_blocks--;
        totals.in_use_bytes -= b->size;
    }
    b->user = a;
    b->size = size;
    b->rz = rz;
    b->pool = pool;
    b->kind = AK_CUSTOM;
    b->alloc = where;
    b->state = BS_LIVE;
    if (!pool) {   /* Valgrind counts MALLOCLIKE blocks in the heap summary, not pool chunks */
        totals.allocs++;
        totals.bytes_allocated += size;
        totals.in_use_blocks++;
        totals.in_use_bytes += size;
    }
    pthread_mutex_unlock(&heap_lock);
    custom_mark(a, size, rz);
}

/* Lock held: b leaves the live set. */
static void custom_release(struct blk *b, stack_id where)
{
    hremove(&customs, b);
    shadow_set_client(b->user, b->size, SH_NOACCESS);
    if (!b->pool) {
        totals.frees++;
        totals.in_use_blocks--;
        totals.in_use_bytes -= b->size;
    }
    b->state = BS_FREED;
    b->freed = where;
    custom_remember_freed(b);
}

bool heap_custom_free(guest_addr pool, guest_addr a, stack_id where)
{
    pthread_mutex_lock(&heap_lock);
    struct blk *b = hfind(&customs, a);
    bool ok = b && b->pool == pool;
    if (ok) custom_release(b, where);
    pthread_mutex_unlock(&heap_lock);
    if (!ok) report_bad_free(a, "free", where);
    return ok;
}

void heap_custom_resize(guest_addr a, uint32_t old_size, uint32_t new_size, uint32_t rz, stack_id where)
{
    pthread_mutex_lock(&heap_lock);
    struct blk *b = hfind(&customs, a);
    if (!b || b->size != old_size) {
        pthread_mutex_unlock(&heap_lock);
        report_bad_free(a, "resize in place", where);
        return;
    }
    if (!b->pool) totals.in_use_bytes += (int64_t)new_size - b->size;
    b->size = new_size;
    pthread_mutex_unlock(&heap_lock);
    if (new_size < old_size) shadow_set_client(a + new_size, old_size - new_size, SH_NOACCESS);
    custom_mark(a, new_size, rz > 4096 ? 4096 : rz);
}

/* ---- mempools ---- */

static struct pool *pool_find(guest_addr addr)
{
    for (struct pool *p = pools; p; p = p->next)
        if (p->addr == addr) return p;
    return NULL;
}

void heap_pool_create(guest_addr addr, uint32_t rz, bool zeroed, unsigned flags)
{
    pthread_mutex_lock(&heap_lock);
    struct pool *p = pool_find(addr);
    if (!p && (p = calloc(1, sizeof *p))) {
        p->addr = addr;
        p->next = pools;
        pools = p;
    }
    if (p) {
        p->rz = rz > 4096 ? 4096 : rz;
        p->zeroed = zeroed;
        p->flags = flags;
    }
    pthread_mutex_unlock(&heap_lock);
}

bool heap_pool_exists(guest_addr addr)
{
    pthread_mutex_lock(&heap_lock);
    bool r = pool_find(addr) != NULL;
    pthread_mutex_unlock(&heap_lock);
    return r;
}

/* Lock held: every live block of pool (callback may release it). */
static void pool_each(guest_addr pool, void (*fn)(struct blk *b, void *arg), void *arg)
{
    for (size_t k = 0; customs.b && k <= customs.mask; k++)
        for (struct blk *b = customs.b[k], *nx; b; b = nx) {
            nx = b->hnext;
            if (b->pool == pool) fn(b, arg);
        }
}

static void pool_drop(struct blk *b, void *arg) { custom_release(b, *(stack_id *)arg); }

void heap_pool_destroy(guest_addr addr, stack_id where)
{
    pthread_mutex_lock(&heap_lock);
    for (struct pool **pp = &pools; *pp; pp = &(*pp)->next)
        if ((*pp)->addr == addr) {
            struct pool *p = *pp;
            *pp = p->next;
            free(p);
            pool_each(addr, pool_drop, &where);
            break;
        }
    pthread_mutex_unlock(&heap_lock);
}

bool heap_pool_alloc(guest_addr pool, guest_addr a, uint32_t size, stack_id where)
{
    pthread_mutex_lock(&heap_lock);
    struct pool *p = pool_find(pool);
    uint32_t rz = p ? p->rz : 0;
    pthread_mutex_unlock(&heap_lock);
    if (!p) return false;
    heap_custom_alloc(pool, a, size, rz, where);
    return true;
}

struct trim { guest_addr lo; uint64_t hi; stack_id where; };

/* Blocks outside [lo, hi) go; blocks across its edges keep the inside part. */
static void pool_trim_one(struct blk *b, void *arg)
{
    const struct trim *t = arg;
    uint64_t end = (uint64_t)b->user + b->size;
    if (end <= t->lo || b->user >= t->hi) {
        if (b->size || b->user < t->lo || b->user >= t->hi) custom_release(b, t->where);
        return;
    }
    guest_addr nlo = b->user < t->lo ? t->lo : b->user;
    uint64_t nhi = end > t->hi ? t->hi : end;
    if (nlo > b->user) shadow_set_client(b->user, nlo - b->user, SH_NOACCESS);
    if (nhi < end) shadow_set_client((guest_addr)nhi, (uint32_t)(end - nhi), SH_NOACCESS);
    if (nlo != b->user) {
        hremove(&customs, b);
        b->key = b->user = nlo;
        hinsert(&customs, b);
    }
    b->size = (uint32_t)(nhi - nlo);
}

void heap_pool_trim(guest_addr pool, guest_addr a, uint32_t len, stack_id where)
{
    struct trim t = { a, (uint64_t)a + len, where };
    pthread_mutex_lock(&heap_lock);
    if (pool_find(pool)) pool_each(pool, pool_trim_one, &t);
    pthread_mutex_unlock(&heap_lock);
}

static void pool_rename(struct blk *b, void *arg) { b->pool = *(guest_addr *)arg; }

void heap_pool_move(guest_addr from, guest_addr to)
{
    pthread_mutex_lock(&heap_lock);
    struct pool *p = pool_find(from);
    if (p && !pool_find(to)) {
        p->addr = to;
        pool_each(from, pool_rename, &to);
    }
    pthread_mutex_unlock(&heap_lock);
}

void heap_pool_change(guest_addr pool, guest_addr from, guest_addr to, uint32_t size)
{
    pthread_mutex_lock(&heap_lock);
    struct blk *b = hfind(&customs, from);
    if (b && b->pool == pool) {
        hremove(&customs, b);
        b->key = b->user = to;
        b->size = size;
        hinsert(&customs, b);
    }
    pthread_mutex_unlock(&heap_lock);
}

/* ---- descriptions ---- */

static void describe_blk(const struct blk *b, guest_addr a, struct chk_addr_desc *d)
{
    bool freed = b->state != BS_LIVE;
    int64_t off = (int64_t)a - b->user;
    d->block = b->user;
    d->block_size = b->size;
    d->offset = off;
    d->alloc = b->alloc;
    d->freed = freed ? b->freed : 0;
    if (off < 0) d->kind = freed ? AD_FREED_BEFORE : AD_HEAP_BEFORE;
    else if (off >= b->size) d->kind = freed ? AD_FREED_AFTER : AD_HEAP_AFTER;
    else d->kind = freed ? AD_FREED_INSIDE : b->pool ? AD_MEMPOOL_INSIDE : AD_HEAP_INSIDE;
}

/* A custom block within its redzone of a (live ones first). */
static const struct blk *custom_near(guest_addr a)
{
    for (size_t k = 0; customs.b && k <= customs.mask; k++)
        for (const struct blk *b = customs.b[k]; b; b = b->hnext)
            if ((uint64_t)a + b->rz >= b->user && a < (uint64_t)b->user + b->size + b->rz) return b;
    for (unsigned n = 0; n < CUSTOM_FREED_KEEP; n++) {   /* newest first */
        const struct blk *b = custom_freed[(custom_freed_at - 1 - n) % CUSTOM_FREED_KEEP];
        if (b && (uint64_t)a + b->rz >= b->user && a < (uint64_t)b->user + b->size + b->rz) return b;
    }
    return NULL;
}

/* Guest thread stacks as clone gave them (MEV_STACK_NEW), numbered from 2
 * in creation order like Valgrind's threads; the main one is "[stack]". */
struct tstack { guest_addr lo, hi; int tid, n; };
static struct tstack tstacks[256];
static int n_tstacks, next_thread = 2;

static void heap_on_event(const struct mem_event *e)
{
    if (e->kind != MEV_STACK_NEW && e->kind != MEV_STACK_FREE) return;
    pthread_mutex_lock(&heap_lock);
    if (e->kind == MEV_STACK_NEW) {
        int n = next_thread++;
        if (e->len && n_tstacks < 256) tstacks[n_tstacks++] = (struct tstack){ e->addr, e->addr + e->len, e->tid, n };
    } else {
        for (int k = 0; k < n_tstacks; k++)
            if (tstacks[k].tid == e->tid) tstacks[k] = tstacks[--n_tstacks];
    }
    pthread_mutex_unlock(&heap_lock);
}

/* Lock held: the thread whose stack (from clone) holds a, or 0. */
static int thread_stack_of(guest_addr a)
{
    for (int k = 0; k < n_tstacks; k++)
        if (a - tstacks[k].lo < tstacks[k].hi - tstacks[k].lo) return tstacks[k].n;
    return 0;
}

void heap_describe(guest_addr a, struct chk_addr_desc *d)
{
    *d = (struct chk_addr_desc){ .kind = AD_UNKNOWN };
    pthread_mutex_lock(&heap_lock);
    const struct blk *b = chunk_at(a);
    if (!b) b = custom_near(a);
    if (b) describe_blk(b, a, d);
    else d->thread = thread_stack_of(a);
    pthread_mutex_unlock(&heap_lock);
    if (b) return;
    if (!d->thread) {   /* the main thread's: the region named so (outside the lock: mem has its own) */
        const struct region *r = mem_next_region(a);
        if (r && r->start <= a && !strcmp(r->name, "[stack]")) d->thread = 1;
    }
    if (d->thread) d->kind = AD_STACK;
}

void heap_totals(struct heap_totals *t)
{
    pthread_mutex_lock(&heap_lock);
    *t = totals;
    pthread_mutex_unlock(&heap_lock);
}

/* ---- for the leak scan ---- */

static int by_start(const void *x, const void *y)
{
    const struct heap_block *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

static void snap_add(struct heap_block *v, size_t *k, const struct blk *b)
{
    if (b && b->state == BS_LIVE) v[(*k)++] = (struct heap_block){ b->user, b->size, b->alloc, b->kind };
}

size_t heap_snapshot(struct heap_block **out, struct heap_range **ranges, size_t *n_ranges)
{
    pthread_mutex_lock(&heap_lock);
    size_t n = totals.in_use_blocks + customs.n, k = 0;   /* at least the live ones */
    struct heap_block *v = malloc((n ? n : 1) * sizeof *v);
    struct heap_range *r = malloc((n_arenas ? n_arenas : 1) * sizeof *r);
    if (v && r) {
        for (size_t i = 0; i < n_arenas; i++) {
            const struct arena *ar = arena_list[i];
            r[i] = (struct heap_range){ ar->start, ar->start + ar->len };
            if (ar->single) snap_add(v, &k, ar->single);
            for (uint32_t g = 0; ar->slot && g < ar->len / GRANULE && k < n; g++) snap_add(v, &k, ar->slot[g]);
        }
        for (size_t s = 0; customs.b && s <= customs.mask; s++)
            for (const struct blk *b = customs.b[s]; b && k < n; b = b->hnext) snap_add(v, &k, b);
        *n_ranges = n_arenas;
    } else {
        *n_ranges = 0;
    }
    pthread_mutex_unlock(&heap_lock);
    if (!v || !r) { free(v); free(r); *out = NULL; *ranges = NULL; return 0; }
    qsort(v, k, sizeof *v, by_start);
    *out = v;
    *ranges = r;
    return k;
}

/* fork: the child's only thread must find the lock free, and the heap whole. */
static void heap_prefork(void) { pthread_mutex_lock(&heap_lock); }
static void heap_postfork(void) { pthread_mutex_unlock(&heap_lock); }
static void heap_postfork_child(void) { pthread_mutex_init(&heap_lock, NULL); }

void heap_init(void)
{
    static bool done;
    if (done) return;
    done = true;
    pthread_atfork(heap_prefork, heap_postfork, heap_postfork_child);
    mem_observe(heap_on_event);
}
