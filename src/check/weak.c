/* Placeholders while the checker's pieces are built in parallel: each is
 * replaced by the real definition (a strong symbol) in its own file. This
 * file goes away once all of them exist. */
#include <stddef.h>

#include "check.h"
#include "../debug/stack.h"
#include "../mem/mem.h"

#define WEAK __attribute__((weak))

WEAK struct chk_options chk_opt;
WEAK int chk_option(const char *word, const char *next) { return 0; }
WEAK void chk_init(void) {}
WEAK void chk_report(const struct chk_error *e) {}
WEAK uint32_t chk_error_count(void) { return 0; }
WEAK void chk_fatal_signal(struct cpu *c, int sig, int code, guest_addr addr) {}
WEAK int chk_at_exit(int status) { return status; }
WEAK stack_id stack_capture(struct cpu *c, guest_addr pc) { return 0; }
WEAK int stack_frames(stack_id id, const guest_addr **pcs) { *pcs = NULL; return 0; }
WEAK void sym_lookup(guest_addr pc, struct sym_info *out) { *out = (struct sym_info){0}; }
WEAK guest_addr sym_address(const char *name) { return 0; }
WEAK void mem_observe(mem_observer fn) {}
WEAK void mem_notify(const struct mem_event *e) {}
WEAK void chk_report_leaks(struct leak_rec *recs, int n, struct leak_summary *s, int mode) {}
WEAK void chk_printf(const char *text, stack_id where) {}
