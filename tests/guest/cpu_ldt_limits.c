/* ue-test: variants=s2 d0 */
/* Limits of LDT data segments in DS, ES and SS: accesses at and past the
 * limit (#GP(0), SIGSEGV; through SS #SS(0), SIGBUS), expand-down segments
 * (16- and 32-bit), byte-granular and page-granular limits, a string
 * instruction's element, pushes and pops, a null DS, and writes through
 * read-only segments (an LDT one, the flat code segment). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fault_catch.h"
#include "ldt_set.h"

static uint8_t *area;
static uint32_t saved_esp;

enum { K_LOAD, K_STORE, K_STOS, K_LODS, K_PUSH, K_POP };
static const char *const kn[] = {"load", "store", "stos", "lods", "push", "pop"};

/* one access of kind k at offset off through a segment with selector sel */
static void try(const char *seg, uint16_t sel, int k, uint32_t off, int size)
{
    uint32_t v = 0, off0 = off;
    int ldt = sel & 4;
    g_sig = 0;
    if (!sigsetjmp(jb, 1)) {
        switch (k * 8 + size) {
        case K_LOAD * 8 + 1:
            __asm__ volatile("push %%ds\n\tmov %w1, %%ds\n\tmovzbl (%2), %0\n\tpop %%ds" : "=r"(v) : "r"(sel), "r"(off));
            break;
        case K_LOAD * 8 + 2:
            __asm__ volatile("push %%ds\n\tmov %w1, %%ds\n\tmovzwl (%2), %0\n\tpop %%ds" : "=r"(v) : "r"(sel), "r"(off));
            break;
        case K_LOAD * 8 + 4:
            __asm__ volatile("push %%ds\n\tmov %w1, %%ds\n\tmov (%2), %0\n\tpop %%ds" : "=r"(v) : "r"(sel), "r"(off));
            break;
        case K_STORE * 8 + 4:
            __asm__ volatile("push %%es\n\tmov %w0, %%es\n\tmovl $0x1234, %%es:(%1)\n\tpop %%es" : : "r"(sel), "r"(off) : "memory");
            break;
        case K_STOS * 8 + 4:
            __asm__ volatile("push %%es\n\tmov %w0, %%es\n\tstosl\n\tpop %%es" : "+r"(sel), "+D"(off) : "a"(0x5678) : "memory");
            break;
        case K_LODS * 8 + 2:
            __asm__ volatile("push %%ds\n\tmov %w2, %%ds\n\tlodsw\n\tpop %%ds" : "=a"(v), "+S"(off) : "r"(sel) : "memory");
            break;
        case K_PUSH * 8 + 4:
            __asm__ volatile("mov %%esp, %[sv]\n\t"
                             "mov %w1, %%ss\n\t"
                             "mov %2, %%esp\n\t"
                             "pushl $0x99\n\t"
                             "mov %%esp, %0\n\t"
                             "mov $0x2b, %w1\n\t"
                             "mov %w1, %%ss\n\t"
                             "mov %[sv], %%esp"
                             : "=&r"(v), "+r"(sel) : "r"(off), [sv] "m"(saved_esp) : "memory");
            break;
        case K_POP * 8 + 2:
            __asm__ volatile("mov %%esp, %[sv]\n\t"
                             "mov %w1, %%ss\n\t"
                             "mov %2, %%esp\n\t"
                             "popw %w0\n\t"
                             "mov $0x2b, %w1\n\t"
                             "mov %w1, %%ss\n\t"
                             "mov %[sv], %%esp"
                             : "+&r"(v), "+r"(sel) : "r"(off), [sv] "m"(saved_esp) : "memory");
            break;
        }
    }
    printf("%-10s %-5s %d @%#010x: ", seg, kn[k], size, ldt ? off0 : off0 - (uint32_t)area);
    if (g_sig) printf("sig %d code %d trapno %d err %#x\n", g_sig, g_code, g_trapno, g_err);
    else printf("ok %#x\n", v);
}

int main(void)
{
    fault_catch(fault_handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, 0);
    area = mmap(NULL, 0x30000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int k = 0; k < 0x30000; k++) area[k] = (uint8_t)(k * 13 + (k >> 8));
    uint32_t A = (uint32_t)area;
    set_ldt(1, A, 0xfff, 1);                      /* byte limit 0xfff */
    set_ldt(2, A, 0x1, 1 | 0x10);                 /* 2 pages: limit 0x1fff */
    set_ldt(3, A - 0x10000, 0x10fff, 1 | 2);      /* expand-down 32: valid 0x11000..0xffffffff */
    set_ldt(4, A - 0x8000, 0x8fff, 2);            /* expand-down 16: valid 0x9000..0xffff */
    set_ldt(5, A, 0xffff, 0);                     /* 16-bit data, limit 0xffff */
    set_ldt(6, A, 0xfff, 1 | 8);                  /* read-only */
    static const uint32_t offs1[] = {0, 0xffc, 0xffd, 0xfff, 0x1000, 0xffffffff};
    for (unsigned k = 0; k < 6; k++) {
        try("byte", SEL(1), K_LOAD, offs1[k], 4);
        try("byte", SEL(1), K_LOAD, offs1[k], 1);
    }
    try("byte", SEL(1), K_LOAD, 0xffe, 2);
    try("byte", SEL(1), K_LOAD, 0xfff, 2);
    try("pages", SEL(2), K_LOAD, 0x1ffc, 4);
    try("pages", SEL(2), K_LOAD, 0x1ffd, 4);
    try("pages", SEL(2), K_STORE, 0x1ffc, 4);
    try("pages", SEL(2), K_STORE, 0x2000, 4);
    try("down32", SEL(3), K_LOAD, 0x11000, 4);
    try("down32", SEL(3), K_LOAD, 0x10fff, 4);
    try("down32", SEL(3), K_LOAD, 0x10ffe, 2);
    try("down32", SEL(3), K_LOAD, 0x2fffc, 4);
    try("down16", SEL(4), K_LOAD, 0x9000, 4);
    try("down16", SEL(4), K_LOAD, 0x8fff, 1);
    try("down16", SEL(4), K_LOAD, 0xfffc, 4);
    try("down16", SEL(4), K_LOAD, 0xfffd, 4);
    try("down16", SEL(4), K_LOAD, 0x10000, 1);
    try("16bit", SEL(5), K_LOAD, 0xfffe, 2);
    try("16bit", SEL(5), K_LOAD, 0xffff, 2);
    try("byte", SEL(1), K_STOS, 0xffc, 4);
    try("byte", SEL(1), K_STOS, 0xffe, 4);
    try("byte", SEL(1), K_LODS, 0xffe, 2);
    try("byte", SEL(1), K_LODS, 0xfff, 2);
    try("byte", SEL(1), K_PUSH, 0x1000, 4);
    try("byte", SEL(1), K_PUSH, 0x1004, 4);
    try("byte", SEL(1), K_PUSH, 0x2, 4);
    try("byte", SEL(1), K_POP, 0xffe, 2);
    try("byte", SEL(1), K_POP, 0xfff, 2);
    try("down32", SEL(3), K_PUSH, 0x11004, 4);
    try("down32", SEL(3), K_PUSH, 0x11003, 4);
    try("ro", SEL(6), K_LOAD, 0x10, 4);
    try("ro", SEL(6), K_STORE, 0x10, 4);
    try("ro", SEL(6), K_STOS, 0x10, 4);
    try("ro", SEL(6), K_LODS, 0x10, 2);
    try("ro", SEL(6), K_STORE, 0x2000, 4);
    try("flat code", 0x23, K_LOAD, (uint32_t)area + 0x10, 4);
    try("flat code", 0x23, K_STORE, (uint32_t)area + 0x10, 4);
    try("null", 0, K_LOAD, (uint32_t)area, 4);
    try("null", 3, K_STORE, (uint32_t)area, 4);
    return 0;
}
