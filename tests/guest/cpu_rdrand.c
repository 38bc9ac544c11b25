/* ue-test: variants=s2 d0 */
/* RDRAND, RDSEED, RDTSCP and RDPID: CPUID reports each exactly where it
 * runs; RDRAND/RDSEED set CF (a value) and clear the other arithmetic
 * flags, in 16 and 32 bits; RDTSCP gives the TSC and TSC_AUX (the CPU the
 * thread runs on, as getcpu says, and what RDPID reads) and faults like
 * RDTSC after PR_SET_TSC; neighbouring encodings raise what they raise
 * natively (an F3 RDRAND and SWAPGS: SIGILL; INVLPG: SIGSEGV). */
#define _GNU_SOURCE
#include <cpuid.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf jb;
static void on_sig(int sig) { siglongjmp(jb, sig); }
#define TRY(name, ...)                                                         \
    do {                                                                       \
        int s_ = sigsetjmp(jb, 1);                                             \
        if (s_) { printf("%s: signal %d\n", name, s_); break; }                \
        __VA_ARGS__;                                                           \
    } while (0)

static unsigned rand32(uint32_t *v, int seed)
{
    uint8_t ok;
    uint32_t f;
    if (seed) __asm__ volatile("rdseed %0; setc %1; pushf; pop %2" : "=r"(*v), "=q"(ok), "=r"(f) : : "cc");
    else __asm__ volatile("rdrand %0; setc %1; pushf; pop %2" : "=r"(*v), "=q"(ok), "=r"(f) : : "cc");
    return ok ? (f & 0x8d5) : 0x1000;
}
static unsigned rand16(uint16_t *v, int seed)
{
    uint8_t ok;
    uint32_t f;
    if (seed) __asm__ volatile("rdseed %0; setc %1; pushf; pop %2" : "=r"(*v), "=q"(ok), "=r"(f) : : "cc");
    else __asm__ volatile("rdrand %0; setc %1; pushf; pop %2" : "=r"(*v), "=q"(ok), "=r"(f) : : "cc");
    return ok ? (f & 0x8d5) : 0x1000;
}

static void randoms(const char *name, int seed)
{
    uint32_t first = 0, v;
    uint16_t w;
    int got = 0, differ = 0;
    unsigned fl = 0;
    for (int k = 0; k < 2000 && got < 16; k++) {
        /* set every flag first: a value must clear all but CF */
        __asm__ volatile("pushf; orl $0x8d5, (%%esp); popf" : : : "cc");
        unsigned f = rand32(&v, seed);
        if (f == 0x1000) continue;
        if (!got++) first = v; else differ |= v != first;
        fl |= f;
    }
    int got16 = 0;
    for (int k = 0; k < 2000 && !got16; k++) got16 = rand16(&w, seed) == 1;
    printf("%s: 16 values %d, not all equal %d, flags seen %#x, 16-bit %d\n", name, got == 16, differ, fl, got16);
}

static int getcpu_now(void) { return sched_getcpu(); }

int main(void)
{
    signal(SIGILL, on_sig);
    signal(SIGSEGV, on_sig);
    unsigned a, b, c, d;
    __get_cpuid(1, &a, &b, &c, &d);
    int has_rdrand = c >> 30 & 1;
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    int has_rdseed = b >> 18 & 1, has_rdpid = c >> 22 & 1;
    __get_cpuid(0x80000001, &a, &b, &c, &d);
    int has_rdtscp = d >> 27 & 1;
    printf("cpuid: rdrand %d rdseed %d rdtscp %d rdpid %d\n", has_rdrand, has_rdseed, has_rdtscp, has_rdpid);

    TRY("rdrand", randoms("rdrand", 0));
    TRY("rdseed", randoms("rdseed", 1));

    /* TSC_AUX is the CPU number: read it between two getcpu calls that agree */
    int agree = 0, pid_agree = 0;
    TRY("rdtscp", {
        for (int k = 0; k < 1000 && !agree; k++) {
            int c0 = getcpu_now();
            uint32_t lo, hi, aux;
            __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
            agree = c0 == getcpu_now() && (int)(aux & 0xfff) == c0;
        }
        printf("rdtscp: TSC_AUX is the CPU %d\n", agree);
    });
    TRY("rdpid", {
        for (int k = 0; k < 1000 && !pid_agree; k++) {
            int c0 = getcpu_now();
            uint32_t aux;
            __asm__ volatile(".byte 0xf3, 0x0f, 0xc7, 0xf8" : "=a"(aux));   /* rdpid %eax */
            pid_agree = c0 == getcpu_now() && (int)(aux & 0xfff) == c0;
        }
        printf("rdpid: the CPU %d\n", pid_agree);
    });
    TRY("rdrand with f3", __asm__ volatile(".byte 0xf3, 0x0f, 0xc7, 0xf0" : : : "eax", "cc"));
    TRY("swapgs", __asm__ volatile(".byte 0x0f, 0x01, 0xf8"));
    static char byte;
    TRY("invlpg", __asm__ volatile("invlpg %0" : : "m"(byte)));

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_TSC, PR_TSC_SIGSEGV);
        TRY("rdtscp after PR_SET_TSC", {
            uint32_t lo, hi, aux;
            __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
            printf("rdtscp after PR_SET_TSC: ran\n");
        });
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
