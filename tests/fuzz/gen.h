/* The fuzzer's case generator (host side): instructions with what they read
 * and define, units (the pieces a shrink removes), the tracker that knows
 * which flags, x87 condition bits and window bytes are undefined, and the
 * operand pickers the instruction families use. */
#ifndef FUZZ_GEN_H
#define FUZZ_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "fuzz.h"

enum { S_INT, S_X87, S_MMX, S_SSE, S_SSE2, S_SSE3, S_SSSE3, S_SSE41, S_SSE42, S_AES, S_SHA, S_BMI, S_SETUP, S_NSETS };
extern const char *const set_names[S_NSETS];

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

#define MAXINS 200
#define MAXUNITS 80

struct range { uint16_t off, len; };   /* window bytes [off, off+len) */

/* The DF an instruction leaves or needs. */
enum { DF_KEEP, DF_CLEAR, DF_SET };
/* What an instruction does to the x87 control word the tracker follows. */
enum { CW_KEEP, CW_SET, CW_UNKNOWN };

struct ins {
    uint8_t b[16];
    uint8_t len;
    uint8_t set;             /* S_*: where it is counted */
    uint8_t unit;
    const char *name;
    uint32_t f_read, f_def, f_undef;    /* EFLAGS bits read, defined, left undefined */
    uint16_t c_read, c_def, c_undef;    /* x87 condition bits likewise */
    uint8_t regs_w;          /* general registers written (bit per register) */
    uint8_t df;              /* DF_* */
    uint8_t need_df;         /* 0, or 1 + the DF the instruction was planned for */
    uint8_t skip;            /* a forward jump over the next skip instructions */
    uint8_t jmp_always;      /* ... always taken: they are dead */
    uint8_t cw_op;           /* CW_* */
    uint16_t cw_val;
    uint8_t fcomi;           /* ZF PF CF set only when #IA is masked */
    uint8_t nrd;
    struct range rd[3];      /* window bytes read */
    struct range poison;     /* window bytes written with values not fixed by the architecture */
};

/* What the tracker knows at one point of the sequence. */
struct trk_core {
    uint32_t f_undef;
    uint16_t c_undef;
    int8_t df;               /* 0, 1, or -1: unknown */
    int8_t cw_known;
    uint16_t cw;
    uint8_t poison[FZ_WIN_SIZE / 8];
};
struct trk {
    struct trk_core cur, snap;
    int pending;             /* instructions until a conditional jump's target: merge there */
    int dead;                /* instructions an unconditional jump skips */
};

/* A memory operand: its encoding and the address it reaches. */
struct memop {
    uint8_t seg;             /* segment prefix or 0 */
    uint8_t modrm;           /* mod and rm; the reg field is filled by the user */
    uint8_t sib, has_sib;
    uint8_t disp_size;
    uint32_t disp;
    uint32_t addr;
    uint16_t size;
    uint16_t flags;
};
/* pick_mem flags */
#define M_READ    0x01
#define M_WRITE   0x02
#define M_ALIGN   0x04       /* 16-byte aligned */
#define M_DATA    0x08       /* the data part only (not the stack part) */
#define M_FAULT   0x10       /* may pick a faulting address (then the case ends) */
#define M_NOSEG   0x20
#define M_MISALIGN 0x80     /* not 16-byte aligned: #GP for aligned SSE forms */
#define M_NOINDEX 0x100     /* no index register: the operand is reused after other instructions */

/* a register or a memory operand */
struct rmop {
    int is_mem;
    int reg;
    struct memop m;
};

struct gen {
    uint64_t rng;
    unsigned sets;                   /* bit per enabled S_* */
    unsigned weight[S_NSETS];        /* how often each set's units are picked */
    struct fz_case init;             /* the header's state part: gpr, eflags, fx, mem */
    struct ins ins[MAXINS];
    int nins;
    int nunits;
    struct trk t;
    int B;                           /* the reserved base register: FZ_BASEVAL between units */
    uint32_t esp;                    /* ESP now */
    int cur_set;
    bool fault_ok;                   /* this case may end with a planned fault */
    bool ended;                      /* a planned fault was emitted: no more units */
    bool ac;                         /* POPF set EFLAGS.AC: any later misaligned access may fault (#AC) */
    bool b_dirty;                    /* the unit wrote B: restored at its end, not a base until then */
    bool in_restore;
    bool no_base;                    /* B may not serve as a base now (EBP inside ENTER/LEAVE) */
    uint8_t protect;                 /* registers nothing may write now (EBP inside ENTER/LEAVE) */
    uint8_t avoid_idx;               /* registers the instruction's later setup writes: no index */
};

/* random numbers */
uint32_t rnd(struct gen *g);
uint32_t rnd_below(struct gen *g, uint32_t n);
bool chance(struct gen *g, int percent);
uint32_t pick_u32(struct gen *g);    /* boundary-heavy 32-bit integer */
uint64_t pick_f64(struct gen *g);    /* boundary-heavy double bits */
uint32_t pick_f32(struct gen *g);
void pick_f80(struct gen *g, uint8_t out[10]);

/* building instructions */
struct ins *ins_new(struct gen *g, int set, const char *name);
void ins_b(struct ins *I, uint8_t b);
void ins_imm(struct ins *I, uint32_t v, int bytes);
void ins_modrm(struct ins *I, int reg, const struct rmop *o);
bool ins_end(struct gen *g, struct ins *I);
void ins_read(struct ins *I, uint32_t addr, uint32_t len);
void ins_poison(struct ins *I, uint32_t addr, uint32_t len);
bool emit_mov_imm(struct gen *g, int reg, uint32_t v);           /* mov r32, imm32 (setup) */
bool emit_store_imm(struct gen *g, uint32_t addr, uint32_t v, int size);  /* mov [abs], imm (setup) */
bool emit_define_flags(struct gen *g);                          /* a CMP that defines all six flags */

/* operands */
bool pick_mem(struct gen *g, struct memop *m, int size, int flags);
bool pick_rm(struct gen *g, struct rmop *o, int size, int mem_percent, int mflags);
int pick_dst(struct gen *g, int size);   /* a register to write: never ESP */
int pick_src(struct gen *g);
uint8_t reg_bit(int size, int r);
bool in_window(uint32_t a, uint32_t len);

/* the instruction families: each emits one unit, false when it could not */
bool gen_int(struct gen *g);
bool gen_x87(struct gen *g);
bool gen_simd(struct gen *g, int set);
bool gen_bmi(struct gen *g);
bool gen_fisttp(struct gen *g);
bool gen_x87_define_c(struct gen *g);     /* FXAM: defines C0..C3 */

/* the tracker */
void trk_init(struct trk *t, const struct fz_case *init);
bool trk_step(struct trk *t, const struct ins *I);
/* after a forward jump's region: join the state at the jump (snap) */
void trk_join(struct trk *t, const struct trk_core *snap, bool always);

/* cases */
void gen_case(struct gen *g, uint64_t seed, uint64_t index, const unsigned weight[S_NSETS], int min_units,
              int max_units);
/* Lays out the units selected in keep (NULL: all) into a case record;
 * returns its size, 0 when the selection is not a valid sequence. */
uint32_t gen_assemble(const struct gen *g, const uint8_t *keep, uint8_t *out, uint32_t cap);
uint64_t case_seed(uint64_t seed, uint64_t index);

#endif
