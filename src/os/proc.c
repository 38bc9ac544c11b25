/* Processes: exit, fork/clone and wait, ids and groups, uname, rlimits,
 * rusage, sysinfo, prctl, priorities and scheduling, kill, getrandom. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check/check.h"
#include "../jit/jit.h"
#include "put_user.h"
#include "sys.h"

/* ---- exit ---- */

void os_exit_group(int status)
{
    clone_vfork_sync();
    if (chk_opt.on) status = chk_at_exit(status);   /* memcheck's summaries; --error-exitcode */
    thread_robust_exit_all();
    if (ue_opt.strace) fprintf(stderr, "+++ exited with %d +++\n", status & 0xff);
    jit_stats_print();
    _exit(status & 0xff);
}

/* exit(2) of one thread is in clone.c */
SYS(exit_group) { os_exit_group((int)a1); }

/* ---- fork, clone, wait ---- */

/* fork, vfork, clone and clone3 are in clone.c */

void put_rusage(struct i386_rusage *g, const struct rusage *ru)
{
    g->ru_utime = (struct i386_timeval){ (int32_t)ru->ru_utime.tv_sec, (int32_t)ru->ru_utime.tv_usec };
    g->ru_stime = (struct i386_timeval){ (int32_t)ru->ru_stime.tv_sec, (int32_t)ru->ru_stime.tv_usec };
    g->ru_maxrss = (int32_t)ru->ru_maxrss;
    g->ru_ixrss = (int32_t)ru->ru_ixrss;
    g->ru_idrss = (int32_t)ru->ru_idrss;
    g->ru_isrss = (int32_t)ru->ru_isrss;
    g->ru_minflt = (int32_t)ru->ru_minflt;
    g->ru_majflt = (int32_t)ru->ru_majflt;
    g->ru_nswap = (int32_t)ru->ru_nswap;
    g->ru_inblock = (int32_t)ru->ru_inblock;
    g->ru_oublock = (int32_t)ru->ru_oublock;
    g->ru_msgsnd = (int32_t)ru->ru_msgsnd;
    g->ru_msgrcv = (int32_t)ru->ru_msgrcv;
    g->ru_nsignals = (int32_t)ru->ru_nsignals;
    g->ru_nvcsw = (int32_t)ru->ru_nvcsw;
    g->ru_nivcsw = (int32_t)ru->ru_nivcsw;
}

static int copy_rusage(guest_addr a, const struct rusage *ru)
{
    struct i386_rusage g;
    put_rusage(&g, ru);
    return ua_write(a, &g, sizeof g);
}

static long do_wait4(uint32_t pid, guest_addr status, uint32_t options, guest_addr rusage)
{
    int st = 0;
    struct rusage ru;
    /* kernel/exit.c: the child is reaped first, then a bad pointer is EFAULT */
    long r = safe_syscall(SYS_wait4, (pid_t)pid, (long)&st, (int)options, rusage ? (long)&ru : 0, 0, 0);
    if (r > 0) {
        if (status && put_user_u32(status, (uint32_t)st)) return -EFAULT;
        if (rusage && copy_rusage(rusage, &ru)) return -EFAULT;
    }
    return r;
}

SYS(wait4) { return do_wait4(a1, a2, a3, a4); }
SYS(waitpid) { return do_wait4(a1, a2, a3, 0); }

/* waitid (kernel/exit.c compat_sys_waitid): after the wait, the rusage of a
 * found child, then six words of the compat siginfo (signo, errno, code,
 * pid, uid, status), zeros when nothing was found, even with an error
 * (ECHILD with a bad infop is EFAULT) */
SYS(waitid)
{
    siginfo_t si;
    struct rusage ru;
    memset(&si, 0, sizeof si);
    long r = safe_syscall(SYS_waitid, (int)a1, (pid_t)a2, (long)&si, (int)a4, a5 ? (long)&ru : 0, 0);
    if (r == -OS_ERESTART) return r;   /* not run yet: re-run after the handler */
    if (r < 0) memset(&si, 0, sizeof si);
    if (r == 0 && si.si_signo && a5 && copy_rusage(a5, &ru)) return -EFAULT;
    if (a3) {
        uint32_t g[6] = { (uint32_t)si.si_signo, 0, (uint32_t)si.si_code,
                          (uint32_t)si.si_pid, (uint32_t)si.si_uid, (uint32_t)si.si_status };
        for (int k = 0; k < 6; k++)   /* unsafe_put_user field by field: a fault ends it */
            if (put_user_u32(a3 + 4 * k, g[k])) return -EFAULT;
    }
    return r;
}

SYS(getrusage)
{
    struct rusage ru;
    if (getrusage((int)a1, &ru)) return -errno;
    return copy_rusage(a2, &ru);
}

/* ---- ids ---- */

SYS(getpid) { return getpid(); }
SYS(getppid) { return getppid(); }
SYS(gettid) { return gettid(); }
SYS(getpgrp) { return getpgrp(); }
SYS(getpgid) { return host_ret(getpgid((pid_t)a1)); }
SYS(setpgid) { return host_ret(setpgid((pid_t)a1, (pid_t)a2)); }
SYS(getsid) { return host_ret(getsid((pid_t)a1)); }
SYS(setsid) { return host_ret(setsid()); }

SYS(getuid32) { return getuid(); }
SYS(geteuid32) { return geteuid(); }
SYS(getgid32) { return getgid(); }
SYS(getegid32) { return getegid(); }
SYS(getuid) { return uid16_out(getuid()); }
SYS(geteuid) { return uid16_out(geteuid()); }
SYS(getgid) { return uid16_out(getgid()); }
SYS(getegid) { return uid16_out(getegid()); }

/* raw calls: the kernel changes the calling thread only; a guest libc does its own broadcast */
SYS(setuid32) { return host_ret(syscall(SYS_setuid, a1)); }
SYS(setgid32) { return host_ret(syscall(SYS_setgid, a1)); }
SYS(setreuid32) { return host_ret(syscall(SYS_setreuid, a1, a2)); }
SYS(setregid32) { return host_ret(syscall(SYS_setregid, a1, a2)); }
SYS(setresuid32) { return host_ret(syscall(SYS_setresuid, a1, a2, a3)); }
SYS(setresgid32) { return host_ret(syscall(SYS_setresgid, a1, a2, a3)); }
SYS(setfsuid32) { return syscall(SYS_setfsuid, a1); }
SYS(setfsgid32) { return syscall(SYS_setfsgid, a1); }
SYS(setuid) { return host_ret(syscall(SYS_setuid, uid16_in(a1))); }
SYS(setgid) { return host_ret(syscall(SYS_setgid, uid16_in(a1))); }
SYS(setreuid) { return host_ret(syscall(SYS_setreuid, uid16_in(a1), uid16_in(a2))); }
SYS(setregid) { return host_ret(syscall(SYS_setregid, uid16_in(a1), uid16_in(a2))); }
SYS(setresuid) { return host_ret(syscall(SYS_setresuid, uid16_in(a1), uid16_in(a2), uid16_in(a3))); }
SYS(setresgid) { return host_ret(syscall(SYS_setresgid, uid16_in(a1), uid16_in(a2), uid16_in(a3))); }
SYS(setfsuid) { return uid16_out((uint32_t)syscall(SYS_setfsuid, uid16_in(a1))); }
SYS(setfsgid) { return uid16_out((uint32_t)syscall(SYS_setfsgid, uid16_in(a1))); }

static long do_getres(bool gid, guest_addr r, guest_addr e, guest_addr s, bool wide)
{
    uid_t v[3];
    if (gid ? getresgid(&v[0], &v[1], &v[2]) : getresuid(&v[0], &v[1], &v[2])) return -errno;
    guest_addr out[3] = { r, e, s };
    for (int k = 0; k < 3; k++) {
        if (wide) {
            if (put_user_u32(out[k], v[k])) return -EFAULT;
        } else {
            uint16_t v16 = (uint16_t)uid16_out(v[k]);
            if (put_user(out[k], &v16, 2)) return -EFAULT;
        }
    }
    return 0;
}

SYS(getresuid) { return do_getres(false, a1, a2, a3, false); }
SYS(getresgid) { return do_getres(true, a1, a2, a3, false); }
SYS(getresuid32) { return do_getres(false, a1, a2, a3, true); }
SYS(getresgid32) { return do_getres(true, a1, a2, a3, true); }

#define NGROUPS_MAX_ 65536

static long do_getgroups(int32_t size, guest_addr list, bool wide)
{
    if (size < 0) return -EINVAL;
    gid_t *g = malloc(sizeof(gid_t) * NGROUPS_MAX_);
    if (!g) return -ENOMEM;
    long n = host_ret(getgroups(NGROUPS_MAX_, g));
    if (n > 0 && size) {
        if (size < n) n = -EINVAL;
        else if (wide) { if (ua_write(list, g, n * 4)) n = -EFAULT; }
        else {
            uint16_t *g16 = (uint16_t *)g;   /* narrowing in place: g16[k] never overtakes g[k] */
            for (long k = 0; k < n; k++) g16[k] = (uint16_t)uid16_out(g[k]);
            if (ua_write(list, g16, n * 2)) n = -EFAULT;
        }
    }
    free(g);
    return n;
}

/* The kernel checks the privilege (EPERM), then the size (EINVAL), then
 * reads the list: when ue cannot go on, the host call with an unreadable
 * list answers in that order. */
static long setgroups_error(int32_t size) { return host_ret(syscall(SYS_setgroups, size, (void *)8)); }

static long do_setgroups(int32_t size, guest_addr list, bool wide)
{
    if (size < 0 || size > NGROUPS_MAX_) return setgroups_error(size);
    gid_t *g = malloc(sizeof(gid_t) * (size ? size : 1));
    if (!g) return -ENOMEM;
    long r = 0;
    for (int32_t k = 0; k < size && !r; k++) {
        if (wide) {
            uint32_t v;
            if (ua_get_u32(list + (uint32_t)k * 4, &v)) r = -EFAULT;
            g[k] = v;
        } else {
            uint16_t v;
            if (ua_read(&v, list + (uint32_t)k * 2, 2)) r = -EFAULT;
            g[k] = uid16_in(v);
        }
    }
    r = r ? setgroups_error(size) : host_ret(syscall(SYS_setgroups, size, g));
    free(g);
    return r;
}

SYS(getgroups) { return do_getgroups((int32_t)a1, a2, false); }
SYS(getgroups32) { return do_getgroups((int32_t)a1, a2, true); }
SYS(setgroups) { return do_setgroups((int32_t)a1, a2, false); }
SYS(setgroups32) { return do_setgroups((int32_t)a1, a2, true); }

/* The header (version, pid) and the data structs (three u32) are the same
 * on both ABIs: the host kernel reads and writes them itself, in its own
 * order. Data is v1's one struct or v2/v3's two: the larger is prepared. */
SYS(capget)
{
    void *hdr = ua_lock(a1, 8, UA_INOUT), *data = ua_lock(a2, 24, UA_OUT);
    long r = host_ret(syscall(SYS_capget, hdr, a2 ? data : NULL));
    ua_unlock(data, a2, 24, UA_OUT);
    ua_unlock(hdr, a1, 8, UA_INOUT);
    return r;
}

SYS(capset)
{
    void *hdr = ua_lock(a1, 8, UA_INOUT), *data = ua_lock(a2, 24, UA_IN);
    long r = host_ret(syscall(SYS_capset, hdr, a2 ? data : NULL));
    ua_unlock(data, a2, 24, UA_IN);
    ua_unlock(hdr, a1, 8, UA_INOUT);
    return r;
}

/* ---- the system ---- */

/* The machine field is the host's, as an i386 program on this host sees it
 * natively: "x86_64", or "i686" under a PER_LINUX32 personality (linux32). */
SYS(uname)
{
    struct utsname u;   /* struct new_utsname: six 65-byte strings on both ABIs */
    if (uname(&u)) return -errno;
    _Static_assert(sizeof u == 6 * 65, "utsname is six 65-byte fields");
    return ua_write(a1, &u, sizeof u);
}

/* olduname (109, the kernel's sys_uname): struct old_utsname, the first five
 * of those fields (no domainname) */
SYS(olduname)
{
    struct utsname u;
    if (uname(&u)) return -errno;
    return ua_write(a1, &u, 5 * 65);
}

/* oldolduname (59, sys_olduname): struct oldold_utsname, five fields of 9
 * bytes, each the first 8 of the new one and a NUL */
SYS(oldolduname)
{
    struct utsname u;
    char old[5][9];
    if (uname(&u)) return -errno;
    const char *f[5] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    memset(old, 0, sizeof old);
    for (int i = 0; i < 5; i++) memcpy(old[i], f[i], 8);
    return ua_write(a1, old, sizeof old);
}

/* the host kernel checks privilege, then the length, then reads the name */
static long set_uts_name(long nr, guest_addr a, uint32_t len)
{
    void *p = ua_lock(a, len, UA_IN);
    long r = host_ret(syscall(nr, p, (unsigned long)len));
    ua_unlock(p, a, len, UA_IN);
    return r;
}

SYS(sethostname) { return set_uts_name(SYS_sethostname, a1, a2); }
SYS(setdomainname) { return set_uts_name(SYS_setdomainname, a1, a2); }

/* kernel/sys.c compat sysinfo: scale memory sizes into 32 bits via mem_unit */
SYS(sysinfo)
{
    struct sysinfo s;
    struct i386_sysinfo g;
    if (sysinfo(&s)) return -errno;
    unsigned bits = 0;
    if ((s.totalram >> 32) || (s.totalswap >> 32)) {
        while (s.mem_unit < 4096) { s.mem_unit <<= 1; bits++; }
    }
    memset(&g, 0, sizeof g);
    g.uptime = (int32_t)s.uptime;
    for (int k = 0; k < 3; k++) g.loads[k] = (uint32_t)s.loads[k];
    g.totalram = (uint32_t)(s.totalram >> bits);
    g.freeram = (uint32_t)(s.freeram >> bits);
    g.sharedram = (uint32_t)(s.sharedram >> bits);
    g.bufferram = (uint32_t)(s.bufferram >> bits);
    g.totalswap = (uint32_t)(s.totalswap >> bits);
    g.freeswap = (uint32_t)(s.freeswap >> bits);
    g.procs = s.procs;
    g.totalhigh = (uint32_t)(s.totalhigh >> bits);
    g.freehigh = (uint32_t)(s.freehigh >> bits);
    g.mem_unit = s.mem_unit;
    return ua_write(a1, &g, sizeof g);
}

SYS(personality) { return host_ret(syscall(SYS_personality, a1)); }

/* ---- resource limits ---- */

/* RLIMIT_AS is kept for the guest only: applied to ue it would count the
 * 4 GiB window and starve ue's own allocations. */
static struct rlimit guest_as_limit;
static bool guest_as_set;

static int get_limit(int res, struct rlimit *rl)
{
    if (res == RLIMIT_AS && guest_as_set) { *rl = guest_as_limit; return 0; }
    return getrlimit(res, rl) ? -errno : 0;
}

static int set_limit(int res, const struct rlimit *rl)
{
    if (res == RLIMIT_AS) {
        struct rlimit cur;
        int e = get_limit(res, &cur);
        if (e) return e;
        if (rl->rlim_cur > rl->rlim_max) return -EINVAL;
        if (rl->rlim_max > cur.rlim_max && geteuid() != 0) return -EPERM;
        guest_as_limit = *rl;
        guest_as_set = true;
        return 0;
    }
    return setrlimit(res, rl) ? -errno : 0;
}

static uint32_t rlim32(rlim_t v, uint32_t cap) { return v > cap ? cap : (uint32_t)v; }

SYS(ugetrlimit)
{
    struct rlimit rl;
    int e = get_limit((int)a1, &rl);
    if (e) return e;
    struct i386_rlimit g = { rlim32(rl.rlim_cur, I386_RLIM_INFINITY), rlim32(rl.rlim_max, I386_RLIM_INFINITY) };
    return ua_write(a2, &g, sizeof g);
}

/* the old getrlimit(76) predates unsigned limits: infinity shows as 0x7fffffff */
SYS(getrlimit)
{
    struct rlimit rl;
    int e = get_limit((int)a1, &rl);
    if (e) return e;
    /* compat old_getrlimit puts the two words one by one */
    if (put_user_u32(a2, rlim32(rl.rlim_cur, 0x7fffffff)) || put_user_u32(a2 + 4, rlim32(rl.rlim_max, 0x7fffffff)))
        return -EFAULT;
    return 0;
}

SYS(setrlimit)
{
    struct i386_rlimit g;
    if (ua_read(&g, a2, sizeof g)) return -EFAULT;
    struct rlimit rl = { g.rlim_cur == I386_RLIM_INFINITY ? RLIM_INFINITY : g.rlim_cur,
                         g.rlim_max == I386_RLIM_INFINITY ? RLIM_INFINITY : g.rlim_max };
    return set_limit((int)a1, &rl);
}

static int put_rlimit64(guest_addr a, const struct rlimit *rl)
{
    uint64_t g[2] = { rl->rlim_cur, rl->rlim_max };
    return ua_write(a, g, sizeof g);
}

SYS(prlimit64)
{
    struct rlimit in, old;
    pid_t pid = (pid_t)a1;
    struct { uint64_t cur, max; } g;   /* struct rlimit64: two u64 on both ABIs */
    if (a3) {
        if (ua_read(&g, a3, sizeof g)) return -EFAULT;
        in = (struct rlimit){ g.cur, g.max };
    }
    if (pid && pid != getpid()) {
        long r = host_ret(syscall(SYS_prlimit64, pid, (int)a2, a3 ? &in : NULL, a4 ? &old : NULL));
        if (r) return r;
        return a4 && put_rlimit64(a4, &old) ? -EFAULT : 0;
    }
    int e = get_limit((int)a2, &old);
    if (e) return e;
    if (a3 && (e = set_limit((int)a2, &in))) return e;
    return a4 && put_rlimit64(a4, &old) ? -EFAULT : 0;
}

/* ---- prctl ---- */

SYS(prctl)
{
    int opt = (int)a1;
    switch (opt) {
    case PR_SET_NAME: {
        /* strncpy_from_user of at most 15 bytes: no NUL needed, a fault before a NUL is EFAULT */
        char name[16] = { 0 };
        size_t left = ua_read_partial(name, a2, 15);
        if (left && strnlen(name, 15 - left) == 15 - left) return -EFAULT;
        return host_ret(prctl(PR_SET_NAME, name));
    }
    case PR_GET_NAME: {
        char name[16];
        if (prctl(PR_GET_NAME, name)) return -errno;
        return ua_write(a2, name, 16);
    }
    case PR_GET_PDEATHSIG: {
        int sig;
        if (prctl(PR_GET_PDEATHSIG, &sig)) return -errno;
        return put_user_u32(a2, (uint32_t)sig);
    }
    case PR_GET_CHILD_SUBREAPER: {
        int v;
        if (prctl(PR_GET_CHILD_SUBREAPER, &v)) return -errno;
        return put_user_u32(a2, (uint32_t)v);
    }
    case PR_GET_TID_ADDRESS:
        return put_user_u32(a2, thread_get_clear_tid());
    /* the guest's RDTSC is ue's to refuse: the host's own setting would
     * fault ue's clock reads (the vDSO) */
    case PR_GET_TSC:
        return put_user_u32(a2, c->tsc_sigsegv ? PR_TSC_SIGSEGV : PR_TSC_ENABLE);
    case PR_SET_TSC:
        if (a2 != PR_TSC_ENABLE && a2 != PR_TSC_SIGSEGV) return -EINVAL;
        c->tsc_sigsegv = a2 == PR_TSC_SIGSEGV;
        return 0;
    /* seccomp is ue's to run on the guest's calls (seccomp.c): the host's
     * would filter ue's own */
    case PR_GET_SECCOMP:
        return seccomp_mode_now();
    case PR_SET_SECCOMP:
        return seccomp_prctl(a2, a3);
    /* options whose arguments are plain values */
    case PR_SET_PDEATHSIG: case PR_GET_DUMPABLE: case PR_SET_DUMPABLE: case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS: case PR_GET_TIMERSLACK: case PR_SET_TIMERSLACK: case PR_SET_CHILD_SUBREAPER:
    case PR_GET_NO_NEW_PRIVS: case PR_SET_NO_NEW_PRIVS: case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
    case PR_SET_PTRACER: case PR_GET_THP_DISABLE: case PR_SET_THP_DISABLE:
    case PR_CAP_AMBIENT: case PR_GET_SECUREBITS: case PR_SET_SECUREBITS: case PR_MCE_KILL:
    case PR_MCE_KILL_GET: case PR_GET_SPECULATION_CTRL: case PR_SET_SPECULATION_CTRL:
    case PR_GET_TIMING: case PR_SET_TIMING:
        return host_ret(prctl(opt, (unsigned long)a2, (unsigned long)a3, (unsigned long)a4, (unsigned long)a5));
    default:
        /* seccomp, PR_SET_MM and the like would act on ue itself */
        return -EINVAL;
    }
}

/* ---- priorities and scheduling ---- */

/* the raw call returns 20 - nice; the guest's libc converts */
SYS(getpriority) { return host_ret(syscall(SYS_getpriority, (int)a1, (id_t)a2)); }
SYS(setpriority) { return host_ret(syscall(SYS_setpriority, (int)a1, (id_t)a2, (int)a3)); }

SYS(nice)
{
    long raw = syscall(SYS_getpriority, PRIO_PROCESS, 0);
    if (raw < 0) return -errno;
    long n = 20 - raw + (int32_t)a1;
    if (n < -20) n = -20;
    if (n > 19) n = 19;
    return host_ret(syscall(SYS_setpriority, PRIO_PROCESS, 0, (int)n));
}

SYS(ioprio_set) { return host_ret(syscall(SYS_ioprio_set, (int)a1, (int)a2, (int)a3)); }
SYS(ioprio_get) { return host_ret(syscall(SYS_ioprio_get, (int)a1, (int)a2)); }

SYS(sched_yield) { return host_ret(sched_yield()); }
SYS(sched_getscheduler) { return host_ret(syscall(SYS_sched_getscheduler, (pid_t)a1)); }
SYS(sched_get_priority_max) { return host_ret(sched_get_priority_max((int)a1)); }
SYS(sched_get_priority_min) { return host_ret(sched_get_priority_min((int)a1)); }

/* struct sched_param: one int, read and written by the host kernel */
SYS(sched_getparam)
{
    if (!a2 || (int32_t)a1 < 0) return -EINVAL;   /* before the pointer: a guest NULL is no host NULL */
    void *p = ua_lock(a2, 4, UA_OUT);
    long r = host_ret(syscall(SYS_sched_getparam, (pid_t)a1, p));
    ua_unlock(p, a2, r ? 0 : 4, UA_OUT);
    return r;
}

SYS(sched_setparam)
{
    if (!a2 || (int32_t)a1 < 0) return -EINVAL;   /* do_sched_setscheduler */
    void *p = ua_lock(a2, 4, UA_IN);
    long r = host_ret(syscall(SYS_sched_setparam, (pid_t)a1, p));
    ua_unlock(p, a2, 4, UA_IN);
    return r;
}

SYS(sched_setscheduler)
{
    if ((int32_t)a2 < 0 || !a3 || (int32_t)a1 < 0) return -EINVAL;
    void *p = ua_lock(a3, 4, UA_IN);
    long r = host_ret(syscall(SYS_sched_setscheduler, (pid_t)a1, (int)a2, p));
    ua_unlock(p, a3, 4, UA_IN);
    return r;
}

/* nr_cpu_ids: the possible CPUs ("0-N" in sysfs) */
static uint32_t nr_cpu_ids(void)
{
    static uint32_t n;
    if (!n) {
        unsigned lo = 0, hi = 0;
        FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
        if (!f || fscanf(f, "%u-%u", &lo, &hi) < 1) hi = lo = 0;
        if (f) fclose(f);
        n = (hi > lo ? hi : lo) + 1;
    }
    return n;
}

/* compat sched_getaffinity: len * 8 in 32 bits against nr_cpu_ids, then a
 * multiple of 4; the mask goes out a 32-bit word at a time (compat_put_bitmap) */
SYS(sched_getaffinity)
{
    uint32_t len = a2;
    if ((uint32_t)(len * 8) < nr_cpu_ids() || (len & 3)) return -EINVAL;
    uint64_t mask[1024];
    memset(mask, 0, sizeof mask);
    uint32_t hlen = len > sizeof mask ? (uint32_t)sizeof mask : (len + 7) & ~7u;
    long r = host_ret(syscall(SYS_sched_getaffinity, (pid_t)a1, hlen, mask));
    if (r < 0) return r;
    if ((uint32_t)r > len) r = len;
    const uint32_t *w = (const uint32_t *)mask;
    for (uint32_t k = 0; k < (uint32_t)r / 4; k++)
        if (put_user_u32(a3 + 4 * k, w[k])) return -EFAULT;
    return r;
}

/* the host kernel reads as many bytes as its cpumask holds, at most len */
SYS(sched_setaffinity)
{
    void *p = ua_lock(a3, a2, UA_IN);
    long r = host_ret(syscall(SYS_sched_setaffinity, (pid_t)a1, (size_t)a2, p));
    ua_unlock(p, a3, a2, UA_IN);
    return r;
}

SYS(getcpu)
{
    unsigned cpu, node;
    if (syscall(SYS_getcpu, &cpu, &node, NULL)) return -errno;
    if (a1 && put_user_u32(a1, cpu)) return -EFAULT;
    if (a2 && put_user_u32(a2, node)) return -EFAULT;
    return 0;
}

/* ---- signals to other processes (host pids: the guest sees real ids) ---- */

SYS(kill) { return host_ret(kill((pid_t)a1, (int)a2)); }
SYS(tkill) { return host_ret(syscall(SYS_tkill, (pid_t)a1, (int)a2)); }
SYS(tgkill) { return host_ret(syscall(SYS_tgkill, (pid_t)a1, (pid_t)a2, (int)a3)); }
SYS(pidfd_open) { return host_ret(syscall(SYS_pidfd_open, (pid_t)a1, a2)); }

SYS(getrandom)
{
    void *p = ua_lock(a1, a2, UA_OUT);
    long r = host_ret(syscall(SYS_getrandom, p, (size_t)a2, (unsigned)a3));
    ua_unlock(p, a1, r > 0 ? (uint32_t)r : 0, UA_OUT);
    return r;
}

/* ---- namespaces and process handles: the same on both ABIs ---- */
SYS(unshare) { return host_ret(syscall(SYS_unshare, (int)a1)); }
SYS(setns) { return host_ret(syscall(SYS_setns, (int)a1, (int)a2)); }
/* ptrace: ue traces nothing yet (doc/ptrace.md). The answers are those of
 * a kernel with Yama's ptrace_scope 3 (kernel/ptrace.c order: TRACEME,
 * the pid lookup, SEIZE's argument checks, then the refusal); every other
 * request finds the target not traced by us. */
#define PTRACE_O_MASK_ 0x003000ffu
SYS(ptrace)
{
    int32_t req = (int32_t)a1;
    pid_t pid = (pid_t)a2;
    if (req == 0) return -EPERM;                                     /* PTRACE_TRACEME */
    if (pid <= 0 || (kill(pid, 0) && errno == ESRCH)) return -ESRCH;
    if (req == 0x4206 && (a3 || (a4 & ~PTRACE_O_MASK_))) return -EIO;   /* PTRACE_SEIZE */
    if (req == 16 || req == 0x4206) return -EPERM;                   /* PTRACE_ATTACH */
    return -ESRCH;
}

SYS(kcmp) { return host_ret(syscall(SYS_kcmp, (pid_t)a1, (pid_t)a2, (int)a3, (unsigned long)a4, (unsigned long)a5)); }
SYS(pidfd_getfd) { return host_ret(syscall(SYS_pidfd_getfd, (int)a1, (int)a2, (unsigned)a3)); }
SYS(process_mrelease) { return host_ret(syscall(SYS_process_mrelease, (int)a1, (unsigned)a2)); }
