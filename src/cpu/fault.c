/* Host faults raised by guest instructions, and synchronous guest signals.
 * A host SIGSEGV/SIGBUS inside the guest window is the guest's: either a
 * write to a page ue protected for self-modifying code detection, or a real
 * guest fault with si_addr translated to the guest address. Anything else is
 * a bug in ue and is reported as such. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "cpu.h"
#include "../mem/mem.h"
#include "x87.h"

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

/* Until guest signal handlers are delivered, a synchronous signal ends the
 * guest the way the kernel's default action would: killed by that signal. */
void cpu_raise(struct cpu *c, int sig, int code, guest_addr fault_addr)
{
    if (c->cur) c->eip = c->cur->eip;
    if (getenv("UE_VERBOSE"))
        fprintf(stderr, "ue: guest %s (code %d) at EIP 0x%08x, address 0x%08x\n",
                signal_name(sig), code, c->eip, fault_addr);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);   /* a core of ue's 4 GiB window helps nobody */
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

static void write_str(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static void host_fault(int sig, siginfo_t *si, void *ucv)
{
    struct cpu *c = cur_cpu;
    ucontext_t *uc = ucv;
    uintptr_t ha = (uintptr_t)si->si_addr, base = (uintptr_t)guest_base;
    if (c && c->in_loop && (sig == SIGSEGV || sig == SIGBUS) && ha >= base && ha - base < WINDOW_SIZE) {
        guest_addr ga = (guest_addr)(ha - base);
        x87_fault_save(c, ucv);   /* the host FPU held the guest's x87 state; the kernel reset it for us */
#ifdef __x86_64__
        bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;
#else
        bool write = true;
#endif
        if (sig == SIGSEGV && write && code_write_fault(ga)) {
            c->eip = c->cur->eip;
            c->smc_single = true;
            siglongjmp(c->fault_jmp, 1);
        }
        if (sig == SIGBUS) cpu_raise(c, SIGBUS, BUS_ADRERR, ga);
        const struct region *r = mem_next_region(ga);
        bool mapped = r && r->start <= ga;
        cpu_raise(c, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, ga);
    }
    char msg[160];
    snprintf(msg, sizeof msg, "ue: internal error: %s at host address %p", signal_name(sig), si->si_addr);
    write_str(msg);
    if (c && c->cur) {
        snprintf(msg, sizeof msg, " (guest EIP 0x%08x)", c->cur->eip);
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
