/* ue-test: variants=s2 d0 p2 */
/* System calls made by hand with int 0x80: results and negative errno values
 * in EAX, registers other than EAX preserved, an unknown number gives -ENOSYS,
 * six-argument calls (mmap2 with EBP), the AT_SYSINFO entry (call into the
 * vDSO's __kernel_vsyscall) when the kernel provides one. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static long sc3(long n, long a, long b, long c)
{
    long r;
    asm volatile("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx" : "=a"(r) : "0"(n), "r"(a), "c"(b), "d"(c) : "memory");
    return r;
}

int main(void)
{
    const char msg[] = "written by int 0x80\n";
    fflush(stdout);
    long r = sc3(4, 1, (long)msg, sizeof msg - 1);
    printf("write -> %ld\n", r);
    printf("getpid matches libc: %d\n", sc3(20, 0, 0, 0) == getpid());
    printf("close(-1) -> %ld\n", sc3(6, -1, 0, 0));
    printf("unknown 9999 -> %ld\n", sc3(9999, 0, 0, 0));
    printf("unknown 450+ -> %ld\n", sc3(1000, 0, 0, 0));
    printf("negative number -> %ld\n", sc3(-1, 0, 0, 0));
    /* all registers but eax survive */
    uint32_t out[6];
    asm volatile("push %%ebp\n\tpush %%ebx\n\tpush %%edi\n\t"
                 "mov $0x11111111, %%ebx\n\tmov $0x22222222, %%ecx\n\tmov $0x33333333, %%edx\n\t"
                 "mov $0x44444444, %%esi\n\tmov $0x55555555, %%edi\n\tmov $0x66666666, %%ebp\n\t"
                 "mov $20, %%eax\n\tint $0x80\n\t"
                 "mov %%edi, %%eax\n\tpop %%edi\n\t"
                 "mov %%ebx, 0(%%edi)\n\tmov %%ecx, 4(%%edi)\n\tmov %%edx, 8(%%edi)\n\tmov %%esi, 12(%%edi)\n\t"
                 "mov %%eax, 16(%%edi)\n\tmov %%ebp, 20(%%edi)\n\tpop %%ebx\n\tpop %%ebp"
                 : : "D"(out) : "eax", "ecx", "edx", "esi", "memory");
    printf("preserved: %08x %08x %08x %08x %08x %08x\n", out[0], out[1], out[2], out[3], out[4], out[5]);
    /* mmap2(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0): six arguments, EBP last */
    long m;
    asm volatile("push %%ebp\n\tpush %%ebx\n\tmov $0, %%ebx\n\tmov $-1, %%edi\n\tmov $0, %%ebp\n\t"
                 "mov $192, %%eax\n\tint $0x80\n\tpop %%ebx\n\tpop %%ebp"
                 : "=a"(m) : "c"(4096), "d"(3), "S"(0x22) : "edi", "memory");
    printf("mmap2 page aligned: %d\n", (m & 4095) == 0 && m != 0 && (unsigned long)m < 0xfffff000ul);
    if ((m & 4095) == 0) {
        *(volatile int *)m = 5;
        printf("munmap -> %ld\n", sc3(91, m, 4096, 0));
    }
    unsigned long vs = getauxval(AT_SYSINFO);
    if (vs) {
        long pid;
        asm volatile("call *%1" : "=a"(pid) : "r"(vs), "0"(20) : "memory", "ecx", "edx");
        printf("vsyscall entry: getpid matches: %d\n", pid == getpid());
        long wr;
        asm volatile("push %%ebx\n\tmov $1, %%ebx\n\tcall *%1\n\tpop %%ebx" : "=a"(wr) : "S"(vs), "0"(4), "c"("via vsyscall\n"), "d"(13) : "memory");
        printf("vsyscall write -> %ld\n", wr);
    } else
        printf("no AT_SYSINFO\n");
    uint32_t gs10;
    asm volatile("movl %%gs:0x10, %0" : "=r"(gs10));
    printf("%%gs:0x10 equals AT_SYSINFO: %d\n", gs10 == vs);
    return 0;
}
