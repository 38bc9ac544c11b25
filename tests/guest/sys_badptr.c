/* ue-test: variants=s2 d0 */
/* Bad pointers to the calls of the process, signal, thread, time and memory
 * families: NULL, unmapped, read-only (for outputs), straddling into an
 * unmapped page, and a file mapping past the end of its file (SIGBUS when
 * touched). Each result is printed with its errno name; the kernel's order
 * of checks decides which error wins (wait4 without children is ECHILD
 * whatever the status pointer; a child is reaped before its status is
 * found unwritable). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#define RAW_CLAMP 1   /* RAW prints a positive result as 1, RAWN as it is */
#include "errno_show.h"
#include "bad_arena.h"

static void kid(int st)
{
    pid_t p = fork();
    if (p == 0) _exit(st);
}

int main(void)
{
    const long pg = 4096;
    /* page 0 read-only, page 1 writable, page 2 unmapped */
    char *m = bad_arena();
    char *ro = m, *unm = m + 2 * pg, *str4 = m + 2 * pg - 4, *str24 = m + 2 * pg - 24;   /* str4: no NUL before the unmapped page */
    /* a shared file mapping of two pages over a 100-byte file: page 2 is past EOF */
    int fd;
    char *f = past_eof_map("eof.tmp", 100, &fd);
    if (!f) return 1;
    close(fd);
    unlink("eof.tmp");
    char *eof = f + pg, *eof4 = f + pg - 4;
    memcpy(eof4, "wxyz", 4);
    struct sigaction ign = { .sa_handler = SIG_IGN };
    sigaction(SIGUSR1, &ign, NULL);

    printf("-- wait\n");
    RAW("wait4(-1, unmapped) no child", SYS_wait4, -1, unm, 0, NULL);
    RAW("wait4(-1, NULL, 0, unmapped) no child", SYS_wait4, -1, NULL, 0, unm);
    RAW("waitpid(-1, ro) no child", SYS_waitpid, -1, ro, 0);
    RAW("waitpid(-1, eof) no child", SYS_waitpid, -1, eof, 0);
    RAW("waitid(P_ALL, unmapped) no child", SYS_waitid, P_ALL, 0, unm, WEXITED, NULL);
    RAW("wait4(-1, bad, WNOHANG|bad opts)", SYS_wait4, -1, unm, 0x40000000, NULL);
    kid(3);
    RAW("wait4(-1, unmapped) child: reaped", SYS_wait4, -1, unm, 0, NULL);
    RAW("wait4(-1, NULL) after", SYS_wait4, -1, NULL, 0, NULL);
    kid(4);
    RAW("wait4(-1, NULL, 0, ro rusage) child", SYS_wait4, -1, NULL, 0, ro);
    RAW("wait4(-1, NULL) after", SYS_wait4, -1, NULL, 0, NULL);
    kid(5);
    RAW("waitid(P_ALL, eof) child: reaped", SYS_waitid, P_ALL, 0, eof, WEXITED, NULL);
    RAW("waitid(P_ALL, NULL) after", SYS_waitid, P_ALL, 0, NULL, WEXITED, NULL);
    kid(6);
    RAW("waitid(P_ALL, NULL, ro rusage) child", SYS_waitid, P_ALL, 0, NULL, WEXITED, ro);
    RAW("waitid(P_ALL, NULL) after", SYS_waitid, P_ALL, 0, NULL, WEXITED, NULL);

    printf("-- process\n");
    RAW("uname(NULL)", SYS_uname, NULL);
    RAW("uname(ro)", SYS_uname, ro);
    RAW("uname(eof)", SYS_uname, eof);
    RAW("uname(straddle)", SYS_uname, str24);
    RAW("sysinfo(eof)", SYS_sysinfo, eof);
    RAW("sysinfo(ro)", SYS_sysinfo, ro);
    RAW("getrlimit(NOFILE, eof)", SYS_getrlimit, RLIMIT_NOFILE, eof);
    RAW("ugetrlimit(NOFILE, eof)", SYS_ugetrlimit, RLIMIT_NOFILE, eof);
    RAW("ugetrlimit(99, ro)", SYS_ugetrlimit, 99, ro);
    RAW("ugetrlimit(NOFILE, straddle)", SYS_ugetrlimit, RLIMIT_NOFILE, str4);
    RAW("setrlimit(NOFILE, unmapped)", SYS_setrlimit, RLIMIT_NOFILE, unm);
    RAW("setrlimit(NOFILE, eof)", SYS_setrlimit, RLIMIT_NOFILE, eof);
    RAW("prlimit64(0, NOFILE, NULL, ro)", SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, ro);
    RAW("prlimit64(0, NOFILE, eof, NULL)", SYS_prlimit64, 0, RLIMIT_NOFILE, eof, NULL);
    RAW("getrusage(SELF, ro)", SYS_getrusage, RUSAGE_SELF, ro);
    RAW("getrusage(99, ro)", SYS_getrusage, 99, ro);
    RAW("getrusage(SELF, eof)", SYS_getrusage, RUSAGE_SELF, eof);
    RAW("getresuid32(ro, ro, ro)", SYS_getresuid32, ro, ro, ro);
    RAW("getresgid(straddle, ...)", SYS_getresgid, str4 + 2, str4, str4);
    RAW("getgroups32(65536, unmapped)", SYS_getgroups32, 65536, unm);
    RAW("getgroups32(-1, NULL)", SYS_getgroups32, -1, NULL);
    RAW("setgroups32(1, unmapped)", SYS_setgroups32, 1, unm);
    RAW("setgroups32(-1, unmapped)", SYS_setgroups32, -1, unm);
    RAW("capget(unmapped, NULL)", SYS_capget, unm, NULL);
    RAW("capget(eof, NULL)", SYS_capget, eof, NULL);
    RAW("sethostname(unmapped, 4)", SYS_sethostname, unm, 4);
    RAW("prctl(SET_NAME, unmapped)", SYS_prctl, PR_SET_NAME, unm);
    RAW("prctl(SET_NAME, straddle 'abcd')", SYS_prctl, PR_SET_NAME, str4);
    RAW("prctl(SET_NAME, eof 'wxyz')", SYS_prctl, PR_SET_NAME, eof4);
    RAW("prctl(GET_NAME, ro)", SYS_prctl, PR_GET_NAME, ro);
    RAW("prctl(GET_PDEATHSIG, eof)", SYS_prctl, PR_GET_PDEATHSIG, eof);
    RAW("sched_getparam(0, ro)", SYS_sched_getparam, 0, ro);
    RAW("sched_setparam(0, unmapped)", SYS_sched_setparam, 0, unm);
    RAW("sched_setscheduler(0, -1, unmapped)", SYS_sched_setscheduler, 0, -1, unm);
    RAW("sched_getaffinity(0, 128, ro)", SYS_sched_getaffinity, 0, 128, ro);
    RAW("sched_getaffinity(0, 6, ro)", SYS_sched_getaffinity, 0, 6, ro);
    memset(m + pg, 0xff, pg);   /* every CPU; the kernel reads only as much as its cpumask holds */
    RAW("sched_setaffinity(0, 8192, 4096 readable)", SYS_sched_setaffinity, 0, 8192, m + pg);
    RAW("sched_setaffinity(0, 8, unmapped)", SYS_sched_setaffinity, 0, 8, unm);
    memset(m + pg, 0, pg);
    memcpy(str4, "abcd", 4);
    RAW("getcpu(ro, NULL)", SYS_getcpu, ro, NULL, NULL);
    RAWN("getrandom(straddle, 16)", SYS_getrandom, str4, 16, 0);
    RAWN("getrandom(ro, 16)", SYS_getrandom, ro, 16, 0);
    RAWN("getrandom(eof, 16)", SYS_getrandom, eof, 16, 0);

    printf("-- signals\n");
    RAW("rt_sigaction(USR1, unmapped, NULL)", SYS_rt_sigaction, SIGUSR1, unm, NULL, 8);
    RAW("rt_sigaction(USR1, eof, NULL)", SYS_rt_sigaction, SIGUSR1, eof, NULL, 8);
    RAW("rt_sigaction(USR1, NULL, eof)", SYS_rt_sigaction, SIGUSR1, NULL, eof, 8);
    RAW("rt_sigaction(USR1, NULL, ro)", SYS_rt_sigaction, SIGUSR1, NULL, ro, 8);
    RAW("rt_sigaction(USR1, straddle, NULL)", SYS_rt_sigaction, SIGUSR1, str4, NULL, 8);
    RAW("rt_sigaction(USR1, unmapped, NULL, 4)", SYS_rt_sigaction, SIGUSR1, unm, NULL, 4);
    RAW("rt_sigaction(99, unmapped, NULL)", SYS_rt_sigaction, 99, unm, NULL, 8);
    RAW("sigaction(USR1, unmapped, NULL)", SYS_sigaction, SIGUSR1, unm, NULL);
    RAW("sigaction(USR1, NULL, ro)", SYS_sigaction, SIGUSR1, NULL, ro);
    RAW("rt_sigprocmask(BLOCK, eof, NULL)", SYS_rt_sigprocmask, SIG_BLOCK, eof, NULL, 8);
    RAW("rt_sigprocmask(BLOCK, NULL, eof)", SYS_rt_sigprocmask, SIG_BLOCK, NULL, eof, 8);
    RAW("rt_sigprocmask(BLOCK, straddle, NULL)", SYS_rt_sigprocmask, SIG_BLOCK, str4, NULL, 8);
    RAW("rt_sigprocmask(99, unmapped, NULL)", SYS_rt_sigprocmask, 99, unm, NULL, 8);
    RAW("sigprocmask(BLOCK, unmapped, NULL)", SYS_sigprocmask, SIG_BLOCK, unm, NULL);
    RAW("sigprocmask(BLOCK, NULL, ro)", SYS_sigprocmask, SIG_BLOCK, NULL, ro);
    RAW("rt_sigpending(ro, 8)", SYS_rt_sigpending, ro, 8);
    RAW("rt_sigpending(ro, 9)", SYS_rt_sigpending, ro, 9);
    RAW("sigpending(eof)", SYS_sigpending, eof);
    RAW("sigaltstack(unmapped, NULL)", SYS_sigaltstack, unm, NULL);
    RAW("sigaltstack(NULL, ro)", SYS_sigaltstack, NULL, ro);
    RAW("rt_sigsuspend(unmapped, 8)", SYS_rt_sigsuspend, unm, 8);
    RAW("rt_sigsuspend(unmapped, 4)", SYS_rt_sigsuspend, unm, 4);
    RAW("rt_sigtimedwait(unmapped, NULL, NULL)", SYS_rt_sigtimedwait, unm, NULL, NULL, 8);
    RAW("rt_sigqueueinfo(self, USR1, straddle 24)", SYS_rt_sigqueueinfo, getpid(), SIGUSR1, str24);
    RAW("signalfd4(-1, unmapped, 8)", SYS_signalfd4, -1, unm, 8, 0);

    printf("-- threads\n");
    RAW("set_thread_area(unmapped)", SYS_set_thread_area, unm);
    RAW("get_thread_area(ro)", SYS_get_thread_area, ro);
    RAW("get_robust_list(0, ro, ro)", SYS_get_robust_list, 0, ro, ro);
    RAW("set_robust_list(unmapped, 11)", SYS_set_robust_list, unm, 11);
    RAW("futex(unmapped, WAIT, 0)", SYS_futex, unm, FUTEX_WAIT, 0, NULL, NULL, 0);
    RAW("futex(eof, WAIT, 0)", SYS_futex, eof, FUTEX_WAIT, 0, NULL, NULL, 0);
    RAW("futex(ro + 1, WAIT, 0)", SYS_futex, ro + 1, FUTEX_WAIT, 0, NULL, NULL, 0);
    RAW("futex(ro, WAIT, 1)", SYS_futex, ro, FUTEX_WAIT, 1, NULL, NULL, 0);
    RAW("futex(ro, WAIT, 0, timeout unmapped)", SYS_futex, ro, FUTEX_WAIT, 0, unm, NULL, 0);

    printf("-- time\n");
    RAW("clock_gettime(MONOTONIC, eof)", SYS_clock_gettime, CLOCK_MONOTONIC, eof);
    RAW("clock_gettime(MONOTONIC, ro)", SYS_clock_gettime, CLOCK_MONOTONIC, ro);
    RAW("clock_gettime(MONOTONIC, straddle)", SYS_clock_gettime, CLOCK_MONOTONIC, str4);
    RAW("clock_gettime(99, unmapped)", SYS_clock_gettime, 99, unm);
    RAW("clock_gettime64(MONOTONIC, eof)", SYS_clock_gettime64, CLOCK_MONOTONIC, eof);
    RAW("clock_getres(MONOTONIC, ro)", SYS_clock_getres, CLOCK_MONOTONIC, ro);
    RAW("gettimeofday(eof, NULL)", SYS_gettimeofday, eof, NULL);
    RAW("gettimeofday(NULL, ro)", SYS_gettimeofday, NULL, ro);
    struct { int32_t sec, usec; } badtv = { 0, -1 };   /* never a valid time: nothing is set */
    RAW("settimeofday({0, -1}, unmapped)", SYS_settimeofday, &badtv, unm);
    RAW("settimeofday(unmapped, unmapped)", SYS_settimeofday, unm, unm);
    RAW("time(ro)", SYS_time, ro);
    RAW("times(eof)", SYS_times, eof);
    RAW("nanosleep(unmapped, NULL)", SYS_nanosleep, unm, NULL);
    RAW("clock_nanosleep(MONOTONIC, 0, eof, NULL)", SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, eof, NULL);
    RAW("getitimer(REAL, ro)", SYS_getitimer, ITIMER_REAL, ro);
    RAW("setitimer(REAL, unmapped, NULL)", SYS_setitimer, ITIMER_REAL, unm, NULL);
    RAW("timer_create(MONOTONIC, unmapped, ro)", SYS_timer_create, CLOCK_MONOTONIC, unm, ro);
    RAW("timer_create(MONOTONIC, NULL, ro)", SYS_timer_create, CLOCK_MONOTONIC, NULL, ro);
    RAW("timerfd_gettime(-1, ro)", SYS_timerfd_gettime, -1, ro);
    RAW("sched_rr_get_interval(0, ro)", SYS_sched_rr_get_interval, 0, ro);

    printf("-- memory\n");
    RAW("mmap(90)(straddle)", SYS_mmap, str4);
    RAW("mmap(90)(eof)", SYS_mmap, eof);
    RAW("mincore(m, 4096, ro)", SYS_mincore, m, pg, ro);
    RAW("mincore(unmapped, 4096, m + 4096)", SYS_mincore, unm, pg, m + pg);
    RAW("madvise(0xfffff000, 0x2000, NORMAL)", SYS_madvise, 0xfffff000u, 0x2000, MADV_NORMAL);
    RAW("madvise(0xffffe000, 0x1000, NORMAL)", SYS_madvise, 0xffffe000u, 0x1000, MADV_NORMAL);
    RAW("madvise(0x1000, 0xffffffff, NORMAL)", SYS_madvise, 0x1000, 0xffffffffu, MADV_NORMAL);
    RAW("madvise(m + 1, 4096, NORMAL)", SYS_madvise, m + 1, pg, MADV_NORMAL);
    RAW("madvise(unmapped, 4096, 12345)", SYS_madvise, unm, pg, 12345);
    RAW("madvise(m + 1, 0, 12345)", SYS_madvise, m + 1, 0, 12345);
    RAW("madvise(m, 0, NORMAL)", SYS_madvise, m, 0, MADV_NORMAL);

    printf("-- exec\n");
    char *bad_argv[] = { unm, NULL };
    char *eof_argv[] = { eof4, NULL };
    RAW("execve(/nonexistent, unmapped)", SYS_execve, "/nonexistent", unm, NULL);
    RAW("execve(/bin/sh, unmapped argv)", SYS_execve, "/bin/sh", unm, NULL);
    RAW("execve(/bin/sh, argv straddle)", SYS_execve, "/bin/sh", str4, NULL);
    RAW("execve(/bin/sh, {unmapped})", SYS_execve, "/bin/sh", bad_argv, NULL);
    RAW("execve(/bin/sh, {eof string})", SYS_execve, "/bin/sh", eof_argv, NULL);
    RAW("execve(/bin/sh, {sh}, {unmapped})", SYS_execve, "/bin/sh", (char *[]){ "sh", NULL }, bad_argv);
    RAW("execve(/bin/sh, {unmapped}, envp bad)", SYS_execve, "/bin/sh", bad_argv, str4);
    /* 1.3 million arguments: E2BIG once counted; without a NULL before an unmapped page: EFAULT */
    size_t big = 5u << 20;
    char **many = mmap(NULL, big + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap((char *)many + big, pg);
    for (size_t k = 0; k < big / sizeof *many; k++) many[k] = "x";
    many[big / sizeof *many - 1] = NULL;
    RAW("execve(/bin/sh, 1.3M args)", SYS_execve, "/bin/sh", many, NULL);
    RAW("execve(/bin/sh, {sh}, 1.3M env)", SYS_execve, "/bin/sh", (char *[]){ "sh", NULL }, many);
    many[big / sizeof *many - 1] = "x";
    RAW("execve(/bin/sh, 1.3M args, no NULL)", SYS_execve, "/bin/sh", many, NULL);
    printf("still here\n");
    return 0;
}
