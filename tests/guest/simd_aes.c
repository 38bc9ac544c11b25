/* ue-test: variants=s2 d0 */
/* AES-NI and PCLMULQDQ: each round instruction on edge-value states and
 * keys, AESIMC, AESKEYGENASSIST and PCLMULQDQ under all 256 imm8 values
 * (a hash of the results, and some in full), an AES-128 encryption and
 * decryption of the FIPS-197 example with the key schedule from
 * AESKEYGENASSIST, memory forms and the #GP of a misaligned m128. Each
 * group runs under a SIGILL catcher, as ue runs them only where the host
 * has them. */
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

static void pr(const char *n, v128 v) { printf("%s %08x %08x %08x %08x\n", n, v.u[3], v.u[2], v.u[1], v.u[0]); }
static uint32_t fnv(uint32_t h, const v128 *v)
{
    for (int k = 0; k < 16; k++) h = (h ^ v->b[k]) * 16777619u;
    return h;
}

static const uint32_t vals[][4] = {
    {0, 0, 0, 0},
    {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
    {0x00000001, 0x80000000, 0x7fffffff, 0xfffffffe},
    {0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321},
    {0xa0fafe17, 0x88542cb1, 0x23a33939, 0x2a6c7605},
    {0x63636363, 0x7c7c7c7c, 0x52525252, 0x09090909},
};
#define NV (int)(sizeof vals / sizeof vals[0])
static v128 V(int k) { v128 v; memcpy(v.u, vals[k % NV], 16); return v; }

#define KGA(n) case n: __asm__("aeskeygenassist $(" #n "), %1, %0" : "=x"(r.v) : "x"(s.v)); break;
#define CLMUL(n) case n: __asm__("pclmulqdq $(" #n "), %1, %0" : "+x"(r.v) : "x"(s.v)); break;
__attribute__((target("aes"), noinline)) static v128 kga(unsigned imm, v128 s)
{
    v128 r;
    switch (imm) { C256(KGA) }
    return r;
}
__attribute__((target("pclmul"), noinline)) static v128 clmul(unsigned imm, v128 d, v128 s)
{
    v128 r = d;
    switch (imm) { C256(CLMUL) }
    return r;
}

__attribute__((target("aes"))) static void rounds(void)
{
    for (int a = 0; a < NV; a++)
        for (int b = 0; b < NV; b++) {
            v128 s = V(a), k = V(b), r;
            printf("-- %d %d\n", a, b);
            r = s; __asm__("aesenc %1, %0" : "+x"(r.v) : "x"(k.v)); pr("aesenc", r);
            r = s; __asm__("aesenclast %1, %0" : "+x"(r.v) : "x"(k.v)); pr("aesenclast", r);
            r = s; __asm__("aesdec %1, %0" : "+x"(r.v) : "x"(k.v)); pr("aesdec", r);
            r = s; __asm__("aesdeclast %1, %0" : "+x"(r.v) : "x"(k.v)); pr("aesdeclast", r);
        }
    for (int a = 0; a < NV; a++) {
        v128 s = V(a), r;
        __asm__("aesimc %1, %0" : "=x"(r.v) : "x"(s.v)); pr("aesimc", r);
        uint32_t h = 2166136261u;
        for (unsigned imm = 0; imm < 256; imm++) {
            r = kga(imm, s);
            h = fnv(h, &r);
            if (imm == 0 || imm == 1 || imm == 0x1b || imm == 0x36 || imm == 0x80 || imm == 0xff) pr("aeskeygenassist", r);
        }
        printf("aeskeygenassist %d: all imm8 %08x\n", a, h);
    }
}

/* FIPS-197 appendix C.1: key 000102..0f, plaintext 00112233..ff */
__attribute__((target("aes"))) static v128 expand_step(v128 k, v128 t)
{
    v128 x = k;
    for (int j = 0; j < 3; j++) {   /* k ^= k << 32, three times */
        __asm__("pslldq $4, %0" : "+x"(x.v));
        k.v ^= x.v;
    }
    __asm__("pshufd $0xff, %0, %0" : "+x"(t.v));
    k.v ^= t.v;
    return k;
}
#define EXPAND(n, rc) t = kga(rc, ks[n - 1]); ks[n] = expand_step(ks[n - 1], t);
__attribute__((target("aes"))) static void fips197(void)
{
    v128 ks[11], dk[11], t, s;
    for (int k = 0; k < 16; k++) { ks[0].b[k] = (uint8_t)k; s.b[k] = (uint8_t)(k * 0x11); }
    EXPAND(1, 1) EXPAND(2, 2) EXPAND(3, 4) EXPAND(4, 8) EXPAND(5, 16)
    EXPAND(6, 32) EXPAND(7, 64) EXPAND(8, 128) EXPAND(9, 0x1b) EXPAND(10, 0x36)
    pr("round key 10", ks[10]);
    s.v ^= ks[0].v;
    for (int r = 1; r < 10; r++) __asm__("aesenc %1, %0" : "+x"(s.v) : "x"(ks[r].v));
    __asm__("aesenclast %1, %0" : "+x"(s.v) : "x"(ks[10].v));
    printf("ciphertext");
    for (int k = 0; k < 16; k++) printf(" %02x", s.b[k]);
    printf("\n");
    dk[0] = ks[10];
    for (int r = 1; r < 10; r++) __asm__("aesimc %1, %0" : "=x"(dk[r].v) : "x"(ks[10 - r].v));
    dk[10] = ks[0];
    s.v ^= dk[0].v;
    for (int r = 1; r < 10; r++) __asm__("aesdec %1, %0" : "+x"(s.v) : "x"(dk[r].v));
    __asm__("aesdeclast %1, %0" : "+x"(s.v) : "x"(dk[10].v));
    printf("plaintext ");
    for (int k = 0; k < 16; k++) printf(" %02x", s.b[k]);
    printf("\n");
}

__attribute__((target("pclmul"))) static void pclmul(void)
{
    for (int a = 0; a < NV; a++)
        for (int b = 0; b < NV; b++) {
            v128 d = V(a), s = V(b + 2), r;
            uint32_t h = 2166136261u;
            for (unsigned imm = 0; imm < 256; imm++) {
                r = clmul(imm, d, s);
                h = fnv(h, &r);
            }
            printf("pclmulqdq %d %d: all imm8 %08x\n", a, b, h);
            pr("pclmulqdq 00", clmul(0x00, d, s));
            pr("pclmulqdq 11", clmul(0x11, d, s));
            pr("pclmulqdq 01", clmul(0x01, d, s));
            pr("pclmulqdq 10", clmul(0x10, d, s));
        }
}

static v128 mem[3] __attribute__((aligned(16)));
__attribute__((target("aes,pclmul"))) static void memory(void)
{
    for (int k = 0; k < 12; k++) mem[k / 4].u[k % 4] = 0x9e3779b9u * (k + 1);
    v128 r = V(3);
    __asm__ volatile("aesenc %1, %0" : "+x"(r.v) : "m"(mem[0])); pr("aesenc m128", r);
    __asm__ volatile("aesdeclast %1, %0" : "+x"(r.v) : "m"(mem[1])); pr("aesdeclast m128", r);
    __asm__ volatile("aesimc %1, %0" : "=x"(r.v) : "m"(mem[1])); pr("aesimc m128", r);
    __asm__ volatile("aeskeygenassist $0x8d, %1, %0" : "=x"(r.v) : "m"(mem[2])); pr("aeskeygenassist m128", r);
    __asm__ volatile("pclmulqdq $0x10, %1, %0" : "+x"(r.v) : "m"(mem[0])); pr("pclmulqdq m128", r);
    TRY("aesenc misaligned", {
        __asm__ volatile("aesenc 4(%1), %0" : "+x"(r.v) : "r"(mem) : "memory");
        printf("aesenc misaligned: no fault\n");
    });
    TRY("aeskeygenassist misaligned", {
        __asm__ volatile("aeskeygenassist $1, 8(%1), %0" : "=x"(r.v) : "r"(mem) : "memory");
        printf("aeskeygenassist misaligned: no fault\n");
    });
    TRY("pclmulqdq misaligned", {
        __asm__ volatile("pclmulqdq $0, 12(%1), %0" : "+x"(r.v) : "r"(mem) : "memory");
        printf("pclmulqdq misaligned: no fault\n");
    });
}

int main(void)
{
    sig_try_install();
    TRY("aes", rounds());
    TRY("fips197", fips197());
    TRY("pclmulqdq", pclmul());
    TRY("memory", memory());
    return 0;
}
