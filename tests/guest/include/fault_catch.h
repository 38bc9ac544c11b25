/* Catching the faults a test provokes: a handler that records the signal,
 * si_code, si_addr, the trap number, error code and cr2, the registers and the
 * x87 control/status/tag words of the frame into globals and siglongjmps
 * back to jb, and fault_catch() to install it.  A test runs its case under
 * "g_sig = 0; if (!sigsetjmp(jb, 1)) ..." and prints the globals. */
#ifndef FAULT_CATCH_H
#define FAULT_CATCH_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf jb;
static volatile int g_sig, g_code, g_trapno, g_err;
static volatile uint32_t g_addr, g_eip, g_esp, g_ebp, g_esi, g_edi, g_ecx, g_efl, g_cr2;
static volatile uint32_t g_cw, g_sw, g_tw;   /* from the frame's FPU state, when it has one */

/* Records what the signal shows into the globals above. */
static void fault_record(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    g_sig = sig;
    g_code = si->si_code;
    g_addr = (uint32_t)si->si_addr;
    g_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    g_err = uc->uc_mcontext.gregs[REG_ERR];
    g_eip = uc->uc_mcontext.gregs[REG_EIP];
    g_esp = uc->uc_mcontext.gregs[REG_ESP];
    g_ebp = uc->uc_mcontext.gregs[REG_EBP];
    g_esi = uc->uc_mcontext.gregs[REG_ESI];
    g_edi = uc->uc_mcontext.gregs[REG_EDI];
    g_ecx = uc->uc_mcontext.gregs[REG_ECX];
    g_efl = uc->uc_mcontext.gregs[REG_EFL];
    g_cr2 = uc->uc_mcontext.cr2;
    if (uc->uc_mcontext.fpregs) {
        g_cw = uc->uc_mcontext.fpregs->cw & 0xffff;
        g_sw = uc->uc_mcontext.fpregs->sw & 0xffff;
        g_tw = uc->uc_mcontext.fpregs->tag & 0xffff;
    }
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
    fault_record(sig, si, ucv);
    siglongjmp(jb, 1);
}

#define FAULT_ALTSTACK 1   /* run the handler on a 64 KiB alternate stack */

/* Installs h (SA_SIGINFO | SA_NODEFER, SA_ONSTACK with FAULT_ALTSTACK) for
 * the signals listed, the list ending in 0. */
static void fault_catch(void (*h)(int, siginfo_t *, void *), int flags, ...)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    if (flags & FAULT_ALTSTACK) {
        sa.sa_flags |= SA_ONSTACK;
        stack_t st = { .ss_sp = malloc(65536), .ss_size = 65536 };
        sigaltstack(&st, NULL);
    }
    va_list ap;
    va_start(ap, flags);
    for (int sig; (sig = va_arg(ap, int)) != 0;)
        sigaction(sig, &sa, NULL);
    va_end(ap);
}

#endif
