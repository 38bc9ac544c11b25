/* ue-test: variants=s2 d0 p2 */
/* Far returns with a 16-bit operand size (66 CB, 66 CA iw, 66 CF): they pop
 * a 16-bit IP and CS (and FLAGS), and EIP becomes the IP zero-extended, so
 * returning to the flat code segment lands below 64 KiB: a page mapped at
 * 0x8000 there holds UD2s, whose SIGILL shows the EIP, ESP and flags
 * reached. Also: a bad CS selector, an IP on an unmapped page, and pops
 * crossing into an unmapped page. */
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

static uint8_t *code, *area;   /* area: pages 0 and 3 PROT_NONE, pages 1 and 2 read-write */
static uint32_t A;
static struct { uint32_t esp, code; } regs;

/* addresses in the area relative to it; which slot of a crossing pop faults
 * first is the CPU's choice, so addresses on page 3 are shown as the page */
static uint32_t rel(uint32_t v) { return v - A < 0x3000 ? v - A : v - A < 0x4000 ? 0x3000 : v; }
static uint32_t rel_eip(uint32_t v) { return v - (uint32_t)code < 0x1000 ? v - (uint32_t)code : v; }

/* Runs bytes (then UD2) with ESP set to A + sp after storing the 16-bit
 * words w there, and EFLAGS cleared (NT, which a test sets, makes IRET
 * fault); prints the signal and the state it shows. */
static void run(const char *name, const uint8_t *bytes, int n, uint32_t sp, const uint16_t *w, int nw)
{
    memcpy(code, bytes, n);
    code[n] = 0x0f;
    code[n + 1] = 0x0b;
    for (int k = 0; k < nw; k++) memcpy(area + sp + 2 * k, &w[k], 2);
    regs.esp = A + sp;
    regs.code = (uint32_t)code;
    g_sig = 0;
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("push $0\n\tpopf\n\tmov 0(%0), %%esp\n\tjmp *4(%0)" : : "a"(&regs) : "memory");
    printf("%-26s sig %2d code %3d trapno %2d err %#6x addr %#x esp %#x eip %#x flags %#x\n", name, g_sig,
           g_code, g_trapno, g_err, g_sig == SIGILL ? 0 : rel(g_addr), rel(g_esp), rel_eip(g_eip),
           g_efl & 0x4dd5);
}

int main(void)
{
    fault_catch(fault_handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, SIGILL, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area = mmap(NULL, 0x4000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(area + 0x1000, 0x2000, PROT_READ | PROT_WRITE);
    A = (uint32_t)area;
    /* a page below 64 KiB (mmap_min_addr permitting) full of UD2 */
    uint8_t *low = mmap((void *)0x8000, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    int have_low = low == (uint8_t *)0x8000;
    if (have_low)
        for (int k = 0; k < 4096; k += 2) { low[k] = 0x0f; low[k + 1] = 0x0b; }
    printf("page at 0x8000: %s\n", have_low ? "mapped" : "not mapped (mmap_min_addr)");

    static const uint8_t lretw[] = {0x66, 0xcb}, lretw8[] = {0x66, 0xca, 0x08, 0x00}, iretw[] = {0x66, 0xcf};
    static const uint8_t lret[] = {0xcb}, iret[] = {0xcf};
    static const uint16_t targets[] = {0x8000, 0x8010, 0x8ffe, 0x9000, 0x0000, 0xfffe};
    static const uint16_t sels[] = {0x23, 0x20, 0x2b, 0x1b, 0x0};
    char nm[64];
    for (unsigned t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        if (!have_low && targets[t] >= 0x8000 && targets[t] < 0x9000) continue;
        for (unsigned s = 0; s < sizeof sels / sizeof sels[0]; s++) {
            uint16_t w[4] = {targets[t], sels[s], 0x08d5, 0x5555};
            snprintf(nm, sizeof nm, "lretw %#x:%#x", sels[s], targets[t]);
            run(nm, lretw, 2, 0x2000, w, 4);
            snprintf(nm, sizeof nm, "lretw $8 %#x:%#x", sels[s], targets[t]);
            run(nm, lretw8, 4, 0x2000, w, 4);
            snprintf(nm, sizeof nm, "iretw %#x:%#x", sels[s], targets[t]);
            run(nm, iretw, 2, 0x2000, w, 4);
        }
    }
    /* IRETW's FLAGS word: the arithmetic flags, DF and NT; IF and IOPL stay */
    static const uint16_t fl[] = {0x0000, 0x0001, 0x08d4, 0x0cd5, 0x4000, 0x3200, 0xffff & ~0x100};
    for (unsigned k = 0; k < sizeof fl / sizeof fl[0]; k++) {
        if (!have_low) break;
        uint16_t w[3] = {0x8000, 0x23, fl[k]};
        snprintf(nm, sizeof nm, "iretw flags %#x", fl[k]);
        run(nm, iretw, 2, 0x2000, w, 3);
    }
    /* with NT set (POPF can), IRET in compatibility mode is #GP(0) before it pops */
    {
        static const uint8_t nt_iretw[] = {0x68, 0x00, 0x40, 0, 0, 0x9d, 0x66, 0xcf};
        static const uint8_t nt_iret[] = {0x68, 0x00, 0x40, 0, 0, 0x9d, 0xcf};
        static const uint8_t nt_lretw[] = {0x68, 0x00, 0x40, 0, 0, 0x9d, 0x66, 0xcb};
        uint16_t w[6] = {0x8000, 0x23, 0x0cd5, 0, 0, 0};
        if (have_low) {
            run("NT iretw", nt_iretw, 8, 0x2000, w, 6);
            run("NT iret", nt_iret, 7, 0x2000, w, 6);
            run("NT lretw", nt_lretw, 8, 0x2000, w, 6);
        }
    }
    /* the 32-bit forms pop 32-bit slots: the same words make another target */
    {
        uint16_t w[4] = {0x8000, 0, 0x23, 0};
        if (have_low) {
            run("lret 0x23:0x8000", lret, 1, 0x2000, w, 4);
            uint16_t w2[6] = {0x8004, 0, 0x23, 0, 0x0cd5, 0};
            run("iret 0x23:0x8004", iret, 1, 0x2000, w2, 6);
        }
    }
    /* pops whose return slots run into the unmapped page after the area (an
     * AMD CPU also reads the outer-level SP:SS slots, so farther frames are
     * not compared) */
    for (int off = 1; off <= 3; off++) {
        uint16_t w[1] = {0x8000};
        snprintf(nm, sizeof nm, "lretw at end-%d", off);
        run(nm, lretw, 2, 0x3000 - off, w, off >= 2 ? 1 : 0);
        snprintf(nm, sizeof nm, "iretw at end-%d", off);
        run(nm, iretw, 2, 0x3000 - off, w, off >= 2 ? 1 : 0);
        snprintf(nm, sizeof nm, "lret at end-%d", 2 * off);
        run(nm, lret, 1, 0x3000 - 2 * off, w, 1);
        snprintf(nm, sizeof nm, "iret at end-%d", 2 * off);
        run(nm, iret, 1, 0x3000 - 2 * off, w, 1);
    }
    return 0;
}
