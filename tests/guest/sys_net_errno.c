/* ue-test: variants=s2 d0 p2 */
/* Socket calls with bad arguments: which error wins when several are bad
 * (a bad fd before a bad msghdr, the msghdr before its name, iovlen before
 * the iovecs, lengths before pointers), the compat control-message walk
 * (ENOBUFS, EINVAL, EFAULT, a length word read past msg_controllen, a hole
 * under one message's data, ENOMEM past optmem_max), what a receive into a
 * bad name/control/msghdr does to the data, and the option calls. Every
 * result is printed with its errno name. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "errno_show.h"

static uint8_t *pg;        /* three pages: [1] inaccessible */
#define HOLE (pg + 4096)
#define BAD ((void *)HOLE)

static int sv[2], pfd[2];

/* one queued datagram "abcd" with an fd attached */
static void queue_with_fd(void)
{
    union { struct cmsghdr a; char b[CMSG_SPACE(sizeof(int))]; } c;
    struct iovec iov = { "abcd", 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof c.b };
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_len = CMSG_LEN(sizeof(int));
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(h), &pfd[0], sizeof(int));
    if (sendmsg(sv[0], &m, 0) != 4) printf("queue failed\n");
}

static long pending(void)
{
    char b[16];
    long n = 0, r;
    while ((r = recv(sv[1], b, sizeof b, MSG_DONTWAIT)) >= 0) n++;
    return n;
}

/* a cmsg header at p */
static void put_cmsg(void *p, uint32_t len, int level, int type)
{
    struct cmsghdr h = { len, level, type };
    memcpy(p, &h, sizeof h);
}

static void send_msgs(void)
{
    char data[] = "xyz";
    struct iovec iov = { data, 3 };
    struct msghdr m;
#define MSG(...) (m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, __VA_ARGS__ }, &m)
    SHOW("sendmsg bad fd, NULL msghdr", sendmsg(-1, NULL, 0));
    SHOW("sendmsg pipe fd, NULL msghdr", sendmsg(pfd[0], NULL, 0));
    SHOW("sendmsg NULL msghdr", sendmsg(sv[0], NULL, 0));
    SHOW("sendmsg msghdr across the hole", sendmsg(sv[0], (struct msghdr *)(HOLE - 8), 0));
    SHOW("sendmsg bad fd, bad name", sendmsg(-1, MSG(.msg_name = BAD, .msg_namelen = 16), 0));
    SHOW("sendmsg bad name", sendmsg(sv[0], MSG(.msg_name = BAD, .msg_namelen = 16), 0));
    SHOW("sendmsg namelen -1", sendmsg(sv[0], MSG(.msg_name = BAD, .msg_namelen = -1), 0));
    SHOW("sendmsg bad name, namelen 0", sendmsg(sv[0], MSG(.msg_name = BAD, .msg_namelen = 0), 0));
    SHOW("sendmsg bad name, iovlen 1025", sendmsg(sv[0], MSG(.msg_name = BAD, .msg_namelen = 16, .msg_iovlen = 1025), 0));
    SHOW("sendmsg iovlen 1025, bad iov", sendmsg(sv[0], MSG(.msg_iov = BAD, .msg_iovlen = 1025), 0));
    SHOW("sendmsg bad iov", sendmsg(sv[0], MSG(.msg_iov = BAD, .msg_iovlen = 2), 0));
    /* iovecs at the end of page 0: the second one runs into the hole */
    struct iovec *tail = (struct iovec *)(HOLE - sizeof(struct iovec));
    tail[0] = (struct iovec){ data, 3 };
    SHOW("sendmsg 2nd iovec in the hole", sendmsg(sv[0], MSG(.msg_iov = tail, .msg_iovlen = 2), 0));
    tail[0] = (struct iovec){ data, (size_t)-1 };
    SHOW("sendmsg iov_len -1, 2nd in the hole", sendmsg(sv[0], MSG(.msg_iov = tail, .msg_iovlen = 2), 0));
    SHOW("sendmsg iov_len -1, bad fd", sendmsg(-1, MSG(.msg_iov = tail, .msg_iovlen = 1), 0));
    struct iovec two[2] = { { data, 3 }, { BAD, 5 } };
    SHOW("sendmsg 2nd iov_base bad", sendmsg(sv[0], MSG(.msg_iov = two, .msg_iovlen = 2), 0));
    SHOW("sendmsg iovlen 0", sendmsg(sv[0], MSG(.msg_iovlen = 0), 0));
    pending();

    uint8_t *c = pg + 4096 - 64;   /* control data ending at the hole */
    memset(pg, 0, 4096);
    put_cmsg(c, CMSG_LEN(4), SOL_SOCKET, SCM_RIGHTS);
    memcpy(c + 12, &pfd[0], 4);
    SHOW("sendmsg controllen 0x80000000", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 0x80000000u), 0));
    SHOW("sendmsg bad fd, controllen 0x80000000", sendmsg(-1, MSG(.msg_control = c, .msg_controllen = 0x80000000u), 0));
    SHOW("sendmsg controllen 8", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 8), 0));
    SHOW("sendmsg NULL control, controllen 16", sendmsg(sv[0], MSG(.msg_control = NULL, .msg_controllen = 16), 0));
    SHOW("sendmsg bad fd, bad control", sendmsg(-1, MSG(.msg_control = BAD, .msg_controllen = 16), 0));
    SHOW("sendmsg pipe, bad control", sendmsg(pfd[1], MSG(.msg_control = BAD, .msg_controllen = 16), 0));
    SHOW("sendmsg bad control", sendmsg(sv[0], MSG(.msg_control = BAD, .msg_controllen = 16), 0));
    SHOW("sendmsg one fd", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 16), 0));
    put_cmsg(c, 8, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg cmsg_len 8", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 16), 0));
    put_cmsg(c, 20, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg cmsg_len > controllen", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 16), 0));
    put_cmsg(c, 16, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg controllen 18 (2 spare bytes)", sendmsg(sv[0], MSG(.msg_control = c, .msg_controllen = 18), 0));
    /* the walk reads a length word at offset 16, whose last bytes are in the hole */
    uint8_t *e = HOLE - 18;
    put_cmsg(e, 16, SOL_SOCKET, SCM_RIGHTS);
    memcpy(e + 12, &pfd[0], 4);
    SHOW("sendmsg length word into the hole", sendmsg(sv[0], MSG(.msg_control = e, .msg_controllen = 18), 0));
    SHOW("sendmsg controllen 16 at the hole", sendmsg(sv[0], MSG(.msg_control = HOLE - 16, .msg_controllen = 16), 0));
    put_cmsg(HOLE - 16, 16, SOL_SOCKET, SCM_RIGHTS);
    memcpy(HOLE - 4, &pfd[0], 4);
    SHOW("sendmsg cmsg ending at the hole", sendmsg(sv[0], MSG(.msg_control = HOLE - 16, .msg_controllen = 16), 0));
    SHOW("sendmsg data into the hole", sendmsg(sv[0], MSG(.msg_control = HOLE - 16, .msg_controllen = 20), 0));
    /* one message whose data spans the hole, then a bogus / a good header after it */
    uint8_t *s = HOLE - 16;
    put_cmsg(s, 16 + 4096 + 16, SOL_SOCKET, SCM_RIGHTS);
    put_cmsg(pg + 8192 + 16, 0, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg hole in data, bogus next", sendmsg(sv[0], MSG(.msg_control = s, .msg_controllen = 4096 + 64), 0));
    put_cmsg(pg + 8192 + 16, 16, SOL_SOCKET, SCM_RIGHTS);
    memset(pg + 8192 + 32, 0, 16);
    put_cmsg(pg + 8192 + 32, 16, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg hole in data, good next", sendmsg(sv[0], MSG(.msg_control = s, .msg_controllen = 4096 + 48), 0));
    /* pointer arithmetic does not wrap at 4 GiB (and page 0 may be mapped) */
    void *z = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("%-44s %s\n", "page 0", z == NULL ? "mapped" : "not mapped");
    SHOW("sendmsg control at the top", sendmsg(sv[0], MSG(.msg_control = (void *)0xfffffff0u, .msg_controllen = 32), 0));
    SHOW("sendmmsg vector at the top", syscall(SYS_sendmmsg, sv[0], (void *)0xffffffe0u, 2, 0));
    if (z == NULL) munmap(z, 4096);
    pending();

    /* control data larger than optmem_max */
    size_t big = 300000;
    uint8_t *b = mmap(NULL, big + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    put_cmsg(b, big, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg one 300000-byte cmsg", sendmsg(sv[0], MSG(.msg_control = b, .msg_controllen = big), 0));
    put_cmsg(b, 100000, SOL_SOCKET, SCM_RIGHTS);
    put_cmsg(b + 100000, 0, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg 300000 bytes, bogus 2nd", sendmsg(sv[0], MSG(.msg_control = b, .msg_controllen = big), 0));
    munmap(b, big + 4096);
    size_t huge = 3u << 20;
    b = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    put_cmsg(b, huge / 2, SOL_SOCKET, SCM_RIGHTS);
    put_cmsg(b + huge / 2, huge / 2, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg 3 MiB of control", sendmsg(sv[0], MSG(.msg_control = b, .msg_controllen = huge), 0));
    SHOW("sendmsg 3 MiB + 1 of control (hole)", sendmsg(sv[0], MSG(.msg_control = b, .msg_controllen = huge + 1), 0));
    put_cmsg(b + huge / 2, 12, SOL_SOCKET, SCM_RIGHTS);
    put_cmsg(b + huge / 2 + 12, 3, SOL_SOCKET, SCM_RIGHTS);
    SHOW("sendmsg 3 MiB of control, bogus 3rd", sendmsg(sv[0], MSG(.msg_control = b, .msg_controllen = huge), 0));
    munmap(b, huge);
    /* socketcall carries the same call */
    unsigned long args[3] = { (unsigned long)-1, 0, 0 };
    SHOW("socketcall sendmsg bad fd, NULL msghdr", syscall(SYS_socketcall, SYS_SENDMSG, args));
    args[0] = sv[0];
    SHOW("socketcall sendmsg NULL msghdr", syscall(SYS_socketcall, SYS_SENDMSG, args));
    SHOW("socketcall bad args", syscall(SYS_socketcall, SYS_SENDMSG, BAD));
    SHOW("socketcall call 0", syscall(SYS_socketcall, 0, args));
    SHOW("socketcall call 99", syscall(SYS_socketcall, 99, args));
#undef MSG
}

static void recv_msgs(void)
{
    char buf[16];
    struct iovec iov = { buf, sizeof buf };
    struct msghdr m;
    union { struct cmsghdr a; char b[64]; } ctl;
#define MSG(...) (m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, __VA_ARGS__ }, &m)
    SHOW("recvmsg bad fd, NULL msghdr", recvmsg(-1, NULL, 0));
    SHOW("recvmsg NULL msghdr", recvmsg(sv[1], NULL, MSG_DONTWAIT));
    SHOW("recvmsg namelen -1", recvmsg(sv[1], MSG(.msg_name = BAD, .msg_namelen = -1), MSG_DONTWAIT));
    SHOW("recvmsg iovlen 1025", recvmsg(sv[1], MSG(.msg_iovlen = 1025), MSG_DONTWAIT));
    SHOW("recvmsg bad iov", recvmsg(sv[1], MSG(.msg_iov = BAD, .msg_iovlen = 1), MSG_DONTWAIT));
    SHOW("recvmsg nothing queued, bad name", recvmsg(sv[1], MSG(.msg_name = BAD, .msg_namelen = 16), MSG_DONTWAIT));

    /* a datagram received into a bad name is lost with EFAULT */
    queue_with_fd();
    SHOW("recvmsg bad name", recvmsg(sv[1], MSG(.msg_name = BAD, .msg_namelen = 16, .msg_control = ctl.b,
                                               .msg_controllen = sizeof ctl.b), 0));
    printf("%-44s %ld\n", "  datagrams left", pending());
    int probe = dup(0);
    printf("%-44s %d\n", "  next fd", probe);
    close(probe);

    /* a bad control buffer: the data arrives, the fd does not (MSG_CTRUNC) */
    queue_with_fd();
    SHOW("recvmsg bad control", recvmsg(sv[1], MSG(.msg_control = BAD, .msg_controllen = 64), 0));
    printf("%-44s %#x controllen %zu\n", "  flags", m.msg_flags, (size_t)m.msg_controllen);
    probe = dup(0);
    printf("%-44s %d\n", "  next fd", probe);
    close(probe);

    /* too small for the fd, and just big enough */
    for (size_t n = 0; n <= 20; n += 4) {
        queue_with_fd();
        memset(ctl.b, 0xee, sizeof ctl.b);
        long r = recvmsg(sv[1], MSG(.msg_control = ctl.b, .msg_controllen = n), 0);
        struct cmsghdr *h = (struct cmsghdr *)ctl.b;
        printf("recvmsg controllen %-2zu -> %ld flags %#x controllen %zu cmsg_len %#x\n", n, r, m.msg_flags,
               (size_t)m.msg_controllen, n >= 12 ? (unsigned)h->cmsg_len : 0u);
        if (n >= 16 && h->cmsg_len == CMSG_LEN(4)) close(*(int *)CMSG_DATA(h));
    }
    queue_with_fd();
    SHOW("recvmsg NULL control, controllen 64", recvmsg(sv[1], MSG(.msg_control = NULL, .msg_controllen = 64), 0));
    printf("%-44s %#x controllen %zu\n", "  flags", m.msg_flags, (size_t)m.msg_controllen);

    /* the msghdr read-only: the data is consumed, then EFAULT */
    struct msghdr *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *ro = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
    mprotect(ro, 4096, PROT_READ);
    send(sv[0], "efgh", 4, 0);
    SHOW("recvmsg read-only msghdr", recvmsg(sv[1], ro, 0));
    printf("%-44s %ld\n", "  datagrams left", pending());
    munmap(ro, 4096);

    /* recvmmsg: the timeout is read before the fd is looked up */
    struct mmsghdr mm[2] = { { { .msg_iov = &iov, .msg_iovlen = 1 } }, { { .msg_iov = &iov, .msg_iovlen = 1 } } };
    SHOW("recvmmsg bad fd, bad timeout", syscall(SYS_recvmmsg, -1, mm, 2, 0, BAD));
    SHOW("recvmmsg bad fd, bad vector", syscall(SYS_recvmmsg, -1, BAD, 2, 0, NULL));
    SHOW("recvmmsg bad vector", syscall(SYS_recvmmsg, sv[1], BAD, 2, MSG_DONTWAIT, NULL));
    send(sv[0], "1", 1, 0);
    send(sv[0], "2", 1, 0);
    struct mmsghdr *t = (struct mmsghdr *)(HOLE - sizeof(struct mmsghdr));
    *t = mm[0];
    SHOW("recvmmsg 2nd entry bad", syscall(SYS_recvmmsg, sv[1], t, 2, MSG_DONTWAIT, NULL));
    printf("%-44s %u\n", "  msg_len", t->msg_len);
    SHOW("  next recv (the error kept for it)", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    printf("%-44s %ld\n", "  datagrams left", pending());
    mm[1].msg_hdr.msg_iovlen = 1025;
    send(sv[0], "3", 1, 0);
    SHOW("recvmmsg 2nd iovlen 1025", syscall(SYS_recvmmsg, sv[1], mm, 2, MSG_DONTWAIT, NULL));
    SHOW("  next recv (the error kept for it)", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    mm[1].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_name = buf;
    mm[1].msg_hdr.msg_namelen = -1;
    send(sv[0], "4", 1, 0);
    send(sv[0], "5", 1, 0);
    SHOW("recvmmsg 2nd namelen -1", syscall(SYS_recvmmsg, sv[1], mm, 2, MSG_DONTWAIT, NULL));
    SHOW("  next recv (the error kept for it)", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    printf("%-44s %ld\n", "  datagrams left", pending());
    SHOW("sendmmsg bad fd, bad vector", syscall(SYS_sendmmsg, -1, BAD, 2, 0));
    SHOW("sendmmsg bad vector", syscall(SYS_sendmmsg, sv[0], BAD, 2, 0));
    SHOW("sendmmsg vlen 0", syscall(SYS_sendmmsg, sv[0], BAD, 0, 0));
    *t = mm[0];
    iov.iov_len = 2;
    SHOW("sendmmsg 2nd entry bad", syscall(SYS_sendmmsg, sv[0], t, 2, 0));
    printf("%-44s %u\n", "  msg_len", t->msg_len);
    printf("%-44s %ld\n", "  datagrams left", pending());
#undef MSG
}

static void options(void)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval tv = { 1, 500000 };
    socklen_t len = sizeof tv;
    SHOW("setsockopt SO_RCVTIMEO bad fd, bad value", setsockopt(-1, SOL_SOCKET, SO_RCVTIMEO, BAD, 8));
    SHOW("setsockopt SO_RCVTIMEO pipe, bad value", setsockopt(pfd[0], SOL_SOCKET, SO_RCVTIMEO, BAD, 8));
    SHOW("setsockopt SO_RCVTIMEO len 4", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
    SHOW("setsockopt SO_RCVTIMEO len -1, bad value", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, BAD, -1));
    SHOW("setsockopt SO_RCVTIMEO bad value", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, BAD, 8));
    SHOW("setsockopt SO_RCVTIMEO", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    tv.tv_usec = 2000000;
    SHOW("setsockopt SO_RCVTIMEO usec 2000000", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    SHOW("getsockopt SO_RCVTIMEO bad fd, bad len", getsockopt(-1, SOL_SOCKET, SO_RCVTIMEO, BAD, BAD));
    SHOW("getsockopt SO_RCVTIMEO bad len", getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, BAD));
    len = -1;
    SHOW("getsockopt SO_RCVTIMEO len -1", getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    len = 4;
    memset(&tv, 0, sizeof tv);
    SHOW("getsockopt SO_RCVTIMEO len 4", getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    printf("%-44s %u %ld\n", "  len, sec", len, (long)tv.tv_sec);
    len = 8;
    SHOW("getsockopt SO_RCVTIMEO bad value", getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, BAD, &len));
    len = 8;
    SHOW("getsockopt SO_RCVTIMEO", getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    printf("%-44s %u %ld %ld\n", "  len, sec, usec", len, (long)tv.tv_sec, (long)tv.tv_usec);
    len = 4;
    SHOW("getsockopt SO_TYPE bad fd, bad value", getsockopt(-1, SOL_SOCKET, SO_TYPE, BAD, &len));
    SHOW("getsockopt SO_TYPE bad value", getsockopt(u, SOL_SOCKET, SO_TYPE, BAD, &len));
    SHOW("getsockopt SO_TYPE bad len", getsockopt(u, SOL_SOCKET, SO_TYPE, &len, BAD));
    SHOW("setsockopt SO_RCVBUF bad fd, bad value", setsockopt(-1, SOL_SOCKET, SO_RCVBUF, BAD, 4));
    SHOW("setsockopt SO_RCVBUF bad value", setsockopt(u, SOL_SOCKET, SO_RCVBUF, BAD, 4));

    struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, 0xffff);
    struct sock_fprog fp = { 1, &insn };
    SHOW("SO_ATTACH_FILTER bad fd, bad value", setsockopt(-1, SOL_SOCKET, SO_ATTACH_FILTER, BAD, 8));
    SHOW("SO_ATTACH_FILTER len 3, bad value", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, BAD, 3));
    SHOW("SO_ATTACH_FILTER len 5, bad value", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, BAD, 5));
    SHOW("SO_ATTACH_FILTER len 5", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &fp, 5));
    SHOW("SO_ATTACH_FILTER bad value", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, BAD, 8));
    SHOW("SO_ATTACH_FILTER value across the hole", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, HOLE - 4, 8));
    fp.filter = BAD;
    SHOW("SO_ATTACH_FILTER bad program", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &fp, 8));
    fp.filter = &insn;
    SHOW("SO_ATTACH_FILTER", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &fp, 8));

    struct group_req gr = { 0 };
    SHOW("MCAST_JOIN_GROUP bad fd", setsockopt(-1, SOL_IP, MCAST_JOIN_GROUP, BAD, 4));
    SHOW("MCAST_JOIN_GROUP unix socket", setsockopt(sv[0], SOL_IP, MCAST_JOIN_GROUP, BAD, 4));
    SHOW("MCAST_JOIN_GROUP short", setsockopt(u, SOL_IP, MCAST_JOIN_GROUP, BAD, 4));
    SHOW("MCAST_JOIN_GROUP bad value", setsockopt(u, SOL_IP, MCAST_JOIN_GROUP, BAD, 132));
    SHOW("MCAST_JOIN_GROUP not multicast", setsockopt(u, SOL_IP, MCAST_JOIN_GROUP, &gr, 132));
    SHOW("MCAST_JOIN_SOURCE_GROUP short", setsockopt(u, SOL_IP, MCAST_JOIN_SOURCE_GROUP, &gr, 132));

    struct sockaddr_in sin = { AF_INET, 0, { htonl(INADDR_LOOPBACK) } };
    SHOW("bind bad fd, bad addr", bind(-1, BAD, 16));
    SHOW("bind len 200", bind(u, (struct sockaddr *)&sin, 200));
    SHOW("bind len -1", bind(u, (struct sockaddr *)&sin, -1));
    SHOW("bind bad addr", bind(u, BAD, 16));
    SHOW("connect bad fd, bad addr", connect(-1, BAD, 16));
    SHOW("connect bad addr", connect(u, BAD, 16));
    SHOW("getsockname bad fd", getsockname(-1, BAD, BAD));
    SHOW("getsockname bad len", getsockname(u, (struct sockaddr *)&sin, BAD));
    len = 16;
    SHOW("getsockname bad addr", getsockname(u, BAD, &len));
    SHOW("sendto bad fd, bad buf", sendto(-1, BAD, 4, 0, BAD, 16));
    SHOW("sendto bad addr", sendto(u, "x", 1, 0, BAD, 16));
    SHOW("sendto addr len 200", sendto(u, "x", 1, 0, (struct sockaddr *)&sin, 200));
    SHOW("recvfrom bad fd", recvfrom(-1, BAD, 4, 0, BAD, BAD));
    SHOW("recvfrom nothing queued, bad addr", recvfrom(u, &len, 4, MSG_DONTWAIT, BAD, BAD));
    SHOW("socketpair bad vector", socketpair(AF_UNIX, SOCK_STREAM, 0, BAD));
    SHOW("socketpair bad vector, bad family", socketpair(12345, SOCK_STREAM, 0, BAD));
    SHOW("socketpair bad flags, bad vector", socketpair(AF_UNIX, SOCK_STREAM | 0x1000, 0, BAD));
    int *half = (int *)(HOLE - 4);
    SHOW("socketpair vector across the hole", socketpair(AF_UNIX, SOCK_STREAM, 0, half));
    int probe = dup(0);
    printf("%-44s %d\n", "  next fd", probe);
    close(probe);
    close(u);
}

int main(void)
{
    pg = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(pg + 4096, 4096, PROT_NONE);   /* a hole no later mapping can fill */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pfd);
    send_msgs();
    recv_msgs();
    options();
    return 0;
}
