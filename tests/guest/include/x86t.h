/* Shared helpers for the instruction tests: flag names, boundary values and
 * a runner for raw-encoded instructions.  Every test prints its results in
 * hex, with EFLAGS masked to the flags the SDM defines for that instruction,
 * so that native and emulated runs can be compared line by line. */
#ifndef X86T_H
#define X86T_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_TF 0x100u
#define F_IF 0x200u
#define F_DF 0x400u
#define F_OF 0x800u
#define F_STATUS (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
/* What pushf shows in user mode apart from the status flags: bit 1 and IF. */
#define F_BASE 0x202u
/* Bits of a pushf image that are stable in user mode (no RF/VM/AC/VIF/VIP/ID
 * games in these tests): status, TF, IF, DF, IOPL, NT. */
#define F_VISIBLE 0x7fffu

/* Input flags: all status flags clear, and all set, so stale lazy flags and
 * "flags unchanged" both show. */
static const uint32_t flags_in[] = {F_BASE, F_BASE | F_STATUS};
#define NFLAGS_IN 2

static const uint32_t v8[] = {0, 1, 2, 0x0f, 0x10, 0x7f, 0x80, 0x81, 0xfe, 0xff};
static const uint32_t v16[] = {0, 1, 0x0f, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff};
static const uint32_t v32[] = {0, 1, 0x0f, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000,
                               0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678};
#define NV(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Width-indexed access to the tables (8, 16, 32). */
static inline const uint32_t *vals_for(int w, int *n)
{
    if (w == 8) { *n = NV(v8); return v8; }
    if (w == 16) { *n = NV(v16); return v16; }
    *n = NV(v32); return v32;
}

static inline uint32_t wmask(int w) { return w == 32 ? 0xffffffffu : (1u << w) - 1; }

/* Run raw code with ECX = *c, EDX = d, EAX = p (a pointer, usually to a
 * memory operand), EFLAGS = fin; returns EFLAGS after; ECX/EDX written back.
 * The code must not touch ESP-relative memory or EBX/EBP. */
#define X86_RUN(code, fin, c, d, p, fout)                                       \
    do {                                                                        \
        uint32_t _fo;                                                           \
        asm volatile("push %%esi\n\tpopf\n\t" code "\n\tpushf\n\tpop %%edi"    \
                     : "+c"(c), "+d"(d), "=D"(_fo)                              \
                     : "a"(p), "S"(fin)                                         \
                     : "cc", "memory");                                         \
        (fout) = _fo;                                                           \
    } while (0)

/* Same with EAX as an in/out value (accumulator forms). */
#define X86_RUN_A(code, fin, a, c, d, fout)                                     \
    do {                                                                        \
        uint32_t _fo;                                                           \
        asm volatile("push %%esi\n\tpopf\n\t" code "\n\tpushf\n\tpop %%edi"    \
                     : "+a"(a), "+c"(c), "+d"(d), "=D"(_fo)                     \
                     : "S"(fin)                                                 \
                     : "cc", "memory");                                         \
        (fout) = _fo;                                                           \
    } while (0)

static inline uint32_t read_flags(void)
{
    uint32_t f;
    asm volatile("pushf\n\tpop %0" : "=r"(f));
    return f;
}

#endif
