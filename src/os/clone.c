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

#include "put_user.h"
#include "sys.h"

static int live_threads = 1;

/* The main thread's struct cpu is main()'s static one; the others are ours to free. */
static __thread bool cpu_allocated;

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
    /* mm_release: clear the tid word and wake one waiter; a fault skips both */
    guest_addr ctid = thread_get_clear_tid();
    if (ctid && !store_zero(ctid)) {
        void *w = ua_lock(ctid, 4, UA_IN);
        syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
        ua_unlock(w, ctid, 4, UA_IN);
    }
    cpu_thread_exit();
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
