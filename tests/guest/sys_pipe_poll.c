/* ue-test: variants=s2 d0 p2 */
/* pipe and pipe2 (O_CLOEXEC, O_NONBLOCK: EAGAIN on empty), EOF after the
 * writer closes, EPIPE/SIGPIPE when the reader is gone (SIGPIPE ignored), poll
 * and select (timeouts of 0 and 10 ms, readiness), FIONREAD. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    printf("pipe: %d\n", pipe(p));
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    int n = poll(pf, 2, 0);
    printf("poll empty: n=%d in=%x out=%x\n", n, pf[0].revents, pf[1].revents);
    write(p[1], "hello", 5);
    n = poll(pf, 2, 10);
    printf("poll data: n=%d in=%x out=%x\n", n, pf[0].revents, pf[1].revents);
    int avail = -1;
    ioctl(p[0], FIONREAD, &avail);
    printf("FIONREAD: %d\n", avail);
    fd_set rs, ws;
    FD_ZERO(&rs); FD_ZERO(&ws);
    FD_SET(p[0], &rs);
    FD_SET(p[1], &ws);
    struct timeval tv = {0, 0};
    n = select(p[1] + 1, &rs, &ws, NULL, &tv);
    printf("select: n=%d r=%d w=%d\n", n, FD_ISSET(p[0], &rs), FD_ISSET(p[1], &ws));
    char buf[16];
    printf("read: %zd\n", read(p[0], buf, sizeof buf));
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    tv.tv_sec = 0;
    tv.tv_usec = 10000;
    n = select(p[0] + 1, &rs, NULL, NULL, &tv);
    printf("select timeout: n=%d\n", n);
    close(p[1]);
    printf("read at EOF: %zd\n", read(p[0], buf, sizeof buf));
    n = poll(pf, 1, 0);
    printf("poll at EOF: n=%d revents=%x\n", n, pf[0].revents);
    close(p[0]);

    int q[2];
    printf("pipe2: %d\n", pipe2(q, O_CLOEXEC | O_NONBLOCK));
    printf("flags: cloexec=%d nonblock=%d\n", fcntl(q[0], F_GETFD) & FD_CLOEXEC, !!(fcntl(q[0], F_GETFL) & O_NONBLOCK));
    ssize_t r = read(q[0], buf, 1);
    printf("nonblocking read: %zd %s\n", r, strerrorname_np(errno));
    signal(SIGPIPE, SIG_IGN);
    close(q[0]);
    r = write(q[1], "x", 1);
    printf("write without reader: %zd %s\n", r, strerrorname_np(errno));
    close(q[1]);
    /* fill a nonblocking pipe */
    pipe2(q, O_NONBLOCK);
    long total = 0;
    static char chunk[4096];
    while ((r = write(q[1], chunk, sizeof chunk)) > 0)
        total += r;
    printf("pipe capacity >= 4096: %d, then %s\n", total >= 4096, strerrorname_np(errno));
    return 0;
}
