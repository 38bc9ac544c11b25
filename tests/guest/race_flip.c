/* ue-test: variants=s2 d0 */
/* A second thread flips a value that sizes something while the main thread
 * makes the call thousands of times: cmsg_len (16 <-> 0x4000, 16 <-> 8) and
 * msg_controllen (16 <-> 0x4000) under sendmsg SCM_RIGHTS, iov_len under
 * sendmsg/recvmsg/writev, the receive controllen under recvmsg, semop's
 * sem_num and msgsnd's mtype. Every call's result must be one that either
 * value gives (the kernel reads each value once, or checks again); the test
 * prints "ok" per phase or the first unexpected outcome. A double fetch in
 * the emulator overflows its heap or copies gigabytes (a crash differs). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define ITERS 20000

struct flip { volatile uint32_t *word; uint32_t a, b; volatile int stop; };

static void *flipper(void *arg)
{
    struct flip *f = arg;
    while (!f->stop) {
        __atomic_store_n(f->word, f->a, __ATOMIC_RELAXED);
        __atomic_store_n(f->word, f->b, __ATOMIC_RELAXED);
    }
    return NULL;
}

static pthread_t th;
static struct flip fl;

static void flip_start(volatile uint32_t *word, uint32_t a, uint32_t b)
{
    fl = (struct flip){ word, a, b, 0 };
    pthread_create(&th, NULL, flipper, &fl);
}

static void flip_stop(void)
{
    fl.stop = 1;
    pthread_join(th, NULL);
}

/* the first unexpected outcome of a phase, or "ok" */
static char bad[160];
static void outcome(const char *fmt, long r, int e)
{
    if (!bad[0]) snprintf(bad, sizeof bad, fmt, r, strerrorname_np(e));
}
static void phase_end(const char *name)
{
    printf("%s: %s\n", name, bad[0] ? bad : "ok");
    bad[0] = 0;
}

/* a control buffer far larger than any cmsg_len used, so every length the
 * flipper writes stays inside memory the test owns */
static union { struct cmsghdr align; uint8_t b[0x8000]; } ctl;
static char data[16] = "hello";

/* drain one datagram, closing any fd it carried; returns the fd count */
static int drain(int s)
{
    union { struct cmsghdr align; uint8_t b[64]; } rc;
    char buf[16];
    struct iovec iov = { buf, sizeof buf };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = rc.b, .msg_controllen = sizeof rc.b };
    if (recvmsg(s, &m, MSG_DONTWAIT) < 0) return -1;
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            for (size_t k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++, n++)
                close(((int *)CMSG_DATA(c))[k]);
    return n;
}

/* sendmsg of m (5 bytes, control in ctl: one SCM_RIGHTS fd) while word flips */
static void send_flipping(const char *name, int sv[2], struct msghdr *m, volatile uint32_t *word, uint32_t a,
                          uint32_t b)
{
    memset(ctl.b, 0, sizeof ctl.b);
    struct cmsghdr *c = (struct cmsghdr *)ctl.b;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
    flip_start(word, a, b);
    for (int i = 0; i < ITERS; i++) {
        errno = 0;
        long r = sendmsg(sv[0], m, MSG_DONTWAIT);
        if (r == 5) {
            int n = drain(sv[1]);
            if (n != 1) outcome("sent, then %ld fds received%s", n, 0);
        } else if (!(r < 0 && errno == EINVAL)) {
            outcome("sendmsg %ld %s", r, errno);
        }
    }
    flip_stop();
    phase_end(name);
}

/* the same with the msghdr here, its msg_controllen controllen */
static void send_phase(const char *name, int sv[2], volatile uint32_t *word, uint32_t a, uint32_t b,
                       uint32_t controllen)
{
    struct iovec iov = { data, 5 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = controllen };
    send_flipping(name, sv, &m, word, a, b);
}

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) { perror("socketpair"); return 1; }
    struct cmsghdr *c = (struct cmsghdr *)ctl.b;

    send_phase("sendmsg cmsg_len 16/0x4000", sv, (volatile uint32_t *)&c->cmsg_len, 16, 0x4000, 16);
    send_phase("sendmsg cmsg_len 16/8", sv, (volatile uint32_t *)&c->cmsg_len, 16, 8, 16);
    {
        /* msg_controllen lives in the msghdr the call reads */
        struct iovec iov = { data, 5 };
        static struct msghdr m;
        m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = 16 };
        send_flipping("sendmsg msg_controllen 16/0x4000", sv, &m, (volatile uint32_t *)&m.msg_controllen, 16, 0x4000);
    }
    {
        /* iov_len under sendmsg: 5 or 3 bytes, or EINVAL for a negative length */
        static struct iovec iov;
        iov = (struct iovec){ data, 3 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
        flip_start((volatile uint32_t *)&iov.iov_len, 3, 0xffffffff);
        for (int i = 0; i < ITERS; i++) {
            errno = 0;
            long r = sendmsg(sv[0], &m, MSG_DONTWAIT);
            char buf[16];
            long g = r > 0 ? recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) : r;
            if (r == 3) {
                if (g != 3) outcome("sent 3, received %ld %s", g, errno);
            } else if (!(r < 0 && errno == EINVAL)) {
                outcome("sendmsg %ld %s", r, errno);
            }
        }
        flip_stop();
        phase_end("sendmsg iov_len 3/-1");
    }
    {
        /* recvmsg: iov_len 5 or 2 (MSG_TRUNC), controllen room for the fd or not (MSG_CTRUNC) */
        static struct iovec iov;
        static struct msghdr m;
        union { struct cmsghdr align; uint8_t b[0x100]; } rc;
        char buf[16];
        for (int which = 0; which < 2; which++) {
            iov = (struct iovec){ buf, 5 };
            m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = rc.b, .msg_controllen = sizeof rc.b };
            flip_start(which ? (volatile uint32_t *)&m.msg_controllen : (volatile uint32_t *)&iov.iov_len,
                       which ? 8 : 2, which ? 0x4000 : 5);
            for (int i = 0; i < ITERS; i++) {
                struct iovec siov = { data, 5 };
                union { struct cmsghdr align; uint8_t b[CMSG_SPACE(sizeof(int))]; } sc;
                struct msghdr sm = { .msg_iov = &siov, .msg_iovlen = 1, .msg_control = sc.b, .msg_controllen = sizeof sc.b };
                struct cmsghdr *h = CMSG_FIRSTHDR(&sm);
                h->cmsg_len = CMSG_LEN(sizeof(int));
                h->cmsg_level = SOL_SOCKET;
                h->cmsg_type = SCM_RIGHTS;
                memcpy(CMSG_DATA(h), &sv[0], sizeof(int));
                if (sendmsg(sv[0], &sm, MSG_DONTWAIT) != 5) { outcome("send %ld %s", -1, errno); break; }
                if (!which) m.msg_controllen = sizeof rc.b;   /* the call wrote back what it used */
                memset(rc.b, 0, sizeof rc.b);
                errno = 0;
                long r = recvmsg(sv[1], &m, MSG_DONTWAIT);
                /* the flipper rewrites msg_controllen: look at the buffer itself */
                int fds = 0;
                h = (struct cmsghdr *)rc.b;
                if (r > 0 && h->cmsg_len == CMSG_LEN(sizeof(int)) && h->cmsg_type == SCM_RIGHTS) {
                    close(*(int *)CMSG_DATA(h));
                    fds = 1;
                }
                int ok = which ? (r == 5 && ((fds == 1 && !(m.msg_flags & MSG_CTRUNC)) ||
                                             (fds == 0 && (m.msg_flags & MSG_CTRUNC))))
                               : ((r == 5 && !(m.msg_flags & MSG_TRUNC)) || (r == 2 && (m.msg_flags & MSG_TRUNC)));
                if (!ok) outcome("recvmsg %ld %s", r, errno);
            }
            flip_stop();
            phase_end(which ? "recvmsg msg_controllen 8/0x4000" : "recvmsg iov_len 2/5");
        }
    }
    {
        /* writev to a pipe: 3 or 5 bytes */
        int p[2];
        if (pipe(p)) { perror("pipe"); return 1; }
        static struct iovec iov;
        iov = (struct iovec){ data, 5 };
        flip_start((volatile uint32_t *)&iov.iov_len, 3, 5);
        for (int i = 0; i < ITERS; i++) {
            errno = 0;
            long r = writev(p[1], &iov, 1);
            char buf[16];
            if (r == 3 || r == 5) {
                long g = read(p[0], buf, sizeof buf);
                if (g != r) outcome("wrote, read %ld %s", g, errno);
            } else {
                outcome("writev %ld %s", r, errno);
            }
        }
        flip_stop();
        close(p[0]), close(p[1]);
        phase_end("writev iov_len 3/5");
    }
    {
        /* semop: sem_num 0 (a wait-for-zero that succeeds) or 7 (EFBIG) */
        int id = semget(IPC_PRIVATE, 1, 0600);
        if (id < 0) { perror("semget"); return 1; }
        static struct sembuf op __attribute__((aligned(4)));
        op = (struct sembuf){ 0, 0, IPC_NOWAIT };
        flip_start((volatile uint32_t *)&op, 0, 7);   /* sem_num and sem_op share the word */
        for (int i = 0; i < ITERS; i++) {
            errno = 0;
            long r = semop(id, &op, 1);
            if (!(r == 0 || (r < 0 && errno == EFBIG))) outcome("semop %ld %s", r, errno);
        }
        flip_stop();
        semctl(id, 0, IPC_RMID);
        phase_end("semop sem_num 0/7");
    }
    {
        /* msgsnd: mtype 1 (sent, received) or 0 (EINVAL) */
        int id = msgget(IPC_PRIVATE, 0600);
        if (id < 0) { perror("msgget"); return 1; }
        static struct { long mtype; char text[8]; } msg;
        msg.mtype = 1;
        memcpy(msg.text, "abcd", 4);
        flip_start((volatile uint32_t *)&msg.mtype, 1, 0);
        for (int i = 0; i < ITERS; i++) {
            errno = 0;
            long r = msgsnd(id, &msg, 4, IPC_NOWAIT);
            if (r == 0) {
                struct { long mtype; char text[8]; } in;
                long g = msgrcv(id, &in, sizeof in.text, 0, IPC_NOWAIT);
                if (g != 4 || in.mtype != 1) outcome("sent, received %ld %s", g, errno);
            } else if (!(r < 0 && errno == EINVAL)) {
                outcome("msgsnd %ld %s", r, errno);
            }
        }
        flip_stop();
        msgctl(id, IPC_RMID, NULL);
        phase_end("msgsnd mtype 1/0");
    }
    /* every fd passed around was closed again */
    int fd = dup(0);
    printf("next fd: %d\n", fd);
    return 0;
}
