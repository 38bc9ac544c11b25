/* ue-test: variants=s2 d0 */
/* LAR, LSL, VERR and VERW (register and memory operands, 16- and 32-bit)
 * on LDT selectors of every kind modify_ldt makes (data, read-only,
 * expand-down, execute-only and readable code, 16-bit, page-granular, AVL,
 * not present), a cleared entry, selectors past the table's end, the null
 * selector and the GDT's flat and TLS segments; ARPL; loading each into
 * DS, ES, FS, GS and SS: the fault (#GP, #NP, #SS with the selector as
 * error code) as the signal shows it, and a far CALL to each. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fault_catch.h"
#include "ldt_set.h"

static void probe(uint16_t sel)
{
    uint32_t lar = 0xdeadbeef, lsl = 0xdeadbeef, lar16 = 0xdeadbeef, lsl16 = 0xdeadbeef;
    uint8_t zlar, zlsl, zlar16, zlsl16, zr, zw, zrm, zwm;
    uint16_t msel = sel;
    __asm__ volatile("lar %k2, %0\n\tsetz %1" : "+r"(lar), "=q"(zlar) : "r"((uint32_t)sel) : "cc");
    __asm__ volatile("lsl %k2, %0\n\tsetz %1" : "+r"(lsl), "=q"(zlsl) : "r"((uint32_t)sel) : "cc");
    __asm__ volatile("larw %2, %w0\n\tsetz %1" : "+r"(lar16), "=q"(zlar16) : "m"(msel) : "cc");
    __asm__ volatile("lslw %2, %w0\n\tsetz %1" : "+r"(lsl16), "=q"(zlsl16) : "m"(msel) : "cc");
    __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(zr) : "r"(sel) : "cc");
    __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(zw) : "r"(sel) : "cc");
    __asm__ volatile("verr %1\n\tsetz %0" : "=q"(zrm) : "m"(msel) : "cc");
    __asm__ volatile("verw %1\n\tsetz %0" : "=q"(zwm) : "m"(msel) : "cc");
    int cpunode = (sel & ~3) == 0x78;   /* its limit is the CPU number */
    printf("%#06x lar %d %#010x/%d %#010x lsl %d %#010x/%d %#010x verr %d/%d verw %d/%d", sel, zlar, lar & 0xfff0ffff,
           zlar16, lar16, zlsl, cpunode ? 0 : lsl, zlsl16, cpunode ? 0 : lsl16, zr, zrm, zw, zwm);
    /* loads */
    static const char *const nm[] = {"ds", "es", "fs", "gs", "ss"};
    for (int s = 0; s < 5; s++) {
        g_sig = 0;
        uint16_t now = 0xffff;
        if (!sigsetjmp(jb, 1)) {
            switch (s) {
            case 0: __asm__ volatile("push %%ds\n\tmov %1, %%ds\n\tmov %%ds, %0\n\tpop %%ds" : "=r"(now) : "r"(sel)); break;
            case 1: __asm__ volatile("push %%es\n\tmov %1, %%es\n\tmov %%es, %0\n\tpop %%es" : "=r"(now) : "r"(sel)); break;
            case 2: __asm__ volatile("push %%fs\n\tmov %1, %%fs\n\tmov %%fs, %0\n\tpop %%fs" : "=r"(now) : "r"(sel)); break;
            case 3: __asm__ volatile("push %%gs\n\tmov %1, %%gs\n\tmov %%gs, %0\n\tpop %%gs" : "=r"(now) : "r"(sel)); break;
            case 4: __asm__ volatile("mov %%ss, %%dx\n\tmov %1, %%ss\n\tmov %%ss, %0\n\tmov %%dx, %%ss" : "=r"(now) : "r"(sel) : "edx"); break;
            }
        }
        if (g_sig) printf(" %s:sig%d/%d/%d/%#x", nm[s], g_sig, g_code, g_trapno, g_err);
        else printf(" %s:%#x", nm[s], now);
    }
    /* a far call to offset 0x10 (code segments here lie on unmapped pages,
     * or are the flat one, where 0x10 is unmapped: a page fault at base + 0x10) */
    static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp;
    fp.off = 0x10;
    fp.sel = sel;
    if ((sel & ~3) == 0x30) {   /* the 64-bit code segment: long mode, which ue does not run */
        printf("\n");
        return;
    }
    g_sig = 0;
    if (!sigsetjmp(jb, 1)) __asm__ volatile("lcall *%0" : : "m"(fp) : "memory");
    printf(" lcall:sig%d/%d/%d/%#x addr %#x eip %#x", g_sig, g_code, g_trapno, g_err, g_addr, g_sig == SIGSEGV && g_code != 128 ? g_eip : 0);
    printf("\n");
}

int main(void)
{
    fault_catch(fault_handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, 0);
    static const struct { uint32_t base, limit, flags; } e[] = {
        {0x10000, 0xfff, 1},                 /* 1: data rw 32 */
        {0x20000, 0x1234, 8},                /* 2: data ro 16 */
        {0x30000, 0xff, 1 | 2},              /* 3: expand-down rw */
        {0x40000, 0xfffff, 1 | 4 | 8 | 0x10},/* 4: code exec-only, pages */
        {0x50000, 0x5678, 1 | 4},            /* 5: code readable */
        {0, 0xabc, 1 | 0x20},                /* 6: data not present */
        {0x60000, 0x123, 1 | 4 | 0x20},      /* 7: code not present */
        {0x70000, 0x9, 0x40 | 1},            /* 8: AVL */
        {0, 0xfffff, 1 | 6 | 0x20},          /* 9: conforming code, not present */
        {0x80000, 0xffff, 2 | 8},            /* 10: expand-down read-only 16-bit */
    };
    for (unsigned k = 0; k < sizeof e / sizeof e[0]; k++)
        if (set_ldt(k + 1, e[k].base, e[k].limit, e[k].flags)) printf("write %u failed\n", k + 1);
    set_ldt(11, 0, 0, 0x28);           /* 11: cleared */
    set_ldt(13, 0x1000, 0x10, 1);      /* 13: the table's last entry */
    for (unsigned k = 0; k <= 14; k++) {
        probe((uint16_t)(k << 3 | 4 | 3));
        if (k == 1 || k == 6) {
            probe((uint16_t)(k << 3 | 4));   /* RPL 0 */
            probe((uint16_t)(k << 3 | 4 | 1));
        }
    }
    static const uint16_t gdt[] = {0, 3, 0x23, 0x2b, 0x33, 0x20, 0x28, 0x60, 0x63, 0x6b, 0x73, 0x7b, 0x80, 0xfffc, 0xffff};
    for (unsigned k = 0; k < sizeof gdt / sizeof gdt[0]; k++) probe(gdt[k]);

    /* ARPL */
    static const uint16_t pairs[][2] = {{0x20, 3}, {0x23, 0}, {0x21, 2}, {0x22, 2}, {0xfffe, 0x1}, {0x7, 0xfffb}};
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        uint32_t r = 0xabcd0000u | pairs[k][0];
        uint16_t m = pairs[k][0];
        uint8_t z1, z2;
        __asm__ volatile("arpl %w2, %w0\n\tsetz %1" : "+r"(r), "=q"(z1) : "r"(pairs[k][1]) : "cc");
        __asm__ volatile("arpl %w2, %0\n\tsetz %1" : "+m"(m), "=q"(z2) : "r"(pairs[k][1]) : "cc");
        printf("arpl %#x, %#x: reg %#x zf %d mem %#x zf %d\n", pairs[k][0], pairs[k][1], r, z1, m, z2);
    }
    return 0;
}
