/* /proc files that must describe the guest, not ue. The host's own serve
 * most: comm (prctl), cmdline and environ (the host's mm points at the
 * guest's argument and environment strings, PR_SET_MM), exe (fs.c names the
 * program). The rest are made here from the guest's state and served from a
 * memfd: maps, stat, status, and cmdline/environ/auxv when PR_SET_MM_MAP was
 * refused. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/prctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../loader/loader.h"
#include "sys.h"

static bool host_args;   /* the host's cmdline and environ read the guest's strings */

/* A host /proc file's first size - 1 bytes, NUL-terminated: the length or -errno. */
static ssize_t read_host(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n <= 0) return -EIO;
    buf[n] = 0;
    return n;
}

/* The host's own layout fields from its /proc/self/stat (startcode endcode
 * startstack: 26-28; start_data end_data start_brk: 45-47), which
 * PR_SET_MM_MAP must be given back unchanged. */
static bool host_layout(uint64_t v[6])
{
    static const int fields[6] = { 26, 27, 28, 45, 46, 47 };
    char buf[2048];
    if (read_host("/proc/self/stat", buf, sizeof buf) < 0) return false;
    char *s = strrchr(buf, ')');
    if (!s) return false;
    int field = 2, k = 0;
    for (s++; *s && k < 6; ) {
        while (*s == ' ') s++;
        field++;
        char *e;
        unsigned long long x = strtoull(s, &e, 10);
        if (field == fields[k]) v[k++] = x;
        s = e;
        while (*s && *s != ' ') s++;
    }
    return k == 6;
}

/* Where the host kernel finds a guest address (only named: the kernel reads it) */
static uint64_t host_addr(guest_addr a)
{
    return (uintptr_t)g2h(a);   /* uaccess-ok: an address the host kernel reads for /proc, never dereferenced here */
}

/* After loading: the host's arg and env bounds become the guest's strings
 * and its saved auxv the guest's i386 pairs (the kernel reads a compat
 * process's as such), so every reader of our /proc/PID/cmdline, environ
 * and auxv sees the guest's, live. PR_SET_MM_MAP needs no capability for
 * these; without it the opens below stand in for our own process only. */
void procfs_init(void)
{
    guest_mm.start_brk = mem_brk(0);
    uint64_t v[6];
    uint32_t auxv[2 * 64] = { 0 };
    uint32_t alen = guest_mm.auxv_len < sizeof auxv - 8 ? guest_mm.auxv_len : sizeof auxv - 8;
    if (!host_layout(v) || ua_read(auxv, guest_mm.auxv, alen)) return;
    struct prctl_mm_map m = {
        .start_code = v[0], .end_code = v[1], .start_stack = v[2], .start_data = v[3], .end_data = v[4],
        .start_brk = v[5], .brk = (uint64_t)syscall(SYS_brk, 0),
        .arg_start = host_addr(guest_mm.arg_start), .arg_end = host_addr(guest_mm.arg_end),
        .env_start = host_addr(guest_mm.env_start), .env_end = host_addr(guest_mm.env_end),
        .auxv = (__u64 *)auxv, .auxv_size = (alen + 7) & ~7u, .exe_fd = (uint32_t)-1,
    };
    host_args = !prctl(PR_SET_MM, PR_SET_MM_MAP, &m, sizeof m, 0);
}

/* "/proc/self/NAME", "/proc/thread-self/NAME", "/proc/PID/NAME" and
 * "/proc/PID/task/TID/NAME" for our pid: NAME, else NULL. */
static const char *self_name(const char *p)
{
    char self[32];
    if (!strncmp(p, "/proc/self/", 11)) return p + 11;
    if (!strncmp(p, "/proc/thread-self/", 18)) return p + 18;
    int n = snprintf(self, sizeof self, "/proc/%d/", (int)getpid());
    if (strncmp(p, self, n)) return NULL;
    p += n;
    if (!strncmp(p, "task/", 5)) {   /* /proc/PID/task/TID/NAME: one of our threads */
        const char *q = p + 5;
        while (*q >= '0' && *q <= '9') q++;
        if (q > p + 5 && *q == '/') return q + 1;
    }
    return p;
}

/* The contents as a read-only file of its own (its own offset), as the guest asked */
static int serve(const char *name, const char *buf, size_t len, int flags)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t w = len ? write(fd, buf, len) : 0;
    if (w != (ssize_t)len) { close(fd); return -EIO; }
    char self_fd[32];
    snprintf(self_fd, sizeof self_fd, "/proc/self/fd/%d", fd);
    int ro = open(self_fd, O_RDONLY | (flags & O_CLOEXEC));
    int e = errno;
    close(fd);
    return ro < 0 ? -e : ro;
}

/* The guest's maps text, malloc'd (*len its length), or NULL */
static char *guest_maps(size_t *len)
{
    for (size_t size = 1 << 16;; size *= 4) {
        char *buf = malloc(size);
        if (!buf) return NULL;
        *len = mem_format_maps(buf, size);
        if (*len < size - 1) return buf;
        free(buf);
    }
}

static int serve_maps(int flags)
{
    size_t len;
    char *buf = guest_maps(&len);
    if (!buf) return -ENOMEM;
    int r = serve("maps", buf, len, flags);
    free(buf);
    return r;
}

/* The host's whole /proc/self/smaps, malloc'd and NUL-terminated, or NULL */
static char *read_host_all(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t size = 1 << 18, len = 0;
    char *buf = malloc(size);
    for (ssize_t n = 1; buf && n > 0; len += (size_t)n) {
        if (size - len < 4096) {
            char *b = realloc(buf, size *= 2);
            if (!b) { free(buf); buf = NULL; break; }
            buf = b;
        }
        n = read(fd, buf + len, size - len - 1);
        if (n < 0) n = 0;
    }
    close(fd);
    if (buf) buf[len] = 0;
    return buf;
}

/* One guest mapping's smaps lines from the host's entries for its part of
 * the window: the kB counts summed over every host mapping in it (ue may
 * hold one guest mapping in several), Size the guest's, page sizes and
 * THPeligible from the first, VmFlags the host's with rd, wr and ex as the
 * guest's protection. */
#define SMAPS_KEYS 40
static size_t smaps_entry(char *out, size_t room, const char *host, uint64_t hs, uint64_t he, const char *perms)
{
    char names[SMAPS_KEYS][32], other[4][96] = { { 0 } }, vmflags[256] = "";
    unsigned long long sum[SMAPS_KEYS] = { 0 };
    int nkeys = 0, nother = 0;
    bool first = true;
    for (const char *l = host; *l;) {
        const char *nl = strchr(l, '\n');
        size_t ll = nl ? (size_t)(nl - l) : strlen(l);
        unsigned long long a, b;
        char sep;
        if (sscanf(l, "%llx-%llx%c", &a, &b, &sep) == 3 && sep == ' ') {
            /* an entry of the window's part: add its lines */
            const char *k = nl ? nl + 1 : l + ll;
            bool in = a < he && hs < b;
            int idx = 0;
            while (*k) {
                const char *kn = strchr(k, '\n');
                size_t kl = kn ? (size_t)(kn - k) : strlen(k);
                unsigned long long x, y;
                if (sscanf(k, "%llx-%llx%c", &x, &y, &sep) == 3 && sep == ' ') break;
                if (in) {
                    const char *colon = memchr(k, ':', kl);
                    size_t pad = colon ? (size_t)(colon - k) + 1 : 0;
                    while (pad < kl && k[pad] == ' ') pad++;
                    if (kl > 3 && !memcmp(k + kl - 3, " kB", 3) && idx < SMAPS_KEYS) {
                        if (first) {
                            snprintf(names[idx], sizeof names[idx], "%.*s", (int)(pad < 31 ? pad : 31), k);
                            nkeys = idx + 1;
                        }
                        sum[idx++] += strtoull(k + pad, NULL, 10);
                    } else if (first && !strncmp(k, "VmFlags:", 8)) {
                        snprintf(vmflags, sizeof vmflags, "%.*s", (int)kl, k);
                    } else if (first && nother < 4) {
                        snprintf(other[nother++], sizeof other[0], "%.*s", (int)kl, k);
                    }
                }
                k = kn ? kn + 1 : k + kl;
            }
            if (in) first = false;
            l = k;
            continue;
        }
        l = nl ? nl + 1 : l + ll;
    }
    size_t len = 0;
#define OUT(...) do { int n_ = snprintf(out + len, len < room ? room - len : 0, __VA_ARGS__); if (n_ > 0) len += (size_t)n_; } while (0)
    for (int i = 0; i < nkeys; i++)
        OUT("%s%8llu kB\n", names[i], !strncmp(names[i], "Size:", 5) ? (unsigned long long)(he - hs) / 1024 : sum[i]);
    for (int i = 0; i < nother; i++) OUT("%s\n", other[i]);
    OUT("VmFlags: %s%s%s", perms[0] == 'r' ? "rd " : "", perms[1] == 'w' ? "wr " : "", perms[2] == 'x' ? "ex " : "");
    for (char *f = strtok(vmflags + 8, " "); f; f = strtok(NULL, " "))
        if (strcmp(f, "rd") && strcmp(f, "wr") && strcmp(f, "ex")) OUT("%s ", f);
    OUT("\n");
#undef OUT
    return len;
}

static int serve_smaps(int flags)
{
    size_t len;
    char *maps = guest_maps(&len);
    if (!maps) return -ENOMEM;
    char *host = read_host_all("/proc/self/smaps");
    size_t room = len * 16 + 65536, out_len = 0;
    char *out = host ? malloc(room) : NULL;
    if (!out) {
        free(maps);
        free(host);
        return -ENOMEM;
    }
    for (char *l = maps; *l;) {
        char *nl = strchr(l, '\n');
        size_t ll = nl ? (size_t)(nl - l) + 1 : strlen(l);
        unsigned long s = 0, e = 0;
        char perms[8] = "";
        if (out_len + ll + 2048 > room) break;
        memcpy(out + out_len, l, ll);
        out_len += ll;
        if (sscanf(l, "%lx-%lx %7s", &s, &e, perms) == 3)
            out_len += smaps_entry(out + out_len, room - out_len, host, host_addr((guest_addr)s),
                                   host_addr((guest_addr)s) + (e - s), perms);
        l += ll;
    }
    int r = serve("smaps", out, out_len, flags);
    free(out);
    free(maps);
    free(host);
    return r;
}

/* fs/proc/base.c auxv_read on a compat process: the saved i386 pairs, its
 * length counted in 64-bit words two at a time up to a zero one. */
static int serve_auxv(int flags)
{
    uint32_t w[2 * 64] = { 0 };
    uint32_t n = guest_mm.auxv_len / 4;
    if (n > 2 * 62) n = 2 * 62;
    if (ua_read(w, guest_mm.auxv, n * 4)) return -EIO;
    uint32_t words = 0;   /* unsigned longs of 8 bytes: one i386 pair each */
    while (words < 62 && (w[2 * words] || w[2 * words + 1])) words += 2;
    words += 2;
    return serve("auxv", (const char *)w, words * 8, flags);
}

/* The host's stat line with the memory layout fields the guest's: startcode
 * endcode startstack (26-28), kstkesp kstkeip (29-30, 0 for a live task),
 * start_data end_data start_brk arg_start arg_end env_start env_end (45-51). */
static int serve_stat(const char *path, int flags)
{
    char in[2048], out[2048];
    ssize_t n = read_host(path, in, sizeof in);
    if (n < 0) return (int)n;
    char *rp = strrchr(in, ')');
    if (!rp) return serve("stat", in, (size_t)n, flags);
    size_t o = (size_t)(rp + 1 - in);
    memcpy(out, in, o);
    uint32_t repl[52] = { 0 };
    bool have[52] = { false };
#define SET(f, v) (repl[f] = (v), have[f] = true)
    SET(26, guest_mm.start_code); SET(27, guest_mm.end_code); SET(28, guest_mm.start_stack);
    SET(29, 0); SET(30, 0);
    SET(45, guest_mm.start_data); SET(46, guest_mm.end_data); SET(47, guest_mm.start_brk);
    SET(48, guest_mm.arg_start); SET(49, guest_mm.arg_end); SET(50, guest_mm.env_start); SET(51, guest_mm.env_end);
#undef SET
    const char *s = rp + 1;
    for (int field = 3; *s && *s != '\n'; field++) {
        while (*s == ' ') out[o++] = *s++;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\n') e++;
        if (field < 52 && have[field]) o += (size_t)snprintf(out + o, sizeof out - o, "%u", repl[field]);
        else { memcpy(out + o, s, (size_t)(e - s)); o += (size_t)(e - s); }
        s = e;
        if (o > sizeof out - 64) break;
    }
    size_t rest = strlen(s);
    if (o + rest < sizeof out) { memcpy(out + o, s, rest); o += rest; }
    return serve("stat", out, o, flags);
}

/* The host's status with the guest's dispositions in SigIgn and SigCgt
 * (ue catches every signal on the host). */
static int serve_status(const char *path, int flags)
{
    char in[8192], out[8192 + 64];
    ssize_t n = read_host(path, in, sizeof in);
    if (n < 0) return (int)n;
    uint64_t ign = 0, cgt = 0;
    for (int sig = 1; sig <= 64; sig++) {
        const struct guest_sigaction *ga = signal_action(sig);
        if (ga && ga->handler == 1) ign |= 1ull << (sig - 1);
        else if (ga && ga->handler) cgt |= 1ull << (sig - 1);
    }
    size_t o = 0;
    for (char *line = in; *line; ) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
        if (!strncmp(line, "SigIgn:", 7)) o += (size_t)snprintf(out + o, sizeof out - o, "SigIgn:\t%016llx\n", (unsigned long long)ign);
        else if (!strncmp(line, "SigCgt:", 7)) o += (size_t)snprintf(out + o, sizeof out - o, "SigCgt:\t%016llx\n", (unsigned long long)cgt);
        else if (o + len < sizeof out) { memcpy(out + o, line, len); o += len; }
        line += len;
    }
    return serve("status", out, o, flags);
}

/* fs/proc/base.c get_mm_cmdline: [arg_start, arg_end), or up to the first
 * NUL when the last byte was overwritten (setproctitle), which may run on
 * into the environment. */
static int serve_strings(const char *name, guest_addr start, guest_addr end, bool cmdline, int flags)
{
    if (end < start) end = start;
    uint32_t len = end - start;
    uint8_t last = 0;
    if (cmdline && len && !ua_read(&last, end - 1, 1) && last) len = guest_mm.env_end - start;
    char *buf = malloc(len + 1);
    if (!buf) return -ENOMEM;
    size_t got = len - ua_read_partial(buf, start, len);
    if (cmdline && last) {
        size_t k = strnlen(buf, got);
        got = k < got ? k + 1 : got;
    }
    int r = serve(name, buf, got, flags);
    free(buf);
    return r;
}

int procfs_open(const char *p, int flags)
{
    const char *name = self_name(p);
    if (!name || (flags & O_ACCMODE) != O_RDONLY) return PROCFS_NOT_SPECIAL;
    if (!strcmp(name, "maps")) return serve_maps(flags);
    if (!strcmp(name, "smaps")) return serve_smaps(flags);
    if (!strcmp(name, "auxv") && guest_mm.auxv_len && !host_args) return serve_auxv(flags);
    if (!strcmp(name, "stat") && guest_mm.arg_start) return serve_stat(p, flags);
    if (!strcmp(name, "status")) return serve_status(p, flags);
    if (!host_args && guest_mm.arg_start) {
        if (!strcmp(name, "cmdline")) return serve_strings("cmdline", guest_mm.arg_start, guest_mm.arg_end, true, flags);
        if (!strcmp(name, "environ")) return serve_strings("environ", guest_mm.env_start, guest_mm.env_end, false, flags);
    }
    return PROCFS_NOT_SPECIAL;
}

/* ---- the running program is busy (ETXTBSY) ---- */

/* Natively exec denies writes to the main program's file while it runs
 * (not to ld.so or libraries); the host sees ue as the program, so ue
 * checks: is the file at p (dirfd-relative, following links unless
 * nofollow) the guest's? */
static bool is_guest_exe(int dirfd, const char *p, bool nofollow)
{
    struct stat st;
    return loader_exe_ino && !fstatat(dirfd, p, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0)
           && st.st_dev == loader_exe_dev && st.st_ino == loader_exe_ino;
}

/* open for writing or with O_TRUNC (fs/namei.c handle_truncate): ETXTBSY
 * after every check the open itself makes (the host's, without O_TRUNC). */
int exe_busy_open(int dirfd, const char *p, int flags)
{
    if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC)) return 0;
    if (!is_guest_exe(dirfd, p, flags & O_NOFOLLOW)) return 0;
    int fd = openat(dirfd, p, (flags & ~O_TRUNC) | O_CLOEXEC, 0);
    if (fd < 0) return 0;   /* the real open reports it */
    close(fd);
    return -ETXTBSY;
}

/* truncate (fs/open.c vfs_truncate): after the length, lookup, type,
 * read-only mount and permission checks */
int exe_busy_truncate(const char *p, int64_t len)
{
    struct stat st;
    if (len < 0 || !is_guest_exe(AT_FDCWD, p, false) || stat(p, &st) || !S_ISREG(st.st_mode)) return 0;
    if (faccessat(AT_FDCWD, p, W_OK, AT_EACCESS)) return 0;
    return -ETXTBSY;
}
