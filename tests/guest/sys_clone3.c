/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* clone3: the size-versioned struct clone_args and the kernel's checks in
 * its order, a fork through it (pidfd, parent_tid, exit signal,
 * CLONE_CLEAR_SIGHAND), and threads (glibc's pthread_create uses clone3). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

struct args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
    uint64_t extra[2];
};

static long c3(struct args *a, unsigned long size) { return syscall(435, a, size); }

static void show(const char *what, long r)
{
    if (r < 0) printf("%s: %s\n", what, strerrorname_np(errno));
    else printf("%s: ok\n", what);
}

static void try(const char *what, struct args a, unsigned long size)
{
    long r = c3(&a, size);
    if (r == 0) _exit(0);
    if (r > 0) waitpid(r, NULL, __WALL);
    show(what, r);
}

static void on_usr1(int s) { (void)s; }

static void *thr(void *p) { return (char *)p + 1; }

int main(void)
{
    struct args z = { .exit_signal = SIGCHLD };
    try("size 63", z, 63);
    try("size 4097", z, 4097);
    struct args t = z;
    t.extra[0] = 1;
    try("size 96 nonzero tail", t, 96);
    try("size 96 zero tail", z, 96);
    try("size 64", z, 64);
    t = z; t.exit_signal = 65; try("exit_signal 65", t, 88);
    t = z; t.exit_signal = 0x100 | SIGCHLD; try("exit_signal 0x111", t, 88);
    t = z; t.set_tid_size = 33; try("set_tid_size 33", t, 88);
    t = z; t.set_tid_size = 1; try("set_tid NULL size 1", t, 88);
    int tid = 1;
    t = z; t.set_tid = (uintptr_t)&tid; try("set_tid size 0", t, 88);
    t = z; t.set_tid = 16; t.set_tid_size = 1; try("set_tid bad pointer", t, 88);
    t = z; t.flags = CLONE_INTO_CGROUP; try("CLONE_INTO_CGROUP size 80", t, 80);
    t = z; t.flags = CLONE_INTO_CGROUP; t.cgroup = 1ull << 31; try("cgroup 2^31", t, 88);
    t = z; t.flags = 1ull << 40; try("unknown flag", t, 88);
    t = z; t.flags = CLONE_DETACHED; try("CLONE_DETACHED", t, 88);
    t = z; t.flags = SIGCHLD; try("signal in flags", t, 88);
    t = z; t.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND; try("SIGHAND|CLEAR_SIGHAND", t, 88);
    t = z; t.flags = CLONE_PARENT; try("CLONE_PARENT with exit signal", t, 88);
    t = z; t.stack = 0x1000; try("stack without size", t, 88);
    t = z; t.stack_size = 0x1000; try("size without stack", t, 88);
    t = z; t.flags = CLONE_SIGHAND; try("CLONE_SIGHAND without CLONE_VM", t, 88);
    t = z; t.flags = CLONE_NEWNS | CLONE_FS; try("CLONE_NEWNS|CLONE_FS", t, 88);
    t = z; t.flags = CLONE_PIDFD; t.pidfd = 16; try("pidfd bad pointer", t, 88);
    int st;
    printf("no child: %s\n", waitpid(-1, &st, WNOHANG | __WALL) < 0 ? strerrorname_np(errno) : "child!");

    /* a fork with a pidfd and parent_tid, exit signal SIGUSR1 */
    int pidfd = -1, ptid = 0;
    signal(SIGUSR2, SIG_IGN);
    signal(SIGUSR1, on_usr1);
    t = z;
    t.flags = CLONE_PIDFD | CLONE_PARENT_SETTID | CLONE_CLEAR_SIGHAND;
    t.pidfd = (uintptr_t)&pidfd;
    t.parent_tid = (uintptr_t)&ptid;
    t.exit_signal = SIGUSR1;
    long pid = c3(&t, 88);
    if (pid == 0) {
        struct sigaction sa1, sa2;
        sigaction(SIGUSR1, NULL, &sa1);
        sigaction(SIGUSR2, NULL, &sa2);
        _exit((sa1.sa_handler == SIG_DFL) | (sa2.sa_handler == SIG_IGN) << 1);
    }
    printf("clone3 fork: pid %d, pidfd %d, parent_tid %d\n", pid > 0, pidfd >= 0, ptid == pid);
    int found = waitpid(pid, &st, __WALL) == pid;
    printf("child: found %d, USR1 default %d, USR2 ignored %d\n", found, WEXITSTATUS(st) & 1, WEXITSTATUS(st) >> 1 & 1);
    close(pidfd);

    /* threads: pthread_create goes through clone3 */
    int ok = 0;
    for (int k = 0; k < 50; k++) {
        pthread_t th[4];
        void *r;
        for (int j = 0; j < 4; j++) pthread_create(&th[j], NULL, thr, (char *)0 + j);
        for (int j = 0; j < 4; j++) { pthread_join(th[j], &r); ok += r == (char *)0 + j + 1; }
    }
    printf("threads joined: %d\n", ok);
    return 0;
}
