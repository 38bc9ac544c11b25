/* ue-test: variants=s2 d0 */
/* EFLAGS.RF in signal frames: the CPU sets it in the image it pushes for a
 * fault (#UD, #GP here), not for a trap (#BP) or a signal delivered on a
 * system call's return; a handler that returns with RF set (or the fault's
 * frame with it) does not make it show in later frames, nor in PUSHF. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    printf("  sig %d efl %#x\n", sig, uc->uc_mcontext.gregs[REG_EFL] & 0x77f00);
    if (sig == SIGILL) uc->uc_mcontext.gregs[REG_EIP] += 2;                 /* ud2 */
    if (sig == SIGSEGV && uc->uc_mcontext.gregs[REG_TRAPNO] == 13) uc->uc_mcontext.gregs[REG_EIP] += 1;   /* hlt */
    if (sig == SIGUSR2) uc->uc_mcontext.gregs[REG_EFL] |= 0x10000;          /* returns with RF */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    int sigs[] = {SIGILL, SIGTRAP, SIGSEGV, SIGUSR1, SIGUSR2};
    for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);
    int pid = getpid(), nr;
    printf("ud2; int3\n");
    __asm__ volatile("ud2; int3");
    printf("ud2; nop; int3\n");
    __asm__ volatile("ud2; nop; int3");
    printf("ud2; hlt\n");
    __asm__ volatile("ud2; hlt");
    /* kill(pid, sig) through INT 0x80 inside the code given */
#define KILL_IN(name, code, sig) do { \
        printf(name "\n"); \
        nr = 37; \
        __asm__ volatile(code : "+a"(nr) : "b"(pid), "c"(sig) : "memory"); \
    } while (0)
    KILL_IN("ud2; kill", "ud2; int $0x80", SIGUSR1);
    KILL_IN("kill", "int $0x80", SIGUSR1);
    KILL_IN("handler sets RF; int3", "int $0x80; int3", SIGUSR2);
    KILL_IN("handler sets RF; nop; int3", "int $0x80; nop; int3", SIGUSR2);
    KILL_IN("handler sets RF; hlt", "int $0x80; hlt", SIGUSR2);
    uint32_t f;
    nr = 37;
    __asm__ volatile("int $0x80; pushf; pop %0" : "=r"(f), "+a"(nr) : "b"(pid), "c"(SIGUSR2) : "memory");
    printf("pushf after a handler set RF: %#x\n", f & 0x70000);
    return 0;
}
