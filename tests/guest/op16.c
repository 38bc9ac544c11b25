/* ue-test: variants=s2 p0 */
/* 16-bit operand forms (0x66) that partial-register code relies on: MOV to
 * 16-bit registers and memory keeps the rest, INC/DEC 16, XCHG 16, PUSH/POP 16,
 * MOVZX from a 16-bit register, 16-bit immediates, IMUL 16, SHL 16, NOT/NEG 16,
 * TEST 16, ADC/SBB chains over 16-bit words. */
#include "x86t.h"

static uint16_t words[8] = {0xffff, 0x0001, 0x8000, 0x7fff, 0x1234, 0, 0xfffe, 0xabcd};

int main(void)
{
    uint32_t a, c, d, f;
/* Flags the SDM leaves undefined for an instruction are masked by UNDEF. */
#define R_(name, code, a0, c0, d0, undef)                                      \
    a = a0; c = c0; d = d0; X86_RUN_A(code, F_BASE, a, c, d, f);               \
    printf("%-12s -> eax=%08x ecx=%08x edx=%08x f=%03x\n", name, a, c, d, f & F_VISIBLE & ~(undef));
#define R(name, code, a0, c0, d0) R_(name, code, a0, c0, d0, 0)
    R("mov ax,cx", "mov %%cx, %%ax", 0x11112222, 0x33334444, 0)
    R("mov ax,imm", "mov $0xbeef, %%ax", 0x11112222, 0, 0)
    R("inc cx", "inc %%cx", 0, 0x1234ffff, 0)
    R("dec cx", "dec %%cx", 0, 0x12340000, 0)
    R("xchg ax,dx", "xchg %%ax, %%dx", 0xaaaabbbb, 0, 0xccccdddd)
    R("movzwl", "movzwl %%cx, %%eax", 0xffffffff, 0x8765fedc, 0)
    R("movswl", "movswl %%cx, %%eax", 0, 0x8765fedc, 0)
    R("add ax,imm", "add $0x8001, %%ax", 0x11118000, 0, 0)
    R_("imul cx,dx", "imul %%dx, %%cx", 0, 0x55550100, 0x66660100, F_SF | F_ZF | F_AF | F_PF)
    R_("imul cx,dx,i", "imul $-3, %%dx, %%cx", 0, 0x55550000, 0x66660005, F_SF | F_ZF | F_AF | F_PF)
    R_("shl cx,4", "shl $4, %%cx", 0, 0x1234abcd, 0, F_AF | F_OF)
    R_("sar cx,cl", "sar %%cl, %%cx", 0, 0x12348003, 0, F_AF | F_OF)
    R("not dx", "not %%dx", 0, 0, 0x12345678)
    R("neg dx", "neg %%dx", 0, 0, 0x12340001)
    R_("test ax,dx", "test %%ax, %%dx", 0x00008000, 0, 0xffff8000, F_AF)
    R("push/pop 16", "push %%cx\n\tpop %%dx", 0, 0x1111abcd, 0x22223333)
    R("cmp ax,imm8", "cmp $-1, %%ax", 0x1234ffff, 0, 0)
    R("lea 16", "lea 0x10(%%ecx,%%edx), %%ax", 0x77777777, 0x10000ff0, 0x20000010)
    R("xor ah,ah", "xor %%ah, %%ah", 0x12345678, 0, 0)
    R("mov ah,dl", "mov %%dl, %%ah", 0x12345678, 0, 0x9a)
    R("add ah,cl", "add %%cl, %%ah", 0x1234f078, 0x20, 0)
    /* multi-word add through memory */
    uint16_t x[4] = {0xffff, 0xffff, 0x0001, 0}, y[4] = {0x0001, 0x0000, 0xffff, 0};
    asm volatile("mov (%1), %%ax\n\tadd %%ax, (%0)\n\tmov 2(%1), %%ax\n\tadcw %%ax, 2(%0)\n\t"
                 "mov 4(%1), %%ax\n\tadcw %%ax, 4(%0)\n\tadcw $0, 6(%0)"
                 : : "r"(x), "r"(y) : "eax", "memory", "cc");
    printf("adc chain: %04x %04x %04x %04x\n", x[3], x[2], x[1], x[0]);
    uint32_t sum = 0;
    for (int i = 0; i < 8; i++) {
        uint32_t v = 0xdead0000u;
        asm volatile("movw %1, %%ax\n\trolw $3, %%ax\n\tsbbw $7, %%ax\n\tincw %%ax\n\tsetc %%ah" : "+a"(v) : "m"(words[i]) : "cc");
        sum = sum * 17 + v;
        printf("word %04x -> %08x\n", words[i], v);
    }
    printf("sum %08x\n", sum);
    return 0;
}
