/* Sockets: the direct i386 calls (359..373, recvmmsg, sendmmsg) and the
 * socketcall(102) multiplexer. sockaddrs, socklen_t and most option values
 * have the same layout on i386 and x86_64 and are passed as window pointers;
 * msghdr/iovec/mmsghdr and control messages are converted (net/compat.c). */
#include <linux/filter.h>
#include <limits.h>
#include <netinet/in.h>
#include <linux/net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

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
#define SOCKADDR_MAX 128u   /* sizeof(struct sockaddr_storage) */
#define MMSG_MAX 1024u      /* UIO_MAXIOV caps vlen */
#define HCTL_MAX (1u << 20)

/* A guest range [a, a+len) inside the 4 GiB window as a host pointer, or
 * NULL; the host kernel then faults exactly where native would. */
static void *win(guest_addr a, uint64_t len)
{
    return (uint64_t)a + len <= (1ull << 32) ? g2h(a) : NULL;
}

/* An output sockaddr with its in/out length word (accept, getsockname, recvfrom). */
static int out_addr(guest_addr addr, guest_addr lenp, void **ha, void **hl)
{
    *ha = NULL, *hl = NULL;
    if (!addr) return 0;
    if (!(*hl = win(lenp, 4)) || !(*ha = win(addr, SOCKADDR_MAX))) return -EFAULT;
    return 0;
}

/* ---- plain calls ---- */

static long do_socket(uint32_t dom, uint32_t type, uint32_t proto)
{
    long r = host_ret(socket((int)dom, (int)type, (int)proto));
    if (r >= 0) fd_set_nolfs((int)r, 0);   /* socketcall has no 'f' return to do it */
    return r;
}

static long do_socketpair(uint32_t dom, uint32_t type, uint32_t proto, guest_addr sv)
{
    int fds[2];
    long r = host_ret(socketpair((int)dom, (int)type, (int)proto, fds));
    if (r < 0) return r;
    if (copy_to_guest(sv, fds, sizeof fds)) {
        close(fds[0]), close(fds[1]);
        return -EFAULT;
    }
    fd_set_nolfs(fds[0], 0), fd_set_nolfs(fds[1], 0);
    return 0;
}

static long do_bind_connect(long nr, uint32_t fd, guest_addr addr, uint32_t len)
{
    if ((int32_t)len < 0 || len > SOCKADDR_MAX) return -EINVAL;
    void *p = win(addr, len);
    if (!p) return -EFAULT;
    return nr == SYS_connect ? safe_syscall(SYS_connect, (int)fd, (long)p, len, 0, 0, 0)
                             : host_ret(syscall(SYS_bind, (int)fd, p, len));
}

static long do_accept4(uint32_t fd, guest_addr addr, guest_addr lenp, uint32_t flags)
{
    void *ha, *hl;
    int e = out_addr(addr, lenp, &ha, &hl);
    if (e) return e;
    long r = safe_syscall(SYS_accept4, (int)fd, (long)ha, (long)hl, (int)flags, 0, 0);
    if (r >= 0) fd_set_nolfs((int)r, 0);
    return r;
}

static long do_getname(long nr, uint32_t fd, guest_addr addr, guest_addr lenp)
{
    void *hl = win(lenp, 4), *ha = win(addr, SOCKADDR_MAX);
    if (!hl || !ha) return -EFAULT;
    return host_ret(syscall(nr, (int)fd, ha, hl));
}

static long do_sendto(uint32_t fd, guest_addr buf, uint32_t len, uint32_t flags,
                      guest_addr addr, uint32_t alen)
{
    void *b = win(buf, len), *a = NULL;
    if (!b) return -EFAULT;
    if (addr) {
        if ((int32_t)alen < 0 || alen > SOCKADDR_MAX) return -EINVAL;
        if (!(a = win(addr, alen))) return -EFAULT;
    }
    return safe_syscall(SYS_sendto, (int)fd, (long)b, len, (int)flags, (long)a, a ? alen : 0);
}

static long do_recvfrom(uint32_t fd, guest_addr buf, uint32_t len, uint32_t flags,
                        guest_addr addr, guest_addr lenp)
{
    void *b = win(buf, len), *ha, *hl;
    if (!b) return -EFAULT;
    int e = out_addr(addr, lenp, &ha, &hl);
    if (e) return e;
    return safe_syscall(SYS_recvfrom, (int)fd, (long)b, len, (int)flags, (long)ha, (long)hl);
}

/* ---- socket options ---- */

static int is_old_timeo(int level, int name)
{
    return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD);
}

/* MCAST_{JOIN,LEAVE}_GROUP and the source variants (compat_ip_mcast_join_leave). */
static long set_mcast_group(uint32_t fd, int lv, int nm, guest_addr val, uint32_t len)
{
    if (nm == MCAST_JOIN_GROUP || nm == MCAST_LEAVE_GROUP) {
        struct i386_group_req g;
        if ((int32_t)len < (int)sizeof g) return -EINVAL;
        if (copy_from_guest(&g, val, sizeof g)) return -EFAULT;
        struct group_req h = { .gr_interface = g.interface };
        memcpy(&h.gr_group, g.group, sizeof g.group);
        return host_ret(setsockopt((int)fd, lv, nm, &h, sizeof h));
    }
    struct i386_group_source_req g;
    if (len != sizeof g) return -EINVAL;
    if (copy_from_guest(&g, val, sizeof g)) return -EFAULT;
    struct group_source_req h = { .gsr_interface = g.interface };
    memcpy(&h.gsr_group, g.group, sizeof g.group);
    memcpy(&h.gsr_source, g.source, sizeof g.source);
    return host_ret(setsockopt((int)fd, lv, nm, &h, sizeof h));
}

static long do_setsockopt(uint32_t fd, uint32_t level, uint32_t name, guest_addr val, uint32_t len)
{
    int lv = (int)level, nm = (int)name;
    if (is_old_timeo(lv, nm)) {
        /* the i386 option value is a 32-bit timeval (sock_set_timeout) */
        struct i386_timeval g;
        if ((int32_t)len < (int)sizeof g) return -EINVAL;
        if (copy_from_guest(&g, val, sizeof g)) return -EFAULT;
        struct timeval tv = { g.tv_sec, g.tv_usec };
        return host_ret(setsockopt((int)fd, lv, nm, &tv, sizeof tv));
    }
    if (lv == SOL_SOCKET && (nm == SO_ATTACH_FILTER || nm == SO_ATTACH_REUSEPORT_CBPF)) {
        /* struct sock_fprog holds a pointer: 8 bytes on i386 */
        struct i386_sock_fprog g;
        if (len != sizeof g) return -EINVAL;
        if (copy_from_guest(&g, val, sizeof g)) return -EFAULT;
        struct sock_fprog fp = { g.len, win(g.filter, (uint64_t)g.len * 8) };
        if (!fp.filter) return -EFAULT;
        return host_ret(setsockopt((int)fd, lv, nm, &fp, sizeof fp));
    }
    if ((lv == SOL_IP || lv == SOL_IPV6) && nm >= MCAST_JOIN_GROUP && nm <= MCAST_LEAVE_SOURCE_GROUP)
        return set_mcast_group(fd, lv, nm, val, len);
    void *p = win(val, (int32_t)len > 0 ? len : 0);
    if (!p) return -EFAULT;
    return host_ret(setsockopt((int)fd, lv, nm, val ? p : NULL, len));
}

static long do_getsockopt(uint32_t fd, uint32_t level, uint32_t name, guest_addr val, guest_addr lenp)
{
    int lv = (int)level, nm = (int)name;
    uint32_t len;
    if (get_u32(lenp, &len)) return -EFAULT;
    if (is_old_timeo(lv, nm)) {
        if ((int32_t)len < 0) return -EINVAL;
        struct timeval tv;
        socklen_t hl = sizeof tv;
        long r = host_ret(getsockopt((int)fd, lv, nm, &tv, &hl));
        if (r < 0) return r;
        struct i386_timeval g = { (int32_t)tv.tv_sec, (int32_t)tv.tv_usec };
        if (len > sizeof g) len = sizeof g;
        if (copy_to_guest(val, &g, len) || put_u32(lenp, len)) return -EFAULT;
        return 0;
    }
    void *p = win(val, (int32_t)len > 0 ? len : 0);
    if (!p) return -EFAULT;
    return host_ret(syscall(SYS_getsockopt, (int)fd, lv, nm, val ? p : NULL, g2h(lenp)));
}

/* ---- msghdr and control messages ---- */

/* One guest message converted for the host kernel. */
struct hmsg {
    struct msghdr h;
    struct i386_msghdr g;
    guest_addr at;          /* the guest msghdr */
    struct iovec *iov;
    void *ctl;
};

static void hmsg_free(struct hmsg *m)
{
    free(m->iov);
    free(m->ctl);
    m->iov = NULL, m->ctl = NULL;
}

/* i386 control messages to host ones (cmsghdr_from_user_compat_to_kern). */
static int ctl_in(struct hmsg *m)
{
    uint32_t glen = m->g.controllen;
    if (glen > 0x7fffffff) return -ENOBUFS;
    if (!glen) return 0;
    uint8_t *gb = win(m->g.control, glen);
    if (!gb || !mem_ok(m->g.control, glen, PROT_READ)) return -EFAULT;
    size_t hlen = 0;
    for (uint32_t off = 0; off + GCMSG_HDR <= glen;) {
        struct i386_cmsghdr c;
        memcpy(&c, gb + off, sizeof c);
        if (c.len < GCMSG_HDR || c.len > glen - off) return -EINVAL;
        hlen += CMSG_SPACE(c.len - GCMSG_HDR);
        off += GCMSG_ALIGN(c.len);
    }
    if (!hlen) return -EINVAL;
    if (hlen > HCTL_MAX) return -ENOBUFS;
    uint8_t *hb = m->ctl = calloc(1, hlen);
    if (!hb) return -ENOMEM;
    for (uint32_t off = 0, ho = 0; off + GCMSG_HDR <= glen;) {
        struct i386_cmsghdr c;
        memcpy(&c, gb + off, sizeof c);
        struct cmsghdr *h = (struct cmsghdr *)(hb + ho);
        h->cmsg_len = CMSG_LEN(c.len - GCMSG_HDR);
        h->cmsg_level = c.level;
        h->cmsg_type = c.type;
        memcpy(CMSG_DATA(h), gb + off + GCMSG_HDR, c.len - GCMSG_HDR);
        ho += CMSG_SPACE(c.len - GCMSG_HDR);
        off += GCMSG_ALIGN(c.len);
    }
    m->h.msg_control = hb;
    m->h.msg_controllen = hlen;
    return 0;
}

/* Read and convert the guest msghdr at a (__get_compat_msghdr). */
static int msg_in(struct hmsg *m, guest_addr a, int is_send)
{
    memset(m, 0, sizeof *m);
    m->at = a;
    if (copy_from_guest(&m->g, a, sizeof m->g)) return -EFAULT;
    struct i386_msghdr *g = &m->g;
    if (g->name) {
        if ((int32_t)g->namelen < 0) return -EINVAL;
        uint32_t n = g->namelen > SOCKADDR_MAX ? SOCKADDR_MAX : g->namelen;
        if (!(m->h.msg_name = win(g->name, n))) return -EFAULT;
        m->h.msg_namelen = n;
    }
    if (g->iovlen > IOV_MAX) return -EMSGSIZE;
    if (g->iovlen) {
        struct i386_iovec *gv = malloc(g->iovlen * sizeof *gv);
        m->iov = malloc(g->iovlen * sizeof *m->iov);
        if (!gv || !m->iov) { free(gv); return -ENOMEM; }
        if (copy_from_guest(gv, g->iov, g->iovlen * sizeof *gv)) { free(gv); return -EFAULT; }
        for (uint32_t k = 0; k < g->iovlen; k++) {
            if ((int32_t)gv[k].iov_len < 0) { free(gv); return -EINVAL; }
            m->iov[k].iov_base = win(gv[k].iov_base, gv[k].iov_len);
            m->iov[k].iov_len = gv[k].iov_len;
            if (!m->iov[k].iov_base) { free(gv); return -EFAULT; }
        }
        free(gv);
    }
    m->h.msg_iov = m->iov;
    m->h.msg_iovlen = g->iovlen;
    if (is_send) return ctl_in(m);
    if (g->controllen) {
        /* room for every guest message after host growth (16-byte header, 8-byte align, 64-bit times) */
        size_t hlen = (size_t)(g->controllen > HCTL_MAX ? HCTL_MAX : g->controllen) * 2 + 64;
        if (!(m->ctl = calloc(1, hlen))) return -ENOMEM;
        m->h.msg_control = m->ctl;
        m->h.msg_controllen = hlen;
    }
    return 0;
}

/* The guest control buffer being filled (put_cmsg_compat's cursor). */
struct ctl_out { guest_addr at; uint32_t rem; int flags; };

static void put_gcmsg(struct ctl_out *o, int level, int type, const void *data, uint32_t len)
{
    if (!o->at || o->rem < GCMSG_HDR) { o->flags |= MSG_CTRUNC; return; }
    uint32_t cmlen = GCMSG_HDR + len;
    if (o->rem < cmlen) { o->flags |= MSG_CTRUNC; cmlen = o->rem; }
    struct i386_cmsghdr h = { cmlen, level, type };
    copy_to_guest(o->at, &h, sizeof h);
    copy_to_guest(o->at + GCMSG_HDR, data, cmlen - GCMSG_HDR);
    cmlen = GCMSG_ALIGN(GCMSG_HDR + len);
    if (cmlen > o->rem) cmlen = o->rem;
    o->at += cmlen, o->rem -= cmlen;
}

/* Received fds: as many as fit the guest buffer, the rest closed (scm_detach_fds_compat). */
static void put_grights(struct ctl_out *o, const int *fds, uint32_t n)
{
    uint32_t fit = o->at && o->rem > GCMSG_HDR ? (o->rem - GCMSG_HDR) / 4 : 0;
    uint32_t k = n < fit ? n : fit;
    for (uint32_t j = 0; j < n; j++) {
        if (j < k) fd_set_nolfs(fds[j], 0);
        else close(fds[j]);
    }
    if (k) put_gcmsg(o, SOL_SOCKET, SCM_RIGHTS, fds, k * 4);
    if (k < n) o->flags |= MSG_CTRUNC;
}

/* Host control messages back to the guest; returns the guest bytes used. */
static uint32_t ctl_out(struct hmsg *m, int *flags)
{
    struct ctl_out o = { m->g.control, m->g.controllen, 0 };
    if (!m->ctl) return 0;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m->h); h; h = CMSG_NXTHDR(&m->h, h)) {
        const uint8_t *d = CMSG_DATA(h);
        uint32_t len = h->cmsg_len - CMSG_LEN(0);
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
            uint32_t n = len / sizeof(struct timespec);
            if (n > 3) n = 3;
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

/* After a receive: name length, control messages, flags into the guest msghdr. */
static int msg_out(struct hmsg *m)
{
    int flags = m->h.msg_flags;
    uint32_t used = ctl_out(m, &flags);
    if (m->g.name && put_u32(m->at + 4, m->h.msg_namelen)) return -EFAULT;
    if (put_u32(m->at + 20, used) || put_u32(m->at + 24, (uint32_t)flags)) return -EFAULT;
    return 0;
}

static long do_sendmsg(uint32_t fd, guest_addr msg, uint32_t flags)
{
    struct hmsg m;
    long r = msg_in(&m, msg, 1);
    if (!r) r = safe_syscall(SYS_sendmsg, (int)fd, (long)&m.h, (int)flags, 0, 0, 0);
    hmsg_free(&m);
    return r;
}

static long do_recvmsg(uint32_t fd, guest_addr msg, uint32_t flags)
{
    struct hmsg m;
    long r = msg_in(&m, msg, 0);
    if (!r) r = safe_syscall(SYS_recvmsg, (int)fd, (long)&m.h, (int)flags, 0, 0, 0);
    if (r >= 0) {
        int e = msg_out(&m);
        if (e) r = e;
    }
    hmsg_free(&m);
    return r;
}

/* recvmmsg/sendmmsg: convert a prefix of the vector (an unreadable entry
 * ends it, as the kernel stops there), one host call, convert back. */
static long do_mmsg(int is_send, uint32_t fd, guest_addr vec, uint32_t vlen, uint32_t flags,
                    guest_addr tmo, int time64)
{
    if (vlen > MMSG_MAX) vlen = MMSG_MAX;
    struct timespec ts, *tsp = NULL;
    if (!is_send && tmo) {
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
        r = msg_in(&m[n], vec + n * (uint32_t)sizeof(struct i386_mmsghdr), is_send);
        if (r) { hmsg_free(&m[n]); break; }
        hv[n].msg_hdr = m[n].h;
    }
    if (n == 0 && vlen) goto out;
    r = is_send ? safe_syscall(SYS_sendmmsg, (int)fd, (long)hv, n, (int)flags, 0, 0)
                : safe_syscall(SYS_recvmmsg, (int)fd, (long)hv, n, (int)flags, (long)tsp, 0);
    for (long k = 0; k < r; k++) {
        guest_addr at = vec + (uint32_t)k * (uint32_t)sizeof(struct i386_mmsghdr);
        if (!is_send) {
            m[k].h = hv[k].msg_hdr;
            if (msg_out(&m[k])) { r = k ? k : -EFAULT; break; }
        }
        if (put_u32(at + 28, hv[k].msg_len)) { r = k ? k : -EFAULT; break; }
    }
    if (r > 0 && tsp && put_timespec(tmo, tsp, time64)) r = -EFAULT;
out:
    for (uint32_t k = 0; k < n; k++) hmsg_free(&m[k]);
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
SYS(recvmmsg) { return do_mmsg(0, a1, a2, a3, a4, a5, 0); }
SYS(recvmmsg_time64) { return do_mmsg(0, a1, a2, a3, a4, a5, 1); }
SYS(sendmmsg) { return do_mmsg(1, a1, a2, a3, a4, 0, 0); }

/* socketcall(102): call number and a guest array of 32-bit arguments (net/socket.c). */
SYS(socketcall)
{
    static const uint8_t nargs[SYS_SENDMMSG + 1] = {
        0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4,
    };
    if (a1 < SYS_SOCKET || a1 > SYS_SENDMMSG) return -EINVAL;
    uint32_t a[6] = { 0 };
    if (copy_from_guest(a, a2, nargs[a1] * 4u)) return -EFAULT;
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
    case SYS_RECVMMSG: return do_mmsg(0, a[0], a[1], a[2], a[3], a[4], 0);
    case SYS_SENDMMSG: return do_mmsg(1, a[0], a[1], a[2], a[3], 0, 0);
    }
    return -EINVAL;
}
