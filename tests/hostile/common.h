/* Shared by the hostile-input fuzzers (i386 guests): a seeded PRNG, raw
 * output without stdio (no buffer survives a crash half-written), and a
 * word hash. */
#ifndef HOSTILE_COMMON_H
#define HOSTILE_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;

/* Seeds S and S+1 must not give shifted copies of one sequence: mix the seed first. */
static void rng_seed(uint64_t s)
{
    s = (s ^ (s >> 31) ^ 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;
    s = (s ^ (s >> 29)) * 0x94d049bb133111ebull;
    rng_state = s ^ (s >> 32);
}

/* splitmix64: small, and the same sequence natively and under ue. */
static uint32_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}
static uint32_t rn(uint32_t n) { return n ? rnd() % n : 0; }
static int chance(int pct) { return (int)rn(100) < pct; }
#define PICK(arr) ((arr)[rn(sizeof(arr) / sizeof((arr)[0]))])

/* One line straight to fd 1 with write(2): what was printed before a crash is kept. */
__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
    for (int off = 0; off < n;) {
        int w = write(1, buf + off, n - off);
        if (w <= 0) _exit(3);
        off += w;
    }
}

static uint32_t hash_words(const void *p, size_t n, uint32_t h)
{
    const uint32_t *w = p;
    for (size_t i = 0; i < n / 4; i++) h = (h ^ w[i]) * 16777619u;
    return h;
}

static uint64_t parse_u64(const char *s) { return strtoull(s, NULL, 0); }

#endif
