/* Template for the eight ALU operations (ADD OR ADC SBB AND SUB XOR CMP).
 * The including file defines OPNAME ("add"), OPX (the /digit and the opcode
 * row, 0..7) and UNDEF (flags the SDM leaves undefined).  Every encoding is
 * written as raw bytes so each form is run: r/m,r  r,r/m  (register and
 * memory)  AL/eAX,imm  r/m,imm (80 81 82 83).  Upper register bits and the
 * bytes around a memory operand are filled with a pattern and printed whole,
 * so a partial write that touches too much shows. */
#include "x86t.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define X_ STR(OPX)

static uint32_t cell[4];

static void show(const char *form, int w, uint32_t a, uint32_t b, uint32_t fin, uint32_t r, uint32_t f)
{
    printf("%s%d %-4s a=%08x b=%08x fi=%03x -> r=%08x f=%03x\n", OPNAME, w, form, a, b, fin, r,
           f & F_VISIBLE & ~(UNDEF));
}

#define HI8 0xa5a5a500u
#define HI16 0xa5a50000u

/* Register and memory forms of opcode row OPX for one width. */
static void reg_forms(int w)
{
    int n;
    const uint32_t *v = vals_for(w, &n);
    uint32_t hi = w == 8 ? HI8 : w == 16 ? HI16 : 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < NFLAGS_IN; k++) {
                uint32_t a = v[i], b = v[j], fin = flags_in[k], c, d, f;
                uint32_t *p = &cell[1];
                cell[0] = cell[2] = 0x5a5a5a5a;
#define FORM(name, c8, c16, c32, preset_cell, result)                          \
    c = hi | a; d = (hi ^ 0xffffff00u) | b; cell[1] = preset_cell;             \
    if (w == 8) X86_RUN(c8, fin, c, d, p, f);                                  \
    else if (w == 16) X86_RUN(c16, fin, c, d, p, f);                           \
    else X86_RUN(c32, fin, c, d, p, f);                                         \
    show(name, w, a, b, fin, result, f);                                       \
    if (cell[0] != 0x5a5a5a5a || cell[2] != 0x5a5a5a5a) printf("  cell overrun\n");
                /* op dl/dx/edx -> cl/cx/ecx */
                FORM("rr", ".byte 0x00+8*" X_ ", 0xd1", ".byte 0x66, 0x01+8*" X_ ", 0xd1",
                     ".byte 0x01+8*" X_ ", 0xd1", 0, c);
                /* same through the r,r/m opcode */
                FORM("rr2", ".byte 0x02+8*" X_ ", 0xca", ".byte 0x66, 0x03+8*" X_ ", 0xca",
                     ".byte 0x03+8*" X_ ", 0xca", 0, c);
                /* [eax] op= reg */
                FORM("mr", ".byte 0x00+8*" X_ ", 0x10", ".byte 0x66, 0x01+8*" X_ ", 0x10",
                     ".byte 0x01+8*" X_ ", 0x10", (hi | a), cell[1]);
                /* reg op= [eax] */
                FORM("rm", ".byte 0x02+8*" X_ ", 0x08", ".byte 0x66, 0x03+8*" X_ ", 0x08",
                     ".byte 0x03+8*" X_ ", 0x08", ((hi ^ 0xffffff00u) | b), c);
#undef FORM
            }
}

/* Immediate forms: one expansion per immediate value. */
#define IMM_LOOP(w, name, code, imm, use_cell)                                 \
    do {                                                                       \
        int n_;                                                                \
        const uint32_t *v_ = vals_for(w, &n_);                                 \
        uint32_t hi_ = w == 8 ? HI8 : w == 16 ? HI16 : 0;                      \
        for (int i_ = 0; i_ < n_; i_++)                                        \
            for (int k_ = 0; k_ < NFLAGS_IN; k_++) {                           \
                uint32_t a_ = hi_ | v_[i_], c_ = hi_ | v_[i_], d_ = 0, f_;     \
                uint32_t *p_ = &cell[1];                                       \
                cell[1] = hi_ | v_[i_];                                        \
                if (name[0] == 'a') {                                          \
                    X86_RUN_A(code, flags_in[k_], a_, c_, d_, f_);              \
                    show(name, w, v_[i_], (imm) & wmask(w), flags_in[k_], a_, f_); \
                } else {                                                       \
                    X86_RUN(code, flags_in[k_], c_, d_, p_, f_);                \
                    show(name, w, v_[i_], (imm) & wmask(w), flags_in[k_],       \
                         use_cell ? cell[1] : c_, f_);                         \
                }                                                              \
            }                                                                  \
    } while (0)

#define IMM8_LIST(X) X(0x00) X(0x01) X(0x7f) X(0x80) X(0xff)
#define IMM16_LIST(X) X(0x0000) X(0x0001) X(0x007f) X(0x0080) X(0x7fff) X(0x8000) X(0xffff)
#define IMM32_LIST(X) X(0x00000000) X(0x00000001) X(0x7fffffff) X(0x80000000) X(0xffffffff) X(0x12345678)

#define B8(imm)                                                                \
    IMM_LOOP(8, "ai", ".byte 0x04+8*" X_ ", " #imm, imm, 0);                   \
    IMM_LOOP(8, "ri80", ".byte 0x80, 0xc1+8*" X_ ", " #imm, imm, 0);            \
    IMM_LOOP(8, "ri82", ".byte 0x82, 0xc1+8*" X_ ", " #imm, imm, 0);            \
    IMM_LOOP(8, "mi80", ".byte 0x80, 0x00+8*" X_ ", " #imm, imm, 1);
#define B16(imm)                                                               \
    IMM_LOOP(16, "ai", ".byte 0x66, 0x05+8*" X_ "; .word " #imm, imm, 0);       \
    IMM_LOOP(16, "ri81", ".byte 0x66, 0x81, 0xc1+8*" X_ "; .word " #imm, imm, 0); \
    IMM_LOOP(16, "mi81", ".byte 0x66, 0x81, 0x00+8*" X_ "; .word " #imm, imm, 1);
#define B16S(imm)                                                              \
    IMM_LOOP(16, "ri83", ".byte 0x66, 0x83, 0xc1+8*" X_ ", " #imm, (uint32_t)(int8_t)imm, 0); \
    IMM_LOOP(16, "mi83", ".byte 0x66, 0x83, 0x00+8*" X_ ", " #imm, (uint32_t)(int8_t)imm, 1);
#define B32(imm)                                                               \
    IMM_LOOP(32, "ai", ".byte 0x05+8*" X_ "; .long " #imm, imm, 0);             \
    IMM_LOOP(32, "ri81", ".byte 0x81, 0xc1+8*" X_ "; .long " #imm, imm, 0);     \
    IMM_LOOP(32, "mi81", ".byte 0x81, 0x00+8*" X_ "; .long " #imm, imm, 1);
#define B32S(imm)                                                              \
    IMM_LOOP(32, "ri83", ".byte 0x83, 0xc1+8*" X_ ", " #imm, (uint32_t)(int8_t)imm, 0); \
    IMM_LOOP(32, "mi83", ".byte 0x83, 0x00+8*" X_ ", " #imm, (uint32_t)(int8_t)imm, 1);

int main(void)
{
    reg_forms(8);
    reg_forms(16);
    reg_forms(32);
    IMM8_LIST(B8)
    IMM16_LIST(B16)
    IMM8_LIST(B16S)
    IMM32_LIST(B32)
    IMM8_LIST(B32S)
    return 0;
}
