/* The code generator's own structures, shared by jit.c (runtime) and
 * translate.c (instructions). */
#ifndef UE_JIT_INT_H
#define UE_JIT_INT_H

#include "emit.h"
#include "jit.h"

/* runs before a block is translated (UE_JIT=all: 1) */
#define JIT_HOT 16
#define POLL_SIZE 4096
/* exits to refused blocks after which a block is entered interpreted again */
#define JIT_BOUNCES 64

/* How translated code was left (c->loop.jit_exit points at one). */
enum {
    JX_GOTO,        /* to eip, known when translating; patch: the jump to link to its block */
    JX_INDIRECT,    /* to c->eip (an indirect jump whose target had no code in the table) */
    JX_RESUME,      /* the interpreter runs b->insns[k] on (k > 0) */
};
struct jit_exit {
    struct block *b;
    uint8_t *patch;     /* JX_GOTO: rel32 field of the jump that comes here, or NULL */
    guest_addr eip;
    uint8_t kind;
    uint8_t k;
};

/* Instructions of a block run by the interpreter from translated code:
 * copies of the block's, then an entry that returns. */
struct jit_run {
    struct block *b;
    uint32_t count;     /* instructions before the returning entry */
    struct insn insns[];
};

/* A translated block. */
struct jit_block {
    struct block *b;
    uint8_t *ientry;    /* entry from an indirect jump: checks that r10d is its EIP */
    uint8_t *entry;     /* entry from a backward jump or op_jit_enter: polls first */
    uint8_t *fast;      /* entry from a forward jump: no poll */
    uint32_t n;         /* b->n */
    uint32_t bounces;   /* exits to blocks the translator refused */
    uint16_t pc[];      /* pc[k]: offset from ientry of instruction k's code; pc[n]: end of them
                           (a block's code is far below 64 KiB: 64 instructions of at most ~80 bytes) */
};

typedef uint64_t (*jit_enter_fn)(struct cpu *c, const uint8_t *code, uint64_t flags);

struct jit_ctx {
    uint8_t *poll;              /* one page before code: readable, or nothing while attention is wanted */
    uint8_t *code, *code_ptr;
    size_t code_size;
    uint8_t *data, *data_ptr;
    size_t data_size;
    uint32_t *jtab;             /* by target EIP's low 16 bits: a block's ientry - code (0: the miss stub) */
    uint32_t *jt_log;           /* the entries set in jtab since the last flush */
    uint32_t jt_n;
    struct jit_block **blocks;  /* in code order */
    uint32_t nblocks, cap;
    uint32_t gen;               /* counts flushes */
    jit_enter_fn enter;
    uint8_t *exit, *helper, *poll_stub;
    uint8_t *x87_res;           /* memcheck: makes the x87 state resident (r11: the exit if it may not) */
    struct jit_exit miss_exit;
    struct jit_exit poll_exit;  /* filled by jit_poll_fault for the block whose poll faulted */
};

void *jit_data_alloc(struct jit_ctx *x, size_t n);
uint64_t jit_run_helper(struct cpu *c, const struct jit_run *run, uint64_t hostflags);
/* Translate b into x's cache (translate.c): 1 done (b->jit set), 0 not
 * translated (it would not run faster), -1 out of room. */
int jit_translate(struct jit_ctx *x, struct cpu *c, struct block *b);

#endif
