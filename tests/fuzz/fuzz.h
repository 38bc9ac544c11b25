/* The differential instruction fuzzer: what the host-side driver (fuzz.c,
 * gen*.c) and the i386 runner (runner.c) share: fixed guest addresses, the
 * case file format, the state a case ends in, and how undefined parts of it
 * are masked before two states are compared. Fixed-width types only: the
 * same header is compiled for x86_64 and for i386. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <string.h>

/* Guest addresses, identical in the native and the ue run. The compared
 * window spans a page boundary so unaligned accesses can cross it. */
#define FZ_CODE_BASE  0x31000000u   /* every case of a batch at its own offset */
#define FZ_CODE_SIZE  0x01000000u
#define FZ_RO_PAGE    0x2ffff000u   /* mapped read-only: stores fault with SEGV_ACCERR */
#define FZ_DATA_PAGE  0x30000000u   /* two read-write pages */
#define FZ_DATA_SIZE  0x2000u
#define FZ_UNMAPPED   0x30002000u   /* never mapped: accesses fault with SEGV_MAPERR */
#define FZ_WIN        0x30000f00u   /* the compared window: data, then the stack */
#define FZ_WIN_SIZE   0x400u
#define FZ_DATA_END   0x30001100u   /* [FZ_WIN, FZ_DATA_END) data, the rest stack */
#define FZ_ESP0       0x30001280u   /* initial ESP: pushes go down, stray pops up */
#define FZ_BASEVAL    0x30001000u   /* the value of the case's reserved base register */
#define FZ_TAIL       0x30001fc0u   /* also compared (zero at the start): stores that straddle */
#define FZ_TAIL_SIZE  0x40u         /* into the unmapped page must not land partly */

#define FZ_MAGIC      0x31435a46u   /* "FZC1" */

/* EFLAGS arithmetic bits and the x87 condition bits in the status word */
#define FZ_CF 0x001u
#define FZ_PF 0x004u
#define FZ_AF 0x010u
#define FZ_ZF 0x040u
#define FZ_SF 0x080u
#define FZ_OF 0x800u
#define FZ_ARITH (FZ_CF | FZ_PF | FZ_AF | FZ_ZF | FZ_SF | FZ_OF)
#define FZ_RF 0x10000u
#define FZ_C0 0x0100u
#define FZ_C1 0x0200u
#define FZ_C2 0x0400u
#define FZ_C3 0x4000u
#define FZ_CALL (FZ_C0 | FZ_C1 | FZ_C2 | FZ_C3)

/* One case in the case file: this header, then nbound fz_bound, nmask
 * fz_mmask, code_len code bytes, padded to 4 bytes (size says the total). */
struct fz_case {
    uint32_t magic, size;
    uint32_t seed_lo, seed_hi;   /* the run seed and the case index reproduce it */
    uint32_t index_lo, index_hi;
    uint32_t code_len, nbound, nmask, flags;
    uint32_t gpr[8];             /* EAX ECX EDX EBX ESP EBP ESI EDI */
    uint32_t eflags, pad[3];
    uint8_t fx[512];             /* FXSAVE image: x87, MMX, XMM, MXCSR */
    uint8_t mem[FZ_WIN_SIZE];    /* the window's initial bytes */
};

/* What is undefined before the instruction at code offset off. The last
 * entry (off == code_len) is the end of the case. */
struct fz_bound {
    uint16_t off;
    uint16_t c_undef;            /* x87 condition bits (FZ_C*) */
    uint32_t f_undef;            /* EFLAGS bits */
};

/* Window bytes whose value is not architecturally fixed (FNSTENV's
 * instruction and data pointers), relative to FZ_WIN. */
struct fz_mmask {
    uint16_t off, len;
};

/* How a case ended. */
struct fz_state {
    uint32_t gpr[8];
    uint32_t eip_off;            /* EIP - case start: code_len when it ran to the end */
    uint32_t eflags;
    int32_t sig, code;           /* 0 when no signal */
    uint32_t addr, trapno, err;  /* si_addr, sigcontext trapno and err */
    uint32_t fenv[3];            /* the signal frame's i387 cw, sw, tag (words) */
    uint32_t pad[2];
    uint8_t fx[288];             /* FXSAVE bytes 0..287 (at a signal: the frame's copy) */
    uint8_t mem[FZ_WIN_SIZE];
    uint8_t tail[FZ_TAIL_SIZE];
};

/* The runner's output for one case. */
struct fz_result {
    uint32_t hash_lo, hash_hi;
    uint32_t eip_off;
    int32_t sig;
};

static inline const struct fz_bound *fz_bounds(const struct fz_case *c)
{
    return (const struct fz_bound *)(c + 1);
}
static inline const struct fz_mmask *fz_mmasks(const struct fz_case *c)
{
    return (const struct fz_mmask *)(fz_bounds(c) + c->nbound);
}
static inline const uint8_t *fz_code(const struct fz_case *c)
{
    return (const uint8_t *)(fz_mmasks(c) + c->nmask);
}

/* The boundary whose offset is off, else the last one (a wrong EIP
 * mismatches anyway). */
static inline const struct fz_bound *fz_bound_at(const struct fz_case *c, uint32_t off)
{
    const struct fz_bound *b = fz_bounds(c);
    for (uint32_t k = 0; k < c->nbound; k++)
        if (b[k].off == off) return &b[k];
    return &b[c->nbound - 1];
}

/* Clears everything two correct implementations may disagree on. */
static inline void fz_mask_state(const struct fz_case *c, struct fz_state *s)
{
    const struct fz_bound *b = fz_bound_at(c, s->eip_off);
    s->eflags &= ~b->f_undef;
    if (s->sig) s->eflags &= ~FZ_RF;   /* faults push RF=1 on some CPUs */
    uint16_t sw = (uint16_t)(s->fx[2] | s->fx[3] << 8);
    sw &= ~b->c_undef;
    s->fx[2] = (uint8_t)sw;
    s->fx[3] = (uint8_t)(sw >> 8);
    s->fenv[1] &= ~(uint32_t)b->c_undef;
    memset(s->fx + 6, 0, 18);          /* FOP, FIP, FCS, FDP, FDS */
    for (int k = 0; k < 8; k++) memset(s->fx + 32 + 16 * k + 10, 0, 6);
    const struct fz_mmask *m = fz_mmasks(c);
    for (uint32_t k = 0; k < c->nmask; k++)
        if (m[k].off < FZ_WIN_SIZE) {
            uint32_t n = m[k].len;
            if (m[k].off + n > FZ_WIN_SIZE) n = FZ_WIN_SIZE - m[k].off;
            memset(s->mem + m[k].off, 0, n);
        }
}

/* A 64-bit hash in two 32-bit lanes (cheap on i386). */
static inline void fz_hash(const void *p, uint32_t n, uint32_t *lo, uint32_t *hi)
{
    const uint8_t *b = p;
    uint32_t h1 = 0x811c9dc5u, h2 = 0x9747b28cu;
    for (uint32_t k = 0; k + 4 <= n; k += 4) {
        uint32_t w;
        memcpy(&w, b + k, 4);
        h1 = (h1 ^ w) * 0x01000193u;
        h2 = (h2 + w) * 0x5bd1e995u;
        h2 ^= h2 >> 15;
    }
    *lo = h1 ^ (h2 >> 7);
    *hi = h2 ^ (h1 << 3);
}

#endif
