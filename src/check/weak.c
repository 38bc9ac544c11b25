/* Placeholders while the checker's pieces are built in parallel: each is
 * replaced by the real definition (a strong symbol) in its own file. This
 * file goes away once all of them exist. */
#include <stddef.h>

#include "check.h"
#include "../debug/stack.h"
#include "../mem/mem.h"

#define WEAK __attribute__((weak))

WEAK void mem_observe(mem_observer fn) {}
WEAK void mem_notify(const struct mem_event *e) {}
