/* Signals: the guest's dispositions, blocked mask and alternate stack, and
 * delivery. The host mask mirrors the guest's (so the host kernel keeps
 * blocked signals pending, coalesces and queues them, and signalfd,
 * sigtimedwait and sigsuspend work on it); host handlers for the signals the
 * guest catches (or whose default kills) only record the siginfo in a
 * per-thread slot, block that signal until it is delivered, and raise the
 * attention flag; os_attention builds the guest frame between blocks.
 * SIGSEGV/SIGBUS/SIGILL/SIGFPE stay with fault.c (never blocked on the host);
 * sent ones (si_code <= 0) come here through signal_host_record(). */
#include <pthread.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "../check/check.h"
#include "put_user.h"
#include "sig.h"

#define NSIG_GUEST 64
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define FAULT_SIGS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGFPE))
/* the kernel's next_signal() takes these first */
#define SYNC_SIGS (FAULT_SIGS | SIGBIT(SIGTRAP) | SIGBIT(SIGSYS))
#define I386_SIG_DFL 0u
#define I386_SIG_IGN 1u
#define I386_MINSIGSTKSZ 2048
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)  /* linux/signal.h */
#endif

/* Shared by all threads; changed and taken for a delivery under
 * actions_lock, as the kernel does under sighand->siglock (a handler
 * swapped during a delivery must not be seen half old, half new). */
static struct guest_sigaction actions[NSIG_GUEST + 1];
static pthread_mutex_t actions_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread uint64_t blocked;
static __thread struct i386_stack altstack;    /* raw, as the kernel's sas_ss_* */
/* sigsuspend's mask to put back once its signal is handled */
static __thread uint64_t saved_mask;
static __thread bool saved_valid;
static __thread struct sig_trap last_trap;

/* Signals recorded by the host handler and not yet delivered: one slot per
 * signal (the host keeps it blocked meanwhile, so further ones wait in the
 * host kernel). Written by the handler, read with host signals blocked. */
static __thread volatile uint64_t slots;
static __thread siginfo_t slot_info[NSIG_GUEST + 1];

const struct guest_sigaction *signal_action(int sig)
{
    return sig >= 1 && sig <= NSIG_GUEST ? &actions[sig] : NULL;
}

uint64_t signal_blocked(void) { return blocked; }
struct i386_stack *signal_altstack_state(void) { return &altstack; }

/* ---- default actions (man 7 signal) ---- */

static bool default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}
static bool default_stops(int sig)
{
    return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}
static bool host_owned(int sig)
{
    return SIGBIT(sig) & (FAULT_SIGS | UNBLOCKABLE);
}

/* ---- raw host signal calls ----
 * glibc keeps signals 32 and 33 for itself: its sigaction refuses them and
 * its sigaddset and sigprocmask drop them. ue's own code never uses them
 * (no pthread_cancel, set*id go straight to the kernel), so the guest's
 * 32 and 33 (its own glibc's cancellation and set*id signals, SIGRTMIN for
 * timers) are handled like any other, through the kernel interface. */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
#define K_SA_RESTORER 0x04000000
void ue_host_sigreturn(void);
__asm__(".text\n"
        ".globl ue_host_sigreturn\n"
        ".type ue_host_sigreturn,@function\n"
        "ue_host_sigreturn:\n"
        "  mov $15, %eax\n"          /* rt_sigreturn */
        "  syscall\n"
        ".size ue_host_sigreturn, .-ue_host_sigreturn\n");

static uint64_t host_bits(const sigset_t *set) { return set->__val[0]; }
static void host_set_bits(sigset_t *set, uint64_t bits)
{
    memset(set, 0, sizeof *set);
    set->__val[0] = bits;
}
static void raw_sigmask(int how, uint64_t bits, uint64_t *old)
{
    syscall(SYS_rt_sigprocmask, how, &bits, old, 8);
}
/* sigaction(2) for any signal: handler may be SIG_DFL/SIG_IGN or a SA_SIGINFO function */
static int raw_sigaction(int sig, void *handler, unsigned long flags, uint64_t mask, void **old_handler)
{
    struct kernel_sigaction ka = { handler, flags | K_SA_RESTORER, ue_host_sigreturn, mask }, ko;
    long r = syscall(SYS_rt_sigaction, sig, handler == (void *)-2 ? NULL : &ka, &ko, 8);
    if (old_handler) *old_handler = r ? NULL : ko.handler;
    return (int)r;
}

/* ---- the host side ---- */

static void host_signal(int sig, siginfo_t *si, void *ucv);

/* Every host signal but the faults: a copy to guest memory in a critical
 * section (a signal frame on a file mapping past its end) must still reach
 * the user-access fixups, or the kernel would kill ue with the fault. A
 * fault signal sent by kill meanwhile is recorded like any other. */
static void host_block_all(void) { raw_sigmask(SIG_BLOCK, ~FAULT_SIGS, NULL); }

/* guest mask bits are the kernel's (SIGBIT(s) is bit s - 1) */
static void host_set_of(uint64_t m, sigset_t *set) { host_set_bits(set, m & ~(FAULT_SIGS | UNBLOCKABLE)); }

/* The host mask the thread runs with: the guest's, plus the recorded
 * signals. Also what the run loop's siglongjmp restores. */
static void host_mask_apply(void)
{
    sigset_t set;
    host_set_of(blocked | slots, &set);
    if (cur_cpu) cur_cpu->loop.fault_jmp[0].__saved_mask = set;
    raw_sigmask(SIG_SETMASK, host_bits(&set), NULL);
}

static void host_mirror(int sig, const struct guest_sigaction *a)
{
    if (host_owned(sig)) return;
    void *handler;
    unsigned long flags = 0;
    uint64_t mask = 0;
    if (a->handler == I386_SIG_IGN) {
        handler = (void *)SIG_IGN;
    } else if (a->handler == I386_SIG_DFL && default_ignores(sig)) {
        handler = (void *)SIG_DFL;
    } else {
        /* no SA_RESTART: a blocking host call must come back to decide */
        handler = (void *)host_signal;
        flags = SA_SIGINFO;
        mask = ~0ull & ~((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)) | (1ull << (SIGILL - 1)) | (1ull << (SIGFPE - 1)));
    }
    if (sig == SIGCHLD) flags |= a->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
    raw_sigaction(sig, handler, flags, mask, NULL);
}

/* The safe-syscall window (see safe_syscall below). */
extern char safe_syscall_start[], safe_syscall_end[], safe_syscall_restart[];

void signal_host_record(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    if (sig < 1 || sig > NSIG_GUEST) return;
    slot_info[sig] = *si;
    __atomic_or_fetch(&slots, SIGBIT(sig), __ATOMIC_RELAXED);
    if (!(SIGBIT(sig) & FAULT_SIGS)) uc->uc_sigmask.__val[0] |= 1ull << (sig - 1);
    if (cur_cpu) cpu_attention(cur_cpu);
    uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (ip >= (uintptr_t)safe_syscall_start && ip < (uintptr_t)safe_syscall_end)
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)safe_syscall_restart;
}

static void host_signal(int sig, siginfo_t *si, void *ucv) { signal_host_record(sig, si, ucv); }

/* ---- safe syscalls: the attention check and the syscall instruction are
 * one window; a signal landing in it moves the host RIP to the restart exit,
 * so a signal cannot slip in between checking and blocking ---- */
long safe_syscall_raw(volatile int *flag, long nr, long a1, long a2, long a3, long a4, long a5, long a6);
__asm__(".text\n"
        ".globl safe_syscall_raw\n"
        ".type safe_syscall_raw,@function\n"
        "safe_syscall_raw:\n"
        "  mov %rsi, %rax\n"
        "  mov %rdi, %r11\n"
        "  mov %rdx, %rdi\n"
        "  mov %rcx, %rsi\n"
        "  mov %r8, %rdx\n"
        "  mov %r9, %r10\n"
        "  mov 8(%rsp), %r8\n"
        "  mov 16(%rsp), %r9\n"
        ".globl safe_syscall_start\n"
        "safe_syscall_start:\n"
        "  cmpl $0, (%r11)\n"
        "  jne safe_syscall_restart\n"
        "  syscall\n"
        ".globl safe_syscall_end\n"
        "safe_syscall_end:\n"
        "  ret\n"
        ".globl safe_syscall_restart\n"
        "safe_syscall_restart:\n"
        "  mov $-513, %rax\n"       /* -OS_ERESTART */
        "  ret\n"
        ".size safe_syscall_raw, .-safe_syscall_raw\n");

long safe_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    static volatile int never;
    return safe_syscall_raw(cur_cpu ? &cur_cpu->loop.attention : &never, nr, a1, a2, a3, a4, a5, a6);
}

/* The host thread's current mask as a guest mask (the bit layouts agree:
 * signal s is bit s - 1 in both). */
static uint64_t host_blocked_now(void)
{
    uint64_t bits = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &bits, 8);
    return bits & ~UNBLOCKABLE;
}

void signal_init(void)
{
    sigframe_init();
    altstack = (struct i386_stack){ 0, 0, 0 };
    for (int s = 1; s <= NSIG_GUEST; s++) {
        void *h;
        memset(&actions[s], 0, sizeof actions[s]);
        if (!raw_sigaction(s, (void *)-2, 0, 0, &h) && h == (void *)SIG_IGN && !host_owned(s))
            actions[s].handler = I386_SIG_IGN;   /* ignored signals survive exec */
        host_mirror(s, &actions[s]);
    }
    blocked = host_blocked_now();
}

void signal_reclaim_internal(void)
{
    host_mirror(32, &actions[32]);
    host_mirror(33, &actions[33]);
}

void signal_thread_init(void)
{
    slots = 0;
    altstack = (struct i386_stack){ 0, SS_DISABLE, 0 };   /* copy_process: sas_ss_reset for CLONE_VM */
    blocked = host_blocked_now();
}

/* ---- dispositions ---- */

/* Install act (may be NULL) and return the old one in *old. */
static int set_action(int sig, const struct guest_sigaction *act, struct guest_sigaction *old)
{
    if (sig < 1 || sig > NSIG_GUEST) return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP)) return -EINVAL;
    pthread_mutex_lock(&actions_lock);
    if (old) *old = actions[sig];
    if (act) {
        actions[sig] = *act;
        actions[sig].mask &= ~UNBLOCKABLE;
        host_mirror(sig, &actions[sig]);
        /* an ignored signal that waits in a slot is discarded, as by the kernel */
        if (act->handler == I386_SIG_IGN || (act->handler == I386_SIG_DFL && default_ignores(sig)))
            __atomic_and_fetch(&slots, ~SIGBIT(sig), __ATOMIC_RELAXED);   /* one instruction: a handler cannot split it */
    }
    pthread_mutex_unlock(&actions_lock);
    return 0;
}

/* A consistent copy of sig's action. */
static struct guest_sigaction action_now(int sig)
{
    pthread_mutex_lock(&actions_lock);
    struct guest_sigaction a = actions[sig];
    pthread_mutex_unlock(&actions_lock);
    return a;
}

/* The action one delivery runs, taken at once with SA_RESETHAND's reset
 * (kernel/signal.c get_signal): what another thread installs later is for
 * the next delivery. */
static struct guest_sigaction take_action(int sig)
{
    pthread_mutex_lock(&actions_lock);
    struct guest_sigaction a = actions[sig], *cur = &actions[sig];
    if (a.handler > I386_SIG_IGN && (a.flags & SA_RESETHAND)) {
        cur->handler = I386_SIG_DFL;   /* only the handler: flags and mask stay */
        host_mirror(sig, cur);
    }
    pthread_mutex_unlock(&actions_lock);
    return a;
}

/* Flag bits do_sigaction keeps (UAPI_SA_FLAGS with x86's SA_RESTORER):
 * others are cleared in the stored and the returned action. */
#define I386_SA_UAPI_FLAGS (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x800u /* SA_EXPOSE_TAGBITS */ | \
                            SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | K_SA_RESTORER)

/* compat rt_sigaction: each field of the old action is put on its own (a
 * failed one does not stop the others), the mask with copy_to_user */
SYS(rt_sigaction)
{
    struct i386_sigaction g;
    struct guest_sigaction act, old;
    if (a4 != 8) return -EINVAL;
    if (a2) {
        if (ua_read(&g, a2, sizeof g)) return -EFAULT;
        act = (struct guest_sigaction){ g.handler, g.flags & I386_SA_UAPI_FLAGS, g.restorer,
                                        (uint64_t)g.mask[1] << 32 | g.mask[0] };
    }
    int e = set_action((int)a1, a2 ? &act : NULL, &old);
    if (e) return e;
    if (a3) {
        uint32_t m[2] = { (uint32_t)old.mask, (uint32_t)(old.mask >> 32) };
        int f = put_user_u32(a3 + offsetof(struct i386_sigaction, handler), old.handler);
        f |= ua_write(a3 + offsetof(struct i386_sigaction, mask), m, sizeof m);
        f |= put_user_u32(a3 + offsetof(struct i386_sigaction, flags), old.flags);
        f |= put_user_u32(a3 + offsetof(struct i386_sigaction, restorer), old.restorer);
        if (f) return -EFAULT;
    }
    return 0;
}

/* old sigaction(67): handler, 32-bit mask, flags, restorer; the old action
 * is put field by field in the kernel's order, stopping at the first fault */
SYS(sigaction)
{
    struct i386_old_sigaction g;
    struct guest_sigaction act, old;
    if (a2) {
        if (ua_read(&g, a2, sizeof g)) return -EFAULT;
        act = (struct guest_sigaction){ g.handler, g.flags & I386_SA_UAPI_FLAGS, g.restorer, g.mask };
    }
    int e = set_action((int)a1, a2 ? &act : NULL, &old);
    if (e) return e;
    if (a3 && (put_user_u32(a3 + offsetof(struct i386_old_sigaction, handler), old.handler) ||
               put_user_u32(a3 + offsetof(struct i386_old_sigaction, restorer), old.restorer) ||
               put_user_u32(a3 + offsetof(struct i386_old_sigaction, flags), old.flags) ||
               put_user_u32(a3 + offsetof(struct i386_old_sigaction, mask), (uint32_t)old.mask)))
        return -EFAULT;
    return 0;
}

/* signal(48): System V semantics, one-shot and not masked while running */
SYS(signal)
{
    struct guest_sigaction act = { a2, SA_RESETHAND | SA_NODEFER, 0, 0 }, old;
    int e = set_action((int)a1, &act, &old);
    return e ? e : (long)old.handler;
}

/* ---- the mask ---- */

/* Set the guest mask and its host mirror; recorded signals it unblocks
 * get delivered at the next block boundary. */
static void set_blocked(uint64_t m)
{
    m &= ~UNBLOCKABLE;
    if ((m & blocked) == blocked) {
        /* only adding: one host call, and no recorded signal loses its block */
        sigset_t set;
        host_set_of(m, &set);
        blocked = m;
        if (cur_cpu) host_set_of(blocked | slots, &cur_cpu->loop.fault_jmp[0].__saved_mask);
        raw_sigmask(SIG_BLOCK, host_bits(&set), NULL);
        return;
    }
    host_block_all();
    blocked = m;
    if ((slots & ~blocked) && cur_cpu) cpu_attention(cur_cpu);
    host_mask_apply();
}

static int change_mask(int how, uint64_t set, uint64_t *oldp)
{
    uint64_t old = blocked, m;
    switch (how) {
    case SIG_BLOCK: m = blocked | set; break;
    case SIG_UNBLOCK: m = blocked & ~set; break;
    case SIG_SETMASK: m = set; break;
    default: return -EINVAL;
    }
    set_blocked(m);
    if (oldp) *oldp = old;
    return 0;
}

SYS(rt_sigprocmask)
{
    uint64_t set = 0, old = blocked;
    if (a4 != 8) return -EINVAL;
    if (a2) {
        if (ua_read(&set, a2, 8)) return -EFAULT;
        int e = change_mask((int)a1, set, &old);
        if (e) return e;
    }
    if (a3 && ua_write(a3, &old, 8)) return -EFAULT;
    return 0;
}

/* old sigprocmask(126): 32-bit sets acting on the low word only */
SYS(sigprocmask)
{
    uint32_t old = (uint32_t)blocked;
    if (a2) {
        uint32_t set;
        if (ua_get_u32(a2, &set)) return -EFAULT;
        uint64_t full = set;
        if ((int)a1 == SIG_SETMASK) full |= blocked & 0xffffffff00000000ull;
        int e = change_mask((int)a1, full, NULL);
        if (e) return e;
    }
    if (a3 && put_user_u32(a3, old)) return -EFAULT;   /* one store: all or nothing */
    return 0;
}

SYS(sgetmask) { return (uint32_t)blocked; }

SYS(ssetmask)
{
    uint32_t old = (uint32_t)blocked;
    set_blocked((blocked & 0xffffffff00000000ull) | a1);
    return old;
}

/* pending = what the host holds (blocked there) and what waits in a slot */
static uint64_t pending_now(void)
{
    sigset_t p;
    uint64_t r = slots;
    if (sigpending(&p)) return r;
    for (int s = 1; s <= NSIG_GUEST; s++)
        if (sigismember(&p, s) == 1) r |= SIGBIT(s);
    return r & blocked;
}

SYS(rt_sigpending)
{
    if (a2 > 8) return -EINVAL;
    uint64_t p = pending_now();
    return ua_write(a1, &p, a2) ? -EFAULT : 0;
}

SYS(sigpending)
{
    return put_user_u32(a1, (uint32_t)pending_now());
}

/* on_sig_stack: never with SS_AUTODISARM; sp above the base (the kernel's
 * pointers do not wrap, so a stack below the base is not on it) */
static bool on_altstack(uint32_t sp)
{
    if (altstack.ss_flags & SS_AUTODISARM) return false;
    return sp > altstack.ss_sp && sp - altstack.ss_sp <= altstack.ss_size;
}

/* do_sigaltstack for a new stack: the checks in the kernel's order; a
 * request equal to the current raw state is 0 before the size check. */
int signal_set_altstack(const struct i386_stack *ss, uint32_t sp)
{
    if (on_altstack(sp)) return -EPERM;
    uint32_t mode = ss->ss_flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) return -EINVAL;
    if (!memcmp(ss, &altstack, sizeof altstack)) return 0;
    if (mode == SS_DISABLE) {
        altstack = (struct i386_stack){ 0, ss->ss_flags, 0 };
        return 0;
    }
    if (ss->ss_size < I386_MINSIGSTKSZ) return -ENOMEM;
    altstack = *ss;   /* flags kept raw, as sas_ss_flags: the frame's uc_stack shows them */
    return 0;
}

SYS(sigaltstack)
{
    struct i386_stack old = altstack;
    /* flags as sas_ss_flags() reports them */
    old.ss_flags = (!altstack.ss_size ? SS_DISABLE : on_altstack(c->r[ESP]) ? SS_ONSTACK : 0) |
                   (altstack.ss_flags & SS_AUTODISARM);
    if (a1) {
        struct i386_stack ss;
        if (ua_read(&ss, a1, sizeof ss)) return -EFAULT;
        int e = signal_set_altstack(&ss, c->r[ESP]);
        if (e) return e;
    }
    if (a2 && ua_write(a2, &old, sizeof old)) return -EFAULT;
    return 0;
}

const struct i386_stack *signal_altstack(void) { return &altstack; }

/* the mask is the same 8 bytes on both ABIs; the signals must be blocked
 * on the host to reach the descriptor, which waits for signal delivery */
static long do_signalfd(uint32_t fd, guest_addr mask, uint32_t size, int flags)
{
    if (size != 8) return -EINVAL;
    uint64_t m;
    if (ua_read(&m, mask, 8)) return -EFAULT;
    return host_ret(syscall(SYS_signalfd4, (int)fd, &m, 8, flags));
}

SYS(signalfd) { return do_signalfd(a1, a2, a3, 0); }
SYS(signalfd4) { return do_signalfd(a1, a2, a3, (int)a4); }

/* ---- siginfo between the ABIs ---- */

static void put_w(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* The kernel's siginfo_layout(): which union member a (signo, code) pair uses. */
enum sil { SIL_KILL, SIL_TIMER, SIL_POLL, SIL_FAULT, SIL_FAULT_MCEERR, SIL_FAULT_BNDERR,
           SIL_FAULT_PKUERR, SIL_FAULT_PERF, SIL_CHLD, SIL_RT, SIL_SYS };

static enum sil siginfo_layout(int sig, int code)
{
    if (code > SI_USER && code < SI_KERNEL) {
        /* sig_specific_sicodes: the codes each signal defines (NSIG* of siginfo.h) */
        int limit = 0;
        enum sil l = SIL_FAULT;
        switch (sig) {
        case SIGILL: limit = 11; break;
        case SIGFPE: limit = 15; break;
        case SIGSEGV: limit = 10; break;
        case SIGBUS: limit = 5; break;
        case SIGTRAP: limit = 6; break;
        case SIGCHLD: limit = 6; l = SIL_CHLD; break;
        case SIGIO: limit = 6; l = SIL_POLL; break;
        case SIGSYS: limit = 2; l = SIL_SYS; break;
        }
        if (code <= limit) {
            if (sig == SIGBUS && (code == BUS_MCEERR_AR || code == BUS_MCEERR_AO)) return SIL_FAULT_MCEERR;
            if (sig == SIGSEGV && code == 3 /* SEGV_BNDERR */) return SIL_FAULT_BNDERR;
            if (sig == SIGSEGV && code == 4 /* SEGV_PKUERR */) return SIL_FAULT_PKUERR;
            if (sig == SIGTRAP && code == 6 /* TRAP_PERF */) return SIL_FAULT_PERF;
            return l;
        }
        return code <= 6 /* NSIGPOLL */ ? SIL_POLL : SIL_KILL;
    }
    if (code == SI_TIMER) return SIL_TIMER;
    if (code == SI_SIGIO) return SIL_POLL;
    return code < 0 ? SIL_RT : SIL_KILL;
}

static uint32_t get_w(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void put_h(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

/* The compat siginfo (copy_siginfo_to_user32): three words, then the union
 * at 12 laid out by siginfo_layout (i386: long, pointers, clock_t 4 bytes). */
static void info_to_i386(const siginfo_t *si, uint8_t *out)
{
    int sig = si->si_signo, code = si->si_code;
    memset(out, 0, I386_SIGINFO_SIZE);
    put_w(out + 0, (uint32_t)sig);
    put_w(out + 4, (uint32_t)si->si_errno);
    put_w(out + 8, (uint32_t)code);
    uint8_t *u = out + 12;
    switch (siginfo_layout(sig, code)) {
    case SIL_TIMER:
        put_w(u, (uint32_t)si->si_timerid);
        put_w(u + 4, (uint32_t)si->si_overrun);
        put_w(u + 8, (uint32_t)si->si_value.sival_int);
        break;
    case SIL_POLL:
        put_w(u, (uint32_t)si->si_band);
        put_w(u + 4, (uint32_t)si->si_fd);
        break;
    case SIL_FAULT_PERF:   /* perf's data/type/flags: no guest source of them under ue */
    case SIL_FAULT:
        put_w(u, (uint32_t)(uintptr_t)si->si_addr);
        break;
    case SIL_FAULT_MCEERR:
        put_w(u, (uint32_t)(uintptr_t)si->si_addr);
        put_h(u + 4, (uint16_t)si->si_addr_lsb);
        break;
    case SIL_FAULT_BNDERR:
        put_w(u, (uint32_t)(uintptr_t)si->si_addr);
        put_w(u + 8, (uint32_t)(uintptr_t)si->si_lower);
        put_w(u + 12, (uint32_t)(uintptr_t)si->si_upper);
        break;
    case SIL_FAULT_PKUERR:
        put_w(u, (uint32_t)(uintptr_t)si->si_addr);
        put_w(u + 8, si->si_pkey);
        break;
    case SIL_CHLD:
        put_w(u, (uint32_t)si->si_pid);
        put_w(u + 4, (uint32_t)si->si_uid);
        put_w(u + 8, (uint32_t)si->si_status);
        put_w(u + 12, (uint32_t)si->si_utime);
        put_w(u + 16, (uint32_t)si->si_stime);
        break;
    case SIL_SYS:
        put_w(u, (uint32_t)(uintptr_t)si->si_call_addr);
        put_w(u + 4, (uint32_t)si->si_syscall);
        put_w(u + 8, si->si_arch);
        break;
    case SIL_RT:
        put_w(u + 8, (uint32_t)si->si_value.sival_int);
        /* fall through */
    case SIL_KILL:
        put_w(u, (uint32_t)si->si_pid);
        put_w(u + 4, (uint32_t)si->si_uid);
        break;
    }
}

/* A guest siginfo (copy_siginfo_from_user32, all 128 bytes read) as the
 * host's, member by member of the layout signo and its si_code choose. */
static int info_from_i386(guest_addr a, int signo, siginfo_t *si)
{
    uint8_t w[I386_SIGINFO_SIZE];
    if (ua_read(w, a, sizeof w)) return -EFAULT;
    const uint8_t *u = w + 12;
    memset(si, 0, sizeof *si);
    si->si_signo = signo;
    si->si_errno = (int)get_w(w + 4);
    si->si_code = (int)get_w(w + 8);
    switch (siginfo_layout(signo, si->si_code)) {
    case SIL_TIMER:
        si->si_timerid = (int)get_w(u);
        si->si_overrun = (int)get_w(u + 4);
        si->si_value.sival_int = (int)get_w(u + 8);
        break;
    case SIL_POLL:
        si->si_band = (int32_t)get_w(u);
        si->si_fd = (int)get_w(u + 4);
        break;
    case SIL_FAULT_PERF:
    case SIL_FAULT:
        si->si_addr = (void *)(uintptr_t)get_w(u);
        break;
    case SIL_FAULT_MCEERR:
        si->si_addr = (void *)(uintptr_t)get_w(u);
        memcpy(&si->si_addr_lsb, u + 4, 2);
        break;
    case SIL_FAULT_BNDERR:
        si->si_addr = (void *)(uintptr_t)get_w(u);
        si->si_lower = (void *)(uintptr_t)get_w(u + 8);
        si->si_upper = (void *)(uintptr_t)get_w(u + 12);
        break;
    case SIL_FAULT_PKUERR:
        si->si_addr = (void *)(uintptr_t)get_w(u);
        si->si_pkey = get_w(u + 8);
        break;
    case SIL_CHLD:
        si->si_pid = (pid_t)get_w(u);
        si->si_uid = get_w(u + 4);
        si->si_status = (int)get_w(u + 8);
        si->si_utime = (int32_t)get_w(u + 12);
        si->si_stime = (int32_t)get_w(u + 16);
        break;
    case SIL_SYS:
        si->si_call_addr = (void *)(uintptr_t)get_w(u);
        si->si_syscall = (int)get_w(u + 4);
        si->si_arch = get_w(u + 8);
        break;
    case SIL_RT:
        si->si_value.sival_int = (int)get_w(u + 8);
        /* fall through */
    case SIL_KILL:
        si->si_pid = (pid_t)get_w(u);
        si->si_uid = get_w(u + 4);
        break;
    }
    return 0;
}

/* ---- delivery ---- */

/* The compat siginfo of a signal the CPU or the kernel raises (no sender). */
static void info_of(uint8_t *info, int sig, int code, guest_addr addr)
{
    memset(info, 0, I386_SIGINFO_SIZE);
    put_w(info + 0, (uint32_t)sig);
    put_w(info + 8, (uint32_t)code);
    if (code > 0 && code != SI_KERNEL) put_w(info + 12, addr);
}

/* End the process the way the signal's default action does (natively,
 * with the same signal, and a core as core.c decides). Stop signals stop
 * it and come back. */
static void die_by_signal(struct cpu *c, int sig, const uint8_t *info)
{
    if (chk_opt.on && !default_stops(sig)) chk_at_exit(128 + sig);   /* summaries; the status stays the signal's */
    if (!default_stops(sig)) {
        core_die_prepare(core_dump(c, sig, info, slots, blocked));
        thread_robust_exit_all();   /* every thread dies: their robust locks too */
    }
    void *old;
    raw_sigaction(sig, (void *)SIG_DFL, 0, 0, &old);
    uint64_t bit = 1ull << (sig - 1);
    raw_sigmask(SIG_UNBLOCK, bit, NULL);
    syscall(SYS_tgkill, getpid(), gettid(), sig);
    if (!default_stops(sig)) _exit(128 + sig);
    host_mirror(sig, &actions[sig]);
    raw_sigmask(SIG_BLOCK, bit, NULL);
}

void os_die_by_signal(int sig)
{
    uint8_t info[I386_SIGINFO_SIZE];
    info_of(info, sig, SI_KERNEL, 0);
    die_by_signal(cur_cpu, sig, info);
}

/* A fatal signal seen by the guest's CPU: memcheck says so with the stack, then the process dies. */
static void die_at(struct cpu *c, int sig, const uint8_t *info)
{
    int32_t code;
    memcpy(&code, info + 8, 4);
    guest_addr addr = (SIGBIT(sig) & SYNC_SIGS) && code > 0 && code != SI_KERNEL ? get_w(info + 12) : 0;
    if (chk_opt.on && !default_stops(sig)) chk_fatal_signal(c, sig, code, addr);
    die_by_signal(c, sig, info);
}

/* Run the guest handler act (taken with take_action) of sig: frame, then
 * the handler's mask. False when the frame cannot be written (the caller
 * then kills with SIGSEGV). */
static bool deliver_to_handler(struct cpu *c, int sig, const uint8_t *info, const struct guest_sigaction *act)
{
    struct sig_delivery d = { sig, info, act, saved_valid ? saved_mask : blocked, &last_trap };
    if (!sigframe_setup(c, &d)) return false;
    saved_valid = false;
    blocked = (d.mask | act->mask | ((act->flags & SA_NODEFER) ? 0 : SIGBIT(sig))) & ~UNBLOCKABLE;
    return true;
}

/* The kernel's force_sigsegv: the frame for failed_sig could not be
 * written (or a sigreturn frame read). The guest's SIGSEGV handler runs
 * when there is one and SIGSEGV is not blocked; otherwise, or when the
 * frame that failed was SIGSEGV's own, the process dies. Host signals
 * blocked. */
static void force_sigsegv(struct cpu *c, int failed_sig)
{
    struct guest_sigaction act = take_action(SIGSEGV);
    uint8_t info[I386_SIGINFO_SIZE];
    info_of(info, SIGSEGV, SI_KERNEL, 0);
    if (failed_sig == SIGSEGV || act.handler <= I386_SIG_IGN || (blocked & SIGBIT(SIGSEGV)))
        die_at(c, SIGSEGV, info);
    if (!deliver_to_handler(c, SIGSEGV, info, &act)) die_at(c, SIGSEGV, info);
}

/* One recorded signal, host signals blocked. */
static void deliver(struct cpu *c, int sig, const siginfo_t *si)
{
    struct guest_sigaction act = take_action(sig);
    if (act.handler == I386_SIG_IGN) return;
    uint8_t info[I386_SIGINFO_SIZE];
    info_to_i386(si, info);
    if (act.handler == I386_SIG_DFL) {
        if (!default_ignores(sig)) die_at(c, sig, info);
        return;
    }
    if (!deliver_to_handler(c, sig, info, &act)) force_sigsegv(c, sig);
}

static int next_signal(uint64_t m)
{
    uint64_t sync = m & SYNC_SIGS;
    return __builtin_ctzll(sync ? sync : m) + 1;
}

void os_attention(struct cpu *c)
{
    if (c->loop.jit) jit_poll_arm(c, false);   /* before the flag: a signal in between arms it again */
    c->loop.attention = 0;
    if (!slots && !saved_valid) return;
    host_block_all();
    uint64_t m;
    while ((m = slots & ~blocked)) {
        int sig = next_signal(m);
        siginfo_t si = slot_info[sig];
        __atomic_and_fetch(&slots, ~SIGBIT(sig), __ATOMIC_RELAXED);   /* one instruction: a handler cannot split it */
        deliver(c, sig, &si);
    }
    if (saved_valid) { blocked = saved_mask; saved_valid = false; }
    host_mask_apply();
}

/* A synchronous signal from the CPU (cpu_raise): delivered now, or fatal
 * when blocked or not caught (force_sig_fault). */
void os_sync_signal(struct cpu *c, int sig, int code, guest_addr addr, const struct sig_trap *t)
{
    struct guest_sigaction act = take_action(sig);
    last_trap.trapno = t->trapno;
    last_trap.err = t->err;
    if (t->trapno == 14) last_trap.cr2 = t->cr2;
    last_trap.fault = t->fault;
    uint8_t info[I386_SIGINFO_SIZE];
    info_of(info, sig, code, addr);
    if (act.handler <= I386_SIG_IGN || (blocked & SIGBIT(sig))) die_at(c, sig, info);
    host_block_all();
    if (!deliver_to_handler(c, sig, info, &act)) force_sigsegv(c, sig);
    last_trap.fault = false;
    host_mask_apply();
}

/* ---- system calls that wait for signals or return from them ---- */

/* sigreturn: the frame's mask is set before its registers are restored;
 * a frame that fails makes the call return 0 and forces SIGSEGV
 * (signal_fault), and a CS or SS the IRET cannot load faults after the
 * call with the registers as restored: SIGSEGV SI_KERNEL, trap 13. */
static long do_sigreturn(struct cpu *c, bool rt)
{
    uint64_t mask;
    uint32_t gp_err = 0;
    time_restart_clear();   /* a pending restart_syscall now gives EINTR, as restore_sigcontext makes it */
    enum sigret r = sigframe_restore(c, rt, &mask, &gp_err);
    if (r != SIGRET_NO_FRAME) set_blocked(mask);
    if (r == SIGRET_OK) return OS_NO_RESULT;
    if (r == SIGRET_BAD_IRET) last_trap = (struct sig_trap){ 13, gp_err, last_trap.cr2, false };
    else c->r[EAX] = 0;
    host_block_all();
    force_sigsegv(c, 0);
    host_mask_apply();
    return OS_NO_RESULT;
}

SYS(sigreturn) { return do_sigreturn(c, false); }
SYS(rt_sigreturn) { return do_sigreturn(c, true); }

/* Wait with mask m until a signal it lets through is recorded; the handler
 * then runs with the caller's mask saved (sigsuspend's -ERESTARTNOHAND). */
static long suspend_with(struct cpu *c, uint64_t m)
{
    host_block_all();
    saved_mask = blocked;
    saved_valid = true;
    blocked = m & ~UNBLOCKABLE;
    while (!(slots & ~blocked)) {
        sigset_t set;
        host_set_of(blocked | slots, &set);
        uint64_t bits = host_bits(&set);
        syscall(SYS_rt_sigsuspend, &bits, 8);   /* atomic: every host signal is blocked until here */
    }
    cpu_attention(c);
    host_mask_apply();
    return -EINTR;
}

void safe_mask_host_set(const uint64_t *mask, sigset_t *hs) { host_set_of((*mask & ~UNBLOCKABLE) | slots, hs); }

long safe_syscall_masked(const uint64_t *mask, long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    if (!mask) return safe_syscall(nr, a1, a2, a3, a4, a5, a6);
    uint64_t old = blocked;
    /* the guest's view; the host thread keeps its mask, the call carries
     * the temporary one (set_user_sigmask) */
    blocked = *mask & ~UNBLOCKABLE;
    if ((slots & ~blocked) && cur_cpu) cpu_attention(cur_cpu);
    long r = safe_syscall(nr, a1, a2, a3, a4, a5, a6);
    if ((r == -EINTR || r == -OS_ERESTART) && (slots & ~blocked)) {
        saved_mask = old;               /* put back once the handler returns */
        saved_valid = true;
        if (cur_cpu) cpu_attention(cur_cpu);
        host_mask_apply();              /* the temporary mask until then */
        return -EINTR;
    }
    blocked = old;
    host_mask_apply();                  /* the recorded signals stay blocked on the host */
    return r;
}

SYS(rt_sigsuspend)
{
    uint64_t m;
    if (a2 != 8) return -EINVAL;
    if (ua_read(&m, a1, 8)) return -EFAULT;
    return suspend_with(c, m);
}

/* sigsuspend(72): i386 passes (history0, history1, mask) */
SYS(sigsuspend) { return suspend_with(c, (blocked & 0xffffffff00000000ull) | a3); }

SYS(pause) { return suspend_with(c, blocked); }

static long do_sigtimedwait(struct cpu *c, guest_addr setp, guest_addr infop, guest_addr tsp,
                            uint32_t size, int time64)
{
    uint64_t want;
    struct timespec ts;
    if (size != 8) return -EINVAL;
    if (ua_read(&want, setp, 8)) return -EFAULT;
    if (tsp) {
        int e = get_timespec(tsp, &ts, time64);
        if (e) return e;
        /* checked before a pending signal is taken (do_sigtimedwait) */
        if (!timeout_valid(&ts)) return -EINVAL;
    }
    want &= ~UNBLOCKABLE;
    sigset_t hset;
    host_set_of(want, &hset);
    siginfo_t si;
    long r;
    host_block_all();
    uint64_t got = slots & want;
    if (got) {
        int sig = next_signal(got);
        si = slot_info[sig];
        __atomic_and_fetch(&slots, ~SIGBIT(sig), __ATOMIC_RELAXED);   /* one instruction: a handler cannot split it */
        r = sig;
    }
    host_mask_apply();
    if (!got) {
        r = safe_syscall(SYS_rt_sigtimedwait, (long)&hset, (long)&si, tsp ? (long)&ts : 0, 8, 0, 0);
        /* attention (a signal outside the set, a code flush) is the run loop's:
         * retrying here spun forever; signal_interrupted restarts the call after it */
        if (r < 0) return r;
    }
    if (infop) {
        uint8_t info[I386_SIGINFO_SIZE];
        info_to_i386(&si, info);
        if (ua_write(infop, info, sizeof info)) return -EFAULT;
    }
    return r;
}

SYS(rt_sigtimedwait) { return do_sigtimedwait(c, a1, a2, a3, a4, 0); }
SYS(rt_sigtimedwait_time64) { return do_sigtimedwait(c, a1, a2, a3, a4, 1); }

/* rt_sigqueueinfo / rt_tgsigqueueinfo: si_signo becomes sig; the host
 * judges si_code (EPERM for another process) with the info as given. */
SYS(rt_sigqueueinfo)
{
    siginfo_t si;
    if (info_from_i386(a3, (int)a2, &si)) return -EFAULT;
    return host_ret(syscall(SYS_rt_sigqueueinfo, (pid_t)a1, (int)a2, &si));
}

/* pidfd_send_signal keeps the guest's si_signo (EINVAL when it is not sig)
 * and reads the info after its flag and fd checks: an unreadable one is
 * passed as a pointer the host faults on, for EFAULT in the kernel's order. */
SYS(pidfd_send_signal)
{
    siginfo_t si;
    void *ip = NULL;
    if (a3) {
        uint32_t signo;
        ip = (void *)8;   /* the host's page 0: never mapped */
        if (!ua_read(&signo, a3, 4) && !info_from_i386(a3, (int)signo, &si)) ip = &si;
    }
    return host_ret(syscall(SYS_pidfd_send_signal, (int)a1, (int)a2, ip, (unsigned)a4));
}

SYS(rt_tgsigqueueinfo)
{
    siginfo_t si;
    if (info_from_i386(a4, (int)a3, &si)) return -EFAULT;
    return host_ret(syscall(SYS_rt_tgsigqueueinfo, (pid_t)a1, (pid_t)a2, (int)a3, &si));
}

/* ---- interrupted system calls (the kernel's -ERESTART* handling) ---- */

/* Calls SA_RESTART restarts after a handler (man 7 signal). */
static bool restartable(uint32_t nr)
{
    switch (nr) {
    case 3: case 4: case 5: case 7: case 8: case 54: case 55: case 102: case 114: case 143:
    case 145: case 146: case 180: case 181: case 187: case 221: case 239: case 240: case 284:
    case 295: case 313: case 315: case 316: case 333: case 334: case 355: case 378: case 379:
    case 422:
        return true;
    default:
        return nr >= 359 && nr <= 373;   /* the direct socket calls */
    }
}

long signal_interrupted(struct cpu *c, uint32_t nr, long r)
{
    bool restart = r == -OS_ERESTART;
    if (nr == 0 && r == -EINTR) return r;   /* restart_syscall with nothing to continue: its answer */
    if (r == -OS_ERESTART_BLOCK) {
        /* a handler to run turns it into EINTR; else restart_syscall continues it */
        uint64_t m = slots & ~blocked;
        if (m && action_now(next_signal(m)).handler > I386_SIG_IGN) return -EINTR;
        c->eip -= 2;
        c->r[EAX] = 0;
        return OS_NO_RESULT;
    }
    if (!restart) {
        uint64_t m = slots & ~blocked;
        if (!m) {
            restart = true;             /* nothing the guest sees: as if never interrupted */
        } else {
            struct guest_sigaction act = action_now(next_signal(m));
            if (act.handler <= I386_SIG_IGN) restart = true;
            else restart = restartable(nr) && (act.flags & SA_RESTART);
        }
    }
    if (!restart) return r;
    c->eip -= 2;                        /* back to the int 0x80 */
    c->r[EAX] = nr;
    return OS_NO_RESULT;
}

/* The child of fork() has no pending signals: the parent's recorded ones
 * stay the parent's, and the host mask goes back to the guest's. */
void signal_fork_prepare(void)
{
    host_block_all();
    pthread_mutex_lock(&actions_lock);   /* the child must not inherit it held by another thread */
}

void signal_fork_parent(void)
{
    pthread_mutex_unlock(&actions_lock);
    host_mask_apply();
}

void signal_fork_child(void)
{
    pthread_mutex_unlock(&actions_lock);
    slots = 0;          /* the host blocked everything across fork: nothing the child is sent is lost */
    host_mask_apply();
}
