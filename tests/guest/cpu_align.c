/* ue-test: variants=s2 d0 p2 */
/* EFLAGS.AC: Linux sets CR0.AM, so once a program sets AC (POPF) a
 * misaligned data access raises #AC: SIGBUS, BUS_ADRALN, trapno 17. Each
 * case sets AC, runs one instruction on an address misaligned by off, and
 * clears AC again; the handler clears AC first thing (the kernel leaves it
 * set in handlers). */
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

static void handler(int sig, siginfo_t *si, void *ucv)
{
    __asm__ volatile("pushf\n\tandl $~0x40000,(%%esp)\n\tpopf" ::: "memory");
    fault_record(sig, si, ucv);
    siglongjmp(jb, 1);
}

static uint8_t *code, *buf;
enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

/* Loads the registers, sets AC, runs bytes, clears AC and ends in UD2. */
static void run(const char *name, const uint8_t *bytes, int n, const uint32_t r[8])
{
    static const uint8_t ac_on[] = {0x9c, 0x81, 0x0c, 0x24, 0x00, 0x00, 0x04, 0x00, 0x9d};    /* pushf; orl $AC,(%esp); popf */
    static const uint8_t ac_off[] = {0x9c, 0x81, 0x24, 0x24, 0xff, 0xff, 0xfb, 0xff, 0x9d};   /* ...andl $~AC... */
    int k = 0;
    for (int reg = 0; reg < 8; reg++) {
        if (reg == ESP) continue;
        code[k++] = 0xb8 + reg;
        memcpy(code + k, &r[reg], 4);
        k += 4;
    }
    /* ESP: the aligned scratch stack for POPF first, the case's own value last */
    code[k++] = 0xbc;
    memcpy(code + k, &(uint32_t){(uint32_t)(buf + 0x1f00)}, 4);
    k += 4;
    memcpy(code + k, ac_on, sizeof ac_on);
    k += sizeof ac_on;
    code[k++] = 0xbc;
    memcpy(code + k, &r[ESP], 4);
    k += 4;
    int start = k;
    memcpy(code + k, bytes, n);
    k += n;
    code[k++] = 0xbc;
    memcpy(code + k, &(uint32_t){(uint32_t)(buf + 0x1f00)}, 4);
    k += 4;
    memcpy(code + k, ac_off, sizeof ac_off);
    k += sizeof ac_off;
    code[k++] = 0x0f;
    code[k++] = 0x0b;
    g_sig = 0;
    if (!sigsetjmp(jb, 1)) ((void (*)(void))code)();
    int at = (int)(g_eip - (uint32_t)code - start);
    printf("%-28s sig %2d code %3d trapno %2d err %#x addr %#x %s ac %d\n", name, g_sig, g_code, g_trapno, g_err,
           g_sig == SIGBUS ? g_addr : 0, g_sig == SIGILL ? "ran" : at == 0 ? "at insn" : "elsewhere",
           !!(g_efl & 0x40000));
}

struct form { const char *name; uint8_t b[8]; int n; };

int main(void)
{
    fault_catch(handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, SIGILL, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buf = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    /* memory operands at (%eax) = buf + 0x100 + off */
    static const struct form mem[] = {
        {"movb (%eax),%cl", {0x8a, 0x08}, 2},
        {"movw (%eax),%cx", {0x66, 0x8b, 0x08}, 3},
        {"movl (%eax),%ecx", {0x8b, 0x08}, 2},
        {"movl %ecx,(%eax)", {0x89, 0x08}, 2},
        {"addl %ecx,(%eax)", {0x01, 0x08}, 2},
        {"lock xaddl %ecx,(%eax)", {0xf0, 0x0f, 0xc1, 0x08}, 4},
        {"movzwl (%eax),%ecx", {0x0f, 0xb7, 0x08}, 3},
        {"pushl (%eax)", {0xff, 0x30}, 2},
        {"btl $3,(%eax)", {0x0f, 0xba, 0x20, 0x03}, 4},
        {"cmpxchg8b (%eax)", {0x0f, 0xc7, 0x08}, 3},
        {"lesl (%eax),%ecx", {0xc4, 0x08, 0x1e, 0x07}, 4},
        {"movups (%eax),%xmm0", {0x0f, 0x10, 0x00}, 3},
        {"movdqu (%eax),%xmm0", {0xf3, 0x0f, 0x6f, 0x00}, 4},
        {"pmulhw (%eax),%xmm0", {0x66, 0x0f, 0xe5, 0x00}, 4},      /* aligned form: #GP before #AC */
        {"lddqu (%eax),%xmm0", {0xf2, 0x0f, 0xf0, 0x00}, 4},
        {"movss (%eax),%xmm0", {0xf3, 0x0f, 0x10, 0x00}, 4},
        {"movsd (%eax),%xmm0", {0xf2, 0x0f, 0x10, 0x00}, 4},
        {"movq (%eax),%mm0", {0x0f, 0x6f, 0x00}, 3},
        {"movd (%eax),%mm0", {0x0f, 0x6e, 0x00}, 3},
        {"paddb (%eax),%mm0", {0x0f, 0xfc, 0x00}, 3},
        {"flds (%eax)", {0xd9, 0x00, 0xdd, 0xd8}, 4},
        {"fldl (%eax)", {0xdd, 0x00, 0xdd, 0xd8}, 4},
        {"fldt (%eax)", {0xdb, 0x28, 0xdd, 0xd8}, 4},
        {"fildl (%eax)", {0xda, 0x00, 0xdd, 0xd8}, 4},
        {"fnstcw (%eax)", {0xd9, 0x38}, 2},
        {"fnstenv (%eax)", {0xd9, 0x30}, 2},
        {"undefined c7 /1 (%eax)", {0xc7, 0x08, 1, 0, 0, 0}, 6},   /* #UD before any access */
        {"btsl %ecx,(%eax)", {0x0f, 0xab, 0x08}, 3},                 /* ECX = 0x11: the word at +0 */
        {"btsl %edx,(%eax)", {0x0f, 0xab, 0x10}, 3},                 /* EDX = 0x21: the word at +4 */
    };
    static const int offs[] = {0, 1, 2, 4, 8};
    char nm[64];
    for (unsigned f = 0; f < sizeof mem / sizeof mem[0]; f++)
        for (unsigned o = 0; o < sizeof offs / sizeof offs[0]; o++) {
            uint32_t r[8] = {(uint32_t)buf + 0x100 + offs[o], 0x11, 0x21, 0, (uint32_t)buf + 0x1800, 0,
                             (uint32_t)buf + 0x200, (uint32_t)buf + 0x300};
            memcpy(buf + 0x100 + offs[o] + 4, &(uint16_t){0x2b}, 2);   /* LES's selector */
            snprintf(nm, sizeof nm, "%s +%d", mem[f].name, offs[o]);
            run(nm, mem[f].b, mem[f].n, r);
        }
    /* the stack and string instructions with misaligned ESP, ESI, EDI */
    static const struct form imp[] = {
        {"push %ecx", {0x51}, 1},
        {"pushw %cx", {0x66, 0x51}, 2},
        {"pop %ecx", {0x59}, 1},
        {"call .+5", {0xe8, 0, 0, 0, 0}, 5},
        {"movsl", {0xa5}, 1},
        {"movsw", {0x66, 0xa5}, 2},
        {"movsb", {0xa4}, 1},
        {"stosl", {0xab}, 1},
        {"lodsl", {0xad}, 1},
        {"rep movsl", {0xf3, 0xa5}, 2},
        {"movl 4(%esp),%ecx", {0x8b, 0x4c, 0x24, 0x04}, 4},
        {"enter $0,$2 (ebp = esi)", {0x89, 0xf5, 0xc8, 0, 0, 2}, 6},
        {"enter $0x22,$0", {0xc8, 0x22, 0, 0}, 4},                   /* the final ESP is misaligned */
        {"maskmovq (%edi)", {0x0f, 0xf7, 0xc1}, 3},
        {"maskmovdqu (%edi)", {0x66, 0x0f, 0xf7, 0xc1}, 4},
    };
    for (unsigned f = 0; f < sizeof imp / sizeof imp[0]; f++)
        for (unsigned o = 0; o < 3; o++) {
            uint32_t r[8] = {0, 2, 0, 0, (uint32_t)buf + 0x1800 + offs[o], 0, (uint32_t)buf + 0x200 + offs[o],
                             (uint32_t)buf + 0x300 + (o == 2 ? 0 : offs[o])};
            snprintf(nm, sizeof nm, "%s +%d", imp[f].name, offs[o]);
            run(nm, imp[f].b, imp[f].n, r);
        }
    /* past 4 GiB and misaligned: the limit violation comes first */
    static const uint32_t tops[] = {0xfffffffd, 0xfffffffe, 0xfffffffc};
    for (unsigned k = 0; k < 3; k++) {
        uint32_t r[8] = {tops[k], 0, 0, 0, (uint32_t)buf + 0x1800, tops[k], 0, 0};
        snprintf(nm, sizeof nm, "movl (%%eax),%%ecx %#x", tops[k]);
        run(nm, (const uint8_t[]){0x8b, 0x08}, 2, r);
        snprintf(nm, sizeof nm, "movl (%%ebp),%%ecx %#x", tops[k]);
        run(nm, (const uint8_t[]){0x8b, 0x4d, 0x00}, 3, r);
    }
    return 0;
}
