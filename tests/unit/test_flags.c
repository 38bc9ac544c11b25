/* The flag-liveness pass of src/cpu/exec.c (mark_dead_flags, static: this
 * file includes exec.c, and the unit archive's exec.o is then not linked):
 * byte sequences are decoded as the translator does and each instruction's
 * flags_dead is compared with what the rule says. */
#include "../../src/cpu/exec.c"

#include <sys/mman.h>

#include "unit.h"

#define CODE 0x20000000u

static struct cpu cpu;

/* Decode len bytes at CODE into insns; returns the count. */
static uint32_t decode(const char *bytes, size_t len, struct insn *insns, uint32_t max)
{
    memcpy(g2h(CODE), bytes, len);
    uint32_t n = 0;
    guest_addr a = CODE;
    while (a < CODE + len && n < max) {
        decode_one(&cpu, a, CODE + GUEST_PAGE, &insns[n]);
        a += insns[n].len;
        n++;
    }
    return n;
}

/* want: one character per instruction, 'D' flags dead, '-' not. */
static void expect(const char *name, const char *bytes, size_t len, const char *want)
{
    struct insn insns[16];
    char got[17];
    unit_case = name;
    uint32_t n = decode(bytes, len, insns, 16);
    mark_dead_flags(insns, n);
    for (uint32_t k = 0; k < n; k++) got[k] = insns[k].flags_dead ? 'D' : '-';
    got[n] = 0;
    if (strcmp(got, want)) {
        unit_fail++;
        printf("FAIL %s: flags_dead %s, want %s\n", name, got, want);
    } else {
        unit_pass++;
    }
}

#define E(name, bytes, want) expect(name, bytes, sizeof bytes - 1, want)

int main(void)
{
    mem_init();
    decode_init();
    cpu_init(&cpu);
    if (mem_mmap(CODE, GUEST_PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != CODE)
        ue_fatal(70, "cannot map the code page");
    mem_mprotect(CODE, GUEST_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);

    /* add eax,ebx = 01 d8; add eax,ecx = 01 c8; adc eax,ebx = 11 d8; inc eax = 40;
     * cmp eax,ebx = 39 d8; mov eax,ebx = 89 d8; mov [ebx],eax = 89 03;
     * mov eax,[ebx] = 8b 03; nop = 90; jz +0 = 74 00; setc al = 0f 92 c0;
     * shl eax,cl = d3 e0; pushf = 9c */
    E("flags live at the block's end", "\x01\xd8", "-");
    E("overwritten before read", "\x01\xd8\x01\xc8", "D-");
    E("read by adc", "\x01\xd8\x11\xd8", "--");
    E("inc keeps CF: the first add's CF lives through it", "\x01\xd8\x40", "--");
    E("inc then a full write", "\x01\xd8\x40\x01\xc8", "DD-");
    E("shl by cl may keep all flags", "\x01\xd8\xd3\xe0\x01\xc8", "DD-");
    E("shl by cl at the end", "\x01\xd8\xd3\xe0", "--");
    E("register moves and nop neither read nor fault", "\x01\xd8\x89\xd8\x90\x01\xc8", "D---");
    E("a store may fault: the handler sees the flags", "\x01\xd8\x89\x03\x01\xc8", "---");
    E("a load may fault too", "\x01\xd8\x8b\x03\x01\xc8", "---");
    E("jz reads ZF", "\x39\xd8\x74\x00", "--");
    E("setc reads CF", "\x01\xd8\x0f\x92\xc0\x01\xc8", "---");
    E("pushf reads them all", "\x01\xd8\x9c\x01\xc8", "---");
    E("three writes in a row", "\x39\xd8\x01\xd8\x01\xc8", "DD-");
    return unit_done("flags");
}
