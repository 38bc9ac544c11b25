/* ue-test: variants=s2 d0 */
/* SA_RESETHAND: after one delivery the kernel resets only the handler to
 * SIG_DFL (get_signal); the flags (SA_SIGINFO among them) and the mask stay
 * and sigaction(sig, NULL, &old) shows them. signal() too. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int got;
static void h_info(int s, siginfo_t *si, void *u) { got = s; }
static void h_plain(int s) { got = s; }

static void show(const char *what, int sig)
{
    struct sigaction o;
    memset(&o, 0xa5, sizeof o);
    int r = sigaction(sig, NULL, &o);
    printf("%s: r=%d handler=%s flags=%#lx mask_has_usr2=%d\n", what, r,
           o.sa_handler == SIG_DFL ? "DFL" : o.sa_handler == SIG_IGN ? "IGN" : "fn",
           (unsigned long)o.sa_flags & ~0x04000000ul, sigismember(&o.sa_mask, SIGUSR2));
}

int main(void)
{
    int flags[] = { SA_RESETHAND | SA_SIGINFO, SA_RESETHAND, SA_RESETHAND | SA_SIGINFO | SA_NODEFER | SA_RESTART,
                    SA_RESETHAND | SA_ONSTACK };
    for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        struct sigaction a;
        memset(&a, 0, sizeof a);
        if (flags[i] & SA_SIGINFO) a.sa_sigaction = h_info; else a.sa_handler = h_plain;
        a.sa_flags = flags[i];
        sigemptyset(&a.sa_mask);
        sigaddset(&a.sa_mask, SIGUSR2);
        sigaction(SIGUSR1, &a, NULL);
        show("before", SIGUSR1);
        got = 0;
        raise(SIGUSR1);
        printf("got=%d\n", got);
        show("after", SIGUSR1);
    }
    signal(SIGWINCH, h_plain);
    show("signal before", SIGWINCH);
    raise(SIGWINCH);
    show("signal after", SIGWINCH);
    sysv_signal(SIGWINCH, h_plain);
    show("sysv before", SIGWINCH);
    raise(SIGWINCH);
    show("sysv after", SIGWINCH);
    return 0;
}
