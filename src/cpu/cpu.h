/* The guest CPU: architectural state, decoded instructions, and the run loop. */
#ifndef UE_CPU_H
#define UE_CPU_H

#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "../ue.h"
#include "guestmem.h"

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, RZERO /* always 0: absent base/index */ };
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE };

/* EFLAGS bits (SDM vol.1 3.4.3). */
#define F_CF 0x0001u
#define F_PF 0x0004u
#define F_AF 0x0010u
#define F_ZF 0x0040u
#define F_SF 0x0080u
#define F_TF 0x0100u
#define F_IF 0x0200u
#define F_DF 0x0400u
#define F_OF 0x0800u
#define F_NT 0x4000u
#define F_RF 0x10000u
#define F_AC 0x40000u
#define F_ID 0x200000u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/* Lazy-flag operation kinds. The size (0=8, 1=16, 2=32 bit) is added to the
 * kind, so LF_ADD + 2 is a 32-bit add. */
enum lazy_op {
    LF_NONE = 0, /* arithmetic flags live in cpu.eflags */
    LF_ADD = 1, LF_ADC = 4, LF_SUB = 7, LF_SBB = 10, LF_LOGIC = 13, LF_INC = 16, LF_DEC = 19,
    LF_NEG = 22, LF_SHL = 25, LF_SHR = 28, LF_SAR = 31, LF_MUL = 34, LF_IMUL = 37,
    LF_COUNT = 40
};

struct seg_desc {          /* one GDT slot, as set_thread_area stores it */
    uint32_t base, limit;
    uint32_t flags;        /* the user_desc bit fields, packed as the kernel's */
    bool used;
};
#define GDT_TLS_FIRST 12   /* what an x86_64 kernel gives i386 programs: GDT entries 12, 13, 14 */
#define GDT_TLS_COUNT 3

union xmm_reg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t d[4];
    uint64_t q[2];
    float f[4];
    double df[2];
};

struct x87_state {
    long double st[8];     /* physical registers, indexed by (top + i) & 7 */
    uint16_t cw, sw, tw;   /* sw holds everything but TOP, ES and B (x87.h); tw: bit p set when
                              physical register p is empty (0xff or 0xffff: all empty) */
    int top;
    uint32_t fip, fdp;
    uint16_t fop, fcs, fds;
};

struct block;
struct insn;

/* Run-loop state (exec.c, fault.c): where in the decoded code a cpu is.
 * Not the guest's: signal frames and memcheck read struct cpu's
 * architectural fields only (after cpu_sync). */
struct cpu_loop {
    const struct insn *cur; /* the instruction running now (faults report its EIP) */
    struct block *blk;      /* the decoded block cur belongs to (exec.c) */
    struct block **jc;      /* this thread's direct-mapped EIP -> block cache (exec.c) */
    uintptr_t stack_floor;  /* block chaining stops before the host stack gets this deep */
    volatile int attention; /* set asynchronously: leave the block loop at the next boundary */
    sigjmp_buf fault_jmp;   /* the run loop's re-entry point after a fault or an exit request */
    bool in_loop;
    bool smc_single;        /* re-run one instruction uncached after a write to its own code page */
    struct jit_ctx *jit;    /* this thread's translated code (src/jit), or NULL */
    const void *jit_exit;   /* how translated code was left last (src/jit) */
};

/* A guest thread's CPU: its architectural state (registers, flags,
 * segments, x87, SSE), then its run-loop state. */
struct cpu {
    uint32_t r[9];          /* general registers + RZERO */
    uint32_t eip;           /* valid between blocks and in syscalls; inside a block see loop.cur->eip */
    /* lazy flags: the last flag-setting operation and its operands */
    uint32_t lf_res, lf_a, lf_b;
    uint32_t lf_op;
    uint32_t eflags;        /* non-arithmetic bits always; arithmetic bits when lf_op == LF_NONE,
                               and CF (the bit INC/DEC keep) for LF_INC/LF_DEC */
    uint32_t segbase[8];    /* indexed by SEG_*; SEG_NONE's is 0 */
    uint16_t sreg[6];
    uint8_t seg_mode;       /* 0: flat CS, DS, ES and SS; else SEGM_* (below) */
    uint8_t seg_kind[6];    /* SK_* (system.c): how seglimit applies */
    uint32_t seglimit[6];   /* byte-granular limits, where seg_kind or seg_mode say they count */
    struct seg_desc gdt[16];

    struct x87_state fpu;
    union xmm_reg xmm[8];
    uint32_t mxcsr;
    int tid;
    bool tsc_sigsegv;       /* prctl PR_TSC_SIGSEGV (TIF_NOTSC): RDTSC faults; clone copies it */

    struct cpu_loop loop;
    bool cpuid_faults;      /* arch_prctl(ARCH_SET_CPUID, 0): CPUID raises #GP (kept by clone and fork) */
};

typedef void (*op_fn)(struct cpu *c, const struct insn *i);

/* Threaded dispatch. A handler defined with HANDLER(name) { body } runs its
 * body and then jumps straight to the next instruction of the block (a
 * tail call: each handler has its own indirect jump, which the host
 * predicts far better than one shared call site). The block's last entry is
 * a sentinel that returns to the run loop. Handlers that end a block
 * (control transfers, syscalls) are plain functions and return: the run
 * loop resumes after c->loop.cur, so plain and threaded handlers mix. A body
 * that may hand its instruction to another handler (which then runs on
 * through the block itself) is defined with HANDLER_NESTING, which goes on
 * only when c->loop.cur did not move. */
#define HANDLER_WRAP(name, NEXT)                                                                \
    static inline __attribute__((always_inline)) void name##_body(struct cpu *c, const struct insn *i); \
    static __attribute__((unused)) void name(struct cpu *c, const struct insn *i) { name##_body(c, i); NEXT; } \
    static inline __attribute__((always_inline)) void name##_body(struct cpu *c, const struct insn *i)
#define HANDLER(name) HANDLER_WRAP(name, cpu_next(c, i))
#define HANDLER_NESTING(name) HANDLER_WRAP(name, if (c->loop.cur == i) cpu_next(c, i))

/* One decoded instruction. Handlers read operands from here; they must not
 * change it. */
struct insn {
    op_fn fn;
    uint32_t eip;
    uint32_t disp;          /* ModRM displacement or absolute moffs */
    uint32_t imm;           /* immediate (sign-extended where the encoding says so);
                               branch target for relative jumps/calls */
    union {
        uint16_t imm2;      /* second immediate (ENTER level, far pointer selector) */
        struct {            /* a VEX-encoded instruction's (map MAP_VEX*), which has no imm2 */
            uint8_t vvvv;   /* VEX.vvvv: the register it names (0..7, not inverted) */
            uint8_t vex;    /* VEX.pp (bits 0-1: 0 none, 1 66, 2 F3, 3 F2) | VEX_L | VEX_W */
        };
    };
    uint8_t len;
    uint8_t op;             /* the opcode byte (last byte of the opcode) */
    uint8_t reg;            /* ModRM.reg */
    uint8_t rm;             /* ModRM.rm: register number when mod3 */
    uint8_t mod3;           /* 1 when the r/m operand is a register */
    uint8_t base, index, scale; /* memory operand: r[base] + (r[index] << scale) + disp */
    uint8_t seg;            /* SEG_* of the memory operand */
    uint8_t addr16;         /* 0x67 prefix: 16-bit address arithmetic */
    uint8_t rep;            /* 0, REP_F3 or REP_F2 */
    uint8_t lock;
    uint8_t opsize16;
    uint8_t fl;             /* D_FL_* class >> 15 (0: reads flags) */
    uint8_t flags_dead;     /* no later instruction reads the flags this one writes, and
                               none can fault (a signal frame shows the flags) before they are rewritten */
    uint8_t nofault;        /* touches no memory and raises nothing: register-only forms */
    uint8_t mem;            /* its memory operand: MK_* | SZ_* << 2 (struct opdesc); MK_NONE: none */
    uint8_t map;            /* opcode map: MAP_1, MAP_0F, MAP_0F38, MAP_0F3A, or a VEX map (fills the padding) */
};
/* The VEX maps are the ones VEX.mmmmm 1, 2, 3 select. */
enum { MAP_1, MAP_0F, MAP_0F38, MAP_0F3A, MAP_VEX0F, MAP_VEX0F38, MAP_VEX0F3A, MAP_N };
#define VEX_L 4             /* struct insn's vex: VEX.L (256-bit vectors) */
#define VEX_W 8             /* VEX.W */
#define REP_F3 2
#define REP_F2 3

/* The mandatory prefix an SSE form is chosen by (struct opdesc fn[]):
 * 0 none, 1 0x66, 2 0xF3, 3 0xF2 (F3 and F2 win over 66); a VEX form's
 * VEX.pp, which encodes them in that order. */
static inline int insn_sse_prefix(const struct insn *i)
{
    if (i->map >= MAP_VEX0F) return i->vex & 3;
    return i->rep == REP_F3 ? 2 : i->rep == REP_F2 ? 3 : i->opsize16 ? 1 : 0;
}

/* ---- effective addresses (guest memory itself: guestmem.h) ---- */
static inline guest_addr ea(const struct cpu *c, const struct insn *i)
{
    uint32_t a = c->r[i->base] + (c->r[i->index] << i->scale) + i->disp;
    if (unlikely(i->addr16)) a &= 0xffff;
    return a + c->segbase[i->seg];
}

/* the address of a memory operand without index (fast_mem forms) */
static inline guest_addr ea_simple(const struct cpu *c, const struct insn *i)
{
    return c->r[i->base] + i->disp + c->segbase[i->seg];
}

/* ---- registers by operand size ---- */
static inline uint8_t get_r8(const struct cpu *c, int r)
{
    return r < 4 ? (uint8_t)c->r[r] : (uint8_t)(c->r[r - 4] >> 8);
}
static inline void set_r8(struct cpu *c, int r, uint8_t v)
{
    if (r < 4) c->r[r] = (c->r[r] & ~0xffu) | v;
    else c->r[r - 4] = (c->r[r - 4] & ~0xff00u) | ((uint32_t)v << 8);
}
static inline uint16_t get_r16(const struct cpu *c, int r) { return (uint16_t)c->r[r]; }
static inline void set_r16(struct cpu *c, int r, uint16_t v) { c->r[r] = (c->r[r] & ~0xffffu) | v; }

/* r/m operands of each size */
static inline uint32_t load_rm32(struct cpu *c, const struct insn *i) { return i->mod3 ? c->r[i->rm] : ld32(ea(c, i)); }
static inline uint16_t load_rm16(struct cpu *c, const struct insn *i) { return i->mod3 ? get_r16(c, i->rm) : ld16(ea(c, i)); }
static inline uint8_t load_rm8(struct cpu *c, const struct insn *i) { return i->mod3 ? get_r8(c, i->rm) : ld8(ea(c, i)); }
static inline void store_rm32(struct cpu *c, const struct insn *i, uint32_t v) { if (i->mod3) c->r[i->rm] = v; else st32(ea(c, i), v); }
static inline void store_rm16(struct cpu *c, const struct insn *i, uint16_t v) { if (i->mod3) set_r16(c, i->rm, v); else st16(ea(c, i), v); }
static inline void store_rm8(struct cpu *c, const struct insn *i, uint8_t v) { if (i->mod3) set_r8(c, i->rm, v); else st8(ea(c, i), v); }

/* ---- stack (stores happen before ESP changes, so a faulting push can be re-run) ---- */
static inline void push32(struct cpu *c, uint32_t v) { st32(c->r[ESP] - 4 + c->segbase[SEG_SS], v); c->r[ESP] -= 4; }
static inline void push16(struct cpu *c, uint16_t v) { st16(c->r[ESP] - 2 + c->segbase[SEG_SS], v); c->r[ESP] -= 2; }
static inline uint32_t pop32(struct cpu *c) { uint32_t v = ld32(c->r[ESP] + c->segbase[SEG_SS]); c->r[ESP] += 4; return v; }
static inline uint16_t pop16(struct cpu *c) { uint16_t v = ld16(c->r[ESP] + c->segbase[SEG_SS]); c->r[ESP] += 2; return v; }

static inline void cpu_next(struct cpu *c, const struct insn *i)
{
    const struct insn *n = i + 1;
    c->loop.cur = n;
    n->fn(c, n);
}

/* A decoded block (exec.c): its instructions, then a sentinel entry. */
#define CPU_JC_SIZE 4096
struct block {
    struct block *hnext;
    struct block *succ[2];      /* blocks that ran after this one (valid while the cache's epoch holds) */
    guest_addr start;           /* the EIP it starts at (its key) */
    guest_addr lo, hi;          /* every guest byte decoded lies in [lo, hi) */
    uint32_t n;
    uint32_t heat;              /* runs so far, until it is translated (src/jit) */
    struct jit_block *jit;      /* its host code, or NULL; insns[0].fn is then the JIT's entry */
    op_fn fn0;                  /* insns[0]'s own handler while jit is set */
    struct insn insns[];
};

/* The code generator (src/jit/jit.h): a block is translated when it has
 * run jit_threshold times (UINT32_MAX: never). */
extern uint32_t jit_threshold;
void jit_compile(struct cpu *c, struct block *b);
void jit_poll_arm(struct cpu *c, bool arm);

/* Ask c's thread to leave guest code at the next block boundary (signals,
 * code flushes): translated code notices through its poll page (src/jit). */
static inline void cpu_attention(struct cpu *c)
{
    c->loop.attention = 1;
    if (c->loop.jit) jit_poll_arm(c, true);
}

/* Leave a block whose control transfer set c->eip: when the next block is
 * one that followed this one before, run it straight away (a tail call from
 * each control handler, so the host predicts each exit on its own and its
 * stack stays flat); otherwise, or when a signal or a code flush waits,
 * return to the run loop. */
static inline void cpu_chain(struct cpu *c)
{
    const struct block *b = c->loop.blk;
    if (unlikely(c->loop.attention | c->loop.smc_single)) return;
    guest_addr eip = c->eip;
    struct block *nb = b->succ[0];
    if (!nb || nb->start != eip) {
        nb = b->succ[1];
        if (!nb || nb->start != eip) {
            nb = c->loop.jc[eip & (CPU_JC_SIZE - 1)];   /* indirect jumps with many targets */
            if (!nb || nb->start != eip) return;
        }
    }
    if (unlikely((uintptr_t)__builtin_frame_address(0) < c->loop.stack_floor)) return;   /* a non-tail call left frames */
    if (unlikely(++nb->heat == jit_threshold)) jit_compile(c, nb);
    c->loop.blk = nb;
    c->loop.cur = nb->insns;
    nb->insns[0].fn(c, nb->insns);
}
#define HANDLER_END(name) HANDLER_WRAP(name, cpu_chain(c))

/* the EIP of the instruction after i */
static inline uint32_t next_eip(const struct insn *i) { return i->eip + i->len; }

/* ---- flags (flags.c) ---- */
uint32_t flags_get(struct cpu *c);          /* full EFLAGS, materialised */
void flags_set(struct cpu *c, uint32_t f, uint32_t mask); /* write bits in mask */
bool flag_cf(struct cpu *c);
bool cond_true(struct cpu *c, int cc);      /* the 16 x86 conditions, cc = opcode & 15 */
static inline void set_lazy(struct cpu *c, uint32_t op, uint32_t res, uint32_t a, uint32_t b)
{
    c->lf_op = op; c->lf_res = res; c->lf_a = a; c->lf_b = b;
}

/* ---- decoder tables (decode.c) ----
 * Each opcode has a description; instruction files fill the tables from
 * their register function at start-up. */
enum {
    D_MODRM = 1 << 0,   /* a ModRM byte follows */
    D_IMM8 = 1 << 1,    /* imm8, zero-extended */
    D_IMM8S = 1 << 2,   /* imm8, sign-extended */
    D_IMMZ = 1 << 3,    /* imm16 or imm32 by operand size */
    D_IMM16 = 1 << 4,
    D_REL8 = 1 << 5,    /* rel8: imm = target EIP */
    D_RELZ = 1 << 6,    /* rel16/rel32 */
    D_MOFFS = 1 << 7,   /* absolute address of address size */
    D_END = 1 << 8,     /* ends the block (control transfer, syscall, or needs eip current) */
    D_GROUP = 1 << 9,   /* fn chosen by ModRM.reg from sub[] */
    D_SSE = 1 << 10,    /* fn chosen by mandatory prefix: none, 66, F3, F2 */
    D_FAR = 1 << 11,    /* ptr16:32 (imm = offset, imm2 = selector) */
    D_ENTER = 1 << 12,  /* imm16 then imm8 */
    D_MEMONLY = 1 << 13,/* mod==3 encodings are undefined */
    D_REGONLY = 1 << 14,/* mod!=3 encodings are undefined */
    /* How the instruction uses the arithmetic flags, for the block's flag
     * liveness pass. An entry with none of these is taken to read them. */
    D_FL_NONE = 1 << 15,    /* neither reads nor writes them */
    D_FL_WRITE = 1 << 16,   /* writes all six, reads none */
    D_FL_PARTIAL = 1 << 17, /* may write some and keeps the rest; reads none
                               (its flag work is skipped when nobody reads it) */
    /* Facts about the explicit memory operand (a ModRM memory form, or
     * moffs), for the decoder, the checker and a code generator: how it is
     * accessed, with D_SZ its size. An entry with none of the three reads it. */
    D_MSTORE = 1 << 18, /* written, not read */
    D_MRMW = 1 << 19,   /* read, modified and written */
    D_MNONE = 1 << 20,  /* not accessed (LEA, hint NOPs, prefetches) */
    D_LOCK = 1 << 21,   /* LOCK is allowed (the memory form, read-modify-write) */
    D_NOFAULT = 1 << 22,/* the register form (or the form without ModRM) can neither
                           fault nor trap */
    /* VEX forms (bits 27-28, above D_SZ): encodings the instruction does not
     * allow, #UD (SDM vol.2 2.3.6) */
    D_VEX_L0 = 1 << 27, /* VEX.L must be 0 (VEX.LZ, VEX.128 forms) */
    D_VEX_NOV = 1 << 28,/* VEX.vvvv names no operand: must be 1111b (vvvv[3] too
                           where the host says so: vendor.h) */
};
/* The memory operand's size (4 bits from bit 23 of the flags): SZ_V is the
 * operand size (2 or 4), SZ_FAR a far pointer (offset of operand size and a
 * selector), SZ_2V two of operand size (BOUND), SZ_ENV the x87 environment
 * (14 or 28), SZ_STATE the x87 state (94 or 108); SZ_ANY: not one range at
 * the operand (BT's bit offset from a register) or never accessed (a
 * privileged instruction's). */
enum { SZ_ANY, SZ_1, SZ_2, SZ_4, SZ_8, SZ_10, SZ_16, SZ_V, SZ_FAR, SZ_2V, SZ_6,
       SZ_ENV, SZ_STATE, SZ_512 };
#define D_SZ(s) ((uint32_t)(s) << 23)
#define D_SZ_OF(flags) (((flags) >> 23) & 15)
/* A memory operand's access kind (struct insn's mem, low 2 bits; the size class above them). */
enum { MK_READ, MK_STORE, MK_RMW, MK_NONE };
/* Its size in bytes for an operand-size prefix or not (0: SZ_ANY). */
static inline uint32_t sz_bytes(int sz, bool opsize16)
{
    static const uint16_t bytes[2][14] = {
        {0, 1, 2, 4, 8, 10, 16, 4, 6, 8, 6, 28, 108, 512},
        {0, 1, 2, 4, 8, 10, 16, 2, 4, 4, 6, 14, 94, 512},
    };
    return sz < 14 ? bytes[opsize16][sz] : 0;
}

struct opdesc {
    op_fn fn[4];        /* [0] 32-bit operand size, [1] 16-bit; with D_SSE: none, 66, F3, F2 */
    uint32_t flags;
    uint8_t mem[4];     /* per fn: the memory operand's MK_* | size class << 2 (from flags) */
    const struct opdesc *sub; /* D_GROUP: 8 entries, by ModRM.reg */
    /* Optional specialisations of fn[0] picked at decode time: register
     * operand (mod 3), and memory operand without index or 0x67 prefix. */
    op_fn fast_reg, fast_mem;
};

/* The one-byte map and the 0F map. 0F 38 and 0F 3A maps for SSSE3. */
extern struct opdesc optab[256], optab0f[256], optab0f38[256], optab0f3a[256];
/* The VEX maps 0F, 0F 38 and 0F 3A: every entry is chosen by VEX.pp as an
 * SSE entry by its mandatory prefix (fill them with op_set_sse and
 * op_set_group_sse); handlers read VEX.vvvv, L and W from struct insn.
 * A VEX prefix after 66, F2, F3 or LOCK, a reserved VEX.mmmmm, and every
 * entry not filled are #UD (decode.c). */
extern struct opdesc optab_vex0f[256], optab_vex0f38[256], optab_vex0f3a[256];

/* Fill one entry: fn32 for 32-bit operand size, fn16 for 16-bit (NULL: same). */
void op_set(struct opdesc *tab, int op, op_fn fn32, op_fn fn16, uint32_t flags);
/* A group entry: fills sub-entry reg of group opcode op. */
void op_set_group(struct opdesc *tab, int op, int reg, op_fn fn32, op_fn fn16, uint32_t flags);
/* Specialised forms of an entry's 32-bit handler (see struct opdesc);
 * reg: -1 for a plain entry, else the group sub-entry. */
void op_set_fast(struct opdesc *tab, int op, int reg, op_fn fast_reg, op_fn fast_mem);
/* An entry chosen by mandatory prefix (0 none, 1 0x66, 2 0xF3, 3 0xF2). */
void op_set_sse(struct opdesc *tab, int op, int pfx, op_fn fn, uint32_t flags);
/* The same for sub-entry reg of a group opcode (0F 71/72/73 shifts by immediate). */
void op_set_group_sse(struct opdesc *tab, int op, int reg, int pfx, op_fn fn, uint32_t flags);

/* Register functions of each instruction file, called once by decode_init(). */
void ops_register_alu(void);     /* alu.c: ALU family, inc/dec, neg/not, mul/div, xadd, cmpxchg */
void ops_register_shift(void);   /* shift.c: shifts, rotates, shld/shrd */
void ops_register_bits(void);    /* bits.c: bt/bts/btr/btc, bsf/bsr, bswap */
void ops_register_bits_ext(void);  /* bits_ext.c: popcnt, movbe, crc32, adcx/adox */
void ops_register_bits_bmi(void);  /* bits_bmi.c: BMI1 and BMI2 (VEX), where the host has them */
/* bits_ext.c: F3 0F BC/BD as TZCNT/LZCNT where the host has them (else false: BSF/BSR) */
bool bits_f3_count(struct cpu *c, const struct insn *i, bool leading);
void ops_register_data(void);    /* data.c: mov, push/pop, xchg, lea, movzx/sx, cmov, setcc ... */
void ops_register_control(void); /* control.c: jmp/jcc/call/ret/loop, int, misc */
void ops_register_string(void);  /* string.c: movs/stos/lods/cmps/scas/ins/outs */
void ops_register_bcd(void);     /* bcd.c: daa/das/aaa/aas/aam/aad/salc */
void ops_register_x87(void);     /* x87.c */
void ops_register_sse(void);     /* sse.c: MMX and SSE..SSSE3 (may be empty) */
void ops_register_system(void);  /* system.c: cpuid, rdtsc, segment registers, hlt ... */

/* Fills the tables and makes this build's decoder the running one. */
void decode_init(void);
/* Decode one instruction at eip into *out; the bytes in [eip, limit) are
 * readable. Bytes that do not form an instruction ue implements decode to a
 * handler raising SIGILL; bytes past limit to one raising SIGSEGV. Returns
 * true when the instruction ends a block. */
bool decode_one(struct cpu *c, guest_addr eip, guest_addr limit, struct insn *out);

/* ---- the two builds of the CPU ----
 * The instruction files, the decoder and its tables are compiled twice
 * (Makefile): plain, and checked (-DUE_CHECKED: every guest access is
 * shown to memcheck first, guestmem.h), each global of the checked objects
 * renamed chk_*. The run loop and decoded-code cache (exec.c), fault
 * handling (fault.c, access.c) and per-thread host state (flags.c,
 * vendor.c, x87_state.c, simd_fp_host.c, variant.c) are compiled once and
 * reach the running build's decoder through cpu_variant. */
struct cpu_variant {
    bool (*decode_one)(struct cpu *c, guest_addr eip, guest_addr limit, struct insn *out);
    const struct opdesc *tab[MAP_N];   /* optab... by MAP_* */
    op_fn op_goto;                 /* a block's exit to imm (control.c) */
    op_fn op_jmp_rel;              /* JMP rel: translate follows it */
    op_fn op_cs_store;             /* a store through CS: #GP (decode.c) */
};
extern const struct cpu_variant *cpu_variant;   /* set by decode_init */
void chk_decode_init(void);   /* the checked build's decode_init */
/* Start-up: subscribes the decoded-code cache to memory events and picks
 * the build: the checked one when memcheck is on, or when UE_CHECKED_CPU=1
 * (a test aid: the checked CPU without the checker, whose guests must
 * behave exactly as under the plain one), else the plain one. */
void cpu_decode_init(bool memcheck);

/* ---- run loop (exec.c) ---- */
void cpu_init(struct cpu *c);
/* Makes c's architectural state whole for a reader outside its handlers (a
 * new thread's copy, memcheck's leak roots): the x87 registers and MXCSR
 * flags the host FPU may hold. EIP needs nothing: it is current between
 * blocks and in syscalls, and a handler that calls out mid-block sets it
 * first. Call it in c's own thread. */
void cpu_sync(struct cpu *c);
/* Runs guest code until the process exits (never returns). */
void cpu_run(struct cpu *c) __attribute__((noreturn));
/* A guest thread leaves (frees its decoded-code cache); the child of fork()
 * forgets the other threads' caches. */
void cpu_thread_exit(void);
void cpu_after_fork(void);
/* Leave the running instruction for the run loop, which goes on at eip
 * (an interrupted REP string instruction, for a pending signal). */
void cpu_leave_at(struct cpu *c, guest_addr eip) __attribute__((noreturn));
/* The decoded-code cache's observer of memory events (mem.h): drops code
 * where the mapping or the contents changed. Subscribed by cpu_decode_init. */
struct mem_event;
void code_mem_event(const struct mem_event *e);
/* Called by the memory box before the host writes [addr,addr+len) on the guest's behalf
 * (syscalls): makes write-protected code pages writable again and drops their blocks. */
void code_prepare_write(guest_addr addr, uint32_t len);

/* ---- faults and traps raised by handlers (fault.c) ---- */
/* Deliver a synchronous signal to the guest for the current instruction and
 * leave the block: SIGILL for undefined opcodes, SIGFPE for divide error, etc. */
void cpu_raise(struct cpu *c, int sig, int code, guest_addr fault_addr) __attribute__((noreturn));
/* #UD: SIGILL (ILL_ILLOPN) at the instruction. */
static inline __attribute__((noreturn)) void cpu_raise_ud(struct cpu *c, const struct insn *i)
{
    cpu_raise(c, SIGILL, ILL_ILLOPN, i->eip);
}
#define SI_KERNEL_GP 0x80   /* si_code of a #GP: SI_KERNEL, address 0 */
/* The same with the exception number sigcontext's trapno shows (BOUND: #BR 5). */
void cpu_raise_trap(struct cpu *c, int sig, int code, guest_addr fault_addr, int trapno) __attribute__((noreturn));
/* A fault with an error code (#GP, #NP, #SS: the selector's), as sigcontext's err shows it. */
void cpu_raise_err(struct cpu *c, int sig, int code, int trapno, uint32_t err) __attribute__((noreturn));
void fault_init(void);      /* installs the host SIGSEGV/SIGBUS/SIGFPE handlers */
/* A host fault at window offset ga (up to 4 GiB + 64 KiB) during i: the
 * segment (SEG_*) whose limit the faulting access exceeds by running past
 * 4 GiB, or -1 when it is a plain page fault (access.c). */
int seg_limit_fault(const struct cpu *c, const struct insn *i, uint64_t ga);
/* Does i push or pop (access.c)? */
bool insn_uses_stack(const struct insn *i);
/* Would i, run now, make a misaligned data access (#AC while EFLAGS.AC is set)? (access.c) */
bool insn_misaligned(const struct cpu *c, const struct insn *i);
bool insn_mf_first(const struct insn *i);

/* Segments other than the flat ones (LDT segments): the run loop then
 * decodes and runs each instruction on its own (exec.c run_single), at CS
 * base + EIP, never through the block cache or the JIT. */
#define SEGM_CS 1           /* CS's base is not 0 or its limit not 4 GiB */
#define SEGM_CS16 2         /* CS's D bit is clear: 16-bit default operand and address size */
#define SEGM_DATA 4         /* DS, ES or SS has a limit to check (or is null) before each instruction */
/* The #GP(0) (13) or #SS(0) (12) an instruction's data accesses raise by
 * running past the limit of DS, ES or SS or writing to a read-only one, or
 * 0 (access.c; FS and GS are not checked). */
int insn_limit_fault(const struct cpu *c, const struct insn *i);
enum { SK_FLAT, SK_LIMIT, SK_DOWN16, SK_DOWN32, SK_NULL, SK_READONLY = 8 };   /* seg_kind: one of the first five, | SK_READONLY */
/* The far transfer to sel:off (JMP, CALL: ret false; RETF, IRET: ret true)
 * at CPL 3: raises #GP/#NP as the hardware, else loads CS and sets EIP. */
void far_cs_load(struct cpu *c, uint16_t sel, uint32_t off, bool ret);
/* Its checks alone for a JMP or CALL (a far CALL's come before its pushes). */
void far_cs_check(struct cpu *c, uint16_t sel, uint32_t off);
/* The same for sigreturn's IRET: false (nothing changed) where it would fault. */
bool far_cs_load_ok(struct cpu *c, uint16_t sel, uint32_t off);
/* Back to the flat user code segment (signal delivery). */
void cs_load_flat(struct cpu *c);
/* The process's LDT (src/os/ldt.c): descriptor idx as the hardware reads
 * it; false past the table's end. */
bool ldt_desc(uint32_t idx, uint64_t *d);

/* Load a segment register from a selector (mov sreg / pop sreg); raises SIGSEGV for bad selectors. */
void load_sreg(struct cpu *c, int sreg, uint16_t sel);
/* The same without raising anything: false (sreg unchanged) where the load would fault. */
bool load_sreg_ok(struct cpu *c, int sreg, uint16_t sel);

extern __thread struct cpu *cur_cpu;

/* CPUID leaf 1 feature words (system.c): what ue implements, also AT_HWCAP. */
uint32_t cpuid_feature_edx(void);
uint32_t cpuid_feature_ecx(void);

#endif
