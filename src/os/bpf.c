/* bpf(2) for i386 callers.
 *
 * union bpf_attr and the info structs have the same layout on both ABIs:
 * every pointer is an __aligned_u64 the i386 program fills with a 32-bit
 * address. The x86-64 kernel has no compat handler for bpf; it takes those
 * u64 values as user addresses. ue copies the attribute (and, for
 * OBJ_GET_INFO_BY_FD, the info struct) into host memory, rewrites each
 * pointer field the command uses into the host view of the guest address
 * (0 stays NULL; a value above 4 GiB becomes an address that is never
 * mapped, so the host faults where the kernel would), passes the rest as it
 * is, and writes back the fields the kernel changed. The host kernel thus
 * makes every check itself, in its order, and faults on guest memory
 * exactly where the i386 call would.
 *
 * Commands whose attribute holds no pointers pass through. A command ue
 * does not know (a newer kernel's, carrying pointers ue cannot see) is
 * answered as a kernel without it answers: EINVAL, after the kernel's
 * size and copy checks (E2BIG, EFAULT). */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "sys.h"

/* commands (enum bpf_cmd) */
enum {
    MAP_CREATE, MAP_LOOKUP_ELEM, MAP_UPDATE_ELEM, MAP_DELETE_ELEM, MAP_GET_NEXT_KEY, PROG_LOAD,
    OBJ_PIN, OBJ_GET, PROG_ATTACH, PROG_DETACH, PROG_TEST_RUN, PROG_GET_NEXT_ID, MAP_GET_NEXT_ID,
    PROG_GET_FD_BY_ID, MAP_GET_FD_BY_ID, OBJ_GET_INFO_BY_FD, PROG_QUERY, RAW_TRACEPOINT_OPEN,
    BTF_LOAD, BTF_GET_FD_BY_ID, TASK_FD_QUERY, MAP_LOOKUP_AND_DELETE_ELEM, MAP_FREEZE,
    BTF_GET_NEXT_ID, MAP_LOOKUP_BATCH, MAP_LOOKUP_AND_DELETE_BATCH, MAP_UPDATE_BATCH,
    MAP_DELETE_BATCH, LINK_CREATE, LINK_UPDATE, LINK_GET_FD_BY_ID, LINK_GET_NEXT_ID, ENABLE_STATS,
    ITER_CREATE, LINK_DETACH, PROG_BIND_MAP, TOKEN_CREATE, PROG_STREAM_READ_BY_FD,
};

/* attach types (enum bpf_attach_type) whose link_create part has pointers */
#define TRACE_ITER 28
#define TRACE_KPROBE_MULTI 42
#define TRACE_UPROBE_MULTI 48
#define TRACE_KPROBE_SESSION 56
#define TRACE_UPROBE_SESSION 57

/* link types (enum bpf_link_type) whose info has pointers */
#define LINK_RAW_TRACEPOINT 1
#define LINK_ITER 4
#define LINK_PERF_EVENT 7
#define LINK_KPROBE_MULTI 8
#define LINK_UPROBE_MULTI 12
#define PERF_EVENT_EVENT 6   /* bpf_perf_event_type: the one whose union holds no name pointer */

/* Larger than the host's union bpf_attr and each info struct (6.18: 168
 * and at most 240 bytes): the host checks that the part past its own size
 * is zero; ue checks the part past this itself. */
#define ATTR_MAX 512

/* One guest buffer to rewrite: where in the host copy its u64 is, and what
 * to restore there before the copy goes back to the guest. */
struct ptrs {
    int n;
    struct { uint32_t off; uint64_t guest; } p[16];
    char paths[2][PATH_BUF];
    int npaths;
};

static uint64_t get64(const uint8_t *b, uint32_t off) { uint64_t v; memcpy(&v, b + off, 8); return v; }
static uint32_t get32(const uint8_t *b, uint32_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static void put64(uint8_t *b, uint32_t off, uint64_t v) { memcpy(b + off, &v, 8); }

/* The u64 at off becomes the host view of the guest buffer it names (len
 * bytes, read or written as dir says). */
static void rewrite(struct ptrs *pp, uint8_t *b, uint32_t off, uint32_t len, enum ua_dir dir)
{
    uint64_t v = get64(b, off);
    pp->p[pp->n].off = off;
    pp->p[pp->n++].guest = v;
    if (!v) return;
    uintptr_t base = (uintptr_t)ua_lock(0, 0, UA_IN);
    /* past the 32-bit space: the guard after the window, never mapped */
    uintptr_t h = v >> 32 ? base + (1ull << 32) : (uintptr_t)ua_lock((guest_addr)v, len ? len : 1, dir);
    put64(b, off, (uint64_t)h);
}

/* A path (OBJ_PIN's pathname, uprobe_multi's path): the guest's string with
 * --sysroot applied; when ue cannot read it, the host view, so the host
 * fails on it at its point of the checks. */
static void rewrite_path(struct ptrs *pp, uint8_t *b, uint32_t off)
{
    uint64_t v = get64(b, off);
    const char *p;
    if (v && !(v >> 32) && pp->npaths < 2 && !guest_path((guest_addr)v, pp->paths[pp->npaths], &p)) {
        pp->p[pp->n].off = off;
        pp->p[pp->n++].guest = v;
        if (p == pp->paths[pp->npaths]) pp->npaths++;
        put64(b, off, (uint64_t)(uintptr_t)p);
        return;
    }
    rewrite(pp, b, off, 1, UA_IN);
}

static void restore(const struct ptrs *pp, uint8_t *b)
{
    for (int k = 0; k < pp->n; k++) put64(b, pp->p[k].off, pp->p[k].guest);
}

static long host_bpf(int cmd, void *attr, uint32_t size)
{
    return host_ret(syscall(SYS_bpf, cmd, attr, size));
}

/* The kernel's bpf_check_uarg_tail_zero for the part of a guest struct
 * past ue's copy: 0, -E2BIG (a byte not zero) or -EFAULT. */
static long tail_zero(guest_addr a, uint32_t from, uint32_t size)
{
    uint8_t chunk[256];
    for (uint64_t at = from; at < size;) {
        uint32_t n = size - at < sizeof chunk ? (uint32_t)(size - at) : sizeof chunk;
        if (ua_read(chunk, a + (guest_addr)at, n)) return -EFAULT;
        for (uint32_t i = 0; i < n; i++)
            if (chunk[i]) return -E2BIG;
        at += n;
    }
    return 0;
}

/* A guest struct of size bytes into buf (ATTR_MAX bytes, zeroed past it):
 * the length the host is given, or -E2BIG/-EFAULT as the kernel checks it. */
static long copy_in(uint8_t *buf, guest_addr a, uint32_t size)
{
    if (size > 4096) return -E2BIG;   /* "silly large", before any byte is read */
    long e = size > ATTR_MAX ? tail_zero(a, ATTR_MAX, size) : 0;
    if (e) return e;
    uint32_t n = size > ATTR_MAX ? ATTR_MAX : size;
    memset(buf, 0, ATTR_MAX);
    if (ua_read(buf, a, n)) return -EFAULT;
    return n;
}

/* What an object fd is ("bpf-map", "bpf-prog", "bpf_link", "btf"), or "" */
static void fd_kind(int fd, char *out, size_t len)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(p, out, len - 1);
    out[n > 0 ? n : 0] = 0;
    if (!strncmp(out, "anon_inode:", 11)) memmove(out, out + 11, strlen(out + 11) + 1);
    else out[0] = 0;
}

/* A map's key and value sizes (a per-CPU value counts for every possible
 * CPU), for the host views of key and value buffers; 0 when unknown. */
static void map_sizes(int fd, uint32_t *key, uint32_t *value)
{
    uint8_t info[88] = { 0 };
    uint8_t attr[16] = { 0 };
    uint32_t len = sizeof info;
    uint64_t ip = (uintptr_t)info;
    memcpy(attr, &fd, 4);
    memcpy(attr + 4, &len, 4);
    memcpy(attr + 8, &ip, 8);
    *key = *value = 0;
    if (host_bpf(OBJ_GET_INFO_BY_FD, attr, sizeof attr) < 0) return;
    uint32_t type = get32(info, 0);
    *key = get32(info, 8);
    *value = get32(info, 12);
    /* PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE */
    if (type == 5 || type == 6 || type == 10 || type == 21) {
        long cpus = sysconf(_SC_NPROCESSORS_CONF);
        *value = ((*value + 7) & ~7u) * (uint32_t)(cpus > 0 ? cpus : 1);
    }
}

/* OBJ_GET_INFO_BY_FD: the info struct copied, its pointers rewritten for
 * the kind of object (a link's by its type, asked of the host first with
 * no pointers), and copied back with the guest's pointers. */
static long get_info(uint8_t *attr, uint32_t size)
{
    int fd = (int)get32(attr, 0);
    uint32_t info_len = get32(attr, 4);
    uint64_t ginfo = get64(attr, 8);
    char kind[64];
    fd_kind(fd, kind, sizeof kind);
    struct ptrs pp = { 0 };
    if (!*kind || ginfo >> 32) {   /* the host refuses it before it reads the info, or faults */
        rewrite(&pp, attr, 8, info_len, UA_INOUT);
        return host_bpf(OBJ_GET_INFO_BY_FD, attr, size);
    }
    static __thread uint8_t info[ATTR_MAX];
    long n = copy_in(info, (guest_addr)ginfo, info_len);
    if (n < 0) return n;
    if (!strcmp(kind, "bpf-map")) {
        rewrite(&pp, info, 88, 32, UA_OUT);   /* hash (6.18: SHA-256 of an exclusive map) */
    } else if (!strcmp(kind, "bpf-prog")) {
        static const uint16_t at[] = { 24, 32, 56, 112, 120, 136, 152, 160, 184 };
        static const uint16_t len_at[] = { 16, 20, 52, 104, 108, 144, 148, 168, 180 };
        static const uint8_t scale[] = { 1, 1, 4, 8, 4, 0, 0, 8, 8 };
        for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
            uint32_t cnt = get32(info, len_at[k]);
            uint32_t rec = scale[k] ? scale[k] : get32(info, k == 5 ? 132 : 172);
            uint64_t len = (uint64_t)cnt * rec;
            rewrite(&pp, info, at[k], len > 0xffffffffu ? 0xffffffffu : (uint32_t)len, UA_OUT);
        }
    } else if (!strcmp(kind, "btf")) {
        rewrite(&pp, info, 0, get32(info, 8), UA_OUT);
        rewrite(&pp, info, 16, get32(info, 24), UA_OUT);
    } else if (!strcmp(kind, "bpf_link")) {
        uint8_t probe[48] = { 0 }, pattr[16] = { 0 };
        uint32_t plen = sizeof probe;
        uint64_t ip = (uintptr_t)probe;
        memcpy(pattr, &fd, 4);
        memcpy(pattr + 4, &plen, 4);
        memcpy(pattr + 8, &ip, 8);
        uint32_t type = host_bpf(OBJ_GET_INFO_BY_FD, pattr, sizeof pattr) < 0 ? 0 : get32(probe, 0);
        if (type == LINK_RAW_TRACEPOINT || type == LINK_ITER) {
            rewrite(&pp, info, 16, get32(info, 24), UA_OUT);
        } else if (type == LINK_PERF_EVENT && get32(probe, 16) != PERF_EVENT_EVENT) {
            rewrite(&pp, info, 24, get32(info, 32), UA_OUT);
        } else if (type == LINK_KPROBE_MULTI) {
            rewrite(&pp, info, 16, get32(info, 24) * 8, UA_OUT);
            rewrite(&pp, info, 40, get32(info, 24) * 8, UA_OUT);
        } else if (type == LINK_UPROBE_MULTI) {
            rewrite(&pp, info, 16, get32(info, 48), UA_OUT);
            for (uint32_t off = 24; off <= 40; off += 8) rewrite(&pp, info, off, get32(info, 52) * 8, UA_OUT);
        }
    }
    put64(attr, 8, (uint64_t)(uintptr_t)info);
    uint32_t hn = (uint32_t)n;
    memcpy(attr + 4, &hn, 4);
    long r = host_bpf(OBJ_GET_INFO_BY_FD, attr, size);
    put64(attr, 8, ginfo);
    restore(&pp, info);
    if (r < 0) {
        memcpy(attr + 4, &info_len, 4);
        return r;
    }
    uint32_t done = get32(attr, 4);   /* the kernel's min(sizeof info, info_len) */
    if (done > (uint32_t)n) done = (uint32_t)n;
    if (ua_write((guest_addr)ginfo, info, done)) return -EFAULT;
    return r;
}

/* The pointer fields of each command, rewritten in place in attr. */
static bool rewrite_attr(int cmd, uint8_t *attr, struct ptrs *pp)
{
    uint32_t k, v;
    switch (cmd) {
    case MAP_CREATE:
        rewrite(pp, attr, 80, get32(attr, 88), UA_IN);   /* excl_prog_hash */
        return true;
    case MAP_LOOKUP_ELEM: case MAP_LOOKUP_AND_DELETE_ELEM:
        map_sizes((int)get32(attr, 0), &k, &v);
        rewrite(pp, attr, 8, k, UA_IN);
        rewrite(pp, attr, 16, v, UA_OUT);
        return true;
    case MAP_UPDATE_ELEM:
        map_sizes((int)get32(attr, 0), &k, &v);
        rewrite(pp, attr, 8, k, UA_IN);
        rewrite(pp, attr, 16, v, UA_IN);
        return true;
    case MAP_DELETE_ELEM:
        rewrite(pp, attr, 8, 1, UA_IN);
        return true;
    case MAP_GET_NEXT_KEY:
        map_sizes((int)get32(attr, 0), &k, &v);
        rewrite(pp, attr, 8, k, UA_IN);
        rewrite(pp, attr, 16, k, UA_OUT);
        return true;
    case MAP_LOOKUP_BATCH: case MAP_LOOKUP_AND_DELETE_BATCH: case MAP_UPDATE_BATCH: case MAP_DELETE_BATCH: {
        uint32_t cnt = get32(attr, 32);
        enum ua_dir d = cmd == MAP_UPDATE_BATCH || cmd == MAP_DELETE_BATCH ? UA_IN : UA_OUT;
        map_sizes((int)get32(attr, 36), &k, &v);
        rewrite(pp, attr, 0, k, UA_IN);    /* in_batch */
        rewrite(pp, attr, 8, k, UA_OUT);   /* out_batch */
        rewrite(pp, attr, 16, (uint32_t)((uint64_t)cnt * k > 0xffffffffu ? 0xffffffffu : cnt * k), d);
        rewrite(pp, attr, 24, (uint32_t)((uint64_t)cnt * v > 0xffffffffu ? 0xffffffffu : cnt * v), d);
        return true;
    }
    case PROG_LOAD:
        rewrite(pp, attr, 8, get32(attr, 4) * 8u, UA_IN);          /* insns */
        rewrite(pp, attr, 16, 1, UA_IN);                           /* license */
        rewrite(pp, attr, 32, get32(attr, 28), UA_OUT);            /* log_buf */
        rewrite(pp, attr, 80, get32(attr, 76) * get32(attr, 88), UA_IN);    /* func_info */
        rewrite(pp, attr, 96, get32(attr, 92) * get32(attr, 104), UA_IN);   /* line_info */
        rewrite(pp, attr, 120, get32(attr, 148) * 4, UA_IN);       /* fd_array */
        rewrite(pp, attr, 128, get32(attr, 136) * get32(attr, 116), UA_IN); /* core_relos */
        rewrite(pp, attr, 152, get32(attr, 160), UA_IN);           /* signature */
        return true;
    case OBJ_PIN: case OBJ_GET:
        rewrite_path(pp, attr, 0);
        return true;
    case PROG_TEST_RUN:
        rewrite(pp, attr, 16, get32(attr, 8), UA_IN);
        rewrite(pp, attr, 24, get32(attr, 12), UA_OUT);
        rewrite(pp, attr, 48, get32(attr, 40), UA_IN);
        rewrite(pp, attr, 56, get32(attr, 44), UA_OUT);
        return true;
    case PROG_QUERY:
        for (uint32_t off = 16; off <= 48; off += off == 16 ? 16 : 8)   /* prog_ids, prog_attach_flags, link_ids, link_attach_flags */
            rewrite(pp, attr, off, get32(attr, 24) * 4, UA_OUT);
        return true;
    case RAW_TRACEPOINT_OPEN:
        rewrite(pp, attr, 0, 1, UA_IN);
        return true;
    case BTF_LOAD:
        rewrite(pp, attr, 0, get32(attr, 16), UA_IN);
        rewrite(pp, attr, 8, get32(attr, 20), UA_OUT);
        return true;
    case TASK_FD_QUERY:
        rewrite(pp, attr, 16, get32(attr, 12), UA_OUT);
        return true;
    case PROG_STREAM_READ_BY_FD:
        rewrite(pp, attr, 0, get32(attr, 8), UA_OUT);
        return true;
    case LINK_CREATE:
        switch (get32(attr, 8)) {
        case TRACE_ITER:
            rewrite(pp, attr, 16, get32(attr, 24), UA_IN);
            break;
        case TRACE_KPROBE_MULTI: case TRACE_KPROBE_SESSION:
            for (uint32_t off = 24; off <= 40; off += 8) rewrite(pp, attr, off, get32(attr, 20) * 8, UA_IN);
            break;
        case TRACE_UPROBE_MULTI: case TRACE_UPROBE_SESSION:
            rewrite_path(pp, attr, 16);
            for (uint32_t off = 24; off <= 40; off += 8) rewrite(pp, attr, off, get32(attr, 48) * 8, UA_IN);
            break;
        }
        return true;
    case PROG_ATTACH: case PROG_DETACH: case PROG_GET_NEXT_ID: case MAP_GET_NEXT_ID:
    case PROG_GET_FD_BY_ID: case MAP_GET_FD_BY_ID: case BTF_GET_FD_BY_ID: case MAP_FREEZE:
    case BTF_GET_NEXT_ID: case LINK_UPDATE: case LINK_GET_FD_BY_ID: case LINK_GET_NEXT_ID:
    case ENABLE_STATS: case ITER_CREATE: case LINK_DETACH: case PROG_BIND_MAP: case TOKEN_CREATE:
        return true;   /* no pointers */
    default:
        return false;
    }
}

SYS(bpf)
{
    int cmd = (int)a1;
    static __thread uint8_t attr[ATTR_MAX], orig[ATTR_MAX];
    long n = copy_in(attr, a2, a3);
    if (n < 0) {
        /* the host's own verdict on the guest's bytes: EPERM, E2BIG, EFAULT in its order */
        return host_bpf(-1, ua_lock(a2, a3, UA_IN), a3);
    }
    memcpy(orig, attr, ATTR_MAX);
    long r;
    struct ptrs pp = { 0 };
    if (cmd == OBJ_GET_INFO_BY_FD) {
        r = get_info(attr, (uint32_t)n);
    } else if (!rewrite_attr(cmd, attr, &pp)) {
        return host_bpf(-1, attr, (uint32_t)n);   /* as a kernel without the command: EINVAL */
    } else {
        r = host_bpf(cmd, attr, (uint32_t)n);
        restore(&pp, attr);
    }
    /* the fields the kernel wrote back (log_true_size, next_id, count, info_len...) */
    for (uint32_t i = 0; i < (uint32_t)n;) {
        if (attr[i] == orig[i]) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < (uint32_t)n && attr[j] != orig[j]) j++;
        if (ua_write(a2 + i, attr + i, j - i) && r >= 0) r = -EFAULT;
        i = j;
    }
    return r;
}
