/* ioctl(54): a table keyed by the i386 request number. Each entry names the
 * request and says how its argument crosses from the i386 layout to the
 * x86_64 host's: a plain value, bytes whose layout is the same on both
 * (handed to the host kernel in place), or a converter for structs that
 * differ (longs, pointers, old time values, 64-bit alignment). Requests
 * outside the table follow the rule of doc/ioctl.md. */
#include <fcntl.h>
#include <linux/loop.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "sys.h"

/* asm-generic/ioctl.h: the same encoding on i386 and x86_64 */
#define IOC(dir, type, nr, size) ((uint32_t)(dir) << 30 | (uint32_t)(size) << 16 | (type) << 8 | (nr))
#define IO_(t, n) IOC(0u, t, n, 0)
#define IOW_(t, n, s) IOC(1u, t, n, s)
#define IOR_(t, n, s) IOC(2u, t, n, s)
#define IOWR_(t, n, s) IOC(3u, t, n, s)
#define IOC_DIR(r) ((r) >> 30)
#define IOC_TYPE(r) (((r) >> 8) & 0xff)
#define IOC_SIZE(r) (((r) >> 16) & 0x3fff)

struct ioctl_def;
typedef long (*ioctl_conv)(int fd, const struct ioctl_def *d, guest_addr a);

enum { K_VAL, K_IN, K_OUT, K_INOUT, K_CONV, K_REFUSE };
struct ioctl_def {
    uint32_t cmd;       /* the i386 request number */
    uint32_t host;      /* the host's number for it (0: the same) */
    const char *name;
    uint8_t kind;
    uint8_t anysize;    /* the request matches whatever size its number encodes */
    uint16_t size;      /* bytes behind the pointer (K_CONV: the i386 struct) */
    ioctl_conv conv;
};

static unsigned long host_req(const struct ioctl_def *d) { return d->host ? d->host : d->cmd; }

/* The host judges a guest struct ue could not read: the host view of the
 * guest's (unreadable) memory gives EBADF, ENOTTY or EFAULT in the kernel's
 * order, without ue guessing which check comes first. */
static long host_judges(int fd, const struct ioctl_def *d, guest_addr a)
{
    return host_ret(ioctl(fd, host_req(d), a ? ua_lock(a, 0, UA_IN) : NULL));
}

/* ---- converters ---- */

/* EBADF first, as fdget does, for answers ue gives itself */
static long refuse(int fd, uint32_t cmd, bool warn)
{
    static uint32_t warned[32];
    static int nwarned;
    long e = fd_usable(fd);
    if (e) return e;
    int k;
    for (k = 0; warn && k < nwarned && warned[k] != cmd; k++) {}
    if (warn && k == nwarned && nwarned < 32) {
        warned[nwarned++] = cmd;
        ue_warn("unsupported ioctl %#x on fd %d", cmd, fd);
    }
    return -ENOTTY;
}


/* unsigned long written by the kernel: 4 bytes on i386 (compat_put_ulong) */
static long conv_ulong_out(int fd, const struct ioctl_def *d, guest_addr a)
{
    unsigned long v;
    if (!a) return host_judges(fd, d, a);
    long r = host_ret(ioctl(fd, host_req(d), &v));
    if (r < 0) return r;
    /* block/ioctl.c compat BLKGETSIZE: a size a compat_ulong cannot hold */
    if (d->cmd == 0x1260 && v > 0xffffffffu) return -EFBIG;
    return ua_put_u32(a, (uint32_t)v) ? -EFAULT : r;
}

/* struct loop_info: compat_loop_info in drivers/block/loop.c (a 16-bit
 * dev_t, 4-byte lo_inode and lo_init) */
struct i386_loop_info {
    int32_t lo_number;
    uint16_t lo_device, pad1;
    uint32_t lo_inode;
    uint16_t lo_rdevice, pad2;
    int32_t lo_offset, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    char lo_name[64];
    uint8_t lo_encrypt_key[32];
    uint32_t lo_init[2];
    char reserved[4];
};
ABI_SIZE(struct i386_loop_info, 140);

static long conv_loop_set_status(int fd, const struct ioctl_def *d, guest_addr a)
{
    struct i386_loop_info g;
    if (!a || ua_read(&g, a, sizeof g)) return host_judges(fd, d, a);
    struct loop_info h = {
        .lo_number = g.lo_number, .lo_device = g.lo_device, .lo_inode = g.lo_inode,
        .lo_rdevice = g.lo_rdevice, .lo_offset = g.lo_offset, .lo_encrypt_type = g.lo_encrypt_type,
        .lo_encrypt_key_size = g.lo_encrypt_key_size, .lo_flags = g.lo_flags,
        .lo_init = { g.lo_init[0], g.lo_init[1] },
    };
    memcpy(h.lo_name, g.lo_name, sizeof h.lo_name);
    memcpy(h.lo_encrypt_key, g.lo_encrypt_key, sizeof h.lo_encrypt_key);
    memcpy(h.reserved, g.reserved, sizeof h.reserved);
    return host_ret(ioctl(fd, LOOP_SET_STATUS, &h));
}

static long conv_loop_get_status(int fd, const struct ioctl_def *d, guest_addr a)
{
    struct loop_info h;
    if (!a) return host_judges(fd, d, a);   /* EINVAL from the driver */
    long r = host_ret(ioctl(fd, LOOP_GET_STATUS, &h));
    if (r < 0) return r;
    struct i386_loop_info g = {
        .lo_number = h.lo_number, .lo_device = (uint16_t)h.lo_device, .lo_inode = (uint32_t)h.lo_inode,
        .lo_rdevice = (uint16_t)h.lo_rdevice, .lo_offset = h.lo_offset, .lo_encrypt_type = h.lo_encrypt_type,
        .lo_encrypt_key_size = h.lo_encrypt_key_size, .lo_flags = h.lo_flags,
        .lo_init = { (uint32_t)h.lo_init[0], (uint32_t)h.lo_init[1] },
    };
    /* loop_info64_to_compat: values the compat struct cannot hold */
    if (g.lo_device != h.lo_device || g.lo_rdevice != h.lo_rdevice || g.lo_inode != h.lo_inode
        || g.lo_init[0] != h.lo_init[0] || g.lo_init[1] != h.lo_init[1])
        return -EOVERFLOW;
    memcpy(g.lo_name, h.lo_name, sizeof g.lo_name);
    memcpy(g.lo_encrypt_key, h.lo_encrypt_key, sizeof g.lo_encrypt_key);
    memcpy(g.reserved, h.reserved, sizeof g.reserved);
    return ua_write(a, &g, sizeof g) ? -EFAULT : r;
}

/* struct hd_geometry: an unsigned long start (compat_hdio_getgeo) */
struct i386_hd_geometry { uint8_t heads, sectors; uint16_t cylinders; uint32_t start; };
struct host_hd_geometry { uint8_t heads, sectors; uint16_t cylinders; unsigned long start; };

static long conv_hdio_getgeo(int fd, const struct ioctl_def *d, guest_addr a)
{
    struct host_hd_geometry h;
    if (!a) return host_judges(fd, d, a);
    long r = host_ret(ioctl(fd, host_req(d), &h));
    if (r < 0) return r;
    struct i386_hd_geometry g = { h.heads, h.sectors, h.cylinders, (uint32_t)h.start };
    return ua_write(a, &g, sizeof g) ? -EFAULT : r;
}

/* struct blkpg_ioctl_arg: { int op, flags, datalen; void *data } (compat_blkpg_ioctl);
 * the struct blkpg_partition behind data is read by the host kernel itself */
struct host_blkpg_arg { int op, flags, datalen; void *data; };

static long conv_blkpg(int fd, const struct ioctl_def *d, guest_addr a)
{
    uint32_t g[4];
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    struct host_blkpg_arg h = { (int)g[0], (int)g[1], (int)g[2], g[3] ? ua_lock(g[3], 0, UA_IN) : NULL };
    return host_ret(ioctl(fd, host_req(d), &h));
}

/* struct ifreq: 32 bytes on i386, 40 on x86_64; the name and the first 16
 * bytes of the union (sockaddr, flags, ints, names) have one layout, struct
 * ifmap and ifr_data do not (net/socket.c get_user_ifreq/put_user_ifreq). */
#define I386_IFREQ 32
enum { IFR_GET, IFR_SET, IFR_DATA, IFR_MAP_GET, IFR_MAP_SET };
struct i386_ifmap { uint32_t mem_start, mem_end; uint16_t base_addr; uint8_t irq, dma, port; };

static long ifreq_call(int fd, const struct ioctl_def *d, guest_addr a, int how)
{
    unsigned char g[I386_IFREQ];
    struct ifreq h;
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    memset(&h, 0, sizeof h);
    memcpy(&h, g, sizeof g);
    if (how == IFR_DATA) {
        uint32_t p;
        memcpy(&p, g + IFNAMSIZ, 4);
        h.ifr_data = p ? ua_lock(p, 0, UA_INOUT) : NULL;
    } else if (how == IFR_MAP_SET) {
        struct i386_ifmap m;
        memcpy(&m, g + IFNAMSIZ, sizeof m);
        h.ifr_map = (struct ifmap){ m.mem_start, m.mem_end, m.base_addr, m.irq, m.dma, m.port };
    }
    long r = host_ret(ioctl(fd, host_req(d), &h));
    if (r < 0 || how == IFR_SET || how == IFR_MAP_SET) return r;
    memcpy(g, h.ifr_name, IFNAMSIZ);
    if (how == IFR_MAP_GET) {
        struct i386_ifmap m = { (uint32_t)h.ifr_map.mem_start, (uint32_t)h.ifr_map.mem_end,
                                h.ifr_map.base_addr, h.ifr_map.irq, h.ifr_map.dma, h.ifr_map.port };
        memset(g + IFNAMSIZ, 0, 16);
        memcpy(g + IFNAMSIZ, &m, sizeof m);
    } else if (how != IFR_DATA) {   /* ifr_data: the guest's own bytes go back */
        memcpy(g + IFNAMSIZ, &h.ifr_ifru, 16);
    }
    return ua_write(a, g, sizeof g) ? -EFAULT : r;
}

static long conv_ifreq_get(int fd, const struct ioctl_def *d, guest_addr a) { return ifreq_call(fd, d, a, IFR_GET); }
static long conv_ifreq_set(int fd, const struct ioctl_def *d, guest_addr a) { return ifreq_call(fd, d, a, IFR_SET); }
static long conv_ifreq_data(int fd, const struct ioctl_def *d, guest_addr a) { return ifreq_call(fd, d, a, IFR_DATA); }
static long conv_ifmap_get(int fd, const struct ioctl_def *d, guest_addr a) { return ifreq_call(fd, d, a, IFR_MAP_GET); }
static long conv_ifmap_set(int fd, const struct ioctl_def *d, guest_addr a) { return ifreq_call(fd, d, a, IFR_MAP_SET); }

/* SIOCGIFCONF: struct ifconf { int ifc_len; char *ifc_buf; } and an array of
 * 32-byte ifreqs (net/core/dev_ioctl.c dev_ifconf with compat sizes). */
static long conv_ifconf(int fd, const struct ioctl_def *d, guest_addr a)
{
    int32_t g[2];
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    struct ifconf h = { .ifc_len = 0, .ifc_buf = NULL };
    long r = host_ret(ioctl(fd, SIOCGIFCONF, &h));   /* how many there are (and whether fd is a socket) */
    if (r < 0) return r;
    size_t have = (size_t)h.ifc_len / sizeof(struct ifreq);
    size_t room = g[0] > 0 ? (size_t)g[0] / I386_IFREQ : 0;
    size_t n = 0;
    if ((uint32_t)g[1]) {
        size_t want = room < have + 8 ? room : have + 8;   /* a few more: interfaces may appear meanwhile */
        struct ifreq *req = calloc(want ? want : 1, sizeof *req);
        if (!req) return -ENOMEM;
        h.ifc_len = (int)(want * sizeof *req);
        h.ifc_req = req;
        r = host_ret(ioctl(fd, SIOCGIFCONF, &h));
        n = r < 0 ? 0 : (size_t)h.ifc_len / sizeof *req;
        for (size_t k = 0; k < n && r >= 0; k++)   /* inet_gifconf: entry by entry, EFAULT at a bad one */
            if (ua_write((guest_addr)g[1] + (guest_addr)(k * I386_IFREQ), &req[k], I386_IFREQ)) r = -EFAULT;
        free(req);
        if (r < 0) return r;
    } else {
        n = have;
    }
    return ua_put_u32(a, (uint32_t)(n * I386_IFREQ)) ? -EFAULT : 0;
}

/* SIOCGSTAMP/SIOCGSTAMPNS of old: a 32-bit timeval/timespec (sock_gettstamp, time32) */
static long conv_stamp(int fd, const struct ioctl_def *d, guest_addr a)
{
    struct timespec h;   /* a struct timeval for SIOCGSTAMP: the same two longs */
    if (!a) return host_judges(fd, d, a);
    long r = host_ret(ioctl(fd, host_req(d), &h));
    if (r < 0) return r;
    int32_t g[2] = { (int32_t)h.tv_sec, (int32_t)h.tv_nsec };
    return ua_write(a, g, sizeof g) ? -EFAULT : r;
}

/* struct serial_struct: a pointer and an unsigned long after 44 common bytes
 * (drivers/tty/tty_io.c compat_tty_tiocgserial) */
struct i386_serial_tail { uint32_t iomem_base; uint16_t iomem_reg_shift, pad; uint32_t port_high, reserved; };
struct host_serial_tail { void *iomem_base; uint16_t iomem_reg_shift; uint32_t port_high; unsigned long iomap_base; };
#define SERIAL_HEAD 44

static long conv_serial_get(int fd, const struct ioctl_def *d, guest_addr a)
{
    unsigned char h[SERIAL_HEAD + 4 + sizeof(struct host_serial_tail)] __attribute__((aligned(8)));
    if (!a) return host_judges(fd, d, a);
    long r = host_ret(ioctl(fd, host_req(d), h));
    if (r < 0) return r;
    struct host_serial_tail ht;
    memcpy(&ht, h + SERIAL_HEAD + 4, sizeof ht);   /* 4 bytes of padding before the pointer */
    unsigned char g[SERIAL_HEAD + sizeof(struct i386_serial_tail)];
    /* compat_tty_tiocgserial: a pointer above 4 GiB shows as 0xfffffff, iomap_base as 0 */
    uintptr_t base = (uintptr_t)ht.iomem_base;
    struct i386_serial_tail gt = { base >> 32 ? 0xfffffffu : (uint32_t)base, ht.iomem_reg_shift, 0, ht.port_high, 0 };
    memcpy(g, h, SERIAL_HEAD);
    memcpy(g + SERIAL_HEAD, &gt, sizeof gt);
    return ua_write(a, g, sizeof g) ? -EFAULT : r;
}

static long conv_serial_set(int fd, const struct ioctl_def *d, guest_addr a)
{
    unsigned char g[SERIAL_HEAD + sizeof(struct i386_serial_tail)];
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    unsigned char h[SERIAL_HEAD + 4 + sizeof(struct host_serial_tail)] __attribute__((aligned(8)));
    struct i386_serial_tail gt;
    memcpy(&gt, g + SERIAL_HEAD, sizeof gt);
    struct host_serial_tail ht = { (void *)(uintptr_t)gt.iomem_base, gt.iomem_reg_shift, gt.port_high, 0 };
    memset(h, 0, sizeof h);
    memcpy(h, g, SERIAL_HEAD);
    memcpy(h + SERIAL_HEAD + 4, &ht, sizeof ht);
    return host_ret(ioctl(fd, host_req(d), h));
}

/* FS_IOC_RESVSP and friends: struct space_resv has 64-bit fields 4-aligned
 * on i386 (44 bytes, 48 on x86_64: compat_ioctl_preallocate) */
struct i386_space_resv { int16_t l_type, l_whence; int64_t l_start, l_len; int32_t l_sysid; uint32_t l_pid; int32_t l_pad[4]; } I386_PACKED;
ABI_SIZE(struct i386_space_resv, 44);
struct host_space_resv { int16_t l_type, l_whence; int64_t l_start, l_len; int32_t l_sysid; uint32_t l_pid; int32_t l_pad[4]; };

static long conv_space_resv(int fd, const struct ioctl_def *d, guest_addr a)
{
    struct i386_space_resv g;
    if (!a || ua_read(&g, a, sizeof g)) return host_judges(fd, d, a);
    struct host_space_resv h = { g.l_type, g.l_whence, g.l_start, g.l_len, g.l_sysid, g.l_pid,
                                 { g.l_pad[0], g.l_pad[1], g.l_pad[2], g.l_pad[3] } };
    return host_ret(ioctl(fd, host_req(d), &h));
}

/* FS_IOC_FIEMAP: a 32-byte header, then fm_extent_count extents of 56 bytes,
 * one layout on both; the host kernel reads the count again itself, so ue
 * uses its copy only to make the extents' pages writable */
static long conv_fiemap(int fd, const struct ioctl_def *d, guest_addr a)
{
    uint32_t count = 0;
    if (a && ua_get_u32(a + 24, &count)) count = 0;
    uint64_t len = 32 + (uint64_t)count * 56;
    void *p = ua_lock(a, len > 0xffffffffu ? 0xffffffffu : (uint32_t)len, UA_INOUT);
    return host_ret(ioctl(fd, host_req(d), a ? p : NULL));
}

/* SIOCADDRT/SIOCDELRT: struct rtentry for IPv4 (compat_rtentry: rt_dev is a
 * 4-byte pointer to the device name, longs are 4 bytes) and struct
 * in6_rtmsg for IPv6 (a 4-byte rtmsg_info): inet_compat_routing_ioctl and
 * inet6_compat_routing_ioctl read only the fields below */
struct i386_rtentry {
    uint32_t pad1;
    struct sockaddr dst, gateway, genmask;
    uint16_t flags;
    int16_t pad2;
    uint32_t pad3;
    uint8_t tos, class_;
    int16_t pad4, metric, pad5;
    uint32_t dev, mtu, window;
    uint16_t irtt, pad6;
};
ABI_SIZE(struct i386_rtentry, 84);
struct i386_in6_rtmsg {
    struct in6_addr dst, src, gateway;
    uint32_t type;
    uint16_t dst_len, src_len;
    uint32_t metric, info, flags;
    int32_t ifindex;
};
ABI_SIZE(struct i386_in6_rtmsg, 72);

static long conv_route(int fd, const struct ioctl_def *d, guest_addr a)
{
    int domain;
    socklen_t len = sizeof domain;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len)) return host_judges(fd, d, a);
    if (domain == AF_INET6) {
        struct i386_in6_rtmsg g;
        if (!a || ua_read(&g, a, sizeof g)) return host_judges(fd, d, a);
        struct in6_rtmsg h = { .rtmsg_dst = g.dst, .rtmsg_src = g.src, .rtmsg_gateway = g.gateway,
                               .rtmsg_type = g.type, .rtmsg_dst_len = g.dst_len, .rtmsg_src_len = g.src_len,
                               .rtmsg_metric = g.metric, .rtmsg_info = g.info, .rtmsg_flags = g.flags,
                               .rtmsg_ifindex = g.ifindex };
        return host_ret(ioctl(fd, host_req(d), &h));
    }
    struct i386_rtentry g;
    if (!a || ua_read(&g, a, sizeof g)) return host_judges(fd, d, a);
    struct rtentry h = { .rt_dst = g.dst, .rt_gateway = g.gateway, .rt_genmask = g.genmask, .rt_flags = g.flags,
                         .rt_metric = g.metric, .rt_mtu = g.mtu, .rt_window = g.window, .rt_irtt = g.irtt,
                         .rt_dev = g.dev ? ua_lock(g.dev, 0, UA_IN) : NULL };
    return host_ret(ioctl(fd, host_req(d), &h));
}

/* Console maps and fonts: struct unimapdesc { u16 entry_ct; struct unipair
 * *entries; } and struct console_font_op { 5 u32; u8 *data; } hold a
 * pointer (vt_ioctl.c compat_unimap_ioctl, compat_kdfontop_ioctl) */
struct host_unimapdesc { uint16_t entry_ct; void *entries; };

static long conv_unimap(int fd, const struct ioctl_def *d, guest_addr a)
{
    uint32_t g[2];
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    struct host_unimapdesc h = { (uint16_t)g[0], g[1] ? ua_lock(g[1], 0, UA_INOUT) : NULL };
    long r = host_ret(ioctl(fd, host_req(d), &h));
    /* con_get_unimap stores the count of entries there are, also with ENOMEM */
    if (d->cmd == 0x4B66 && (r == 0 || r == -ENOMEM || h.entry_ct != (uint16_t)g[0])
        && ua_write(a, &h.entry_ct, sizeof h.entry_ct))
        return -EFAULT;
    return r;
}

struct host_font_op { uint32_t op, flags, width, height, charcount; void *data; };

static long conv_fontop(int fd, const struct ioctl_def *d, guest_addr a)
{
    uint32_t g[6];
    if (!a || ua_read(g, a, sizeof g)) return host_judges(fd, d, a);
    struct host_font_op h = { g[0], g[1], g[2], g[3], g[4], g[5] ? ua_lock(g[5], 0, UA_INOUT) : NULL };
    long r = host_ret(ioctl(fd, host_req(d), &h));
    if (r < 0) return r;
    uint32_t out[6] = { h.op, h.flags, h.width, h.height, h.charcount, g[5] };
    return ua_write(a, out, sizeof out) ? -EFAULT : r;
}

/* ---- PROCMAP_QUERY on ue's /proc/self/maps ---- */

/* include/uapi/linux/fs.h: 64-bit fields at 8-byte offsets, one layout on both */
struct procmap_query {
    uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
ABI_SIZE(struct procmap_query, 104);
enum { PMQ_READ = 1, PMQ_WRITE = 2, PMQ_EXEC = 4, PMQ_SHARED = 8, PMQ_COVERING_OR_NEXT = 0x10, PMQ_FILE = 0x20 };

/* The guest's /proc/self/maps is a memory file of ue's region list (file.c
 * open_special): queries are answered from the same list, live. */
static bool is_maps_fd(int fd)
{
    char path[32], link[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n <= 0) return false;
    link[n] = 0;
    return !strcmp(link, "/memfd:maps (deleted)");
}

struct maps_line { uint64_t start, end, offset, inode; uint32_t flags, major, minor; char name[PATH_BUF]; };

static bool parse_maps_line(const char *l, struct maps_line *m)
{
    char perms[8];
    unsigned long long start, end, off, ino;
    int at = 0;
    if (sscanf(l, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &off, &m->major, &m->minor, &ino, &at) < 7)
        return false;
    m->start = start, m->end = end, m->offset = off, m->inode = ino;
    m->flags = (perms[0] == 'r' ? PMQ_READ : 0) | (perms[1] == 'w' ? PMQ_WRITE : 0)
             | (perms[2] == 'x' ? PMQ_EXEC : 0) | (perms[3] == 's' ? PMQ_SHARED : 0);
    size_t n = strlen(l + at);
    if (n >= sizeof m->name) n = sizeof m->name - 1;
    memcpy(m->name, l + at, n);
    m->name[n] = 0;
    return true;
}

/* query_matching_vma: the mapping covering addr, or with COVERING_OR_NEXT
 * the first after it, that has the asked permissions (and a file) */
static bool maps_find(uint64_t addr, uint64_t flags, struct maps_line *m)
{
    size_t size = 1 << 16, len;
    char *buf;
    for (;;) {
        if (!(buf = malloc(size))) return false;
        if ((len = mem_format_maps(buf, size)) < size - 1) break;
        free(buf);
        size *= 4;
    }
    bool found = false;
    for (char *l = buf, *nl; *l && !found; l = nl ? nl + 1 : l + strlen(l)) {
        if ((nl = strchr(l, '\n'))) *nl = 0;   /* a line at a time: the name may be empty */
        if (!parse_maps_line(l, m) || m->end <= addr) continue;
        bool ok = !((flags & PMQ_FILE) && !m->inode) && (m->flags & flags & 0xf) == (flags & 0xf);
        if (ok && ((flags & PMQ_COVERING_OR_NEXT) || m->start <= addr)) found = true;
        else if (!(flags & PMQ_COVERING_OR_NEXT)) break;
    }
    free(buf);
    return found;
}

/* The GNU build ID of an ELF file (lib/buildid.c): 0 and its size, or -1 */
static int elf_build_id(const char *path, unsigned char *id, uint32_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    unsigned char eh[64];
    int r = -1;
    if (pread(fd, eh, sizeof eh, 0) != sizeof eh || memcmp(eh, "\177ELF", 4)) goto out;
    bool is64 = eh[4] == 2;
    uint64_t phoff = is64 ? *(uint64_t *)(eh + 32) : *(uint32_t *)(eh + 28);
    uint16_t phentsize = *(uint16_t *)(eh + (is64 ? 54 : 42)), phnum = *(uint16_t *)(eh + (is64 ? 56 : 44));
    for (unsigned k = 0; k < phnum && r < 0 && phentsize >= (is64 ? 56 : 32); k++) {
        unsigned char ph[56];
        if (pread(fd, ph, phentsize > sizeof ph ? sizeof ph : phentsize, (off_t)(phoff + k * phentsize)) < (is64 ? 56 : 32)) break;
        if (*(uint32_t *)ph != 4) continue;   /* PT_NOTE */
        uint64_t off = is64 ? *(uint64_t *)(ph + 8) : *(uint32_t *)(ph + 4);
        uint64_t sz = is64 ? *(uint64_t *)(ph + 32) : *(uint32_t *)(ph + 16);
        unsigned char notes[4096];
        ssize_t got = pread(fd, notes, sz < sizeof notes ? sz : sizeof notes, (off_t)off);
        for (ssize_t at = 0; got > 0 && at + 12 <= got;) {
            uint32_t namesz = *(uint32_t *)(notes + at), descsz = *(uint32_t *)(notes + at + 4);
            uint32_t type = *(uint32_t *)(notes + at + 8);
            ssize_t name = at + 12, desc = name + ((namesz + 3) & ~3u);
            if (desc + (ssize_t)descsz > got) break;
            if (type == 3 && namesz == 4 && !memcmp(notes + name, "GNU", 4) && descsz && descsz <= 20) {
                memcpy(id, notes + desc, descsz);
                *size = descsz;
                r = 0;
                break;
            }
            at = desc + ((descsz + 3) & ~3u);
        }
    }
out:
    close(fd);
    return r;
}

/* Whether the host kernel has PROCMAP_QUERY (Linux 6.11): ue answers it
 * only then, so the guest sees its own kernel's ENOTTY otherwise */
static bool host_has_procmap_query(void)
{
    static int has = -1;
    if (has < 0) {
        struct procmap_query q = { .size = sizeof q, .query_flags = PMQ_COVERING_OR_NEXT };
        int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
        has = fd >= 0 && !(ioctl(fd, IOWR_('f', 17, sizeof q), &q) < 0 && errno == ENOTTY);
        if (fd >= 0) close(fd);
    }
    return has;
}

/* fs/proc/task_mmu.c do_procmap_query, in its order of checks */
static long conv_procmap_query(int fd, const struct ioctl_def *d, guest_addr a)
{
    /* another process's maps, or not maps at all */
    if (!host_has_procmap_query() || !is_maps_fd(fd)) return refuse(fd, d->cmd, false);
    uint64_t usize;
    if (ua_read(&usize, a, sizeof usize)) return -EFAULT;
    if (usize > 4096) return -E2BIG;
    if (usize < offsetof(struct procmap_query, query_addr) + 8) return -EINVAL;
    struct procmap_query q;
    memset(&q, 0, sizeof q);
    if (ua_read(&q, a, usize < sizeof q ? (size_t)usize : sizeof q)) return -EFAULT;
    if (usize > sizeof q) {   /* copy_struct_from_user: a newer caller's tail must be zero */
        unsigned char tail[4096];
        size_t n = (size_t)usize - sizeof q;
        if (ua_read(tail, a + sizeof q, n)) return -EFAULT;
        for (size_t k = 0; k < n; k++) if (tail[k]) return -E2BIG;
    }
    if (q.query_flags & ~0x3full) return -EINVAL;
    if (!!q.vma_name_size != !!q.vma_name_addr || !!q.build_id_size != !!q.build_id_addr) return -EINVAL;
    struct maps_line *m = malloc(sizeof *m);
    if (!m) return -ENOMEM;
    long r = 0;
    if (!maps_find(q.query_addr, q.query_flags, m)) { r = -ENOENT; goto out; }
    q.vma_start = m->start;
    q.vma_end = m->end;
    q.vma_flags = m->flags;
    q.vma_page_size = GUEST_PAGE;
    bool file = m->inode != 0;
    q.vma_offset = file ? m->offset : 0;
    q.inode = m->inode;
    q.dev_major = file ? m->major : 0;
    q.dev_minor = file ? m->minor : 0;
    unsigned char id[20];
    if (q.build_id_size) {
        uint32_t idsz = 0;
        if (!file || elf_build_id(m->name, id, &idsz)) q.build_id_size = 0;
        else if (q.build_id_size < idsz) { r = -ENAMETOOLONG; goto out; }
        else q.build_id_size = idsz;
    }
    if (q.vma_name_size) {
        size_t name_sz = m->name[0] ? strlen(m->name) + 1 : 0;
        if (name_sz > (q.vma_name_size < PATH_BUF ? q.vma_name_size : PATH_BUF)) { r = -ENAMETOOLONG; goto out; }
        q.vma_name_size = (uint32_t)name_sz;
    }
    /* the buffers are i386 addresses: above 4 GiB is past the task's end */
    if (q.vma_name_size && (q.vma_name_addr >> 32 || ua_write((guest_addr)q.vma_name_addr, m->name, q.vma_name_size)))
        r = -EFAULT;
    else if (q.build_id_size && (q.build_id_addr >> 32 || ua_write((guest_addr)q.build_id_addr, id, q.build_id_size)))
        r = -EFAULT;
    else if (ua_write(a, &q, usize < sizeof q ? (size_t)usize : sizeof q))
        r = -EFAULT;
out:
    free(m);
    return r;
}

/* ---- the table ---- */

#define V(n, c) { c, 0, #n, K_VAL, 0, 0, NULL }
#define R(n, c, s) { c, 0, #n, K_OUT, 0, s, NULL }
#define W(n, c, s) { c, 0, #n, K_IN, 0, s, NULL }
#define RW(n, c, s) { c, 0, #n, K_INOUT, 0, s, NULL }
#define RH(n, c, h, s) { c, h, #n, K_OUT, 0, s, NULL }   /* the host's number differs */
#define WH(n, c, h, s) { c, h, #n, K_IN, 0, s, NULL }
#define VH(n, c, h) { c, h, #n, K_VAL, 0, 0, NULL }
#define RWANY(n, c) { c, 0, #n, K_INOUT, 1, 0, NULL }   /* the size is the number's */
#define C(n, c, h, f, s) { c, h, #n, K_CONV, 0, s, f }   /* s: the i386 struct's size */
#define NO(n, c) { c, 0, #n, K_REFUSE, 0, 0, NULL }

static const struct ioctl_def ioctls[] = {
    /* terminals (include/uapi/asm-generic/ioctls.h): struct termios is 36 bytes on both */
    R(TCGETS, 0x5401, 36), W(TCSETS, 0x5402, 36), W(TCSETSW, 0x5403, 36), W(TCSETSF, 0x5404, 36),
    R(TCGETA, 0x5405, 18), W(TCSETA, 0x5406, 18), W(TCSETAW, 0x5407, 18), W(TCSETAF, 0x5408, 18),
    V(TCSBRK, 0x5409), V(TCXONC, 0x540A), V(TCFLSH, 0x540B),
    V(TIOCEXCL, 0x540C), V(TIOCNXCL, 0x540D), V(TIOCSCTTY, 0x540E),
    R(TIOCGPGRP, 0x540F, 4), W(TIOCSPGRP, 0x5410, 4), R(TIOCOUTQ, 0x5411, 4), W(TIOCSTI, 0x5412, 1),
    R(TIOCGWINSZ, 0x5413, 8), W(TIOCSWINSZ, 0x5414, 8),
    R(TIOCMGET, 0x5415, 4), W(TIOCMBIS, 0x5416, 4), W(TIOCMBIC, 0x5417, 4), W(TIOCMSET, 0x5418, 4),
    R(TIOCGSOFTCAR, 0x5419, 4), W(TIOCSSOFTCAR, 0x541A, 4),
    R(FIONREAD, 0x541B, 4),   /* also SIOCINQ, TIOCINQ */
    W(TIOCLINUX, 0x541C, 1),  /* the subcode byte; the rest is the driver's */
    V(TIOCCONS, 0x541D),
    C(TIOCGSERIAL, 0x541E, 0, conv_serial_get, 60), C(TIOCSSERIAL, 0x541F, 0, conv_serial_set, 60),
    W(TIOCPKT, 0x5420, 4), W(FIONBIO, 0x5421, 4), V(TIOCNOTTY, 0x5422),
    W(TIOCSETD, 0x5423, 4), R(TIOCGETD, 0x5424, 4), V(TCSBRKP, 0x5425),
    V(TIOCSBRK, 0x5427), V(TIOCCBRK, 0x5428), R(TIOCGSID, 0x5429, 4),
    R(TCGETS2, IOR_('T', 0x2A, 44), 44), W(TCSETS2, IOW_('T', 0x2B, 44), 44),
    W(TCSETSW2, IOW_('T', 0x2C, 44), 44), W(TCSETSF2, IOW_('T', 0x2D, 44), 44),
    R(TIOCGRS485, 0x542E, 32), RW(TIOCSRS485, 0x542F, 32),
    R(TIOCGPTN, IOR_('T', 0x30, 4), 4), W(TIOCSPTLCK, IOW_('T', 0x31, 4), 4),
    R(TIOCGDEV, IOR_('T', 0x32, 4), 4),
    V(TIOCSIG, IOW_('T', 0x36, 4)),   /* the signal is the argument itself */
    V(TIOCVHANGUP, 0x5437), R(TIOCGPKT, IOR_('T', 0x38, 4), 4), R(TIOCGPTLCK, IOR_('T', 0x39, 4), 4),
    R(TIOCGEXCL, IOR_('T', 0x40, 4), 4), V(TIOCGPTPEER, IO_('T', 0x41)),
    V(FIONCLEX, 0x5450), V(FIOCLEX, 0x5451), W(FIOASYNC, 0x5452, 4),
    R(TIOCGLCKTRMIOS, 0x5456, 36), W(TIOCSLCKTRMIOS, 0x5457, 36), R(TIOCSERGETLSR, 0x5459, 4),
    V(TIOCMIWAIT, 0x545C), R(TIOCGICOUNT, 0x545D, 80), R(FIOQSIZE, 0x5460, 8),
    /* consoles and virtual terminals (linux/kd.h, linux/vt.h) */
    R(KDGETLED, 0x4B31, 1), V(KDSETLED, 0x4B32), R(KDGKBTYPE, 0x4B33, 1),
    V(KDSETMODE, 0x4B3A), R(KDGETMODE, 0x4B3B, 4), R(KDGKBMODE, 0x4B44, 4), V(KDSKBMODE, 0x4B45),
    R(KDGKBMETA, 0x4B62, 4), V(KDSKBMETA, 0x4B63), R(KDGKBLED, 0x4B64, 1), V(KDSKBLED, 0x4B65),
    V(KDSIGACCEPT, 0x4B4E), V(KIOCSOUND, 0x4B2F), V(KDMKTONE, 0x4B30),
    V(KDADDIO, 0x4B34), V(KDDELIO, 0x4B35), V(KDENABIO, 0x4B36), V(KDDISABIO, 0x4B37),
    RW(KDGKBENT, 0x4B46, 4), W(KDSKBENT, 0x4B47, 4), RW(KDGKBSENT, 0x4B48, 513), W(KDSKBSENT, 0x4B49, 513),
    R(KDGKBDIACR, 0x4B4A, 772), W(KDSKBDIACR, 0x4B4B, 772), R(KDGKBDIACRUC, 0x4BFA, 3076), W(KDSKBDIACRUC, 0x4BFB, 3076),
    RW(KDGETKEYCODE, 0x4B4C, 8), W(KDSETKEYCODE, 0x4B4D, 8), RW(KDKBDREP, 0x4B52, 8),
    R(GIO_SCRNMAP, 0x4B40, 256), W(PIO_SCRNMAP, 0x4B41, 256), R(GIO_UNISCRNMAP, 0x4B69, 512), W(PIO_UNISCRNMAP, 0x4B6A, 512),
    W(PIO_UNIMAPCLR, 0x4B68, 6), R(GIO_CMAP, 0x4B70, 48), W(PIO_CMAP, 0x4B71, 48),
    R(GIO_FONT, 0x4B60, 8192), W(PIO_FONT, 0x4B61, 8192),
    C(GIO_UNIMAP, 0x4B66, 0, conv_unimap, 8), C(PIO_UNIMAP, 0x4B67, 0, conv_unimap, 8),
    C(KDFONTOP, 0x4B72, 0, conv_fontop, 24),
    R(VT_OPENQRY, 0x5600, 4), R(VT_GETMODE, 0x5601, 8), W(VT_SETMODE, 0x5602, 8), R(VT_GETSTATE, 0x5603, 6),
    V(VT_SENDSIG, 0x5604), V(VT_RELDISP, 0x5605), V(VT_ACTIVATE, 0x5606), V(VT_WAITACTIVE, 0x5607),
    V(VT_DISALLOCATE, 0x5608), W(VT_RESIZE, 0x5609, 6), W(VT_RESIZEX, 0x560A, 12),
    V(VT_LOCKSWITCH, 0x560B), V(VT_UNLOCKSWITCH, 0x560C), R(VT_GETHIFONTMASK, 0x560D, 2),
    /* sockets (linux/sockios.h) */
    W(FIOSETOWN, 0x8901, 4), W(SIOCSPGRP, 0x8902, 4), R(FIOGETOWN, 0x8903, 4), R(SIOCGPGRP, 0x8904, 4),
    R(SIOCATMARK, 0x8905, 4), C(SIOCGSTAMP, 0x8906, 0, conv_stamp, 8), C(SIOCGSTAMPNS, 0x8907, 0, conv_stamp, 8),
    R(SIOCGSTAMP_NEW, IOR_(0x89, 6, 16), 16), R(SIOCGSTAMPNS_NEW, IOR_(0x89, 7, 16), 16),
    C(SIOCADDRT, 0x890B, 0, conv_route, 84), C(SIOCDELRT, 0x890C, 0, conv_route, 84),
    C(SIOCGIFNAME, 0x8910, 0, conv_ifreq_get, 32), C(SIOCSIFLINK, 0x8911, 0, conv_ifreq_set, 32),
    C(SIOCGIFCONF, 0x8912, 0, conv_ifconf, 8),
    C(SIOCGIFFLAGS, 0x8913, 0, conv_ifreq_get, 32), C(SIOCSIFFLAGS, 0x8914, 0, conv_ifreq_set, 32),
    C(SIOCGIFADDR, 0x8915, 0, conv_ifreq_get, 32), C(SIOCSIFADDR, 0x8916, 0, conv_ifreq_set, 32),
    C(SIOCGIFDSTADDR, 0x8917, 0, conv_ifreq_get, 32), C(SIOCSIFDSTADDR, 0x8918, 0, conv_ifreq_set, 32),
    C(SIOCGIFBRDADDR, 0x8919, 0, conv_ifreq_get, 32), C(SIOCSIFBRDADDR, 0x891a, 0, conv_ifreq_set, 32),
    C(SIOCGIFNETMASK, 0x891b, 0, conv_ifreq_get, 32), C(SIOCSIFNETMASK, 0x891c, 0, conv_ifreq_set, 32),
    C(SIOCGIFMETRIC, 0x891d, 0, conv_ifreq_get, 32), C(SIOCSIFMETRIC, 0x891e, 0, conv_ifreq_set, 32),
    C(SIOCGIFMEM, 0x891f, 0, conv_ifreq_get, 32), C(SIOCSIFMEM, 0x8920, 0, conv_ifreq_set, 32),
    C(SIOCGIFMTU, 0x8921, 0, conv_ifreq_get, 32), C(SIOCSIFMTU, 0x8922, 0, conv_ifreq_set, 32),
    C(SIOCSIFNAME, 0x8923, 0, conv_ifreq_set, 32), C(SIOCSIFHWADDR, 0x8924, 0, conv_ifreq_set, 32),
    C(SIOCGIFENCAP, 0x8925, 0, conv_ifreq_get, 32), C(SIOCSIFENCAP, 0x8926, 0, conv_ifreq_set, 32),
    C(SIOCGIFHWADDR, 0x8927, 0, conv_ifreq_get, 32), C(SIOCGIFSLAVE, 0x8929, 0, conv_ifreq_get, 32),
    C(SIOCSIFSLAVE, 0x8930, 0, conv_ifreq_set, 32),
    C(SIOCADDMULTI, 0x8931, 0, conv_ifreq_set, 32), C(SIOCDELMULTI, 0x8932, 0, conv_ifreq_set, 32),
    C(SIOCGIFINDEX, 0x8933, 0, conv_ifreq_get, 32),
    C(SIOCSIFPFLAGS, 0x8934, 0, conv_ifreq_set, 32), C(SIOCGIFPFLAGS, 0x8935, 0, conv_ifreq_get, 32),
    C(SIOCDIFADDR, 0x8936, 0, conv_ifreq_set, 32), C(SIOCSIFHWBROADCAST, 0x8937, 0, conv_ifreq_set, 32),
    C(SIOCGIFCOUNT, 0x8938, 0, conv_ifreq_get, 32),
    C(SIOCGIFTXQLEN, 0x8942, 0, conv_ifreq_get, 32), C(SIOCSIFTXQLEN, 0x8943, 0, conv_ifreq_set, 32),
    C(SIOCETHTOOL, 0x8946, 0, conv_ifreq_data, 32),
    C(SIOCGMIIPHY, 0x8947, 0, conv_ifreq_get, 32), C(SIOCGMIIREG, 0x8948, 0, conv_ifreq_get, 32),
    C(SIOCSMIIREG, 0x8949, 0, conv_ifreq_set, 32), C(SIOCWANDEV, 0x894A, 0, conv_ifreq_data, 32),
    R(SIOCOUTQNSD, 0x894B, 4), V(SIOCGSKNS, 0x894C),
    RW(SIOCGIFVLAN, 0x8982, 56), W(SIOCSIFVLAN, 0x8983, 56),   /* struct vlan_ioctl_args: ints and names */
    C(SIOCBONDENSLAVE, 0x8990, 0, conv_ifreq_set, 32), C(SIOCBONDRELEASE, 0x8991, 0, conv_ifreq_set, 32),
    C(SIOCBONDSETHWADDR, 0x8992, 0, conv_ifreq_set, 32), C(SIOCBONDSLAVEINFOQUERY, 0x8993, 0, conv_ifreq_data, 32),
    C(SIOCBONDINFOQUERY, 0x8994, 0, conv_ifreq_data, 32), C(SIOCBONDCHANGEACTIVE, 0x8995, 0, conv_ifreq_set, 32),
    W(SIOCBRADDBR, 0x89a0, 15), W(SIOCBRDELBR, 0x89a1, 15),   /* a name: IFNAMSIZ - 1 bytes read */
    W(SIOCDARP, 0x8953, 68), RW(SIOCGARP, 0x8954, 68), W(SIOCSARP, 0x8955, 68),
    C(SIOCGIFMAP, 0x8970, 0, conv_ifmap_get, 32), C(SIOCSIFMAP, 0x8971, 0, conv_ifmap_set, 32),
    C(SIOCBRADDIF, 0x89a2, 0, conv_ifreq_set, 32), C(SIOCBRDELIF, 0x89a3, 0, conv_ifreq_set, 32),
    C(SIOCSHWTSTAMP, 0x89b0, 0, conv_ifreq_data, 32), C(SIOCGHWTSTAMP, 0x89b1, 0, conv_ifreq_data, 32),
#define DEVPRIVATE(k) C(SIOCDEVPRIVATE, 0x89F0 + k, 0, conv_ifreq_data, 32)   /* the driver's, through ifr_data */
    DEVPRIVATE(0), DEVPRIVATE(1), DEVPRIVATE(2), DEVPRIVATE(3), DEVPRIVATE(4), DEVPRIVATE(5), DEVPRIVATE(6),
    DEVPRIVATE(7), DEVPRIVATE(8), DEVPRIVATE(9), DEVPRIVATE(10), DEVPRIVATE(11), DEVPRIVATE(12), DEVPRIVATE(13),
    DEVPRIVATE(14), DEVPRIVATE(15),
    /* TUN/TAP (linux/if_tun.h): the ifreq is the compat 32-byte one (tun_chr_compat_ioctl) */
    V(TUNSETNOCSUM, IOW_('T', 200, 4)), V(TUNSETDEBUG, IOW_('T', 201, 4)),
    C(TUNSETIFF, IOW_('T', 202, 4), 0, conv_ifreq_get, 32), V(TUNSETPERSIST, IOW_('T', 203, 4)),
    V(TUNSETOWNER, IOW_('T', 204, 4)), V(TUNSETLINK, IOW_('T', 205, 4)), V(TUNSETGROUP, IOW_('T', 206, 4)),
    R(TUNGETFEATURES, IOR_('T', 207, 4), 4), V(TUNSETOFFLOAD, IOW_('T', 208, 4)),
    C(TUNGETIFF, IOR_('T', 210, 4), 0, conv_ifreq_get, 32), R(TUNGETSNDBUF, IOR_('T', 211, 4), 4),
    W(TUNSETSNDBUF, IOW_('T', 212, 4), 4), R(TUNGETVNETHDRSZ, IOR_('T', 215, 4), 4),
    W(TUNSETVNETHDRSZ, IOW_('T', 216, 4), 4), C(TUNSETQUEUE, IOW_('T', 217, 4), 0, conv_ifreq_set, 32),
    W(TUNSETIFINDEX, IOW_('T', 218, 4), 4), W(TUNSETVNETLE, IOW_('T', 220, 4), 4),
    R(TUNGETVNETLE, IOR_('T', 221, 4), 4), W(TUNSETVNETBE, IOW_('T', 222, 4), 4),
    R(TUNGETVNETBE, IOR_('T', 223, 4), 4), W(TUNSETSTEERINGEBPF, IOR_('T', 224, 4), 4),
    W(TUNSETFILTEREBPF, IOR_('T', 225, 4), 4), W(TUNSETCARRIER, IOW_('T', 226, 4), 4),
    V(TUNGETDEVNETNS, IO_('T', 227)),
    /* loop devices (linux/loop.h): old numbers without _IOC encoding */
    V(LOOP_SET_FD, 0x4C00), V(LOOP_CLR_FD, 0x4C01),
    C(LOOP_SET_STATUS, 0x4C02, 0, conv_loop_set_status, 140), C(LOOP_GET_STATUS, 0x4C03, 0, conv_loop_get_status, 140),
    W(LOOP_SET_STATUS64, 0x4C04, 232), R(LOOP_GET_STATUS64, 0x4C05, 232),
    V(LOOP_CHANGE_FD, 0x4C06), V(LOOP_SET_CAPACITY, 0x4C07), V(LOOP_SET_DIRECT_IO, 0x4C08),
    V(LOOP_SET_BLOCK_SIZE, 0x4C09), W(LOOP_CONFIGURE, 0x4C0A, 304),
    V(LOOP_CTL_ADD, 0x4C80), V(LOOP_CTL_REMOVE, 0x4C81), V(LOOP_CTL_GET_FREE, 0x4C82),
    /* block devices (linux/fs.h, block/ioctl.c blkdev_compat_ioctl) */
    W(BLKROSET, 0x125d, 4), R(BLKROGET, 0x125e, 4), V(BLKRRPART, 0x125f),
    C(BLKGETSIZE, 0x1260, 0, conv_ulong_out, 4), V(BLKFLSBUF, 0x1261), V(BLKRASET, 0x1262),
    C(BLKRAGET, 0x1263, 0, conv_ulong_out, 4), V(BLKFRASET, 0x1264), C(BLKFRAGET, 0x1265, 0, conv_ulong_out, 4),
    R(BLKSECTGET, 0x1267, 2), R(BLKSSZGET, 0x1268, 4), C(BLKPG, 0x1269, 0, conv_blkpg, 16),
    RH(BLKBSZGET, IOR_(0x12, 112, 4), IOR_(0x12, 112, 8), 4),   /* size_t in the number, an int moved */
    WH(BLKBSZSET, IOW_(0x12, 113, 4), IOW_(0x12, 113, 8), 4),
    RH(BLKGETSIZE64, IOR_(0x12, 114, 4), IOR_(0x12, 114, 8), 8),
    W(BLKDISCARD, 0x1277, 16), R(BLKIOMIN, 0x1278, 4), R(BLKIOOPT, 0x1279, 4),
    R(BLKALIGNOFF, 0x127a, 4), R(BLKPBSZGET, 0x127b, 4), R(BLKDISCARDZEROES, 0x127c, 4),
    W(BLKSECDISCARD, 0x127d, 16), R(BLKROTATIONAL, 0x127e, 2), W(BLKZEROOUT, 0x127f, 16),
    R(BLKGETDISKSEQ, IOR_(0x12, 128, 8), 8),
    R(BLKGETZONESZ, IOR_(0x12, 132, 4), 4), R(BLKGETNRZONES, IOR_(0x12, 133, 4), 4),
    C(HDIO_GETGEO, 0x0301, 0, conv_hdio_getgeo, 8),
    /* files (linux/fs.h, fs/ioctl.c compat_sys_ioctl) */
    RW(FIBMAP, 0x0001, 4), R(FIGETBSZ, 0x0002, 4),
    RH(FS_IOC32_GETFLAGS, IOR_('f', 1, 4), IOR_('f', 1, 8), 4),   /* FS_IOC32_*: an int on both */
    WH(FS_IOC32_SETFLAGS, IOW_('f', 2, 4), IOW_('f', 2, 8), 4),
    RH(FS_IOC32_GETVERSION, IOR_('v', 1, 4), IOR_('v', 1, 8), 4),
    WH(FS_IOC32_SETVERSION, IOW_('v', 2, 4), IOW_('v', 2, 8), 4),
    C(FS_IOC_FIEMAP, IOWR_('f', 11, 32), 0, conv_fiemap, 32),
    W(FS_IOC_RESIZE_FS, IOW_('f', 16, 8), 8),
    C(FS_IOC_RESVSP, IOW_('X', 40, 44), IOW_('X', 40, 48), conv_space_resv, 44),
    C(FS_IOC_UNRESVSP, IOW_('X', 41, 44), IOW_('X', 41, 48), conv_space_resv, 44),
    C(FS_IOC_RESVSP64, IOW_('X', 42, 44), IOW_('X', 42, 48), conv_space_resv, 44),
    C(FS_IOC_UNRESVSP64, IOW_('X', 43, 44), IOW_('X', 43, 48), conv_space_resv, 44),
    C(FS_IOC_ZERO_RANGE, IOW_('X', 57, 44), IOW_('X', 57, 48), conv_space_resv, 44),
    R(FS_IOC_FSGETXATTR, IOR_('X', 31, 28), 28), W(FS_IOC_FSSETXATTR, IOW_('X', 32, 28), 28),
    V(FIFREEZE, IOWR_('X', 119, 4)), V(FITHAW, IOWR_('X', 120, 4)),
    RW(FITRIM, IOWR_('X', 121, 24), 24),
    V(FICLONE, IOW_(0x94, 9, 4)), W(FICLONERANGE, IOW_(0x94, 13, 32), 32),
    RW(FIDEDUPERANGE, IOWR_(0x94, 54, 24), 24),
    R(FS_IOC_GETFSLABEL, IOR_(0x94, 49, 256), 256), W(FS_IOC_SETFSLABEL, IOW_(0x94, 50, 256), 256),
    R(FS_IOC_GETFSUUID, IOR_(0x15, 0, 17), 17), R(FS_IOC_GETFSSYSFSPATH, IOR_(0x15, 1, 129), 129),
    /* namespaces (linux/nsfs.h): NS_GET_OWNER_UID writes through its _IO argument */
    V(NS_GET_USERNS, IO_(0xb7, 1)), V(NS_GET_PARENT, IO_(0xb7, 2)), V(NS_GET_NSTYPE, IO_(0xb7, 3)),
    R(NS_GET_OWNER_UID, IO_(0xb7, 4), 4), R(NS_GET_MNTNS_ID, IOR_(0xb7, 5, 8), 8),
    V(NS_GET_PID_FROM_PIDNS, IOR_(0xb7, 6, 4)), V(NS_GET_TGID_FROM_PIDNS, IOR_(0xb7, 7, 4)),
    V(NS_GET_PID_IN_PIDNS, IOR_(0xb7, 8, 4)), V(NS_GET_TGID_IN_PIDNS, IOR_(0xb7, 9, 4)),
    R(NS_MNT_GET_INFO, IOR_(0xb7, 10, 16), 16), R(NS_MNT_GET_NEXT, IOR_(0xb7, 11, 16), 16),
    R(NS_MNT_GET_PREV, IOR_(0xb7, 12, 16), 16), R(NS_GET_ID, IOR_(0xb7, 13, 8), 8),
    /* pidfds (linux/pidfd.h): struct pidfd_info is all 64- and 32-bit fields,
     * its size whatever the caller's number says (copy_struct_to_user) */
    V(PIDFD_GET_CGROUP_NAMESPACE, IO_(0xFF, 1)), V(PIDFD_GET_IPC_NAMESPACE, IO_(0xFF, 2)),
    V(PIDFD_GET_MNT_NAMESPACE, IO_(0xFF, 3)), V(PIDFD_GET_NET_NAMESPACE, IO_(0xFF, 4)),
    V(PIDFD_GET_PID_NAMESPACE, IO_(0xFF, 5)), V(PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE, IO_(0xFF, 6)),
    V(PIDFD_GET_TIME_NAMESPACE, IO_(0xFF, 7)), V(PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE, IO_(0xFF, 8)),
    V(PIDFD_GET_USER_NAMESPACE, IO_(0xFF, 9)), V(PIDFD_GET_UTS_NAMESPACE, IO_(0xFF, 10)),
    RWANY(PIDFD_GET_INFO, IOWR_(0xFF, 11, 0)),
    /* real-time clocks (linux/rtc.h, rtc_dev_compat_ioctl): unsigned long ones convert */
    V(RTC_AIE_ON, IO_('p', 1)), V(RTC_AIE_OFF, IO_('p', 2)), V(RTC_UIE_ON, IO_('p', 3)),
    V(RTC_UIE_OFF, IO_('p', 4)), V(RTC_PIE_ON, IO_('p', 5)), V(RTC_PIE_OFF, IO_('p', 6)),
    W(RTC_ALM_SET, IOW_('p', 7, 36), 36), R(RTC_ALM_READ, IOR_('p', 8, 36), 36),
    R(RTC_RD_TIME, IOR_('p', 9, 36), 36), W(RTC_SET_TIME, IOW_('p', 10, 36), 36),
    C(RTC_IRQP_READ, IOR_('p', 11, 4), IOR_('p', 11, 8), conv_ulong_out, 4),
    VH(RTC_IRQP_SET, IOW_('p', 12, 4), IOW_('p', 12, 8)),
    C(RTC_EPOCH_READ, IOR_('p', 13, 4), IOR_('p', 13, 8), conv_ulong_out, 4),
    VH(RTC_EPOCH_SET, IOW_('p', 14, 4), IOW_('p', 14, 8)),
    W(RTC_WKALM_SET, IOW_('p', 15, 40), 40), R(RTC_WKALM_RD, IOR_('p', 16, 40), 40),
    R(RTC_VL_READ, IOR_('p', 19, 4), 4), V(RTC_VL_CLR, IO_('p', 20)),
    R(RNDGETENTCNT, IOR_('R', 0, 4), 4),
    /* refused: the kernel's answer when it lacks the feature (doc/ioctl.md); PROCMAP_QUERY
     * is answered for ue's own /proc/self/maps only */
    NO(PAGEMAP_SCAN, IOWR_('f', 16, 96)), C(PROCMAP_QUERY, IOWR_('f', 17, 104), 0, conv_procmap_query, 104),
    NO(USERFAULTFD_IOC_NEW, IO_(0xAA, 0)),
    NO(UFFDIO_REGISTER, IOWR_(0xAA, 0, 32)), NO(UFFDIO_UNREGISTER, IOR_(0xAA, 1, 16)),
    NO(UFFDIO_WAKE, IOR_(0xAA, 2, 16)), NO(UFFDIO_COPY, IOWR_(0xAA, 3, 40)),
    NO(UFFDIO_ZEROPAGE, IOWR_(0xAA, 4, 32)), NO(UFFDIO_MOVE, IOWR_(0xAA, 5, 40)),
    NO(UFFDIO_WRITEPROTECT, IOWR_(0xAA, 6, 24)), NO(UFFDIO_CONTINUE, IOWR_(0xAA, 7, 32)),
    NO(UFFDIO_POISON, IOWR_(0xAA, 8, 32)), NO(UFFDIO_API, IOWR_(0xAA, 0x3F, 24)),
};

static const struct ioctl_def *ioctl_find(uint32_t cmd)
{
    for (size_t k = 0; k < sizeof ioctls / sizeof ioctls[0]; k++) {
        const struct ioctl_def *d = &ioctls[k];
        if (d->cmd == cmd || (d->anysize && (cmd & ~(0x3fffu << 16)) == d->cmd)) return d;
    }
    return NULL;
}

const char *ioctl_name(uint32_t cmd)
{
    const struct ioctl_def *d = ioctl_find(cmd);
    return d ? d->name : NULL;
}

bool ioctl_arg_mem(uint32_t cmd, const char **name, uint32_t *len)
{
    const struct ioctl_def *d = ioctl_find(cmd);
    if (d) {
        *name = d->name;
        *len = d->anysize ? IOC_SIZE(cmd) : d->size;
        return d->kind != K_VAL && d->kind != K_REFUSE && *len;
    }
    *name = "generic";   /* Valgrind's word for a request it does not know */
    *len = IOC_SIZE(cmd);
    return IOC_DIR(cmd) && *len;
}

/* Old unencoded families (a type byte, a number, no direction or size):
 * their requests mostly take pointers, so an unknown one is refused rather
 * than passed as a value (doc/ioctl.md) */
static bool legacy_type(uint32_t cmd)
{
    static const uint8_t types[] = { 0x00, 0x02, 0x03, 0x12, 0x22, 0x4B, 0x4C, 0x53, 0x54, 0x56, 0x89 };
    if (cmd >> 16) return false;
    return memchr(types, (int)IOC_TYPE(cmd), sizeof types) != NULL;
}

/* Bytes handed to the host kernel in place: it judges the pointer itself,
 * so ENOTTY for the wrong fd comes before EFAULT, as natively. */
static long pass_bytes(int fd, unsigned long req, guest_addr a, uint32_t size, enum ua_dir dir)
{
    void *p = ua_lock(a, size, dir);
    long r = host_ret(ioctl(fd, req, p));
    ua_unlock(p, a, r >= 0 ? size : 0, dir);
    return r;
}

SYS(ioctl)
{
    int fd = (int)a1;
    uint32_t cmd = a2;
    const struct ioctl_def *d = ioctl_find(cmd);
    if (d) {
        switch (d->kind) {
        case K_VAL: return host_ret(ioctl(fd, host_req(d), (unsigned long)a3));
        case K_IN: return pass_bytes(fd, host_req(d), a3, d->size, UA_IN);
        case K_OUT: return pass_bytes(fd, host_req(d), a3, d->size, UA_OUT);
        case K_INOUT:
            if (d->anysize) return pass_bytes(fd, cmd, a3, IOC_SIZE(cmd), UA_INOUT);
            return pass_bytes(fd, host_req(d), a3, d->size, UA_INOUT);
        case K_CONV: return d->conv(fd, d, a3);
        default: return refuse(fd, cmd, false);
        }
    }
    /* the rule for numbers outside the table (doc/ioctl.md) */
    uint32_t dir = IOC_DIR(cmd), size = IOC_SIZE(cmd);
    if (dir == 0 && size == 0) {
        if (legacy_type(cmd)) return refuse(fd, cmd, true);
        return host_ret(ioctl(fd, (unsigned long)cmd, (unsigned long)a3));
    }
    static const enum ua_dir dirs[4] = { UA_INOUT, UA_IN, UA_OUT, UA_INOUT };
    return pass_bytes(fd, cmd, a3, size, dirs[dir]);
}
