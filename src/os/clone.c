/* Guest threads and processes. clone with CLONE_VM|CLONE_THREAD runs the
 * child on a host thread of its own, with its own struct cpu, sharing the
 * window. Thread exit honours CLONE_CHILD_CLEARTID (store 0, futex wake) as
 * the kernel's mm_release does; the last thread's exit ends the process.
 * clone without CLONE_VM is the host's clone with the guest's flags (glibc's
 * fork when they are a plain fork's); vfork and CLONE_VM|CLONE_VFORK run
 * the child on a copy of the window, the parent waiting for its exec or
 * exit. A shared window between processes (CLONE_VM without CLONE_THREAD or
 * CLONE_VFORK) is refused with EINVAL: ue's own state (decoded cache,
 * memory map, allocator) lives in one host process. */
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../check/check.h"
#include "put_user.h"
#include "sys.h"

static int live_threads = 1;

/* The main thread's struct cpu is main()'s static one; the others are ours to free. */
static __thread bool cpu_allocated;

/* Every live guest thread's CPU, once there is more than one (before the
 * first clone, the caller's cur_cpu is the only one). */
static pthread_mutex_t cpus_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cpu **cpus;
static size_t n_cpus, cap_cpus;

static bool cpus_add(struct cpu *c)
{
    pthread_mutex_lock(&cpus_lock);
    bool ok = true;
    if (n_cpus == cap_cpus) {
        size_t cap = cap_cpus ? cap_cpus * 2 : 16;
        struct cpu **n = realloc(cpus, cap * sizeof *n);
        if (n) { cpus = n; cap_cpus = cap; } else ok = false;
    }
    if (ok) cpus[n_cpus++] = c;
    pthread_mutex_unlock(&cpus_lock);
    return ok;
}

static void cpus_remove(struct cpu *c)
{
    pthread_mutex_lock(&cpus_lock);
    for (size_t k = 0; k < n_cpus; k++)
        if (cpus[k] == c) { cpus[k] = cpus[--n_cpus]; break; }
    pthread_mutex_unlock(&cpus_lock);
}

static void roots_of(const struct cpu *c, uint32_t *w)
{
    memcpy(w, c->r, 8 * 4);
    memcpy(w + 8, c->xmm, 8 * 16);
}

size_t thread_roots(uint32_t (*out)[THREAD_ROOT_WORDS], size_t max)
{
    pthread_mutex_lock(&cpus_lock);   /* held: a thread's CPU is freed only after it leaves the list */
    size_t n = 0;
    bool mine = !cur_cpu;
    for (size_t k = 0; k < n_cpus && n < max; k++) {
        roots_of(cpus[k], out[n++]);
        mine |= cpus[k] == cur_cpu;
    }
    if (!mine && n < max) roots_of(cur_cpu, out[n++]);
    pthread_mutex_unlock(&cpus_lock);
    return n;
}

struct thread_start {
    struct cpu *cpu;
    uint32_t flags;
    guest_addr ptid, ctid;
    const struct i386_user_desc *tls;
    sem_t ready;
    long result;        /* the child's tid, or -errno */
};

static void *thread_main(void *arg)
{
    struct thread_start *ts = arg;
    struct cpu *c = ts->cpu;
    signal_thread_init();
    signal_reclaim_internal();   /* the parent's pthread_create took signal 33 */
    cpu_allocated = true;
    c->tid = (int)gettid();
    if (chk_opt.on) chk_thread_start();
    /* the mapping its stack pointer is in (glibc's thread stacks are mmaps),
     * for observers that describe addresses (memcheck's "thread N's stack") */
    const struct region *st = mem_next_region(c->r[ESP] - 1);
    if (st && st->start <= c->r[ESP] - 1)
        mem_notify(&(struct mem_event){ .kind = MEV_STACK_NEW, .addr = st->start, .len = st->end - st->start, .tid = c->tid });
    if (ts->flags & CLONE_SETTLS) tls_install(c, ts->tls);
    /* the kernel ignores faults on these stores (put_user results unchecked) */
    if (ts->flags & CLONE_CHILD_SETTID) (void)put_user_u32(ts->ctid, (uint32_t)c->tid);
    if (ts->flags & CLONE_CHILD_CLEARTID) thread_set_clear_tid(ts->ctid);
    if (ts->flags & CLONE_PARENT_SETTID) (void)put_user_u32(ts->ptid, (uint32_t)c->tid);
    ts->result = c->tid;
    sem_post(&ts->ready);   /* ts belongs to the parent from here on */
    cpu_run(c);
}

long thread_create(struct cpu *parent, uint32_t flags, guest_addr newsp, guest_addr ptid,
                   const struct i386_user_desc *tls, guest_addr ctid)
{
    if (!(flags & CLONE_THREAD) || !(flags & CLONE_SIGHAND)) {
        /* a shared address space without thread semantics: not supported */
        return -EINVAL;
    }
    struct cpu *c = malloc(sizeof *c);
    if (!c) return -ENOMEM;
    cpu_sync(parent);
    memcpy(c, parent, sizeof *c);
    c->r[EAX] = 0;
    if (newsp) c->r[ESP] = newsp;
    c->loop.attention = 0;
    c->loop.cur = NULL;
    c->loop.in_loop = false;
    c->loop.smc_single = false;
    c->loop.jit = NULL;          /* each thread translates into its own code cache */

    if (!n_cpus) cpus_add(parent);   /* the first clone: the only thread so far */
    if (!cpus_add(c)) {
        free(c);
        return -ENOMEM;
    }
    struct thread_start ts = { .cpu = c, .flags = flags, .ptid = ptid, .ctid = ctid, .tls = tls };
    sem_init(&ts.ready, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 1 << 20);
    __atomic_add_fetch(&live_threads, 1, __ATOMIC_SEQ_CST);
    pthread_t t;
    int e = pthread_create(&t, &attr, thread_main, &ts);
    pthread_attr_destroy(&attr);
    if (e) {
        __atomic_sub_fetch(&live_threads, 1, __ATOMIC_SEQ_CST);
        cpus_remove(c);
        free(c);
        sem_destroy(&ts.ready);
        return -e;
    }
    while (sem_wait(&ts.ready) < 0) {}
    sem_destroy(&ts.ready);
    return ts.result;
}

void thread_after_fork(void)
{
    live_threads = 1;
    cpus_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    n_cpus = 0;   /* the forking thread alone: thread_cpus adds it */
    thread_robust_fork_child();
}

/* One 32-bit store of 0, as the kernel's put_user: a joiner never sees a torn tid. */
static int store_zero(guest_addr a)
{
    uint32_t v, found;
    if (a & 3) return ua_put_u32(a, 0);
    if (ua_get_u32(a, &v)) return -EFAULT;
    for (;;) {
        if (ua_cmpxchg_u32(a, v, 0, &found)) return -EFAULT;
        if (found == v) return 0;
        v = found;
    }
}

/* exit(2): the calling thread only, unless it is the last one. */
SYS(exit)
{
    thread_robust_exit();
    if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_SEQ_CST) == 0) os_exit_group((int)a1);
    if (chk_opt.on) chk_thread_exit();
    mem_notify(&(struct mem_event){ .kind = MEV_STACK_FREE, .tid = cur_cpu->tid });
    /* mm_release: clear the tid word and wake one waiter; a fault skips both */
    guest_addr ctid = thread_get_clear_tid();
    if (ctid && !store_zero(ctid)) {
        void *w = ua_lock(ctid, 4, UA_IN);
        syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
        ua_unlock(w, ctid, 4, UA_IN);
    }
    cpu_thread_exit();
    cpus_remove(c);
    if (cpu_allocated) free(c);
    pthread_exit(NULL);
}

/* The host's pthread_exit unwinds through libgcc_s, which glibc dlopens at
 * the first thread exit: a guest that has used up its file descriptors by
 * then would make it fail ("libgcc_s.so.1 must be installed") and kill ue.
 * Loaded once at start-up, it is found in memory at every exit. */
void thread_preload_unwinder(void)
{
    dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NODELETE);
}

/* ---- processes: fork, vfork, clone without CLONE_VM, clone3 ---- */

/* One clone request, from clone(2) or clone3(2), read and checked. */
struct clone_req {
    uint64_t flags;          /* CLONE_* without the exit signal */
    uint64_t exit_signal;
    guest_addr stack;        /* the child's ESP; 0 keeps the parent's */
    guest_addr tls, ptid, ctid, pidfd;
    bool v3;                 /* clone3: the host's clone3 with the fields below */
    uint64_t set_tid, set_tid_size, cgroup;   /* set_tid: a host pointer */
};

/* The kernel's put_user of the pidfd fails the clone (EFAULT, no child): a
 * word the guest cannot write is given to the host as a bad pointer, so the
 * host fails it at the same point of its checks. */
static bool guest_word_writable(guest_addr a)
{
    uint32_t v, old;
    return !ua_get_u32(a, &v) && !ua_cmpxchg_u32(a, v, v, &old);
}

/* CLONE_CLEAR_SIGHAND: the child's handlers back to SIG_DFL (SIG_IGN stays),
 * flags and masks cleared (kernel/signal.c flush_signal_handlers), through
 * rt_sigaction with a scratch action below the child's stack pointer. */
static void clear_sighand(struct cpu *c)
{
    guest_addr act = c->r[ESP] - 64;
    for (int s = 1; s <= 64; s++) {
        const struct guest_sigaction *ga = signal_action(s);
        if (!ga || s == SIGKILL || s == SIGSTOP) continue;
        if (!ga->handler && !ga->flags && !ga->restorer && !ga->mask) continue;
        uint32_t g[5] = { ga->handler == 1 ? 1 : 0, 0, 0, 0, 0 };
        if (ua_write(act, g, sizeof g)) return;
        sys_rt_sigaction(c, (uint32_t)s, act, 0, 8, 0, 0);
    }
}

/* A plain vfork (fork() is safe for ue's own locks, a raw clone is not): the
 * parent waits as the kernel makes it, until the child execs or exits, seen
 * as the end of a close-on-exec pipe the child holds. The child's memory is
 * a copy; what it wrote to the waiting thread's stack above the stack
 * pointer (the caller's frames: posix_spawn's error word, a vfork caller's
 * variables) goes back through the pipe before its exec and at its exit.
 * Its writes elsewhere (globals, heap) stay its own. */
static int vfork_wait_fd = -1;
static guest_addr vfork_lo, vfork_hi;   /* the child's part of the parent's stack to send back */

struct vfork_chunk { guest_addr start; uint32_t len; };

static bool write_all(int fd, const void *b, size_t n)
{
    for (const char *p = b; n; ) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(int fd, void *b, size_t n)
{
    for (char *p = b; n; ) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= (size_t)r;
    }
    return true;
}

void clone_vfork_sync(void)
{
    if (vfork_wait_fd < 0 || vfork_hi <= vfork_lo) return;
    char buf[65536];
    for (guest_addr a = vfork_lo; a < vfork_hi; ) {
        uint32_t n = vfork_hi - a < sizeof buf ? vfork_hi - a : sizeof buf;
        if (ua_read(buf, a, n)) return;
        struct vfork_chunk h = { a, n };
        if (!write_all(vfork_wait_fd, &h, sizeof h) || !write_all(vfork_wait_fd, buf, n)) return;
        a += n;
    }
}

/* The parent: apply the child's chunks until its exec or exit closes the pipe. */
static void vfork_wait(int fd)
{
    static char buf[65536];
    struct vfork_chunk h;
    while (read_all(fd, &h, sizeof h)) {
        if (h.len > sizeof buf || !read_all(fd, buf, h.len)) break;
        (void)ua_write(h.start, buf, h.len);
    }
    char b;
    while (read(fd, &b, 1) > 0 || errno == EINTR) {}
}

/* Both ends above the numbers a guest gets from open (other threads of the
 * parent keep opening while it waits). */
static int pipe_high(int fd[2])
{
    if (pipe2(fd, O_CLOEXEC)) return -errno;
    for (int k = 0; k < 2; k++) {
        int h = fcntl(fd[k], F_DUPFD_CLOEXEC, 768);
        if (h >= 0) { close(fd[k]); fd[k] = h; }
    }
    return 0;
}

static long clone_process(struct cpu *c, const struct clone_req *r)
{
    struct i386_user_desc tlsd;   /* read once, before the child exists */
    if (r->flags & CLONE_SETTLS) {
        int e = tls_get_desc(r->tls, &tlsd);
        if (e) return e;
    }
    uint64_t flags = r->flags;
    if (flags & CLONE_VM) {
        if ((flags & CLONE_THREAD) || !(flags & CLONE_VFORK)) {
            /* the host sees no clone here: copy_process's first checks */
            if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) return -EINVAL;
            if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) return -EINVAL;
            if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
            if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID))) return -EINVAL;
            return thread_create(c, (uint32_t)flags, r->stack, r->ptid, &tlsd, r->ctid);
        }
        /* CLONE_VM|CLONE_VFORK (vfork, posix_spawn): the child runs on a copy
         * of the window; the parent waits for its exec or exit as natively */
        flags &= ~(uint64_t)(CLONE_VM | CLONE_SIGHAND);
    }
    uint64_t hflags = flags & ~(uint64_t)(CLONE_SETTLS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID);
    /* glibc's fork when it will do (clone3's posix_spawn included): it keeps
     * the child's malloc usable however many guest threads there are */
    bool plain = r->exit_signal == SIGCHLD && !r->set_tid_size && !(hflags & ~(uint64_t)(CLONE_PARENT_SETTID | CLONE_VFORK));
    int pipefd[2] = { -1, -1 };
    if (plain && (hflags & CLONE_VFORK)) {
        int e = pipe_high(pipefd);
        if (e) return e;
    }
    int hpidfd = -1, hptid = 0;
    int *pidfd_p = (flags & CLONE_PIDFD) && !guest_word_writable(r->pidfd) ? NULL : &hpidfd;

    fflush(stderr);
    signal_fork_prepare();
    long pid;
    if (plain) {
        pid = fork();
    } else if (r->v3) {
        struct clone_args ha = {
            .flags = hflags, .pidfd = (uint64_t)(uintptr_t)pidfd_p, .parent_tid = (uint64_t)(uintptr_t)&hptid,
            .exit_signal = r->exit_signal, .set_tid = r->set_tid, .set_tid_size = r->set_tid_size, .cgroup = r->cgroup,
        };
        if (!(hflags & CLONE_PIDFD)) ha.pidfd = 0;
        pid = syscall(SYS_clone3, &ha, sizeof ha);
    } else {
        /* clone(2)'s parent_tid is also where the pidfd goes */
        pid = syscall(SYS_clone, hflags | r->exit_signal, 0, (flags & CLONE_PIDFD) ? pidfd_p : &hptid, NULL, 0);
    }
    int e = errno;
    if (pid != 0) signal_fork_parent();
    if (pid < 0) {
        if (pipefd[0] >= 0) { close(pipefd[0]); close(pipefd[1]); }
        return -e;
    }
    if (pid == 0) {
        cpu_after_fork();
        thread_after_fork();
        signal_fork_child();
        if (vfork_wait_fd >= 0) {   /* a vfork child's child: not the one its parent waits for */
            close(vfork_wait_fd);
            vfork_wait_fd = -1;
        }
        if (pipefd[0] >= 0) {
            close(pipefd[0]);
            vfork_wait_fd = pipefd[1];
        }
        if (pipefd[0] >= 0 && (r->flags & CLONE_VM)) {
            /* the parent's stack from its stack pointer to the mapping's end (at most 8 MiB) */
            const struct region *st = mem_next_region(c->r[ESP]);
            vfork_lo = c->r[ESP];
            vfork_hi = st && st->start <= c->r[ESP] ? st->end : vfork_lo;
            if (vfork_hi - vfork_lo > (8u << 20)) vfork_hi = vfork_lo + (8u << 20);
        }
        c->tid = (int)gettid();
        if (r->stack) c->r[ESP] = r->stack;
        if (flags & CLONE_SETTLS) tls_install(c, &tlsd);
        if (flags & CLONE_CLEAR_SIGHAND) clear_sighand(c);
        /* the kernel ignores faults on the tid stores */
        if (flags & CLONE_CHILD_SETTID) (void)put_user_u32(r->ctid, (uint32_t)c->tid);
        if (flags & CLONE_CHILD_CLEARTID) thread_set_clear_tid(r->ctid);
        return 0;
    }
    if (pipefd[0] >= 0) {
        close(pipefd[1]);
        vfork_wait(pipefd[0]);
        close(pipefd[0]);
    }
    if (flags & CLONE_PIDFD) (void)put_user_u32(r->pidfd, (uint32_t)hpidfd);
    if (flags & CLONE_PARENT_SETTID) (void)put_user_u32(r->ptid, plain ? (uint32_t)pid : (uint32_t)hptid);
    return pid;
}

SYS(fork) { return clone_process(c, &(struct clone_req){ .exit_signal = SIGCHLD }); }
SYS(vfork) { return clone_process(c, &(struct clone_req){ .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD }); }

/* i386 argument order: flags, newsp, parent_tid, tls, child_tid; the low
 * byte is the exit signal (any value: the kernel checks none for clone) */
SYS(clone)
{
    struct clone_req r = { .flags = a1 & ~0xffu, .exit_signal = a1 & 0xff, .stack = a2,
                           .ptid = a3, .pidfd = a3, .tls = a4, .ctid = a5 };
    return clone_process(c, &r);
}

#define CLONE_ARGS_V0 64
#define CLONE_ARGS_V2 88
#define MAX_PID_NS_LEVEL 32
#define CLONE_LEGACY_FLAGS 0xffffffffULL

/* clone3 (kernel/fork.c copy_clone_args_from_user, clone3_args_valid): a
 * size-versioned struct of u64 fields, checked in the kernel's order. */
SYS(clone3)
{
    uint64_t a[CLONE_ARGS_V2 / 8] = { 0 };
    uint32_t size = a2;
    if (size > GUEST_PAGE) return -E2BIG;
    if (size < CLONE_ARGS_V0) return -EINVAL;
    /* copy_struct_from_user: bytes past the known struct must be zero */
    if (ua_read(a, a1, size < sizeof a ? size : sizeof a)) return -EFAULT;
    for (uint32_t off = sizeof a; off < size; off++) {
        uint8_t b;
        if (ua_read(&b, a1 + off, 1)) return -EFAULT;
        if (b) return -E2BIG;
    }
    enum { FLAGS, PIDFD, CHILD_TID, PARENT_TID, EXIT_SIGNAL, STACK, STACK_SIZE, TLS, SET_TID, SET_TID_SIZE, CGROUP };
    if (a[SET_TID_SIZE] > MAX_PID_NS_LEVEL) return -EINVAL;
    if (!a[SET_TID] && a[SET_TID_SIZE]) return -EINVAL;
    if (a[SET_TID] && !a[SET_TID_SIZE]) return -EINVAL;
    if ((a[EXIT_SIGNAL] & ~(uint64_t)0xff) || a[EXIT_SIGNAL] > 64) return -EINVAL;
    if ((a[FLAGS] & CLONE_INTO_CGROUP) && (a[CGROUP] > 0x7fffffff || size < CLONE_ARGS_V2)) return -EINVAL;
    pid_t set_tid[MAX_PID_NS_LEVEL];
    /* guest pointers are 32 bits: a higher one is a fault as any unmapped one */
    if (a[SET_TID] && (a[SET_TID] >> 32 || a[SET_TID_SIZE] > MAX_PID_NS_LEVEL || ua_read(set_tid, (guest_addr)a[SET_TID], a[SET_TID_SIZE] * 4)))
        return -EFAULT;
    uint64_t f = a[FLAGS];
    if (f & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) return -EINVAL;
    if (f & (CLONE_DETACHED | (0xff & ~(uint64_t)CLONE_NEWTIME))) return -EINVAL;
    if ((f & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) return -EINVAL;
    if ((f & (CLONE_THREAD | CLONE_PARENT)) && a[EXIT_SIGNAL]) return -EINVAL;
    /* clone3_stack_valid: the child starts at stack + stack_size */
    uint64_t sp = 0;
    if (!a[STACK]) {
        if (a[STACK_SIZE]) return -EINVAL;
    } else {
        if (!a[STACK_SIZE]) return -EINVAL;
        if (a[STACK] + a[STACK_SIZE] < a[STACK] || a[STACK] + a[STACK_SIZE] > 0x00007ffffffff000ull) return -EINVAL;
        sp = a[STACK] + a[STACK_SIZE];
    }
    /* a guest pointer past 4 GiB: unmapped, as any other unmapped one */
    if ((f & CLONE_PIDFD) && a[PIDFD] >> 32) a[PIDFD] = 0;
    if ((f & CLONE_SETTLS) && a[TLS] >> 32) return -EFAULT;
    struct clone_req r = {
        .flags = f, .exit_signal = a[EXIT_SIGNAL], .stack = (guest_addr)sp, .tls = (guest_addr)a[TLS],
        .ptid = (guest_addr)a[PARENT_TID], .ctid = (guest_addr)a[CHILD_TID], .pidfd = (guest_addr)a[PIDFD],
        .v3 = true, .set_tid = a[SET_TID] ? (uint64_t)(uintptr_t)set_tid : 0, .set_tid_size = a[SET_TID_SIZE],
        .cgroup = a[CGROUP],
    };
    return clone_process(c, &r);
}
