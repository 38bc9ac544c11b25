/* Which build of the CPU runs (cpu.h: "the two builds of the CPU"). Compiled
 * once. */
#include <stdlib.h>
#include <sys/mman.h>

#include "cpu.h"
#include "../check/check.h"
#include "../mem/mem.h"

const struct cpu_variant *cpu_variant;

void cpu_decode_init(bool memcheck)
{
    mem_observe(code_mem_event);
    const char *env = getenv("UE_CHECKED_CPU");
    if (!memcheck && !(env && *env == '1')) {
        decode_init();
        return;
    }
    if (!chk_shadow) {
        /* the test aid without the checker: every byte addressable (an all-zero shadow) */
        void *p = mmap(NULL, (1ull << 32) + 0x10000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) ue_fatal(70, "cannot map the shadow for UE_CHECKED_CPU");
        chk_shadow = p;
    }
    chk_decode_init();
}
