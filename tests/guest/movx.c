/* ue-test: variants=s2 p0 d0 */
/* MOVSX and MOVZX (8->16, 8->32, 16->32; registers including AH..BH, and
 * memory), MOV to 8/16-bit registers keeping the rest, MOV with moffs forms. */
#include "x86t.h"

static uint32_t cell[2];

int main(void)
{
    const uint32_t vals[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x89abcdef, 0xffffffff};
    for (int i = 0; i < NV(vals); i++) {
        uint32_t v = vals[i], a, c, d, f;
#define M(name, code)                                                          \
    a = (uint32_t)cell; cell[0] = v; c = 0xa5a5a5a5u; d = v;                   \
    X86_RUN_A(code, F_BASE, a, c, d, f);                                       \
    printf("%-10s %08x -> ecx=%08x eax=%08x\n", name, v, c, a == (uint32_t)cell ? 0 : a);
        M("movzbl", ".byte 0x0f, 0xb6, 0xca")          /* movzx ecx, dl */
        M("movzbl-h", ".byte 0x0f, 0xb6, 0xce")        /* movzx ecx, dh */
        M("movzbw", ".byte 0x66, 0x0f, 0xb6, 0xca")    /* movzx cx, dl */
        M("movzwl", ".byte 0x0f, 0xb7, 0xca")
        M("movsbl", ".byte 0x0f, 0xbe, 0xca")
        M("movsbl-h", ".byte 0x0f, 0xbe, 0xce")
        M("movsbw", ".byte 0x66, 0x0f, 0xbe, 0xca")
        M("movswl", ".byte 0x0f, 0xbf, 0xca")
        M("movzbl-m", ".byte 0x0f, 0xb6, 0x08")
        M("movsbl-m", ".byte 0x0f, 0xbe, 0x08")
        M("movzwl-m", ".byte 0x0f, 0xb7, 0x08")
        M("movswl-m", ".byte 0x0f, 0xbf, 0x08")
        M("movsbw-m", ".byte 0x66, 0x0f, 0xbe, 0x08")
        M("mov-cl", ".byte 0x88, 0xd1")                /* mov cl, dl */
        M("mov-ch", ".byte 0x88, 0xd5")                /* mov ch, dl */
        M("mov-ch-dh", ".byte 0x88, 0xf5")             /* mov ch, dh */
        M("mov-cx", ".byte 0x66, 0x89, 0xd1")
        M("mov-cl-i", ".byte 0xb1, 0x42")
        M("mov-ch-i", ".byte 0xb5, 0x42")
        M("mov-cx-i", ".byte 0x66, 0xb9, 0x34, 0x12")
        M("mov-m8", ".byte 0x8a, 0x08")                /* mov cl, [eax] */
        M("mov-m16", ".byte 0x66, 0x8b, 0x08")
        M("movb-mi", ".byte 0xc6, 0x00, 0x99\n\tmov (%%eax), %%ecx")
        M("movw-mi", ".byte 0x66, 0xc7, 0x00, 0x99, 0x88\n\tmov (%%eax), %%ecx")
#undef M
    }
    /* moffs forms (A1 A2 A3 in the non-PIE builds, where the operand is an absolute address). */
    static uint32_t g = 0x11223344;
    uint32_t r1, r2;
    asm volatile("movl %1, %%eax" : "=a"(r1) : "m"(g));
    asm volatile("movb %%al, %0" : "=m"(g) : "a"(0x55));
    asm volatile("movw %%ax, %0" : "=m"(*((uint16_t *)&g + 1)) : "a"(0x6677));
    r2 = g;
    printf("moffs %08x %08x\n", r1, r2);
    return 0;
}
