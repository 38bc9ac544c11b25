/* ue-test: variants=s2 p0 */
/* LEA with every 32-bit addressing form (disp8/disp32, SIB scales, no base,
 * no index, EBP and ESP bases, wrap-around) and every 16-bit addressing form
 * (0x67 prefix: BX+SI ... disp16, with 16-bit wrap-around), with 32- and
 * 16-bit (0x66) destinations. */
#include <stdint.h>
#include <stdio.h>

/* Print the mode without asm punctuation: "%%" as "%", newlines as "; ". */
static void show(const char *mode, uint32_t r)
{
    char buf[128];
    int n = 0;
    for (const char *p = mode; *p && n < 120; p++) {
        if (p[0] == '%' && p[1] == '%')
            continue;
        if (*p == '\t')
            continue;
        if (*p == '\n') {
            buf[n++] = ';';
            buf[n++] = ' ';
            continue;
        }
        buf[n++] = *p;
    }
    buf[n] = 0;
    printf("%-44s %08x\n", buf, r);
}

/* Known values in every register but ESP; the result is in EAX. */
#define LEA(mode)                                                              \
    do {                                                                       \
        uint32_t r;                                                            \
        asm volatile("push %%ebp\n\tpush %%ebx\n\tpush %%esi\n\tpush %%edi\n\t" \
                     "mov $0x10000001, %%eax\n\tmov $0x20000010, %%ecx\n\t"    \
                     "mov $0x30000100, %%edx\n\tmov $0x40001234, %%ebx\n\t"    \
                     "mov $0x50018765, %%esi\n\tmov $0x6010fedc, %%edi\n\t"    \
                     "mov $0x7100fff0, %%ebp\n\t" mode "\n\t"                  \
                     "pop %%edi\n\tpop %%esi\n\tpop %%ebx\n\tpop %%ebp"        \
                     : "=a"(r) : : "ecx", "edx", "memory");                    \
        show(mode, r);                                                         \
    } while (0)

int main(void)
{
    LEA("lea (%%eax), %%eax");
    LEA("lea (%%ecx), %%eax");
    LEA("lea (%%edx), %%eax");
    LEA("lea (%%ebx), %%eax");
    LEA("lea (%%esi), %%eax");
    LEA("lea (%%edi), %%eax");
    LEA("lea 0(%%ebp), %%eax");
    LEA("lea 0x7f(%%ecx), %%eax");
    LEA("lea -0x80(%%edx), %%eax");
    LEA("lea 0x12345678(%%ebx), %%eax");
    LEA("lea -0x12345678(%%esi), %%eax");
    LEA("lea 0x12345678, %%eax");
    LEA("lea (,%%esi,2), %%eax");
    LEA("lea 0x10(,%%edi,8), %%eax");
    LEA("lea -1(,%%ecx,4), %%eax");
    LEA("lea (%%ebx,%%esi), %%eax");
    LEA("lea (%%ebx,%%esi,4), %%eax");
    LEA("lea -4(%%ebp,%%edi,8), %%eax");
    LEA("lea 0x100(%%ebp,%%eax,2), %%eax");
    LEA("lea 0x7fffffff(%%esi,%%edi,2), %%eax");
    LEA("lea 0x80000000(%%edx,%%edx,8), %%eax");
    LEA("lea (%%eax,%%eax,1), %%eax");
    LEA("lea (%%ecx,%%ebp,1), %%eax");
    LEA("lea 4(%%esp,%%ecx,2), %%eax\n\tsub %%esp, %%eax");
    LEA("lea (%%esp), %%eax\n\tsub %%esp, %%eax");
    LEA("lea -8(%%esp), %%eax\n\tsub %%esp, %%eax");
    /* SIB with no index and a scale, mod=00 base=101: disp32 only. */
    LEA(".byte 0x8d, 0x04, 0x65; .long 0x12345678");
    /* SIB no index, base ESP, scale 8: the scale is ignored. */
    LEA(".byte 0x8d, 0x44, 0xe4, 0x10\n\tsub %%esp, %%eax");
    /* mod=00 base=101 with index: [index*s + disp32]. */
    LEA(".byte 0x8d, 0x04, 0x8d; .long 0x100");
    /* 16-bit destination keeps the upper half of EAX. */
    LEA("leaw 0x1234(%%ebx,%%esi,2), %%ax");
    LEA("leaw -1(%%ecx), %%ax");
    /* 16-bit addressing (0x67). */
    LEA("leal (%%bx,%%si), %%eax");
    LEA("leal (%%bx,%%di), %%eax");
    LEA("leal (%%bp,%%si), %%eax");
    LEA("leal (%%bp,%%di), %%eax");
    LEA("leal (%%si), %%eax");
    LEA("leal (%%di), %%eax");
    LEA("leal 0x1234, %%eax");
    LEA("leal (%%bx), %%eax");
    LEA("leal 0(%%bp), %%eax");
    LEA("leal 0x7f(%%bx,%%si), %%eax");
    LEA("leal -0x80(%%bp,%%di), %%eax");
    LEA("leal 0x7fff(%%bp,%%si), %%eax");
    LEA("leal -1(%%si), %%eax");
    LEA("leal 0x20(%%bp), %%eax");
    LEA("leal 0xfff0(%%di), %%eax");
    LEA("leaw 0x10(%%bx,%%di), %%ax");
    return 0;
}
