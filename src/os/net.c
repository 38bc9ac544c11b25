/* Sockets: the direct i386 calls (359..373, recvmmsg, sendmmsg) and the
 * socketcall(102) multiplexer. sockaddrs, socklen_t and most option values
 * have the same layout on i386 and x86_64 and are handed to the host kernel
 * locked in place; msghdr/iovec/mmsghdr and control messages are read once
 * into host memory and converted there (net/compat.c). */
#include <linux/filter.h>
#include <limits.h>
#include <netinet/in.h>
#include <linux/net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "put_user.h"
#include "sys.h"

struct i386_msghdr { uint32_t name, namelen, iov, iovlen, control, controllen, flags; };
struct i386_mmsghdr { struct i386_msghdr hdr; uint32_t len; };
struct i386_cmsghdr { uint32_t len; int32_t level, type; };
struct i386_sock_fprog { uint16_t len, pad; uint32_t filter; };
/* group_req/group_source_req: no padding before the sockaddr_storage on i386 */
struct i386_group_req { uint32_t interface; uint8_t group[128]; };
struct i386_group_source_req { uint32_t interface; uint8_t group[128], source[128]; };
ABI_SIZE(struct i386_group_req, 132);
ABI_SIZE(struct i386_group_source_req, 260);
ABI_SIZE(struct i386_msghdr, 28);
ABI_SIZE(struct i386_mmsghdr, 32);

#define GCMSG_HDR 12u
#define GCMSG_ALIGN(n) (((n) + 3u) & ~3u)
#define SOCKADDR_MAX 128u       /* sizeof(struct sockaddr_storage) */
#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024         /* caps iovlen (EMSGSIZE) and the mmsg vlen */
#endif
#define MAX_RW_COUNT (INT_MAX & ~4095)
/* Control data copied into host memory at once; longer data (far beyond
 * optmem_max, 128 KiB by default) is only walked, then fails with ENOMEM. */
#define CTL_SNAP_MAX (1u << 20)
#define HCTL_RECV_MAX (64u << 10)
#define MSG_CMSG_COMPAT_BIT 0x80000000u   /* the compat calls set it themselves */

/* The kernel looks the socket up before reading any argument
 * (sockfd_lookup_light): when ue's own reading failed, a bad fd still wins. */
static long sock_first(uint32_t fd, long err)
{
    int type;
    socklen_t l = sizeof type;
    if (getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &l) < 0 && (errno == EBADF || errno == ENOTSOCK))
        return -errno;
    return err;
}

/* ---- plain calls: guest buffers go to the host kernel as they are ---- */

static long do_socket(uint32_t dom, uint32_t type, uint32_t proto)
{
    long r = host_ret(socket((int)dom, (int)type, (int)proto));
    if (r >= 0) fd_set_nolfs((int)r, 0);   /* socketcall has no 'f' return to do it */
    return r;
}

/* The kernel stores both fds before it creates the sockets (EFAULT before
 * EAFNOSUPPORT): the host writes them into the guest array itself. */
static long do_socketpair(uint32_t dom, uint32_t type, uint32_t proto, guest_addr sv)
{
    int *p = ua_lock(sv, 8, UA_OUT), fds[2];
    long r = host_ret(syscall(SYS_socketpair, (int)dom, (int)type, (int)proto, p));
    ua_unlock(p, sv, r < 0 ? 0 : 8, UA_OUT);
    /* read back only to clear ue's O_LARGEFILE note, which bounds the fd */
    if (r >= 0 && !ua_read(fds, sv, sizeof fds)) fd_set_nolfs(fds[0], 0), fd_set_nolfs(fds[1], 0);
    return r;
}

static long do_bind_connect(long nr, uint32_t fd, guest_addr addr, uint32_t len)
{
    void *p = ua_lock(addr, len, UA_IN);
    long r = nr == SYS_connect ? safe_syscall(SYS_connect, (int)fd, (long)p, len, 0, 0, 0)
                               : host_ret(syscall(SYS_bind, (int)fd, p, len));
    ua_unlock(p, addr, len, UA_IN);
    return r;
}

/* An output sockaddr and its in/out length word (accept, getsockname,
 * recvfrom): the host kernel reads the length and writes at most 128 bytes. */
struct out_addr { guest_addr a, l; void *ha, *hl; };

static struct out_addr out_addr_lock(guest_addr addr, guest_addr lenp)
{
    struct out_addr o = { addr, lenp, NULL, NULL };
    if (addr) {
        o.ha = ua_lock(addr, SOCKADDR_MAX, UA_OUT);
        o.hl = ua_lock(lenp, 4, UA_INOUT);
    }
    return o;
}

static void out_addr_unlock(struct out_addr *o)
{
    if (!o->ha) return;
    ua_unlock(o->ha, o->a, SOCKADDR_MAX, UA_OUT);
    ua_unlock(o->hl, o->l, 4, UA_INOUT);
}

static long do_accept4(uint32_t fd, guest_addr addr, guest_addr lenp, uint32_t flags)
{
    struct out_addr o = out_addr_lock(addr, lenp);
    long r = safe_syscall(SYS_accept4, (int)fd, (long)o.ha, (long)o.hl, (int)flags, 0, 0);
    out_addr_unlock(&o);
    if (r >= 0) fd_set_nolfs((int)r, 0);
    return r;
}

static long do_getname(long nr, uint32_t fd, guest_addr addr, guest_addr lenp)
{
    void *ha = ua_lock(addr, SOCKADDR_MAX, UA_OUT), *hl = ua_lock(lenp, 4, UA_INOUT);
    long r = host_ret(syscall(nr, (int)fd, ha, hl));
    ua_unlock(ha, addr, SOCKADDR_MAX, UA_OUT);
    ua_unlock(hl, lenp, 4, UA_INOUT);
    return r;
}

static long do_sendto(uint32_t fd, guest_addr buf, uint32_t len, uint32_t flags,
                      guest_addr addr, uint32_t alen)
{
    void *b = ua_lock(buf, len, UA_IN), *a = addr ? ua_lock(addr, alen, UA_IN) : NULL;
    long r = safe_syscall(SYS_sendto, (int)fd, (long)b, len, (int)flags, (long)a, alen);
    ua_unlock(b, buf, r > 0 ? (uint32_t)r : 0, UA_IN);
    if (a) ua_unlock(a, addr, alen, UA_IN);
    return r;
}

static long do_recvfrom(uint32_t fd, guest_addr buf, uint32_t len, uint32_t flags,
                        guest_addr addr, guest_addr lenp)
{
    void *b = ua_lock(buf, len, UA_OUT);
    struct out_addr o = out_addr_lock(addr, lenp);
    long r = safe_syscall(SYS_recvfrom, (int)fd, (long)b, len, (int)(flags & ~MSG_CMSG_COMPAT_BIT),
                          (long)o.ha, (long)o.hl);
    ua_unlock(b, buf, r > 0 ? (uint32_t)r : 0, UA_OUT);
    out_addr_unlock(&o);
    return r;
}

/* ---- socket options ---- */

static int is_old_timeo(int level, int name)
{
    return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD);
}

/* An option ue converts failed its own checks: the host, asked with no
 * value, says whether the kernel would have failed earlier (bad fd, not a
 * socket, a protocol without the option); its EINVAL is the length check. */
static long setopt_first(uint32_t fd, int lv, int nm, long err)
{
    long r = host_ret(setsockopt((int)fd, lv, nm, NULL, 0));
    return r == -EINVAL || r == 0 ? err : r;
}

/* MCAST_{JOIN,LEAVE}_GROUP and the source variants (compat_ip_mcast_join_leave). */
static long set_mcast_group(uint32_t fd, int lv, int nm, guest_addr val, uint32_t len)
{
    if (nm == MCAST_JOIN_GROUP || nm == MCAST_LEAVE_GROUP) {
        struct i386_group_req g;
        if ((int32_t)len < (int)sizeof g) return setopt_first(fd, lv, nm, -EINVAL);
        if (ua_read(&g, val, sizeof g)) return setopt_first(fd, lv, nm, -EFAULT);
        struct group_req h = { .gr_interface = g.interface };
        memcpy(&h.gr_group, g.group, sizeof g.group);
        return host_ret(setsockopt((int)fd, lv, nm, &h, sizeof h));
    }
    struct i386_group_source_req g;
    if (len != sizeof g) return setopt_first(fd, lv, nm, -EINVAL);
    if (ua_read(&g, val, sizeof g)) return setopt_first(fd, lv, nm, -EFAULT);
    struct group_source_req h = { .gsr_interface = g.interface };
    memcpy(&h.gsr_group, g.group, sizeof g.group);
    memcpy(&h.gsr_source, g.source, sizeof g.source);
    return host_ret(setsockopt((int)fd, lv, nm, &h, sizeof h));
}

static long do_setsockopt(uint32_t fd, uint32_t level, uint32_t name, guest_addr val, uint32_t len)
{
    int lv = (int)level, nm = (int)name;
    if (is_old_timeo(lv, nm)) {
        /* the i386 option value is a 32-bit timeval (sock_copy_user_timeval);
         * sk_setsockopt reads an int from any value of 4 bytes or more first */
        struct i386_timeval g;
        if ((int32_t)len < 4) return setopt_first(fd, lv, nm, -EINVAL);
        size_t miss = ua_read_partial(&g, val, sizeof g);
        if (miss > 4) return setopt_first(fd, lv, nm, -EFAULT);
        if ((int32_t)len < (int)sizeof g) return setopt_first(fd, lv, nm, -EINVAL);
        if (miss) return setopt_first(fd, lv, nm, -EFAULT);
        struct timeval tv = { g.tv_sec, g.tv_usec };
        return host_ret(setsockopt((int)fd, lv, nm, &tv, sizeof tv));
    }
    if (lv == SOL_SOCKET && (nm == SO_ATTACH_FILTER || nm == SO_ATTACH_REUSEPORT_CBPF)) {
        /* struct sock_fprog holds a pointer: 8 bytes on i386 (copy_bpf_fprog_from_user);
         * sk_setsockopt reads an int from any value of 4 bytes or more first */
        struct i386_sock_fprog g;
        if ((int32_t)len < 4) return setopt_first(fd, lv, nm, -EINVAL);
        size_t miss = ua_read_partial(&g, val, sizeof g);
        if (miss > 4) return setopt_first(fd, lv, nm, -EFAULT);
        if (len != sizeof g) return setopt_first(fd, lv, nm, -EINVAL);
        if (miss) return setopt_first(fd, lv, nm, -EFAULT);
        uint32_t flen = (uint32_t)g.len * 8;
        struct sock_fprog fp = { g.len, ua_lock(g.filter, flen, UA_IN) };
        long r = host_ret(setsockopt((int)fd, lv, nm, &fp, sizeof fp));
        ua_unlock(fp.filter, g.filter, flen, UA_IN);
        return r;
    }
    if ((lv == SOL_IP || lv == SOL_IPV6) && nm >= MCAST_JOIN_GROUP && nm <= MCAST_LEAVE_SOURCE_GROUP)
        return set_mcast_group(fd, lv, nm, val, len);
    uint32_t n = (int32_t)len > 0 ? len : 0;
    void *p = ua_lock(val, n, UA_IN);
    long r = host_ret(setsockopt((int)fd, lv, nm, p, len));
    ua_unlock(p, val, n, UA_IN);
    return r;
}

static long do_getsockopt(uint32_t fd, uint32_t level, uint32_t name, guest_addr val, guest_addr lenp)
{
    int lv = (int)level, nm = (int)name;
    if (is_old_timeo(lv, nm)) {
        /* the host checks the socket first; then the guest's length (sk_getsockopt) */
        struct timeval tv;
        socklen_t hl = sizeof tv;
        long r = host_ret(getsockopt((int)fd, lv, nm, &tv, &hl));
        if (r < 0) return r;
        uint32_t len;
        if (ua_get_u32(lenp, &len)) return -EFAULT;
        if ((int32_t)len < 0) return -EINVAL;
        struct i386_timeval g = { (int32_t)tv.tv_sec, (int32_t)tv.tv_usec };
        if (len > sizeof g) len = sizeof g;
        if (ua_write(val, &g, len) || put_user_u32(lenp, len)) return -EFAULT;
        return 0;
    }
    /* the host kernel reads and checks the length itself; ue reads it only to
     * know which bytes may be written (decoded-code pages) */
    uint32_t len = 0;
    if (ua_get_u32(lenp, &len) || (int32_t)len < 0) len = 0;
    void *p = ua_lock(val, len, UA_OUT), *hl = ua_lock(lenp, 4, UA_INOUT);
    long r = host_ret(syscall(SYS_getsockopt, (int)fd, lv, nm, p, hl));
    ua_unlock(p, val, len, UA_OUT);
    ua_unlock(hl, lenp, 4, UA_INOUT);
    return r;
}

/* ---- msghdr and control messages ---- */

/* One guest message converted for the host kernel. */
struct hmsg {
    struct msghdr h;
    struct i386_msghdr g;       /* the guest msghdr, read once */
    guest_addr at;              /* where it is */
    struct i386_iovec *gv;      /* the guest iovecs, read once */
    struct iovec *iov;
    void *ctl;
    struct sockaddr_storage name;
    int dir;                    /* UA_IN: send, UA_OUT: receive */
};

/* done: the bytes the call moved, spread over the iovecs in order */
static void hmsg_free(struct hmsg *m, long done)
{
    uint64_t left = done > 0 ? (uint64_t)done : 0;
    for (size_t k = 0; m->iov && k < m->h.msg_iovlen; k++) {
        uint64_t n = left < m->iov[k].iov_len ? left : m->iov[k].iov_len;
        ua_unlock(m->iov[k].iov_base, m->gv[k].iov_base, (uint32_t)n, m->dir);
        left -= n;
    }
    free(m->gv);
    free(m->iov);
    free(m->ctl);
    m->gv = NULL, m->iov = NULL, m->ctl = NULL;
}

/* The guest iovec array, read once; each entry as import_iovec checks it
 * (copy_compat_iovec_from_user: an unreadable entry EFAULT, a negative length
 * EINVAL, in entry order; lengths clamped to MAX_RW_COUNT in total). */
static int iov_in(struct hmsg *m)
{
    uint32_t n = m->g.iovlen;
    if (!n) return 0;
    m->gv = calloc(n, sizeof *m->gv);
    m->iov = calloc(n, sizeof *m->iov);
    if (!m->gv || !m->iov) return -ENOMEM;
    size_t got = n * sizeof *m->gv - ua_read_partial(m->gv, m->g.iov, n * sizeof *m->gv);
    uint64_t total = 0;
    for (uint32_t k = 0; k < n; k++) {
        if ((k + 1) * sizeof *m->gv > got) return -EFAULT;
        if ((int32_t)m->gv[k].iov_len < 0) return -EINVAL;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t len = m->gv[k].iov_len;
        if (len > MAX_RW_COUNT - total) len = (uint32_t)(MAX_RW_COUNT - total);
        total += len;
        m->iov[k].iov_base = ua_lock(m->gv[k].iov_base, len, m->dir);
        m->iov[k].iov_len = len;
        m->h.msg_iovlen = k + 1;   /* what hmsg_free unlocks */
    }
    m->h.msg_iov = m->iov;
    return 0;
}

/* The guest control buffer as the kernel walks it: a host snapshot of its
 * bytes (with which pages could be read), or, past CTL_SNAP_MAX, the guest
 * memory itself, each length word read once. */
struct ctl_src {
    guest_addr at;
    uint32_t len;               /* msg_controllen */
    uint8_t *snap;              /* NULL: read the guest directly */
    uint8_t *bad;               /* per page of the snapshot: unreadable */
};

/* A guest address plus an offset past 4 GiB: the i386 kernel's pointer
 * arithmetic does not wrap, so such bytes are simply not there. */
#define PAST_4G(a, off) ((uint64_t)(a) + (off) >= (1ull << 32))

static int ctl_get(const struct ctl_src *s, uint32_t off, void *dst, uint32_t n)
{
    if (!n) return 0;
    if (!s->snap) return PAST_4G(s->at, off) ? -EFAULT : ua_read(dst, s->at + off, n);
    uint32_t first = (uint32_t)(((uint64_t)(s->at & 4095) + off) >> 12);
    uint32_t last = (uint32_t)(((uint64_t)(s->at & 4095) + off + n - 1) >> 12);
    for (uint32_t p = first; p <= last; p++)
        if (s->bad[p]) return -EFAULT;
    memcpy(dst, s->snap + off, n);
    return 0;
}

/* Copy [at, at+n) page by page: the kernel reads headers and data piecewise,
 * so a hole faults only the reads that reach it. */
static int ctl_snapshot(struct ctl_src *s, uint32_t n)
{
    uint32_t pages = (uint32_t)(((uint64_t)(s->at & 4095) + n + 4095) >> 12);
    s->snap = calloc(1, n);
    s->bad = calloc(pages, 1);
    if (!s->snap || !s->bad) return -ENOMEM;
    for (uint32_t off = 0, p = 0; off < n; p++) {
        uint32_t chunk = 4096 - (uint32_t)((s->at + off) & 4095);
        if (chunk > n - off) chunk = n - off;
        if (PAST_4G(s->at, off) || ua_read_partial(s->snap + off, s->at + off, chunk)) s->bad[p] = 1;
        off += chunk;
    }
    return 0;
}

/* net.core.optmem_max: the compat conversion's sock_kmalloc fails (ENOMEM)
 * for control data this long, where the host's own one says ENOBUFS. */
static uint64_t optmem_max(void)
{
    static uint64_t max;
    if (!max) {
        unsigned long v = 131072;
        FILE *f = fopen("/proc/sys/net/core/optmem_max", "r");
        if (f) {
            if (fscanf(f, "%lu", &v) != 1) v = 131072;
            fclose(f);
        }
        max = v;
    }
    return max;
}

/* i386 control messages to host ones from one read of the guest buffer
 * (cmsghdr_from_user_compat_to_kern: walk the lengths, then convert). */
static int ctl_in(struct hmsg *m)
{
    struct ctl_src s = { m->g.control, m->g.controllen, NULL, NULL };
    if (s.len > INT_MAX) return -ENOBUFS;
    if (!s.len) return 0;
    if (!s.at) return -EINVAL;   /* CMSG_COMPAT_FIRSTHDR is NULL: nothing to walk */
    /* the walk may read a length word up to 3 bytes past the end */
    int e = (uint64_t)s.len + 3 <= CTL_SNAP_MAX ? ctl_snapshot(&s, s.len + 3) : 0;
    uint64_t hlen = 0;
    uint32_t off = 0;
    if (e) goto out;
    for (bool more = s.len >= GCMSG_HDR; more;) {
        uint32_t clen;
        if ((e = ctl_get(&s, off, &clen, 4))) goto out;
        if (clen < GCMSG_HDR || clen > s.len - off) { e = -EINVAL; goto out; }
        hlen += CMSG_SPACE(clen - GCMSG_HDR);
        uint64_t next = (uint64_t)off + GCMSG_ALIGN((uint64_t)clen);
        more = next < s.len;
        off = (uint32_t)next;
    }
    if (!hlen) { e = -EINVAL; goto out; }
    /* (no snapshot: longer than CTL_SNAP_MAX, which optmem_max is not) */
    if (!s.snap || (hlen > 36 && hlen >= optmem_max())) { e = -ENOMEM; goto out; }
    uint8_t *hb = m->ctl = calloc(1, hlen);
    if (!hb) { e = -ENOMEM; goto out; }
    size_t ho = 0;
    for (off = 0; off < s.len;) {
        struct i386_cmsghdr c;
        if ((e = ctl_get(&s, off, &c, sizeof c))) goto out;
        /* the snapshot's values passed the walk above; checked again as the kernel does */
        if (c.len < GCMSG_HDR || c.len > s.len - off || ho + CMSG_SPACE(c.len - GCMSG_HDR) > hlen) {
            e = -EINVAL;
            goto out;
        }
        struct cmsghdr *h = (struct cmsghdr *)(hb + ho);
        h->cmsg_len = CMSG_LEN(c.len - GCMSG_HDR);
        h->cmsg_level = c.level;
        h->cmsg_type = c.type;
        if ((e = ctl_get(&s, off + GCMSG_HDR, CMSG_DATA(h), c.len - GCMSG_HDR))) goto out;
        ho += CMSG_SPACE(c.len - GCMSG_HDR);
        off += GCMSG_ALIGN(c.len);
    }
    m->h.msg_control = hb;
    m->h.msg_controllen = hlen;
out:
    free(s.snap);
    free(s.bad);
    return e;
}

/* Read and convert the guest msghdr at a (get_compat_msghdr), in the
 * kernel's order: the header, the name (sends copy it in), iovlen, the
 * iovecs, then for sends the control messages. */
static int msg_in(struct hmsg *m, guest_addr a, int dir)
{
    memset(m, 0, sizeof *m);
    m->at = a;
    m->dir = dir;
    if (ua_read(&m->g, a, sizeof m->g)) return -EFAULT;
    const struct i386_msghdr *g = &m->g;
    m->h.msg_flags = (int)g->flags;
    if (g->name) {
        if ((int32_t)g->namelen < 0) return -EINVAL;
        uint32_t n = g->namelen > SOCKADDR_MAX ? SOCKADDR_MAX : g->namelen;
        if (dir == UA_IN && n) {
            if (ua_read(&m->name, g->name, n)) return -EFAULT;
            m->h.msg_name = &m->name;
            m->h.msg_namelen = n;
        }
    }
    if (dir == UA_OUT) {
        m->h.msg_name = &m->name;
        m->h.msg_namelen = sizeof m->name;
    }
    if (g->iovlen > UIO_MAXIOV) return -EMSGSIZE;
    int e = iov_in(m);
    if (e) return e;
    if (dir == UA_IN) return ctl_in(m);
    if (g->control || g->controllen) {
        /* room for everything the guest buffer can take after host growth
         * (16-byte headers, 8-byte alignment, 64-bit times); extra is truncated later */
        size_t hlen = (size_t)(g->controllen > HCTL_RECV_MAX ? HCTL_RECV_MAX : g->controllen) * 2 + 256;
        if (!(m->ctl = calloc(1, hlen))) return -ENOMEM;
        m->h.msg_control = m->ctl;
        m->h.msg_controllen = hlen;
    }
    return 0;
}

/* The guest control buffer being filled (put_cmsg_compat's cursor). */
struct ctl_out { uint64_t at; uint32_t rem; int flags; };

/* ua_write at a cursor that may have moved past 4 GiB (nothing is there) */
static int put_at(uint64_t at, const void *src, uint32_t n)
{
    return at + n > (1ull << 32) && n ? -EFAULT : ua_write((guest_addr)at, src, n);
}

static void put_gcmsg(struct ctl_out *o, int level, int type, const void *data, uint32_t len)
{
    if (!o->at || o->rem < GCMSG_HDR) { o->flags |= MSG_CTRUNC; return; }
    uint32_t cmlen = GCMSG_HDR + len;
    if (o->rem < cmlen) { o->flags |= MSG_CTRUNC; cmlen = o->rem; }
    struct i386_cmsghdr h = { cmlen, level, type };
    /* a fault leaves the cursor where it is (the kernel ignores put_cmsg's EFAULT) */
    if (put_at(o->at, &h, sizeof h) || put_at(o->at + GCMSG_HDR, data, cmlen - GCMSG_HDR)) return;
    cmlen = GCMSG_ALIGN(GCMSG_HDR + len);
    if (cmlen > o->rem) cmlen = o->rem;
    o->at += cmlen, o->rem -= cmlen;
}

/* Received fds (scm_detach_fds_compat): as many as the guest buffer holds,
 * each written in turn (a fault stops there); the rest are closed. */
static void put_grights(struct ctl_out *o, const int *fds, uint32_t n)
{
    uint32_t fit = o->at && o->rem > GCMSG_HDR ? (o->rem - GCMSG_HDR) / 4 : 0;
    uint32_t max = n < fit ? n : fit, k = 0;
    for (; k < max; k++)
        if (put_at(o->at + GCMSG_HDR + 4 * k, &fds[k], 4)) break;
    for (uint32_t j = 0; j < n; j++) {
        if (j < k) fd_set_nolfs(fds[j], 0);
        else close(fds[j]);
    }
    if (k) {
        struct i386_cmsghdr h = { GCMSG_HDR + 4 * k, SOL_SOCKET, SCM_RIGHTS };
        if (!put_at(o->at, &h, sizeof h)) {
            uint32_t space = GCMSG_ALIGN(h.len) < o->rem ? GCMSG_ALIGN(h.len) : o->rem;
            o->at += space, o->rem -= space;
        }
    }
    if (k < n || (n && !max)) o->flags |= MSG_CTRUNC;
}

/* Host control messages back to the guest; returns the guest bytes used. */
static uint32_t ctl_out(struct hmsg *m, int *flags)
{
    struct ctl_out o = { m->g.control, m->g.controllen, 0 };
    if (!m->ctl) return 0;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m->h); h; h = CMSG_NXTHDR(&m->h, h)) {
        const uint8_t *d = CMSG_DATA(h);
        uint32_t len = (uint32_t)(h->cmsg_len - CMSG_LEN(0));
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
            put_grights(&o, (const int *)d, len / 4);
        } else if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SO_TIMESTAMP_OLD) {
            struct timeval tv;
            memcpy(&tv, d, sizeof tv);
            struct i386_timeval g = { (int32_t)tv.tv_sec, (int32_t)tv.tv_usec };
            put_gcmsg(&o, h->cmsg_level, h->cmsg_type, &g, sizeof g);
        } else if (h->cmsg_level == SOL_SOCKET &&
                   (h->cmsg_type == SO_TIMESTAMPNS_OLD || h->cmsg_type == SO_TIMESTAMPING_OLD)) {
            struct i386_timespec32 g[3];
            uint32_t n = h->cmsg_type == SO_TIMESTAMPNS_OLD ? 1 : 3;
            if (n * sizeof(struct timespec) > len) n = len / sizeof(struct timespec);
            for (uint32_t k = 0; k < n; k++) {
                struct timespec ts;
                memcpy(&ts, d + k * sizeof ts, sizeof ts);
                g[k] = (struct i386_timespec32){ (int32_t)ts.tv_sec, (int32_t)ts.tv_nsec };
            }
            put_gcmsg(&o, h->cmsg_level, h->cmsg_type, g, n * sizeof g[0]);
        } else {
            put_gcmsg(&o, h->cmsg_level, h->cmsg_type, d, len);
        }
    }
    *flags |= o.flags;
    return m->g.controllen - o.rem;
}

/* After a receive (____sys_recvmsg): control messages, the name through
 * move_addr_to_user (it reads the guest's namelen again, as the kernel does,
 * only to bound the copy), then flags and the control length used. */
static int msg_out(struct hmsg *m)
{
    int flags = m->h.msg_flags & ~(int)MSG_CMSG_COMPAT_BIT;
    uint32_t used = ctl_out(m, &flags);
    if (m->g.name) {
        uint32_t klen = m->h.msg_namelen < sizeof m->name ? m->h.msg_namelen : sizeof m->name, len;
        if (ua_get_u32(m->at + 4, &len)) return -EFAULT;
        if ((int32_t)len > (int32_t)klen) len = klen;
        if ((int32_t)len < 0) return -EINVAL;
        if (ua_write(m->g.name, &m->name, len)) return -EFAULT;
        if (put_user_u32(m->at + 4, klen)) return -EFAULT;
    }
    if (put_user_u32(m->at + 24, (uint32_t)flags) || put_user_u32(m->at + 20, used)) return -EFAULT;
    return 0;
}

static long do_sendmsg(uint32_t fd, guest_addr msg, uint32_t flags)
{
    struct hmsg m;
    long r = msg_in(&m, msg, UA_IN);
    if (r) r = sock_first(fd, r);
    else r = safe_syscall(SYS_sendmsg, (int)fd, (long)&m.h, (int)(flags & ~MSG_CMSG_COMPAT_BIT), 0, 0, 0);
    hmsg_free(&m, r);
    return r;
}

static long do_recvmsg(uint32_t fd, guest_addr msg, uint32_t flags)
{
    struct hmsg m;
    long r = msg_in(&m, msg, UA_OUT);
    if (r) r = sock_first(fd, r);
    else r = safe_syscall(SYS_recvmsg, (int)fd, (long)&m.h, (int)(flags & ~MSG_CMSG_COMPAT_BIT), 0, 0, 0);
    if (r >= 0) {
        int e = msg_out(&m);
        hmsg_free(&m, r);
        return e ? e : r;
    }
    hmsg_free(&m, 0);
    return r;
}

/* recvmmsg/sendmmsg: convert a prefix of the vector (an unreadable or bad
 * entry ends it, as the kernel stops there), one host call, convert back. */
static long do_mmsg(int dir, uint32_t fd, guest_addr vec, uint32_t vlen, uint32_t flags,
                    guest_addr tmo, int time64)
{
    if (vlen > UIO_MAXIOV) vlen = UIO_MAXIOV;
    flags &= ~MSG_CMSG_COMPAT_BIT;
    struct timespec ts, *tsp = NULL;
    if (dir == UA_OUT && tmo) {
        int e = get_timespec(tmo, &ts, time64);
        if (e) return e;
        tsp = &ts;
    }
    struct hmsg *m = calloc(vlen ? vlen : 1, sizeof *m);
    struct mmsghdr *hv = calloc(vlen ? vlen : 1, sizeof *hv);
    long r = 0;
    uint32_t n = 0;
    if (!m || !hv) { r = -ENOMEM; goto out; }
    for (; n < vlen; n++) {
        r = PAST_4G(vec, n * sizeof(struct i386_mmsghdr)) ? -EFAULT
          : msg_in(&m[n], vec + n * (uint32_t)sizeof(struct i386_mmsghdr), dir);
        if (r) { hmsg_free(&m[n], 0); break; }
        hv[n].msg_hdr = m[n].h;
    }
    if (n == 0 && vlen) { r = sock_first(fd, r); goto out; }
    /* recvmmsg records an error met after some datagrams in sk_err, for the
     * next call: an entry the host fails on in the same way does that */
    struct iovec none[2] = { { NULL, 0 }, { NULL, 0 } };
    uint32_t hn = n;
    if (n < vlen && dir == UA_OUT && (r == -EFAULT || r == -EINVAL || r == -EMSGSIZE)) {
        struct msghdr *p = &hv[hn++].msg_hdr;
        *p = (struct msghdr){ .msg_iov = none, .msg_iovlen = 1 };
        if (r == -EFAULT) p->msg_iov = NULL;
        else if (r == -EINVAL) p->msg_name = none, p->msg_namelen = -1;
        else p->msg_iovlen = UIO_MAXIOV + 1;
    }
    r = dir == UA_IN ? safe_syscall(SYS_sendmmsg, (int)fd, (long)hv, hn, (int)flags, 0, 0)
                     : safe_syscall(SYS_recvmmsg, (int)fd, (long)hv, hn, (int)flags, (long)tsp, 0);
    for (long k = 0; k < r; k++) {
        guest_addr at = vec + (uint32_t)k * (uint32_t)sizeof(struct i386_mmsghdr);
        if (dir == UA_OUT) {
            m[k].h = hv[k].msg_hdr;
            if (msg_out(&m[k])) { r = k ? k : -EFAULT; break; }
        }
        if (put_user_u32(at + 28, hv[k].msg_len)) { r = k ? k : -EFAULT; break; }
    }
    if (r > 0 && tsp && put_timespec(tmo, tsp, time64)) r = -EFAULT;
out:
    for (uint32_t k = 0; k < n; k++) hmsg_free(&m[k], r > k ? (long)hv[k].msg_len : 0);
    free(m);
    free(hv);
    return r;
}

/* ---- the direct calls ---- */

SYS(socket) { return do_socket(a1, a2, a3); }
SYS(socketpair) { return do_socketpair(a1, a2, a3, a4); }
SYS(bind) { return do_bind_connect(SYS_bind, a1, a2, a3); }
SYS(connect) { return do_bind_connect(SYS_connect, a1, a2, a3); }
SYS(listen) { return host_ret(listen((int)a1, (int)a2)); }
SYS(accept4) { return do_accept4(a1, a2, a3, a4); }
SYS(getsockopt) { return do_getsockopt(a1, a2, a3, a4, a5); }
SYS(setsockopt) { return do_setsockopt(a1, a2, a3, a4, a5); }
SYS(getsockname) { return do_getname(SYS_getsockname, a1, a2, a3); }
SYS(getpeername) { return do_getname(SYS_getpeername, a1, a2, a3); }
SYS(sendto) { return do_sendto(a1, a2, a3, a4, a5, a6); }
SYS(sendmsg) { return do_sendmsg(a1, a2, a3); }
SYS(recvfrom) { return do_recvfrom(a1, a2, a3, a4, a5, a6); }
SYS(recvmsg) { return do_recvmsg(a1, a2, a3); }
SYS(shutdown) { return host_ret(shutdown((int)a1, (int)a2)); }
SYS(recvmmsg) { return do_mmsg(UA_OUT, a1, a2, a3, a4, a5, 0); }
SYS(recvmmsg_time64) { return do_mmsg(UA_OUT, a1, a2, a3, a4, a5, 1); }
SYS(sendmmsg) { return do_mmsg(UA_IN, a1, a2, a3, a4, 0, 0); }

/* socketcall(102): call number and a guest array of 32-bit arguments (net/socket.c). */
SYS(socketcall)
{
    static const uint8_t nargs[SYS_SENDMMSG + 1] = {
        0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4,
    };
    if (a1 < SYS_SOCKET || a1 > SYS_SENDMMSG) return -EINVAL;
    uint32_t a[6] = { 0 };
    if (ua_read(a, a2, nargs[a1] * 4u)) return -EFAULT;
    switch (a1) {
    case SYS_SOCKET: return do_socket(a[0], a[1], a[2]);
    case SYS_BIND: return do_bind_connect(SYS_bind, a[0], a[1], a[2]);
    case SYS_CONNECT: return do_bind_connect(SYS_connect, a[0], a[1], a[2]);
    case SYS_LISTEN: return host_ret(listen((int)a[0], (int)a[1]));
    case SYS_ACCEPT: return do_accept4(a[0], a[1], a[2], 0);
    case SYS_GETSOCKNAME: return do_getname(SYS_getsockname, a[0], a[1], a[2]);
    case SYS_GETPEERNAME: return do_getname(SYS_getpeername, a[0], a[1], a[2]);
    case SYS_SOCKETPAIR: return do_socketpair(a[0], a[1], a[2], a[3]);
    case SYS_SEND: return do_sendto(a[0], a[1], a[2], a[3], 0, 0);
    case SYS_RECV: return do_recvfrom(a[0], a[1], a[2], a[3], 0, 0);
    case SYS_SENDTO: return do_sendto(a[0], a[1], a[2], a[3], a[4], a[5]);
    case SYS_RECVFROM: return do_recvfrom(a[0], a[1], a[2], a[3], a[4], a[5]);
    case SYS_SHUTDOWN: return host_ret(shutdown((int)a[0], (int)a[1]));
    case SYS_SETSOCKOPT: return do_setsockopt(a[0], a[1], a[2], a[3], a[4]);
    case SYS_GETSOCKOPT: return do_getsockopt(a[0], a[1], a[2], a[3], a[4]);
    case SYS_SENDMSG: return do_sendmsg(a[0], a[1], a[2]);
    case SYS_RECVMSG: return do_recvmsg(a[0], a[1], a[2]);
    case SYS_ACCEPT4: return do_accept4(a[0], a[1], a[2], a[3]);
    case SYS_RECVMMSG: return do_mmsg(UA_OUT, a[0], a[1], a[2], a[3], a[4], 0);
    case SYS_SENDMMSG: return do_mmsg(UA_IN, a[0], a[1], a[2], a[3], 0, 0);
    }
    return -EINVAL;
}
