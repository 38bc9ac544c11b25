/* ue-test: variants=s2 d0 */
/* clone(2) without CLONE_VM honours its flags: exit signal, CLONE_PARENT,
 * CLONE_VFORK (the parent waits for the child's exit), vfork(), CLONE_PIDFD,
 * CLONE_FILES, CLONE_FS, the tid stores, namespaces and the EINVAL rules. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long rclone(unsigned long flags, void *ptid, void *ctid)
{
    /* i386: flags, newsp, parent_tid, tls, child_tid; no CLONE_VM: the child
     * returns here on its copy of the stack */
    return syscall(SYS_clone, flags, 0, ptid, 0, ctid);
}

static void show(const char *what, long r)
{
    if (r < 0) printf("%s: %s\n", what, strerrorname_np(errno));
    else printf("%s: ok\n", what);
}

static int pipe_ready(int fd)
{
    char b;
    int n = read(fd, &b, 1);
    return n == 1;
}

int main(void)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);

    /* exit signal SIGUSR1: invisible to a plain wait, seen with __WALL */
    long pid = rclone(SIGUSR1, NULL, NULL);
    if (pid == 0) _exit(3);
    int st = 0;
    printf("plain wait: %s\n", waitpid(pid, &st, 0) < 0 ? strerrorname_np(errno) : "found");
    int found = waitpid(pid, &st, __WCLONE) == pid;
    printf("__WCLONE wait: %d status %d\n", found, WEXITSTATUS(st));
    struct timespec ts = { 5, 0 };
    printf("parent got SIGUSR1: %d\n", sigtimedwait(&usr1, NULL, &ts) == SIGUSR1);

    /* exit signal 0: no signal at all, __WALL finds it */
    pid = rclone(0, NULL, NULL);
    if (pid == 0) _exit(4);
    found = waitpid(pid, &st, __WALL) == pid;
    printf("__WALL wait: %d status %d\n", found, WEXITSTATUS(st));

    /* CLONE_VFORK without CLONE_VM: the parent resumes after the child's exit */
    int p[2];
    pipe2(p, O_NONBLOCK);
    pid = rclone(CLONE_VFORK | SIGCHLD, NULL, NULL);
    if (pid == 0) {
        usleep(200000);
        write(p[1], "x", 1);
        _exit(0);
    }
    printf("CLONE_VFORK: child done first %d\n", pipe_ready(p[0]));
    waitpid(pid, &st, 0);

    /* vfork(): the same */
    pid = vfork();
    if (pid == 0) {
        usleep(200000);
        write(p[1], "y", 1);
        _exit(0);
    }
    printf("vfork: child done first %d\n", pipe_ready(p[0]));
    waitpid(pid, &st, 0);

    /* the vfork child's writes to the caller's frame are the parent's */
    volatile int seen = 0;
    pid = vfork();
    if (pid == 0) {
        seen = 5;
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("vfork: child's store seen %d\n", seen);
    /* posix_spawn learns of the failed exec from its child (clone3 CLONE_VM|CLONE_VFORK) */
    char *av[] = { "nonexistent", NULL };
    int r = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, av, NULL);
    printf("posix_spawn missing program: %s\n", r ? strerrorname_np(r) : "0");
    if (!r) waitpid(pid, &st, 0);
    r = posix_spawnp(&pid, "nonexistent-program-ue-test", NULL, NULL, av, NULL);
    printf("posix_spawnp missing program: %s\n", r ? strerrorname_np(r) : "0");
    if (!r) waitpid(pid, &st, 0);
    char *tv[] = { "true", NULL };
    r = posix_spawn(&pid, "/bin/true", NULL, NULL, tv, NULL);
    st = -1;
    if (!r) waitpid(pid, &st, 0);
    printf("posix_spawn /bin/true: %d, exit %d\n", r, WEXITSTATUS(st));

    /* unshare(CLONE_FILES) in a CLONE_FILES child: its close is its own again */
    int fd2 = open("/dev/null", O_RDONLY);
    pid = rclone(CLONE_FILES | CLONE_VFORK | SIGCHLD, NULL, NULL);
    if (pid == 0) { _exit(unshare(CLONE_FILES) || close(fd2) ? 1 : 0); }
    waitpid(pid, &st, 0);
    printf("unshare(CLONE_FILES): child %d, our fd open %d\n", WEXITSTATUS(st), fcntl(fd2, F_GETFD) >= 0);
    close(fd2);

    /* CLONE_PARENT: the child is our sibling */
    pid_t pp = getppid();
    pid = rclone(CLONE_PARENT | SIGCHLD, NULL, NULL);
    if (pid == 0) {
        write(p[1], getppid() == pp ? "1" : "0", 1);
        _exit(0);
    }
    char b = 0;
    while (read(p[0], &b, 1) != 1) usleep(1000);
    printf("CLONE_PARENT: same parent %c, wait: %s\n", b,
           waitpid(pid, &st, 0) < 0 ? strerrorname_np(errno) : "found");

    /* CLONE_PIDFD: the fd is stored at parent_tid */
    int pidfd = -1;
    pid = rclone(CLONE_PIDFD | SIGCHLD, &pidfd, NULL);
    if (pid == 0) { pause(); _exit(0); }
    printf("CLONE_PIDFD: fd %d\n", pidfd >= 0);
    printf("pidfd_send_signal: %ld\n", syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0));
    waitpid(pid, &st, 0);
    printf("killed by %d\n", WTERMSIG(st));
    close(pidfd);
    errno = 0;
    show("CLONE_PIDFD bad pointer", rclone(CLONE_PIDFD | SIGCHLD, (void *)16, NULL));
    printf("no child: %s\n", waitpid(-1, &st, WNOHANG | __WALL) < 0 ? strerrorname_np(errno) : "child!");
    show("CLONE_PIDFD|CLONE_PARENT_SETTID", rclone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, &pidfd, NULL));

    /* the tid stores */
    int ptid = 0;
    pid = rclone(CLONE_PARENT_SETTID | SIGCHLD, &ptid, NULL);
    if (pid == 0) _exit(ptid == 0 ? 0 : 1);   /* stored in the parent after the copy */
    waitpid(pid, &st, 0);
    printf("PARENT_SETTID: %d, child saw 0: %d\n", ptid == pid, WEXITSTATUS(st) == 0);
    int ctid = 0;
    pid = rclone(CLONE_CHILD_SETTID | SIGCHLD, NULL, &ctid);
    if (pid == 0) _exit(ctid == syscall(SYS_gettid) ? 0 : 1);
    waitpid(pid, &st, 0);
    printf("CHILD_SETTID: child saw its tid %d, parent's word %d\n", WEXITSTATUS(st) == 0, ctid);

    /* CLONE_FILES: a close in the child closes ours; CLONE_FS: its chdir is ours */
    int fd = open("/dev/null", O_RDONLY);
    pid = rclone(CLONE_FILES | CLONE_VFORK | SIGCHLD, NULL, NULL);
    if (pid == 0) { close(fd); _exit(0); }
    waitpid(pid, &st, 0);
    printf("CLONE_FILES: fd closed %d\n", fcntl(fd, F_GETFD) < 0 && errno == EBADF);
    char cwd[4096], cwd2[4096];
    getcwd(cwd, sizeof cwd);
    pid = rclone(CLONE_FS | CLONE_VFORK | SIGCHLD, NULL, NULL);
    if (pid == 0) { chdir("/"); _exit(0); }
    waitpid(pid, &st, 0);
    getcwd(cwd2, sizeof cwd2);
    printf("CLONE_FS: cwd is / %d\n", !strcmp(cwd2, "/"));
    chdir(cwd);

    /* the kernel's EINVAL rules */
    show("CLONE_SIGHAND without CLONE_VM", rclone(CLONE_SIGHAND | SIGCHLD, NULL, NULL));
    show("CLONE_THREAD without CLONE_SIGHAND", rclone(CLONE_THREAD | CLONE_VM | SIGCHLD, NULL, NULL));
    show("CLONE_FS|CLONE_NEWNS", rclone(CLONE_FS | CLONE_NEWNS | SIGCHLD, NULL, NULL));
    /* a thread's flags with a namespace the kernel forbids there (no thread is made) */
    show("thread with CLONE_NEWPID", rclone(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWPID, NULL, NULL));
    show("thread with CLONE_FS|CLONE_NEWNS", rclone(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_FS | CLONE_NEWNS, NULL, NULL));
    show("CLONE_FS|CLONE_NEWUSER", rclone(CLONE_FS | CLONE_NEWUSER | SIGCHLD, NULL, NULL));

    /* namespaces: as the host allows */
    static const struct { unsigned long f; const char *name; } ns[] = {
        { CLONE_NEWNS, "NEWNS" }, { CLONE_NEWUTS, "NEWUTS" }, { CLONE_NEWIPC, "NEWIPC" },
        { CLONE_NEWPID, "NEWPID" }, { CLONE_NEWNET, "NEWNET" }, { CLONE_NEWUSER, "NEWUSER" },
    };
    for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        pid = rclone(ns[k].f | SIGCHLD, NULL, NULL);
        if (pid == 0) _exit(getpid() == 1 ? 11 : 10);
        if (pid < 0) { printf("CLONE_%s: %s\n", ns[k].name, strerrorname_np(errno)); continue; }
        waitpid(pid, &st, 0);
        printf("CLONE_%s: child exit %d\n", ns[k].name, WEXITSTATUS(st));
    }
    return 0;
}
