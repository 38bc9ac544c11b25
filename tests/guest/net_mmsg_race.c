/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* sendmmsg and recvmmsg while two threads flip the vector's words: msg_iov,
 * msg_iovlen, msg_control, msg_controllen, an iovec's base and length, a
 * cmsg_len (the hostile fuzzer's race kind 2 once killed ue with a host
 * SIGSEGV). Every call must end with a count or one of the errors either
 * value gives; received fds are closed. Prints "ok" per phase or the first
 * unexpected outcome. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define ITERS 8000
#define VLEN 4

struct flip { volatile uint32_t *word; uint32_t a, b; };
static struct flip flips[8];
static int nflips;
static volatile int stop;

static void *flipper(void *arg)
{
    int first = (int)(intptr_t)arg;
    while (!stop)
        for (int k = first; k < nflips; k += 2) {
            __atomic_store_n(flips[k].word, flips[k].a, __ATOMIC_RELAXED);
            __atomic_store_n(flips[k].word, flips[k].b, __ATOMIC_RELAXED);
        }
    return NULL;
}

static void add_flip(void *word, uint32_t a, uint32_t b)
{
    flips[nflips++] = (struct flip){ word, a, b };
}

static struct mmsghdr sv[VLEN], rv[VLEN];
static struct iovec siov[VLEN][2], riov[VLEN][2];
static char sbuf[VLEN][2][8], rbuf[VLEN][2][16];
static union { struct cmsghdr h; char b[64]; } sctl[VLEN], rctl[VLEN];
static struct sockaddr_un rname[VLEN];

static int keep[3];

static int ok_errno(int e)
{
    return e == EMSGSIZE || e == EFAULT || e == EINVAL || e == ENOBUFS || e == ENOMEM || e == EAGAIN;
}

static void close_fds(struct msghdr *m)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            for (size_t k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + k * sizeof fd, sizeof fd);
                if (fd > 2 && fd != keep[0] && fd != keep[1] && fd != keep[2]) close(fd);
            }
}

/* a plain receive that empties the socket (no flips on these buffers) */
static void drain(int fd)
{
    for (;;) {
        char b[64];
        union { struct cmsghdr h; char c[256]; } ctl;
        struct iovec io = { b, sizeof b };
        struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl.c, .msg_controllen = sizeof ctl };
        if (recvmsg(fd, &m, MSG_DONTWAIT) < 0) return;
        close_fds(&m);
    }
}

static void reset_send(int extra)
{
    for (int i = 0; i < VLEN; i++) {
        siov[i][0] = (struct iovec){ sbuf[i][0], 8 };
        siov[i][1] = (struct iovec){ sbuf[i][1], 8 };
        sctl[i].h.cmsg_len = CMSG_LEN(sizeof(int));
        sctl[i].h.cmsg_level = SOL_SOCKET;
        sctl[i].h.cmsg_type = SCM_RIGHTS;
        memcpy(CMSG_DATA(&sctl[i].h), &extra, sizeof extra);
        sv[i].msg_hdr = (struct msghdr){ .msg_iov = siov[i], .msg_iovlen = 2,
                                         .msg_control = sctl[i].b, .msg_controllen = CMSG_SPACE(sizeof(int)) };
    }
}

static void reset_recv(void)
{
    for (int i = 0; i < VLEN; i++) {
        riov[i][0] = (struct iovec){ rbuf[i][0], 16 };
        riov[i][1] = (struct iovec){ rbuf[i][1], 16 };
        rv[i].msg_hdr = (struct msghdr){ .msg_name = &rname[i], .msg_namelen = sizeof rname[i],
                                         .msg_iov = riov[i], .msg_iovlen = 2,
                                         .msg_control = rctl[i].b, .msg_controllen = sizeof rctl[i] };
    }
}

static void start(pthread_t th[2])
{
    stop = 0;
    pthread_create(&th[0], NULL, flipper, (void *)0);
    pthread_create(&th[1], NULL, flipper, (void *)1);
}

static void finish(pthread_t th[2])
{
    stop = 1;
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    nflips = 0;
}

int main(void)
{
    int s[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, s)) return 1;
    int extra = open("/dev/null", O_RDONLY);
    keep[0] = s[0], keep[1] = s[1], keep[2] = extra;
    reset_send(extra);

    /* sendmmsg with its vector, iovecs and cmsgs flipped */
    add_flip(&sv[1].msg_hdr.msg_iovlen, 2, 0x10000);
    add_flip(&sv[0].msg_hdr.msg_iov, (uint32_t)(uintptr_t)siov[0], 0xfffffff0u);
    add_flip(&siov[2][1].iov_len, 8, 0x80000000u);
    add_flip(&siov[0][0].iov_base, (uint32_t)(uintptr_t)sbuf[0][0], 0);
    add_flip(&sctl[2].h.cmsg_len, CMSG_LEN(sizeof(int)), 0x4000);
    add_flip(&sv[3].msg_hdr.msg_controllen, CMSG_SPACE(sizeof(int)), 0x7ffffff0);
    add_flip(&sv[1].msg_hdr.msg_control, (uint32_t)(uintptr_t)sctl[1].b, 0);
    add_flip(&sctl[0].h.cmsg_len, CMSG_LEN(sizeof(int)), 8);
    pthread_t th[2];
    start(th);
    int bad = 0;
    for (int i = 0; i < ITERS && !bad; i++) {
        int r = sendmmsg(s[0], sv, VLEN, MSG_DONTWAIT);
        if ((r < 0 && !ok_errno(errno)) || r > VLEN) {
            printf("sendmmsg: unexpected %d (%s)\n", r, r < 0 ? strerror(errno) : "");
            bad = 1;
        }
        drain(s[1]);
    }
    finish(th);
    if (!bad) printf("sendmmsg under flips: ok\n");

    /* recvmmsg with its vector, iovecs, names and control buffers flipped */
    reset_send(extra);
    reset_recv();
    add_flip(&rv[1].msg_hdr.msg_iovlen, 2, 0x10000);
    add_flip(&rv[0].msg_hdr.msg_iov, (uint32_t)(uintptr_t)riov[0], 0xfffffff0u);
    add_flip(&riov[2][0].iov_len, 16, 0x80000000u);
    add_flip(&rv[1].msg_hdr.msg_controllen, sizeof rctl[1], 0x7ffffff0);
    add_flip(&rv[2].msg_hdr.msg_control, (uint32_t)(uintptr_t)rctl[2].b, 0xfffff000u);
    add_flip(&rv[3].msg_hdr.msg_namelen, sizeof rname[3], 0x80000000u);
    start(th);
    for (int i = 0; i < ITERS && !bad; i++) {
        for (int k = 0; k < VLEN; k++) {
            struct iovec io = { sbuf[k][0], 8 };
            struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = sctl[k].b,
                                .msg_controllen = CMSG_SPACE(sizeof(int)) };
            sendmsg(s[0], &m, MSG_DONTWAIT);
        }
        memset(rctl, 0, sizeof rctl);
        int r = recvmmsg(s[1], rv, VLEN, MSG_DONTWAIT, NULL);
        if ((r < 0 && !ok_errno(errno)) || r > VLEN) {
            printf("recvmmsg: unexpected %d (%s)\n", r, r < 0 ? strerror(errno) : "");
            bad = 1;
        }
        for (int k = 0; k < r && k < VLEN; k++) {
            struct msghdr m = { .msg_control = rctl[k].b, .msg_controllen = rv[k].msg_hdr.msg_controllen };
            if (m.msg_controllen <= sizeof rctl[k]) close_fds(&m);
        }
        drain(s[1]);
    }
    finish(th);
    if (!bad) printf("recvmmsg under flips: ok\n");
    return 0;
}
