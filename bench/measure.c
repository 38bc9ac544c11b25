/* measure: run a command (optionally N times in a row) with a time limit and
 * report "STATUS WALL_SECONDS MAX_RSS_KIB" on stdout.  Built for the host so
 * the benchmark does not depend on /usr/bin/time.
 *
 * usage: measure [-t SECS] [-n COUNT] [-i IN] [-o OUT] [-e ERR] -- CMD [ARGS...]
 *   STATUS is ok, exit:N, signal:N, timeout or noexec.  Each run gets its own
 *   process group so a timeout kills everything the command started.  OUT and
 *   ERR are appended to across the COUNT runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;

static void on_alarm(int sig) { (void)sig; expired = 1; }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_or_die(const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        fprintf(stderr, "measure: %s: %s\n", path, strerror(errno));
        _exit(126);
    }
    return fd;
}

/* Starts one run; returns the child's pid. */
static pid_t spawn(char **cmd, const char *in, const char *out, const char *err)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        exit(125);
    }
    if (pid > 0)
        return pid;
    setpgid(0, 0);
    signal(SIGALRM, SIG_DFL);
    int fd = open_or_die(in ? in : "/dev/null", O_RDONLY);
    dup2(fd, 0);
    if (out) {
        fd = open_or_die(out, O_WRONLY | O_CREAT | O_APPEND);
        dup2(fd, 1);
    }
    if (err) {
        fd = open_or_die(err, O_WRONLY | O_CREAT | O_APPEND);
        dup2(fd, 2);
    }
    execvp(cmd[0], cmd);
    fprintf(stderr, "measure: %s: %s\n", cmd[0], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    double limit = 120;
    long count = 1;
    const char *in = NULL, *out = NULL, *err = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "+t:n:i:o:e:")) != -1) {
        switch (opt) {
        case 't': limit = atof(optarg); break;
        case 'n': count = atol(optarg); break;
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'e': err = optarg; break;
        default:
            fprintf(stderr, "usage: measure [-t SECS] [-n COUNT] [-i IN] [-o OUT] [-e ERR] -- CMD...\n");
            return 2;
        }
    }
    if (optind >= argc || count < 1) {
        fprintf(stderr, "measure: no command\n");
        return 2;
    }
    char **cmd = argv + optind;

    struct sigaction sa = {0};
    sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 must return EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {(long)limit, (long)((limit - (long)limit) * 1e6)}};
    setitimer(ITIMER_REAL, &it, NULL);

    char status[32] = "ok";
    long maxrss = 0;
    double start = now();
    for (long r = 0; r < count; r++) {
        pid_t pid = spawn(cmd, in, out, err);
        int st;
        struct rusage ru;
        while (wait4(pid, &st, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("measure: wait4");
                return 125;
            }
            if (expired)
                kill(-pid, SIGKILL);
        }
        if (expired)
            kill(-pid, SIGKILL); /* leftovers of the group */
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
        if (expired) {
            strcpy(status, "timeout");
            break;
        }
        if (WIFSIGNALED(st)) {
            snprintf(status, sizeof status, "signal:%d", WTERMSIG(st));
            break;
        }
        if (WEXITSTATUS(st) == 127) {
            strcpy(status, "noexec");
            break;
        }
        if (WEXITSTATUS(st) != 0) {
            snprintf(status, sizeof status, "exit:%d", WEXITSTATUS(st));
            break;
        }
    }
    double wall = now() - start;
    printf("%s %.4f %ld\n", status, wall, maxrss);
    return 0;
}
