/* ue-test: variants=s2 d0 p2 */
/* bpf(2) from an i386 program: union bpf_attr holds its pointers as
 * __aligned_u64 fields with 32-bit addresses. An array map (create, update,
 * lookup, get_next_key, delete, EFAULT for bad key and value pointers and
 * for a pointer with high bits set), OBJ_GET_INFO_BY_FD on it and on a
 * program (with the xlated instructions buffer), a socket filter loaded
 * with a log buffer (and a rejected one: the verifier's log and
 * log_true_size written back), PROG_TEST_RUN, SO_ATTACH_BPF on a socketpair
 * filtering datagrams, MAP_GET_FD_BY_ID, pinning in a bpf file system
 * mounted here, and the attribute checks (unknown command, E2BIG tail,
 * EFAULT). Without the privilege natively it prints the EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *en(int e)
{
    static char b[32];
    switch (e) {
    case 0: return "ok";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case E2BIG: return "E2BIG";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case ENOSPC: return "ENOSPC";
    case 524: return "ENOTSUPP";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: snprintf(b, sizeof b, "errno %d", e); return b;
    }
}

static long bpf(int cmd, union bpf_attr *a, unsigned size)
{
    long r = syscall(SYS_bpf, cmd, a, size);
    return r < 0 ? -errno : r;
}

/* PROG_LOAD's log_true_size (at 140: past older headers' fields) */
static uint32_t log_true_size(const union bpf_attr *a) { uint32_t v; memcpy(&v, (const char *)a + 140, 4); return v; }

static uint64_t ptr(const void *p) { return (uint64_t)(uintptr_t)p; }

static long elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = fd;
    a.key = ptr(key);
    a.value = ptr(value);
    a.flags = flags;
    return bpf(cmd, &a, sizeof a);
}

/* PROG_LOAD of a socket filter, GPL, with a log */
static void load_attr(union bpf_attr *a, const struct bpf_insn *insns, unsigned cnt, char *log, unsigned size)
{
    memset(a, 0, sizeof *a);
    a->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    a->insns = ptr(insns);
    a->insn_cnt = cnt;
    a->license = ptr("GPL");
    a->log_buf = ptr(log);
    a->log_size = size;
    a->log_level = 1;
}

static void show(const char *what, long r)
{
    printf("%s: %s\n", what, r < 0 ? en((int)-r) : r > 0 ? "fd/value > 0" : "0");
}

int main(void)
{
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = 8;
    a.max_entries = 4;
    strcpy(a.map_name, "ue_arr");
    long map = bpf(BPF_MAP_CREATE, &a, sizeof a);
    show("map create", map);
    if (map < 0) return 0;

    uint32_t key = 1, next = 0;
    uint64_t val = 0x1122334455667788ull, got = 0;
    show("update 1", elem(BPF_MAP_UPDATE_ELEM, map, &key, &val, BPF_ANY));
    show("lookup 1", elem(BPF_MAP_LOOKUP_ELEM, map, &key, &got, 0));
    printf("value %s\n", got == val ? "matches" : "differs");
    key = 7;
    show("lookup 7", elem(BPF_MAP_LOOKUP_ELEM, map, &key, &got, 0));
    show("update 7", elem(BPF_MAP_UPDATE_ELEM, map, &key, &val, BPF_ANY));
    key = 1;
    show("update 1 NOEXIST", elem(BPF_MAP_UPDATE_ELEM, map, &key, &val, BPF_NOEXIST));
    show("delete 1 (array)", elem(BPF_MAP_DELETE_ELEM, map, &key, NULL, 0));
    show("next key of NULL", elem(BPF_MAP_GET_NEXT_KEY, map, NULL, &next, 0));
    printf("  next %u\n", next);
    show("next key of 1", elem(BPF_MAP_GET_NEXT_KEY, map, &key, &next, 0));
    printf("  next %u\n", next);
    key = 3;
    show("next key of 3", elem(BPF_MAP_GET_NEXT_KEY, map, &key, &next, 0));
    show("lookup bad key ptr", elem(BPF_MAP_LOOKUP_ELEM, map, (void *)16, &got, 0));
    key = 1;
    show("lookup bad value ptr", elem(BPF_MAP_LOOKUP_ELEM, map, &key, (void *)16, 0));
    memset(&a, 0, sizeof a);
    a.map_fd = map;
    a.key = ptr(&key) | 1ull << 32;
    a.value = ptr(&got);
    show("lookup key ptr above 4 GiB", bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof a));
    show("lookup bad fd", elem(BPF_MAP_LOOKUP_ELEM, 999, (void *)16, &got, 0));

    /* map info */
    struct bpf_map_info mi;
    memset(&mi, 0, sizeof mi);
    memset(&a, 0, sizeof a);
    a.info.bpf_fd = map;
    a.info.info_len = sizeof mi;
    a.info.info = ptr(&mi);
    show("map info", bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a));
    printf("  type %u key %u value %u max %u name %s info_len %u\n", mi.type, mi.key_size, mi.value_size,
           mi.max_entries, mi.name, a.info.info_len);
    uint32_t map_id = mi.id;
    memset(&a, 0, sizeof a);
    a.map_id = map_id;
    long map2 = bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof a);
    show("map by id", map2);
    got = 0;
    show("lookup through it", elem(BPF_MAP_LOOKUP_ELEM, (int)map2, &key, &got, 0));
    printf("  value %s\n", got == val ? "matches" : "differs");
    if (map2 >= 0) close((int)map2);
    memset(&a, 0, sizeof a);
    a.info.bpf_fd = map;
    a.info.info_len = sizeof mi;
    a.info.info = 16;
    show("map info bad buffer", bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a));

    /* a socket filter: pass packets of at most 4 bytes, drop the rest */
    struct bpf_insn prog[] = {
        { .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = 2, .src_reg = 1, .off = 0 },   /* r2 = skb->len */
        { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },               /* r0 = 0 */
        { .code = BPF_JMP | BPF_JGT | BPF_K, .dst_reg = 2, .off = 1, .imm = 4 },       /* if r2 > 4 skip */
        { .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 0, .src_reg = 2 },           /* r0 = r2 */
        { .code = BPF_JMP | BPF_EXIT },
    };
    static char log[65536];
    load_attr(&a, prog, 5, log, sizeof log);
    strcpy(a.prog_name, "ue_filter");
    long pfd = bpf(BPF_PROG_LOAD, &a, sizeof a);
    show("prog load", pfd);
    printf("  log %s\n", log[0] ? "written" : "empty");

    struct bpf_insn bad[] = { { .code = BPF_JMP | BPF_EXIT } };   /* r0 never set */
    memset(log, 0, sizeof log);
    load_attr(&a, bad, 1, log, sizeof log);
    show("bad prog load", bpf(BPF_PROG_LOAD, &a, sizeof a));
    printf("  log %s, log_true_size %s\n", strstr(log, "R0") ? "names R0" : "does not name R0",
           log_true_size(&a) > 0 && log_true_size(&a) == strlen(log) + 1 ? "= its length" : "wrong");
    a.log_size = 8;
    memset(log, 0, sizeof log);
    show("bad prog load, small log", bpf(BPF_PROG_LOAD, &a, sizeof a));
    printf("  log length %zu\n", strlen(log));
    a.log_size = sizeof log;
    a.insns = 16;
    show("prog load bad insns", bpf(BPF_PROG_LOAD, &a, sizeof a));
    a.insns = ptr(bad);
    a.license = 16;
    show("prog load bad license", bpf(BPF_PROG_LOAD, &a, sizeof a));
    a.license = ptr("GPL");
    a.log_buf = 16;
    show("prog load bad log", bpf(BPF_PROG_LOAD, &a, sizeof a));
    if (pfd < 0) return 0;

    /* program info, with its translated instructions */
    struct bpf_prog_info pi;
    struct bpf_insn xl[64];
    memset(&pi, 0, sizeof pi);
    pi.xlated_prog_len = sizeof xl;
    pi.xlated_prog_insns = ptr(xl);
    memset(&a, 0, sizeof a);
    a.info.bpf_fd = pfd;
    a.info.info_len = sizeof pi;
    a.info.info = ptr(&pi);
    show("prog info", bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a));
    printf("  type %u name %s xlated %u bytes, insns pointer kept %d, last insn exit %d\n", pi.type, pi.name,
           pi.xlated_prog_len, pi.xlated_prog_insns == ptr(xl),
           pi.xlated_prog_len >= 8 && xl[pi.xlated_prog_len / 8 - 1].code == (BPF_JMP | BPF_EXIT));

    /* test run */
    unsigned char pkt[64], out[64];
    memset(pkt, 0, sizeof pkt);
    memset(&a, 0, sizeof a);
    a.test.prog_fd = pfd;
    a.test.data_in = ptr(pkt);
    a.test.data_size_in = sizeof pkt;
    a.test.data_out = ptr(out);
    a.test.data_size_out = sizeof out;
    a.test.repeat = 1;
    show("test run", bpf(BPF_PROG_TEST_RUN, &a, sizeof a));
    printf("  retval %u data_size_out %u\n", a.test.retval, a.test.data_size_out);

    /* attached to a socketpair */
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int pf = (int)pfd;
    printf("SO_ATTACH_BPF: %s\n", en(setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_BPF, &pf, sizeof pf) ? errno : 0));
    send(sv[0], "abc", 3, 0);
    send(sv[0], "abcdefgh", 8, 0);
    send(sv[0], "xy", 2, 0);
    char buf[16];
    for (int i = 0; i < 3; i++) {
        ssize_t n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
        printf("  recv: %zd %.*s%s\n", n, n > 0 ? (int)n : 0, buf, n < 0 ? en(errno) : "");
    }
    close(sv[0]);
    close(sv[1]);

    /* pinning in a bpf file system of our own */
    mkdir("bpffs", 0700);
    if (mount("bpf", "bpffs", "bpf", 0, NULL)) {
        printf("mount bpf: %s\n", en(errno));
    } else {
        memset(&a, 0, sizeof a);
        a.pathname = ptr("bpffs/map");
        a.bpf_fd = map;
        show("pin", bpf(BPF_OBJ_PIN, &a, sizeof a));
        memset(&a, 0, sizeof a);
        a.pathname = ptr("bpffs/map");
        long m3 = bpf(BPF_OBJ_GET, &a, sizeof a);
        show("get pinned", m3);
        got = 0;
        key = 1;
        show("lookup through it", elem(BPF_MAP_LOOKUP_ELEM, (int)m3, &key, &got, 0));
        printf("  value %s\n", got == val ? "matches" : "differs");
        if (m3 >= 0) close((int)m3);
        a.pathname = ptr("bpffs/none");
        show("get missing", bpf(BPF_OBJ_GET, &a, sizeof a));
        a.pathname = 16;
        show("get bad path", bpf(BPF_OBJ_GET, &a, sizeof a));
        unlink("bpffs/map");
        umount("bpffs");
    }
    rmdir("bpffs");

    /* the attribute itself */
    memset(&a, 0, sizeof a);
    show("unknown command", bpf(1000, &a, sizeof a));
    static unsigned char big[8192];
    memset(big, 0xff, 4);   /* start_id: no id after it */
    show("size past a page", bpf(BPF_MAP_GET_NEXT_ID, (union bpf_attr *)big, sizeof big));
    big[3000] = 1;
    show("size past the union, tail not zero", bpf(BPF_MAP_GET_NEXT_ID, (union bpf_attr *)big, 4096));
    big[3000] = 0;
    show("size past the union, tail zero", bpf(BPF_MAP_GET_NEXT_ID, (union bpf_attr *)big, 4096));
    show("attr pointer bad", bpf(BPF_MAP_CREATE, (union bpf_attr *)16, sizeof a));
    close((int)pfd);
    close((int)map);
    return 0;
}
