/* TRY(name, code...): run code; if it raises SIGILL, SIGSEGV or SIGBUS,
 * print "name: signal N" and go on after it. sig_try_install() installs the
 * handler, which keeps si_addr in try_addr and clears EFLAGS.AC first
 * (printf is not AC-clean). */
#ifndef SIG_TRY_H
#define SIG_TRY_H

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf try_jb;
static volatile void *try_addr;

static void try_on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    __asm__ volatile("pushf; andl $~0x40000, (%%esp); popf" : : : "cc");
    try_addr = si->si_addr;
    siglongjmp(try_jb, sig);
}

static void sig_try_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = try_on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

#define TRY(name, ...)                                                         \
    do {                                                                       \
        int s_ = sigsetjmp(try_jb, 1);                                         \
        if (s_) { printf("%s: signal %d\n", name, s_); break; }                \
        __VA_ARGS__;                                                           \
    } while (0)

#endif
