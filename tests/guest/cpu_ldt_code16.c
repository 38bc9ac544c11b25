/* ue-test: variants=s2 d0 */
/* 16-bit and based 32-bit code segments of the LDT, reached by far CALL,
 * JMP and RET and left by RETF, far JMP and IRET: 16-bit default operand
 * and address size (66 and 67 select 32 bits), LOOP on CX, near CALL/RET
 * pushing 16-bit IPs, 16-bit far CALL/RETF between 16-bit segments, string
 * instructions on SI/DI/CX, EIP as the offset in the segment; a signal
 * taken in 16-bit code (CS, EIP and DS in its frame, the handler on the
 * flat segments, sigreturn back into the 16-bit code) and faults there: a
 * near jump past the limit, a far call to an offset past it, UD2. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "fault_catch.h"
#include "ldt_set.h"

#define CODE16 0x27     /* LDT 4: 16-bit code at c16_start, limit 0xfff */
#define DATA16 0x2f     /* LDT 5: 16-bit data at data16 */
#define CODE32 0x37     /* LDT 6: 32-bit code at c16_start + 0x800 */
#define CODE16B 0x3f    /* LDT 7: 16-bit code at c16_start + 0x400 */

uint8_t data16[0x1000] __attribute__((aligned(4096)));
extern char c16_start[], c16_end[];
uint32_t out[16];
static volatile uint32_t hits;

__asm__(".section .text.c16,\"ax\"\n"
        ".p2align 12\n"
        ".globl c16_start\n"
        "c16_start:\n"
        ".code16\n"
        /* offset 0: sum of CX..1 with LOOP, doubled by a near call, stored
         * through DS:SI (16-bit addressing); BX holds the data selector */
        "c16_sum:\n"
        "push %ds\n"
        "push %es\n"
        "mov %bx, %ds\n"
        "mov %bx, %es\n"
        "xor %ax, %ax\n"
        "1: add %cx, %ax\n"
        "loop 1b\n"
        "push %ax\n"
        "call c16_double\n"
        "pop %dx\n"
        "mov %ax, (%si)\n"
        "mov %dx, 2(%si)\n"
        "movl $0x89abcdef, 4(%si)\n"          /* 66: a 32-bit store */
        "addr32 movl (%esi), %eax\n"          /* 67: 32-bit addressing */
        "mov %eax, 8(%si)\n"
        "call 2f\n"
        "2: pop %ax\n"                        /* the IP of 2: */
        "mov %ax, 14(%si)\n"
        "mov $0x100, %si\n"
        "mov $0x20, %di\n"
        "mov $6, %cx\n"
        "cld\n"
        "rep movsb\n"
        "pushw $0x1234\n"
        "pushl $0x55667788\n"
        "popw %ax\n"
        "popl %edx\n"
        "mov %ax, 0x28\n"
        "mov %edx, 0x2a\n"
        "mov %cs, %ax\n"
        "mov %ax, 0x2e\n"
        "lcall $" "0x3f" ", $(c16b_entry - c16b_start)\n"     /* a 16-bit far call */
        "mov %ax, 0x30\n"
        "pushw $0x0cd5\n"                    /* FLAGS for the 16-bit IRET: OF DF SF ZF AF PF CF */
        "lcall $0x3f, $(c16b_iret - c16b_start)\n"
        "pushf\n"
        "popw 0x32\n"
        "cld\n"
        "pushl $0x5a5a\n"
        "lcall $0x3f, $(c16b_retimm - c16b_start)\n"   /* RETF 4 drops the pushed word pair */
        "mov %ax, 0x34\n"
        "pop %es\n"
        "pop %ds\n"
        "lretl\n"                             /* 66 CB: back to the 32-bit caller */
        "c16_double:\n"
        "shl $1, %ax\n"
        "ret\n"
        /* far jump target: back with a far jump */
        "c16_jmp:\n"
        "mov $0x4321, %ax\n"
        "ljmpl $0x23, $back_from_jmp\n"
        "c16_jmp2:\n"                         /* reached by JMP m16:32 */
        "mov $0x4322, %ax\n"
        "ljmpl $0x23, $back_from_jmp2\n"
        /* back through IRET */
        "c16_iret:\n"
        "mov $0x1111, %dx\n"
        "pushfl\n"
        "pushl $0x23\n"
        "pushl $back_from_iret\n"
        "iretl\n"
        /* INT3 in 16-bit code: the handler returns here */
        "c16_int3:\n"
        "mov $0x3333, %dx\n"
        "int3\n"
        "add $1, %dx\n"
        "lretl\n"
        /* faults */
        "c16_ud2:\n"
        "ud2\n"
        "c16_farjump_past:\n"
        "jmp .+0x1000\n"
        "c16_farcall_past:\n"
        "lcall $0x27, $0x1800\n"
        ".p2align 10\n"
        "c16b_start:\n"
        "nop\n"
        "c16b_entry:\n"                       /* in the second 16-bit segment: CS and the far return */
        "addr32 mov 2(%esp), %ax\n"          /* the caller's CS (SS is 32-bit: 67 for ESP) */
        "lret\n"
        "c16b_iret:\n"
        "mov $0x77, %ax\n"
        "iret\n"                             /* 16-bit: IP, CS, FLAGS */
        "c16b_retimm:\n"
        "addr32 mov 4(%esp), %ax\n"          /* the word the caller pushed above CS:IP */
        "lret $4\n"
        ".p2align 11\n"
        "c32_start:\n"
        ".code32\n"
        "nop\n"
        "c32_entry:\n"                        /* a 32-bit segment with a base */
        "call 3f\n"
        "3: pop %eax\n"
        "mov %cs, %edx\n"
        "lret\n"
        ".p2align 12\n"
        "c16_end:\n"
        ".text\n");

static void on_sig(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    uint16_t cs, ds;
    __asm__ volatile("mov %%cs, %0; mov %%ds, %1" : "=r"(cs), "=r"(ds));
    printf("  signal %d code %d trapno %d err %#x cs %#x eip %#x ds %#x ss %#x; handler cs %#x ds %#x\n", sig,
           si->si_code, (int)g[REG_TRAPNO], (int)g[REG_ERR], (int)g[REG_CS] & 0xffff, (int)g[REG_EIP],
           (int)g[REG_DS] & 0xffff, (int)g[REG_SS] & 0xffff, cs, ds);
    hits++;
    if (sig != SIGTRAP) siglongjmp(jb, 1);
}

int main(void)
{
    uint32_t B = (uint32_t)c16_start;
    printf("code segments: %ld %ld %ld %ld\n", set_ldt(4, B, 0xfff, 2 << 1), set_ldt(5, (uint32_t)data16, 0xfff, 0),
           set_ldt(6, B + 0x800, 0x7ff, 1 | 2 << 1), set_ldt(7, B + 0x400, 0x3ff, 2 << 1));
    fault_catch(on_sig, 0, SIGTRAP, SIGSEGV, SIGILL, SIGBUS, 0);

    uint32_t eax, edx;
    __asm__ volatile("mov $0x100, %%si\n\t"
                     "lcall $0x27, $0"
                     : "=a"(eax), "=d"(edx) : "b"(DATA16), "c"(10) : "esi", "edi", "memory");
    uint32_t m[12];
    memcpy(m, data16 + 0x100, 16);
    printf("lcall 16: eax %#x edx %#x mem %#x %#x %#x ip %#x\n", eax, edx & 0xffff, m[0], m[1], m[2], m[3] >> 16);
    printf("  movs %#x %#x push/pop %#x %#x cs %#x far16 %#x iret16 flags %#x retf imm %#x\n",
           *(uint32_t *)(data16 + 0x20), *(uint16_t *)(data16 + 0x24), *(uint16_t *)(data16 + 0x28),
           *(uint32_t *)(data16 + 0x2a), *(uint16_t *)(data16 + 0x2e), *(uint16_t *)(data16 + 0x30),
           *(uint16_t *)(data16 + 0x32) & 0xfd5, *(uint16_t *)(data16 + 0x34));

    /* a 32-bit code segment with a base */
    __asm__ volatile("lcall $0x37, $1" : "=a"(eax), "=d"(edx) : : "memory");
    printf("lcall 32 based: eip %#x cs %#x\n", eax, edx & 0xffff);
    /* far jump there, far jump back; far call there, IRET back */
    __asm__ volatile("ljmp $0x27, $(c16_jmp - c16_start)\n"
                     ".globl back_from_jmp\n"
                     "back_from_jmp:" : "=a"(eax) : : "memory");
    printf("ljmp 16 and back: ax %#x\n", eax & 0xffff);
    static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } jfp;
    __asm__("mov $(c16_jmp2 - c16_start), %0" : "=r"(jfp.off));
    jfp.sel = CODE16;
    __asm__ volatile("ljmp *%1\n"
                     ".globl back_from_jmp2\n"
                     "back_from_jmp2:" : "=a"(eax) : "m"(jfp) : "memory");
    printf("ljmp *m 16 and back: ax %#x\n", eax & 0xffff);
    __asm__ volatile("lcall $0x27, $(c16_iret - c16_start)\n"
                     ".globl back_from_iret\n"
                     "back_from_iret:\n"
                     "add $8, %%esp" : "=d"(edx) : : "memory");   /* the far call's frame */
    printf("iret from 16: dx %#x\n", edx & 0xffff);

    /* INT3 in 16-bit code: the handler sees CS 0x27 and the 16-bit EIP,
     * runs on the flat segments, and returns there */
    hits = 0;
    __asm__ volatile("push %%ds\n\t"
                     "mov %%bx, %%ds\n\t"
                     "lcall $0x27, $(c16_int3 - c16_start)\n\t"
                     "pop %%ds" : "=d"(edx) : "b"(DATA16) : "memory");
    printf("int3: dx %#x hits %u\n", edx & 0xffff, hits);

    /* faults in 16-bit code: UD2, a near jump past the limit, a far call past it */
    static const char *const names[] = {"ud2", "jmp past limit", "lcall past limit"};
    static const uint32_t offs[3] = {0, 0, 0};
    uint32_t targets[3];
    __asm__("mov $(c16_ud2 - c16_start), %0\n\t"
            "mov $(c16_farjump_past - c16_start), %1\n\t"
            "mov $(c16_farcall_past - c16_start), %2"
            : "=r"(targets[0]), "=r"(targets[1]), "=r"(targets[2]));
    (void)offs;
    for (int k = 0; k < 3; k++) {
        static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp;
        fp.off = targets[k];
        fp.sel = CODE16;
        printf("%s at %#x:\n", names[k], targets[k]);
        hits = 0;
        if (!sigsetjmp(jb, 1)) __asm__ volatile("lcall *%0" : : "m"(fp) : "memory");
        printf("  hits %u\n", hits);
    }
    return 0;
}
