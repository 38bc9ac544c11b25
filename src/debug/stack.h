/* Guest stacks: captured as interned lists of guest PCs, symbolised (ELF
 * symbols, DWARF lines) only when a report prints them. */
#ifndef UE_STACK_H
#define UE_STACK_H

#include "../ue.h"

struct cpu;
typedef uint32_t stack_id;   /* 0: no stack */

/* Subscribes to memory events (cached answers go stale where code is
 * unmapped or replaced): call once before guest threads exist (chk_init).
 * Without it, answers about code unmapped later stay as they were. */
void stack_init(void);

/* The guest stack of c now: pc first (the current instruction, or a
 * function's entry for a redirected call), then each caller's return
 * address - 1 (inside its call instruction: the address Valgrind prints,
 * and the one whose line is the call's), found by unwinding (CFI of the
 * loaded objects, else frame pointers), at most chk_opt.num_callers frames
 * (12 when 0). Interned: equal stacks get equal ids. Thread-safe, and
 * lock-free once the stack's PCs and the stack itself were seen before. */
stack_id stack_capture(struct cpu *c, guest_addr pc);
/* The stack at the instruction running now (the one the run loop is in;
 * between instructions, EIP). */
stack_id stack_here(struct cpu *c);
/* Its frames (stored until exit); 0 for an id never handed out. A stack
 * captured at a system call starts in ue's vDSO (__kernel_vsyscall), as
 * natively. */
int stack_frames(stack_id id, const guest_addr **pcs);

/* What a guest PC is. Strings stay valid until exit. */
struct sym_info {
    const char *fn;      /* function name (demangled), or NULL */
    const char *file;    /* source file base name, or NULL */
    const char *dir;     /* its directory, or NULL */
    int line;            /* 0 when unknown */
    const char *obj;     /* host path of the loaded object ("[vdso]" for ue's),
                            the region's name outside objects, or NULL */
    guest_addr obj_base; /* its load address */
};
/* fn: the symbol table's function at pc (.symtab, also from a separate
 * debug file, else .dynsym; for inlined code the function it was inlined
 * into); file:line: pc's own line (DWARF). Cached per PC. */
void sym_lookup(guest_addr pc, struct sym_info *out);
/* The source-level frames at pc, as Valgrind prints them (its
 * --read-inline-info): the innermost inlined function first, each with its
 * line, then the functions it was inlined into, each at the line of the
 * inlined call, last the symbol table's function. Returns how many (at
 * most max; 1 with out[0] as sym_lookup gives when nothing is inlined). */
int sym_lookup_inlined(guest_addr pc, struct sym_info *out, int max);
/* The address of a named function in the loaded objects (the main program
 * first), or 0. For an IFUNC symbol (static glibc's memcpy, strlen...) that
 * is its resolver's address. */
guest_addr sym_address(const char *name);

#endif
