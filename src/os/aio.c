/* Linux native AIO (io_setup, io_submit, io_getevents...) on the host's.
 *
 * The context id is the address of the completion ring the kernel maps into
 * the process (libaio reads its header at that address). ue moves the host's
 * ring into the guest window (the kernel follows a mremap of it and takes the
 * new address as the id), so the guest id is the ring's guest address and
 * the host id is the window base plus the guest id: no table translates it.
 *
 * struct iocb and struct io_event have one layout on both ABIs, but an iocb
 * holds guest addresses: each one is copied into a host request (kept until
 * its event is read) with the buffer, or the i386 iovec array, translated.
 * The host's events name that copy as obj; io_getevents puts back the
 * guest's iocb pointer. io_uring is refused: see doc/syscalls.md. */
#include <limits.h>
#include <linux/aio_abi.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "put_user.h"
#include "sys.h"

#define AIO_KEY_OFF 8   /* offsetof(struct iocb, aio_key): the kernel stores KIOCB_KEY (0) there */

struct aio_req {            /* a submitted request, until its event is read */
    struct iocb h;          /* the host's copy: the host's events name it as obj */
    guest_addr ctx, iocb;
    struct iovec *iov;      /* PREADV/PWRITEV: the translated vector */
    bool submitting;        /* its io_submit has not returned: a reaper leaves it to the submitter */
    bool reaped;
    struct aio_req *next;
};
struct aio_ctx { guest_addr id; uint32_t len, nr; };

static pthread_mutex_t aio_lock = PTHREAD_MUTEX_INITIALIZER;
static struct aio_req *reqs;
static struct aio_ctx *ctxs;
static int nctxs, ctxs_cap;

static void *host_ctx(uint32_t id) { return (char *)guest_base + id; }   /* uaccess-ok: a lookup key, never dereferenced */

/* An address the host kernel faults on: the guard above the window. */
static void *host_fault_addr(void) { return (char *)guest_base + 0xffffffffu + 1; }   /* uaccess-ok: the guard, never touched */

static struct aio_ctx *find_ctx(guest_addr id)
{
    for (int i = 0; i < nctxs; i++)
        if (ctxs[i].id == id) return &ctxs[i];
    return NULL;
}

/* struct aio_ring's header (fs/aio.c): the ring holds nr events of 32 bytes after it */
struct aio_ring_hdr { uint32_t id, nr, head, tail, magic, compat, incompat, header_length; };

/* compat io_setup: the id word must be 0; the ring's guest address is written there */
SYS(io_setup)
{
    uint32_t id;
    if (ua_get_u32(a2, &id)) return -EFAULT;
    if (id || a1 >= INT_MAX) return -EINVAL;
    aio_context_t h = 0;
    long r = host_ret(syscall(SYS_io_setup, a1, &h));
    if (r) return r;
    struct aio_ring_hdr hdr;
    memcpy(&hdr, (void *)h, sizeof hdr);   /* the host's own fresh ring, outside the window */
    uint64_t len = PAGE_UP(sizeof hdr + (uint64_t)hdr.nr * sizeof(struct io_event));
    long g = len > GUEST_TASK_SIZE ? -ENOMEM : mem_adopt((void *)h, (uint32_t)len, PROT_READ | PROT_WRITE, "/[aio] (deleted)");
    if (g < 0) {
        syscall(SYS_io_destroy, h);
        return g;
    }
    if (put_user_u32(a2, (guest_addr)g)) {
        syscall(SYS_io_destroy, host_ctx((guest_addr)g));
        mem_forget((guest_addr)g, (uint32_t)len);
        return -EFAULT;
    }
    pthread_mutex_lock(&aio_lock);
    if (nctxs == ctxs_cap) {
        int cap = ctxs_cap ? ctxs_cap * 2 : 8;
        struct aio_ctx *n = realloc(ctxs, cap * sizeof *n);
        if (n) { ctxs = n; ctxs_cap = cap; }
    }
    if (nctxs < ctxs_cap) ctxs[nctxs++] = (struct aio_ctx){ (guest_addr)g, (uint32_t)len, hdr.nr };
    pthread_mutex_unlock(&aio_lock);
    return 0;
}

/* The kernel unmaps the ring itself: ue closes the hole and drops the requests. */
SYS(io_destroy)
{
    long r = host_ret(syscall(SYS_io_destroy, host_ctx(a1)));
    if (r) return r;
    pthread_mutex_lock(&aio_lock);
    struct aio_ctx *x = find_ctx(a1);
    uint32_t len = x ? x->len : 0;
    if (x) *x = ctxs[--nctxs];
    for (struct aio_req **p = &reqs; *p;) {
        struct aio_req *q = *p;
        if (q->ctx != a1) { p = &q->next; continue; }
        *p = q->next;
        if (q->submitting) q->reaped = true;
        else { free(q->iov); free(q); }
    }
    pthread_mutex_unlock(&aio_lock);
    if (len) mem_forget(a1, len);
    return 0;
}

/* PREADV/PWRITEV: the i386 iovec array translated, alive until the event */
static void aio_iovec(struct aio_req *q, guest_addr a, uint64_t cnt, enum ua_dir dir)
{
    if (cnt > IOV_MAX) return;   /* the host says EINVAL before reading */
    q->iov = malloc((cnt ? cnt : 1) * sizeof *q->iov);
    if (!q->iov) { q->h.aio_buf = (uintptr_t)host_fault_addr(); return; }
    uint32_t n;
    q->h.aio_buf = (uintptr_t)iovec_for_host(q->iov, a, (uint32_t)cnt, dir, &n);
    q->h.aio_nbytes = n;
}

/* One iocb (io_submit_one): 0 or -errno; the request is then the host's. */
static long submit_one(guest_addr ctx, guest_addr giocb)
{
    struct iocb g;
    if (ua_read(&g, giocb, sizeof g)) return -EFAULT;
    struct aio_req *q = calloc(1, sizeof *q);
    if (!q) return -EAGAIN;
    q->h = g;
    q->ctx = ctx;
    q->iocb = giocb;
    switch (g.aio_lio_opcode) {
    case IOCB_CMD_PREAD: case IOCB_CMD_PWRITE:
        /* a 64-bit kernel takes all 64 bits as the address: past 4 GiB it faults */
        q->h.aio_buf = g.aio_buf >> 32 ? (uintptr_t)host_fault_addr()
                     : (uintptr_t)ua_lock((guest_addr)g.aio_buf, g.aio_nbytes > UINT32_MAX ? UINT32_MAX : (uint32_t)g.aio_nbytes,
                                          g.aio_lio_opcode == IOCB_CMD_PREAD ? UA_OUT : UA_IN);
        break;
    case IOCB_CMD_PREADV: case IOCB_CMD_PWRITEV:
        if (g.aio_buf >> 32) q->h.aio_buf = (uintptr_t)host_fault_addr();
        else aio_iovec(q, (guest_addr)g.aio_buf, g.aio_nbytes, g.aio_lio_opcode == IOCB_CMD_PREADV ? UA_OUT : UA_IN);
        break;
    }
    /* the kernel stores the key (after the fd checks) before starting the
     * request: a guest iocb it cannot write to is submitted from a
     * read-only copy, which the host refuses at that same point */
    uint32_t key = g.aio_key;
    q->h.aio_key = key ? key : 1;   /* 0 once the host got that far */
    struct iocb *hp = &q->h;
    void *ro = NULL;
    if (ua_write(giocb + AIO_KEY_OFF, &key, 4)) {
        ro = mmap(NULL, GUEST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (ro == MAP_FAILED) { free(q->iov); free(q); return -EAGAIN; }
        memcpy(ro, &q->h, sizeof q->h);
        mprotect(ro, GUEST_PAGE, PROT_READ);
        hp = ro;
    }
    q->submitting = true;
    pthread_mutex_lock(&aio_lock);   /* listed first: the event may come at once */
    q->next = reqs;
    reqs = q;
    pthread_mutex_unlock(&aio_lock);
    long r = host_ret(syscall(SYS_io_submit, host_ctx(ctx), 1L, &hp));
    if (ro) munmap(ro, GUEST_PAGE);
    pthread_mutex_lock(&aio_lock);
    bool keyed = !ro && !q->h.aio_key;   /* the host stored the key in its copy */
    bool ok = r == 1 && !ro, gone = q->reaped;
    q->submitting = false;
    if (!ok && !gone)
        for (struct aio_req **p = &reqs; *p; p = &(*p)->next)
            if (*p == q) { *p = q->next; break; }
    if (!ok || gone) { free(q->iov); free(q); }
    pthread_mutex_unlock(&aio_lock);
    if (keyed) put_user_u32(giocb + AIO_KEY_OFF, 0);   /* KIOCB_KEY, in the guest's too */
    if (ok) return 0;
    return r == 1 ? -EFAULT : r < 0 ? r : -EAGAIN;
}

/* compat io_submit: the iocb pointers are 4 bytes; at most the ring's size
 * of them; the count submitted, or the first one's error */
SYS(io_submit)
{
    int32_t nr = (int32_t)a2;
    if (nr < 0) return -EINVAL;
    long r = host_ret(syscall(SYS_io_submit, host_ctx(a1), 0L, NULL));   /* the context lookup */
    if (r) return r;
    pthread_mutex_lock(&aio_lock);
    struct aio_ctx *x = find_ctx(a1);
    if (x && (uint32_t)nr > x->nr) nr = (int32_t)x->nr;
    pthread_mutex_unlock(&aio_lock);
    int32_t i;
    for (i = 0; i < nr; i++) {
        uint32_t p;
        if (ua_get_u32(a3 + 4 * (uint32_t)i, &p)) { r = -EFAULT; break; }
        r = submit_one(a1, p);
        if (r) break;
    }
    return i ? i : r;
}

/* The host's events were written to guest memory: each obj (the host copy)
 * becomes the guest's iocb pointer again, and the request is forgotten. */
static void events_to_guest(guest_addr ev, long n)
{
    pthread_mutex_lock(&aio_lock);
    for (long k = 0; k < n; k++) {
        guest_addr at = ev + (guest_addr)k * sizeof(struct io_event) + offsetof(struct io_event, obj);
        uint64_t obj;
        if (ua_read(&obj, at, 8)) break;
        for (struct aio_req **p = &reqs; *p; p = &(*p)->next) {
            struct aio_req *q = *p;
            if ((uintptr_t)&q->h != obj) continue;
            ua_put_u64(at, q->iocb);
            *p = q->next;
            if (q->submitting) q->reaped = true;   /* its submitter frees it */
            else { free(q->iov); free(q); }
            break;
        }
    }
    pthread_mutex_unlock(&aio_lock);
}

/* io_getevents and io_pgetevents: the timeout (any width) is read first,
 * then the signal mask (set_compat_user_sigmask), then the host judges. */
static long getevents(guest_addr ctx, uint32_t min_nr, uint32_t nr, guest_addr ev, guest_addr tmo,
                      guest_addr usig, int time64, bool pget)
{
    struct timespec ts;
    uint64_t mask;
    bool masked = false;
    if (tmo && get_timespec(tmo, &ts, time64)) return -EFAULT;
    if (usig) {
        uint32_t s[2];   /* struct __compat_aio_sigset: sigmask pointer, sigsetsize */
        if (ua_read(s, usig, sizeof s)) return -EFAULT;
        if (s[0]) {
            if (s[1] != 8) return -EINVAL;
            if (ua_read(&mask, s[0], 8)) return -EFAULT;
            masked = true;
        }
    }
    uint64_t room = (uint64_t)(int32_t)nr * sizeof(struct io_event);
    void *p = ua_lock(ev, room > UINT32_MAX || (int32_t)nr < 0 ? 0 : (uint32_t)room, UA_OUT);
    sigset_t hs;
    struct { const sigset_t *ss; size_t len; } hsig = { &hs, 8 };
    if (masked) safe_mask_host_set(&mask, &hs);
    long r = safe_syscall_masked(masked ? &mask : NULL, pget ? SYS_io_pgetevents : SYS_io_getevents,
                                 (long)host_ctx(ctx), (long)(int32_t)min_nr, (long)(int32_t)nr, (long)p,
                                 tmo ? (long)&ts : 0, masked ? (long)&hsig : 0);
    if (r > 0) events_to_guest(ev, r);
    ua_unlock(p, ev, r > 0 ? (uint32_t)r * sizeof(struct io_event) : 0, UA_OUT);
    return r;
}

SYS(io_getevents) { return getevents(a1, a2, a3, a4, a5, 0, 0, false); }
SYS(io_pgetevents) { return getevents(a1, a2, a3, a4, a5, a6, 0, true); }
SYS(io_pgetevents_time64) { return getevents(a1, a2, a3, a4, a5, a6, 1, true); }

/* io_cancel: the key word, the context, then the request, which the host
 * knows by its copy's address */
SYS(io_cancel)
{
    static struct iocb unknown;   /* key 0, never submitted: the host's EINVAL */
    uint32_t key;
    if (ua_get_u32(a2 + AIO_KEY_OFF, &key)) return -EFAULT;
    if (key) return -EINVAL;
    /* held over the call (which does not block): the request stays alive */
    pthread_mutex_lock(&aio_lock);
    struct iocb *h = &unknown;
    for (struct aio_req *q = reqs; q; q = q->next)
        if (q->ctx == a1 && q->iocb == a2) { h = &q->h; break; }
    long r = host_ret(syscall(SYS_io_cancel, host_ctx(a1), h, NULL));
    pthread_mutex_unlock(&aio_lock);
    return r;
}
