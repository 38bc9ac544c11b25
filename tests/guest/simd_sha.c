/* ue-test: variants=s2 d0 */
/* SHA extensions: each of the seven on edge values (SHA1RNDS4 under all
 * 256 imm8 values: a hash, and the four functions in full), SHA-1 and
 * SHA-256 of "abc" computed with them (the FIPS 180 examples), memory
 * forms, the #GP of a misaligned m128 (not on AMD) and its #AC under
 * EFLAGS.AC. Under a SIGILL catcher, as ue
 * runs them only where the host has them. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "include/sig_try.h"

typedef long long v2di __attribute__((vector_size(16)));
typedef union { v2di v; uint32_t u[4]; uint8_t b[16]; } v128;

#define C4(M, b) M(b) M(b + 1) M(b + 2) M(b + 3)
#define C16(M, b) C4(M, b) C4(M, b + 4) C4(M, b + 8) C4(M, b + 12)
#define C64(M, b) C16(M, b) C16(M, b + 16) C16(M, b + 32) C16(M, b + 48)
#define C256(M) C64(M, 0) C64(M, 64) C64(M, 128) C64(M, 192)

static void pr(const char *n, const v128 *v) { printf("%s %08x %08x %08x %08x\n", n, v->u[3], v->u[2], v->u[1], v->u[0]); }

static const uint32_t vals[][4] = {
    {0, 0, 0, 0},
    {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
    {0x00000001, 0x80000000, 0x7fffffff, 0xfffffffe},
    {0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321},
    {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476},
};
#define NV (int)(sizeof vals / sizeof vals[0])
static v128 V(int k) { v128 v; memcpy(v.u, vals[k % NV], 16); return v; }

#define RNDS4(n) case n: __asm__("sha1rnds4 $(" #n "), %1, %0" : "+x"(r.v) : "x"(s.v)); break;
__attribute__((target("sha"), noinline)) static v128 rnds4(unsigned imm, v128 d, v128 s)
{
    v128 r = d;
    switch (imm) { C256(RNDS4) }
    return r;
}

__attribute__((target("sha"))) static void each(void)
{
    for (int a = 0; a < NV; a++)
        for (int b = 0; b < NV; b++) {
            v128 d = V(a), s = V(b + 1), k = V(a + b + 2), r;
            printf("-- %d %d\n", a, b);
            r = d; __asm__("sha1nexte %1, %0" : "+x"(r.v) : "x"(s.v)); pr("sha1nexte", &r);
            r = d; __asm__("sha1msg1 %1, %0" : "+x"(r.v) : "x"(s.v)); pr("sha1msg1", &r);
            r = d; __asm__("sha1msg2 %1, %0" : "+x"(r.v) : "x"(s.v)); pr("sha1msg2", &r);
            r = d; __asm__("sha256msg1 %1, %0" : "+x"(r.v) : "x"(s.v)); pr("sha256msg1", &r);
            r = d; __asm__("sha256msg2 %1, %0" : "+x"(r.v) : "x"(s.v)); pr("sha256msg2", &r);
            r = d; __asm__("sha256rnds2 %2, %1, %0" : "+x"(r.v) : "x"(s.v), "Yz"(k.v)); pr("sha256rnds2", &r);
            uint32_t h = 2166136261u;
            for (unsigned imm = 0; imm < 256; imm++) {
                r = rnds4(imm, d, s);
                for (int j = 0; j < 16; j++) h = (h ^ r.b[j]) * 16777619u;
                if (imm < 4) pr("sha1rnds4", &r);
            }
            printf("sha1rnds4 all imm8 %08x\n", h);
        }
}

/* "abc", padded: one 64-byte block, as big-endian words */
static uint32_t block[16] = { 0x61626380, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24 };

__attribute__((target("sha,sse4.1"))) static void sha256(void)
{
    static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    uint32_t H[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    v128 abef = {.u = {H[5], H[4], H[1], H[0]}}, cdgh = {.u = {H[7], H[6], H[3], H[2]}};
    v128 w[16];
    for (int k = 0; k < 4; k++) memcpy(w[k].u, block + 4 * k, 16);
    for (int k = 4; k < 16; k++) {   /* W[t] for t = 4k..4k+3 */
        v128 m = w[k - 4], t;
        __asm__("sha256msg1 %1, %0" : "+x"(m.v) : "x"(w[k - 3].v));
        /* + W[t-7]: the dwords of w[k-2]:w[k-1] shifted by one */
        t = w[k - 1];
        __asm__("palignr $4, %1, %0" : "+x"(t.v) : "x"(w[k - 2].v));
        m.u[0] += t.u[0]; m.u[1] += t.u[1]; m.u[2] += t.u[2]; m.u[3] += t.u[3];
        __asm__("sha256msg2 %1, %0" : "+x"(m.v) : "x"(w[k - 1].v));
        w[k] = m;
    }
    for (int k = 0; k < 16; k++) {
        v128 wk;
        for (int j = 0; j < 4; j++) wk.u[j] = w[k].u[j] + K[4 * k + j];
        __asm__("sha256rnds2 %2, %1, %0" : "+x"(cdgh.v) : "x"(abef.v), "Yz"(wk.v));
        __asm__("pshufd $0x0e, %0, %0" : "+x"(wk.v));
        __asm__("sha256rnds2 %2, %1, %0" : "+x"(abef.v) : "x"(cdgh.v), "Yz"(wk.v));
    }
    uint32_t out[8] = { abef.u[3], abef.u[2], cdgh.u[3], cdgh.u[2], abef.u[1], abef.u[0], cdgh.u[1], cdgh.u[0] };
    printf("sha256(abc)");
    for (int k = 0; k < 8; k++) printf(" %08x", out[k] + H[k]);
    printf("\n");
}

__attribute__((target("sha"))) static void sha1(void)
{
    uint32_t H[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    v128 abcd = {.u = {H[3], H[2], H[1], H[0]}}, e0 = {.u = {0, 0, 0, H[4]}}, e1, msg[4];
    for (int k = 0; k < 4; k++)   /* w[4k..4k+3] with w[4k] in the top dword */
        for (int j = 0; j < 4; j++) msg[k].u[3 - j] = block[4 * k + j];
    v128 save = abcd, esave = e0;
    for (int r = 0; r < 20; r++) {
        v128 m = msg[r & 3];
        if (r >= 4) {   /* next four message words */
            v128 a = msg[r & 3];
            __asm__("sha1msg1 %1, %0" : "+x"(a.v) : "x"(msg[(r + 1) & 3].v));
            a.v ^= msg[(r + 2) & 3].v;
            __asm__("sha1msg2 %1, %0" : "+x"(a.v) : "x"(msg[(r + 3) & 3].v));
            msg[r & 3] = m = a;
        }
        if (r == 0) { e0.u[3] += m.u[3]; e0.u[2] = m.u[2]; e0.u[1] = m.u[1]; e0.u[0] = m.u[0]; }
        else { __asm__("sha1nexte %1, %0" : "+x"(e0.v) : "x"(m.v)); }
        e1 = abcd;
        switch (r / 5) {
        case 0: __asm__("sha1rnds4 $0, %1, %0" : "+x"(abcd.v) : "x"(e0.v)); break;
        case 1: __asm__("sha1rnds4 $1, %1, %0" : "+x"(abcd.v) : "x"(e0.v)); break;
        case 2: __asm__("sha1rnds4 $2, %1, %0" : "+x"(abcd.v) : "x"(e0.v)); break;
        default: __asm__("sha1rnds4 $3, %1, %0" : "+x"(abcd.v) : "x"(e0.v)); break;
        }
        e0 = e1;
    }
    __asm__("sha1nexte %1, %0" : "+x"(e0.v) : "x"(esave.v));
    printf("sha1(abc) %08x %08x %08x %08x %08x\n", abcd.u[3] + save.u[3], abcd.u[2] + save.u[2],
           abcd.u[1] + save.u[1], abcd.u[0] + save.u[0], e0.u[3]);
}

static v128 mem[3] __attribute__((aligned(16)));
__attribute__((target("sha"))) static void memory(void)
{
    for (int k = 0; k < 12; k++) mem[k / 4].u[k % 4] = 0x9e3779b9u * (k + 1);
    v128 r = V(3), z = V(4);
    __asm__ volatile("sha1msg1 %1, %0" : "+x"(r.v) : "m"(mem[0])); pr("sha1msg1 m128", &r);
    __asm__ volatile("sha256rnds2 %2, %1, %0" : "+x"(r.v) : "m"(mem[1]), "Yz"(z.v)); pr("sha256rnds2 m128", &r);
    __asm__ volatile("sha1rnds4 $2, %1, %0" : "+x"(r.v) : "m"(mem[2])); pr("sha1rnds4 m128", &r);
    TRY("sha256msg2 misaligned", {
        __asm__ volatile("sha256msg2 4(%1), %0" : "+x"(r.v) : "r"(mem) : "memory");
        printf("sha256msg2 misaligned: no fault\n");
    });
    TRY("sha1rnds4 misaligned", {
        __asm__ volatile("sha1rnds4 $1, 8(%1), %0" : "+x"(r.v) : "r"(mem) : "memory");
        printf("sha1rnds4 misaligned: no fault\n");
    });
    TRY("sha1msg1 misaligned under AC", {   /* #AC (SIGBUS) where no #GP comes first */
        __asm__ volatile("pushf; orl $0x40000, (%%esp); popf\n\t"
                         "sha1msg1 8(%1), %0\n\t"
                         "pushf; andl $~0x40000, (%%esp); popf" : "+x"(r.v) : "r"(mem) : "cc", "memory");
        printf("sha1msg1 under AC: no fault\n");
    });
}

int main(void)
{
    sig_try_install();
    TRY("sha", each());
    TRY("sha256", sha256());
    TRY("sha1", sha1());
    TRY("memory", memory());
    return 0;
}
