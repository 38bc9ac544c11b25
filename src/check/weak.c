/* Placeholders while the checker's pieces are built in parallel: each is
 * replaced by the real definition (a strong symbol) in its own file. This
 * file goes away once all of them exist. */
#include <stddef.h>

#include "check.h"
#include "../debug/stack.h"
#include "../mem/mem.h"

#define WEAK __attribute__((weak))

WEAK uint8_t *chk_shadow;
WEAK void shadow_init(void) {}
WEAK char **chk_guest_env(char **envp) { return envp; }
WEAK void shadow_set(guest_addr a, uint32_t len, uint8_t state) {}
WEAK int64_t shadow_first_noaccess(guest_addr a, uint32_t len) { return -1; }
WEAK void chk_access_slow(guest_addr a, uint32_t size, int dir) {}
WEAK chk_op_fn chk_decode_hook(guest_addr eip, uint32_t *len) { return NULL; }
WEAK void heap_describe(guest_addr a, struct chk_addr_desc *d) { d->kind = AD_UNKNOWN; }
WEAK void leak_check(int mode, bool only_new) {}
WEAK void mem_observe(mem_observer fn) {}
WEAK void mem_notify(const struct mem_event *e) {}
WEAK void heap_totals(struct heap_totals *t) { *t = (struct heap_totals){0}; }
WEAK void leak_counts(struct leak_summary *s) { *s = (struct leak_summary){0}; }
