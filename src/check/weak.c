/* Placeholders while the checker's pieces are built in parallel: each is
 * replaced by the real definition (a strong symbol) in its own file. This
 * file goes away once all of them exist. */
#include <stddef.h>

#include "check.h"
#include "../debug/stack.h"
#include "../mem/mem.h"

#define WEAK __attribute__((weak))

WEAK struct chk_options chk_opt;
WEAK uint8_t *chk_shadow;
WEAK int chk_option(const char *word, const char *next) { return 0; }
WEAK void chk_init(void) {}
WEAK char **chk_guest_env(char **envp) { return envp; }
WEAK void shadow_set(guest_addr a, uint32_t len, uint8_t state) {}
WEAK int64_t shadow_first_noaccess(guest_addr a, uint32_t len) { return -1; }
WEAK void chk_access_slow(guest_addr a, uint32_t size, int dir) {}
WEAK chk_op_fn chk_decode_hook(guest_addr eip, uint32_t *len) { return NULL; }
WEAK void heap_describe(guest_addr a, struct chk_addr_desc *d) { d->kind = AD_UNKNOWN; }
WEAK void leak_check(int mode, bool only_new) {}
WEAK void chk_report(const struct chk_error *e) {}
WEAK uint32_t chk_error_count(void) { return 0; }
WEAK void chk_fatal_signal(struct cpu *c, int sig, int code, guest_addr addr) {}
WEAK int chk_at_exit(int status) { return status; }
WEAK stack_id stack_capture(struct cpu *c, guest_addr pc) { return 0; }
WEAK int stack_frames(stack_id id, const guest_addr **pcs) { *pcs = NULL; return 0; }
WEAK void sym_lookup(guest_addr pc, struct sym_info *out) { *out = (struct sym_info){0}; }
WEAK guest_addr sym_address(const char *name) { return 0; }
WEAK void heap_totals(struct heap_totals *t) { *t = (struct heap_totals){0}; }
WEAK void leak_counts(struct leak_summary *s) { *s = (struct leak_summary){0}; }
WEAK void chk_report_leaks(struct leak_rec *recs, int n, struct leak_summary *s, int mode) {}
WEAK void chk_printf(const char *text, stack_id where) {}
