/* The shadow: one byte per guest byte at chk_shadow + a (check.h's SH_*).
 * A NORESERVE mapping, all zero (addressable) at first: only the pages
 * that hold a non-zero state cost memory, and large ranges set back to
 * zero give their pages back. The 64 KiB tail mirrors the start, for
 * accesses that wrap past 4 GiB. */
#include <sys/mman.h>

#include "check.h"
#include "../cpu/cpu.h"
#include "../debug/stack.h"
#include "../mem/mem.h"

uint8_t *chk_shadow;
__thread int chk_err_disabled;

#define SHADOW_SPAN (1ull << 32)
#define SHADOW_TAIL (64u << 10)
/* Unmapped ranges up to this size become unaddressable (accesses are
 * reported before they fault); bigger ones give their shadow back instead. */
#define UNMAPPED_NOACCESS_MAX (16u << 20)

/* Fill [a, a+len) of the shadow, a+len <= SHADOW_SPAN + SHADOW_TAIL. */
static void fill(uint64_t a, uint64_t len, uint8_t state)
{
    uint8_t *p = chk_shadow + a;
    if (state == SH_DEFINED && len >= (256u << 10)) {
        /* whole pages back to the zero page: memory returns to the host */
        uint64_t lo = PAGE_UP(a), hi = PAGE_DOWN(a + len);
        memset(p, 0, lo - a);
        madvise(chk_shadow + lo, hi - lo, MADV_DONTNEED);
        memset(chk_shadow + hi, 0, a + len - hi);
        return;
    }
    memset(p, state, len);
}

void shadow_set(guest_addr a, uint32_t len, uint8_t state)
{
    if (!chk_shadow || !len) return;
    uint64_t end = (uint64_t)a + len;
    if (end <= SHADOW_SPAN) {
        fill(a, len, state);
    } else {   /* wraps: the part past 4 GiB is [0, end - 4 GiB) */
        fill(a, SHADOW_SPAN - a, state);
        fill(0, end - SHADOW_SPAN, state);
    }
    /* keep the tail equal to the first 64 KiB */
    if (a < SHADOW_TAIL || end > SHADOW_SPAN) memcpy(chk_shadow + SHADOW_SPAN, chk_shadow, SHADOW_TAIL);
}

void shadow_set_client(guest_addr a, uint32_t len, uint8_t state)
{
    if (state == SH_DEFINED || len <= (1u << 20)) { shadow_set(a, len, state); return; }
    /* a big range: its mapped, accessible parts only (the rest faults
     * anyway), so a guest cannot make ue touch 4 GiB of shadow for free */
    uint64_t end = (uint64_t)a + len;
    for (const struct region *r = mem_next_region(a); r && r->start < end; r = r->end ? mem_next_region(r->end) : NULL) {
        if (r->prot != PROT_NONE) {
            uint64_t lo = r->start > a ? r->start : a, hi = r->end && r->end < end ? r->end : end;
            if (hi > lo) shadow_set((guest_addr)lo, (uint32_t)(hi - lo), state);
        }
        if (!r->end) break;
    }
}

int64_t shadow_first_noaccess(guest_addr a, uint32_t len)
{
    if (!chk_shadow) return -1;
    const uint8_t *s = chk_shadow;
    uint64_t i = a, end = (uint64_t)a + len;
    if (end > SHADOW_SPAN + SHADOW_TAIL) {   /* a long wrapping range: the part past the tail */
        int64_t r = shadow_first_noaccess(a, (uint32_t)(SHADOW_SPAN - a));
        if (r >= 0) return r;
        return shadow_first_noaccess(0, (uint32_t)(end - SHADOW_SPAN));
    }
    for (; i < end && (i & 7); i++)
        if (s[i] & SH_NOACCESS_BIT) goto found;
    for (; i + 8 <= end; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x0202020202020202ull) break;
    }
    for (; i < end; i++)
        if (s[i] & SH_NOACCESS_BIT) goto found;
    return -1;
found:
    return (int64_t)(uint32_t)i;
}

void shadow_unmapped(guest_addr a, uint32_t len)
{
    shadow_set(a, len, len <= UNMAPPED_NOACCESS_MAX ? SH_NOACCESS : SH_DEFINED);
}

/* Address-space changes: new mappings become addressable, vanished ones
 * not (heap.c marks its own arenas after mapping them). */
static void shadow_on_event(const struct mem_event *e)
{
    switch (e->kind) {
    case MEV_MAP: case MEV_SHMAT:
        shadow_set(e->addr, e->len, SH_DEFINED);
        break;
    case MEV_UNMAP:
        shadow_unmapped(e->addr, e->len);
        break;
    case MEV_BRK:
        if (e->len) shadow_set(e->addr, e->len, SH_DEFINED);
        else if (e->old_addr > e->addr) shadow_unmapped(e->addr, e->old_addr - e->addr);
        break;
    case MEV_MREMAP:
        shadow_unmapped(e->old_addr, e->old_len);
        shadow_set(e->addr, e->len, SH_DEFINED);
        break;
    default:
        break;
    }
}

void shadow_init(void)
{
    if (chk_shadow) return;
    void *p = mmap(NULL, SHADOW_SPAN + SHADOW_TAIL, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) ue_fatal(1, "memcheck: cannot map the shadow memory (4 GiB, NORESERVE)");
    chk_shadow = p;
    /* below mmap_min_addr nothing is ever mapped: NULL pointers' page */
    shadow_set(0, 64u << 10, SH_NOACCESS);
    mem_observe(shadow_on_event);
    heap_init();
}

/* A read of a naturally aligned word of 4 bytes or more that has at least
 * one addressable byte is not reported (Valgrind's --partial-loads-ok=yes:
 * vectorised string functions read aligned words past a string's end).
 * Nor is an 8- or 16-byte read whose first byte is addressable: glibc's
 * SSE2/SSSE3 memchr, strchr, strcmp and memcmp also read unaligned vectors
 * and halves past the end (in the page), and ue's preload does not replace
 * them (nor is there anything to replace them in a static program). */
static bool partial_load_ok(guest_addr a, uint32_t size, int dir)
{
    if (dir == CHK_READ && (size == 8 || size == 16) && !(chk_shadow[a] & SH_NOACCESS_BIT)) return true;
    if (dir != CHK_READ || size < 4 || (size & (size - 1)) || (a & (size - 1))) return false;
    for (uint32_t k = 0; k < size; k++)
        if (!(chk_shadow[(uint64_t)a + k] & SH_NOACCESS_BIT)) return true;
    return false;
}

void chk_access_slow(guest_addr a, uint32_t size, int dir)
{
    if (shadow_first_noaccess(a, size) < 0 || partial_load_ok(a, size, dir) || chk_err_disabled) return;
    struct cpu *c = cur_cpu;
    struct chk_error e = {
        .kind = dir == CHK_WRITE ? ERR_INVALID_WRITE : ERR_INVALID_READ,
        .where = c ? stack_here(c) : 0,
        .addr = a,
        .size = size,
    };
    heap_describe(a, &e.desc);
    chk_report(&e);
}

void chk_invalid_jump(struct cpu *c, guest_addr target)
{
    struct chk_error e = { .kind = ERR_INVALID_JUMP, .where = stack_capture(c, target), .addr = target };
    heap_describe(target, &e.desc);
    chk_report(&e);
}
