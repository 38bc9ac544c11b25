/* Between stack.c and symbols.c: how to unwind one frame at a guest PC, as
 * the loaded object's CFI says (or frame pointers when it says nothing). */
#ifndef UE_DEBUG_SYMBOLS_H
#define UE_DEBUG_SYMBOLS_H

#include "../ue.h"

/* What to do at a PC. */
enum {
    UR_STOP,   /* not code (no executable region): end the walk */
    UR_CFI,    /* the rules below */
    UR_ENTRY,  /* a function's first instruction without CFI: [esp] is the return address */
    UR_FP,     /* no CFI: the ebp chain */
};
/* Where a caller's register is (DWARF's register rules). */
enum { RR_SAME, RR_UNDEF, RR_AT /* [cfa + off] */, RR_VAL /* cfa + off */, RR_EXPR };

/* A DWARF expression kept for the rare rules that are not register + offset
 * (PLT entries): DW_OP_* atoms with their operands. */
struct unwind_op { uint8_t atom; uint64_t a, b; };
struct unwind_expr { int n; bool value; struct unwind_op op[]; };

struct unwind_rule {
    uint8_t kind;                 /* UR_* */
    uint8_t cfa_reg;              /* CFA = r[cfa_reg] + cfa_off; 0xff: cfa_expr */
    uint8_t ra, ebp;              /* RR_* for the return address (column 8) and ebp (5) */
    bool signal;                  /* a signal frame: the caller's pc is exact, not after a call */
    int32_t cfa_off, ra_off, ebp_off;
    const struct unwind_expr *cfa_expr, *ra_expr, *ebp_expr;
};
/* The rule for code at pc (a caller's pc is its return address - 1).
 * Asks libdw: callers cache the answer (stack.c's rule cache). */
void sym_unwind_rule(guest_addr pc, struct unwind_rule *r);

/* stack.c's rule cache drops its answers for [a, a+len) (code there was
 * unmapped or replaced, or new code appeared). */
void stack_forget_code(guest_addr a, uint32_t len);

#endif
