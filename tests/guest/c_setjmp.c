/* ue-test: variants=all */
/* setjmp/longjmp and sigsetjmp/siglongjmp: values (0 becomes 1), jumping out
 * of deep recursion, locals declared volatile keep their values, the signal
 * mask restored by siglongjmp(savemask=1) and not by savemask=0, a longjmp
 * out of a signal handler. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf jb;
static sigjmp_buf sjb;
static int depth_reached;

static void dive(int d)
{
    char pad[64];
    memset(pad, d, sizeof pad);
    depth_reached = d;
    if (d == 500)
        longjmp(jb, d + pad[3]);
    dive(d + 1);
}

static void on_usr1(int s) { siglongjmp(sjb, 7); }

int main(void)
{
    volatile int counter = 0;
    int r = setjmp(jb);
    counter++;
    printf("setjmp returned %d, counter %d\n", r, counter);
    if (counter < 4)
        longjmp(jb, counter == 2 ? 0 : counter * 10);
    r = setjmp(jb);
    if (r == 0)
        dive(0);
    printf("out of recursion: r=%d depth=%d\n", r, depth_reached);

    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    r = sigsetjmp(sjb, 1);
    if (r == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        siglongjmp(sjb, 3);
    }
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("sigsetjmp(1): r=%d SIGUSR2 blocked after jump: %d\n", r, sigismember(&cur, SIGUSR2));
    r = sigsetjmp(sjb, 0);
    if (r == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        siglongjmp(sjb, 4);
    }
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("sigsetjmp(0): r=%d SIGUSR2 blocked after jump: %d\n", r, sigismember(&cur, SIGUSR2));
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    signal(SIGUSR1, on_usr1);
    r = sigsetjmp(sjb, 1);
    if (r == 0) {
        raise(SIGUSR1);
        printf("not reached\n");
    }
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("jumped out of handler: r=%d SIGUSR1 still blocked: %d\n", r, sigismember(&cur, SIGUSR1));
    return 0;
}
