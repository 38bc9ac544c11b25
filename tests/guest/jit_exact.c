/* ue-test: variants=s2 d0; timeout=20 */
/* What translated code must keep exact (doc/jit.md), each case made hot
 * first (run 200 times, past the translation threshold): the registers a
 * fault in the middle of REP MOVS/STOS shows, a DIV's #DE, flags carried
 * across CALL/RET and indirect jumps, STD/CLD around a string copy, a timer
 * signal ending a tight loop, code rewritten after it was translated, and
 * FS/GS-relative memory operands. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static ucontext_t seen;
static int seen_sig;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    (void)si;
    seen = *(ucontext_t *)ucv;
    seen_sig = sig;
    siglongjmp(back, 1);
}

static void rep_movsl(void *d, const void *s, unsigned n)
{
    __asm__ volatile("cmpl $5, %%ecx; cld; rep movsl" : "+D"(d), "+S"(s), "+c"(n) : : "memory", "cc");
}
static void rep_stosb(void *d, int v, unsigned n)
{
    __asm__ volatile("cmpl $5, %%ecx; cld; rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory", "cc");
}
/* strlen with REPNE SCASB, memcmp with REPE CMPSB: their flags matter */
static unsigned scas_len(const char *s)
{
    unsigned n = ~0u;
    __asm__ volatile("cld; xorl %%eax, %%eax; repne scasb" : "+D"(s), "+c"(n) : : "eax", "memory", "cc");
    return ~n - 1;
}
static int cmps_diff(const char *a, const char *b, unsigned n)
{
    int below, equal;
    __asm__ volatile("cmpl $5, %%ecx; cld; repe cmpsb; setb %b0; sete %b1"
                     : "=q"(below), "=q"(equal), "+S"(a), "+D"(b), "+c"(n) : : "memory", "cc");
    return (below & 1) * 2 + (equal & 1);
}
static void back_copy(char *d, const char *s, unsigned n)
{
    /* the last byte first, as memmove does for overlapping moves up */
    const char *se = s + n - 1;
    char *de = d + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(de), "+S"(se), "+c"(n) : : "memory");
}
static unsigned divide(unsigned a, unsigned b)
{
    unsigned q, r;
    __asm__ volatile("xor %%edx, %%edx; divl %3" : "=a"(q), "=&d"(r) : "0"(a), "rm"(b) : "cc");
    return q + r;
}

static void show_regs(const char *what, const char *base_s, const char *base_d)
{
    const greg_t *g = seen.uc_mcontext.gregs;
    printf("%s: signal %d, ecx %ld, esi %+ld, edi %+ld, flags %#lx\n", what, seen_sig, (long)g[REG_ECX],
           base_s ? (long)((const char *)g[REG_ESI] - base_s) : 0L, base_d ? (long)((const char *)g[REG_EDI] - base_d) : 0L,
           (unsigned long)g[REG_EFL] & 0x8d5);
}

/* CF across a call and a return */
__asm__(".text\n"
        "flag_through_call:\n"
        "    stc\n"
        "    call 1f\n"
        "    setc %al\n"
        "    movzbl %al, %eax\n"
        "    ret\n"
        "1:  ret\n");
int flag_through_call(void);

/* ZF across an indirect jump through a register */
__asm__(".text\n"
        "flag_through_jmp:\n"
        "    movl $1f, %ecx\n"
        "    xorl %eax, %eax\n"
        "    jmp *%ecx\n"
        "1:  setz %al\n"
        "    ret\n");
int flag_through_jmp(void);

/* LOOP, LOOPE, LOOPNE and JECXZ (block ends of their own), and LAHF/SAHF */
static unsigned loops(unsigned n, const unsigned char *p)
{
    unsigned r;
    __asm__ volatile("xorl %%eax, %%eax\n"
                     "1: addl $3, %%eax\n"
                     "   loop 1b\n"                      /* n times */
                     "   movl $40, %%ecx\n"
                     "2: incl %%eax\n"
                     "   cmpb $7, (%%esi)\n"
                     "   leal 1(%%esi), %%esi\n"
                     "   loopne 2b\n"                    /* until a 7 or 40 bytes */
                     "   movl %%ecx, %%edx\n"
                     "   shll $8, %%edx\n"
                     "   addl %%edx, %%eax\n"
                     "   movl $5, %%ecx\n"
                     "3: cmpb $0, (%%esi)\n"
                     "   leal 1(%%esi), %%esi\n"
                     "   loope 3b\n"                     /* while zeros, at most 5 */
                     "   jecxz 4f\n"
                     "   addl $1000, %%eax\n"
                     "4: xorl %%ecx, %%ecx\n"
                     "   jecxz 5f\n"
                     "   addl $100000, %%eax\n"
                     "5: stc\n"
                     "   lahf\n"
                     "   movb %%ah, %%dl\n"
                     "   movb $0xd5, %%ah\n"
                     "   sahf\n"
                     "   setc %%dh\n"
                     "   sets %%cl\n"
                     "   addb %%dh, %%cl\n"
                     "   andl $0xff, %%ecx\n"
                     "   andl $0xd5, %%edx\n"
                     "   addl %%ecx, %%eax\n"
                     "   addl %%edx, %%eax\n"
                     : "=&a"(r), "+c"(n), "+S"(p) : : "edx", "cc", "memory");
    return r;
}

static volatile int ticked;
static void on_tick(int sig) { (void)sig; ticked = 1; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);

    /* two pages, the second unmapped: copies running into it fault there */
    long pg = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area + pg, pg);
    static char buf[8192];
    for (int k = 0; k < 200; k++) rep_movsl(buf, area, 64);
    if (!sigsetjmp(back, 1)) rep_movsl(buf, area + pg - 40, 100);
    show_regs("rep movsl into a hole (source)", area + pg - 40, buf);
    if (!sigsetjmp(back, 1)) rep_movsl(area + pg - 40, buf, 100);
    show_regs("rep movsl into a hole (destination)", buf, area + pg - 40);
    for (int k = 0; k < 200; k++) rep_stosb(buf, k, 100);
    if (!sigsetjmp(back, 1)) rep_stosb(area + pg - 7, 0x5a, 30);
    show_regs("rep stosb into a hole", NULL, area + pg - 7);
    printf("stored bytes before the hole: %02x %02x\n", (uint8_t)area[pg - 7], (uint8_t)area[pg - 1]);

    unsigned lens = 0, cmps = 0;
    for (int k = 0; k < 200; k++) {
        lens += scas_len("hello, translated world" + k % 7);
        cmps += cmps_diff("abcdefgh", k & 1 ? "abcdefgz" : "abcdefgh", 8 - k % 3);
    }
    printf("repne scasb lengths %u, repe cmpsb results %u\n", lens, cmps);
    memset(area + pg - 16, 'x', 16);
    if (!sigsetjmp(back, 1)) scas_len(area + pg - 16);
    show_regs("repne scasb into a hole", NULL, area + pg - 16);
    if (!sigsetjmp(back, 1)) cmps_diff(area + pg - 16, area + pg - 16, 40);
    show_regs("repe cmpsb into a hole", area + pg - 16, area + pg - 16);

    char src[64], dst[64];
    for (int k = 0; k < 64; k++) src[k] = (char)k;
    unsigned sum = 0;
    for (int k = 0; k < 200; k++) {
        back_copy(dst, src, 40);
        rep_movsl(buf, src, 4);
        sum += (uint8_t)dst[39] + (uint8_t)dst[0] + (uint8_t)buf[15];
    }
    printf("backward copies: sum %u, DF after: %d\n", sum, (int)(({ unsigned f; __asm__ volatile("pushf; pop %0" : "=r"(f)); f; }) >> 10 & 1));

    static const unsigned char bytes[64] = { 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 7 };
    unsigned lsum = 0;
    for (int k = 0; k < 200; k++) lsum += loops(1 + k % 9, bytes + k % 13);
    printf("loop/loope/loopne/jecxz/lahf/sahf: %u\n", lsum);

    unsigned acc = 0;
    for (unsigned k = 1; k <= 200; k++) acc += divide(1000000u + k, k);
    printf("divisions: %u\n", acc);
    if (!sigsetjmp(back, 1)) acc = divide(5, 0);
    printf("divide by zero: signal %d, eax %ld, edx %ld\n", seen_sig, (long)seen.uc_mcontext.gregs[REG_EAX],
           (long)seen.uc_mcontext.gregs[REG_EDX]);

    int c1 = 0, c2 = 0;
    for (int k = 0; k < 200; k++) { c1 += flag_through_call(); c2 += flag_through_jmp(); }
    printf("CF kept across call/ret: %d of 200; ZF kept across jmp *reg: %d of 200\n", c1, c2);

    signal(SIGALRM, on_tick);
    struct itimerval it = { { 0, 0 }, { 0, 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    unsigned long spins = 0;
    while (!ticked) spins++;
    printf("a timer ended a tight loop: %d\n", ticked && spins > 0);

    /* code rewritten after it ran hot */
    unsigned char *code = mmap(NULL, pg, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static const unsigned char ret7[] = { 0xb8, 7, 0, 0, 0, 0xc3 };   /* mov eax, 7; ret */
    memcpy(code, ret7, sizeof ret7);
    int (*fn)(void) = (int (*)(void))code;
    int total = 0;
    for (int k = 0; k < 200; k++) total += fn();
    code[1] = 9;
    for (int k = 0; k < 200; k++) total += fn();
    printf("rewritten code: %d (expect %d)\n", total, 200 * 7 + 200 * 9);

    /* %gs-relative loads (the TLS segment), hot */
    unsigned g = 0;
    for (int k = 0; k < 200; k++) {
        unsigned v;
        __asm__ volatile("movl %%gs:0, %0" : "=r"(v));
        g += v == (unsigned)(uintptr_t)__builtin_thread_pointer();
    }
    printf("gs:0 is the thread pointer: %u of 200\n", g);
    return 0;
}
