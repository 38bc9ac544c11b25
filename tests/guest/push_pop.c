/* ue-test: variants=s2 p0 */
/* PUSHA/POPA (32 and 16 bit; POPA skips ESP), PUSH ESP (pushes the old value),
 * POP ESP, PUSH imm8/imm32 (sign extension), PUSH/POP memory (POP [ESP+n]
 * computes the address after the increment), 16-bit PUSH/POP. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    uint32_t out[16], esp0, esp1;
    /* pusha: copy the 8 pushed words, ESP shown relative. */
    asm volatile("push %%ebp\n\tpush %%ebx\n\tpush %%esi\n\tpush %%edi\n\t"
                 "mov %[o], %%edi\n\tmov %%esp, %%ecx\n\t"
                 "push %%edi\n\t"
                 "mov $0x11111111, %%eax\n\tmov $0x44444444, %%ebx\n\tmov $0x22222222, %%ecx\n\t"
                 "mov $0x33333333, %%edx\n\tmov $0x77777777, %%esi\n\tmov $0x66666666, %%ebp\n\t"
                 "mov $0x88888888, %%edi\n\t"
                 "pusha\n\t"
                 "mov 32(%%esp), %%edi\n\t"
                 "mov 0(%%esp), %%eax\n\tmov %%eax, 0(%%edi)\n\tmov 4(%%esp), %%eax\n\tmov %%eax, 4(%%edi)\n\t"
                 "mov 8(%%esp), %%eax\n\tmov %%eax, 8(%%edi)\n\tmov 12(%%esp), %%eax\n\tsub %%esp, %%eax\n\tmov %%eax, 12(%%edi)\n\t"
                 "mov 16(%%esp), %%eax\n\tmov %%eax, 16(%%edi)\n\tmov 20(%%esp), %%eax\n\tmov %%eax, 20(%%edi)\n\t"
                 "mov 24(%%esp), %%eax\n\tmov %%eax, 24(%%edi)\n\tmov 28(%%esp), %%eax\n\tmov %%eax, 28(%%edi)\n\t"
                 /* popa with altered slots: the ESP slot is ignored */
                 "movl $0x99999999, 12(%%esp)\n\tmovl $0xaaaaaaaa, 0(%%esp)\n\t"
                 "mov %%esp, %%eax\n\t"
                 "popa\n\t"
                 "mov %%edi, %%eax\n\tpop %%edi\n\tmov %%eax, 32(%%edi)\n\tmov %%esi, 36(%%edi)\n\t"
                 "mov %%ebp, 40(%%edi)\n\tmov %%ebx, 44(%%edi)\n\tmov %%edx, 48(%%edi)\n\tmov %%ecx, 52(%%edi)\n\t"
                 "pop %%edi\n\tpop %%esi\n\tpop %%ebx\n\tpop %%ebp"
                 : : [o] "r"(out) : "eax", "ecx", "edx", "memory");
    printf("pusha:");
    for (int i = 0; i < 8; i++)
        printf(" %08x", out[i]);
    printf("\npopa: edi=%08x esi=%08x ebp=%08x ebx=%08x edx=%08x ecx=%08x\n", out[8], out[9], out[10], out[11],
           out[12], out[13]);

    /* pushaw / popaw */
    uint16_t w[8];
    asm volatile("push %%ebp\n\tpush %%ebx\n\tpush %%esi\n\tpush %%edi\n\t"
                 "push %[o]\n\t"
                 "mov $0x11111234, %%eax\n\tmov $0x44444567, %%ebx\n\tmov $0x2222789a, %%ecx\n\t"
                 "mov $0x3333abcd, %%edx\n\tmov $0x7777ef01, %%esi\n\tmov $0x66662345, %%ebp\n\t"
                 "mov $0x88886789, %%edi\n\t"
                 "pushaw\n\t"
                 "mov 16(%%esp), %%edi\n\t"
                 "mov 0(%%esp), %%eax\n\tmov %%eax, 0(%%edi)\n\tmov 4(%%esp), %%eax\n\tmov %%eax, 4(%%edi)\n\t"
                 "mov 8(%%esp), %%eax\n\tmov %%eax, 8(%%edi)\n\tmov 12(%%esp), %%eax\n\tmov %%eax, 12(%%edi)\n\t"
                 "movw $0x5555, 0(%%esp)\n\t"
                 "popaw\n\t"
                 "mov %%edi, %%eax\n\tpop %%edi\n\t"
                 "pop %%edi\n\tpop %%esi\n\tpop %%ebx\n\tpop %%ebp"
                 : : [o] "r"(w) : "eax", "ecx", "edx", "memory");
    /* the SP slot (index 3) is an address: print its low bits relative to nothing */
    printf("pushaw: %04x %04x %04x (sp) %04x %04x %04x %04x\n", w[0], w[1], w[2], w[4], w[5], w[6], w[7]);

    /* push esp pushes the value before the push; pop esp loads the popped value. */
    uint32_t a, b;
    asm volatile("mov %%esp, %%ecx\n\tpush %%esp\n\tpop %%eax\n\tsub %%ecx, %%eax\n\t" : "=a"(a) : : "ecx");
    asm volatile("mov %%esp, %%ecx\n\tlea -16(%%esp), %%eax\n\tpush %%eax\n\tpop %%esp\n\tmov %%esp, %%eax\n\t"
                 "mov %%ecx, %%esp\n\tsub %%ecx, %%eax" : "=a"(b) : : "ecx");
    printf("push esp: %d  pop esp: %d\n", (int)a, (int)b);
    /* push imm8 sign-extends, push imm32, pushw imm16 */
    asm volatile("mov %%esp, %%ecx\n\tpush $-2\n\tpush $0x12345678\n\tpushw $0x7fff\n\t"
                 "mov %%esp, %%edx\n\tsub %%edx, %%ecx\n\t"
                 "popw %%ax\n\tshl $16, %%eax\n\tpop %%edx\n\tpop %%edx\n\tmov %%ecx, %%ebx\n\t"
                 : "=a"(a), "=d"(b), "=b"(esp0) : "a"(0) : "ecx");
    printf("push imm: %08x %08x used=%u\n", a, b, esp0);
    /* push/pop memory; pop [esp+4] uses ESP after the pop */
    static uint32_t m = 0xdeadbeef;
    asm volatile("pushl %2\n\tpopl %%eax\n\tpush $0x1234\n\tpush $0xabcd\n\tpopl 0(%%esp)\n\tpop %%edx"
                 : "=a"(a), "=d"(b) : "m"(m));
    printf("push mem: %08x pop [esp]: %08x\n", a, b);
    asm volatile("mov %%esp, %%ecx\n\tmov $0x55550000, %%eax\n\tpushw %%cx\n\tpopw %%ax\n\txor %%cx, %%ax\n\t"
                 "mov %%esp, %%edx\n\tsub %%ecx, %%edx"
                 : "=a"(esp0), "=d"(esp1) : : "ecx");
    printf("pushw/popw: %08x esp delta %d\n", esp0, (int)esp1);
    return 0;
}
