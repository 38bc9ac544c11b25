/* ue-test: variants=s2 d0 */
/* SSE4.1: every instruction on edge values, printed in hex; the rounding
 * and dot products under each rounding mode with the MXCSR flags they
 * raise; memory forms (narrow PMOVSX/ZX loads, PEXTR* stores, MOVNTDQA's
 * #GP when misaligned). Each group runs under a SIGILL catcher, as ue runs
 * SSE4.1 only where the host has it. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <smmintrin.h>

#define T41 __attribute__((target("sse4.1"), noinline))

static sigjmp_buf jb;
static void on_sig(int sig) { siglongjmp(jb, sig); }

#define TRY(name, ...)                                                         \
    do {                                                                       \
        int s_ = sigsetjmp(jb, 1);                                             \
        if (s_) { printf("%s: signal %d\n", name, s_); break; }                \
        __VA_ARGS__;                                                           \
    } while (0)

typedef union { __m128i i; __m128 f; __m128d d; uint32_t u[4]; uint8_t b[16]; } v128;

static void pr(const char *n, v128 v)
{
    printf("%s %08x %08x %08x %08x\n", n, v.u[3], v.u[2], v.u[1], v.u[0]);
}

static const uint32_t vals[][4] = {
    {0, 0, 0, 0},
    {0xffffffff, 0x80000000, 0x7fffffff, 0x00000001},
    {0x80807f7f, 0x00ff8001, 0x7fff8000, 0xffff0000},
    {0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321},
    {0x3f800000, 0xbfc00000, 0x7f800000, 0x7fc00000},   /* 1, -1.5, inf, nan */
    {0x3f000000, 0x40200000, 0xff800000, 0x00000001},   /* .5, 2.5, -inf, denormal */
    {0x00000000, 0x3ff80000, 0x00000000, 0xc0040000},   /* doubles 1.5, -2.5 */
    {0x00010002, 0x00030004, 0xffff0005, 0x00060001},
};
#define NV (sizeof vals / sizeof vals[0])
static v128 V(int k) { v128 v; memcpy(v.u, vals[k % NV], 16); return v; }

T41 static void ints(int a, int b)
{
    v128 x = V(a), y = V(b), r;
    printf("-- %d %d\n", a, b);
#define P2(f) r.i = f(x.i, y.i); pr(#f, r);
    P2(_mm_min_epi8) P2(_mm_min_epi32) P2(_mm_min_epu16) P2(_mm_min_epu32)
    P2(_mm_max_epi8) P2(_mm_max_epi32) P2(_mm_max_epu16) P2(_mm_max_epu32)
    P2(_mm_mullo_epi32) P2(_mm_mul_epi32) P2(_mm_cmpeq_epi64) P2(_mm_packus_epi32)
#define P1(f) r.i = f(y.i); pr(#f, r);
    P1(_mm_cvtepi8_epi16) P1(_mm_cvtepi8_epi32) P1(_mm_cvtepi8_epi64) P1(_mm_cvtepi16_epi32)
    P1(_mm_cvtepi16_epi64) P1(_mm_cvtepi32_epi64) P1(_mm_cvtepu8_epi16) P1(_mm_cvtepu8_epi32)
    P1(_mm_cvtepu8_epi64) P1(_mm_cvtepu16_epi32) P1(_mm_cvtepu16_epi64) P1(_mm_cvtepu32_epi64)
    P1(_mm_minpos_epu16)
    r.i = _mm_blendv_epi8(x.i, y.i, V(a + b).i); pr("pblendvb", r);
    r.f = _mm_blendv_ps(x.f, y.f, V(a + 1).f); pr("blendvps", r);
    r.d = _mm_blendv_pd(x.d, y.d, V(b + 1).d); pr("blendvpd", r);
    r.i = _mm_blend_epi16(x.i, y.i, 0xa5); pr("pblendw", r);
    r.f = _mm_blend_ps(x.f, y.f, 0x6); pr("blendps", r);
    r.d = _mm_blend_pd(x.d, y.d, 0x2); pr("blendpd", r);
    r.i = _mm_mpsadbw_epu8(x.i, y.i, 0); pr("mpsadbw0", r);
    r.i = _mm_mpsadbw_epu8(x.i, y.i, 7); pr("mpsadbw7", r);
    r.i = _mm_mpsadbw_epu8(x.i, y.i, 5); pr("mpsadbw5", r);
    r.f = _mm_insert_ps(x.f, y.f, 0x00); pr("insertps00", r);
    r.f = _mm_insert_ps(x.f, y.f, 0xd9); pr("insertpsd9", r);
    r.i = _mm_insert_epi8(x.i, (int)y.u[0], 13); pr("pinsrb", r);
    r.i = _mm_insert_epi32(x.i, (int)y.u[1], 2); pr("pinsrd", r);
    printf("pextr %08x %08x %08x %08x\n", (uint32_t)_mm_extract_epi8(y.i, 7), (uint32_t)_mm_extract_epi32(y.i, 3),
           (uint32_t)_mm_extract_ps(y.f, 1), (uint32_t)_mm_extract_epi16(y.i, 5));
    uint32_t f;
    __asm__ volatile("ptest %2, %1; pushf; pop %0" : "=r"(f) : "x"(x.i), "x"(y.i) : "cc");
    printf("ptest flags %03x\n", f & 0x8d5);
}

/* rounding and dot products, with the flags they raise, per rounding mode */
T41 static void fps(int a, int b, unsigned mode)
{
    v128 x = V(a), y = V(b), r;
    _mm_setcsr(0x1f80 | mode << 13);
    printf("-- fp %d %d rc %u\n", a, b, mode);
#define F(name, expr) r = (v128){0}; expr; pr(name, r); printf("  mxcsr %04x\n", _mm_getcsr()); _mm_setcsr(0x1f80 | mode << 13);
    F("roundps0", r.f = _mm_round_ps(y.f, 0))
    F("roundps1", r.f = _mm_round_ps(y.f, 1))
    F("roundps4", r.f = _mm_round_ps(y.f, 4))
    F("roundps0b", r.f = _mm_round_ps(y.f, 0xb))
    F("roundpd2", r.d = _mm_round_pd(y.d, 2))
    F("roundpd3", r.d = _mm_round_pd(y.d, 3))
    F("roundpd4", r.d = _mm_round_pd(y.d, 4))
    F("roundss", r.f = _mm_round_ss(x.f, y.f, 4))
    F("roundsd", r.d = _mm_round_sd(x.d, y.d, 0))
    F("dpps_ff", r.f = _mm_dp_ps(x.f, y.f, 0xff))
    F("dpps_31", r.f = _mm_dp_ps(x.f, y.f, 0x31))
    F("dpps_c6", r.f = _mm_dp_ps(x.f, y.f, 0xc6))
    F("dppd_33", r.d = _mm_dp_pd(x.d, y.d, 0x33))
    F("dppd_12", r.d = _mm_dp_pd(x.d, y.d, 0x12))
    _mm_setcsr(0x1f80);
}

/* memory forms */
static unsigned char buf[64] __attribute__((aligned(16)));
T41 static void mem(void)
{
    for (int k = 0; k < 64; k++) buf[k] = (unsigned char)(k * 37 + 0x81);
    v128 r;
    __asm__ volatile("pmovsxbq 3(%1), %0" : "=x"(r.i) : "r"(buf) : "memory"); pr("pmovsxbq m16", r);
    __asm__ volatile("pmovzxbd 5(%1), %0" : "=x"(r.i) : "r"(buf) : "memory"); pr("pmovzxbd m32", r);
    __asm__ volatile("pmovsxwd 7(%1), %0" : "=x"(r.i) : "r"(buf) : "memory"); pr("pmovsxwd m64", r);
    __asm__ volatile("movntdqa 16(%1), %0" : "=x"(r.i) : "r"(buf) : "memory"); pr("movntdqa", r);
    v128 s = V(3);
    __asm__ volatile("pextrb $9, %1, 1(%0)\n\tpextrw $3, %1, 3(%0)\n\tpextrd $2, %1, 6(%0)\n\t"
                     "extractps $1, %1, 11(%0)" : : "r"(buf + 32), "x"(s.i) : "memory");
    __asm__ volatile("pinsrb $4, 33(%1), %0\n\tinsertps $0x31, 45(%1), %0" : "+x"(s.i) : "r"(buf) : "memory");
    pr("pinsr m", s);
    memcpy(r.u, buf + 32, 16); pr("pextr m", r);
    __asm__ volatile("ptest 16(%1), %0" : : "x"(s.i), "r"(buf) : "cc");
    TRY("movntdqa misaligned", {
        __asm__ volatile("movntdqa 8(%1), %0" : "=x"(r.i) : "r"(buf) : "memory");
        pr("movntdqa misaligned: no fault", r);
    });
    TRY("pminsd misaligned", {
        __asm__ volatile("pminsd 4(%1), %0" : "+x"(r.i) : "r"(buf) : "memory");
        pr("pminsd misaligned: no fault", r);
    });
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    for (unsigned a = 0; a < NV; a++)
        for (unsigned b = 0; b < NV; b += 3)
            TRY("ints", ints(a, b));
    for (unsigned a = 3; a < NV; a++)
        for (unsigned m = 0; m < 4; m++)
            TRY("fp", fps(a, (a + m) % NV, m));
    TRY("mem", mem());
    return 0;
}
