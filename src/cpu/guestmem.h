/* Guest memory as the interpreter reaches it: the only place in src/cpu that
 * turns a guest address into a host pointer (tests/lint_cpu_mem.sh keeps it
 * so). Loads and stores of 8 to 128 bits, read-modify-writes (plain and
 * locked), exchanges, compare-and-swaps, and the bulk copy, fill and scan of
 * the string instructions.
 *
 * In the checked build (-DUE_CHECKED, the CPU memcheck runs) each accessor
 * first tells the checker which bytes it touches, with chk_access(); the
 * access itself, and so how and where it faults, is the same in both
 * builds. */
#ifndef UE_CPU_GUESTMEM_H
#define UE_CPU_GUESTMEM_H

#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include "../ue.h"
#include "../check/check.h"

#ifdef UE_CHECKED
#define GM_CHECK(a, n, dir) chk_access((a), (n), (dir))
#else
#define GM_CHECK(a, n, dir) ((void)0)
#endif
#define GM_READ(a, n) GM_CHECK(a, n, CHK_READ)
#define GM_WRITE(a, n) GM_CHECK(a, n, CHK_WRITE)

/* ---- loads and stores ---- */
static inline uint8_t ld8(guest_addr a) { GM_READ(a, 1); return *(volatile uint8_t *)g2h(a); }
static inline uint16_t ld16(guest_addr a) { GM_READ(a, 2); uint16_t v; memcpy(&v, g2h(a), 2); return v; }
static inline uint32_t ld32(guest_addr a) { GM_READ(a, 4); uint32_t v; memcpy(&v, g2h(a), 4); return v; }
static inline uint64_t ld64(guest_addr a) { GM_READ(a, 8); uint64_t v; memcpy(&v, g2h(a), 8); return v; }
static inline void st8(guest_addr a, uint8_t v) { GM_WRITE(a, 1); *(volatile uint8_t *)g2h(a) = v; }
static inline void st16(guest_addr a, uint16_t v) { GM_WRITE(a, 2); memcpy(g2h(a), &v, 2); }
static inline void st32(guest_addr a, uint32_t v) { GM_WRITE(a, 4); memcpy(g2h(a), &v, 4); }
static inline void st64(guest_addr a, uint64_t v) { GM_WRITE(a, 8); memcpy(g2h(a), &v, 8); }

/* x87 80-bit operands: byte copies, as the hardware moves them */
struct m80 { uint8_t b[10]; };
static inline struct m80 ld80(guest_addr a) { GM_READ(a, 10); struct m80 v; memcpy(v.b, g2h(a), 10); return v; }
static inline void st80(guest_addr a, const void *v) { GM_WRITE(a, 10); memcpy(g2h(a), v, 10); }

/* 128 bits as one 16-byte host access (the vector temporary keeps the
 * compiler from splitting it): which page faults first, and that a store
 * crossing into a page it may not write stores nothing, are the hardware's. */
typedef uint8_t gm_bytes16 __attribute__((vector_size(16)));
static inline void ld128(guest_addr a, void *out)
{
    GM_READ(a, 16);
    gm_bytes16 t;
    memcpy(&t, g2h(a), 16);
    __asm__("" : "+x"(t));
    memcpy(out, &t, 16);
}
static inline void st128(guest_addr a, const void *in)
{
    GM_WRITE(a, 16);
    gm_bytes16 t;
    memcpy(&t, in, 16);
    __asm__("" : "+x"(t));
    memcpy(g2h(a), &t, 16);
}

/* A write access of size bytes at a that changes nothing (an atomic
 * compare-and-swap of a byte with itself): it faults as a store would, for
 * the read-modify-write forms that end up storing nothing (a shift by 0
 * still needs a writable operand). */
static inline void st_probe(guest_addr a, int size)
{
    GM_WRITE(a, size);
    /* its first byte, and the first byte of the next page when it crosses
     * one (where the hardware reports a fault); a locked compare-exchange
     * always writes (its own value back when it fails), so it faults as a
     * write even where reading would too */
    guest_addr next_page = (a + size - 1) & ~(guest_addr)0xfff;
    for (int k = 0; k < 2; k++) {
        if (k && next_page <= a) break;
        uint8_t *p = (uint8_t *)g2h(k ? next_page : a), v = 0;
        __atomic_compare_exchange_n(p, &v, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    }
}

/* ---- read-modify-write ----
 * RMW(T, locked, addr, old, NEW_EXPR) declares T old and T new_: old is read
 * from addr, new_ = NEW_EXPR (an expression of old) is written back; with
 * locked, a compare-and-swap loop (threads share the window). */
#define RMW(T, locked, addr, old, NEW_EXPR)                                         \
    T old, new_;                                                                    \
    GM_READ(addr, sizeof(T));                                                       \
    GM_WRITE(addr, sizeof(T));                                                      \
    if (unlikely(locked)) {                                                         \
        T *p_ = (T *)g2h(addr);                                                     \
        old = __atomic_load_n(p_, __ATOMIC_RELAXED);                                \
        do { new_ = (T)(NEW_EXPR); }                                                \
        while (!__atomic_compare_exchange_n(p_, &old, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)); \
    } else {                                                                        \
        memcpy(&old, g2h(addr), sizeof(T));                                         \
        new_ = (T)(NEW_EXPR);                                                       \
        memcpy(g2h(addr), &new_, sizeof(T));                                        \
    }

/* XCHG with memory (always atomic) and CMPXCHG/CMPXCHG8B (always a locked
 * write, its own value back when the compare fails): cmpxchgN returns true
 * when *expect matched, else sets *expect to what memory held. */
#define GM_ATOMICS(BITS)                                                            \
    static inline uint##BITS##_t xchg##BITS(guest_addr a, uint##BITS##_t v)        \
    {                                                                               \
        GM_READ(a, BITS / 8);                                                       \
        GM_WRITE(a, BITS / 8);                                                      \
        return __atomic_exchange_n((uint##BITS##_t *)g2h(a), v, __ATOMIC_SEQ_CST);  \
    }                                                                               \
    static inline bool cmpxchg##BITS(guest_addr a, uint##BITS##_t *expect, uint##BITS##_t v) \
    {                                                                               \
        GM_READ(a, BITS / 8);                                                       \
        GM_WRITE(a, BITS / 8);                                                      \
        return __atomic_compare_exchange_n((uint##BITS##_t *)g2h(a), expect, v, false, \
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);     \
    }
GM_ATOMICS(8)
GM_ATOMICS(16)
GM_ATOMICS(32)
GM_ATOMICS(64)

/* ---- bulk operations of the string instructions ----
 * k elements of n bytes, the first at the address given, each next one n
 * bytes up, or down when down. The callers keep a chunk inside one page and
 * access its first element on its own first, so nothing here faults. */
static inline guest_addr gm_low(guest_addr a, uint32_t n, uint32_t k, bool down)
{
    return down ? a - (k - 1) * n : a;
}

#ifdef UE_CHECKED
static inline bool gm_span_ok(guest_addr a, uint32_t n, uint32_t k, bool down)
{
    return shadow_first_noaccess(gm_low(a, n, k, down), k * n) < 0;
}
/* The checks an element-by-element run makes, when some byte is not
 * addressable: per element, a read of the source (when reads) and a write
 * of the destination (when writes). */
static inline void gm_check_elems(guest_addr s, bool reads, guest_addr d, bool writes,
                                  uint32_t n, uint32_t k, bool down)
{
    if ((!reads || gm_span_ok(s, n, k, down)) && (!writes || gm_span_ok(d, n, k, down))) return;
    int32_t step = down ? -(int32_t)n : (int32_t)n;
    for (uint32_t j = 0; j < k; j++) {
        if (reads) chk_access(s + j * step, n, CHK_READ);
        if (writes) chk_access(d + j * step, n, CHK_WRITE);
    }
}
#endif

/* MOVS: copy from s to d (the caller leaves overlaps the element order
 * would show to the element-by-element path). */
static inline void gm_copy(guest_addr d, guest_addr s, uint32_t n, uint32_t k, bool down)
{
#ifdef UE_CHECKED
    gm_check_elems(s, true, d, true, n, k, down);
#endif
    memmove(g2h(gm_low(d, n, k, down)), g2h(gm_low(s, n, k, down)), (size_t)k * n);
}

/* STOS: fill with the low n bytes of v. */
static inline void gm_fill(guest_addr d, uint32_t v, uint32_t n, uint32_t k, bool down)
{
#ifdef UE_CHECKED
    gm_check_elems(0, false, d, true, n, k, down);
#endif
    uint8_t *p = g2h(gm_low(d, n, k, down));
    if (n == 1 || v == (v & 0xff) * (n == 2 ? 0x0101u : 0x01010101u)) {
        memset(p, (int)(v & 0xff), (size_t)k * n);
    } else if (n == 2) {
        uint16_t w = (uint16_t)v;
        for (uint32_t j = 0; j < k; j++) memcpy(p + 2 * j, &w, 2);
    } else {
        for (uint32_t j = 0; j < k; j++) memcpy(p + 4 * j, &v, 4);
    }
}

/* REPNE SCASB upwards: reads the bytes from d up to the first equal to b,
 * k at most; returns how many, and the last of them in *last. */
static inline uint32_t gm_scan8(guest_addr d, uint8_t b, uint32_t k, uint8_t *last)
{
    const uint8_t *p = memchr(g2h(d), b, k);
    uint32_t done = p ? (uint32_t)(p - (const uint8_t *)g2h(d)) + 1 : k;
    *last = ((const uint8_t *)g2h(d))[done - 1];
#ifdef UE_CHECKED
    gm_check_elems(d, true, 0, false, 1, done, false);
#endif
    return done;
}

/* ---- not data accesses ---- */

/* The decoder's view of the code bytes at eip (instruction fetch: memcheck
 * does not check it; the caller knows they are readable). */
static inline const uint8_t *gm_code(guest_addr eip) { return g2h(eip); }

/* The host protection of the guest page at page (the write protection of
 * pages holding decoded code). */
static inline void gm_protect_page(guest_addr page, int prot) { mprotect(g2h(page), 4096, prot); }

/* Whether a host address lies in the guest window (4 GiB and the guard
 * above it, size bytes from its start), and its offset there. */
static inline bool gm_window_offset(const void *host, uint64_t size, uint64_t *off)
{
    uintptr_t h = (uintptr_t)host, base = (uintptr_t)guest_base;
    *off = h - base;
    return h >= base && h - base < size;
}

#ifndef UE_CHECKED
/* A host pointer for a guest instruction the host runs itself on guest
 * memory (the resident x87): plain build only, as memcheck cannot see it. */
static inline void *gm_host_operand(guest_addr a) { return g2h(a); }
#endif

#endif
