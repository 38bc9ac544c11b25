/* runner: run one command with fixed stdin/stdout/stderr files and a time
 * limit, then print how it ended on stdout as one line:
 *   exit N | signal N | timeout | execfail ERRNO-NAME
 * Used for both the native and the ue run of a test so that both are judged
 * the same way (a signal death is reported as the signal, not as 128+N). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: runner [-t SECS] [-i IN] [-o OUT] [-e ERR] -- CMD [ARGS...]\n");
    exit(2);
}

static void redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0) {
        fprintf(stderr, "runner: %s: %s\n", path, strerror(errno));
        _exit(2);
    }
    if (f != fd) {
        dup2(f, fd);
        close(f);
    }
}

int main(int argc, char **argv)
{
    double limit = 60;
    const char *in = "/dev/null", *out = "/dev/null", *err = "/dev/null";
    int opt;
    while ((opt = getopt(argc, argv, "+t:i:o:e:")) != -1) {
        switch (opt) {
        case 't': limit = atof(optarg); break;
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'e': err = optarg; break;
        default: usage();
        }
    }
    if (optind >= argc)
        usage();

    /* A pipe with close-on-exec tells the parent whether execve worked. */
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0)
        return 2;
    pid_t pid = fork();
    if (pid < 0)
        return 2;
    if (pid == 0) {
        setpgid(0, 0);
        /* no core files by default; the hard limit stays for tests of core dumps */
        struct rlimit nocore = {0, 0};
        if (!getrlimit(RLIMIT_CORE, &nocore)) nocore.rlim_cur = 0;
        setrlimit(RLIMIT_CORE, &nocore);
        umask(022);
        /* Default dispositions so a test sees the same signal state each time. */
        for (int s = 1; s < 32; s++)
            signal(s, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        redirect(in, 0, O_RDONLY);
        redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
        redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
        execv(argv[optind], argv + optind);
        int e = errno;
        if (write(report[1], &e, sizeof e) < 0)
            _exit(2);
        _exit(127);
    }
    close(report[1]);
    int exec_errno = 0;
    if (read(report[0], &exec_errno, sizeof exec_errno) != sizeof exec_errno)
        exec_errno = 0;
    close(report[0]);

    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double t = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (t > limit) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            printf("timeout\n");
            return 0;
        }
        struct timespec nap = {0, t < 0.05 ? 1000000 : 10000000};
        nanosleep(&nap, NULL);
    }
    /* Children the test left behind (in its process group) go too. */
    kill(-pid, SIGKILL);
    if (exec_errno)
        printf("execfail %s\n", strerrorname_np(exec_errno) ? strerrorname_np(exec_errno) : "?");
    else if (WIFSIGNALED(status))
        printf("signal %d\n", WTERMSIG(status));
    else
        printf("exit %d\n", WEXITSTATUS(status));
    return 0;
}
