/* memcheck's heap side (src/check/shadow.c, heap.c, creq.c, leak.c): the
 * shadow, blocks and redzones, quarantine, descriptions, bad frees,
 * client blocks, the leak classification, the guest printf, the request
 * sequence, the guest environment. Reports are captured here while
 * report.c's chk_report is a placeholder; the checks on their details are
 * skipped once the real one is linked. */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/check/check.h"
#include "../../src/cpu/cpu.h"
#include "../../src/mem/mem.h"
#include "../../src/mem/uaccess.h"
#include "../../guest/ue_requests.h"
#include "unit.h"

static struct chk_error errs[64];
static int n_errs;
static bool capturing;   /* this file's chk_report is the one linked */

void chk_report(const struct chk_error *e)
{
    capturing = true;
    if (n_errs < 64) errs[n_errs++] = *e;
}

static struct leak_rec leak_recs[64];
static int n_leak_recs;
static struct leak_summary leak_sum;
void chk_report_leaks(struct leak_rec *recs, int n, struct leak_summary *s, int mode)
{
    n_leak_recs = n < 64 ? n : 64;
    memcpy(leak_recs, recs, n_leak_recs * sizeof *recs);
    leak_sum = *s;
}

/* An anonymous guest mapping, addressable (as the memory events make it). */
static guest_addr map_page(void)
{
    guest_addr g = (guest_addr)mem_mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    shadow_set(g, 4096, SH_DEFINED);
    return g;
}

static bool acc(guest_addr a) { return !(chk_shadow[a] & SH_NOACCESS_BIT); }

static void test_shadow(void)
{
    unit_case = "shadow";
    CHECK(chk_shadow != NULL);
    CHECK_EQ(shadow_first_noaccess(0x10000, 4096), -1);
    shadow_set(0x10010, 3, SH_NOACCESS);
    CHECK_EQ(shadow_first_noaccess(0x10000, 4096), 0x10010);
    CHECK_EQ(shadow_first_noaccess(0x10011, 1), 0x10011);
    CHECK_EQ(shadow_first_noaccess(0x10013, 100), -1);
    shadow_set(0x10000, 4096, SH_DEFINED);
    CHECK_EQ(shadow_first_noaccess(0x10000, 4096), -1);
    /* big ranges back to defined: pages dropped, edges kept exact */
    shadow_set(0x200000, 1 << 20, SH_NOACCESS);
    shadow_set(0x200003, (1 << 20) - 6, SH_DEFINED);
    CHECK_EQ(shadow_first_noaccess(0x200000, 1 << 20), 0x200000);
    CHECK_EQ(shadow_first_noaccess(0x200003, (1 << 20) - 6), -1);
    CHECK_EQ(shadow_first_noaccess(0x200003, (1 << 20) - 5), 0x200000 + (1 << 20) - 3);
    shadow_set(0x200000, 1 << 20, SH_DEFINED);
    /* the tail mirrors the start for wrapping accesses */
    shadow_set(2, 1, SH_NOACCESS);
    CHECK(chk_shadow[(1ull << 32) + 2] & SH_NOACCESS_BIT);
    CHECK_EQ(shadow_first_noaccess(0xfffffffe, 8), 0);   /* the NULL page: unaddressable from the start */
    shadow_set(0xfffffff0, 0x20, SH_DEFINED);   /* wraps: clears [0, 0x10) too */
    CHECK_EQ(shadow_first_noaccess(0xfffffff0, 0x20), -1);
    CHECK(!(chk_shadow[(1ull << 32) + 2] & SH_NOACCESS_BIT));
}

static void test_alloc(void)
{
    unit_case = "alloc";
    n_errs = 0;
    guest_addr p = heap_alloc(10, 0, AK_MALLOC, 7);
    CHECK(p != 0);
    CHECK_EQ(p & 15, 0);
    CHECK(acc(p) && acc(p + 9));
    CHECK(!acc(p + 10) && !acc(p + 15) && !acc(p - 1) && !acc(p - 16) && !acc(p + 31));
    CHECK_EQ(heap_usable_size(p), 10);
    struct chk_addr_desc d;
    heap_describe(p + 4, &d);
    CHECK_EQ(d.kind, AD_HEAP_INSIDE);
    CHECK_EQ(d.block, p);
    CHECK_EQ(d.block_size, 10);
    CHECK_EQ(d.offset, 4);
    CHECK_EQ(d.alloc, 7);
    heap_describe(p + 12, &d);
    CHECK_EQ(d.kind, AD_HEAP_AFTER);
    CHECK_EQ(d.offset, 12);
    heap_describe(p - 3, &d);
    CHECK_EQ(d.kind, AD_HEAP_BEFORE);
    CHECK_EQ(d.offset, -3);
    /* malloc(0): unique, nothing addressable */
    guest_addr z1 = heap_alloc(0, 0, AK_MALLOC, 1), z2 = heap_alloc(0, 0, AK_MALLOC, 1);
    CHECK(z1 && z2 && z1 != z2);
    CHECK(!acc(z1));
    /* freed: unaddressable, described with both stacks */
    heap_free(p, AK_MALLOC, 8);
    CHECK(!acc(p));
    heap_describe(p + 2, &d);
    CHECK_EQ(d.kind, AD_FREED_INSIDE);
    CHECK_EQ(d.alloc, 7);
    CHECK_EQ(d.freed, 8);
    CHECK_EQ(heap_usable_size(p), 0);
    CHECK_EQ(n_errs, 0);
    /* double free, interior free, a pointer that is no block */
    heap_free(p, AK_MALLOC, 9);
    guest_addr q = heap_alloc(100, 0, AK_MALLOC, 1);
    heap_free(q + 8, AK_MALLOC, 9);
    heap_free(0x1234, AK_MALLOC, 9);
    if (capturing) {
        CHECK_EQ(n_errs, 3);
        CHECK_EQ(errs[0].kind, ERR_INVALID_FREE);
        CHECK_EQ(errs[0].addr, p);
        CHECK_EQ(errs[0].desc.kind, AD_FREED_INSIDE);
        CHECK_EQ(errs[0].desc.freed, 8);
        CHECK_EQ(errs[1].desc.kind, AD_HEAP_INSIDE);
        CHECK_EQ(errs[1].desc.offset, 8);
        CHECK_EQ(errs[2].desc.kind, AD_UNKNOWN);
    }
    CHECK(acc(q));   /* still live */
    /* mismatches: reported, and the block is freed all the same */
    n_errs = 0;
    guest_addr n = heap_alloc(8, 0, AK_NEW_ARRAY, 1);
    heap_free(n, AK_NEW, 2);
    CHECK(!acc(n));
    if (capturing) {
        CHECK_EQ(n_errs, 1);
        CHECK_EQ(errs[0].kind, ERR_MISMATCHED_FREE);
        CHECK_EQ(errs[0].alloc_kind, AK_NEW_ARRAY);
        CHECK_EQ(errs[0].free_kind, AK_NEW);
    }
    heap_free(q, AK_MALLOC, 1);
    heap_free(z1, AK_MALLOC, 1);
    heap_free(z2, AK_MALLOC, 1);
}

static void test_realloc_calloc(void)
{
    unit_case = "realloc/calloc";
    n_errs = 0;
    guest_addr p = heap_alloc(8, 0, AK_MALLOC, 1);
    CHECK_EQ(ua_write(p, "abcdefgh", 8), 0);
    guest_addr q = heap_realloc(p, 20, 2);
    CHECK(q && q != p);   /* always moves */
    char buf[8];
    CHECK_EQ(ua_read(buf, q, 8), 0);
    CHECK(!memcmp(buf, "abcdefgh", 8));
    CHECK(!acc(p) && acc(q + 19) && !acc(q + 20));
    guest_addr r = heap_realloc(q, 4, 3);
    CHECK(r && acc(r + 3) && !acc(r + 4));
    CHECK_EQ(heap_realloc(r, 0, 4), 0);   /* glibc: frees, NULL */
    CHECK(!acc(r));
    CHECK_EQ(n_errs, 0);
    CHECK_EQ(heap_realloc(r, 10, 5), 0);  /* freed already */
    if (capturing) {
        CHECK_EQ(n_errs, 1);
        CHECK_EQ(errs[0].kind, ERR_INVALID_FREE);
        CHECK_STR(errs[0].fn, "realloc");
    }
    guest_addr c = heap_calloc(4, 25, 1);
    uint8_t z[100], zero[100] = { 0 };
    CHECK(c && !ua_read(z, c, 100) && !memcmp(z, zero, 100));
    CHECK_EQ(heap_calloc(0x10000, 0x10000, 1), 0);
    guest_addr bc = heap_calloc(1000, 200, 1);   /* a mapping of its own: zero without clearing */
    CHECK(bc && !ua_read(z, bc + 150000, 100) && !memcmp(z, zero, 100));
    heap_free(bc, AK_MALLOC, 1);
    CHECK_EQ(heap_alloc(0xfffffff0u, 0, AK_MALLOC, 1), 0);
    guest_addr m = heap_alloc(100, 4096, AK_MALLOC, 1);
    CHECK(m && !(m & 4095) && acc(m) && !acc(m - 1) && !acc(m + 100));
    heap_free(m, AK_MALLOC, 1);
    heap_free(c, AK_MALLOC, 1);
    /* a block with a mapping of its own */
    guest_addr big = heap_alloc(1 << 20, 0, AK_MALLOC, 1);
    CHECK(big && acc(big) && acc(big + (1 << 20) - 1) && !acc(big + (1 << 20)));
    heap_free(big, AK_MALLOC, 1);
    CHECK(!acc(big));
}

static void test_quarantine(void)
{
    unit_case = "quarantine";
    struct heap_totals t0, t1;
    heap_totals(&t0);
    guest_addr first = heap_alloc(1000, 0, AK_MALLOC, 1);
    heap_free(first, AK_MALLOC, 2);
    /* 20 MB of frees later the first chunk comes back; not before */
    bool reused_early = false, reused = false;
    for (int k = 0; k < 30000 && !reused; k++) {
        guest_addr p = heap_alloc(1000, 0, AK_MALLOC, 1);
        if (p == first) {
            reused = true;
            if (k < 19000) reused_early = true;
        }
        heap_free(p, AK_MALLOC, 2);
    }
    CHECK(reused);
    CHECK(!reused_early);
    /* a big freed block leaves the quarantine before the small ones */
    guest_addr small = heap_alloc(64, 0, AK_MALLOC, 1);
    guest_addr big = heap_alloc(1500000, 0, AK_MALLOC, 1);
    heap_free(small, AK_MALLOC, 2);
    heap_free(big, AK_MALLOC, 2);
    for (int k = 0; k < 20; k++) heap_free(heap_alloc(1000000, 0, AK_MALLOC, 1), AK_MALLOC, 2);
    struct chk_addr_desc d;
    heap_describe(small, &d);
    CHECK_EQ(d.kind, AD_FREED_INSIDE);
    heap_describe(big, &d);
    CHECK(d.kind != AD_FREED_INSIDE || d.block != big);
    heap_totals(&t1);
    CHECK_EQ(t1.in_use_blocks, t0.in_use_blocks);
    CHECK(t1.allocs - t0.allocs == t1.frees - t0.frees);
}

static void test_custom(void)
{
    unit_case = "client blocks";
    guest_addr base = map_page();
    heap_custom_alloc(0, base + 64, 32, 8, 3);
    CHECK(acc(base + 64) && acc(base + 95) && !acc(base + 96) && !acc(base + 103) && acc(base + 104));
    CHECK(!acc(base + 63) && !acc(base + 56) && acc(base + 55));
    struct chk_addr_desc d;
    heap_describe(base + 97, &d);
    CHECK_EQ(d.kind, AD_HEAP_AFTER);
    CHECK_EQ(d.block, base + 64);
    CHECK(heap_custom_free(0, base + 64, 4));
    CHECK(!acc(base + 64));
    heap_describe(base + 70, &d);
    CHECK_EQ(d.kind, AD_FREED_INSIDE);
    /* a mempool */
    heap_pool_create(base, 0, false, 0);
    CHECK(heap_pool_exists(base));
    shadow_set(base + 1024, 1024, SH_NOACCESS);
    CHECK(heap_pool_alloc(base, base + 1024, 100, 5));
    CHECK(acc(base + 1024) && !acc(base + 1124));
    heap_describe(base + 1030, &d);
    CHECK_EQ(d.kind, AD_MEMPOOL_INSIDE);
    heap_pool_destroy(base, 6);
    CHECK(!heap_pool_exists(base));
    CHECK(!acc(base + 1024));
    mem_munmap(base, 4096);
}

static void test_stack_desc(void)
{
    unit_case = "stack description";
    guest_addr g = map_page();
    struct chk_addr_desc d;
    heap_describe(g + 100, &d);
    CHECK_EQ(d.kind, AD_UNKNOWN);
    mem_name(g, 4096, "[stack]");
    heap_describe(g + 100, &d);
    CHECK_EQ(d.kind, AD_STACK);
    CHECK_EQ(d.thread, 1);
    mem_munmap(g, 4096);
}

static void test_leaks(void)
{
    unit_case = "leaks";
    guest_addr root = map_page();
    guest_addr reach = heap_alloc(40, 0, AK_MALLOC, 101);     /* from the root, by its start */
    guest_addr child = heap_alloc(24, 0, AK_MALLOC, 102);     /* from reach */
    guest_addr poss = heap_alloc(64, 0, AK_MALLOC, 103);      /* from the root, inside only */
    guest_addr lost = heap_alloc(16, 0, AK_MALLOC, 104);      /* nobody */
    guest_addr ind = heap_alloc(48, 0, AK_MALLOC, 105);       /* from lost */
    guest_addr ind2 = heap_alloc(8, 0, AK_MALLOC, 105);       /* from ind */
    guest_addr cyc_a = heap_alloc(32, 0, AK_MALLOC, 106);     /* a lost cycle */
    guest_addr cyc_b = heap_alloc(32, 0, AK_MALLOC, 107);
    guest_addr arr = heap_alloc(28, 0, AK_NEW_ARRAY, 109);  /* new[]: count, then 3 objects */
    uint32_t w[3] = { reach, poss + 8, arr + 4 };
    CHECK_EQ(ua_write(root + 100, w, 12), 0);
    CHECK_EQ(ua_put_u32(arr, 3), 0);
    CHECK_EQ(ua_put_u32(reach + 4, child), 0);
    CHECK_EQ(ua_put_u32(lost + 8, ind), 0);
    CHECK_EQ(ua_put_u32(ind + 44, ind2), 0);
    CHECK_EQ(ua_put_u32(cyc_a, cyc_b), 0);
    CHECK_EQ(ua_put_u32(cyc_b, cyc_a), 0);
    /* a pointer the guest made unaddressable is no root */
    guest_addr hidden = heap_alloc(12, 0, AK_MALLOC, 108);
    CHECK_EQ(ua_put_u32(root + 200, hidden), 0);
    shadow_set(root + 200, 4, SH_NOACCESS);
    n_leak_recs = 0;
    leak_check(2, false);
    uint64_t bytes[16] = { 0 }, ind_of[16] = { 0 };
    int kind[16] = { 0 };
    for (int k = 0; k < n_leak_recs; k++)
        if (leak_recs[k].alloc > 100 && leak_recs[k].alloc < 116) {
            kind[leak_recs[k].alloc - 100] = leak_recs[k].kind;
            bytes[leak_recs[k].alloc - 100] += leak_recs[k].bytes;
            ind_of[leak_recs[k].alloc - 100] += leak_recs[k].ind_bytes;
        }
    CHECK_EQ(kind[1], LEAK_REACHABLE);
    CHECK_EQ(kind[2], LEAK_REACHABLE);
    CHECK_EQ(kind[3], LEAK_POSSIBLE);
    CHECK_EQ(kind[4], LEAK_DEFINITE);
    CHECK_EQ(ind_of[4], 56);
    CHECK_EQ(kind[5], LEAK_INDIRECT);
    CHECK_EQ(bytes[5], 56);
    CHECK_EQ(kind[6] | kind[7], LEAK_DEFINITE | LEAK_INDIRECT);   /* one leads, the other hangs on */
    CHECK_EQ(ind_of[6] + ind_of[7], 32);
    CHECK_EQ(kind[8], LEAK_DEFINITE);
    CHECK_EQ(kind[9], LEAK_REACHABLE);   /* Valgrind's newarray heuristic */
    struct leak_summary s;
    leak_counts(&s);
    CHECK(s.bytes[0] >= 16 + 32 + 12);
    CHECK_EQ(s.blocks[1], 3);
    /* only_new: nothing grew */
    leak_check(2, true);
    CHECK_EQ(n_leak_recs, 0);
    guest_addr more = heap_alloc(16, 0, AK_MALLOC, 104);
    leak_check(2, true);
    CHECK_EQ(n_leak_recs, 1);
    CHECK_EQ(leak_recs[0].alloc, 104);
    heap_free(arr, AK_NEW_ARRAY, 1);
    guest_addr all[] = { reach, child, poss, lost, ind, ind2, cyc_a, cyc_b, hidden, more };
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) heap_free(all[k], AK_MALLOC, 1);
    mem_munmap(root, 4096);
}

/* Guest memory at G holding the format, then the arguments at G + 512. */
static const char *fmt(const char *f, const uint32_t *args, int n)
{
    static char out[256];
    guest_addr g = map_page();
    ua_write(g, f, strlen(f) + 1);
    ua_write(g + 512, args, n * 4);
    ua_write(g + 1024, "guest", 6);
    creq_format(out, sizeof out, g, g + 512);
    mem_munmap(g, 4096);
    return out;
}

static void test_printf(void)
{
    unit_case = "printf";
    uint32_t a[] = { (uint32_t)-42, 42, 0xbeef, 0 };
    CHECK_STR(fmt("x=%d u=%u h=%x H=%X%%\n", a, 4), "x=-42 u=42 h=beef H=0%\n");
    uint32_t b[] = { 7, 0x1000, 'Z' };
    CHECK_STR(fmt("[%5d][%-4d][%05x][%p][%c]", (uint32_t[]){ 7, 7, 0x1f, 0x1000, 'Z' }, 5),
              "[    7][7   ][0001f][0x1000][Z]");
    (void)b;
    uint32_t ll[] = { 0xffffffffu, 0x1, 5 };
    CHECK_STR(fmt("%llu %lu", ll, 3), "8589934591 5");
    CHECK_STR(fmt("%lld", (uint32_t[]){ 0xfffffffeu, 0xffffffffu }, 2), "-2");
    guest_addr dummy = 0;
    (void)dummy;
    CHECK_STR(fmt("%*d|%.3s|%s", (uint32_t[]){ 4, 9, 0, 0 }, 4), "   9|(nu|(null)");
    CHECK_STR(fmt("%q %", (uint32_t[]){ 0 }, 1), "%q %");
}

static void test_request(void)
{
    unit_case = "request";
    guest_addr g = map_page();
    static const uint8_t seq[] = { 0xc1, 0xc7, 0x03, 0xc1, 0xc7, 0x0d, 0xc1, 0xc7, 0x1d, 0xc1, 0xc7, 0x13, 0x87, 0xdb };
    ua_write(g, seq, sizeof seq);
    uint32_t len = 99;
    chk_op_fn fn = chk_decode_hook(g, &len);
    CHECK(fn != NULL);
    CHECK_EQ(len, 14);
    CHECK(chk_decode_hook(g + 1, &len) == NULL);
    static struct cpu c;
    struct insn i = { .eip = g, .len = 14 };
    uint32_t q[6] = { 0x1001, 0, 0, 0, 0, 0 };
    ua_write(g + 256, q, sizeof q);
    c.r[EAX] = g + 256;
    c.r[EDX] = 5;
    c.r[EDI] = 3;
    fn(&c, &i);
    CHECK_EQ(c.r[EDX], 1);
    CHECK_EQ(c.eip, g + 14);
    CHECK(flag_cf(&c));
    /* unknown request: the default stays */
    q[0] = 0x12345678;
    ua_write(g + 256, q, sizeof q);
    c.r[EDX] = 5;
    fn(&c, &i);
    CHECK_EQ(c.r[EDX], 5);
    /* a bad block pointer: nothing */
    c.r[EAX] = 0xfffff000u;
    fn(&c, &i);
    CHECK_EQ(c.r[EDX], 5);
    /* ue's malloc through the request */
    uint32_t m[6] = { UE_REQ_MALLOC, 24, 0, UE_KIND_MALLOC, 0, 0 };
    ua_write(g + 256, m, sizeof m);
    c.r[EAX] = g + 256;
    fn(&c, &i);
    guest_addr p = c.r[EDX];
    CHECK(p && acc(p) && !acc(p + 24));
    uint32_t f[6] = { UE_REQ_FREE, p, UE_KIND_MALLOC, 0, 0, 0 };
    ua_write(g + 256, f, sizeof f);
    fn(&c, &i);
    CHECK(!acc(p));
    /* NRADDR: EAX = 0 */
    uint8_t nr = 0xc9;
    ua_write(g + 13, &nr, 1);
    fn = chk_decode_hook(g, &len);
    c.r[EAX] = 77;
    fn(&c, &i);
    CHECK_EQ(c.r[EAX], 0);
    mem_munmap(g, 4096);
}

static void test_env(void)
{
    unit_case = "env";
    char dir[] = "/tmp/ue_heap_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char ue[128], lib[128];
    snprintf(ue, sizeof ue, "%s/ue", dir);
    snprintf(lib, sizeof lib, "%s/libuealloc.so", dir);
    fclose(fopen(lib, "w"));
    ue_opt.ue_path = ue;
    char *env1[] = { "A=1", NULL };
    char **e = chk_guest_env(env1);
    char want[256];
    snprintf(want, sizeof want, "LD_PRELOAD=%s", lib);
    CHECK_STR(e[0], "A=1");
    CHECK_STR(e[1], want);
    CHECK(e[2] == NULL);
    char *env2[] = { "LD_PRELOAD=/x.so", "B=2", NULL };
    e = chk_guest_env(env2);
    snprintf(want, sizeof want, "LD_PRELOAD=%s:/x.so", lib);
    CHECK_STR(e[0], want);
    CHECK(chk_guest_env(e) == e);   /* once */
    unlink(lib);
    rmdir(dir);
}

int main(void)
{
    mem_init();
    fault_init();
    shadow_init();
    test_shadow();
    test_stack_desc();   /* first: later tests leave freed client blocks where pages get mapped again */
    test_alloc();
    test_realloc_calloc();
    test_quarantine();
    test_custom();
    test_leaks();
    test_printf();
    test_request();
    test_env();
    return unit_done("check_heap");
}
