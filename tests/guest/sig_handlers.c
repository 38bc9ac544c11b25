/* ue-test: variants=s2 d0 p2 */
/* Faults caught by SA_SIGINFO handlers and left with siglongjmp: for each,
 * si_signo, si_code, si_addr and the faulting EIP in the ucontext (relative
 * to the instruction's label).  NULL read (MAPERR), write to a read-only page
 * (ACCERR, exact byte address), UD2 (ILL_ILLOPN), INT3 (EIP after it), HLT
 * (SIGSEGV, SI_KERNEL), DIV by zero and IDIV overflow and AAM 0 (FPE_INTDIV),
 * INTO with OF set and BOUND out of range (SIGSEGV on Linux), and a handler that resumes execution by
 * moving EIP past the faulting instruction. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile uint32_t expect_eip, skip_len;
static volatile siginfo_t got;
static volatile uint32_t got_eip;
static volatile int handled;

static void handler(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    got = *si;
    got_eip = uc->uc_mcontext.gregs[REG_EIP];
    handled++;
    if (skip_len) {
        uc->uc_mcontext.gregs[REG_EIP] += skip_len;
        uc->uc_mcontext.gregs[REG_EAX] = 0x600d;
        return;
    }
    siglongjmp(env, 1);
}

/* WANT_ADDR: the expected si_addr; AT_INSN means the faulting instruction's
 * address, AT_TARGET means si_addr and EIP are both the jump target. */
#define AT_INSN ((uintptr_t)-1)
#define AT_TARGET ((uintptr_t)-2)

static void report(const char *name, uintptr_t want_addr)
{
    uintptr_t addr = (uintptr_t)got.si_addr;
    int ok = want_addr == AT_INSN ? addr == expect_eip : want_addr == AT_TARGET ? 1 : addr == want_addr;
    printf("%-12s signo=%d code=%d addr=%s ", name, got.si_signo, got.si_code, ok ? "as expected" : "OTHER");
    if (want_addr == AT_TARGET)
        printf("eip==addr: %s\n", got_eip == addr ? "yes" : "no");
    else
        printf("eip%+d\n", (int)(got_eip - expect_eip));
}

/* Each probe stores the address of its faulting instruction in expect_eip. */
#define PROBE(name, want_addr, asmcode, ...)                                   \
    do {                                                                       \
        if (sigsetjmp(env, 1) == 0) {                                          \
            asm volatile("push %%eax\n\tcall 2f\n2:\tpop %%eax\n\tlea (1f-2b)(%%eax), %%eax\n\t" \
                         "mov %%eax, %0\n\tpop %%eax\n\t" asmcode : "=m"(expect_eip) : __VA_ARGS__); \
            printf("%-12s no fault\n", name);                                  \
        } else                                                                 \
            report(name, want_addr);                                           \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int s = 1; s < 32; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &sa, NULL);

    uint8_t *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    PROBE("null read", 0, "1: movl 0, %%eax", "m"(expect_eip) : "eax");
    PROBE("null+123", 123, "1: movb 123, %%al", "m"(expect_eip) : "eax");
    PROBE("ro write", (uintptr_t)(ro + 4099), "1: movb $1, (%1)", "r"(ro + 4099));
    PROBE("none read", (uintptr_t)(none + 17), "1: movl (%1), %%eax", "r"(none + 17) : "eax");
    PROBE("none exec", AT_TARGET, "1: call *%1", "r"(none));
    PROBE("ud2", AT_INSN, "1: ud2", "m"(expect_eip));
    PROBE("int3", 0, "1: int3", "m"(expect_eip));
    PROBE("hlt", 0, "1: hlt", "m"(expect_eip));
    PROBE("div0", AT_INSN, "xor %%edx, %%edx\n\txor %%ecx, %%ecx\n1: divl %%ecx", "m"(expect_eip) : "eax", "ecx", "edx");
    PROBE("idiv ovf", AT_INSN, "mov $0x80000000, %%eax\n\tcltd\n\tmov $-1, %%ecx\n1: idivl %%ecx", "m"(expect_eip) : "eax", "ecx", "edx");
    PROBE("div8 ovf", AT_INSN, "mov $0x1000, %%eax\n\tmov $2, %%cl\n1: divb %%cl", "m"(expect_eip) : "eax", "ecx");
    PROBE("aam 0", AT_INSN, "1: .byte 0xd4, 0x00", "m"(expect_eip) : "eax");
    PROBE("into", 0, "mov $0x7f, %%al\n\tadd $1, %%al\n1: .byte 0xce", "m"(expect_eip) : "eax");
    PROBE("int 0x81", 0, "1: int $0x81", "m"(expect_eip));
    static int32_t bounds[2] = {0, 3};
    PROBE("bound", 0, "mov $5, %%eax\n1: bound %%eax, (%1)", "r"(bounds) : "eax");
    PROBE("bound ok", 0, "mov $2, %%eax\n1: bound %%eax, (%1)", "r"(bounds) : "eax");

    /* Resume after the fault: the handler skips the 2-byte UD2 and sets EAX. */
    skip_len = 2;
    uint32_t r;
    asm volatile("mov $1, %%eax\n\tud2\n\t" : "=a"(r));
    printf("resumed after ud2: eax=%x handled=%d\n", r, handled);
    skip_len = 3;
    asm volatile("mov $1, %%eax\n\tmovb $1, (%1)\n\t" : "=&a"(r) : "c"(ro) : "memory");
    printf("resumed after ro store: eax=%x\n", r);
    skip_len = 0;
    return 0;
}
