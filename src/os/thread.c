/* Thread plumbing: TLS descriptors (set_thread_area), the tid addresses,
 * robust futex lists, futex itself, rseq, membarrier. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "put_user.h"
#include "sys.h"

/* per guest thread: where to clear the tid at exit, and the robust list */
static __thread guest_addr clear_tid;
static __thread guest_addr robust_head;

void thread_set_clear_tid(guest_addr a) { clear_tid = a; }
guest_addr thread_get_clear_tid(void) { return clear_tid; }

/* ---- TLS: GDT entries 6..8 (arch/x86/kernel/tls.c) ---- */

/* An "empty" descriptor clears the slot (LDT_empty in asm/desc.h). */
static bool user_desc_empty(const struct i386_user_desc *u)
{
    uint32_t f = u->flags & 0x7f;
    return u->base_addr == 0 && u->limit == 0 &&
           (f == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT) || f == 0);
}

static bool tls_index_ok(int idx) { return idx >= GDT_TLS_FIRST && idx < GDT_TLS_FIRST + GDT_TLS_COUNT; }

void tls_install(struct cpu *c, const struct i386_user_desc *u)
{
    int idx = (int32_t)u->entry_number;
    struct seg_desc *d = &c->gdt[idx];
    if (user_desc_empty(u)) {
        memset(d, 0, sizeof *d);
    } else {
        d->base = u->base_addr;
        d->limit = u->limit & 0xfffff;
        d->flags = u->flags & 0x7f;
        d->used = true;
    }
    /* a segment register holding this selector is reloaded, as the kernel does */
    uint16_t sel = (uint16_t)(idx << 3 | 3);
    for (int s = 0; s < 6; s++)
        if (c->sreg[s] == sel) c->segbase[s] = d->base;
}

int tls_get_desc(guest_addr a, struct i386_user_desc *u)
{
    if (ua_read(u, a, sizeof *u)) return -EFAULT;
    return tls_index_ok((int32_t)u->entry_number) ? 0 : -EINVAL;
}

/* set_thread_area: entry -1 picks a free slot and writes its number back. 0 or -errno. */
int tls_set(struct cpu *c, guest_addr a)
{
    struct i386_user_desc u;
    if (ua_read(&u, a, sizeof u)) return -EFAULT;
    int idx = (int32_t)u.entry_number;
    if (idx == -1) {
        for (idx = GDT_TLS_FIRST; idx < GDT_TLS_FIRST + GDT_TLS_COUNT; idx++)
            if (!c->gdt[idx].used) break;
        if (idx == GDT_TLS_FIRST + GDT_TLS_COUNT) return -ESRCH;
        u.entry_number = (uint32_t)idx;
        if (put_user_u32(a, u.entry_number)) return -EFAULT;
    }
    if (!tls_index_ok(idx)) return -EINVAL;
    tls_install(c, &u);
    return 0;
}

SYS(set_thread_area) { return tls_set(c, a1); }

SYS(get_thread_area)
{
    uint32_t idx;
    if (ua_get_u32(a1, &idx)) return -EFAULT;
    if (idx < GDT_TLS_FIRST || idx >= GDT_TLS_FIRST + GDT_TLS_COUNT) return -EINVAL;
    const struct seg_desc *d = &c->gdt[idx];
    struct i386_user_desc u = { idx, 0, 0, UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT };
    if (d->used) {
        u.base_addr = d->base;
        u.limit = d->limit;
        u.flags = d->flags;
    }
    return ua_write(a1, &u, sizeof u);
}

SYS(set_tid_address)
{
    clear_tid = a1;
    return gettid();
}

/* ---- robust futex lists (the kernel's futex.rst "robust futexes"): the
 * guest registers an i386 list the host kernel cannot read, so ue walks it
 * when the thread ends ---- */

#define ROBUST_LIST_LIMIT 2048   /* the kernel's bound on a (possibly circular) list */

static void futex_wake_one(guest_addr uaddr)
{
    void *w = ua_lock(uaddr, 4, UA_IN);
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
    ua_unlock(w, uaddr, 4, UA_IN);
}

/* A lock word of the dying thread: mark it OWNER_DIED and wake a waiter, as
 * kernel/futex/core.c handle_futex_death. Nonzero ends the walk. */
static int futex_owner_died(guest_addr uaddr, uint32_t tid, bool pi, bool pending_op)
{
    if (uaddr & 3) return -1;
    uint32_t v, found;
    if (ua_get_u32(uaddr, &v)) return -1;
    /* an unlock that cleared the word but had not woken anyone yet */
    if (pending_op && !pi && !v) { futex_wake_one(uaddr); return 0; }
    for (;;) {
        if ((v & FUTEX_TID_MASK) != tid) return 0;
        if (ua_cmpxchg_u32(uaddr, v, (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED, &found)) return -1;
        if (found == v) break;
        v = found;
    }
    if (!pi && (v & FUTEX_WAITERS)) futex_wake_one(uaddr);
    return 0;
}

/* kernel/futex/core.c compat_exit_robust_list: each guest word read once;
 * at most ROBUST_LIST_LIMIT entries (the list may be circular). */
static void robust_walk(guest_addr head, uint32_t tid)
{
    uint32_t h[3];   /* struct robust_list_head: list.next, futex_offset, list_op_pending */
    if (!head || ua_read(h, head, sizeof h)) return;
    uint32_t off = h[1];              /* a signed offset: wraps like the kernel's pointer sum */
    guest_addr entry = h[0] & ~1u, pending = h[2] & ~1u;
    bool pi = h[0] & 1, pip = h[2] & 1;
    for (unsigned limit = ROBUST_LIST_LIMIT; entry != head; ) {
        uint32_t next = 0;
        int rc = ua_get_u32(entry, &next);   /* the next entry is fetched before this one is released */
        if (entry != pending && futex_owner_died(entry + off, tid, pi, false)) return;
        if (rc) return;
        entry = next & ~1u;
        pi = next & 1;
        if (!--limit) break;
    }
    if (pending) futex_owner_died(pending + off, tid, pip, true);
}

/* Every thread's list, for an exit of the whole process: the kernel walks
 * each dying thread's list, and a lock in shared memory outlives us. */
struct robust_rec { uint32_t tid; guest_addr head; };
static pthread_mutex_t robust_lock = PTHREAD_MUTEX_INITIALIZER;
static struct robust_rec *robust_recs;
static size_t robust_n, robust_cap;

static void robust_record(uint32_t tid, guest_addr head)
{
    pthread_mutex_lock(&robust_lock);
    size_t k = 0;
    while (k < robust_n && robust_recs[k].tid != tid) k++;
    if (k == robust_n && head) {
        if (robust_n == robust_cap) {
            size_t cap = robust_cap ? robust_cap * 2 : 16;
            struct robust_rec *nr = realloc(robust_recs, cap * sizeof *nr);
            if (!nr) { pthread_mutex_unlock(&robust_lock); return; }   /* only the exit-all walk misses it */
            robust_recs = nr;
            robust_cap = cap;
        }
        robust_n++;
    }
    if (k < robust_n) {
        if (head) robust_recs[k] = (struct robust_rec){ tid, head };
        else robust_recs[k] = robust_recs[--robust_n];
    }
    pthread_mutex_unlock(&robust_lock);
}

void thread_robust_exit(void)
{
    guest_addr head = robust_head;
    uint32_t tid = (uint32_t)gettid();
    robust_head = 0;
    robust_record(tid, 0);
    robust_walk(head, tid);
}

void thread_robust_exit_all(void)
{
    pthread_mutex_lock(&robust_lock);
    struct robust_rec *r = robust_recs;
    size_t n = robust_n;
    robust_recs = NULL;
    robust_n = robust_cap = 0;
    pthread_mutex_unlock(&robust_lock);
    robust_head = 0;
    for (size_t k = 0; k < n; k++) robust_walk(r[k].head, r[k].tid);
    free(r);
}

/* In the child of fork: only the calling thread, under its new tid. */
void thread_robust_fork_child(void)
{
    pthread_mutex_init(&robust_lock, NULL);   /* another thread may have held it at the fork */
    robust_n = 0;
    if (robust_head) robust_record((uint32_t)gettid(), robust_head);
}

SYS(set_robust_list)
{
    if (a2 != 12) return -EINVAL;   /* sizeof(struct robust_list_head) on i386 */
    robust_head = a1;
    robust_record((uint32_t)gettid(), a1);
    return 0;
}

/* Another task: the host judges it (ESRCH, EPERM without ptrace access).
 * Its head is known for a thread of ours; for another process it lives in
 * that process's ue, and ours is what a forked child inherited. */
SYS(get_robust_list)
{
    guest_addr head = robust_head;
    if (a1 && (pid_t)a1 != gettid()) {
        unsigned long h;
        size_t len;
        if (syscall(SYS_get_robust_list, (int)a1, &h, &len)) return -errno;
        if (!syscall(SYS_tgkill, getpid(), (int)a1, 0)) head = 0;   /* a thread of ours: its own record */
        pthread_mutex_lock(&robust_lock);
        for (size_t k = 0; k < robust_n; k++)
            if (robust_recs[k].tid == a1) head = robust_recs[k].head;
        pthread_mutex_unlock(&robust_lock);
    }
    if (put_user_u32(a3, 12) || put_user_u32(a2, head)) return -EFAULT;
    return 0;
}

/* glibc copes without rseq */
SYS(rseq) { return -ENOSYS; }

SYS(membarrier) { return host_ret(syscall(SYS_membarrier, (int)a1, a2, (int)a3)); }

/* ---- futex: guest memory is host memory, so the host futex works on it
 * directly, across threads and across processes sharing a mapping ---- */

/* FUTEX_WAIT and FUTEX_WAIT_BITSET with a timeout, interrupted: the rest
 * of the wait to the same end (futex_wait_restart): uaddr, op, val, end
 * seconds and nanoseconds, bitset */
static long futex_wait_restart(const uint64_t *a)
{
    struct timespec end = { (time_t)a[3], (long)a[4] };
    uint32_t op = FUTEX_WAIT_BITSET | ((uint32_t)a[1] & (FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
    void *w = ua_lock((guest_addr)a[0], 4, UA_INOUT);
    long r = safe_syscall(SYS_futex, (long)w, (int)op, (uint32_t)a[2], (long)&end, 0, (uint32_t)a[5]);
    ua_unlock(w, (guest_addr)a[0], 4, UA_INOUT);
    return r == -EINTR ? restart_set(futex_wait_restart, a) : r;
}

static long do_futex(guest_addr uaddr, uint32_t op, uint32_t val, uint32_t arg4,
                     guest_addr uaddr2, uint32_t val3, int time64)
{
    int cmd = (int)(op & FUTEX_CMD_MASK);
    struct timespec ts, end, *tsp = NULL;
    void *uaddr2_h = NULL;
    uintptr_t val2 = 0;
    bool timed = false, second = false;

    switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2:
        timed = true;
        break;
    case FUTEX_WAIT_REQUEUE_PI:
        timed = second = true;
        break;
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: case FUTEX_FD: case FUTEX_TRYLOCK_PI: case FUTEX_UNLOCK_PI:
        break;
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP: case FUTEX_CMP_REQUEUE_PI:
        val2 = arg4;   /* the fourth argument is a count here, not a pointer */
        second = true;
        break;
    default:
        return -ENOSYS;
    }
    if (timed && arg4) {
        int e = get_timespec(arg4, &ts, time64);
        if (e) return e;
        tsp = &ts;
        end = ts;   /* FUTEX_WAIT's is relative: its end on the futex's clock */
        if (cmd == FUTEX_WAIT && timeout_valid(&ts)) {
            clock_gettime(op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC, &end);
            end.tv_sec += ts.tv_sec;
            end.tv_nsec += ts.tv_nsec;
            if (end.tv_nsec >= 1000000000) { end.tv_nsec -= 1000000000; end.tv_sec++; }
        }
    }
    /* the host kernel checks alignment and access to the words itself */
    void *w = ua_lock(uaddr, 4, UA_INOUT);
    if (second) uaddr2_h = ua_lock(uaddr2, 4, UA_INOUT);
    long r = safe_syscall(SYS_futex, (long)w, (int)op, val,
                          timed ? (long)tsp : (long)val2, (long)uaddr2_h, val3);
    if (second) ua_unlock(uaddr2_h, uaddr2, 4, UA_INOUT);
    ua_unlock(w, uaddr, 4, UA_INOUT);
    /* a timed wait interrupted: -ERESTART_RESTARTBLOCK (EINTR with any
     * handler, SA_RESTART or not), continued to its end otherwise */
    if (r == -EINTR && tsp && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET))
        return restart_set(futex_wait_restart, (const uint64_t[6]){ uaddr, op, val, (uint64_t)end.tv_sec,
                                                                    (uint64_t)end.tv_nsec,
                                                                    cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3 });
    return r;
}

SYS(futex) { return do_futex(a1, a2, a3, a4, a5, a6, 0); }
SYS(futex_time64) { return do_futex(a1, a2, a3, a4, a5, a6, 1); }

/* ---- futex2 (kernel/futex/syscalls.c): the same host futexes, reached
 * through guest words ue locks as futex() does ---- */

#define SYS_futex_wake_nr 454
#define SYS_futex_wait_nr 455
#define SYS_futex_requeue_nr 456

/* A futex2 uaddr: 64 bits on the wire; a 64-bit kernel takes them all, so
 * an address past 4 GiB faults (its low bits still judge the alignment). */
static void *futex2_addr(uint64_t a)
{
    if (a >> 32) return (char *)guest_base + 0xffffffffu + 1 + (a & 0xfff);   /* uaccess-ok: the guard, never touched */
    return ua_lock((guest_addr)a, 4, UA_INOUT);
}

/* struct futex_waitv is 24 bytes of fixed-width fields on both ABIs: read
 * once (futex_parse_waitv's copy), each uaddr then made a host address */
static int futex2_waiters(struct futex_waitv *w, guest_addr a, uint32_t n)
{
    if (ua_read(w, a, n * sizeof *w)) return -EFAULT;
    for (uint32_t k = 0; k < n; k++) w[k].uaddr = (uintptr_t)futex2_addr(w[k].uaddr);
    return 0;
}

/* A __kernel_timespec read as a compat call's (the nsec padding dropped);
 * an unreadable one becomes an address the host faults on, so its own
 * checks (the clock first) keep their order. */
static const struct timespec *futex2_timeout(guest_addr a, struct timespec *ts)
{
    if (!a) return NULL;
    if (get_timespec64(a, ts)) return (const struct timespec *)((char *)guest_base + 0xffffffffu + 1);   /* uaccess-ok: the guard */
    return ts;
}

SYS(futex_waitv)
{
    struct futex_waitv w[FUTEX_WAITV_MAX];
    struct timespec ts;
    if (a3) return -EINVAL;
    if (!a2 || a2 > FUTEX_WAITV_MAX || !a1) return -EINVAL;
    if (a4) {
        /* futex2_setup_timeout: the clock, then the timespec */
        if ((int)a5 != CLOCK_REALTIME && (int)a5 != CLOCK_MONOTONIC) return -EINVAL;
        if (get_timespec64(a4, &ts)) return -EFAULT;
    }
    int e = futex2_waiters(w, a1, a2);
    if (e) return e;
    return safe_syscall(SYS_futex_waitv, (long)w, a2, 0, a4 ? (long)&ts : 0, (int)a5, 0);
}

/* mask and val are unsigned long: 32 bits from an i386 caller */
SYS(futex_wake) { return safe_syscall(SYS_futex_wake_nr, (long)futex2_addr(a1), a2, (int)a3, a4, 0, 0); }

SYS(futex_wait)
{
    struct timespec ts;
    const struct timespec *t = futex2_timeout(a5, &ts);
    return safe_syscall(SYS_futex_wait_nr, (long)futex2_addr(a1), a2, a3, a4, (long)t, (int)a6);
}

SYS(futex_requeue)
{
    struct futex_waitv w[2];
    if (a2) return -EINVAL;
    if (!a1) return -EINVAL;
    int e = futex2_waiters(w, a1, 2);
    if (e) return e;
    return safe_syscall(SYS_futex_requeue_nr, (long)w, 0, (int)a3, (int)a4, 0, 0);
}
