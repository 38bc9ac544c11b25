/* ue-test: variants=s2 d0 */
/* Single-step: EFLAGS.TF set by POPF, IRET and sigreturn makes every
 * instruction that starts with TF set raise #DB after it (SIGTRAP,
 * TRAP_TRACE, trapno 1, si_addr and EIP the next instruction's).  Each case
 * is a piece of code below ss_base; every signal it gets is printed with
 * its EIP and si_addr relative to ss_base, the sigcontext's trapno and err
 * and TF, and ECX, so native and ue runs compare: POPF setting and
 * clearing TF, loops, REP string instructions (one trap per iteration),
 * INT 0x80 and the vDSO, MOV SS / POP SS, INT3, INTO, ICEBP, faulting
 * instructions, signals delivered while TF is set, a handler setting or
 * clearing TF, and translated code entered with TF. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define TF 0x100
#define TF_ON "pushf; orl $0x100,(%esp); popf\n"
#define TF_OFF "pushf; andl $~0x100,(%esp); popf\n"

extern char ss_base[], ss_end[];
void ss_basic(void), ss_loop(int n, int tf), ss_rep(char *dst, const char *src), ss_int80(void),
    ss_vdso(void), ss_kill(int pid, int sig), ss_kill0(int pid, int sig), ss_movss(void), ss_popss(void), ss_int3(void),
    ss_into(void), ss_icebp(void), ss_ud2(void), ss_segv(void), ss_div0(void), ss_many(void),
    ss_iret(void), ss_stos(char *dst), ss_movss_int80(void), ss_popf_fault(void), ss_jmp(void),
    ss_cpuid(void), ss_popf16(void), ss_rep16(int sel);
int ss_fork(void);

__asm__(".text\n"
        ".globl ss_base\nss_base:\n"
        /* POPF sets TF (no trap after it), three instructions, POPF clears TF (trapped) */
        ".globl ss_basic\nss_basic:\n" TF_ON "nop\n mov $1,%eax\n add %eax,%eax\n" TF_OFF "ret\n"
        /* a loop of n; TF only when tf != 0 (also run untrapped many times first) */
        ".globl ss_loop\nss_loop:\n mov 4(%esp),%ecx\n mov 8(%esp),%edx\n test %edx,%edx\n jz 1f\n" TF_ON
        "1: dec %ecx\n jnz 1b\n" TF_OFF "ret\n"
        /* REP MOVSB of 3, of 0, REPE CMPSB stopping on the 4th, REPNE SCASB, REP LODSB */
        ".globl ss_rep\nss_rep:\n push %esi\n push %edi\n mov 12(%esp),%edi\n mov 16(%esp),%esi\n"
        " mov $3,%ecx\n" TF_ON "rep movsb\n xor %ecx,%ecx\n rep movsb\n"
        " mov 12(%esp),%edi\n mov 16(%esp),%esi\n mov $6,%ecx\n repe cmpsb\n"
        " mov 12(%esp),%edi\n mov $'c',%al\n mov $5,%ecx\n repne scasb\n"
        " mov 16(%esp),%esi\n mov $2,%ecx\n rep lodsb\n" TF_OFF "pop %edi\n pop %esi\n ret\n"
        ".globl ss_stos\nss_stos:\n push %edi\n mov 8(%esp),%edi\n mov $2,%ecx\n mov $0x41424344,%eax\n" TF_ON
        "rep stosl\n std\n mov $2,%cx\n add $3,%edi\n rep stosb\n cld\n" TF_OFF "pop %edi\n ret\n"
        /* getpid through INT 0x80 */
        ".globl ss_int80\nss_int80:\n push %ebx\n mov $20,%eax\n" TF_ON "int $0x80\n nop\n" TF_OFF "pop %ebx\n ret\n"
        /* getpid through the vDSO (its own instructions are not printed) */
        ".globl ss_vdso\nss_vdso:\n mov $20,%eax\n" TF_ON "call *%gs:0x10\n nop\n" TF_OFF "ret\n"
        /* kill(pid, sig) through INT 0x80: the signal comes on the syscall's return */
        ".globl ss_kill\nss_kill:\n push %ebx\n mov 8(%esp),%ebx\n mov 12(%esp),%ecx\n mov $37,%eax\n" TF_ON
        "int $0x80\n nop\n nop\n" TF_OFF "pop %ebx\n ret\n"
        /* the same without TF: the handler sets it in the frame, sigreturn loads it */
        ".globl ss_kill0\nss_kill0:\n push %ebx\n mov 8(%esp),%ebx\n mov 12(%esp),%ecx\n mov $37,%eax\n"
        "int $0x80\n nop\n nop\n" TF_OFF "pop %ebx\n ret\n"
        /* MOV SS and POP SS: no trap after them, the next one traps */
        ".globl ss_movss\nss_movss:\n mov %ss,%eax\n" TF_ON "mov %eax,%ss\n nop\n nop\n" TF_OFF "ret\n"
        ".globl ss_popss\nss_popss:\n" TF_ON "push %ss\n pop %ss\n nop\n nop\n" TF_OFF "ret\n"
        ".globl ss_movss_int80\nss_movss_int80:\n push %ebx\n mov %ss,%edx\n mov $20,%eax\n" TF_ON
        "mov %edx,%ss\n int $0x80\n nop\n" TF_OFF "pop %ebx\n ret\n"
        /* INT3, INTO, ICEBP with TF */
        ".globl ss_int3\nss_int3:\n" TF_ON "int3\n nop\n" TF_OFF "ret\n"
        ".globl ss_into\nss_into:\n mov $0x7f,%al\n" TF_ON "add $1,%al\n into\n nop\n" TF_OFF "ret\n"
        ".globl ss_icebp\nss_icebp:\n" TF_ON ".byte 0xf1\n nop\n" TF_OFF "ret\n"
        /* faults with TF: the fault, no trap; the handler skips the instruction */
        ".globl ss_ud2\nss_ud2:\n" TF_ON "ud2\n nop\n" TF_OFF "ret\n"
        ".globl ss_segv\nss_segv:\n xor %ecx,%ecx\n" TF_ON "mov (%ecx),%eax\n nop\n" TF_OFF "ret\n"
        ".globl ss_div0\nss_div0:\n xor %ecx,%ecx\n xor %edx,%edx\n" TF_ON "div %ecx\n nop\n" TF_OFF "ret\n"
        /* POPF setting TF and faulting instruction right after it */
        ".globl ss_popf_fault\nss_popf_fault:\n xor %ecx,%ecx\n pushf\n orl $0x100,(%esp)\n popf\n"
        "mov (%ecx),%eax\n nop\n" TF_OFF "ret\n"
        /* many: the handler clears TF in the frame after three traps */
        ".globl ss_many\nss_many:\n" TF_ON "nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n" TF_OFF "ret\n"
        /* IRET loading TF */
        ".globl ss_iret\nss_iret:\n pushf\n orl $0x100,(%esp)\n pushl %cs\n pushl $1f\n iret\n"
        "1: nop\n nop\n" TF_OFF "ret\n"
        /* jumps and calls: the trap shows the target */
        ".globl ss_jmp\nss_jmp:\n" TF_ON "jmp 1f\n nop\n1: call 2f\n jmp 3f\n2: ret\n3:" TF_OFF "ret\n"
        ".globl ss_cpuid\nss_cpuid:\n push %ebx\n xor %eax,%eax\n" TF_ON "cpuid\n rdtsc\n" TF_OFF "pop %ebx\n ret\n"
        /* REP STOSB with 16-bit addresses through ES (a TLS segment): CX counts, ECX's upper half stays */
        ".globl ss_rep16\nss_rep16:\n push %edi\n push %es\n mov 12(%esp),%eax\n mov %eax,%es\n xor %edi,%edi\n"
        " mov $0x55660003,%ecx\n mov $0x7a,%al\n" TF_ON "addr16 rep stosb\n" TF_OFF "pop %es\n pop %edi\n ret\n"
        /* fork through INT 0x80 with TF: the child returns with TF set too */
        ".globl ss_fork\nss_fork:\n mov $2,%eax\n" TF_ON "int $0x80\n nop\n" TF_OFF "ret\n"
        /* 16-bit POPF setting and clearing TF */
        ".globl ss_popf16\nss_popf16:\n pushfw\n orw $0x100,(%esp)\n popfw\n nop\n pushfw\n andw $~0x100,(%esp)\n popfw\n ret\n"
        ".globl ss_end\nss_end:\n");

struct ev { int sig, code, trapno, err, tf, htf, at; uint32_t eip, addr, ecx; };
static struct ev evs[400];
static volatile int nev, stop_after;

static uint32_t rel(uint32_t a)
{
    return a >= (uint32_t)ss_base && a < (uint32_t)ss_end ? a - (uint32_t)ss_base : 0xeeeeeeee;
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uint32_t efl;
    __asm__ volatile("pushf; pop %0" : "=r"(efl));
    greg_t *g = uc->uc_mcontext.gregs;
    int trapno = g[REG_TRAPNO];
    if (nev < 400) {
        struct ev *e = &evs[nev++];
        e->sig = sig;
        e->code = si->si_code;
        e->trapno = sig == SIGUSR1 || sig == SIGUSR2 ? -1 : trapno;
        e->err = sig == SIGUSR1 || sig == SIGUSR2 ? -1 : g[REG_ERR];
        e->tf = !!(g[REG_EFL] & TF);
        e->htf = !!(efl & TF);
        e->eip = g[REG_EIP];
        e->addr = (uint32_t)si->si_addr;
        e->ecx = g[REG_ECX];
        e->at = 0;
    }
    /* faults: go on after the instruction (UD2 2 bytes, MOV (%ecx) 2, DIV 2) */
    if (sig == SIGILL || (sig == SIGSEGV && trapno == 14) || (sig == SIGFPE && trapno == 0)) g[REG_EIP] += 2;
    /* ICEBP reported at itself (a hypervisor re-injecting it as a fault): go on after it */
    if (sig == SIGTRAP && *(uint8_t *)g[REG_EIP] == 0xf1) {
        g[REG_EIP]++;
        if (nev <= 400) evs[nev - 1].at = 1;
    }
    if (sig == SIGUSR2) g[REG_EFL] |= TF;   /* sigreturn sets TF */
    if ((stop_after && nev >= stop_after) || nev >= 300) g[REG_EFL] &= ~TF;
}

static void show(const char *name)
{
    int shown = 0;
    for (int k = 0; k < nev; k++) shown += rel(evs[k].eip) != 0xeeeeeeee || evs[k].sig != SIGTRAP;
    printf("%s: %d\n", name, shown);
    for (int k = 0; k < nev; k++) {
        struct ev *e = &evs[k];
        if (rel(e->eip) == 0xeeeeeeee && e->sig == SIGTRAP) continue;   /* in the vDSO: its code is the kernel's */
        uint32_t addr = e->sig == SIGTRAP || e->sig == SIGFPE || e->sig == SIGILL ? rel(e->addr) : e->addr;
        if (e->sig == SIGUSR1 || e->sig == SIGUSR2) addr = 0;
        printf("  sig %2d code %3d trapno %2d err %d tf %d htf %d eip %#x%s addr %#x ecx %#x\n", e->sig, e->code,
               e->trapno, e->err, e->tf, e->htf, rel(e->eip), e->at ? " (at it)" : "", addr,
               e->ecx < 0x10000 || e->ecx >> 16 == 0x5566 ? e->ecx : 0xeeee);
    }
    nev = 0;
    stop_after = 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    int sigs[] = {SIGTRAP, SIGSEGV, SIGILL, SIGFPE, SIGUSR1, SIGUSR2, SIGBUS};
    for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);

    ss_basic();
    show("popf");
    ss_loop(3, 1);
    show("loop");
    for (int k = 0; k < 20000; k++) ss_loop(2, 0);
    show("loop untrapped");
    ss_loop(4, 1);
    show("loop after warm-up");
    static char dst[16], src[16] = "abcdef";
    ss_rep(dst, src);
    show("rep");
    static char sbuf[16];
    ss_stos(sbuf);
    show("rep stos");
    printf("  %s %.2s\n", dst, sbuf + 3);
    ss_int80();
    show("int80");
    ss_vdso();
    show("vdso");
    ss_kill(getpid(), SIGUSR1);
    show("kill self");
    ss_kill0(getpid(), SIGUSR2);
    show("handler sets TF");
    ss_movss();
    show("mov ss");
    ss_popss();
    show("pop ss");
    ss_movss_int80();
    show("mov ss; int80");
    ss_int3();
    show("int3");
    ss_into();
    show("into");
    ss_icebp();
    show("icebp");
    ss_ud2();
    show("ud2");
    ss_segv();
    show("segv");
    ss_div0();
    show("div0");
    ss_popf_fault();
    show("popf; fault");
    stop_after = 3;
    ss_many();
    show("handler clears TF");
    ss_iret();
    show("iret");
    ss_jmp();
    show("jmp call ret");
    ss_cpuid();
    show("cpuid rdtsc");
    ss_popf16();
    show("popfw");
    fflush(stdout);
    if (ss_fork() == 0) {
        show("fork child");
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    show("fork parent");
    static char low[16];
    struct user_desc d = { .entry_number = -1, .base_addr = (uint32_t)low, .limit = 0xfffff, .seg_32bit = 1,
                           .limit_in_pages = 1, .useable = 1 };
    if (syscall(SYS_set_thread_area, &d) == 0) {
        ss_rep16(d.entry_number * 8 + 3);
        show("rep stosb addr16");
        printf("  %.4s\n", low);
    }
    return 0;
}
