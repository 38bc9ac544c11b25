/* ue-test: variants=s2 d0 p2 */
/* Accesses that run past 4 GiB: with flat 4 GiB segments a multi-byte
 * access wrapping past 0xffffffff exceeds the segment limit, so a stack
 * access (push/pop/call/ret/leave, ESP/EBP-based operands, SS:) raises #SS
 * (SIGBUS) and any other #GP (SIGSEGV), both with si_code SI_KERNEL, address
 * 0 and error code 0; accesses wholly inside the top page are page faults.
 * Each case loads all eight registers, runs its bytes and ends in UD2 when
 * nothing faulted. Not compared: far returns and FXSAVE, whose slots the
 * CPU reads in its own order (an AMD CPU reads RETF's CS slot first and
 * probes FXSAVE's last byte first). */
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

static uint8_t *code, *buf;
static uint32_t B;
static uint32_t rel(uint32_t v) { return v - B < 0x2000 ? v - B : v; }

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

/* Loads the registers (mov $imm32, %reg), runs bytes, then UD2. */
static void run(const char *name, const uint8_t *bytes, int n, const uint32_t r[8])
{
    int k = 0;
    for (int reg = 0; reg < 8; reg++) {
        code[k++] = 0xb8 + reg;
        memcpy(code + k, &r[reg], 4);
        k += 4;
    }
    int start = k;
    memcpy(code + k, bytes, n);
    k += n;
    code[k++] = 0x0f;
    code[k++] = 0x0b;
    g_sig = 0;
    if (!sigsetjmp(jb, 1)) ((void (*)(void))code)();
    printf("%-30s sig %2d code %3d trapno %2d err %#4x addr %#x eip %+d esp %#x esi %#x edi %#x ecx %#x\n", name,
           g_sig, g_code, g_trapno, g_err, g_sig == SIGILL ? 0 : rel(g_addr), (int)(g_eip - (uint32_t)code - start),
           rel(g_esp), rel(g_esi), rel(g_edi), g_ecx);
}

struct form { const char *name; uint8_t b[12]; int n; int ptr; };   /* ptr: the register holding the address */

int main(void)
{
    fault_catch(fault_handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, SIGILL, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buf = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    B = (uint32_t)buf;
    for (int k = 0; k < 0x2000; k++) buf[k] = (uint8_t)(k * 7);

    /* memory operands addressed by a register, at addresses near the top */
    static const struct form mem[] = {
        {"movb (%eax),%cl", {0x8a, 0x08}, 2, EAX},
        {"movw (%eax),%cx", {0x66, 0x8b, 0x08}, 3, EAX},
        {"movl (%eax),%ecx", {0x8b, 0x08}, 2, EAX},
        {"movl %ecx,(%eax)", {0x89, 0x08}, 2, EAX},
        {"addl %ecx,(%eax)", {0x01, 0x08}, 2, EAX},
        {"lock xaddl %ecx,(%eax)", {0xf0, 0x0f, 0xc1, 0x08}, 4, EAX},
        {"shll $0,(%eax)", {0xc1, 0x20, 0x00}, 3, EAX},
        {"movzwl (%eax),%ecx", {0x0f, 0xb7, 0x08}, 3, EAX},
        {"movl (%ebp),%ecx", {0x8b, 0x4d, 0x00}, 3, EBP},
        {"movl %ds:(%ebp),%ecx", {0x3e, 0x8b, 0x4d, 0x00}, 4, EBP},
        {"movl %ss:(%eax),%ecx", {0x36, 0x8b, 0x08}, 3, EAX},
        {"movl %es:(%eax),%ecx", {0x26, 0x8b, 0x08}, 3, EAX},
        {"movl (%ebx,%eax),%ecx", {0x8b, 0x0c, 0x03}, 3, EAX},
        {"pushl (%eax)", {0xff, 0x30}, 2, EAX},
        {"lesl (%eax),%ecx", {0xc4, 0x08}, 2, EAX},
        {"cmpxchg8b (%eax)", {0x0f, 0xc7, 0x08}, 3, EAX},
        {"btl $3,(%eax)", {0x0f, 0xba, 0x20, 0x03}, 4, EAX},
        {"movups (%eax),%xmm0", {0x0f, 0x10, 0x00}, 3, EAX},
        {"movss (%eax),%xmm0", {0xf3, 0x0f, 0x10, 0x00}, 4, EAX},
        {"movq (%eax),%xmm0", {0xf3, 0x0f, 0x7e, 0x00}, 4, EAX},
        {"movq (%eax),%mm0", {0x0f, 0x6f, 0x00}, 3, EAX},
        {"punpcklbw (%eax),%mm0", {0x0f, 0x60, 0x00}, 3, EAX},
        {"pshufb (%eax),%xmm0", {0x66, 0x0f, 0x38, 0x00, 0x00}, 5, EAX},
        {"flds (%eax)", {0xd9, 0x00, 0xdd, 0xd8}, 4, EAX},
        {"fldl (%eax)", {0xdd, 0x00, 0xdd, 0xd8}, 4, EAX},
        {"fldt (%eax)", {0xdb, 0x28, 0xdd, 0xd8}, 4, EAX},
        {"fstpt (%eax)", {0xd9, 0xee, 0xdb, 0x38}, 4, EAX},
        {"fnstenv (%eax)", {0xd9, 0x30}, 2, EAX},
        {"fnstcw (%eax)", {0xd9, 0x38}, 2, EAX},
    };
    static const uint32_t addrs[] = {0xffffffff, 0xfffffffe, 0xfffffffd, 0xfffffffc, 0xfffffffa,
                                     0xfffffff8, 0xfffffff6, 0xfffffff0, 0xfffffe00, 0xfffffe10};
    char nm[64];
    for (unsigned f = 0; f < sizeof mem / sizeof mem[0]; f++)
        for (unsigned a = 0; a < sizeof addrs / sizeof addrs[0]; a++) {
            uint32_t r[8] = {0, 0x11, 0x22, 0, B + 0x1800, B + 0x100, B, B + 0x1000};
            r[mem[f].ptr] = addrs[a];
            snprintf(nm, sizeof nm, "%s %#x", mem[f].name, addrs[a]);
            run(nm, mem[f].b, mem[f].n, r);
        }
    /* absolute addresses (moffs and disp32) */
    run("movl 0xfffffffe,%eax", (const uint8_t[]){0xa1, 0xfe, 0xff, 0xff, 0xff}, 5,
        (const uint32_t[8]){0, 0, 0, 0, B + 0x1800, 0, 0, 0});
    run("movl %eax,0xfffffffd", (const uint8_t[]){0xa3, 0xfd, 0xff, 0xff, 0xff}, 5,
        (const uint32_t[8]){0, 0, 0, 0, B + 0x1800, 0, 0, 0});
    run("movw 0xffffffff,%cx", (const uint8_t[]){0x66, 0x8b, 0x0d, 0xff, 0xff, 0xff, 0xff}, 7,
        (const uint32_t[8]){0, 0, 0, 0, B + 0x1800, 0, 0, 0});
    run("movl -2(%eax),%ecx wraps to 0", (const uint8_t[]){0x8b, 0x48, 0xfe}, 3,
        (const uint32_t[8]){0, 0, 0, 0, B + 0x1800, 0, 0, 0});

    /* the stack: ESP near 0 for pushes, near the top for pops */
    static const struct form stk[] = {
        {"push %ecx", {0x51}, 1, ESP},
        {"pushw %cx", {0x66, 0x51}, 2, ESP},
        {"push $1", {0x6a, 0x01}, 2, ESP},
        {"push %ds", {0x1e}, 1, ESP},
        {"pushf", {0x9c}, 1, ESP},
        {"pusha", {0x60}, 1, ESP},
        {"call .+5", {0xe8, 0, 0, 0, 0}, 5, ESP},
        {"pop %ecx", {0x59}, 1, ESP},
        {"popw %cx", {0x66, 0x59}, 2, ESP},
        {"pop %ds", {0x1f}, 1, ESP},
        {"popa", {0x61}, 1, ESP},
        {"ret", {0xc3}, 1, ESP},
        {"movl 4(%esp),%ecx", {0x8b, 0x4c, 0x24, 0x04}, 4, ESP},
        {"leave", {0xc9}, 1, EBP},
        {"enter $0,$0", {0xc8, 0, 0, 0}, 4, ESP},
    };
    static const uint32_t sps[] = {1, 2, 3, 4, 6, 0, 0xffffffff, 0xfffffffe, 0xfffffffd, 0xfffffffc, 0xfffffffa,
                                   0xfffffff8, 0xfffffff6};
    for (unsigned f = 0; f < sizeof stk / sizeof stk[0]; f++)
        for (unsigned a = 0; a < sizeof sps / sizeof sps[0]; a++) {
            uint32_t r[8] = {0, 0x11, 0x22, 0, B + 0x1800, B + 0x100, B, B + 0x1000};
            r[stk[f].ptr] = sps[a];
            snprintf(nm, sizeof nm, "%s %s=%#x", stk[f].name, stk[f].ptr == ESP ? "esp" : "ebp", sps[a]);
            run(nm, stk[f].b, stk[f].n, r);
        }

    /* string instructions: source or destination near the top, one element or a run */
    static const struct { const char *name; uint8_t b[4]; int n; uint32_t esi, edi, ecx; } str[] = {
        {"movsl src", {0xa5}, 1, 0xfffffffe, 0, 0},
        {"movsl dst", {0xa5}, 1, 0, 0xfffffffd, 0},
        {"movsw dst", {0x66, 0xa5}, 2, 0, 0xffffffff, 0},
        {"movsb dst", {0xa4}, 1, 0, 0xffffffff, 0},
        {"lodsl", {0xad}, 1, 0xfffffffe, 0, 0},
        {"stosl", {0xab}, 1, 0, 0xfffffffe, 0},
        {"scasl", {0xaf}, 1, 0, 0xfffffffe, 0},
        {"cmpsl src", {0xa7}, 1, 0xfffffffe, 0, 0},
        {"cmpsl dst", {0xa7}, 1, 0, 0xfffffffe, 0},
        {"rep movsl dst", {0xf3, 0xa5}, 2, 0, 0xfffffff2, 8},
        {"rep movsl src", {0xf3, 0xa5}, 2, 0xfffffffa, 0, 3},
        {"rep movsb dst", {0xf3, 0xa4}, 2, 0, 0xfffffff0, 0x20},
        {"rep stosl", {0xf3, 0xab}, 2, 0, 0xfffffffe, 4},
        {"rep stosw", {0xf3, 0x66, 0xab}, 3, 0, 0xffffffff, 4},
    };
    for (unsigned f = 0; f < sizeof str / sizeof str[0]; f++) {
        uint32_t r[8] = {0x12345678, str[f].ecx, 0, 0, B + 0x1800, 0,
                         str[f].esi ? str[f].esi : B + 0x100, str[f].edi ? str[f].edi : B + 0x1000};
        run(str[f].name, str[f].b, str[f].n, r);
    }
    return 0;
}
