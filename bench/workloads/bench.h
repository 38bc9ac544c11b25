/* Shared helpers for the benchmark workloads: argument parsing, a deterministic
 * PRNG and a running checksum.  Every workload prints "checksum <hex>" last so
 * the harness can compare it with the native run. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[1] as a positive count, or the default when absent. */
static inline long arg_count(int argc, char **argv, long dflt)
{
    if (argc < 2)
        return dflt;
    long v = strtol(argv[1], NULL, 0);
    if (v <= 0) {
        fprintf(stderr, "bad count: %s\n", argv[1]);
        exit(2);
    }
    return v;
}

/* xorshift32: same sequence on every machine, no libc rand() dependence. */
static inline uint32_t rng_next(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* FNV-1a over 32-bit values. */
static inline uint32_t mix32(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}
#define MIX_INIT 2166136261u

static inline void print_checksum(uint32_t h)
{
    printf("checksum %08x\n", h);
}
#endif
