/* ue-test: variants=s2 d0 */
/* SSE4.2: PCMPESTRI/ESTRM/ISTRI/ISTRM under all 256 imm8 values (byte and
 * word, signed and unsigned, the four aggregations, the four polarities,
 * least/most significant index, bit/expanded mask) on edge-case strings
 * (embedded zeros, none at all, signed bounds, words with a zero byte)
 * and, for the E forms, lengths in EAX/EDX past 16 and negative ones
 * (-2^31 too). Each (instruction, strings, lengths) prints a hash of the
 * outputs and flags of all 256 immediates, and the outputs in full for
 * the immediates glibc uses. Also PCMPGTQ, unaligned and page-crossing
 * memory operands, #AC for a misaligned one under EFLAGS.AC, and glibc's
 * string functions (their SSE4.2 versions where CPUID reports SSE4.2). Each group runs under a SIGILL catcher, as ue runs
 * SSE4.2 only where the host has it. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "include/sig_try.h"

typedef long long v2di __attribute__((vector_size(16)));
typedef union { v2di v; uint32_t u[4]; uint8_t b[16]; uint16_t w[8]; } v128;

#define FLAGS 0x8d5u   /* OF SF ZF AF PF CF */

#define C4(M, b) M(b) M(b + 1) M(b + 2) M(b + 3)
#define C16(M, b) C4(M, b) C4(M, b + 4) C4(M, b + 8) C4(M, b + 12)
#define C64(M, b) C16(M, b) C16(M, b + 16) C16(M, b + 32) C16(M, b + 48)
#define C256(M) C64(M, 0) C64(M, 64) C64(M, 128) C64(M, 192)

struct out { uint32_t ecx, flags; v128 m; };

/* one instruction with one imm8: ECX or XMM0, and EFLAGS (ECX, XMM0 preset to catch stray writes) */
#define RUN_I(n) case n: __asm__ volatile("pcmpistri $(" #n "), %3, %2; pushf; pop %1"           \
                                          : "+c"(o.ecx), "=r"(o.flags) : "x"(a.v), "x"(b.v) : "cc"); break;
#define RUN_IM(n) case n: __asm__ volatile("pcmpistrm $(" #n "), %3, %2; pushf; pop %1"          \
                                           : "+Yz"(o.m.v), "=r"(o.flags) : "x"(a.v), "x"(b.v) : "cc"); break;
#define RUN_E(n) case n: __asm__ volatile("pcmpestri $(" #n "), %3, %2; pushf; pop %1"           \
                                          : "+c"(o.ecx), "=r"(o.flags) : "x"(a.v), "x"(b.v), "a"(la), "d"(lb) : "cc"); break;
#define RUN_EM(n) case n: __asm__ volatile("pcmpestrm $(" #n "), %3, %2; pushf; pop %1"          \
                                           : "+Yz"(o.m.v), "=r"(o.flags) : "x"(a.v), "x"(b.v), "a"(la), "d"(lb) : "cc"); break;

__attribute__((noinline, target("sse4.2"))) static struct out run(int insn, unsigned imm, v128 a, v128 b, int32_t la, int32_t lb)
{
    struct out o;
    o.ecx = 0xdeadbeef;
    memset(&o.m, 0xa5, 16);
    switch (insn) {
    case 0: switch (imm) { C256(RUN_E) } break;
    case 1: switch (imm) { C256(RUN_EM) } break;
    case 2: switch (imm) { C256(RUN_I) } break;
    default: switch (imm) { C256(RUN_IM) } break;
    }
    o.flags &= FLAGS;
    return o;
}

static const char *const names[4] = { "pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm" };

static void pr_out(const char *n, unsigned imm, struct out o)
{
    printf("  %s %02x: ecx %08x xmm0 %08x %08x %08x %08x flags %03x\n", n, imm, o.ecx,
           o.m.u[3], o.m.u[2], o.m.u[1], o.m.u[0], o.flags);
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const uint8_t *s = p;
    while (n--) h = (h ^ *s++) * 16777619u;
    return h;
}

static v128 str(const char *s, size_t n)
{
    v128 v;
    memset(&v, 0, sizeof v);
    memcpy(v.b, s, n);
    return v;
}

static v128 pairs[16][2];
static int npairs;
static void add(const v128 *a, const v128 *b) { pairs[npairs][0] = *a; pairs[npairs][1] = *b; npairs++; }
static void add_s(const char *a, size_t na, const char *b, size_t nb)
{
    v128 x = str(a, na), y = str(b, nb);
    add(&x, &y);
}

static void make_pairs(void)
{
    add_s("world", 5, "hello world", 11);
    add_s("o", 1, "hello world", 11);
    add_s("0123456789abcdef", 16, "fedcba9876543210", 16);           /* no zeros */
    add_s("azAZ09", 6, "Hello, World 42!", 16);                       /* ranges */
    add_s("ab\0cd", 5, "xxab\0cdab\0", 10);                          /* embedded zeros */
    add_s("", 0, "abc", 3);                                           /* empty a */
    add_s("abc", 3, "", 0);                                           /* empty b */
    add_s("", 0, "", 0);
    add_s("\x80\x7f\xff\x01", 4, "\x00\x80\x81\x7f\xfe\xff\x01\x02\x80\x7f\x10\x90\xa0\xb0\xc0\xd0", 16);
    add_s("a\0b\0\0c", 6, "x\0a\0y\0b\0\0\0c\0\0d", 15);            /* words: a zero byte is not a zero word */
    add_s("\x01\x80\xff\x7f\x00\x80\x00\x00", 8, "\x00\x80\xff\x80\x01\x00\xfe\x7f\x02\x80\x00\x01\x33\x22\x11\x00", 16);
    add_s("abababababababab", 16, "abababab", 8);
    uint32_t x = 12345;
    v128 r1, r2;
    for (int k = 0; k < 16; k++) {
        x = x * 1103515245 + 12345; r1.b[k] = (uint8_t)(x >> 16) % 6 + 'a';
        x = x * 1103515245 + 12345; r2.b[k] = (uint8_t)(x >> 16) % 6 + 'a';
    }
    add(&r1, &r2);
    r1.b[9] = 0; r2.w[6] = 0;
    add(&r1, &r2);
}

static const int32_t lens[][2] = {
    {0, 0}, {3, 5}, {5, 3}, {16, 16}, {8, 8}, {7, 15}, {17, 100}, {-3, -20}, {8, -8},
    {INT32_MIN, 5}, {5, INT32_MIN}, {INT32_MAX, 1}, {-16, 15}, {-1, 0}, {15, -17}, {9, 4},
};
#define NLENS (sizeof lens / sizeof lens[0])

/* the immediates glibc's string functions use, and a few more */
static const uint8_t shown[] = { 0x00, 0x02, 0x08, 0x0c, 0x12, 0x14, 0x1a, 0x3a, 0x40, 0x44, 0x4c, 0x5a, 0x70, 0x7d };

__attribute__((target("sse4.2"))) static void strings(int insn)
{
    for (int p = 0; p < npairs; p++) {
        v128 a = pairs[p][0], b = pairs[p][1];
        int nl = insn < 2 ? (int)NLENS : 1;
        for (int l = 0; l < nl; l++) {
            int32_t la = lens[l][0], lb = lens[l][1];
            uint32_t h = 2166136261u;
            for (unsigned imm = 0; imm < 256; imm++) {
                struct out o = run(insn, imm, a, b, la, lb);
                h = fnv(h, &o.ecx, 4);
                h = fnv(h, &o.flags, 4);
                h = fnv(h, &o.m, 16);
            }
            printf("%s pair %d len %d %d: %08x\n", names[insn], p, la, lb, h);
            if (l % 5 == 0)
                for (unsigned k = 0; k < sizeof shown; k++) pr_out(names[insn], shown[k], run(insn, shown[k], a, b, la, lb));
        }
    }
}

/* memory operands: unaligned (allowed), and the 16 bytes running into an unmapped page */
__attribute__((target("sse4.2"))) static void memory(void)
{
    static char buf[64] __attribute__((aligned(16))) = "....needle in a haystack, a needle";
    v128 a = str("needle", 6), m;
    uint32_t ecx, fl;
    __asm__ volatile("pcmpistri $0x0c, 5(%2), %3; pushf; pop %1" : "=c"(ecx), "=r"(fl) : "r"(buf), "x"(a.v) : "cc", "memory");
    printf("pcmpistri m+5 ecx %u flags %03x\n", ecx, fl & FLAGS);
    __asm__ volatile("pcmpestrm $0x4c, 17(%2), %3; pushf; pop %1" : "=Yz"(m.v), "=r"(fl) : "r"(buf), "x"(a.v), "a"(6), "d"(13) : "cc", "memory");
    printf("pcmpestrm m+17 %08x %08x %08x %08x flags %03x\n", m.u[3], m.u[2], m.u[1], m.u[0], fl & FLAGS);
    long pg = sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + pg, pg);
    memset(two + pg - 16, 'x', 16);
    two[pg - 3] = 0;
    TRY("pcmpistri crossing", {
        __asm__ volatile("pcmpistri $0x0c, (%2), %3; pushf; pop %1" : "=c"(ecx), "=r"(fl) : "r"(two + pg - 8), "x"(a.v) : "cc", "memory");
        printf("no fault: ecx %u\n", ecx);
    });
    printf("fault at page end %+ld\n", (long)((char *)try_addr - (two + pg)));
    TRY("pcmpestri crossing", {
        __asm__ volatile("pcmpestri $0x00, (%2), %3; pushf; pop %1" : "=c"(ecx), "=r"(fl) : "r"(two + pg - 1), "x"(a.v), "a"(1), "d"(1) : "cc", "memory");
        printf("no fault: ecx %u\n", ecx);
    });
    TRY("pcmpistri in page", {
        __asm__ volatile("pcmpistri $0x0c, (%2), %3; pushf; pop %1" : "=c"(ecx), "=r"(fl) : "r"(two + pg - 16), "x"(a.v) : "cc", "memory");
        printf("pcmpistri at page end: ecx %u flags %03x\n", ecx, fl & FLAGS);
    });
    munmap(two, pg);
    /* with EFLAGS.AC set, a misaligned m128 is #AC (SIGBUS) though no #GP otherwise */
    for (int off = 0; off <= 8; off += 4) {
        TRY("pcmpistri under AC", {
            __asm__ volatile("pushf; orl $0x40000, (%%esp); popf\n\t"
                             "pcmpistri $0, (%0), %1\n\t"
                             "pushf; andl $~0x40000, (%%esp); popf" : : "r"(buf + off), "x"(a.v) : "ecx", "cc", "memory");
            printf("pcmpistri under AC at +%d: no fault\n", off);
        });
    }
}

__attribute__((target("sse4.2"))) static void gtq(void)
{
    static const uint64_t v[] = { 0, 1, ~0ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x100000000ull, 0xffffffffull };
    const int n = sizeof v / sizeof v[0];
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n; j++) {
            v128 a, b;
            a.u[0] = (uint32_t)v[k]; a.u[1] = v[k] >> 32; a.u[2] = (uint32_t)v[j]; a.u[3] = v[j] >> 32;
            b.u[0] = (uint32_t)v[j]; b.u[1] = v[j] >> 32; b.u[2] = (uint32_t)v[(k + j) % n]; b.u[3] = v[(k + j) % n] >> 32;
            __asm__("pcmpgtq %1, %0" : "+x"(a.v) : "x"(b.v));
            printf("pcmpgtq %d %d: %08x%08x %08x%08x\n", k, j, a.u[3], a.u[2], a.u[1], a.u[0]);
        }
    static v128 mem[2] __attribute__((aligned(16)));
    mem[0].u[0] = 5; mem[0].u[1] = 0x80000000;
    v128 a = { .u = { 1, 2, 3, 4 } };
    __asm__ volatile("pcmpgtq %1, %0" : "+x"(a.v) : "m"(mem[0]) : "memory");
    printf("pcmpgtq m128 %08x %08x %08x %08x\n", a.u[3], a.u[2], a.u[1], a.u[0]);
    TRY("pcmpgtq misaligned", {
        __asm__ volatile("pcmpgtq 4(%1), %0" : "+x"(a.v) : "r"(mem) : "memory");
        printf("pcmpgtq misaligned: no fault\n");
    });
}

/* glibc's string functions, which take their SSE4.2 paths (PCMPISTRI)
 * where CPUID reports SSE4.2: every start alignment and length up to 40 */
static void libc_strings(void)
{
    static char hay[128], set[24];
    uint32_t h = 2166136261u;
    for (int len = 0; len < 40; len++)
        for (int al = 0; al < 16; al++) {
            char *p = hay + al;
            for (int k = 0; k < len; k++) p[k] = (char)('a' + (k * 7 + len) % 23);
            p[len] = 0;
            for (int n = 0; n < 20; n += 3) {
                for (int k = 0; k < n; k++) set[k] = (char)('a' + (k * 5 + al) % 26);
                set[n] = 0;
                char *b = strpbrk(p, set);
                uint32_t r[6] = { (uint32_t)strcspn(p, set), (uint32_t)strspn(p, set), b ? (uint32_t)(b - p) : ~0u,
                                  (uint32_t)(strcasecmp(p, set) > 0) - (strcasecmp(p, set) < 0),
                                  (uint32_t)(strncasecmp(p, set, n / 2) > 0) - (strncasecmp(p, set, n / 2) < 0),
                                  strstr(p, set + n / 2) ? (uint32_t)(strstr(p, set + n / 2) - p) : ~0u };
                for (int k = 0; k < 6; k++)
                    for (int j = 0; j < 4; j++) h = (h ^ (uint8_t)(r[k] >> 8 * j)) * 16777619u;
            }
        }
    printf("libc string functions: %08x\n", h);
}

int main(void)
{
    sig_try_install();
    make_pairs();
    for (int insn = 0; insn < 4; insn++)
        TRY(names[insn], strings(insn));
    TRY("memory", memory());
    TRY("pcmpgtq", gtq());
    libc_strings();
    return 0;
}
