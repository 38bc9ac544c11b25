/* Signal state: the guest's dispositions, blocked mask and alternate stack.
 * Delivery comes later; until then only SIG_IGN/SIG_DFL are mirrored to the
 * host, where the default action matters (a write to a closed pipe must fail
 * with EPIPE when the guest ignores SIGPIPE, SIG_IGN on SIGCHLD reaps). */
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

#define NSIG_GUEST 64
#define SIGBIT(s) (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define I386_SIG_DFL 0u
#define I386_SIG_IGN 1u
#define I386_MINSIGSTKSZ 2048
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)  /* linux/signal.h */
#endif

static struct guest_sigaction actions[NSIG_GUEST + 1];
static __thread uint64_t blocked;
static __thread struct i386_stack altstack = { 0, SS_DISABLE, 0 };

const struct guest_sigaction *signal_action(int sig)
{
    return sig >= 1 && sig <= NSIG_GUEST ? &actions[sig] : NULL;
}

uint64_t signal_blocked(void) { return blocked; }

/* Signals ue handles itself (faults raised by guest instructions): the
 * guest's choice must not reach the host. */
static bool host_owned(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
           sig == SIGKILL || sig == SIGSTOP;
}

static void host_mirror(int sig, const struct guest_sigaction *a)
{
    if (host_owned(sig)) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    /* a guest handler cannot run yet: the host keeps the default action */
    sa.sa_handler = a->handler == I386_SIG_IGN ? SIG_IGN : SIG_DFL;
    if (sig == SIGCHLD) sa.sa_flags = (int)(a->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT));
    sigaction(sig, &sa, NULL);
}

void signal_init(void)
{
    sigset_t cur;
    for (int s = 1; s <= NSIG_GUEST; s++) {
        struct sigaction sa;
        memset(&actions[s], 0, sizeof actions[s]);
        if (!sigaction(s, NULL, &sa) && sa.sa_handler == SIG_IGN && !host_owned(s))
            actions[s].handler = I386_SIG_IGN;   /* ignored signals survive exec */
    }
    if (!sigprocmask(SIG_SETMASK, NULL, &cur)) {
        blocked = 0;
        for (int s = 1; s <= NSIG_GUEST; s++)
            if (sigismember(&cur, s) == 1) blocked |= SIGBIT(s);
    }
}

/* Install act (may be NULL) and return the old one in *old. */
static int set_action(int sig, const struct guest_sigaction *act, struct guest_sigaction *old)
{
    if (sig < 1 || sig > NSIG_GUEST) return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP)) return -EINVAL;
    if (old) *old = actions[sig];
    if (act) {
        actions[sig] = *act;
        actions[sig].mask &= ~UNBLOCKABLE;
        host_mirror(sig, &actions[sig]);
    }
    return 0;
}

SYS(rt_sigaction)
{
    struct i386_sigaction g;
    struct guest_sigaction act, old;
    if (a4 != 8) return -EINVAL;
    if (a2) {
        if (copy_from_guest(&g, a2, sizeof g)) return -EFAULT;
        act = (struct guest_sigaction){ g.handler, g.flags, g.restorer,
                                        (uint64_t)g.mask[1] << 32 | g.mask[0] };
    }
    int e = set_action((int)a1, a2 ? &act : NULL, &old);
    if (e) return e;
    if (a3) {
        g = (struct i386_sigaction){ old.handler, old.flags, old.restorer,
                                     { (uint32_t)old.mask, (uint32_t)(old.mask >> 32) } };
        if (copy_to_guest(a3, &g, sizeof g)) return -EFAULT;
    }
    return 0;
}

/* old sigaction(67): handler, 32-bit mask, flags, restorer */
SYS(sigaction)
{
    struct i386_old_sigaction g;
    struct guest_sigaction act, old;
    if (a2) {
        if (copy_from_guest(&g, a2, sizeof g)) return -EFAULT;
        act = (struct guest_sigaction){ g.handler, g.flags, g.restorer, g.mask };
    }
    int e = set_action((int)a1, a2 ? &act : NULL, &old);
    if (e) return e;
    if (a3) {
        g = (struct i386_old_sigaction){ old.handler, (uint32_t)old.mask, old.flags, old.restorer };
        if (copy_to_guest(a3, &g, sizeof g)) return -EFAULT;
    }
    return 0;
}

/* signal(48): System V semantics, one-shot and not masked while running */
SYS(signal)
{
    struct guest_sigaction act = { a2, SA_RESETHAND | SA_NODEFER, 0, 0 }, old;
    int e = set_action((int)a1, &act, &old);
    return e ? e : (long)old.handler;
}

static int change_mask(int how, uint64_t set, uint64_t *oldp)
{
    uint64_t old = blocked;
    switch (how) {
    case SIG_BLOCK: blocked |= set; break;
    case SIG_UNBLOCK: blocked &= ~set; break;
    case SIG_SETMASK: blocked = set; break;
    default: return -EINVAL;
    }
    blocked &= ~UNBLOCKABLE;
    if (oldp) *oldp = old;
    return 0;
}

SYS(rt_sigprocmask)
{
    uint64_t set = 0, old = blocked;
    if (a4 != 8) return -EINVAL;
    if (a2) {
        if (copy_from_guest(&set, a2, 8)) return -EFAULT;
        int e = change_mask((int)a1, set, &old);
        if (e) return e;
    }
    if (a3 && copy_to_guest(a3, &old, 8)) return -EFAULT;
    return 0;
}

/* old sigprocmask(126): 32-bit sets acting on the low word only */
SYS(sigprocmask)
{
    uint32_t old = (uint32_t)blocked;
    if (a2) {
        uint32_t set;
        if (get_u32(a2, &set)) return -EFAULT;
        uint64_t full = set;
        if ((int)a1 == SIG_SETMASK) full |= blocked & 0xffffffff00000000ull;
        int e = change_mask((int)a1, full, NULL);
        if (e) return e;
    }
    if (a3 && put_u32(a3, old)) return -EFAULT;
    return 0;
}

SYS(sgetmask) { return (uint32_t)blocked; }

SYS(ssetmask)
{
    uint32_t old = (uint32_t)blocked;
    blocked = ((blocked & 0xffffffff00000000ull) | a1) & ~UNBLOCKABLE;
    return old;
}

/* what the host holds pending (nothing is held back for the guest yet) */
static uint64_t pending_now(void)
{
    sigset_t p;
    uint64_t r = 0;
    if (sigpending(&p)) return 0;
    for (int s = 1; s <= NSIG_GUEST; s++)
        if (sigismember(&p, s) == 1) r |= SIGBIT(s);
    return r;
}

SYS(rt_sigpending)
{
    if (a2 > 8) return -EINVAL;
    uint64_t p = pending_now();
    return copy_to_guest(a1, &p, a2) ? -EFAULT : 0;
}

SYS(sigpending)
{
    return put_u32(a1, (uint32_t)pending_now()) ? -EFAULT : 0;
}

SYS(sigaltstack)
{
    struct i386_stack old = altstack;
    if (a1) {
        struct i386_stack ss;
        if (copy_from_guest(&ss, a1, sizeof ss)) return -EFAULT;
        int mode = ss.ss_flags & ~SS_AUTODISARM;
        if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) return -EINVAL;
        if (mode == SS_DISABLE) {
            ss.ss_sp = 0;
            ss.ss_size = 0;
        } else if (ss.ss_size < I386_MINSIGSTKSZ) {
            return -ENOMEM;
        }
        ss.ss_flags = mode == SS_DISABLE ? SS_DISABLE : (ss.ss_flags & SS_AUTODISARM);
        altstack = ss;
    }
    if (a2 && copy_to_guest(a2, &old, sizeof old)) return -EFAULT;
    return 0;
}

const struct i386_stack *signal_altstack(void) { return &altstack; }

SYS(pause) { return host_ret(pause()); }

/* the mask is the same 8 bytes on both ABIs; the signals must be blocked
 * on the host to reach the descriptor, which waits for signal delivery */
static long do_signalfd(uint32_t fd, guest_addr mask, uint32_t size, int flags)
{
    if (size != 8) return -EINVAL;
    uint64_t m;
    if (copy_from_guest(&m, mask, 8)) return -EFAULT;
    return host_ret(syscall(SYS_signalfd4, (int)fd, &m, 8, flags));
}

SYS(signalfd) { return do_signalfd(a1, a2, a3, 0); }
SYS(signalfd4) { return do_signalfd(a1, a2, a3, (int)a4); }

/* Pending-signal delivery between blocks: nothing queues signals yet. */
void os_attention(struct cpu *c) { c->attention = 0; }
