/* ue-test: variants=s2 d0 p2 */
/* Signal delivery: raise/kill with SA_SIGINFO (si_code SI_TKILL/SI_USER,
 * si_pid), blocking with sigprocmask then sigpending and delivery on unblock,
 * sigsuspend, SA_RESETHAND, SA_NODEFER vs the default mask during a handler,
 * sigaltstack (the handler runs on the alternate stack), registers in the
 * ucontext at an int 0x80 kill and changed registers restored by sigreturn,
 * signal() (old-style handler), SIGCHLD from a child, ignored signals. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int count, depth, maxdepth, last_code, pid_ok;
static volatile uintptr_t handler_sp;
static volatile uint32_t saw_esi, saw_edi, saw_ebp_nonzero;
static volatile int blocked_inside;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    count++;
    last_code = si->si_code;
    pid_ok = si->si_pid == getpid();
    int x;
    handler_sp = (uintptr_t)&x;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    blocked_inside = sigismember(&cur, sig);
}

static void on_regs(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    saw_esi = uc->uc_mcontext.gregs[REG_ESI];
    saw_edi = uc->uc_mcontext.gregs[REG_EDI];
    uc->uc_mcontext.gregs[REG_ESI] = 0x5151;   /* comes back through sigreturn */
}

static volatile int raises;

/* Raises itself twice more; with the signal blocked in the handler the
 * raises run one after the other (depth 1), with SA_NODEFER nested (depth 3). */
static void on_nested(int sig)
{
    depth++;
    if (depth > maxdepth)
        maxdepth = depth;
    if (raises < 2) {
        raises++;
        raise(sig);
    }
    depth--;
}

static void on_plain(int sig) { count += 100; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    raise(SIGUSR1);
    printf("raise: count=%d si_code=%d pid_ok=%d blocked inside=%d\n", count, last_code, pid_ok, blocked_inside);
    kill(getpid(), SIGUSR1);
    printf("kill: count=%d si_code=%d pid_ok=%d\n", count, last_code, pid_ok);

    /* blocked: pending, delivered at unblock */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);   /* standard signals do not queue */
    sigset_t pend;
    sigpending(&pend);
    printf("blocked: count=%d pending=%d\n", count, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: count=%d\n", count);

    /* sigsuspend: block, send, wait with an empty mask */
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    sigset_t empty;
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    printf("sigsuspend returned %d errno EINTR: %d count=%d\n", r, errno == EINTR, count);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* SA_RESETHAND: the second raise meets the default action (SIGWINCH: ignore). */
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGWINCH, &sa, NULL);
    raise(SIGWINCH);
    raise(SIGWINCH);
    struct sigaction now;
    sigaction(SIGWINCH, NULL, &now);
    printf("resethand: count=%d handler reset: %d\n", count, now.sa_handler == SIG_DFL);

    /* nesting: without SA_NODEFER the raise inside waits until return */
    struct sigaction sn;
    memset(&sn, 0, sizeof sn);
    sn.sa_handler = on_nested;
    sigaction(SIGUSR2, &sn, NULL);
    raise(SIGUSR2);
    printf("default mask: maxdepth=%d\n", maxdepth);
    printf("handler ran %d extra times\n", raises);
    maxdepth = depth = raises = 0;
    sn.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sn, NULL);
    raise(SIGUSR2);
    printf("SA_NODEFER: maxdepth=%d\n", maxdepth);

    /* sigaltstack */
    static char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("altstack: handler on it: %d\n", handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + sizeof alt);
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("altstack after: size=%u flags=%d\n", (unsigned)cur.ss_size, cur.ss_flags);

    /* registers at the signal and after sigreturn */
    struct sigaction sr;
    memset(&sr, 0, sizeof sr);
    sr.sa_sigaction = on_regs;
    sr.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sr, NULL);
    uint32_t esi_after, edi_after;
    pid_t me = getpid();
    asm volatile("push %%ebx\n\tmov %[pid], %%ebx\n\tmov $12, %%ecx\n\t"
                 "mov $0x12345678, %%esi\n\tmov $0x9abcdef0, %%edi\n\t"
                 "mov $37, %%eax\n\tint $0x80\n\tpop %%ebx"
                 : "=S"(esi_after), "=D"(edi_after) : [pid] "r"(me) : "eax", "ecx", "edx", "memory");
    printf("ucontext esi=%08x edi=%08x; after sigreturn esi=%08x edi=%08x\n", saw_esi, saw_edi, esi_after, edi_after);

    /* old-style signal() */
    signal(SIGUSR1, on_plain);
    raise(SIGUSR1);
    printf("signal(): count=%d\n", count);

    /* ignored */
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: still alive, count=%d\n", count);

    /* SIGCHLD with si_status */
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_info;
    sigaction(SIGCHLD, &sa, NULL);
    int before = count;
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    int st;
    while (waitpid(c, &st, 0) < 0 && errno == EINTR)
        ;
    printf("child exit %d, SIGCHLD seen: %d code=%d\n", WEXITSTATUS(st), count > before, last_code);
    return 0;
}
