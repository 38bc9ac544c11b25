/* The syscall table, int 0x80 dispatch and the --strace printer. */
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check/check.h"
#include "../debug/stack.h"
#include "sys.h"

#define NR_SYSCALLS 470

struct syscall_def {
    const char *name;
    sys_fn fn;          /* NULL: unimplemented */
    const char *args;   /* strace format, one letter per argument (see systab.h) */
    char ret;
};

static const struct syscall_def syscall_table[NR_SYSCALLS] = {
#define SYSCALL(nr, name, args, ret) [nr] = { #name, sys_##name, args, ret },
#define NOSYS(nr, name) [nr] = { #name, NULL, "", 'd' },
#define NISYS(nr, name) [nr] = { #name, NULL, NULL, 'd' },   /* no args: ENOSYS natively too */
#include "systab.h"
#undef SYSCALL
#undef NOSYS
#undef NISYS
};

static uint8_t warned[NR_SYSCALLS];

/* ---- the argument letters, parsed at start-up (a bad entry is ue's bug: fatal) ---- */

static struct sys_arg arg_spec[NR_SYSCALLS][6];
static int8_t arg_count[NR_SYSCALLS];

static int parse_args(const char *p, struct sys_arg *out)
{
    int k = 0;
    while (*p) {
        if (k == 6) return -1;
        struct sys_arg a = { *p++, 0, 0, 0 };
        if (strchr("<>^", a.fmt)) {
            a.dir = a.fmt == '<' ? UA_IN : a.fmt == '>' ? UA_OUT : UA_INOUT;
            a.fmt = 'm';
            if (*p >= '0' && *p <= '9') {
                a.len = '#';
                while (*p >= '0' && *p <= '9') a.size = a.size * 10 + (uint32_t)(*p++ - '0');
            } else if (*p == 'n' || (*p == 'r' && a.dir == UA_OUT)) {
                a.len = *p++;
                if (!p[0]) return -1;   /* the length argument must follow */
            } else {
                return -1;
            }
        } else if (a.fmt == 'L') {
            if (*p != '-') return -1;   /* the high half follows */
        } else if (!strchr("duxopfFOPMGSIs-", a.fmt)) {
            return -1;
        }
        out[k++] = a;
    }
    return k;
}

static void parse_table(void)
{
    for (uint32_t nr = 0; nr < NR_SYSCALLS; nr++) {
        const struct syscall_def *d = &syscall_table[nr];
        arg_count[nr] = -1;
        if (!d->fn) continue;
        int n = parse_args(d->args, arg_spec[nr]);
        if (n < 0) ue_fatal(70, "internal error: syscall table entry %u (%s): bad arguments \"%s\"", nr, d->name, d->args);
        arg_count[nr] = (int8_t)n;
    }
}

int sys_args(uint32_t nr, const struct sys_arg **out)
{
    if (nr >= NR_SYSCALLS) return -1;
    *out = arg_spec[nr];
    return arg_count[nr];
}

bool sys_arg_range(const struct sys_arg *s, const uint32_t *a, int k, const long *r, guest_addr *addr, uint32_t *len)
{
    if (s->fmt != 'm' || !a[k]) return false;
    *addr = a[k];
    if (s->len == '#') *len = s->size;
    else if (s->len == 'n' || !r) *len = a[k + 1];
    else if (*r < 0 || (uint64_t)*r > a[k + 1]) return false;
    else *len = (uint32_t)*r;
    return true;
}

/* ---- memcheck: the memory a call's arguments name must be addressable ---- */

/* The kernel's parameter names, as Valgrind shows them ("write(buf)");
 * others are "NAME(arg N)". */
static const struct { const char *call; int8_t arg; const char *name; } param_names[] = {
    { "read", 1, "buf" }, { "write", 1, "buf" }, { "pread64", 1, "buf" }, { "pwrite64", 1, "buf" },
    { "open", 0, "filename" }, { "openat", 1, "filename" }, { "creat", 0, "pathname" },
    { "execve", 0, "filename" }, { "access", 0, "pathname" }, { "faccessat", 1, "pathname" },
    { "unlink", 0, "pathname" }, { "unlinkat", 1, "pathname" }, { "mkdir", 0, "pathname" },
    { "rmdir", 0, "pathname" }, { "chdir", 0, "path" }, { "chmod", 0, "path" },
    { "rename", 0, "oldpath" }, { "rename", 1, "newpath" }, { "link", 0, "oldpath" }, { "link", 1, "newpath" },
    { "symlink", 0, "oldpath" }, { "symlink", 1, "newpath" }, { "readlink", 0, "path" }, { "readlink", 1, "buf" },
    { "stat64", 0, "file_name" }, { "stat64", 1, "buf" }, { "lstat64", 0, "file_name" }, { "lstat64", 1, "buf" },
    { "fstat64", 1, "buf" }, { "fstatat64", 1, "file_name" }, { "fstatat64", 2, "buf" },
    { "statfs", 0, "path" }, { "statfs", 1, "buf" }, { "truncate", 0, "path" }, { "time", 0, "t" },
    { "pipe", 0, "filedes" }, { "pipe2", 0, "filedes" }, { "times", 0, "buf" }, { "uname", 0, "buf" },
    { "getcwd", 0, "buf" }, { "gettimeofday", 0, "tv" }, { "clock_gettime", 1, "tp" },
    { "nanosleep", 0, "req" }, { "nanosleep", 1, "rem" }, { "waitpid", 1, "status" }, { "wait4", 1, "status" },
    { "sysinfo", 0, "info" }, { "getdents64", 1, "dirp" }, { "getrandom", 0, "buf" },
    { "rt_sigaction", 1, "act" }, { "rt_sigaction", 2, "oldact" }, { "rt_sigprocmask", 1, "set" },
    { "rt_sigprocmask", 2, "oldset" }, { "utime", 0, "filename" }, { "getrlimit", 1, "rlim" },
    { "setrlimit", 1, "rlim" }, { "ugetrlimit", 1, "rlim" },
};

/* pname: the parameter's name, or NULL for the table's or "arg N". */
static void param_bad(struct cpu *c, const char *call, int k, const char *pname, guest_addr bad)
{
    char what[64];
    for (size_t i = 0; !pname && i < sizeof param_names / sizeof param_names[0]; i++)
        if (param_names[i].arg == k && !strcmp(param_names[i].call, call)) pname = param_names[i].name;
    if (pname) snprintf(what, sizeof what, "%s(%s)", call, pname);
    else snprintf(what, sizeof what, "%s(arg %d)", call, k + 1);
    struct chk_error e = { .kind = ERR_SYSCALL_PARAM, .addr = bad, .what = what };
    e.where = stack_capture(c, c->loop.cur ? c->loop.cur->eip : c->eip - 2);
    heap_describe(bad, &e.desc);
    chk_report(&e);
}

/* A string the kernel reads: its bytes up to and including the NUL,
 * copied fault-safely (an unreadable string is the call's EFAULT). */
static int64_t string_first_noaccess(guest_addr a)
{
    char buf[256];
    for (uint32_t done = 0; done < 65536; done += sizeof buf) {
        size_t got = sizeof buf - ua_read_partial(buf, a + done, sizeof buf);   /* it returns what was not read */
        const char *nul = memchr(buf, 0, got);
        uint32_t n = nul ? (uint32_t)(nul - buf) + 1 : (uint32_t)got;
        int64_t bad = n ? shadow_first_noaccess(a + done, n) : -1;
        if (bad >= 0 || nul || got < sizeof buf) return bad;
    }
    return -1;
}

static int64_t range_first_noaccess(guest_addr a, uint32_t len)
{
    uint64_t room = 0x100000000ull - a;   /* the shadow ends with the window */
    return len ? shadow_first_noaccess(a, len > room ? (uint32_t)room : len) : -1;
}

/* readv/writev and the p- forms: the iovec array, then each buffer (Valgrind's
 * "writev(vector)" and "writev(vector[...])"). The array is read once,
 * fault-safely; a bad one is the call's EFAULT. */
static void check_iovecs(struct cpu *c, const char *call, guest_addr iov, uint32_t n)
{
    if (!iov || n > 1024) return;   /* UIO_MAXIOV: the call fails with EINVAL */
    int64_t bad = range_first_noaccess(iov, n * 8);
    if (bad >= 0) { param_bad(c, call, 1, "vector", (guest_addr)bad); return; }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v[2];
        if (ua_read(v, iov + i * 8, 8)) return;
        if ((bad = range_first_noaccess(v[0], v[1])) >= 0) {
            param_bad(c, call, 1, "vector[...]", (guest_addr)bad);
            return;
        }
    }
}

/* ioctl: the table's size for the request (Valgrind's "ioctl(TCGETS)", or
 * "ioctl(generic)" from the number's _IOC size) */
static void check_ioctl(struct cpu *c, const uint32_t *a)
{
    const char *name;
    uint32_t len;
    if (!a[2] || !ioctl_arg_mem(a[1], &name, &len)) return;
    int64_t bad = range_first_noaccess(a[2], len);
    if (bad >= 0) param_bad(c, "ioctl", 2, name, (guest_addr)bad);
}

static void check_params(struct cpu *c, uint32_t nr, const char *call, const uint32_t *a)
{
    if (nr == 54) check_ioctl(c, a);   /* ioctl: sized by its request */
    if (strstr(call, "readv") || strstr(call, "writev")) check_iovecs(c, call, a[1], a[2]);
    const struct sys_arg *s;
    int n = sys_args(nr, &s);
    for (int k = 0; k < n; k++) {
        guest_addr at;
        uint32_t len;
        int64_t bad = -1;
        if (s[k].fmt == 's' && a[k]) {
            bad = string_first_noaccess(a[k]);
        } else if (sys_arg_range(&s[k], a, k, NULL, &at, &len)) {
            bad = range_first_noaccess(at, len);
        }
        if (bad >= 0) param_bad(c, call, k, NULL, (guest_addr)bad);
    }
}

static void strace_before(const struct syscall_def *d, const uint32_t *a);
static void strace_after(const struct syscall_def *d, const uint32_t *a, long r);

void sys_int80(struct cpu *c)
{
    uint32_t nr = c->r[EAX];
    uint32_t a[6] = { c->r[EBX], c->r[ECX], c->r[EDX], c->r[ESI], c->r[EDI], c->r[EBP] };
    const struct syscall_def *d = nr < NR_SYSCALLS ? &syscall_table[nr] : NULL;
    long r;

    if (unlikely(seccomp_active) && seccomp_enter(c, nr, a, &r)) {
        if (unlikely(ue_opt.strace) && r != OS_NO_RESULT && d && d->fn) strace_after(d, a, r);
    } else if (unlikely(!d || !d->fn)) {
        /* a real i386 system call ue lacks is worth one warning; a number
         * that names no system call, or one the kernel leaves unimplemented
         * for i386 programs (NISYS), gets ENOSYS silently, as from the kernel */
        if (d && d->name && d->args && !warned[nr]) {
            warned[nr] = 1;
            ue_warn("unimplemented syscall %u (%s)", nr, d->name);
        }
        r = -ENOSYS;
        if (ue_opt.strace) {
            if (d && d->name) fprintf(stderr, "%s(...) = -1 ENOSYS (Function not implemented)\n", d->name);
            else fprintf(stderr, "syscall_%u(...) = -1 ENOSYS (Function not implemented)\n", nr);
        }
    } else {
        if (unlikely(ue_opt.strace) && (d->ret == 'n' || d->ret == 'E')) strace_before(d, a);
        if (unlikely(chk_opt.on)) check_params(c, nr, d->name, a);
        r = d->fn(c, a[0], a[1], a[2], a[3], a[4], a[5]);
        /* a new fd must not inherit facts recorded for an earlier fd of that number */
        if (d->ret == 'f' && r >= 0) fd_set_nolfs((int)r, 0);
        if (unlikely(r == -EINTR || r == -OS_ERESTART || r == -OS_ERESTART_BLOCK)) r = signal_interrupted(c, nr, r);
        if (unlikely(ue_opt.strace) && r != OS_NO_RESULT) strace_after(d, a, r);
    }
    if (r != OS_NO_RESULT) c->r[EAX] = (uint32_t)r;
}

void os_init(void)
{
    parse_table();
    thread_preload_unwinder();
    fs_probe_int80();
    signal_init();
}

/* ---- --strace ---- */

const char *errno_name(int e)
{
    const char *n = strerrorname_np(e);
    return n ? n : "E?";
}

static void put_quoted(FILE *f, const char *s, size_t n, bool more)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        default:
            if (isprint(ch)) fputc(ch, f);
            else if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') fprintf(f, "\\%03o", ch);
            else fprintf(f, "\\%o", ch);
        }
    }
    fputc('"', f);
    if (more) fputs("...", f);
}

#define STRACE_STR_MAX 32

static void put_string(FILE *f, guest_addr a)
{
    if (!a) { fputs("NULL", f); return; }
    char buf[STRACE_STR_MAX + 1];
    long n = ua_strncpy(buf, a, sizeof buf);
    if (n == -EFAULT) { fprintf(f, "0x%x", a); return; }
    put_quoted(f, buf, n < 0 ? STRACE_STR_MAX : (size_t)n, n < 0);
}

/* len bytes at a, the first STRACE_STR_MAX of them quoted; unreadable: the address */
static void put_buffer(FILE *f, guest_addr a, uint32_t len)
{
    char buf[STRACE_STR_MAX];
    size_t n = len > STRACE_STR_MAX ? STRACE_STR_MAX : len;
    if (ua_read(buf, a, n)) { fprintf(f, "0x%x", a); return; }
    put_quoted(f, buf, n, len > n);
}

struct flag_name { uint32_t bit; const char *name; };

static void put_flags(FILE *f, uint32_t v, const struct flag_name *t, const char *zero)
{
    bool first = true;
    if (zero) { fputs(zero, f); first = false; }
    for (; t->name; t++) {
        if (t->bit && (v & t->bit) == t->bit) {
            fprintf(f, "%s%s", first ? "" : "|", t->name);
            first = false;
            v &= ~t->bit;
        }
    }
    if (v || first) fprintf(f, "%s%#x", first ? "" : "|", v);
}

static const struct flag_name open_flags[] = {
    { O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
    { O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
    { __O_TMPFILE, "O_TMPFILE" }, { O_SYNC, "O_SYNC" }, { O_DSYNC, "O_DSYNC" },
    { O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
    { O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
    { O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" }, { 0, NULL }
};
static const struct flag_name prot_flags[] = {
    { PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { PROT_EXEC, "PROT_EXEC" },
    { PROT_GROWSDOWN, "PROT_GROWSDOWN" }, { PROT_GROWSUP, "PROT_GROWSUP" }, { 0, NULL }
};
static const struct flag_name map_flags[] = {
    { MAP_FIXED, "MAP_FIXED" }, { MAP_ANONYMOUS, "MAP_ANONYMOUS" },
    { MAP_GROWSDOWN, "MAP_GROWSDOWN" }, { MAP_DENYWRITE, "MAP_DENYWRITE" },
    { MAP_EXECUTABLE, "MAP_EXECUTABLE" }, { MAP_LOCKED, "MAP_LOCKED" },
    { MAP_NORESERVE, "MAP_NORESERVE" }, { MAP_POPULATE, "MAP_POPULATE" },
    { MAP_NONBLOCK, "MAP_NONBLOCK" }, { MAP_STACK, "MAP_STACK" }, { MAP_HUGETLB, "MAP_HUGETLB" },
    { MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" }, { 0, NULL }
};

static void put_open_flags(FILE *f, uint32_t v)
{
    static const char *acc[4] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
    put_flags(f, v & ~3u, open_flags, acc[v & 3]);
}

static void put_map_flags(FILE *f, uint32_t v)
{
    static const char *type[4] = { "0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE" };
    put_flags(f, v & ~3u, map_flags, type[v & 3]);
}

/* An ioctl request by name, or decoded as strace shows an unknown one */
static void put_ioctl_request(FILE *f, uint32_t v)
{
    static const char *dirs[4] = { "_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE" };
    const char *name = ioctl_name(v);
    if (name) fputs(name, f);
    else fprintf(f, "_IOC(%s, %#x, %#x, %#x)", dirs[v >> 30], (v >> 8) & 0xff, v & 0xff, (v >> 16) & 0x3fff);
}

/* before: the call has not run yet (r means nothing) */
static void put_arg(FILE *f, const struct sys_arg *s, const uint32_t *a, int k, bool before, long r)
{
    uint32_t v = a[k];
    switch (s->fmt) {
    case 'd': case 'f': fprintf(f, "%d", (int32_t)v); break;
    case 'u': fprintf(f, "%u", v); break;
    case 'o': fprintf(f, "%#o", v); break;
    case 'p': if (v) fprintf(f, "0x%x", v); else fputs("NULL", f); break;
    case 's': put_string(f, v); break;
    case 'F': if ((int32_t)v == AT_FDCWD) fputs("AT_FDCWD", f); else fprintf(f, "%d", (int32_t)v); break;
    case 'm': {
        guest_addr at;
        uint32_t len;
        /* bytes quoted as strace does; structs, and outputs not yet or not written, as their address */
        if (!v) fputs("NULL", f);
        else if (s->len == '#' || (s->dir == UA_OUT && before) || !sys_arg_range(s, a, k, before ? NULL : &r, &at, &len))
            fprintf(f, "0x%x", v);
        else put_buffer(f, at, len);
        break;
    }
    case 'L': fprintf(f, "%lld", (long long)pair64(v, a[k + 1])); break;
    case 'I': put_ioctl_request(f, v); break;
    case 'O': put_open_flags(f, v); break;
    case 'P': if (v) put_flags(f, v, prot_flags, NULL); else fputs("PROT_NONE", f); break;
    case 'M': put_map_flags(f, v); break;
    case 'G': fprintf(f, "%#llx", (unsigned long long)v * GUEST_PAGE); break;
    case 'S':
        if (v > 0 && v < 65 && sigabbrev_np(v)) fprintf(f, "SIG%s", sigabbrev_np(v));
        else fprintf(f, "%d", (int32_t)v);
        break;
    default: fprintf(f, "%#x", v);
    }
}

static void put_call(FILE *f, const struct syscall_def *d, const uint32_t *a, bool before, long r)
{
    const struct sys_arg *s;
    int n = sys_args((uint32_t)(d - syscall_table), &s);
    fprintf(f, "%s(", d->name);
    for (int k = 0; k < n; k++) {
        if (s[k].fmt == '-') continue;   /* the high half of the 64-bit value before */
        if (k) fputs(", ", f);
        put_arg(f, &s[k], a, k, before, r);
    }
    fputc(')', f);
}

/* One trace line: the call, then "= result" from column 40 as strace aligns
 * it; built in memory and written at once, so threads' lines never mix. */
static void strace_line(const struct syscall_def *d, const uint32_t *a, bool before, long r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return;
    put_call(f, d, a, before, r);
    fflush(f);
    fprintf(f, " %*s= ", len + 1 < 40 ? (int)(39 - len) : 0, "");
    if (before)
        fputs("?\n", f);
    else if (r < 0 && r >= -4095)
        fprintf(f, "-1 %s (%s)\n", errno_name((int)-r), strerror((int)-r));
    else if (d->ret == 'x')
        fprintf(f, "%#lx\n", (unsigned long)(uint32_t)r);
    else if (d->ret == 'o')
        fprintf(f, "%#lo\n", (unsigned long)r);
    else
        fprintf(f, "%ld\n", r);
    fclose(f);
    if (write(STDERR_FILENO, buf, len) < 0) { /* nowhere to report it */ }
    free(buf);
}

static void strace_before(const struct syscall_def *d, const uint32_t *a) { strace_line(d, a, true, 0); }

static void strace_after(const struct syscall_def *d, const uint32_t *a, long r)
{
    if (d->ret != 'n') strace_line(d, a, false, r);
}
