/* ue-test: variants=s2 p0 */
/* PUSHF/POPF (which bits user mode can change: status, DF, NT, ID; not IOPL,
 * IF, and RF reads as 0), LAHF/SAHF over all AH values, CLC STC CMC CLD STD,
 * and the undocumented SALC (D6). */
#include "x86t.h"

int main(void)
{
    /* Everything but TF (single step) and AC (alignment checks). */
    static const uint32_t tries[] = {0, F_STATUS, 0xffffffffu & ~(F_TF | 0x40000u), 0x00200000u, 0x00004000u,
                                     0x00003000u, 0x00010000u, F_DF};
    for (int i = 0; i < NV(tries); i++) {
        uint32_t out, back;
        asm volatile("pushf\n\tpop %%ecx\n\t"          /* keep the original */
                     "push %2\n\tpopf\n\tpushf\n\tpop %0\n\t"
                     "push %%ecx\n\tpopf\n\tpushf\n\tpop %1\n\tsub %%ecx, %1"
                     : "=r"(out), "=r"(back) : "r"(tries[i]) : "ecx", "cc");
        printf("popf %08x -> %08x, restored exactly: %s\n", tries[i], out & ~F_IF, back ? "no" : "yes");
    }
    /* SAHF: AH into SF ZF AF PF CF; bits 1 3 5 ignored. */
    for (uint32_t ah = 0; ah < 256; ah++) {
        uint32_t f, a = ah << 8;
        asm volatile("push %2\n\tpopf\n\tsahf\n\tpushf\n\tpop %0" : "=r"(f), "+a"(a) : "r"(F_BASE | F_OF) : "cc");
        uint32_t l = 0;
        asm volatile("push %1\n\tpopf\n\tmov $0x12345678, %%eax\n\tlahf\n\t" : "=a"(l) : "r"(f) : "cc");
        printf("sahf %02x -> f=%03x lahf eax=%08x\n", ah, f & F_VISIBLE, l);
    }
    for (int k = 0; k < NFLAGS_IN; k++) {
        uint32_t fin = flags_in[k], a = 0, c = 0, d = 0, f;
#define F(name, code)                                                          \
    a = 0x12345678; X86_RUN_A(code, fin, a, c, d, f);                          \
    printf("%-5s fi=%03x -> f=%03x eax=%08x\n", name, fin, f & F_VISIBLE, a);
        F("clc", "clc")
        F("stc", "stc")
        F("cmc", "cmc")
        F("std", "std")
        F("cld", "std\n\tcld")
        F("salc", ".byte 0xd6")
        F("cmcx2", "cmc\n\tcmc")
        F("stc-salc", "stc\n\t.byte 0xd6")
#undef F
    }
    return 0;
}
