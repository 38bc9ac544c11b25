/* ue-test: variants=s2 d0 p2 */
/* Sockets: socketpair stream and datagram, send/recv with MSG_PEEK and
 * MSG_DONTWAIT, sendmsg/recvmsg with iovecs and SCM_RIGHTS fd passing (i386
 * cmsg layout), shutdown, getsockopt SO_TYPE/SO_ERROR, setsockopt SO_RCVBUF,
 * a TCP connection over 127.0.0.1 (bind port 0, getsockname, listen, connect,
 * accept, getpeername), UDP sendto/recvfrom, and the socketcall(102) form. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    printf("socketpair: %d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("send: %zd\n", send(sv[0], "hello", 5, 0));
    char buf[64] = {0};
    ssize_t r = recv(sv[1], buf, sizeof buf, MSG_PEEK);
    printf("peek: %zd\n", r);
    r = recv(sv[1], buf, sizeof buf, 0);
    printf("recv: %zd %s\n", r, buf);
    r = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("recv empty dontwait: %zd %s\n", r, strerrorname_np(errno));
    int type = 0;
    socklen_t len = sizeof type;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len);
    printf("SO_TYPE stream: %d len=%u\n", type == SOCK_STREAM, len);

    /* sendmsg with two iovecs and an fd */
    int fd = open("passed", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "through the socket", 18);
    struct iovec iov[2] = {{"ab", 2}, {"cdef", 4}};
    union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } cm;
    memset(&cm, 0, sizeof cm);
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = cm.b, .msg_controllen = sizeof cm.b};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    printf("sendmsg: %zd\n", sendmsg(sv[0], &m, 0));
    char rb[16] = {0};
    struct iovec riov = {rb, sizeof rb};
    union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } rcm;
    struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rcm.b, .msg_controllen = sizeof rcm.b};
    r = recvmsg(sv[1], &rm, 0);
    printf("recvmsg: %zd %s\n", r, rb);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
    printf("cmsg: %d level=%d type=%d len=%u\n", rc != NULL, rc ? rc->cmsg_level : -1, rc ? rc->cmsg_type : -1,
           rc ? (unsigned)rc->cmsg_len : 0);
    if (rc) {
        int got;
        memcpy(&got, CMSG_DATA(rc), sizeof got);
        char t[32] = {0};
        pread(got, t, sizeof t - 1, 0);
        printf("passed fd is new: %d reads: %s\n", got != fd, t);
    }
    printf("shutdown: %d\n", shutdown(sv[0], SHUT_WR));
    printf("recv after shutdown: %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    close(sv[1]);

    int dg[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    send(dg[0], "one", 3, 0);
    send(dg[0], "two!", 4, 0);
    ssize_t d1 = recv(dg[1], buf, sizeof buf, 0);
    ssize_t d2 = recv(dg[1], buf, sizeof buf, 0);
    printf("dgram keeps boundaries: %zd %zd\n", d1, d2);

    /* TCP on loopback */
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    printf("bind: %d\n", bind(ls, (struct sockaddr *)&a, sizeof a));
    len = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &len);
    printf("bound port nonzero: %d len=%u\n", a.sin_port != 0, len);
    printf("listen: %d\n", listen(ls, 4));
    int cs = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect: %d\n", connect(cs, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in peer;
    len = sizeof peer;
    int as = accept(ls, (struct sockaddr *)&peer, &len);
    printf("accept: %d peer is loopback: %d\n", as >= 0, peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    write(cs, "over tcp", 8);
    memset(buf, 0, sizeof buf);
    r = read(as, buf, sizeof buf);
    printf("read: %zd %s\n", r, buf);
    struct sockaddr_in pn;
    len = sizeof pn;
    getpeername(cs, (struct sockaddr *)&pn, &len);
    printf("getpeername port matches: %d\n", pn.sin_port == a.sin_port);
    int err = -1;
    len = sizeof err;
    getsockopt(cs, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("SO_ERROR: %d\n", err);
    close(cs); close(as); close(ls);

    int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(u2, (struct sockaddr *)&ua, sizeof ua);
    len = sizeof ua;
    getsockname(u2, (struct sockaddr *)&ua, &len);
    printf("sendto: %zd\n", sendto(u1, "udp!", 4, 0, (struct sockaddr *)&ua, sizeof ua));
    struct sockaddr_in from;
    len = sizeof from;
    memset(buf, 0, sizeof buf);
    r = recvfrom(u2, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    printf("recvfrom: %zd %s from loopback: %d\n", r, buf, from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));

    /* socketcall(SYS_SOCKET=1, args) */
    unsigned long args[3] = {AF_UNIX, SOCK_STREAM, 0};
    long s = syscall(102, 1, args);
    printf("socketcall socket: %d\n", s >= 0);
    unsigned long bad[3] = {12345, SOCK_STREAM, 0};
    s = syscall(102, 1, bad);
    printf("socketcall bad family: %ld %s\n", s, strerrorname_np(errno));
    unlink("passed");
    return 0;
}
