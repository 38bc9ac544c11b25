/* Guest threads: clone with CLONE_VM (without CLONE_VFORK) runs the child on
 * a host thread of its own, with its own struct cpu, sharing the window.
 * Thread exit honours CLONE_CHILD_CLEARTID (store 0, futex wake) as the
 * kernel's mm_release does; the last thread's exit ends the process. */
#include <dlfcn.h>
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
