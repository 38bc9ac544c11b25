/* execve: an i386 program (or a script run by one) is re-executed under ue
 * with ue's options; anything else (x86_64 programs, scripts with a native
 * interpreter, or everything with --no-follow-exec) is handed to the host
 * kernel as it is. */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../loader/loader.h"
#include "sys.h"
#include "../check/check.h"

#define ARG_MAX_COUNT 0x7fffffff          /* MAX_ARG_STRINGS */
#define ARG_STRLEN_MAX (32 * GUEST_PAGE)   /* MAX_ARG_STRLEN */
#define ARG_PTRS_KEPT (1u << 20)           /* more can never pass too_many_ptrs */

/* A NULL-terminated guest array of string pointers, read once into a host
 * array (fs/exec.c count()): -EFAULT, -E2BIG or the count. Past
 * ARG_PTRS_KEPT they are only counted (a fault further on still wins). */
static long get_ptrs(guest_addr a, uint32_t **out)
{
    size_t n = 0, cap = 16;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!v) return -ENOMEM;
    for (; a; n++) {
        uint32_t p;
        if (n >= ARG_MAX_COUNT) { free(v); return -E2BIG; }
        if (ua_get_u32(a + (uint32_t)n * 4, &p)) { free(v); return -EFAULT; }
        if (!p) break;
        if (n >= ARG_PTRS_KEPT) continue;
        if (n + 1 > cap) {
            uint32_t *nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) { free(v); return -ENOMEM; }
            v = nv;
        }
        v[n] = p;
    }
    *out = v;
    return (long)n;
}

/* fs/exec.c bprm_stack_limits: the pointers alone (8 bytes each on a 64-bit
 * kernel) must leave room in a quarter of the stack limit, between ARG_MAX
 * and three quarters of _STK_LIM. */
static bool too_many_ptrs(long argc, long envc)
{
    struct rlimit rl;
    uint64_t limit = (8u << 20) / 4 * 3;
    if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur / 4 < limit) limit = rl.rlim_cur / 4;
    if (limit < 131072) limit = 131072;
    return limit <= (uint64_t)((argc ? argc : 1) + envc) * 8;
}

static void free_strv(char **v)
{
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}

/* The strings themselves, copied into host memory (fs/exec.c copy_strings:
 * EFAULT for a bad one, E2BIG past MAX_ARG_STRLEN). */
static long get_strv(const uint32_t *ptrs, long n, char *tmp, char ***out)
{
    char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v) return -ENOMEM;
    for (long k = 0; k < n; k++) {
        long len = ua_strncpy(tmp, ptrs[k], ARG_STRLEN_MAX);
        if (len < 0) { free_strv(v); return len == -ENAMETOOLONG ? -E2BIG : len; }
        if (!(v[k] = strdup(tmp))) { free_strv(v); return -ENOMEM; }
    }
    *out = v;
    return 0;
}

enum exec_kind { EXEC_HOST, EXEC_UE };

/* Would this file run as an i386 program? Scripts count by their interpreter. */
static enum exec_kind classify(const char *path, int depth)
{
    unsigned char h[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return EXEC_HOST;   /* unreadable: let the kernel decide */
    ssize_t n = pread(fd, h, sizeof h - 1, 0);
    close(fd);
    if (n >= (ssize_t)sizeof(Elf32_Ehdr) && !memcmp(h, ELFMAG, SELFMAG) && h[EI_CLASS] == ELFCLASS32) {
        Elf32_Ehdr e;
        memcpy(&e, h, sizeof e);
        return e.e_machine == EM_386 ? EXEC_UE : EXEC_HOST;
    }
    if (n > 2 && h[0] == '#' && h[1] == '!' && depth < 5) {
        h[n] = 0;
        char *s = (char *)h + 2;
        while (*s == ' ' || *s == '\t') s++;
        char *e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n') e++;
        *e = 0;
        if (!*s) return EXEC_HOST;
        char buf[PATH_BUF];
        return classify(sysroot_path(s, buf, sizeof buf), depth + 1);
    }
    return EXEC_HOST;
}

/* The kernel's checks before it looks at the contents (fs/exec.c do_open_execat). */
static int exec_precheck(const char *path)
{
    struct stat st;
    if (stat(path, &st)) return -errno;
    if (!S_ISREG(st.st_mode)) return -EACCES;
    if (access(path, X_OK)) return -errno;
    return 0;
}

/* Host mask = guest mask while exec runs: a new process keeps the blocked
 * set (raw rt_sigprocmask: glibc's drops signals 32 and 33). */
static void host_mask_for_exec(uint64_t *saved)
{
    uint64_t faults = 1ull << (SIGSEGV - 1) | 1ull << (SIGBUS - 1) | 1ull << (SIGFPE - 1)
                      | 1ull << (SIGILL - 1) | 1ull << (SIGTRAP - 1);
    uint64_t m = signal_blocked() & ~faults;   /* guest mask bits are the kernel's */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, saved, 8);
}

/* What execveat was given: an fd the file is reached through (-1 for
 * execve and absolute or AT_FDCWD names), the name relative to it, flags. */
struct exec_at {
    int fd;
    const char *rel;
    int flags;
};

static bool is_script(const char *path)
{
    char h[2];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool r = fd >= 0 && pread(fd, h, 2, 0) == 2 && h[0] == '#' && h[1] == '!';
    if (fd >= 0) close(fd);
    return r;
}

/* The kernel's name for a file executed through an fd: /dev/fd/N or
 * /dev/fd/N/NAME (AT_EXECFN, a script interpreter's argument). */
static void fd_filename(const struct exec_at *at, char *buf, size_t size)
{
    if (at->rel[0]) snprintf(buf, size, "/dev/fd/%d/%s", at->fd, at->rel);
    else snprintf(buf, size, "/dev/fd/%d", at->fd);
}

/* The file's own name (its dentry's), as the kernel names a task executed
 * through an fd with AT_EMPTY_PATH. */
static void fd_dentry_name(int fd, char *buf, size_t size)
{
    char link[64], target[PATH_BUF];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    buf[0] = 0;
    if (n <= 0) return;
    target[n] = 0;
    char *del = n > 10 ? target + n - 10 : NULL;
    if (del && !strcmp(del, " (deleted)")) *del = 0;
    const char *b = strrchr(target, '/');
    snprintf(buf, size, "%s", b ? b + 1 : target);
}

int fd_for_next_ue(int fd)
{
    if (fd < 0) return -1;
    int h = fcntl(fd, F_DUPFD, 100);
    close(fd);
    return h;
}

/* The new ue opens the program through an fd made here (the guest's own may
 * be close-on-exec, or the path may change before the new ue looks); it
 * closes it after loading. */
static int hold_program(const char *path)
{
    return fd_for_next_ue(open(path, O_PATH));
}

/* name: the path as the guest gave it (the task is named after its base
 * name), or NULL to name it after path. */
static long do_execve(const char *path, const char *name, guest_addr argv_a, guest_addr envp_a,
                      const struct exec_at *at)
{
    char **argv = NULL, **envp = NULL, *tmp = NULL;
    uint32_t *argp = NULL, *envpp = NULL;
    long e = exec_precheck(path);
    if (e) return e;
    /* the kernel's order: count argv, count envp, copy envp, copy argv */
    long argc = get_ptrs(argv_a, &argp), envc = argc < 0 ? 0 : get_ptrs(envp_a, &envpp);
    e = argc < 0 ? argc : envc < 0 ? envc : too_many_ptrs(argc, envc) ? -E2BIG : 0;
    if (!e && !(tmp = malloc(ARG_STRLEN_MAX))) e = -ENOMEM;
    if (!e) e = get_strv(envpp, envc, tmp, &envp);
    if (!e && chk_opt.on) chk_guest_env_strip(envp);
    if (!e) e = get_strv(argp, argc, tmp, &argv);
    free(tmp);
    free(argp);
    free(envpp);
    if (e) { free_strv(argv); free_strv(envp); return e; }

    uint64_t saved = 0;
    int held = -1, filters_fd = -1;
    enum exec_kind kind = ue_opt.follow_exec ? classify(path, 0) : EXEC_HOST;
    if (kind == EXEC_HOST) clone_vfork_sync();
    if (kind == EXEC_HOST && at) {
        host_mask_for_exec(&saved);
        syscall(SYS_execveat, at->fd, at->rel, argv, envp, at->flags);
    } else if (kind == EXEC_HOST) {
        host_mask_for_exec(&saved);
        execve(path, argv, envp);
    } else if (at && (fcntl(at->fd, F_GETFD) & FD_CLOEXEC) && is_script(path)) {
        /* binfmt_script: the interpreter could not open /dev/fd/N after the exec */
        errno = ENOENT;
    } else {
        /* ue [options] --argv0 ARGV0 -- PATH ARGS...: main resolves PATH, so it
         * must contain a '/'; the guest's argv[0] travels on its own (busybox
         * re-runs /proc/self/exe with the applet name as argv[0]) */
        char **hv = malloc((ue_opt.argc_opts + argc + 11) * sizeof *hv);
        char *dotted = malloc(strlen(path) + 32);
        if (!hv || !dotted) { free(hv); free(dotted); free_strv(argv); free_strv(envp); return -ENOMEM; }
        int k = 0;
        hv[k++] = (char *)ue_opt.ue_path;
        for (int j = 0; j < ue_opt.argc_opts - 1; j++) hv[k++] = ue_opt.argv_opts[j];  /* all but "--" */
        if (argc > 0) { hv[k++] = "--argv0"; hv[k++] = argv[0]; }
        /* the host's exec of the 64-bit ue clears READ_IMPLIES_EXEC, which an
         * i386 exec keeps: the new ue sets the guest's personality again */
        char pers_opt[40];
        int pers = personality(0xffffffff);
        if (pers != -1 && (pers & READ_IMPLIES_EXEC)) {
            snprintf(pers_opt, sizeof pers_opt, "--personality=%#x", (unsigned)pers);
            hv[k++] = pers_opt;
        }
        /* the guest's own name for the file ("/proc/self/exe" is not the
         * path ue runs): the kernel names the task after its base name */
        char comm_opt[64], dentry[PATH_BUF];
        const char *base = name ? strrchr(name, '/') : NULL;
        base = base ? base + 1 : name;
        if (!name && at) {
            fd_dentry_name(at->fd, dentry, sizeof dentry);
            base = dentry;
        }
        if (base && *base) {
            snprintf(comm_opt, sizeof comm_opt, "--comm=%.15s", base);
            hv[k++] = comm_opt;
        }
        /* PR_SET_TSC's setting outlives execve (TIF_NOTSC stays set) */
        if (cur_cpu && cur_cpu->tsc_sigsegv) hv[k++] = "--tsc=sigsegv";
        /* and so do seccomp filters: they travel in a sealed memfd */
        char seccomp_opt[32];
        filters_fd = seccomp_export();
        if (filters_fd < -1) {
            free(hv); free(dotted); free_strv(argv); free_strv(envp);
            return filters_fd;
        }
        if (filters_fd >= 0) {
            snprintf(seccomp_opt, sizeof seccomp_opt, "--seccomp-fd=%d", filters_fd);
            hv[k++] = seccomp_opt;
        }
        char execfn_opt[PATH_BUF + 16], fd_opt[32];
        strcpy(execfn_opt, "--execfn=");
        if (at) fd_filename(at, execfn_opt + 9, sizeof execfn_opt - 9);
        else snprintf(execfn_opt + 9, sizeof execfn_opt - 9, "%s", name ? name : path);
        hv[k++] = execfn_opt;
        held = hold_program(path);
        if (held >= 0) {
            snprintf(fd_opt, sizeof fd_opt, "--exec-fd=%d", held);
            hv[k++] = fd_opt;
        }
        hv[k++] = "--";
        if (held >= 0) sprintf(dotted, "/proc/self/fd/%d", held);
        else if (strchr(path, '/')) strcpy(dotted, path);
        else sprintf(dotted, "./%s", path);
        hv[k++] = dotted;
        for (long j = 1; j < argc; j++) hv[k++] = argv[j];
        hv[k] = NULL;
        host_mask_for_exec(&saved);
        clone_vfork_sync();
        execve(ue_opt.ue_path, hv, envp);
        free(hv);
        free(dotted);
    }
    e = -errno;
    if (held >= 0) close(held);
    if (filters_fd >= 0) close(filters_fd);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, NULL, 8);
    free_strv(argv);
    free_strv(envp);
    return e;
}

SYS(execve)
{
    GET_PATH(p, a1);
    return do_execve(p, p_buf, a2, a3, NULL);
}

/* execveat: a dirfd-relative name or, with AT_EMPTY_PATH, the fd itself,
 * both reached through /proc/self/fd (the kernel's path walk: EBADF for a
 * bad fd, ENOTDIR for a file used as a directory) */
SYS(execveat)
{
    char buf[PATH_BUF + 64];
    int dirfd = guest_dirfd(a1);
    if (a5 & ~(uint32_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -EINVAL;
    GET_PATH(p, a2);
    if (!p[0] && !(a5 & AT_EMPTY_PATH)) return -ENOENT;
    if (!p[0] && dirfd == AT_FDCWD) return do_execve(".", NULL, a3, a4, NULL);   /* the cwd: EACCES */
    if (p[0] == '/' || dirfd == AT_FDCWD) {
        if (a5 & AT_SYMLINK_NOFOLLOW) {
            struct stat st;
            if (!lstat(p, &st) && S_ISLNK(st.st_mode)) return -ELOOP;
        }
        return do_execve(p, p_buf, a3, a4, NULL);
    }
    if (fcntl(dirfd, F_GETFD) < 0) return -EBADF;
    struct exec_at at = { dirfd, p, (int)a5 };
    if (!p[0]) {
        snprintf(buf, sizeof buf, "/proc/self/fd/%d", dirfd);
        return do_execve(buf, NULL, a3, a4, &at);
    }
    if (a5 & AT_SYMLINK_NOFOLLOW) {
        struct stat st;
        if (!fstatat(dirfd, p, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode)) return -ELOOP;
    }
    snprintf(buf, sizeof buf, "/proc/self/fd/%d/%s", dirfd, p);
    return do_execve(buf, p_buf, a3, a4, &at);
}
