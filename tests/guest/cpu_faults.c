/* ue-test: variants=s2 d0 p2 */
/* Faults as the hardware raises them: segment loads (MOV/POP Sreg, LDS...)
 * with every selector of the GDT and some LDT ones (#GP/#NP with the
 * selector as sigcontext err), INT1, the undefined C6/C7 forms, ENTER with
 * nesting levels against an unmapped page, POP m32 to an unmapped address,
 * and pushes and pops crossing into unmapped pages. Registers and memory
 * are printed relative to a test area, so native and ue runs compare. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "fault_catch.h"

static uint8_t *code, *area;   /* area: pages 0 and 3 PROT_NONE, 1 and 2 read-write */
static uint32_t A;
static struct { uint32_t esp, ebp, code; } regs;

static uint32_t rel(uint32_t v) { return v - A < 0x4000 ? v - A : v; }

/* Runs bytes (then UD2, which ends a run that did not fault) with ESP and
 * EBP set; prints the signal and the state it shows. */
static void run(const char *name, const uint8_t *bytes, int n, uint32_t esp, uint32_t ebp)
{
    memcpy(code, bytes, n);
    code[n] = 0x0f;
    code[n + 1] = 0x0b;
    regs.esp = esp;
    regs.ebp = ebp;
    regs.code = (uint32_t)code;
    g_sig = 0;
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("mov 4(%0), %%ebp\n\tmov 0(%0), %%esp\n\tjmp *8(%0)" : : "a"(&regs) : "memory");
    printf("%-28s sig %2d code %3d trapno %2d err %#6x addr %#x esp %#x ebp %#x eip %+d\n", name, g_sig,
           g_code, g_trapno, g_err, g_sig == SIGILL ? 0 : rel(g_addr) - (g_sig == SIGTRAP ? (uint32_t)code : 0),
           rel(g_esp), rel(g_ebp), (int)(g_eip - (uint32_t)code));
}

static void dump(uint32_t from, uint32_t to)
{
    printf("  mem");
    for (uint32_t a = from; a < to; a += 4) {
        uint32_t w;
        memcpy(&w, (void *)(A + a), 4);
        printf(" %x", rel(w));
    }
    printf("\n");
}

/* Selector loads: the outcome of each form for one selector. */
static void selector(uint16_t sel)
{
    static const struct { const char *name; uint8_t b[8]; int n; } forms[] = {
        {"mov %ax,%fs", {0x8e, 0xe0, 0x31, 0xc0, 0x8e, 0xe0}, 6},            /* then back to 0 */
        {"mov %ax,%ss", {0x8e, 0xd0}, 2},
        {"pop %ds", {0x50, 0x1f, 0x16, 0x1f}, 4},                          /* push eax; pop ds; push ss; pop ds */
        {"pop %es", {0x50, 0x07, 0x16, 0x07}, 4},
        {"pop %fs", {0x50, 0x0f, 0xa1, 0x31, 0xc0, 0x8e, 0xe0}, 7},
        {"les (%ecx),%edx", {0xc4, 0x11, 0x16, 0x07}, 4},
        {"lfs (%ecx),%edx", {0x0f, 0xb4, 0x11, 0x31, 0xc0, 0x8e, 0xe0}, 7},
        {"lss (%ecx),%edx", {0x0f, 0xb2, 0x11}, 3},
    };
    static uint32_t farptr[2];
    farptr[0] = 0x1234;
    farptr[1] = sel;
    for (unsigned k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        uint8_t b[24];
        int n = 0;
        /* mov $sel,%eax; mov $farptr,%ecx; mov %ss,%ebx (kept for lss); the form; restore ss */
        b[n++] = 0xb8; memcpy(b + n, &(uint32_t){sel}, 4); n += 4;
        b[n++] = 0xb9; memcpy(b + n, &(uint32_t){(uint32_t)farptr}, 4); n += 4;
        memcpy(b + n, forms[k].b, forms[k].n); n += forms[k].n;
        if (k == 1 || k == 7) { b[n++] = 0x8e; b[n++] = 0xd6; }   /* mov %esi,%ss: back to the stack segment */
        char name[64];
        snprintf(name, sizeof name, "%s %#x", forms[k].name, sel);
        uint16_t ss;
        __asm__ volatile("mov %%ss, %0" : "=r"(ss));
        regs.esp = A + 0x2800;
        regs.ebp = 0;
        memcpy(code, b, n);
        code[n] = 0x0f;
        code[n + 1] = 0x0b;
        regs.code = (uint32_t)code;
        g_sig = 0;
        if (!sigsetjmp(jb, 1))
            __asm__ volatile("mov 4(%0), %%ebp\n\tmov 0(%0), %%esp\n\tjmp *8(%0)" : : "a"(&regs), "S"((uint32_t)ss) : "memory");
        if (g_sig != SIGILL)
            printf("%-28s sig %2d code %3d trapno %2d err %#6x eip %+d\n", name, g_sig, g_code, g_trapno, g_err,
                   (int)(g_eip - (uint32_t)code));
        else
            printf("%-28s loads\n", name);
    }
}

int main(void)
{
    fault_catch(fault_handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* 64 KiB-aligned: 16-bit ENTER keeps EBP's upper half, which then stays the area's */
    uint8_t *res = mmap(NULL, 0x20000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area = (uint8_t *)(((uintptr_t)res + 0xffff) & ~(uintptr_t)0xffff);
    mprotect(area + 4096, 2 * 4096, PROT_READ | PROT_WRITE);
    A = (uint32_t)area;

    /* every GDT selector (the x86-64 kernel's 16 slots, every RPL), a few LDT and out-of-table ones;
     * 0x78-0x7b (the CPU-number segment) load everywhere but SS */
    for (unsigned s = 0; s < 0x80; s++) selector((uint16_t)s);
    static const uint16_t more[] = {0x80, 0x83, 0x87, 0x1234, 0x7ffc, 0xfffc, 0xffff};
    for (unsigned k = 0; k < sizeof more / sizeof more[0]; k++) selector(more[k]);

    /* far JMP/CALL/RETF/IRET: only the flat code segment works (any RPL for
     * JMP/CALL, RPL 3 for returns); others fault with the selector */
    static const uint16_t far_sels[] = {0, 3, 0x8, 0x13, 0x20, 0x21, 0x22, 0x23, 0x2b, 0x3b, 0x40, 0x63, 0x7b,
                                        0x1234, 0xfffc, 0x4, 0x47};
    static uint32_t farmem[2];
    for (unsigned k = 0; k < sizeof far_sels / sizeof far_sels[0]; k++) {
        uint16_t sl = far_sels[k];
        char nm[40];
        uint32_t t = (uint32_t)code + 7;
        uint8_t j[] = {0xea, t, t >> 8, t >> 16, t >> 24, sl, sl >> 8};
        snprintf(nm, sizeof nm, "ljmp %#x", sl);
        run(nm, j, 7, A + 0x2800, 0);
        j[0] = 0x9a;
        snprintf(nm, sizeof nm, "lcall %#x", sl);
        run(nm, j, 7, A + 0x2800, 0);
        t = (uint32_t)code + 11;
        uint8_t r[] = {0x68, sl, sl >> 8, 0, 0, 0x68, t, t >> 8, t >> 16, t >> 24, 0xcb};
        snprintf(nm, sizeof nm, "lret %#x", sl);
        run(nm, r, 11, A + 0x2800, 0);
        t = (uint32_t)code + 16;
        uint8_t ir[] = {0x68, 0x02, 0x02, 0, 0, 0x68, sl, sl >> 8, 0, 0, 0x68, t, t >> 8, t >> 16, t >> 24, 0xcf};
        snprintf(nm, sizeof nm, "iret %#x", sl);
        run(nm, ir, 16, A + 0x2800, 0);
        farmem[0] = (uint32_t)code + 6;
        farmem[1] = sl;
        uint32_t m = (uint32_t)farmem;
        uint8_t fm[] = {0xff, 0x2d, m, m >> 8, m >> 16, m >> 24};   /* ljmp *farmem */
        snprintf(nm, sizeof nm, "ljmp *m %#x", sl);
        run(nm, fm, 6, A + 0x2800, 0);
        fm[1] = 0x1d;                                               /* lcall *farmem */
        snprintf(nm, sizeof nm, "lcall *m %#x", sl);
        run(nm, fm, 6, A + 0x2800, 0);
    }

    /* INT1: SIGTRAP, with the EIP the host gives */
    run("int1", (const uint8_t[]){0xf1}, 1, A + 0x2800, 0);

    /* C6/C7 with ModRM.reg != 0 are undefined, except C6 F8 (XABORT) and C7 F8 (XBEGIN) */
    for (int r = 1; r < 8; r++) {
        char nm[32];
        uint8_t b1[] = {0xc6, (uint8_t)(0xc0 | r << 3), 0x11};
        snprintf(nm, sizeof nm, "c6 /%d reg", r);
        run(nm, b1, 3, A + 0x2800, 0);
        uint8_t b2[] = {0xc7, (uint8_t)(0x40 | r << 3 | 5), 0x10, 0x11, 0, 0, 0};   /* c7 /r 0x10(%ebp) */
        snprintf(nm, sizeof nm, "c7 /%d mem", r);
        run(nm, b2, 7, A + 0x2800, A + 0x2000);
    }
    run("xabort", (const uint8_t[]){0xc6, 0xf8, 0x11}, 3, A + 0x2800, 0);

    /* ENTER: the final stack pointer on the unmapped page 0, the display read from page 3 */
    static const int sizes[] = {0, 4, 0x10, 0x1c, 0x1d, 0x20, 0x1000};
    for (int l = 0; l < 5; l++)
        for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char nm[40];
            int sz = sizes[k];
            uint8_t b[] = {0xc8, (uint8_t)sz, (uint8_t)(sz >> 8), (uint8_t)l};
            uint8_t w[] = {0x66, 0xc8, (uint8_t)sz, (uint8_t)(sz >> 8), (uint8_t)l};
            memset(area + 4096, 0xa5, 8192);
            for (int d = 0; d < 8; d++) memcpy(area + 0x2000 - 4 * d, &(uint32_t){A + 0x2000 - 0x100 * d}, 4);
            snprintf(nm, sizeof nm, "enter %#x,%d", sz, l);
            run(nm, b, 4, A + 0x1020, A + 0x2000);
            dump(0x1000, 0x1020);
            snprintf(nm, sizeof nm, "enter %#x,%d ebp unmapped", sz, l);
            run(nm, b, 4, A + 0x2040, A + 0x3008);
            snprintf(nm, sizeof nm, "enterw %#x,%d", sz, l);
            run(nm, w, 5, A + 0x1020, A + 0x2000);
        }

    /* POP m32/m16 to an unmapped or page-crossing destination: ESP unchanged */
    run("pop (%ebp) unmapped", (const uint8_t[]){0x8f, 0x45, 0x00}, 3, A + 0x2000, A + 0x10);
    run("pop (%ebp) crossing", (const uint8_t[]){0x8f, 0x45, 0x00}, 3, A + 0x2000, A + 0x2ffe);
    run("popw (%ebp) crossing", (const uint8_t[]){0x66, 0x8f, 0x45, 0x00}, 4, A + 0x2000, A + 0x2fff);
    run("pop 8(%esp) crossing", (const uint8_t[]){0x8f, 0x44, 0x24, 0x08}, 4, A + 0x2ff6, 0);
    run("pop (%esp) from unmapped", (const uint8_t[]){0x8f, 0x04, 0x24}, 3, A + 0x2ffe, 0);
    run("pop -4(%esp)", (const uint8_t[]){0x8f, 0x44, 0x24, 0xfc}, 4, A + 0x1000, 0);
    /* pushes and pops crossing into an unmapped page */
    for (int off = 1; off <= 4; off++) {
        char nm[40];
        snprintf(nm, sizeof nm, "push %%ebp at +%d", off);
        run(nm, (const uint8_t[]){0x55}, 1, A + 0x1000 + off, 0);
        snprintf(nm, sizeof nm, "pushw $1 at +%d", off);
        run(nm, (const uint8_t[]){0x66, 0x6a, 0x01}, 3, A + 0x1000 + off, 0);
        snprintf(nm, sizeof nm, "push %%ds at +%d", off);
        run(nm, (const uint8_t[]){0x1e}, 1, A + 0x1000 + off, 0);
        snprintf(nm, sizeof nm, "pop %%ebp at -%d", off);
        run(nm, (const uint8_t[]){0x5d}, 1, A + 0x3000 - off, 0);
        snprintf(nm, sizeof nm, "pop %%ds at -%d", off);
        run(nm, (const uint8_t[]){0x1f}, 1, A + 0x3000 - off, 0);
        snprintf(nm, sizeof nm, "pop %%gs at -%d", off);
        run(nm, (const uint8_t[]){0x0f, 0xa9}, 2, A + 0x3000 - off, 0);
        snprintf(nm, sizeof nm, "push (%%ebp) at +%d", off);
        run(nm, (const uint8_t[]){0xff, 0x75, 0x00}, 3, A + 0x1000 + off, A + 0x2000);
        snprintf(nm, sizeof nm, "popa at -%d", 4 * off);
        run(nm, (const uint8_t[]){0x61}, 1, A + 0x3000 - 4 * off, A + 0x2000);
        snprintf(nm, sizeof nm, "pusha at +%d", 4 * off);
        run(nm, (const uint8_t[]){0x60}, 1, A + 0x1000 + 4 * off, A + 0x2000);
        snprintf(nm, sizeof nm, "call at +%d", off);
        run(nm, (const uint8_t[]){0xe8, 0, 0, 0, 0}, 5, A + 0x1000 + off, 0);
    }

    /* PUSH Sreg with 32-bit operand size: the upper half of the slot (vendor-dependent) */
    for (int k = 0; k < 2; k++) {
        uint32_t slot = k ? 0x12345678 : 0xffffffff;
        memcpy(area + 0x2000 - 4, &slot, 4);
        run("push %ds", (const uint8_t[]){0x1e}, 1, A + 0x2000, 0);
        dump(0x2000 - 4, 0x2000);
        memcpy(area + 0x2000 - 4, &slot, 4);
        run("push %ss", (const uint8_t[]){0x16}, 1, A + 0x2000, 0);
        dump(0x2000 - 4, 0x2000);
        memcpy(area + 0x2000 - 4, &slot, 4);
        run("push %fs", (const uint8_t[]){0x0f, 0xa0}, 2, A + 0x2000, 0);
        dump(0x2000 - 4, 0x2000);
    }
    return 0;
}
