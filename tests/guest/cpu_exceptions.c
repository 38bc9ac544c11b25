/* ue-test: variants=s2 d0 p2 */
/* Every exception the kernel turns into a signal, raised from user code:
 * #DE, #DB, #BP, #OF, #BR, #UD, #GP, #PF, #MF, #AC, #XM.  Each
 * prints the signal, si_code, si_addr, and the sigcontext's trapno, err,
 * cr2, EIP and EFLAGS (less the arithmetic flags), addresses relative to the code page (C+) or the test area
 * (A+), so native and ue runs compare.  Not here: #NM (needs CR0.TS,
 * which Linux never leaves set for user code), #NP and #SS (segment
 * descriptors: not-present ones need an LDT; limits are the segment tests').
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "fault_catch.h"

static uint8_t *code, *area, *p;   /* area: page 0 PROT_NONE, 1 RWX, 2 read-only, 3 unmapped, 4 RW (no exec) */
static uint32_t C, A;
/* AC stays set in the handler (the kernel clears only TF, DF, RF): cleared first */
static void handler(int sig, siginfo_t *si, void *ucv)
{
    __asm__ volatile("pushf; andl $~0x40000,(%%esp); popf" ::: "memory", "cc");
    fault_record(sig, si, ucv);
    siglongjmp(jb, 1);
}

static const char *rel(uint32_t a)
{
    static char bufs[4][32];
    static int k;
    char *b = bufs[k++ & 3];
    if (a - C < 4096) snprintf(b, 32, "C+%#x", a - C);
    else if (a - A < 5 * 4096) snprintf(b, 32, "A+%#x", a - A);
    else snprintf(b, 32, "%#x", a);
    return b;
}

#define B(...) do { const uint8_t b_[] = {__VA_ARGS__}; memcpy(p, b_, sizeof b_); p += sizeof b_; } while (0)
static void D(uint32_t v) { memcpy(p, &v, 4); p += 4; }
static void start(void) { p = code; }

/* Runs the code written since start() (then RET) and prints the signal. */
static void run(const char *name)
{
    B(0xc3);
    g_sig = 0;
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("push %%ebp; push %%ebx; push %%esi; push %%edi\n\t"
                         "call *%0\n\t"
                         "pop %%edi; pop %%esi; pop %%ebx; pop %%ebp"
                         : : "a"(code) : "ecx", "edx", "memory", "cc");
    if (!g_sig) {
        printf("%-26s no signal\n", name);
        return;
    }
    printf("%-26s sig %2d code %3d addr %-8s trapno %2d err %#6x cr2 %-8s eip %s", name, g_sig, g_code, rel(g_addr),
           g_trapno, g_err, rel(g_cr2), rel(g_eip));
    printf(" efl %#x", g_efl & 0x77f00);   /* RF set for faults, not for traps */
    if (g_sig == SIGFPE && g_trapno == 16) printf(" sw %#x", g_sw & 0x7fff & ~0x3800);   /* TOP aside */
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    fault_catch(handler, FAULT_ALTSTACK, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area = mmap(NULL, 5 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(area + 4096, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    mprotect(area + 4 * 4096, 4096, PROT_READ | PROT_WRITE);
    memcpy(area + 4 * 4096, (const uint8_t[]){0x90, 0xc3}, 2);
    mprotect(area + 2 * 4096, 4096, PROT_READ);
    (void)*(volatile uint8_t *)(area + 2 * 4096);   /* present: a write there faults with err 7 */
    munmap(area + 3 * 4096, 4096);
    C = (uint32_t)code;
    A = (uint32_t)area;
    uint32_t data = A + 4096;   /* page 1 */

    /* ---- #DE ---- */
    start(); B(0x31, 0xc9, 0x31, 0xd2, 0xf7, 0xf1); run("div 0");
    start(); B(0x31, 0xc9, 0xf6, 0xf1); run("divb 0");
    start(); B(0xb8); D(0x80000000); B(0x99, 0xb9); D(-1); B(0xf7, 0xf9); run("idiv INT_MIN/-1");
    start(); B(0xba); D(1); B(0xb9); D(1); B(0xf7, 0xf1); run("div quotient too big");
    start(); B(0xd4, 0x00); run("aam 0");
    /* ---- #DB ---- */
    start(); B(0x9c, 0x81, 0x0c, 0x24, 0x00, 0x01, 0x00, 0x00, 0x9d, 0x90, 0x90); run("TF");
    start(); B(0x90, 0xf1, 0x90); run("icebp");
    /* ---- #BP, #OF ---- */
    start(); B(0x90, 0xcc); run("int3");
    start(); B(0xcd, 0x03); run("int $3");
    start(); B(0xb0, 0x7f, 0x04, 0x01, 0xce); run("into");
    start(); B(0xce); run("into, no overflow");
    start(); B(0xcd, 0x04); run("int $4");
    /* ---- #BR ---- */
    memcpy(area + 4096, (const int32_t[]){0, 10}, 8);
    start(); B(0xb8); D(20); B(0x62, 0x05); D(data); run("bound above");
    start(); B(0xb8); D(-1); B(0x62, 0x05); D(data); run("bound below");
    start(); B(0xb8); D(10); B(0x62, 0x05); D(data); run("bound inside");
    start(); B(0x66, 0xb8, 0x20, 0x00, 0x66, 0x62, 0x05); D(data); run("boundw above");
    /* ---- #UD ---- */
    start(); B(0x90, 0x0f, 0x0b); run("ud2");
    start(); B(0x0f, 0xb9, 0xc0); run("ud1");
    start(); B(0x0f, 0xff, 0xc0); run("ud0");
    start(); B(0xf0, 0x90); run("lock nop");
    start(); B(0xf0, 0x01, 0xc0); run("lock add reg");
    start(); B(0x8d, 0xc0); run("lea reg");
    start(); B(0x8e, 0xc8); run("mov to cs");
    start(); B(0x0f, 0x01, 0xf8); run("swapgs");
    start(); B(0x62, 0xc0); run("bound reg");
    /* ---- #GP ---- */
    start(); B(0xf4); run("hlt");
    start(); B(0xfa); run("cli");
    start(); B(0xec); run("in dx");
    start(); B(0xe6, 0x80); run("out imm");
    start(); B(0x0f, 0x22, 0xc0); run("mov cr0");
    start(); B(0x0f, 0x23, 0xc0); run("mov dr0");
    start(); B(0x0f, 0x32); run("rdmsr");
    start(); B(0x0f, 0x09); run("wbinvd");
    start(); B(0x0f, 0x06); run("clts");
    start(); B(0x0f, 0x01, 0x15); D(data); run("lgdt");
    start(); B(0xcd, 0x81); run("int $0x81");
    start(); B(0xcd, 0x0e); run("int $0x0e");
    start(); B(0xcd, 0x01); run("int $1");
    start(); B(0xb8); D(0x1234); B(0x8e, 0xd8); run("mov 0x1234,ds");
    start(); B(0xb8); D(0x8); B(0x8e, 0xe0); run("mov 0x8,fs");
    start(); B(0xb8); D(0x3); B(0x8c, 0xd1, 0x8e, 0xd0, 0x8e, 0xd1); run("mov null,ss");
    start(); B(0xb8); D(0x23); B(0x8e, 0xe0, 0x31, 0xc0, 0x8e, 0xe0, 0x0f, 0x0b); run("mov code,fs (loads)");
    start(); B(0x0f, 0x28, 0x05); D(data + 8); run("movaps misaligned");
    /* ---- #PF ---- */
    start(); B(0xa1); D(A + 0x10); run("read PROT_NONE");
    start(); B(0xa1); D(A + 0x3010); run("read unmapped");
    start(); B(0xc7, 0x05); D(A + 0x3020); D(1); run("write unmapped");
    start(); B(0xc7, 0x05); D(A + 0x2030); D(1); run("write read-only");
    start(); B(0x83, 0x05); D(A + 0x2040); B(1); run("add to read-only");
    start(); B(0xc7, 0x05); D(A + 0x50); D(1); run("write PROT_NONE");
    start(); B(0xa1); D(0); run("read NULL");
    start(); B(0xb8); D(A + 0x4000); B(0xff, 0xd0); run("call no-exec page");
    start(); B(0xb8); D(A + 0x3000); B(0xff, 0xe0); run("jmp unmapped");
    start(); B(0x31, 0xc0, 0xff, 0xe0); run("jmp NULL");
    start(); B(0xbf); D(A + 0x2ff8); B(0xb9); D(16); B(0xf3, 0xab); run("rep stos into read-only");
    /* accesses and fetches across a page boundary: the fault names the page that is not there,
     * and a store that faults on its second page writes nothing */
    start(); B(0xa1); D(A + 0xffe); run("read into page 1");
    start(); B(0xa1); D(A + 0x2ffe); run("read into page 3");
    start(); B(0xc7, 0x05); D(A + 0x1ffe); D(0x11223344); run("write into page 2");
    printf("  %#x\n", *(uint16_t *)(area + 0x1ffe));
    start(); B(0x66, 0xc7, 0x05); D(A + 0x1fff); B(0x55, 0x66); run("writew into page 2");
    printf("  %#x\n", *(uint8_t *)(area + 0x1fff));
    memcpy(area + 0x1ffd, (const uint8_t[]){0xb8, 0x01, 0x02}, 3);
    start(); B(0xb8); D(A + 0x1ffd); B(0xff, 0xd0); run("fetch into page 2");
    start(); B(0xa1); D(0xfffffff0); run("read 0xfffffff0");
    start(); B(0xa1); D(0xfffffffe); run("read 0xfffffffe");
    start(); B(0xc6, 0x05); D(0xffffffff); B(1); run("write 0xffffffff");
    /* ---- #MF: x87 division by zero unmasked, raised by the next waiting FP instruction ---- */
    static uint16_t cw;
    cw = 0x37b;
    start(); B(0xdb, 0xe3, 0xd9, 0x2d); D((uint32_t)&cw); B(0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0x90, 0x9b, 0xdb, 0xe3); run("fdiv 0, fwait");
    start(); B(0xdb, 0xe3, 0xd9, 0x2d); D((uint32_t)&cw); B(0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0xd9, 0xe8, 0xdb, 0xe3); run("fdiv 0, fld1");
    cw = 0x37e;
    start(); B(0xdb, 0xe3, 0xd9, 0x2d); D((uint32_t)&cw); B(0xd9, 0xe8, 0xd9, 0xe0, 0xd9, 0xfa, 0x9b, 0xdb, 0xe3); run("fsqrt -1, fwait");
    /* each x87 exception unmasked alone: FPE_FLT* from the status word */
    static const double big = 1e300, tiny = 1e-300, three = 3.0, nan_ = __builtin_nan(""), den = 4.9e-324;
    static const uint64_t snan = 0x7ff0000000000001ull;
    static int32_t i32;
    static const struct { const char *name; uint16_t cw; uint8_t op[2]; const void *m; uint8_t mop[2]; } x87[] = {
        {"fld snan (IE)", 0x37e, {0xd9, 0xee}, &snan, {0xdd, 0x05}},            /* fldz; fldl snan */
        {"fcom nan (IE)", 0x37e, {0xd9, 0xee}, &nan_, {0xdc, 0x15}},            /* fldz; fcoml nan */
        {"fistp big (IE)", 0x37e, {0xdd, 0x05}, &big, {0xdb, 0x1d}},            /* fldl big; fistpl i32 */
        {"fld denormal (DE)", 0x37d, {0xd9, 0xe8}, &den, {0xdc, 0x0d}},          /* fld1; fmull den */
        {"fstps big (OE)", 0x377, {0xdd, 0x05}, &big, {0xd9, 0x1d}},            /* fldl big; fstps i32 */
        {"fstps tiny (UE)", 0x36f, {0xdd, 0x05}, &tiny, {0xd9, 0x1d}},          /* fldl tiny; fstps i32 */
        {"fdiv 3 (PE)", 0x35f, {0xd9, 0xe8}, &three, {0xdc, 0x35}},             /* fld1; fdivl three */
    };
    for (unsigned k = 0; k < sizeof x87 / sizeof x87[0]; k++) {
        cw = x87[k].cw;
        start(); B(0xdb, 0xe3, 0xd9, 0x2d); D((uint32_t)&cw);
        if (x87[k].op[0] == 0xdd) { B(0xdd, 0x05); D((uint32_t)x87[k].m); } else B(x87[k].op[0], x87[k].op[1]);
        B(x87[k].mop[0], x87[k].mop[1]);
        D(x87[k].mop[0] == 0xdb || x87[k].mop[0] == 0xd9 ? (uint32_t)&i32 : (uint32_t)x87[k].m);
        B(0x9b, 0xdb, 0xe3);
        run(x87[k].name);
    }
    /* ---- #AC: EFLAGS.AC and a misaligned load (CR0.AM as the host kernel sets it) ---- */
    start(); B(0x9c, 0x81, 0x0c, 0x24); D(0x40000); B(0x9d, 0xa1); D(data + 1); B(0x9c, 0x81, 0x24, 0x24); D(~0x40000u); B(0x9d);
    run("AC misaligned load");
    start(); B(0x9c, 0x81, 0x0c, 0x24); D(0x40000); B(0x9d, 0xa1); D(data + 4); B(0x9c, 0x81, 0x24, 0x24); D(~0x40000u); B(0x9d);
    run("AC aligned load");
    /* ---- #XM: SSE division by zero unmasked ---- */
    static uint32_t mx = 0x1d80, one = 0x3f800000;
    start(); B(0x0f, 0xae, 0x15); D((uint32_t)&mx); B(0xf3, 0x0f, 0x10, 0x05); D((uint32_t)&one);
    B(0x0f, 0x57, 0xc9, 0xf3, 0x0f, 0x5e, 0xc1); run("divss 0");
    /* each SSE exception unmasked alone, through a few instruction kinds */
    static const float fm1 = -1.0f, fbig = 3e38f, ftiny = 1e-38f, fden = 1e-45f, fthree = 3.0f;
    static const double dnan = __builtin_nan("");
    static const struct { const char *name; uint32_t mx; const void *m; uint8_t op[4]; int n; } sse[] = {
        {"sqrtss -1 (IE)", 0x1f00, &fm1, {0xf3, 0x0f, 0x51, 0x05}, 4},
        {"cvttss2si big (IE)", 0x1f00, &fbig, {0xf3, 0x0f, 0x2c, 0x05}, 4},
        {"ucomisd nan", 0x1f00, &dnan, {0x66, 0x0f, 0x2e, 0x05}, 4},
        {"comisd nan (IE)", 0x1f00, &dnan, {0x66, 0x0f, 0x2f, 0x05}, 4},
        {"mulss big (OE)", 0x1b80, &fbig, {0xf3, 0x0f, 0x59, 0x05}, 4},
        {"mulss tiny (UE)", 0x1780, &ftiny, {0xf3, 0x0f, 0x59, 0x05}, 4},
        {"addss denormal (DE)", 0x1e80, &fden, {0xf3, 0x0f, 0x58, 0x05}, 4},
        {"sqrtss 3 (PE)", 0x0f80, &fthree, {0xf3, 0x0f, 0x51, 0x05}, 4},
        {"cvtsd2ss nan", 0x1f00, &dnan, {0xf2, 0x0f, 0x5a, 0x05}, 4},
        {"cvtss2sd denormal (DE)", 0x1e80, &fden, {0xf3, 0x0f, 0x5a, 0x05}, 4},
    };
    for (unsigned k = 0; k < sizeof sse / sizeof sse[0]; k++) {
        static uint32_t mxk;
        mxk = sse[k].mx;
        /* xmm0 = the operand itself (for the binary forms: x op x) */
        start(); B(0x0f, 0xae, 0x15); D((uint32_t)&mxk);
        B(0xf3, 0x0f, 0x10, 0x05); D((uint32_t)sse[k].m);
        if (sse[k].op[0] == 0xf2 || sse[k].op[0] == 0x66) { B(0xf2, 0x0f, 0x10, 0x05); D((uint32_t)sse[k].m); }
        memcpy(p, sse[k].op, sse[k].n); p += sse[k].n; D((uint32_t)sse[k].m);
        run(sse[k].name);
    }
    return 0;
}
