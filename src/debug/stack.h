/* Guest stacks: captured as interned lists of guest PCs, symbolised (ELF
 * symbols, DWARF lines) only when a report prints them. */
#ifndef UE_STACK_H
#define UE_STACK_H

#include "../ue.h"

struct cpu;
typedef uint32_t stack_id;   /* 0: no stack */

/* Subscribes to memory events (cached answers go stale when code is
 * unmapped): call once before guest threads exist (chk_init). */
void stack_init(void);

/* The guest stack of c now: pc first (the current instruction, or a
 * function's entry for a redirected call), then each caller's return
 * address - 1 (inside its call instruction: the address Valgrind prints,
 * and the one whose line is the call's), found by unwinding (CFI of the
 * loaded objects, else frame pointers), at most chk_opt.num_callers frames
 * (12 when 0). Interned: equal stacks get equal ids. Thread-safe, and
 * lock-free once the stack's PCs and the stack itself were seen before. */
stack_id stack_capture(struct cpu *c, guest_addr pc);
/* Its frames. */
int stack_frames(stack_id id, const guest_addr **pcs);

/* What a guest PC is. Strings stay valid until exit. */
struct sym_info {
    const char *fn;      /* function name (demangled), or NULL */
    const char *file;    /* source file base name, or NULL */
    const char *dir;     /* its directory, or NULL */
    int line;            /* 0 when unknown */
    const char *obj;     /* path of the loaded object, or NULL */
    guest_addr obj_base; /* its load address */
};
/* fn is the symbol table's function, file:line the innermost source line
 * (the function itself when code was inlined there). */
void sym_lookup(guest_addr pc, struct sym_info *out);
/* The source-level frames at pc, as Valgrind prints them (its
 * --read-inline-info): the innermost inlined function first, each with its
 * line, then the functions it was inlined into, each at the line of the
 * inlined call, last the symbol table's function. Returns how many (at
 * most max; 1 with out[0] as sym_lookup gives when nothing is inlined). */
int sym_lookup_inlined(guest_addr pc, struct sym_info *out, int max);
/* The address of a named function in the loaded objects (the main program
 * first), or 0. */
guest_addr sym_address(const char *name);

#endif
