/* Client requests and static redirects, found by the checked decoder.
 *
 * Valgrind's x86 request: the 12 bytes C1 C7 03 C1 C7 0D C1 C7 1D C1 C7 13
 * (roll $3, $13, $29, $19 of %edi: 64 bits in all, nothing changes) then
 * xchg %ebx,%ebx: EAX points to {request, arg1..arg5}, EDX brings the
 * default result and takes the answer. The other xchg forms (NRADDR,
 * call-noredir, IR injection) behave as natively, NRADDR giving 0.
 *
 * In a static program (its own malloc inside), the entries of the malloc
 * family and of C++ new/delete run ue's heap instead; dynamic programs get
 * the allocator library (LD_PRELOAD), whose requests land here too. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "../cpu/cpu.h"
#include "../debug/stack.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "../../guest/ue_requests.h"

#define SEQ_LEN 14
static const uint8_t preamble[12] = { 0xc1, 0xc7, 0x03, 0xc1, 0xc7, 0x0d, 0xc1, 0xc7, 0x1d, 0xc1, 0xc7, 0x13 };

/* Valgrind's request codes (valgrind.h, memcheck.h). */
enum {
    VG_RUNNING_ON_VALGRIND = 0x1001, VG_DISCARD_TRANSLATIONS = 0x1002,
    VG_COUNT_ERRORS = 0x1201,
    VG_MALLOCLIKE_BLOCK = 0x1301, VG_FREELIKE_BLOCK = 0x1302, VG_CREATE_MEMPOOL = 0x1303,
    VG_DESTROY_MEMPOOL = 0x1304, VG_MEMPOOL_ALLOC = 0x1305, VG_MEMPOOL_FREE = 0x1306,
    VG_MEMPOOL_TRIM = 0x1307, VG_MOVE_MEMPOOL = 0x1308, VG_MEMPOOL_CHANGE = 0x1309,
    VG_MEMPOOL_EXISTS = 0x130a, VG_RESIZEINPLACE_BLOCK = 0x130b,
    VG_PRINTF = 0x1401, VG_PRINTF_BACKTRACE = 0x1402,
    VG_PRINTF_VALIST_BY_REF = 0x1403, VG_PRINTF_BACKTRACE_VALIST_BY_REF = 0x1404,
    VG_STACK_REGISTER = 0x1501, VG_STACK_DEREGISTER = 0x1502, VG_STACK_CHANGE = 0x1503,
    VG_CHANGE_ERR_DISABLEMENT = 0x1801,
    MC_BASE = 0x4d430000,
    MC_MAKE_MEM_NOACCESS = MC_BASE, MC_MAKE_MEM_UNDEFINED, MC_MAKE_MEM_DEFINED, MC_DISCARD,
    MC_CHECK_MEM_IS_ADDRESSABLE, MC_CHECK_MEM_IS_DEFINED, MC_DO_LEAK_CHECK, MC_COUNT_LEAKS,
    MC_GET_VBITS, MC_SET_VBITS, MC_CREATE_BLOCK, MC_MAKE_MEM_DEFINED_IF_ADDRESSABLE,
    MC_COUNT_LEAK_BLOCKS,
};

static stack_id here(struct cpu *c, const struct insn *i) { return stack_capture(c, i->eip); }

static enum chk_alloc_kind alloc_kind(uint32_t k)
{
    return k == UE_KIND_NEW ? AK_NEW : k == UE_KIND_NEW_ARRAY ? AK_NEW_ARRAY : AK_MALLOC;
}

static void report(const struct chk_error *e)
{
    if (!chk_err_disabled) chk_report(e);
}

static void report_fishy(stack_id where, const char *fn, const char *what, uint32_t v)
{
    struct chk_error e = { .kind = ERR_FISHY_VALUE, .where = where, .fn = fn, .what = what,
                           .value = (int32_t)v };
    report(&e);
}

/* A guest string into buf: cut at size - 1 bytes, or where it stops being readable. */
static void guest_str(char *buf, size_t size, guest_addr a)
{
    if (ua_strncpy(buf, a, size) >= 0) return;
    size_t left = ua_read_partial(buf, a, size - 1);
    buf[size - 1 - left] = 0;
}

/* A guest string kept for the run (error records outlive the request):
 * known names are shared, others interned up to a bound. */
static const char *intern_guest(guest_addr a)
{
    static const char *known[] = { "size", "nmemb", "malloc", "calloc", "realloc", "memalign",
        "posix_memalign", "aligned_alloc", "valloc", "pvalloc", "reallocarray", "__builtin_new",
        "__builtin_vec_new", "operator new", "operator new[]", "alignment" };
    static const char *interned[64];
    static int n_interned;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    char buf[64];
    guest_str(buf, sizeof buf, a);
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (!strcmp(buf, known[k])) return known[k];
    const char *r = "?";
    pthread_mutex_lock(&lock);
    for (int k = 0; k < n_interned; k++)
        if (!strcmp(buf, interned[k])) { r = interned[k]; goto out; }
    if (n_interned < 64 && (interned[n_interned] = strdup(buf))) r = interned[n_interned++];
out:
    pthread_mutex_unlock(&lock);
    return r;
}

/* ---- the guest printf ---- */

struct gva { guest_addr p; bool bad; };

static uint32_t va_u32(struct gva *v)
{
    uint32_t x = 0;
    if (!v->bad && ua_get_u32(v->p, &x)) v->bad = true;
    v->p += 4;
    return x;
}

static uint64_t va_u64(struct gva *v)
{
    uint64_t lo = va_u32(v);
    return lo | (uint64_t)va_u32(v) << 32;
}

/* Appends to out (cap bytes, NUL-terminated); returns the new length. */
static size_t put(char *out, size_t cap, size_t n, const char *s, size_t len)
{
    if (n + 1 >= cap) return n;
    if (len > cap - 1 - n) len = cap - 1 - n;
    memcpy(out + n, s, len);
    out[n + len] = 0;
    return n + len;
}

size_t creq_format(char *out, size_t cap, guest_addr fmt, guest_addr args)
{
    char f[4096], spec[32], tmp[4200], str[4096];
    struct gva va = { args, false };
    size_t n = 0;
    if (!cap) return 0;
    out[0] = 0;
    guest_str(f, sizeof f, fmt);
    for (const char *p = f; *p; ) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            n = put(out, cap, n, p, len);
            p += len;
            continue;
        }
        const char *start = p++;
        size_t sl = 0;
        spec[sl++] = '%';
        while (*p && strchr("-+ #0", *p) && sl < 8) spec[sl++] = *p++;
        int width = -1, prec = -1;
        if (*p == '*') { width = (int32_t)va_u32(&va); p++; }
        else if (*p >= '0' && *p <= '9') { width = 0; while (*p >= '0' && *p <= '9') { width = width * 10 + (*p - '0'); if (width > 4096) width = 4096; p++; } }
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') { prec = (int32_t)va_u32(&va); p++; }
            else while (*p >= '0' && *p <= '9') { prec = prec * 10 + (*p - '0'); if (prec > 4096) prec = 4096; p++; }
        }
        if (width > 4096) width = 4096;
        if (width < -4096) width = -4096;
        if (prec > 4096) prec = 4096;
        int lng = 0;   /* 0 int, 1 long (32 bits), 2 long long */
        while (*p && strchr("hlzjt", *p)) { if (*p == 'l') lng++; p++; }
        char conv = *p ? *p++ : 0;
        if (width != -1) sl += (size_t)snprintf(spec + sl, sizeof spec - sl, "%d", width);
        if (prec >= 0) sl += (size_t)snprintf(spec + sl, sizeof spec - sl, ".%d", prec);
        int len = 0;
        switch (conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            if (lng >= 2) {
                memcpy(spec + sl, "ll", 3);
                spec[sl + 2] = conv; spec[sl + 3] = 0;
                uint64_t v = va_u64(&va);
                len = conv == 'd' || conv == 'i' ? snprintf(tmp, sizeof tmp, spec, (long long)v)
                                                 : snprintf(tmp, sizeof tmp, spec, (unsigned long long)v);
            } else {
                spec[sl] = conv; spec[sl + 1] = 0;
                uint32_t v = va_u32(&va);
                len = conv == 'd' || conv == 'i' ? snprintf(tmp, sizeof tmp, spec, (int32_t)v)
                                                 : snprintf(tmp, sizeof tmp, spec, v);
            }
            break;
        case 'p': {
            uint32_t v = va_u32(&va);
            memcpy(spec + sl, "s", 2);
            char hex[16];
            snprintf(hex, sizeof hex, "0x%x", v);
            len = snprintf(tmp, sizeof tmp, spec, hex);
            break;
        }
        case 'c':
            memcpy(spec + sl, "c", 2);
            len = snprintf(tmp, sizeof tmp, spec, (int)(uint8_t)va_u32(&va));
            break;
        case 's': {
            guest_addr s = va_u32(&va);
            if (!s) strcpy(str, "(null)");
            else guest_str(str, sizeof str, s);
            memcpy(spec + sl, "s", 2);
            len = snprintf(tmp, sizeof tmp, spec, str);
            break;
        }
        case '%':
            len = snprintf(tmp, sizeof tmp, "%%");
            break;
        default:   /* unknown: shown as written */
            len = snprintf(tmp, sizeof tmp, "%.*s", (int)(p - start), start);
            break;
        }
        if (len > 0) n = put(out, cap, n, tmp, (size_t)len < sizeof tmp ? (size_t)len : sizeof tmp - 1);
    }
    return n;
}

/* ---- registered stacks (STACK_REGISTER): kept for descriptions ---- */

struct ustack { uint32_t id; guest_addr start, end; };
static struct ustack ustacks[256];
static uint32_t ustack_next = 1;
static pthread_mutex_t ustack_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t stack_register(guest_addr start, guest_addr end)
{
    pthread_mutex_lock(&ustack_lock);
    uint32_t id = ustack_next++;
    for (size_t k = 0; k < sizeof ustacks / sizeof *ustacks; k++)
        if (!ustacks[k].id) { ustacks[k] = (struct ustack){ id, start, end }; break; }
    pthread_mutex_unlock(&ustack_lock);
    return id;
}

static void stack_change(uint32_t id, guest_addr start, guest_addr end, bool drop)
{
    pthread_mutex_lock(&ustack_lock);
    for (size_t k = 0; k < sizeof ustacks / sizeof *ustacks; k++)
        if (ustacks[k].id == id) {
            if (drop) ustacks[k].id = 0;
            else { ustacks[k].start = start; ustacks[k].end = end; }
        }
    pthread_mutex_unlock(&ustack_lock);
}

/* ---- requests ---- */

static const char *const overlap_fn[UE_FN_COUNT] = {
    [UE_FN_MEMCPY] = "memcpy", [UE_FN_MEMPCPY] = "mempcpy", [UE_FN_STRCPY] = "strcpy",
    [UE_FN_STPCPY] = "stpcpy", [UE_FN_STRNCPY] = "strncpy", [UE_FN_STPNCPY] = "stpncpy",
    [UE_FN_STRCAT] = "strcat", [UE_FN_STRNCAT] = "strncat", [UE_FN_MEMCCPY] = "memccpy",
    [UE_FN_WCSCPY] = "wcscpy",
};

static uint32_t client_check(struct cpu *c, const struct insn *i, guest_addr a, uint32_t len)
{
    int64_t bad = shadow_first_noaccess(a, len);
    if (bad < 0) return 0;
    struct chk_error e = { .kind = ERR_CLIENT_CHECK, .where = here(c, i), .addr = (guest_addr)bad, .size = len };
    heap_describe((guest_addr)bad, &e.desc);
    report(&e);
    return (uint32_t)bad;
}

static uint32_t printf_req(struct cpu *c, const struct insn *i, guest_addr fmt, guest_addr va, bool bt)
{
    static __thread char out[8192];
    size_t n = creq_format(out, sizeof out, fmt, va);
    chk_printf(out, bt ? here(c, i) : 0);
    return (uint32_t)n;
}

static void count_leaks(const uint32_t *a, bool blocks)
{
    struct leak_summary s;
    leak_counts(&s);
    const uint64_t *v = blocks ? s.blocks : s.bytes;
    uint32_t out[4] = { (uint32_t)(v[0] + v[1]), (uint32_t)v[2], (uint32_t)v[3],
                        (uint32_t)(blocks ? s.supp_blocks : s.supp_bytes) };
    for (int k = 0; k < 4; k++) (void)ua_put_u32(a[k], out[k]);
}

/* One request; returns false when it is not one ue knows (EDX unchanged). */
static bool request(struct cpu *c, const struct insn *i, const uint32_t *q, uint32_t *res)
{
    const uint32_t *a = q + 1;
    *res = 0;
    switch (q[0]) {
    case VG_RUNNING_ON_VALGRIND: case UE_REQ_RUNNING:
        *res = 1;
        break;
    case VG_DISCARD_TRANSLATIONS:
        /* as a write to that code: the decoded-code cache drops it */
        mem_notify(&(struct mem_event){ .kind = MEV_CONTENTS, .addr = a[0], .len = a[1] });
        break;
    case VG_COUNT_ERRORS:
        *res = chk_error_count();
        break;
    case VG_MALLOCLIKE_BLOCK:
        heap_custom_alloc(0, a[0], a[1], a[2], here(c, i));
        break;
    case VG_FREELIKE_BLOCK:
        if (a[0]) heap_custom_free(0, a[0], here(c, i));
        break;
    case VG_RESIZEINPLACE_BLOCK:
        heap_custom_resize(a[0], a[1], a[2], a[3], here(c, i));
        break;
    case VG_CREATE_MEMPOOL:
        heap_pool_create(a[0], a[1], a[2], a[3]);
        break;
    case VG_DESTROY_MEMPOOL:
        heap_pool_destroy(a[0], here(c, i));
        break;
    case VG_MEMPOOL_ALLOC:
        heap_pool_alloc(a[0], a[1], a[2], here(c, i));
        break;
    case VG_MEMPOOL_FREE:
        if (a[1]) heap_custom_free(a[0], a[1], here(c, i));
        break;
    case VG_MEMPOOL_TRIM:
        heap_pool_trim(a[0], a[1], a[2], here(c, i));
        break;
    case VG_MOVE_MEMPOOL:
        heap_pool_move(a[0], a[1]);
        break;
    case VG_MEMPOOL_CHANGE:
        heap_pool_change(a[0], a[1], a[2], a[3]);
        break;
    case VG_MEMPOOL_EXISTS:
        *res = heap_pool_exists(a[0]);
        break;
    case VG_PRINTF: case VG_PRINTF_BACKTRACE:
        *res = printf_req(c, i, a[0], a[1], q[0] == VG_PRINTF_BACKTRACE);
        break;
    case VG_PRINTF_VALIST_BY_REF: case VG_PRINTF_BACKTRACE_VALIST_BY_REF: {
        uint32_t va;   /* i386 va_list: a pointer to the next argument */
        if (ua_get_u32(a[1], &va)) return false;
        *res = printf_req(c, i, a[0], va, q[0] == VG_PRINTF_BACKTRACE_VALIST_BY_REF);
        break;
    }
    case VG_STACK_REGISTER:
        *res = stack_register(a[0], a[1]);
        break;
    case VG_STACK_DEREGISTER:
        stack_change(a[0], 0, 0, true);
        break;
    case VG_STACK_CHANGE:
        stack_change(a[0], a[1], a[2], false);
        break;
    case VG_CHANGE_ERR_DISABLEMENT:
        chk_err_disabled += (int32_t)a[0];
        if (chk_err_disabled < 0) chk_err_disabled = 0;
        break;
    case MC_MAKE_MEM_NOACCESS:
        shadow_set_client(a[0], a[1], SH_NOACCESS);
        *res = (uint32_t)-1;
        break;
    case MC_MAKE_MEM_UNDEFINED: case MC_MAKE_MEM_DEFINED:   /* definedness comes in part 2 */
        shadow_set(a[0], a[1], SH_DEFINED);
        *res = (uint32_t)-1;
        break;
    case MC_MAKE_MEM_DEFINED_IF_ADDRESSABLE:
        *res = (uint32_t)-1;
        break;
    case MC_CHECK_MEM_IS_ADDRESSABLE: case MC_CHECK_MEM_IS_DEFINED:
        *res = client_check(c, i, a[0], a[1]);
        break;
    case MC_DO_LEAK_CHECK:
        leak_check(a[0] == 1 ? 1 : 2, a[1] != 0);
        break;
    case MC_COUNT_LEAKS: case MC_COUNT_LEAK_BLOCKS:
        count_leaks(a, q[0] == MC_COUNT_LEAK_BLOCKS);
        break;
    case UE_REQ_MALLOC:
        *res = heap_alloc(a[0], a[1], alloc_kind(a[2]), here(c, i));
        break;
    case UE_REQ_CALLOC:
        *res = heap_calloc(a[0], a[1], here(c, i));
        break;
    case UE_REQ_REALLOC:
        *res = heap_realloc(a[0], a[1], here(c, i));
        break;
    case UE_REQ_FREE:
        heap_free(a[0], alloc_kind(a[1]), here(c, i));
        break;
    case UE_REQ_USABLE_SIZE:
        *res = heap_usable_size(a[0]);
        break;
    case UE_REQ_CHECK_OVERLAP: {
        if (a[0] >= UE_FN_COUNT) return false;
        bool no_len = a[0] == UE_FN_STRCPY || a[0] == UE_FN_STPCPY || a[0] == UE_FN_STRCAT || a[0] == UE_FN_WCSCPY;
        struct chk_error e = { .kind = ERR_OVERLAP, .where = here(c, i), .fn = overlap_fn[a[0]],
                               .dst = a[1], .src = a[2], .len = no_len ? 0 : a[3] };
        report(&e);
        break;
    }
    case UE_REQ_FISHY:
        report_fishy(here(c, i), intern_guest(a[2]), intern_guest(a[0]), a[1]);
        break;
    default:
        return false;
    }
    return true;
}

/* After the rolls: CF is the last roll's (bit 0 of EDI, which ends as it began). */
static void seq_done(struct cpu *c, const struct insn *i)
{
    flags_set(c, (c->r[EDI] & 1) ? F_CF : 0, F_CF);
    c->eip = i->eip + i->len;
}

static void op_client_request(struct cpu *c, const struct insn *i)
{
    uint32_t q[6], res;
    if (!ua_read(q, c->r[EAX], sizeof q) && request(c, i, q, &res)) c->r[EDX] = res;
    seq_done(c, i);
}

static void op_get_nraddr(struct cpu *c, const struct insn *i)
{
    c->r[EAX] = 0;
    seq_done(c, i);
}

static void op_seq_nop(struct cpu *c, const struct insn *i) { seq_done(c, i); }

/* ---- static redirects ---- */

enum rop { R_ALLOC, R_FREE, R_CALLOC, R_REALLOC, R_MEMALIGN, R_POSIX_MEMALIGN, R_VALLOC,
           R_PVALLOC, R_USABLE };
/* reallocarray stays glibc's: it sets errno on overflow (TLS ue does not
 * reach), then calls realloc, which is redirected. */
struct redir_fn {
    const char *name;
    uint8_t op, kind;
    uint8_t align;     /* R_ALLOC: an alignment argument follows the size */
    uint8_t nothrow;   /* new: fails with 0 instead of throwing */
};
/* glibc's name and its __libc_ alias; new and new[]; delete and delete[]
 * (i386 manglings: size_t is 'j'). */
#define LIBC_PAIR(name, op, nothrow) { #name, op, AK_MALLOC, 0, nothrow }, { "__libc_" #name, op, AK_MALLOC, 0, nothrow }
#define NEW_PAIR(suffix, align, nothrow) \
    { "_Znwj" suffix, R_ALLOC, AK_NEW, align, nothrow }, { "_Znaj" suffix, R_ALLOC, AK_NEW_ARRAY, align, nothrow }
#define DELETE_PAIR(suffix) { "_ZdlPv" suffix, R_FREE, AK_NEW, 0, 0 }, { "_ZdaPv" suffix, R_FREE, AK_NEW_ARRAY, 0, 0 }
static const struct redir_fn redir_fns[] = {
    LIBC_PAIR(malloc, R_ALLOC, 1), LIBC_PAIR(free, R_FREE, 0), LIBC_PAIR(calloc, R_CALLOC, 0),
    LIBC_PAIR(realloc, R_REALLOC, 0), LIBC_PAIR(memalign, R_MEMALIGN, 0),
    { "cfree", R_FREE, AK_MALLOC, 0, 0 }, { "aligned_alloc", R_MEMALIGN, AK_MALLOC, 0, 0 },
    { "posix_memalign", R_POSIX_MEMALIGN, AK_MALLOC, 0, 0 },
    { "valloc", R_VALLOC, AK_MALLOC, 0, 0 }, { "pvalloc", R_PVALLOC, AK_MALLOC, 0, 0 },
    { "malloc_usable_size", R_USABLE, AK_MALLOC, 0, 0 },
    NEW_PAIR("", 0, 0), NEW_PAIR("RKSt9nothrow_t", 0, 1), NEW_PAIR("St11align_val_t", 1, 0),
    NEW_PAIR("St11align_val_tRKSt9nothrow_t", 1, 1),
    DELETE_PAIR(""), DELETE_PAIR("j"), DELETE_PAIR("St11align_val_t"), DELETE_PAIR("jSt11align_val_t"),
    DELETE_PAIR("RKSt9nothrow_t"), DELETE_PAIR("St11align_val_tRKSt9nothrow_t"),
};
#define N_REDIR (sizeof redir_fns / sizeof *redir_fns)

struct redir { guest_addr entry; const struct redir_fn *fn; };
static struct redir redirs[N_REDIR];
static size_t n_redirs;
static pthread_once_t redir_once = PTHREAD_ONCE_INIT;

/* A static program maps one file (itself); a dynamic one has ld.so too. */
static bool program_is_static(void)
{
    dev_t dev = 0;
    ino_t ino = 0;
    for (const struct region *r = mem_next_region(0); r; r = r->end ? mem_next_region(r->end) : NULL) {
        if (!r->ino) continue;
        if (!ino) { dev = r->dev; ino = r->ino; }
        else if (r->ino != ino || r->dev != dev) return false;
        if (!r->end) break;
    }
    return ino != 0;
}

static int by_entry(const void *x, const void *y)
{
    const struct redir *a = x, *b = y;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

static void redir_build(void)
{
    if (!chk_opt.on || !program_is_static()) return;
    for (size_t k = 0; k < N_REDIR; k++) {
        guest_addr e = sym_address(redir_fns[k].name);
        if (!e) continue;
        size_t j = 0;
        while (j < n_redirs && redirs[j].entry != e) j++;
        if (j == n_redirs) redirs[n_redirs++] = (struct redir){ e, &redir_fns[k] };   /* aliases share an entry */
    }
    qsort(redirs, n_redirs, sizeof *redirs, by_entry);
}

static const struct redir_fn *redir_find(guest_addr eip)
{
    size_t lo = 0, hi = n_redirs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (redirs[mid].entry == eip) return redirs[mid].fn;
        if (redirs[mid].entry < eip) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

/* Valgrind's fishy-size check: a size that is negative as a signed int. */
static bool fishy(stack_id where, const char *fn, const char *what, uint32_t v)
{
    if ((int32_t)v >= 0) return false;
    report_fishy(where, fn, what, v);
    return true;
}

static const char *alloc_fn_name(const struct redir_fn *f)
{
    return f->kind == AK_NEW ? "__builtin_new" : f->kind == AK_NEW_ARRAY ? "__builtin_vec_new" : f->name;
}

/* glibc's memalign alignment: huge fails, small becomes the minimum, others round up to a power of two. */
static uint32_t fix_align(uint32_t al)
{
    if (al > 0x80000000u) return 0;
    if (al < 16) return 16;
    return al & (al - 1) ? 1u << (32 - __builtin_clz(al)) : al;
}

static uint32_t redir_call(struct cpu *c, const struct redir_fn *f, const uint32_t *a, stack_id w)
{
    switch (f->op) {
    case R_ALLOC: {
        uint32_t al = f->align ? fix_align(a[1]) : 0;
        uint32_t p = fishy(w, alloc_fn_name(f), "size", a[0]) || (f->align && !al) ? 0
                   : heap_alloc(a[0], al, f->kind, w);
        if (!p && !f->nothrow) {
            fflush(NULL);
            ue_fatal(1, "memcheck: new/new[] failed and should throw an exception, but ue cannot throw exceptions and so is aborting instead.  Sorry.");
        }
        return p;
    }
    case R_FREE:
        heap_free(a[0], f->kind, w);
        return 0;
    case R_CALLOC:
        if ((uint64_t)a[0] * a[1] > 0xffffffffu) return 0;   /* quietly, as Valgrind */
        if (fishy(w, "calloc", "nmemb", a[0]) | fishy(w, "calloc", "size", a[1])) return 0;
        return heap_calloc(a[0], a[1], w);
    case R_REALLOC:
        return fishy(w, "realloc", "size", a[1]) ? 0 : heap_realloc(a[0], a[1], w);
    case R_MEMALIGN: {
        uint32_t al = fix_align(a[0]);
        return !al || fishy(w, f->name, "size", a[1]) ? 0 : heap_alloc(a[1], al, AK_MALLOC, w);
    }
    case R_POSIX_MEMALIGN: {
        if (!a[1] || (a[1] & 3) || (a[1] & (a[1] - 1))) return EINVAL;
        uint32_t p = fishy(w, "posix_memalign", "size", a[2]) ? 0 : heap_alloc(a[2], a[1], AK_MALLOC, w);
        if (!p) return ENOMEM;
        (void)ua_put_u32(a[0], p);
        return 0;
    }
    case R_VALLOC:
        return fishy(w, "valloc", "size", a[0]) ? 0 : heap_alloc(a[0], GUEST_PAGE, AK_MALLOC, w);
    case R_PVALLOC:
        if (a[0] > 0xffffffffu - GUEST_PAGE + 1) return 0;
        return fishy(w, "pvalloc", "size", a[0]) ? 0 : heap_alloc(PAGE_UP(a[0]), GUEST_PAGE, AK_MALLOC, w);
    case R_USABLE:
        return a[0] ? heap_usable_size(a[0]) : 0;
    }
    return 0;
}

/* The redirected function's whole call: cdecl arguments above the return
 * address, result in EAX, then the return. errno (TLS in static glibc) is
 * left as it was. */
static void op_redirect(struct cpu *c, const struct insn *i)
{
    const struct redir_fn *f = redir_find(i->eip);
    guest_addr sp = c->r[ESP] + c->segbase[SEG_SS];
    uint32_t frame[4] = { 0 };   /* return address, up to three arguments */
    if (!f || ua_read_partial(frame, sp, sizeof frame) > sizeof frame - 4) cpu_raise(c, SIGSEGV, SEGV_MAPERR, sp);
    c->r[EAX] = redir_call(c, f, frame + 1, stack_capture(c, i->eip));
    c->r[ESP] += 4;
    c->eip = frame[0];
}

chk_op_fn chk_decode_hook(guest_addr eip, uint32_t *len)
{
    pthread_once(&redir_once, redir_build);
    if (n_redirs && redir_find(eip)) {
        *len = 0;
        return op_redirect;
    }
    uint8_t b[SEQ_LEN];
    if (ua_read_partial(b, eip, 1) || b[0] != 0xc1) return NULL;
    if (ua_read(b, eip, SEQ_LEN) || memcmp(b, preamble, sizeof preamble) || b[12] != 0x87) return NULL;
    *len = SEQ_LEN;
    switch (b[13]) {
    case 0xdb: return op_client_request;   /* xchg %ebx,%ebx */
    case 0xc9: return op_get_nraddr;       /* xchg %ecx,%ecx */
    case 0xd2: case 0xff: return op_seq_nop; /* call-noredir %eax, IR injection */
    default: return NULL;
    }
}

/* ---- the allocator library for dynamic guests ---- */

#define LIB_NAME "libuealloc.so"

/* libuealloc.so beside ue, or in ../lib/ue/ from ue's directory (make install). */
static bool find_library(char *out, size_t size)
{
    const char *self = ue_opt.ue_path;
    const char *slash = self ? strrchr(self, '/') : NULL;
    if (!slash) return false;
    int dir = (int)(slash - self);
    static const char *const where[] = { "/" LIB_NAME, "/../lib/ue/" LIB_NAME };
    for (size_t k = 0; k < sizeof where / sizeof *where; k++) {
        int n = snprintf(out, size, "%.*s%s", dir, self, where[k]);
        if (n > 0 && (size_t)n < size && access(out, R_OK) == 0) {
            char *real = realpath(out, NULL);
            if (real && strlen(real) < size) strcpy(out, real);
            free(real);
            return true;
        }
    }
    return false;
}

/* execve's environment (each string malloc'd, the array NULL-ended): the
 * library leaves LD_PRELOAD (all of it when it was alone there), as
 * Valgrind takes its preloads out; a followed exec's ue puts it back. */
void chk_guest_env_strip(char **envp)
{
    char lib[4096];
    if (!find_library(lib, sizeof lib)) return;
    size_t lib_len = strlen(lib);
    for (size_t k = 0; envp && envp[k]; k++) {
        if (strncmp(envp[k], "LD_PRELOAD=", 11)) continue;
        char *val = envp[k] + 11, *hit = strstr(val, lib);
        if (!hit || (hit > val && hit[-1] != ':' && hit[-1] != ' ')) return;
        char *end = hit + lib_len;
        if (*end && *end != ':' && *end != ' ') return;
        if (*end) end++;                          /* its separator goes too */
        else if (hit > val) hit--;                /* the last entry: the one before it */
        memmove(hit, end, strlen(end) + 1);
        if (!*val) {                              /* nothing left: no LD_PRELOAD at all */
            free(envp[k]);
            for (size_t j = k; envp[j]; j++) envp[j] = envp[j + 1];
        }
        return;
    }
}

char **chk_guest_env(char **envp)
{
    char lib[4096];
    if (!find_library(lib, sizeof lib)) {
        static bool warned;
        if (!warned) ue_warn(LIB_NAME " not found: heap errors in dynamic programs will not be seen");
        warned = true;
        return envp;
    }
    size_t n = 0, at = (size_t)-1;
    for (; envp && envp[n]; n++)
        if (!strncmp(envp[n], "LD_PRELOAD=", 11) && at == (size_t)-1) at = n;
    const char *old = at != (size_t)-1 ? envp[at] + 11 : NULL;
    if (old && strstr(old, lib)) return envp;   /* already there */
    char **nv = malloc((n + 2) * sizeof *nv);
    size_t len = strlen(lib) + (old ? strlen(old) + 1 : 0) + 12;
    char *var = malloc(len);
    if (!nv || !var) { free(nv); free(var); return envp; }
    /* first, as Valgrind puts its preloads before the user's */
    snprintf(var, len, "LD_PRELOAD=%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
    for (size_t k = 0; k < n; k++) nv[k] = envp[k];
    if (old) nv[at] = var; else nv[n++] = var;
    nv[n] = NULL;
    return nv;
}
