/* ue-test: variants=all */
/* dup/dup2/dup3 (shared offset, EBADF, dup2 onto itself, dup3 EINVAL), fcntl
 * F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK),
 * F_DUPFD with a minimum, F_DUPFD_CLOEXEC, F_SETLK/F_GETLK through fcntl64
 * with struct flock64 (a lock held by a child shows up with its range). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x) do { long _r = (long)(x); printf("%-44s = %ld%s%s\n", #x, _r, _r < 0 ? " " : "", _r < 0 ? strerrorname_np(errno) : ""); } while (0)

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdefghij", 10);
    int d = dup(fd);
    printf("dup > fd: %d\n", d > fd);
    CHECK(lseek(d, 3, SEEK_SET));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(dup2(fd, 50));
    CHECK(dup2(fd, fd));
    CHECK(dup2(999, 51));
    CHECK(dup3(fd, fd, 0));
    CHECK(dup3(fd, 52, O_CLOEXEC));
    CHECK(fcntl(52, F_GETFD));
    CHECK(fcntl(50, F_GETFD));
    CHECK(fcntl(50, F_SETFD, FD_CLOEXEC));
    CHECK(fcntl(50, F_GETFD));
    CHECK(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    CHECK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
    CHECK(fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    CHECK(fcntl(fd, F_DUPFD, 40));
    CHECK(fcntl(fd, F_DUPFD, 40));
    CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 60));
    CHECK(fcntl(60, F_GETFD));
    CHECK(fcntl(999, F_GETFD));
    CHECK(close(50));
    CHECK(fcntl(50, F_GETFD));

    /* record locks */
    int p[2], go[2];
    pipe(p);
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        int f = open("f", O_RDWR);
        struct flock64 l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 5};
        int r = fcntl(f, F_SETLK64, &l);
        write(p[1], &r, sizeof r);
        char x;
        read(go[0], &x, 1);   /* wait until the parent has looked */
        _exit(0);
    }
    int r;
    read(p[0], &r, sizeof r);
    printf("child's lock: %d\n", r);
    struct flock64 q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    CHECK(fcntl(fd, F_GETLK64, &q));
    printf("getlk: type=%s start=%lld len=%lld pid-is-child=%d\n", q.l_type == F_WRLCK ? "WRLCK" : q.l_type == F_UNLCK ? "UNLCK" : "?",
           (long long)q.l_start, (long long)q.l_len, q.l_pid == c);
    struct flock64 w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 4, .l_len = 1};
    CHECK(fcntl(fd, F_SETLK64, &w));
    struct flock64 ok = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 8, .l_len = 2};
    CHECK(fcntl(fd, F_SETLK64, &ok));
    /* the plain (32-bit struct flock) calls too */
    struct flock o = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 3, .l_len = 1};
    CHECK(fcntl(fd, F_GETLK, &o));
    printf("getlk32: type=%s start=%ld len=%ld\n", o.l_type == F_WRLCK ? "WRLCK" : "other", (long)o.l_start, (long)o.l_len);
    write(go[1], "x", 1);
    waitpid(c, NULL, 0);
    q.l_type = F_WRLCK; q.l_start = 0; q.l_len = 0;
    CHECK(fcntl(fd, F_GETLK64, &q));
    printf("after child exit: %s\n", q.l_type == F_UNLCK ? "UNLCK" : "locked");
    unlink("f");
    return 0;
}
