/* The i386 Linux system call layer. */
#ifndef UE_OS_H
#define UE_OS_H

#include "../cpu/cpu.h"

/* int 0x80: number in EAX, arguments EBX ECX EDX ESI EDI EBP; result to EAX. */
void sys_int80(struct cpu *c);

/* Called once at start-up (syscall table checks, host-side state). */
void os_init(void);
/* Once the program is loaded: the host's /proc/self/cmdline and environ
 * show the guest's strings (procfs.c). */
void procfs_init(void);

/* Called by the run loop between blocks when c->loop.attention is set (pending
 * signals): delivers them to the guest. */
void os_attention(struct cpu *c);

/* The live guest threads' registers, for memcheck's leak scan: for up to
 * max threads (the caller's among them), the 8 general registers then the
 * 8 XMM registers as 32 words. Returns how many were filled. (clone.c) */
#define THREAD_ROOT_WORDS 40
size_t thread_roots(uint32_t (*out)[THREAD_ROOT_WORDS], size_t max);

/* The guest's exit: flush what needs flushing and end the process with status. */
void os_exit_group(int status) __attribute__((noreturn));

/* Signal dispositions the guest set with rt_sigaction (delivery in signal.c). */
struct guest_sigaction {
    uint32_t handler;       /* guest address, or 0 = SIG_DFL, 1 = SIG_IGN */
    uint32_t flags;         /* SA_* (same values on i386 and x86_64) */
    uint32_t restorer;
    uint64_t mask;          /* bit s-1 for signal s */
};
const struct guest_sigaction *signal_action(int sig);   /* 1..64, else NULL */
uint64_t signal_blocked(void);                          /* the calling thread's mask */

/* ---- signal delivery (signal.c) ---- */
#include <signal.h>
/* What a CPU exception leaves for sigcontext's trapno, err and cr2 (the
 * kernel keeps them per thread and reports them stale in later frames);
 * fault: a fault-class exception, whose pushed EFLAGS image has RF set
 * (not #DB, #BP, #OF, which are traps), for its own frame only. */
struct sig_trap { uint32_t trapno, err, cr2; bool fault; };
/* A synchronous signal from the CPU: builds the handler's frame (c->eip is
 * the faulting instruction, or the next one for traps); returns, and the
 * caller leaves for the run loop. Kills the process when the signal is
 * blocked or not caught, as the kernel's force_sig_fault. */
void os_sync_signal(struct cpu *c, int sig, int code, guest_addr addr, const struct sig_trap *t);
/* Die by sig as its default action would (stop signals return after SIGCONT). */
void os_die_by_signal(int sig);
/* For fault.c's host handler: a SIGSEGV/SIGBUS/SIGILL/SIGFPE sent by
 * someone (si_code <= 0) is queued for the guest like any other. */
void signal_host_record(int sig, siginfo_t *si, void *ucontext);
/* A new guest thread's signal state (mask inherited through the host mask,
 * nothing pending, no alternate stack): call first thing in the new thread. */
void signal_thread_init(void);
/* Host glibc's pthread_create installs its own handler for signal 33 (and
 * pthread_cancel one for 32); put the guest's mirror back. */
void signal_reclaim_internal(void);
void signal_fork_child(void);   /* in the child of fork(): no pending signals */
/* Around fork(): every host signal blocked until each side has its state
 * (a signal sent to the new child at once would else be cleared with the
 * parent's recorded ones). */
void signal_fork_prepare(void);
void signal_fork_parent(void);
/* A handler's result meaning "EAX is already set" (sigreturn, restarts). */
#define OS_NO_RESULT (1L << 40)
/* -OS_ERESTART: interrupted before blocking; the call is re-run after delivery. */
#define OS_ERESTART 513
/* -OS_ERESTART_BLOCK: the kernel's -ERESTART_RESTARTBLOCK: a sleep
 * interrupted with its state kept (time.c's restart block); a handler makes
 * it -EINTR, else the guest re-enters through restart_syscall (0). */
#define OS_ERESTART_BLOCK 516
/* time.c: keep fn and its arguments for restart_syscall; returns -OS_ERESTART_BLOCK */
long restart_set(long (*fn)(const uint64_t *a), const uint64_t a[6]);
/* time.c: forget the restart block (sigreturn: restart_syscall then gives EINTR) */
void time_restart_clear(void);
/* For sys_int80: after -EINTR, -OS_ERESTART or -OS_ERESTART_BLOCK, decide between returning
 * it and re-running the call (SA_RESTART); returns the result or OS_NO_RESULT. */
long signal_interrupted(struct cpu *c, uint32_t nr, long r);
/* A host system call that may block, safe against signals: returns -errno,
 * or -OS_ERESTART when a signal was recorded before it could start (return
 * that from the handler: the call is re-run after the guest's handler). */
long safe_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* The same with the guest's signal mask replaced by *mask for the call
 * (ppoll, pselect6, epoll_pwait, io_pgetevents; mask NULL: unchanged). The
 * host call itself carries the host form of the mask (safe_mask_host_set
 * fills it; the caller puts it in the call's sigmask argument), so the host
 * kernel applies it for the call alone, as natively: a signal the guest
 * ignores that waits blocked stays pending when the call returns at once.
 * A signal the temporary mask lets through ends it with -EINTR, and its
 * handler runs before the caller's mask comes back, as the kernel does. */
long safe_syscall_masked(const uint64_t *mask, long nr, long a1, long a2, long a3, long a4, long a5, long a6);
void safe_mask_host_set(const uint64_t *mask, sigset_t *hs);

/* The guest program's path: readlink("/proc/self/exe") and opening it give
 * this instead of ue. The loader fills it (absolute path); empty: no mapping. */
extern char ue_exe_path[4096];
/* What readlink shows for it when that differs from ue_exe_path (a deleted
 * file or memfd executed through an fd: "/memfd:NAME (deleted)"), else "". */
extern char ue_exe_link[4096];

/* seccomp.c: the filters an execve handed on (main's --seccomp-fd), before
 * the program runs; false when they cannot be restored (ue must not run it) */
bool seccomp_import(int fd);

#endif
