/* Host faults raised by guest instructions, and synchronous guest signals.
 * A host SIGSEGV/SIGBUS inside the guest window is the guest's: either a
 * write to a page ue protected for self-modifying code detection, or a real
 * guest fault with si_addr translated to the guest address. Anything else is
 * a bug in ue and is reported as such. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "cpu.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "x87.h"
#include "sse.h"
#include "../os/os.h"
#include "../jit/jit.h"

bool code_write_fault(guest_addr a);

#define WINDOW_SIZE ((1ull << 32) + 0x10000)

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    default: return "signal";
    }
}

/* The exception behind a synchronous signal, for sigcontext's trapno/err
 * (arch/x86/kernel/traps.c): page faults 14 with the host's error code,
 * #GP 13 (INT n: the IDT selector error code), #UD 6, #DE 0, #BP 3, #OF 4,
 * #BR 5, x87 #MF 16. */
static __thread uint32_t host_fault_err;
static __thread bool host_fault_err_valid;
static __thread int forced_trapno = -1;
static __thread uint32_t forced_err;

static struct sig_trap trap_of(struct cpu *c, int sig, int code, guest_addr addr)
{
    struct sig_trap t = { 0, 0, addr, false };
    const struct insn *i = c->loop.cur;
    if (sig == SIGSEGV && (code == SEGV_MAPERR || code == SEGV_ACCERR)) {
        t.trapno = 14;
        if (host_fault_err_valid) t.err = host_fault_err | 4 | (i && (i->mem & 3) == MK_RMW ? 2 : 0);
        else t.err = 0x14 | mem_ok(addr, 1, PROT_READ);   /* instruction fetch; present if readable */
    } else if (sig == SIGBUS) {
        t.trapno = 14;
        t.err = (host_fault_err_valid ? host_fault_err | 4 : 4) | (i && (i->mem & 3) == MK_RMW ? 2 : 0);
    } else if (sig == SIGILL) {
        t.trapno = 6;
    } else if (sig == SIGFPE) {
        t.trapno = code == FPE_INTDIV ? 0 : 16;
    } else if (sig == SIGTRAP) {
        t.trapno = 3;
    } else if (sig == SIGSEGV) {
        t.trapno = 13;
        if (i && i->op == 0xcd && (i->imm & 0xff) != 3 && (i->imm & 0xff) != 4) t.err = (i->imm & 0xff) * 8 + 2;
    }
    if (forced_trapno >= 0) { t.trapno = forced_trapno; t.err = forced_err; }
    t.fault = t.trapno != 1 && t.trapno != 3 && t.trapno != 4;
    forced_trapno = -1;
    forced_err = 0;
    host_fault_err_valid = false;
    return t;
}

/* Deliver a synchronous signal to the guest handler and continue the run
 * loop at it; without a handler (or blocked) the process dies by it. */
void cpu_raise(struct cpu *c, int sig, int code, guest_addr fault_addr)
{
    if (c->loop.cur) c->eip = c->loop.cur->eip;
    if (getenv("UE_VERBOSE"))
        fprintf(stderr, "ue: guest %s (code %d) at EIP 0x%08x, address 0x%08x\n",
                signal_name(sig), code, c->eip, fault_addr);
    struct sig_trap t = trap_of(c, sig, code, fault_addr);
    c->loop.cur = NULL;
    os_sync_signal(c, sig, code, fault_addr, &t);
    siglongjmp(c->loop.fault_jmp, 1);
}

void cpu_raise_trap(struct cpu *c, int sig, int code, guest_addr fault_addr, int trapno)
{
    forced_trapno = trapno;
    cpu_raise(c, sig, code, fault_addr);
}

void cpu_raise_err(struct cpu *c, int sig, int code, int trapno, uint32_t err)
{
    forced_trapno = trapno;
    forced_err = err;
    cpu_raise(c, sig, code, 0);
}

static void write_str(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

/* A fault that leaves by siglongjmp: the host FPU and MXCSR held the
 * guest's x87 state and MXCSR flags; the kernel reset them for us. */
static void fpu_fault_save(struct cpu *c, void *ucv)
{
    sse_mxcsr_fault_save(c, ucv);
    x87_fault_save(c, ucv);
}

static void host_fault(int sig, siginfo_t *si, void *ucv)
{
    struct cpu *c = cur_cpu;
    ucontext_t *uc = ucv;
    uint64_t off;
    bool in_window = gm_window_offset(si->si_addr, WINDOW_SIZE, &off);
    if (ua_fault_fixup(sig, si, ucv)) return;   /* a syscall's copy met a bad guest page */
    if (si->si_code <= 0) {   /* sent by kill/tgkill/sigqueue: an ordinary signal for the guest */
        signal_host_record(sig, si, ucv);
        return;
    }
    if (sig == SIGSEGV && c && jit_poll_fault(c, si->si_addr, ucv)) return;   /* translated code's attention poll */
    /* in translated code: the guest's registers and flags are the host's */
    bool jitted = c && c->loop.in_loop && jit_fault_state(c, ucv);
    if (jitted && sig == SIGSEGV && si->si_code == SI_KERNEL) {
        fpu_fault_save(c, ucv);
        cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);   /* #GP: a misaligned m128 of an SSE instruction run natively */
    }
    if (jitted && sig == SIGFPE && (si->si_code == FPE_INTDIV || si->si_code == FPE_INTOVF)) {
        fpu_fault_save(c, ucv);
        cpu_raise(c, SIGFPE, FPE_INTDIV, c->loop.cur->eip);   /* #DE of a DIV/IDIV run natively */
    }
    if (c && c->loop.in_loop && (sig == SIGSEGV || sig == SIGBUS) && in_window) {
        guest_addr ga = (guest_addr)off;
        if (sig == SIGSEGV && mem_grow_stack(ga)) return;   /* a grow-down stack's next page: retry */
        fpu_fault_save(c, ucv);
#ifdef __x86_64__
        bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;
        host_fault_err = (uint32_t)uc->uc_mcontext.gregs[REG_ERR] & 7;
        host_fault_err_valid = true;
#else
        bool write = true;
#endif
        if (sig == SIGSEGV && write && code_write_fault(ga)) {
            c->eip = c->loop.cur->eip;
            c->loop.smc_single = true;
            host_fault_err_valid = false;   /* not the guest's fault: a later one must not show its error code */
            siglongjmp(c->loop.fault_jmp, 1);
        }
        if (off >= 0xfffff000u) {   /* the unmappable top page or the guard: maybe past the segment limit */
            int seg = seg_limit_fault(c, c->loop.cur, off);
            if (seg == SEG_SS) cpu_raise_err(c, SIGBUS, SI_KERNEL, 12, 0);    /* #SS */
            if (seg >= 0) cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);        /* #GP */
        }
        if (sig == SIGBUS) cpu_raise(c, SIGBUS, BUS_ADRERR, ga);
        const struct region *r = mem_next_region(ga);
        bool mapped = r && r->start <= ga;
        /* in a guest mapping the host's answer stands: MAPERR there is a
         * guard page (MADV_GUARD_INSTALL) or a page the host has not got */
        cpu_raise(c, SIGSEGV, mapped && si->si_code != SEGV_MAPERR ? SEGV_ACCERR : SEGV_MAPERR, ga);
    }
#ifdef __x86_64__
    /* an SSE instruction run on the host with the guest's MXCSR, which
     * unmasks the exception it raised (#XM): the guest's SIGFPE */
    if (c && c->loop.in_loop && c->loop.cur && sig == SIGFPE && si->si_code >= FPE_FLTDIV && si->si_code <= FPE_FLTSUB
        && uc->uc_mcontext.fpregs) {
        c->mxcsr = uc->uc_mcontext.fpregs->mxcsr & x87_mxcsr_mask();
        fpu_fault_save(c, ucv);
        cpu_raise_trap(c, SIGFPE, si->si_code, c->loop.cur->eip, 19);   /* #XM */
    }
#endif
    char msg[160];
    snprintf(msg, sizeof msg, "ue: internal error: %s at host address %p", signal_name(sig), si->si_addr);
    write_str(msg);
    if (c && c->loop.cur) {
        snprintf(msg, sizeof msg, " (guest EIP 0x%08x)", c->loop.cur->eip);
        write_str(msg);
    }
    write_str("\n");
    signal(sig, SIG_DFL);   /* returning re-runs the fault and ends ue */
}

void fault_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = host_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}
