/* Which build of the CPU runs (cpu.h: "the two builds of the CPU"). Compiled
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu.h"
#include "../jit/jit.h"
#include "../check/check.h"
#include "../mem/mem.h"

const struct cpu_variant *cpu_variant;
bool chk_facts;

/* An access that overlaps the running instruction's memory operand must lie
 * inside it and go the way the opcode's facts say. Accesses elsewhere (the
 * stack's, a string instruction's) are not the operand's. */
void chk_facts_access(guest_addr a, uint32_t size, int dir)
{
    struct cpu *c = cur_cpu;
    const struct insn *i = c ? c->loop.cur : NULL;
    if (!i || (i->mem & 3) == MK_NONE || insn_uses_stack(i)) return;   /* a stack slot may overlap it */
    int kind = i->mem & 3;
    uint32_t n = sz_bytes(i->mem >> 2, i->opsize16);
    guest_addr at = ea(c, i);
    if (!n || a + size <= at || a >= at + n) return;
    const char *wrong = a < at || a + size > at + n ? "outside the operand"
                      : dir == CHK_WRITE && kind == MK_READ ? "a write to a read operand"
                      : dir == CHK_READ && kind == MK_STORE ? "a read of a stored operand" : NULL;
    if (wrong)
        fprintf(stderr, "ue: facts: insn at %#x (map %d op %02x reg %d): %s: %s of %u bytes at +%d, operand %u bytes\n",
                i->eip, i->map, i->op, i->reg, wrong, dir == CHK_WRITE ? "write" : "read", size,
                (int)(a - at), n);
}

void cpu_decode_init(bool memcheck)
{
    mem_observe(code_mem_event);
    const char *env = getenv("UE_CHECKED_CPU");
    chk_facts = env && !strcmp(env, "facts");
    if (!memcheck && !(env && (*env == '1' || chk_facts))) {
        decode_init();
        jit_init(false);
        return;
    }
    if (!chk_shadow) {
        /* the test aid without the checker: every byte addressable (an all-zero shadow) */
        void *p = mmap(NULL, (1ull << 32) + 0x10000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) ue_fatal(70, "cannot map the shadow for UE_CHECKED_CPU");
        chk_shadow = p;
    }
    chk_decode_init();
    /* facts compares each access with the handler's facts: the interpreter alone */
    if (chk_facts) jit_mode = JIT_OFF;
    jit_init(true);
}
