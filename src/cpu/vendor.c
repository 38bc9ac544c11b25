/* Facts where Intel and AMD (or the hypervisor under the host) differ,
 * measured once at start-up by running the real instructions on the host,
 * before any guest thread exists. Each probe that cannot run leaves the
 * default documented in doc/vendor.md. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu.h"
#include "vendor.h"

struct host_facts host_facts = {
    .probed = false,
    .int1_eip_after = true,          /* the SDM: INT1 is a trap */
    .push_sreg_zero_extends = true,  /* AMD; recent Intel parts write 16 bits */
    .enter_writes_before_check = true,
    .popa_partial = true,
    .x87_store_fault_first = true,
    .x87_pending_before_store_fault = true,
    .mmx_switch_before_store_fault = false,
    .vex_unused_v3_checked = false,  /* the SDM: the 3-byte VEX ignores vvvv[3] in 32-bit mode */
};

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
struct host_isa host_isa;
static void probe_isa(void)
{
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        host_isa.popcnt = c >> 23 & 1;
        host_isa.movbe = c >> 22 & 1;
        host_isa.sse42 = c >> 20 & 1;
        host_isa.sse41 = c >> 19 & 1;
        host_isa.aes = c >> 25 & 1;
        host_isa.pclmul = c >> 1 & 1;
        host_isa.rdrand = c >> 30 & 1;
        host_isa.sse3 = c & 1;
        host_isa.ssse3 = c >> 9 & 1;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        host_isa.bmi1 = b >> 3 & 1;
        host_isa.bmi2 = b >> 8 & 1;
        host_isa.adx = b >> 19 & 1;
        host_isa.sha = b >> 29 & 1;
        host_isa.rdseed = b >> 18 & 1;
        host_isa.rdpid = c >> 22 & 1;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        host_isa.lzcnt = c >> 5 & 1;
        host_isa.lahf64 = c & 1;
        host_isa.rdtscp = d >> 27 & 1;
    }
}
#else
struct host_isa host_isa = {   /* ue runs every one in C */
    .popcnt = true, .lzcnt = true, .bmi1 = true, .bmi2 = true, .movbe = true, .sse42 = true, .adx = true, .sse41 = true,
    .pclmul = true,   /* AES and SHA run on the host's own units: absent */
};
static void probe_isa(void) {}
#endif

#if defined(__x86_64__)
static sigjmp_buf probe_jmp;
static volatile int probe_sig;
static volatile uintptr_t probe_ip, probe_bp, probe_addr;
static uint8_t probe_fx[512] __attribute__((aligned(16)));   /* the FPU as the faulting instruction left it */

static void probe_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    probe_sig = sig;
    probe_ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    probe_bp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    probe_addr = (uintptr_t)si->si_addr;
    if (uc->uc_mcontext.fpregs) memcpy(probe_fx, uc->uc_mcontext.fpregs, sizeof probe_fx);
    siglongjmp(probe_jmp, 1);
}

/* INT1 (ICEBP): the SIGTRAP's EIP is after the F1 on bare metal, at it
 * under some hypervisors (an intercepted ICEBP re-injected as a fault). */
static void probe_int1(void)
{
    static volatile uintptr_t at;
    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n1:\t.byte 0xf1\n\tnop" : "=m"(at) : : "rax", "memory");
    if (probe_sig == SIGTRAP) host_facts.int1_eip_after = probe_ip != at;
}

/* A page fault the probe expected: SIGSEGV on [page, page+4096). */
static bool fault_on(const uint8_t *page)
{
    return probe_sig == SIGSEGV && probe_addr - (uintptr_t)page < 4096;
}

/* Runs code32 at low in a 32-bit code segment (far return to the
 * compatibility-mode selector 0x23), with the stack at the end of the page
 * after it; the code ends in "ljmp $0x33, $back64; back64: jmp *%r13",
 * whose target this fills in, back to 64-bit mode. Returns its EAX; a
 * fault leaves through probe_jmp. */
static uint32_t run32(uint8_t *low, const uint8_t *code32, size_t len)
{
    uint32_t base = (uint32_t)(uintptr_t)low, back64 = base + len - 3;
    memcpy(low, code32, len);
    memcpy(low + len - 9, &back64, 4);
    uint64_t stack = base + 2 * 4096 - 64;
    static volatile uint64_t eax;
    __asm__ volatile("lea 1f(%%rip), %%r13\n\t"
                     "mov %%rsp, %%r12\n\t"
                     "mov %[stack], %%rsp\n\t"
                     "pushq $0x23\n\t"
                     "pushq %[code]\n\t"
                     "lretq\n"
                     "1:\tmov %%r12, %%rsp\n\t"
                     "mov %%eax, %%eax\n\t"
                     "mov %%rax, %0"
                     : "=m"(eax)
                     : [stack] "r"(stack), [code] "r"((uint64_t)base)
                     : "rax", "r12", "r13", "memory", "cc");
    return (uint32_t)eax;
}

/* PUSH Sreg with 32-bit operand size, run in a 32-bit code segment (far
 * return to the compatibility-mode selector 0x23 and back to 0x33): does
 * it zero-extend the selector or write 16 bits over the old slot? A kernel
 * without 32-bit code segments faults the far return: no answer then. */
static void probe_push_sreg(uint8_t *low)
{
    static const uint8_t code32[] = {
        0xc7, 0x44, 0x24, 0xfc, 0xff, 0xff, 0xff, 0xff,   /* movl $-1, -4(%esp) */
        0x16,                                             /* push %ss */
        0x8b, 0x04, 0x24,                                 /* mov (%esp), %eax */
        0x83, 0xc4, 0x04,                                 /* add $4, %esp */
        0xea, 0, 0, 0, 0, 0x33, 0x00,                     /* ljmp $0x33, $back64 */
        0x41, 0xff, 0xe5,                                 /* back64: jmp *%r13 */
    };
    uint16_t ss;
    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    probe_sig = 0;
    if (sigsetjmp(probe_jmp, 1)) return;
    uint32_t eax = run32(low, code32, sizeof code32);
    if ((uint16_t)eax == ss) host_facts.push_sreg_zero_extends = (eax >> 16) == 0;
}

/* POPA in a 32-bit code segment with the stack running into a PROT_NONE
 * page after three slots: do EDI, ESI and EBP keep the values loaded
 * before the fault? */
static void probe_popa(uint8_t *low)
{
    static const uint8_t code32[] = {
        0xbd, 0x11, 0x11, 0x11, 0x11,                     /* mov $0x11111111, %ebp */
        0x89, 0xfc,                                       /* mov %edi, %esp */
        0x61,                                             /* popa: faults */
        0x0f, 0x0b,                                       /* ud2: never */
    };
    uint32_t base = (uint32_t)(uintptr_t)low;
    memcpy(low, code32, sizeof code32);
    uint32_t slots[3] = { 0x5a5a0001, 0x5a5a0002, 0x5a5a0003 };   /* EDI, ESI, EBP */
    memcpy(low + 2 * 4096 - 12, slots, sizeof slots);
    uint64_t top = base + 2 * 4096 - 12;
    probe_sig = 0;
    probe_bp = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("mov %%rsp, %%r12\n\t"
                         "mov %[stack], %%rsp\n\t"
                         "pushq $0x23\n\t"
                         "pushq %[code]\n\t"
                         "mov %[stack], %%rdi\n\t"
                         "lretq"
                         : : [stack] "r"(top), [code] "r"((uint64_t)base) : "r12", "rdi", "memory", "cc");
    if (fault_on(low + 2 * 4096)) host_facts.popa_partial = (uint32_t)probe_bp == slots[2];
}

/* RORX (BMI2), which uses no VEX.vvvv, encoded with vvvv 0111b in a 32-bit
 * code segment: does the bit 32-bit mode ignores still count in the
 * "must be 1111b" check (#UD), or is the instruction run? */
static void probe_vex_unused_v3(uint8_t *low)
{
    static const uint8_t code32[] = {
        0xc4, 0xe3, 0x3b, 0xf0, 0xc1, 0x04,               /* rorx $4, %ecx, %eax with vvvv 0111b */
        0xea, 0, 0, 0, 0, 0x33, 0x00,                     /* ljmp $0x33, $back64 */
        0x41, 0xff, 0xe5,                                 /* back64: jmp *%r13 */
    };
    if (!host_isa.bmi2) return;
    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1)) run32(low, code32, sizeof code32);
    if (probe_sig == SIGILL) host_facts.vex_unused_v3_checked = true;
    else if (probe_sig == 0) host_facts.vex_unused_v3_checked = false;
}

/* ENTER whose final stack pointer is on a PROT_NONE page: are the saved
 * frame pointer and display written before the fault? */
static void probe_enter(uint8_t *above_none)
{
    uint8_t *top = above_none + 64;
    memset(above_none, 0xaa, 128);
    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("mov %%rsp, %%r12\n\t"
                         "mov %0, %%rsp\n\t"
                         "enter $128, $0\n\t"
                         "mov %%r12, %%rsp"
                         : : "r"(top) : "r12", "memory");
    uint64_t slot;
    memcpy(&slot, top - 8, 8);
    if (fault_on(above_none - 4096)) host_facts.enter_writes_before_check = slot != 0xaaaaaaaaaaaaaaaaull;
}

/* x87 stores against a PROT_NONE page: a store whose own unmasked
 * exception suppresses it (does the page fault still come?), a store
 * after a pending unmasked exception (#MF or #PF first?), and an MMX
 * store (is the x87-to-MMX switch done before its page fault?). */
static void probe_x87_stores(uint8_t *none)
{
    static uint8_t save[512] __attribute__((aligned(16)));
    static const uint16_t cw_im = 0x37e, cw_ze = 0x37b;
    static const double big = 1e30;
    __asm__ volatile("fxsave %0" : "=m"(save));

    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("fninit\n\tfldcw %1\n\tfldl %2\n\tfistpl %0\n\tfninit"
                         : "=m"(*(uint32_t *)none) : "m"(cw_im), "m"(big) : "memory");
    __asm__ volatile("fninit");
    if (fault_on(none)) host_facts.x87_store_fault_first = true;
    else if (probe_sig == 0) host_facts.x87_store_fault_first = false;

    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("fninit\n\tfldcw %1\n\tfld1\n\tfldz\n\tfdivrp\n\tfsts %0\n\tfninit"
                         : "=m"(*(uint32_t *)none) : "m"(cw_ze) : "memory");
    __asm__ volatile("fninit");
    if (probe_sig == SIGFPE) host_facts.x87_pending_before_store_fault = true;
    else if (fault_on(none)) host_facts.x87_pending_before_store_fault = false;

    probe_sig = 0;
    memset(probe_fx, 0, sizeof probe_fx);
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("fninit\n\tfld1\n\tmovq %%mm0, %0\n\tfninit" : "=m"(*(uint64_t *)none) : : "memory");
    __asm__ volatile("fninit");
    if (fault_on(none)) {
        uint16_t sw, tw;
        memcpy(&sw, probe_fx + 2, 2);
        tw = probe_fx[4];                          /* abridged tag byte: a bit per valid register */
        host_facts.mmx_switch_before_store_fault = ((sw >> 11) & 7) == 0 && tw == 0xff;
    }
    __asm__ volatile("emms\n\tfxrstor %0" : : "m"(save));
}

/* SHA1MSG1 from a misaligned m128: #GP (the SDM's exception type 4) or
 * not (AMD Zen)? */
static void probe_sha_align(uint8_t *data)
{
    if (!host_isa.sha) return;
    probe_sig = 0;
    if (!sigsetjmp(probe_jmp, 1))
        __asm__ volatile("sha1msg1 1(%0), %%xmm0" : : "r"(data) : "xmm0", "memory");
    if (probe_sig == 0) host_facts.sha_unaligned = true;
}
#endif

void host_facts_probe(void)
{
    probe_isa();
#if defined(__x86_64__)
    uint8_t *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (m == MAP_FAILED) return;
    mprotect(m + 2 * 4096, 4096, PROT_NONE);   /* pages: code, stack, PROT_NONE, data */
    static uint8_t altstack[32768] __attribute__((aligned(16)));
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 }, old_ss;
    struct sigaction sa, old[5];
    static const int sigs[5] = { SIGSEGV, SIGBUS, SIGFPE, SIGTRAP, SIGILL };
    sigset_t all, prev, unblock;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &prev);
    sigaltstack(&ss, &old_ss);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = probe_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigfillset(&sa.sa_mask);
    sigemptyset(&unblock);
    for (int k = 0; k < 5; k++) {
        sigaction(sigs[k], &sa, &old[k]);
        sigaddset(&unblock, sigs[k]);
    }
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);

    probe_int1();
    probe_push_sreg(m);
    probe_popa(m);
    probe_vex_unused_v3(m);
    probe_enter(m + 3 * 4096);
    probe_x87_stores(m + 2 * 4096);
    probe_sha_align(m + 3 * 4096);
    host_facts.probed = true;

    sigprocmask(SIG_BLOCK, &all, NULL);
    for (int k = 0; k < 5; k++) sigaction(sigs[k], &old[k], NULL);
    sigaltstack(&old_ss, NULL);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    munmap(m, 4 * 4096);
#endif
    if (getenv("UE_VERBOSE"))
        fprintf(stderr, "ue: host facts%s: int1_eip_after=%d push_sreg_zero_extends=%d enter_writes_before_check=%d "
                "popa_partial=%d x87_store_fault_first=%d x87_pending_before_store_fault=%d mmx_switch_before_store_fault=%d "
                "sha_unaligned=%d vex_unused_v3_checked=%d\n",
                host_facts.probed ? "" : " (not probed)", host_facts.int1_eip_after, host_facts.push_sreg_zero_extends,
                host_facts.enter_writes_before_check, host_facts.popa_partial, host_facts.x87_store_fault_first,
                host_facts.x87_pending_before_store_fault, host_facts.mmx_switch_before_store_fault,
                host_facts.sha_unaligned, host_facts.vex_unused_v3_checked);
}
