/* ue-test: variants=s2 d0 */
/* fexecve and execveat as natively: a close-on-exec fd (Python's default)
 * still runs the program, the fd is closed in it; a kept fd stays open;
 * dirfd-relative names; AT_EXECFN and the task name of an fd exec; a script
 * through a close-on-exec fd is ENOENT, through a kept one it runs; the
 * errors (EBADF, ENOENT without AT_EMPTY_PATH, ELOOP with
 * AT_SYMLINK_NOFOLLOW, ENOTDIR, EINVAL). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long execveat_(int fd, const char *p, char **argv, int flags)
{
    return syscall(SYS_execveat, fd, p, argv, environ, flags);
}

/* run f in a child; print what the child printed (it execs) and how it ended */
static void run(const char *what, void (*f)(void *), void *arg)
{
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        f(arg);
        printf("  %s: %s\n", what, strerrorname_np(errno));
        fflush(stdout);
        _exit(99);
    }
    int st;
    waitpid(p, &st, 0);
    printf("%s: exit %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

static int self_fd(int flags) { return open("/proc/self/exe", O_RDONLY | flags); }

static char *child_argv[] = { "child-name", "child", "5", NULL };

static void fexec_cloexec(void *a) { (void)a; int fd = self_fd(O_CLOEXEC); dup2(fd, 5); close(fd); fcntl(5, F_SETFD, FD_CLOEXEC); fexecve(5, child_argv, environ); }
static void fexec_kept(void *a) { (void)a; int fd = self_fd(0); dup2(fd, 5); close(fd); fexecve(5, child_argv, environ); }
static void execveat_empty(void *a) { (void)a; int fd = self_fd(O_CLOEXEC); dup2(fd, 5); close(fd); fcntl(5, F_SETFD, FD_CLOEXEC); execveat_(5, "", child_argv, AT_EMPTY_PATH); }
static void execve_procfd(void *a) { (void)a; int fd = self_fd(O_CLOEXEC); dup2(fd, 5); close(fd); fcntl(5, F_SETFD, FD_CLOEXEC); execve("/proc/self/fd/5", child_argv, environ); }
static void execveat_dir(void *a)
{
    (void)a;
    int d = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    dup2(d, 5);
    close(d);
    fcntl(5, F_SETFD, FD_CLOEXEC);
    execveat_(5, "prog", child_argv, 0);
}
static void execveat_dir_link_nofollow(void *a) { (void)a; int d = open(".", O_RDONLY | O_DIRECTORY); execveat_(d, "link", child_argv, AT_SYMLINK_NOFOLLOW); }
static void execveat_cwd_link_nofollow(void *a) { (void)a; execveat_(AT_FDCWD, "link", child_argv, AT_SYMLINK_NOFOLLOW); }
static void execveat_cwd_link(void *a) { (void)a; execveat_(AT_FDCWD, "link", child_argv, 0); }
static void execveat_badfd(void *a) { (void)a; execveat_(999, "prog", child_argv, 0); }
static void execveat_badfd_empty(void *a) { (void)a; execveat_(999, "", child_argv, AT_EMPTY_PATH); }
static void execveat_empty_noflag(void *a) { (void)a; int fd = self_fd(0); execveat_(fd, "", child_argv, 0); }
static void execveat_cwd_empty(void *a) { (void)a; execveat_(AT_FDCWD, "", child_argv, AT_EMPTY_PATH); }
static void execveat_dir_empty(void *a) { (void)a; int d = open(".", O_RDONLY | O_DIRECTORY); execveat_(d, "", child_argv, AT_EMPTY_PATH); }
static void execveat_badflag(void *a) { (void)a; int fd = self_fd(0); execveat_(fd, "", child_argv, AT_EMPTY_PATH | 0x8000); }
static void execveat_notdir(void *a) { (void)a; int fd = self_fd(0); execveat_(fd, "prog", child_argv, 0); }
static void execveat_dirfd_abs(void *a) { (void)a; char cwd[4096], p[4200]; getcwd(cwd, sizeof cwd); snprintf(p, sizeof p, "%s/prog", cwd); execveat_(999, p, child_argv, 0); }
static void memfd_exec(void *a)
{
    (void)a;
    int in = open("/proc/self/exe", O_RDONLY), fd = memfd_create("prog", MFD_CLOEXEC);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) write(fd, buf, n);
    char *av[] = { "m", "memfd", NULL };
    fexecve(fd, av, environ);
}
static void script(void *a)
{
    int fd = open("script.sh", O_RDONLY | (a ? O_CLOEXEC : 0));
    dup2(fd, 6);
    close(fd);
    if (a) fcntl(6, F_SETFD, FD_CLOEXEC);
    char *av[] = { "script.sh", "arg", NULL };
    fexecve(6, av, environ);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "memfd")) {
        char e[256] = { 0 };
        struct stat st;
        readlink("/proc/self/exe", e, sizeof e - 1);
        printf("  memfd child: exe %s, stat %d\n", e, stat("/proc/self/exe", &st));
        return 8;
    }
    if (argc > 1 && !strcmp(argv[1], "child")) {
        char comm[32] = { 0 };
        FILE *f = fopen("/proc/self/comm", "r");
        if (f) { fgets(comm, sizeof comm, f); fclose(f); }
        comm[strcspn(comm, "\n")] = 0;
        const char *fn = (const char *)getauxval(AT_EXECFN);
        const char *slash = strrchr(fn, '/');
        /* a dirfd-relative exec names the file /dev/fd/N/prog: keep the tail */
        printf("  child: argv0 %s, execfn %s, comm %s, fd %s: %s\n", argv[0],
               strncmp(fn, "/dev/fd/", 8) ? (slash ? slash + 1 : fn) : fn, comm, argv[2],
               fcntl(atoi(argv[2]), F_GETFD) < 0 ? "closed" : "open");
        return 7;
    }
    /* a copy of ourselves in the scratch dir, a link to it, a script */
    char buf[65536];
    int in = open("/proc/self/exe", O_RDONLY), out = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
    close(in);
    close(out);
    symlink("prog", "link");
    FILE *s = fopen("script.sh", "w");
    fprintf(s, "#!/bin/sh\necho \"  script: $0 $1\"\nexit 3\n");
    fclose(s);
    chmod("script.sh", 0755);

    run("fexecve close-on-exec", fexec_cloexec, NULL);
    run("fexecve kept fd", fexec_kept, NULL);
    run("execveat AT_EMPTY_PATH", execveat_empty, NULL);
    run("execve /proc/self/fd/5", execve_procfd, NULL);
    run("execveat dirfd name", execveat_dir, NULL);
    run("execveat dirfd link NOFOLLOW", execveat_dir_link_nofollow, NULL);
    run("execveat AT_FDCWD link NOFOLLOW", execveat_cwd_link_nofollow, NULL);
    run("execveat AT_FDCWD link", execveat_cwd_link, NULL);
    run("execveat bad fd", execveat_badfd, NULL);
    run("execveat bad fd AT_EMPTY_PATH", execveat_badfd_empty, NULL);
    run("execveat empty without AT_EMPTY_PATH", execveat_empty_noflag, NULL);
    run("execveat bad flag", execveat_badflag, NULL);
    run("execveat AT_FDCWD empty", execveat_cwd_empty, NULL);
    run("execveat directory fd empty", execveat_dir_empty, NULL);
    run("execveat file as dirfd", execveat_notdir, NULL);
    run("execveat bad fd absolute name", execveat_dirfd_abs, NULL);
    run("fexecve memfd", memfd_exec, NULL);
    run("script close-on-exec fd", script, (void *)1);
    run("script kept fd", script, NULL);
    unlink("prog");
    unlink("link");
    unlink("script.sh");
    return 0;
}
