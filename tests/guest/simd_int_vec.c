/* ue-test: variants=s2 d0; cflags=-O3 -mssse3 -ftree-vectorize */
/* MMX/SSE2/SSSE3 integer code as compilers write it: intrinsics (including
 * the string-search idiom of pcmpeqb + pmovmskb) and loops the vectoriser
 * turns into packed integer instructions. */
#include <emmintrin.h>
#include <mmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tmmintrin.h>

#define N 1003
static uint8_t a8[N + 16], b8[N + 16], r8[N + 16];
static int16_t a16[N], b16[N], r16[N];
static int32_t a32[N], b32[N], r32[N];
static int64_t a64[N], b64[N], r64[N];
static uint32_t seed = 4242;
static uint32_t lcg(void) { seed = seed * 1103515245u + 12345u; return seed >> 7; }

static uint32_t hash(const void *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < n; k++) h = (h ^ ((const uint8_t *)p)[k]) * 16777619u;
    return h;
}

static void fill(void)
{
    static const int16_t edge16[] = {0, 1, -1, 0x7fff, -0x8000, 0x4000, -0x4001, 255, -256};
    static const int32_t edge32[] = {0, 1, -1, 0x7fffffff, (int32_t)0x80000000, 0x10000, -65536};
    for (int k = 0; k < N; k++) {
        a8[k] = k < 20 ? (uint8_t[]){0, 1, 0x7f, 0x80, 0xff}[k % 5] : lcg();
        b8[k] = k < 20 ? (uint8_t[]){0, 0xff, 0x81, 0x7f, 1}[k / 4] : lcg();
        a16[k] = k < 81 ? edge16[k % 9] : (int16_t)lcg();
        b16[k] = k < 81 ? edge16[k / 9] : (int16_t)lcg();
        a32[k] = k < 49 ? edge32[k % 7] : (int32_t)(lcg() * 2654435761u);
        b32[k] = k < 49 ? edge32[k / 7] : (int32_t)lcg();
        a64[k] = (int64_t)a32[k] << 17 ^ lcg();
        b64[k] = (int64_t)b32[k] * 3 - lcg();
    }
}

/* ---- auto-vectorised loops ---- */
__attribute__((noinline)) static void loops(void)
{
    for (int k = 0; k < N; k++) r8[k] = a8[k] + b8[k];
    printf("add8 %08x\n", hash(r8, N));
    for (int k = 0; k < N; k++) { int v = a8[k] + b8[k]; r8[k] = v > 255 ? 255 : v; }
    printf("addus8 %08x\n", hash(r8, N));
    for (int k = 0; k < N; k++) { int v = a8[k] - b8[k]; r8[k] = v < 0 ? 0 : v; }
    printf("subus8 %08x\n", hash(r8, N));
    for (int k = 0; k < N; k++) r8[k] = a8[k] < b8[k] ? a8[k] : b8[k];
    printf("min8 %08x\n", hash(r8, N));
    for (int k = 0; k < N; k++) r8[k] = (a8[k] + b8[k] + 1) >> 1;
    printf("avg8 %08x\n", hash(r8, N));
    for (int k = 0; k < N; k++) r16[k] = a16[k] * b16[k];
    printf("mul16 %08x\n", hash(r16, sizeof r16));
    for (int k = 0; k < N; k++) r16[k] = (a16[k] * b16[k]) >> 16;
    printf("mulh16 %08x\n", hash(r16, sizeof r16));
    for (int k = 0; k < N; k++) r16[k] = a16[k] > b16[k] ? a16[k] : b16[k];
    printf("max16 %08x\n", hash(r16, sizeof r16));
    for (int k = 0; k < N; k++) r16[k] = a16[k] >> 3 ^ (uint16_t)b16[k] >> 5;
    printf("shift16 %08x\n", hash(r16, sizeof r16));
    for (int k = 0; k < N; k++) r32[k] = a32[k] * b32[k] + (a32[k] << 3);
    printf("mul32 %08x\n", hash(r32, sizeof r32));
    for (int k = 0; k < N; k++) r32[k] = a32[k] < 0 ? -a32[k] : a32[k];
    printf("abs32 %08x\n", hash(r32, sizeof r32));
    for (int k = 0; k < N; k++) r32[k] = a32[k] > b32[k] ? a32[k] : b32[k];
    printf("max32 %08x\n", hash(r32, sizeof r32));
    for (int k = 0; k < N; k++) r32[k] = a16[k] * (int32_t)b8[k];
    printf("widen %08x\n", hash(r32, sizeof r32));
    for (int k = 0; k < N; k++) r16[k] = (int16_t)a32[k] + (int8_t)a8[k];
    printf("narrow %08x\n", hash(r16, sizeof r16));
    for (int k = 0; k < N; k++) r64[k] = a64[k] + b64[k] - (a64[k] >> 7) + ((uint64_t)b64[k] << 9);
    printf("add64 %08x\n", hash(r64, sizeof r64));
    int32_t s32 = 0;
    for (int k = 0; k < N; k++) s32 += a32[k] ^ b32[k];
    int cnt = 0;
    for (int k = 0; k < N; k++) cnt += a8[k] == b8[k];
    int64_t s64 = 0;
    for (int k = 0; k < N; k++) s64 += (int64_t)a16[k] * b16[k];
    unsigned sad = 0;
    for (int k = 0; k < N; k++) sad += a8[k] > b8[k] ? a8[k] - b8[k] : b8[k] - a8[k];
    printf("reductions %08x %d %lld %u\n", (uint32_t)s32, cnt, (long long)s64, sad);
}

/* ---- intrinsics ---- */
static size_t sse2_strlen(const char *s)
{
    const char *p = (const char *)((uintptr_t)s & ~(uintptr_t)15);
    __m128i z = _mm_setzero_si128();
    unsigned mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)p), z)) >> (s - p) << (s - p);
    while (!mask) {
        p += 16;
        mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)p), z));
    }
    return p + __builtin_ctz(mask) - s;
}
static const char *sse2_memchr(const char *s, int ch, size_t n)
{
    __m128i c = _mm_set1_epi8((char)ch);
    for (size_t k = 0; k + 16 <= n; k += 16) {
        unsigned m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + k)), c));
        if (m) return s + k + __builtin_ctz(m);
    }
    for (size_t k = n & ~15u; k < n; k++) if (s[k] == ch) return s + k;
    return 0;
}

static void show(const char *what, __m128i v)
{
    uint8_t b[16];
    _mm_storeu_si128((__m128i *)b, v);
    printf("%s ", what);
    for (int k = 15; k >= 0; k--) printf("%02x", b[k]);
    printf("\n");
}
static void show64(const char *what, __m64 v)
{
    unsigned long long x;
    memcpy(&x, &v, 8);
    printf("%s %016llx\n", what, x);
}

__attribute__((noinline)) static void intrinsics(void)
{
    static char text[200] __attribute__((aligned(16)));
    for (int k = 0; k < 199; k++) text[k] = 'a' + k % 26;
    for (int k = 0; k < 40; k++) {
        text[150 - k] = 0;
        printf("strlen@%d %u %u", k, (unsigned)sse2_strlen(text + k % 17), (unsigned)strlen(text + k % 17));
        const char *m = sse2_memchr(text + k, 'a' + k % 26, 120);
        printf(" memchr %d\n", m ? (int)(m - text) : -1);
        text[150 - k] = 'x';
    }
    for (int k = 0; k + 32 <= N; k += 97) {
        __m128i x = _mm_loadu_si128((const __m128i *)&a8[k]), y = _mm_loadu_si128((const __m128i *)&b8[k]);
        __m128i w = _mm_loadu_si128((const __m128i *)&a16[k]), v = _mm_loadu_si128((const __m128i *)&b16[k]);
        printf("-- at %d\n", k);
        show("adds_epi8", _mm_adds_epi8(x, y));
        show("subs_epu16", _mm_subs_epu16(w, v));
        show("madd_epi16", _mm_madd_epi16(w, v));
        show("mulhi_epu16", _mm_mulhi_epu16(w, v));
        show("mul_epu32", _mm_mul_epu32(w, v));
        show("sad_epu8", _mm_sad_epu8(x, y));
        show("packs_epi32", _mm_packs_epi32(w, v));
        show("packus_epi16", _mm_packus_epi16(w, v));
        show("unpackhi_epi64", _mm_unpackhi_epi64(x, w));
        show("shuffle_epi32", _mm_shuffle_epi32(w, 0x1b));
        show("shufflehi_epi16", _mm_shufflehi_epi16(w, 0x8d));
        show("srli_si128", _mm_srli_si128(x, 5));
        show("slli_si128", _mm_slli_si128(x, 11));
        show("srai_epi16", _mm_srai_epi16(w, 9));
        show("sra_epi32", _mm_sra_epi32(w, _mm_cvtsi32_si128(k % 40)));
        show("sll_epi64", _mm_sll_epi64(v, _mm_cvtsi32_si128(k % 70)));
        show("shuffle_epi8", _mm_shuffle_epi8(x, y));
        show("alignr_epi8", _mm_alignr_epi8(x, y, 13));
        show("hadds_epi16", _mm_hadds_epi16(w, v));
        show("maddubs_epi16", _mm_maddubs_epi16(x, y));
        show("mulhrs_epi16", _mm_mulhrs_epi16(w, v));
        show("sign_epi16", _mm_sign_epi16(w, v));
        show("abs_epi8", _mm_abs_epi8(y));
        show("insert_epi16", _mm_insert_epi16(w, k * 7, 5));
        printf("extract_epi16 %d movemask %04x cvtsi128 %08x\n", _mm_extract_epi16(v, 6),
               _mm_movemask_epi8(y), _mm_cvtsi128_si32(v));
        __m64 p, q;
        memcpy(&p, &a16[k], 8);
        memcpy(&q, &b16[k], 8);
        show64("mmx add_pi16", _mm_add_pi16(p, q));
        show64("mmx subs_pu8", _mm_subs_pu8(p, q));
        show64("mmx madd_pi16", _mm_madd_pi16(p, q));
        show64("mmx unpacklo_pi8", _mm_unpacklo_pi8(p, q));
        show64("mmx packs_pi16", _mm_packs_pi16(p, q));
        show64("mmx cmpgt_pi32", _mm_cmpgt_pi32(p, q));
        show64("mmx srli_pi32", _mm_srli_pi32(p, 7));
        show64("mmx sra_pi16", _mm_sra_pi16(p, q));
        show64("mmx shuffle_pi8", _mm_shuffle_pi8(p, q));
        show64("mmx hsub_pi32", _mm_hsub_pi32(p, q));
        show64("mmx alignr_pi8", _mm_alignr_pi8(p, q, 3));
        show64("mmx abs_pi16", _mm_abs_pi16(q));
        __m128i dq = _mm_movpi64_epi64(p);
        show("movq2dq", dq);
        show64("movdq2q", _mm_movepi64_pi64(_mm_add_epi64(dq, dq)));
        _mm_empty();
        volatile long double ld = k;
        printf("x87 %.10Lf\n", ld / 7.0L + 0.5L);
    }
}

int main(void)
{
    fill();
    loops();
    intrinsics();
    return 0;
}
