/* ue-test: variants=s2 d0 p2 */
/* Control messages in the i386 layout (12-byte headers, 4-byte alignment):
 * SCM_CREDENTIALS and SCM_RIGHTS together in one message, received into
 * control buffers of every size from 0 to 64 bytes (MSG_CTRUNC, truncated
 * lengths, fds that do not fit are closed); SO_TIMESTAMP, SO_TIMESTAMPNS and
 * SO_TIMESTAMPING in their old 32-bit forms and SO_TIMESTAMP_NEW, whole and
 * truncated; recvmsg names with short namelens; sendmmsg/recvmmsg with several messages. Timestamps and pids
 * are printed only as checks against the clock and getpid(). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TS_OLD 29          /* SO_TIMESTAMP_OLD */
#define TSNS_OLD 35        /* SO_TIMESTAMPNS_OLD */
#define TSING_OLD 37       /* SO_TIMESTAMPING_OLD */
#define TS_NEW 63          /* SO_TIMESTAMP_NEW */

static int sv[2], pfd[2];

static void send_creds_fds(void)
{
    union { struct cmsghdr a; char b[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(2 * sizeof(int))]; } c;
    memset(c.b, 0, sizeof c.b);
    struct iovec iov = { "data", 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof c.b };
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    struct ucred cr = { getpid(), getuid(), getgid() };
    h->cmsg_len = CMSG_LEN(sizeof cr);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_CREDENTIALS;
    memcpy(CMSG_DATA(h), &cr, sizeof cr);
    h = CMSG_NXTHDR(&m, h);
    h->cmsg_len = CMSG_LEN(2 * sizeof(int));
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(h), pfd, 2 * sizeof(int));
    long r = sendmsg(sv[0], &m, 0);
    if (r != 4) printf("sendmsg creds+fds: %ld %s\n", r, strerrorname_np(errno));
}

/* every cmsg header in the first used bytes of b, by position */
static void show_cmsgs(const uint8_t *b, size_t used)
{
    for (size_t off = 0; off + sizeof(struct cmsghdr) <= used;) {
        struct cmsghdr h;
        memcpy(&h, b + off, sizeof h);
        printf("  @%zu level %d type %d len %zu", off, h.cmsg_level, h.cmsg_type, (size_t)h.cmsg_len);
        size_t data = h.cmsg_len > CMSG_LEN(0) ? h.cmsg_len - CMSG_LEN(0) : 0;
        if (h.cmsg_type == SCM_CREDENTIALS && data >= sizeof(struct ucred)) {
            struct ucred cr;
            memcpy(&cr, b + off + CMSG_LEN(0), sizeof cr);
            printf(" pid-ok %d uid %u gid %u", cr.pid == getpid(), cr.uid, cr.gid);
        }
        if (h.cmsg_type == SCM_RIGHTS) {
            printf(" fds");
            for (size_t k = 0; k + sizeof(int) <= data; k += sizeof(int)) {
                int fd;
                struct stat st;
                memcpy(&fd, b + off + CMSG_LEN(0) + k, sizeof fd);
                printf(" %s", fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? "pipe" : "?");
                close(fd);
            }
        }
        printf("\n");
        if (h.cmsg_len < sizeof h) break;
        off += CMSG_ALIGN(h.cmsg_len);
    }
}

static void creds_and_fds(void)
{
    int on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    for (size_t n = 0; n <= 64; n += 4) {
        send_creds_fds();
        union { struct cmsghdr a; uint8_t b[128]; } c;
        memset(c.b, 0, sizeof c.b);
        char buf[8];
        struct iovec iov = { buf, sizeof buf };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = n };
        long r = recvmsg(sv[1], &m, 0);
        printf("controllen %2zu: %ld flags %#x used %zu\n", n, r, m.msg_flags, (size_t)m.msg_controllen);
        show_cmsgs(c.b, m.msg_controllen);
        int probe = dup(0);
        printf("  next fd %d\n", probe);
        close(probe);
    }
    on = 0;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
}

/* a UDP datagram to ourselves with a timestamp option on */
static void timestamps(int opt, const char *name, int val)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { AF_INET, 0, { htonl(INADDR_LOOPBACK) } };
    socklen_t al = sizeof a;
    bind(u, (struct sockaddr *)&a, sizeof a);
    getsockname(u, (struct sockaddr *)&a, &al);
    if (setsockopt(u, SOL_SOCKET, opt, &val, sizeof val)) {
        printf("%s: setsockopt %s\n", name, strerrorname_np(errno));
        close(u);
        return;
    }
    /* the kernel turns receive timestamps on from a work queue (net_enable_timestamp):
     * until then SO_TIMESTAMPING gets none, natively too; wait for the first one */
    for (int tries = 0; tries < 1000; tries++) {
        union { struct cmsghdr a; uint8_t b[128]; } w;
        char buf[4];
        struct iovec iov = { buf, sizeof buf };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = w.b, .msg_controllen = sizeof w.b };
        sendto(u, "w", 1, 0, (struct sockaddr *)&a, sizeof a);
        if (recvmsg(u, &m, 0) < 0 || m.msg_controllen) break;
        usleep(1000);
    }
    size_t sizes[] = { 11, 12, 16, 20, 24, 28, 40, 48, 64 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        sendto(u, "t", 1, 0, (struct sockaddr *)&a, sizeof a);
        union { struct cmsghdr a; uint8_t b[128]; } c;
        memset(c.b, 0, sizeof c.b);
        char buf[4];
        struct iovec iov = { buf, sizeof buf };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof c.b };
        m.msg_controllen = sizes[i];
        long r = recvmsg(u, &m, 0);
        struct cmsghdr h;
        memcpy(&h, c.b, sizeof h);
        printf("%s controllen %2zu: %ld flags %#x used %zu", name, sizes[i], r, m.msg_flags, (size_t)m.msg_controllen);
        if (m.msg_controllen >= sizeof h)
            printf(" level %d type %d len %zu", h.cmsg_level, h.cmsg_type, (size_t)h.cmsg_len);
        size_t data = m.msg_controllen >= sizeof h && h.cmsg_len > CMSG_LEN(0) ? h.cmsg_len - CMSG_LEN(0) : 0;
        time_t now = time(NULL);
        const uint8_t *d = c.b + CMSG_LEN(0);
        if (h.cmsg_type == TS_OLD && data >= 8) {
            int32_t s, us;
            memcpy(&s, d, 4), memcpy(&us, d + 4, 4);
            printf(" sane %d", s > now - 5 && s <= now && us >= 0 && us < 1000000);
        } else if ((h.cmsg_type == TSNS_OLD || h.cmsg_type == TSING_OLD) && data >= 8) {
            int32_t s, ns;
            memcpy(&s, d, 4), memcpy(&ns, d + 4, 4);
            printf(" sane %d", s > now - 5 && s <= now && ns >= 0 && ns < 1000000000);
        } else if (h.cmsg_type == TS_NEW && data >= 16) {
            int64_t s, us;
            memcpy(&s, d, 8), memcpy(&us, d + 8, 8);
            printf(" sane %d", s > now - 5 && s <= now && us >= 0 && us < 1000000);
        }
        printf("\n");
    }
    close(u);
}

/* recvmsg's name: namelen in is a bound, namelen out the real length */
static void names(void)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { AF_INET, 0, { htonl(INADDR_LOOPBACK) } };
    socklen_t al = sizeof a;
    bind(u, (struct sockaddr *)&a, sizeof a);
    getsockname(u, (struct sockaddr *)&a, &al);
    int lens[] = { 128, 16, 4, 0 };
    for (int i = 0; i < 4; i++) {
        sendto(u, "n", 1, 0, (struct sockaddr *)&a, sizeof a);
        struct sockaddr_in from;
        memset(&from, 0xee, sizeof from);
        char buf[4];
        struct iovec iov = { buf, sizeof buf };
        struct msghdr m = { .msg_name = &from, .msg_namelen = lens[i], .msg_iov = &iov, .msg_iovlen = 1 };
        long r = recvmsg(u, &m, 0);
        printf("recvmsg namelen %3d: %ld namelen %u family %#x port-ok %d\n", lens[i], r, m.msg_namelen,
               from.sin_family, from.sin_port == a.sin_port);
    }
    close(u);
}

static void mmsgs(void)
{
    char d[3][8] = { "one", "two!", "three" };
    struct iovec iv[3] = { { d[0], 3 }, { d[1], 4 }, { d[2], 5 } };
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int k = 0; k < 3; k++) out[k].msg_hdr = (struct msghdr){ .msg_iov = &iv[k], .msg_iovlen = 1 };
    long r = syscall(SYS_sendmmsg, sv[0], out, 3, 0);
    printf("sendmmsg: %ld lens %u %u %u\n", r, out[0].msg_len, out[1].msg_len, out[2].msg_len);
    char in[4][8];
    struct iovec ri[4];
    struct mmsghdr mv[4];
    memset(mv, 0, sizeof mv);
    memset(in, 0, sizeof in);
    for (int k = 0; k < 4; k++) {
        ri[k] = (struct iovec){ in[k], k == 2 ? 2 : 8 };
        mv[k].msg_hdr = (struct msghdr){ .msg_iov = &ri[k], .msg_iovlen = 1 };
    }
    struct timespec ts = { 1, 0 };
    r = syscall(SYS_recvmmsg, sv[1], mv, 4, MSG_DONTWAIT, &ts);
    printf("recvmmsg: %ld\n", r);
    for (int k = 0; k < r; k++)
        printf("  %d: len %u flags %#x \"%.*s\"\n", k, mv[k].msg_len, mv[k].msg_hdr.msg_flags, (int)mv[k].msg_len, in[k]);
    r = syscall(SYS_recvmmsg, sv[1], mv, 4, MSG_DONTWAIT, NULL);
    printf("recvmmsg empty: %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
}

int main(void)
{
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pfd);
    creds_and_fds();
    timestamps(TS_OLD, "SO_TIMESTAMP_OLD", 1);
    timestamps(TSNS_OLD, "SO_TIMESTAMPNS_OLD", 1);
    timestamps(TSING_OLD, "SO_TIMESTAMPING_OLD", SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE);
    timestamps(TS_NEW, "SO_TIMESTAMP_NEW", 1);
    names();
    mmsgs();
    return 0;
}
