/* libuealloc.so: the i386 allocator library ue --memcheck preloads into
 * dynamic guests. Each allocation function asks ue (ue keeps the heap, its
 * redzones and quarantine); the copy functions report overlapping arguments
 * first. Not under ue (the RUNNING request returns its default 0) every
 * function does what glibc's does, so the library is harmless natively.
 *
 * Freestanding on purpose (no libc headers, linked with -nostdlib): it builds
 * with the host compiler alone, before gcc-multilib is installed. What it
 * uses from glibc it declares below; the symbols bind at run time.
 *
 * Left to glibc: memmove, memset and the read-only string functions (strlen,
 * strchr, memchr, strcmp, memcmp...). ue's partial-loads-ok rule accepts
 * their aligned over-reads, they have no overlap to check, and glibc's SIMD
 * versions keep checked programs fast. */
#include "ue.h"

typedef __SIZE_TYPE__ size_t;
typedef __WCHAR_TYPE__ wchar_t;
typedef __UINTPTR_TYPE__ uintptr_t;

#define ENOMEM 12
#define EINVAL 22
#define RTLD_NEXT ((void *)-1l)
#define EXPORT __attribute__((visibility("default")))
#define SIZE_MAX_ (~(size_t)0)

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);
extern int *__errno_location(void);
extern void *dlsym(void *, const char *);
extern int getpagesize(void);
extern long write(int, const void *, size_t);
extern void abort(void) __attribute__((noreturn));
extern void __chk_fail(void) __attribute__((noreturn));

#define errno (*__errno_location())

/* Under ue --memcheck? Asked once; the answer never changes. */
static int under_ue = -1;
static int on_ue(void)
{
    int r = __atomic_load_n(&under_ue, __ATOMIC_RELAXED);
    if (__builtin_expect(r < 0, 0)) {
        r = UE_RUNNING() == 1;
        __atomic_store_n(&under_ue, r, __ATOMIC_RELAXED);
    }
    return r;
}

#define REQ(code, a1, a2, a3, a4) UE_REQUEST(0, code, a1, a2, a3, a4, 0)

/* The requests that report are made in the exported functions themselves
 * (through these macros, not helper functions), so a report's top frame is
 * the function the program called, as in Valgrind's reports. */

/* Valgrind's "fishy (possibly negative) value": a size with the top bit set. */
#define FISHY(arg, v, fn) ((long)(v) < 0 ? (REQ(UE_REQ_FISHY, arg, v, fn, 0), 1) : 0)

/* ue's malloc: the block, or 0 with errno ENOMEM. */
#define UE_ALLOC(size, align, kind, fn) ({                                         \
    void *p_ = FISHY("size", size, fn) ? 0 : (void *)REQ(UE_REQ_MALLOC, size, align, kind, 0); \
    if (!p_)                                                                      \
        errno = ENOMEM;                                                           \
    p_; })

/* ---- C ---- */

EXPORT void *malloc(size_t size)
{
    if (!on_ue())
        return __libc_malloc(size);
    return UE_ALLOC(size, 0, UE_KIND_MALLOC, "malloc");
}

EXPORT void free(void *p)
{
    if (!on_ue()) {
        __libc_free(p);
        return;
    }
    if (p)
        REQ(UE_REQ_FREE, p, UE_KIND_MALLOC, 0, 0);
}

EXPORT void cfree(void *p) { free(p); }

EXPORT void *calloc(size_t nmemb, size_t size)
{
    if (!on_ue())
        return __libc_calloc(nmemb, size);
    /* An overflowing product fails quietly, as in Valgrind. */
    int bad = size && nmemb > SIZE_MAX_ / size;
    if (!bad) {
        bad = FISHY("nmemb", nmemb, "calloc");
        bad |= FISHY("size", size, "calloc");
    }
    if (bad) {
        errno = ENOMEM;
        return 0;
    }
    void *p = (void *)REQ(UE_REQ_CALLOC, nmemb, size, 0, 0);
    if (!p)
        errno = ENOMEM;
    return p;
}

EXPORT void *realloc(void *old, size_t size)
{
    if (!on_ue())
        return __libc_realloc(old, size);
    if (FISHY("size", size, "realloc")) {
        errno = ENOMEM;
        return 0;
    }
    void *p = (void *)REQ(UE_REQ_REALLOC, old, size, 0, 0);
    if (!p && (size || !old))
        errno = ENOMEM;
    return p;
}

EXPORT void *reallocarray(void *old, size_t nmemb, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(nmemb, size, &n)) {
        errno = ENOMEM;
        return 0;
    }
    return realloc(old, n);
}

/* glibc's memalign rules: a huge alignment fails with EINVAL, one that is
 * not a power of two is rounded up to the next. 0: fail. */
static size_t fix_align(size_t align)
{
    if (align > SIZE_MAX_ / 2 + 1) {
        errno = EINVAL;
        return 0;
    }
    if (align < 2 * sizeof(void *))
        align = 2 * sizeof(void *);
    while (align & (align - 1))
        align = (align | (align - 1)) + 1;
    return align;
}

#define UE_MEMALIGN(align, size, fn) ({                                      \
    size_t a_ = fix_align(align);                                            \
    a_ ? UE_ALLOC(size, a_, UE_KIND_MALLOC, fn) : (void *)0; })

EXPORT void *memalign(size_t align, size_t size)
{
    if (!on_ue())
        return __libc_memalign(align, size);
    return UE_MEMALIGN(align, size, "memalign");
}

/* glibc 2.36: aligned_alloc is memalign. */
EXPORT void *aligned_alloc(size_t align, size_t size)
{
    return memalign(align, size);
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    if (align % sizeof(void *) || (align & (align - 1)) || !align)
        return EINVAL;
    int saved = errno;
    void *p = on_ue() ? UE_MEMALIGN(align, size, "posix_memalign") : __libc_memalign(align, size);
    int err = errno;
    errno = saved;
    if (!p)
        return err == EINVAL ? EINVAL : ENOMEM;
    *out = p;
    return 0;
}

EXPORT void *valloc(size_t size)
{
    if (!on_ue())
        return __libc_valloc(size);
    return UE_MEMALIGN((size_t)getpagesize(), size, "valloc");
}

EXPORT void *pvalloc(size_t size)
{
    if (!on_ue())
        return __libc_pvalloc(size);
    size_t ps = getpagesize(), n;
    if (__builtin_add_overflow(size, ps - 1, &n)) {
        errno = ENOMEM;
        return 0;
    }
    return UE_MEMALIGN(ps, n & ~(ps - 1), "pvalloc");
}

EXPORT size_t malloc_usable_size(void *p)
{
    if (!on_ue()) {
        static size_t (*real)(void *);
        if (!real)
            real = (size_t (*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
        return real ? real(p) : 0;
    }
    return p ? (size_t)REQ(UE_REQ_USABLE_SIZE, p, 0, 0, 0) : 0;
}

/* ---- C++ (i386 mangled names: size_t is 'j', align_val_t a size_t enum,
 * nothrow_t passed by reference) ---- */

static void die(const char *msg)
{
    size_t n = 0;
    while (msg[n])
        n++;
    write(2, msg, n);
    abort();
}

/* libstdc++, looked up when needed (absent in C programs). */
static void *cxx(const char *name) { return dlsym(RTLD_NEXT, name); }

/* Natively: libstdc++'s operator of the same name (its malloc calls come
 * back here and go to glibc); without libstdc++, malloc or abort. */
static void *native_new(const char *name, size_t size, size_t align, const void *nt)
{
    void *f = cxx(name);
    if (f && align)
        return nt ? ((void *(*)(size_t, size_t, const void *))f)(size, align, nt)
                  : ((void *(*)(size_t, size_t))f)(size, align);
    if (f)
        return nt ? ((void *(*)(size_t, const void *))f)(size, nt) : ((void *(*)(size_t))f)(size);
    void *p = align ? memalign(align, size) : malloc(size);
    if (!p && !nt)
        die("libuealloc: operator new failed and there is no libstdc++ to throw std::bad_alloc\n");
    return p;
}

/* After a failed allocation: calls the new_handler and returns 1 (try
 * again); with none installed, throws std::bad_alloc (libstdc++ does), or
 * returns 0 for nothrow. A handler that throws from a nothrow new is not
 * caught here (C cannot). */
static int new_failed(const void *nt)
{
    void *get = cxx("_ZSt15get_new_handlerv");
    void (*handler)(void) = get ? ((void (*(*)(void))(void))get)() : 0;
    if (handler) {
        handler();
        return 1;
    }
    if (nt)
        return 0;
    void (*throw_bad_alloc)(void) = (void (*)(void))cxx("_ZSt17__throw_bad_allocv");
    if (throw_bad_alloc)
        throw_bad_alloc();
    die("libuealloc: operator new failed and there is no libstdc++ to throw std::bad_alloc\n");
    return 0;
}

#define NEW_FAMILY(X)                                                              \
    X(_Znwj, UE_KIND_NEW, 0, 0)                                                    \
    X(_Znaj, UE_KIND_NEW_ARRAY, 0, 0)                                              \
    X(_ZnwjRKSt9nothrow_t, UE_KIND_NEW, 0, 1)                                      \
    X(_ZnajRKSt9nothrow_t, UE_KIND_NEW_ARRAY, 0, 1)                                \
    X(_ZnwjSt11align_val_t, UE_KIND_NEW, 1, 0)                                     \
    X(_ZnajSt11align_val_t, UE_KIND_NEW_ARRAY, 1, 0)                               \
    X(_ZnwjSt11align_val_tRKSt9nothrow_t, UE_KIND_NEW, 1, 1)                       \
    X(_ZnajSt11align_val_tRKSt9nothrow_t, UE_KIND_NEW_ARRAY, 1, 1)

/* One signature per (aligned, nothrow) pair; the missing ones are 0. */
#define NEW_PARAMS_0_0 size_t size
#define NEW_PARAMS_0_1 size_t size, const void *nt
#define NEW_PARAMS_1_0 size_t size, size_t align
#define NEW_PARAMS_1_1 size_t size, size_t align, const void *nt
#define NEW_LOCALS_0_0 size_t align = 0; const void *nt = 0;
#define NEW_LOCALS_0_1 size_t align = 0;
#define NEW_LOCALS_1_0 const void *nt = 0;
#define NEW_LOCALS_1_1
/* Under ue: the standard's loop around ue's allocation. */
#define DEFINE_NEW(name, kind, al, nothrow)                                        \
    EXPORT void *name(NEW_PARAMS_##al##_##nothrow)                                 \
    {                                                                              \
        NEW_LOCALS_##al##_##nothrow                                                \
        if (!on_ue())                                                              \
            return native_new(#name, size, align, nt);                             \
        int bad = FISHY("size", size, kind == UE_KIND_NEW ? "__builtin_new" : "__builtin_vec_new"); \
        if (align && !(align = fix_align(align)))                                  \
            bad = 1;                                                               \
        for (;;) {                                                                 \
            void *p = bad ? 0 : (void *)REQ(UE_REQ_MALLOC, size, align, kind, 0);  \
            if (p || !new_failed(nt))                                              \
                return p;                                                          \
        }                                                                          \
    }
NEW_FAMILY(DEFINE_NEW)

/* Every delete: the size, alignment and nothrow arguments change nothing
 * (cdecl: the caller pops what it pushed). */
#define DELETE_FAMILY(X)                                                                   \
    X(_ZdlPv, UE_KIND_NEW) X(_ZdaPv, UE_KIND_NEW_ARRAY)                                     \
    X(_ZdlPvj, UE_KIND_NEW) X(_ZdaPvj, UE_KIND_NEW_ARRAY)                                   \
    X(_ZdlPvRKSt9nothrow_t, UE_KIND_NEW) X(_ZdaPvRKSt9nothrow_t, UE_KIND_NEW_ARRAY)         \
    X(_ZdlPvSt11align_val_t, UE_KIND_NEW) X(_ZdaPvSt11align_val_t, UE_KIND_NEW_ARRAY)       \
    X(_ZdlPvjSt11align_val_t, UE_KIND_NEW) X(_ZdaPvjSt11align_val_t, UE_KIND_NEW_ARRAY)     \
    X(_ZdlPvSt11align_val_tRKSt9nothrow_t, UE_KIND_NEW)                                    \
    X(_ZdaPvSt11align_val_tRKSt9nothrow_t, UE_KIND_NEW_ARRAY)
#define DEFINE_DELETE(name, kind)                 \
    EXPORT void name(void *p)                     \
    {                                             \
        if (!on_ue())                             \
            __libc_free(p);                       \
        else if (p)                               \
            REQ(UE_REQ_FREE, p, kind, 0, 0);      \
    }
DELETE_FAMILY(DEFINE_DELETE)

/* ---- copies with overlap checks ---- */

static int overlaps(const void *dst, size_t dlen, const void *src, size_t slen)
{
    uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
    return dlen && slen && (d < s ? d + dlen > s : s + slen > d);
}

/* Reports when [dst, dst+dlen) and [src, src+slen) overlap; len is what
 * the message shows (the call's n). */
#define OVERLAP(fn, dst, dlen, src, slen, len)                 \
    do {                                                       \
        if (overlaps(dst, dlen, src, slen) && on_ue())         \
            REQ(UE_REQ_CHECK_OVERLAP, fn, dst, src, len);      \
    } while (0)

/* Forward byte copy, a word at a time when both are aligned. Returns dst+n. */
static char *copy(char *d, const char *s, size_t n)
{
    if (!(((uintptr_t)d | (uintptr_t)s) & 3) && (d + n <= s || s + n <= d)) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(unsigned *)d = *(const unsigned *)s;
    }
    for (; n; n--)
        *d++ = *s++;
    return d;
}

/* Aligned words for the string loops: an aligned word never crosses a page,
 * and where it holds a string's end it is a partial load, which memcheck
 * accepts as Valgrind does. */
typedef unsigned __attribute__((may_alias)) word;
#define HAS_ZERO(w) (((w) - 0x01010101u) & ~(w) & 0x80808080u)

static size_t slen(const char *s)
{
    const char *p = s;
    for (; (uintptr_t)p & 3; p++)
        if (!*p)
            return p - s;
    while (!HAS_ZERO(*(const word *)p))
        p += 4;
    while (*p)
        p++;
    return p - s;
}

static size_t snlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

EXPORT void *memcpy(void *dst, const void *src, size_t n)
{
    OVERLAP(UE_FN_MEMCPY, dst, n, src, n, n);
    copy(dst, src, n);
    return dst;
}

EXPORT void *mempcpy(void *dst, const void *src, size_t n)
{
    OVERLAP(UE_FN_MEMPCPY, dst, n, src, n, n);
    return copy(dst, src, n);
}

EXPORT char *stpcpy(char *dst, const char *src)
{
    size_t n = slen(src) + 1;
    OVERLAP(UE_FN_STPCPY, dst, n, src, n, n);
    return copy(dst, src, n) - 1;
}

EXPORT char *strcpy(char *dst, const char *src)
{
    size_t n = slen(src) + 1;
    OVERLAP(UE_FN_STRCPY, dst, n, src, n, n);
    copy(dst, src, n);
    return dst;
}

/* Copies the m bytes of src, pads dst with NULs to n; returns the end of
 * the copied string (stpncpy's result). */
static char *pad_copy(char *dst, const char *src, size_t m, size_t n)
{
    char *end = copy(dst, src, m);
    for (char *p = end; p < dst + n; p++)
        *p = 0;
    return end;
}

EXPORT char *strncpy(char *dst, const char *src, size_t n)
{
    size_t m = snlen(src, n);
    OVERLAP(UE_FN_STRNCPY, dst, n, src, m < n ? m + 1 : n, n);
    pad_copy(dst, src, m, n);
    return dst;
}

EXPORT char *stpncpy(char *dst, const char *src, size_t n)
{
    size_t m = snlen(src, n);
    OVERLAP(UE_FN_STPNCPY, dst, n, src, m < n ? m + 1 : n, n);
    return pad_copy(dst, src, m, n);
}

EXPORT char *strcat(char *dst, const char *src)
{
    size_t dl = slen(dst), sl = slen(src) + 1;
    OVERLAP(UE_FN_STRCAT, dst, dl + sl, src, sl, 0);
    copy(dst + dl, src, sl);
    return dst;
}

EXPORT char *strncat(char *dst, const char *src, size_t n)
{
    size_t dl = slen(dst), m = snlen(src, n);
    OVERLAP(UE_FN_STRNCAT, dst, dl + m + 1, src, m < n ? m + 1 : m, n);
    copy(dst + dl, src, m)[0] = 0;
    return dst;
}

EXPORT void *memccpy(void *dst, const void *src, int c, size_t n)
{
    const unsigned char *s = src;
    size_t m = 0;
    while (m < n && s[m] != (unsigned char)c)
        m++;
    size_t k = m < n ? m + 1 : n;   /* bytes copied */
    OVERLAP(UE_FN_MEMCCPY, dst, k, src, k, n);
    char *end = copy(dst, src, k);
    return m < n ? end : 0;
}

EXPORT wchar_t *wcscpy(wchar_t *dst, const wchar_t *src)
{
    size_t n = 0;
    while (src[n])
        n++;
    n = (n + 1) * sizeof(wchar_t);
    OVERLAP(UE_FN_WCSCPY, dst, n, src, n, n);
    copy((char *)dst, (const char *)src, n);
    return dst;
}

/* _FORTIFY_SOURCE entry points: the object-size check, then the copy
 * (T: the pointer type; ARGS/CALL: the copy's own parameters; TOO_BIG: the
 * check against dstlen). */
#define DEFINE_CHK(name, fn, T, ARGS, CALL, TOO_BIG)      \
    EXPORT T *name ARGS                                   \
    {                                                     \
        if (TOO_BIG)                                      \
            __chk_fail();                                 \
        return fn CALL;                                   \
    }
DEFINE_CHK(__memcpy_chk, memcpy, void, (void *dst, const void *src, size_t n, size_t dstlen),
           (dst, src, n), n > dstlen)
DEFINE_CHK(__mempcpy_chk, mempcpy, void, (void *dst, const void *src, size_t n, size_t dstlen),
           (dst, src, n), n > dstlen)
DEFINE_CHK(__strcpy_chk, strcpy, char, (char *dst, const char *src, size_t dstlen),
           (dst, src), slen(src) >= dstlen)
DEFINE_CHK(__stpcpy_chk, stpcpy, char, (char *dst, const char *src, size_t dstlen),
           (dst, src), slen(src) >= dstlen)
DEFINE_CHK(__strncpy_chk, strncpy, char, (char *dst, const char *src, size_t n, size_t dstlen),
           (dst, src, n), n > dstlen)
DEFINE_CHK(__strcat_chk, strcat, char, (char *dst, const char *src, size_t dstlen),
           (dst, src), slen(dst) + slen(src) >= dstlen)

/* The read-only string functions, byte by byte, as Valgrind's preload has
 * them: glibc's SSE2/SSSE3 versions read past a string's end (harmless
 * within the page natively, but into the redzone after a heap block), and
 * these read exactly the bytes the C function is defined to look at. */
EXPORT size_t strlen(const char *s) { return slen(s); }
EXPORT size_t strnlen(const char *s, size_t max) { return snlen(s, max); }

EXPORT int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    if (!(((uintptr_t)x | (uintptr_t)y) & 3))
        while (*(const word *)x == *(const word *)y && !HAS_ZERO(*(const word *)x))
            x += 4, y += 4;
    while (*x && *x == *y)
        x++, y++;
    return *x - *y;
}

EXPORT int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++)
        if (*x != *y || !*x)
            return *x - *y;
    return 0;
}

EXPORT int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    if (!(((uintptr_t)x | (uintptr_t)y) & 3))   /* whole words inside the n bytes */
        for (; n >= 4 && *(const word *)x == *(const word *)y; n -= 4)
            x += 4, y += 4;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

EXPORT int bcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }

EXPORT char *strchrnul(const char *s, int c)
{
    while (*s && *s != (char)c)
        s++;
    return (char *)s;
}

EXPORT char *strchr(const char *s, int c)
{
    s = strchrnul(s, c);
    return *s == (char)c ? (char *)s : 0;
}

EXPORT char *index(const char *s, int c) { return strchr(s, c); }

EXPORT char *strrchr(const char *s, int c)
{
    const char *last = 0;
    do
        if (*s == (char)c)
            last = s;
    while (*s++);
    return (char *)last;
}

EXPORT char *rindex(const char *s, int c) { return strrchr(s, c); }

EXPORT void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    unsigned rep = (unsigned char)c * 0x01010101u;
    for (; n && ((uintptr_t)p & 3); n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    for (; n >= 4 && !HAS_ZERO(*(const word *)p ^ rep); n -= 4)   /* whole words inside the n bytes */
        p += 4;
    for (; n; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return 0;
}

EXPORT void *rawmemchr(const void *s, int c)
{
    const unsigned char *p = s;
    while (*p != (unsigned char)c)
        p++;
    return (void *)p;
}

EXPORT void *memrchr(const void *s, int c, size_t n)
{
    for (const unsigned char *p = (const unsigned char *)s + n; n; n--)
        if (*--p == (unsigned char)c)
            return (void *)p;
    return 0;
}
