/* The code generator: guest blocks translated to x86-64 host code
 * (doc/jit.md). The interpreter (src/cpu) stays the reference: it decodes
 * every block, runs it until it is hot, and runs whatever the translator
 * leaves to it. A translated block replaces its first instruction's handler
 * with the JIT's entry, so the interpreter's own chaining enters it. */
#ifndef UE_JIT_H
#define UE_JIT_H

#include "../cpu/cpu.h"

/* jit_mode: off (--no-jit, UE_JIT=off, UE_CHECKED_CPU=facts, a host other
 * than x86-64), on (blocks are translated once they are hot), all (every
 * block at its first run: UE_JIT=all, for tests). */
enum { JIT_OFF, JIT_ON, JIT_ALL };
extern int jit_mode;
/* The running CPU is the checked one (memcheck): translated code checks the
 * shadow before each access it makes itself (translate.c). */
extern bool jit_checked;
extern size_t jit_cache_size;   /* bytes of host code per thread (--jit-cache) */

/* Start-up, once the CPU's build is chosen (checked: memcheck's, whose
 * shadow is mapped): reads UE_JIT and sets jit_threshold. */
void jit_init(bool checked);
/* Drop every translation of this thread (its blocks run interpreted until
 * they are hot again). Called before the decoded blocks are freed. */
void jit_flush(struct cpu *c);
/* A guest thread ends: its code cache goes. */
void jit_thread_exit(struct cpu *c);
/* A host fault or trap in translated code: loads the guest state at the
 * faulting instruction into c (registers and arithmetic flags from the
 * host context) and points c->loop.cur at it. False when the host PC is not
 * in c's translated code. */
bool jit_fault_state(struct cpu *c, void *ucontext);

/* A host SIGSEGV at addr: true when it is translated code's attention poll
 * (the context now goes on at the block's exit, or retries). */
bool jit_poll_fault(struct cpu *c, const void *addr, void *ucontext);

/* UE_JIT_STATS: print what translated code did (at exit) */
void jit_stats_print(void);

/* the interpreter's block for eip, decoded now if it is not cached (exec.c) */
struct block *cpu_block_at(struct cpu *c, guest_addr eip);

#endif
