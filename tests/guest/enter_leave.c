/* ue-test: variants=s2 p0 */
/* ENTER with nesting levels 0 1 2 3 (and 33, taken mod 32) and several frame
 * sizes, LEAVE, in 32-bit and 16-bit (0x66) operand size.  Runs on a private
 * stack inside one 64 KiB block so 16-bit frame pointers are meaningful, and
 * prints the frame with stack addresses as offsets from that block. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t area[0x30000];

static void show(const char *name, uint32_t base, const uint32_t *info, const uint32_t *out, int wide)
{
    printf("%-20s esp=%+d ebp=%+d after-leave esp=%+d ebp=%+d\n ", name, (int)(info[0] - base),
           (int)(info[1] - base), (int)(info[2] - base), (int)(info[3] - base));
    for (int i = 0; i < 20; i++) {
        uint32_t w = out[i];
        if (w - base < 0x10000u)
            printf(" S%+d", (int)(w - base));
        else if (!wide && ((w & 0xffff) - (base & 0xffff)) < 0x10000u && (w >> 16) == 0x5555)
            printf(" 5555:s%04x", (unsigned)(w & 0xffff));
        else
            printf(" %08x", w);
    }
    printf("\n");
}

#define ENTER(name, code, leavecode, wide)                                     \
    do {                                                                       \
        uint32_t out[20], info[4];                                             \
        uint32_t base = ((uint32_t)area + 0xffff) & ~0xffffu;                  \
        uint32_t top = base + 0x8000;                                          \
        memset((void *)(top - 512), 0x77, 1024);                               \
        asm volatile("push %%ebp\n\tpush %%ebx\n\t"                            \
                     "mov %%esp, %%ebx\n\t"                                    \
                     "mov %[top], %%esp\n\t"                                   \
                     "push $0x11111111\n\tpush $0x22222222\n\tpush $0x33333333\n\t" \
                     "push $0x44444444\n\t"                                    \
                     "mov %%esp, %%ebp\n\t"                                    \
                     "push $0x55557ff0\n\tpush $0x55557fe0\n\tpush $0x55557fd0\n\t" \
                     "push $0x66666666\n\t"                                    \
                     "sub $8, %%ebp\n\t"                                       \
                     code "\n\t"                                               \
                     "mov %%esp, 0(%[info])\n\tmov %%ebp, 4(%[info])\n\t"      \
                     "xor %%eax, %%eax\n"                                      \
                     "1:\n\tmov (%%esp,%%eax,4), %%edx\n\t"                    \
                     "mov %%edx, (%[out],%%eax,4)\n\tinc %%eax\n\tcmp $20, %%eax\n\tjne 1b\n\t" \
                     leavecode "\n\t"                                          \
                     "mov %%esp, 8(%[info])\n\tmov %%ebp, 12(%[info])\n\t"     \
                     "mov %%ebx, %%esp\n\tpop %%ebx\n\tpop %%ebp"              \
                     : : [out] "S"(out), [info] "D"(info), [top] "c"(top) : "eax", "edx", "memory"); \
        show(name, base, info, out, wide);                                     \
    } while (0)

int main(void)
{
    ENTER("enter 0,0", "enter $0, $0", "leave", 1);
    ENTER("enter 8,0", "enter $8, $0", "leave", 1);
    ENTER("enter 16,1", "enter $16, $1", "leave", 1);
    ENTER("enter 4,2", "enter $4, $2", "leave", 1);
    ENTER("enter 12,3", "enter $12, $3", "leave", 1);
    ENTER("enter 0,3", "enter $0, $3", "leave", 1);
    ENTER("enter 8,33 (mod 32)", ".byte 0xc8, 8, 0, 33", "leave", 1);
    ENTER("enterw 8,0", "enterw $8, $0", "leavew", 0);
    ENTER("enterw 6,2", "enterw $6, $2", "leavew", 0);
    return 0;
}
