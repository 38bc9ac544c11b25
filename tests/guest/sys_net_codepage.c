/* ue-test: variants=s2 d0 p2 */
/* Receiving into a page that holds code which has already run: a tiny
 * function "mov $imm, %eax; ret" in an RWX page is called, then recv,
 * recvfrom, recvmsg, getsockopt, getsockname, accept's address, msgrcv and
 * mq_timedreceive write into it (over its immediate, or beside it), and it
 * is called again: the calls succeed, nothing is lost from the socket, and
 * the new code runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#define SHOW_WIDTH 28
#include "errno_show.h"

static uint8_t *page;

/* "mov $v, %eax; ret" at off */
static void put_fn(int off, uint32_t v)
{
    page[off] = 0xb8;
    memcpy(page + off + 1, &v, 4);
    page[off + 5] = 0xc3;
}

static uint32_t call(int off)
{
    return ((uint32_t (*)(void))(page + off))();
}

int main(void)
{
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) { perror("mmap"); return 1; }
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);

    put_fn(0, 0x11111111);
    printf("before: %#x\n", call(0));
    uint32_t v = 0x22222222;
    send(sv[0], &v, 4, 0);
    SHOW("recv into code", recv(sv[1], page + 1, 4, 0));
    printf("after recv: %#x\n", call(0));

    v = 0x33333333;
    send(sv[0], &v, 4, 0);
    SHOW("recvfrom into code", recvfrom(sv[1], page + 1, 4, 0, NULL, NULL));
    printf("after recvfrom: %#x\n", call(0));

    v = 0x44444444;
    send(sv[0], &v, 4, 0);
    struct iovec iov = { page + 1, 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    SHOW("recvmsg into code", recvmsg(sv[1], &m, 0));
    printf("after recvmsg: %#x\n", call(0));

    /* the option value, its length word and the sockaddr all in the code page */
    put_fn(0x40, 0);
    printf("before getsockopt: %#x\n", call(0x40));
    socklen_t *lenp = (socklen_t *)(page + 0x80);
    *lenp = 4;
    call(0);   /* the page holds decoded code again */
    SHOW("getsockopt SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, page + 0x41, lenp));
    printf("len %u, after getsockopt: %#x\n", *lenp, call(0x40));
    *lenp = 64;
    call(0);
    SHOW("getsockname", getsockname(sv[0], (struct sockaddr *)(page + 0x100), lenp));
    printf("len %u family %u\n", *lenp, *(uint16_t *)(page + 0x100));

    /* accept writes the peer address into the code page */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { AF_UNIX, "" };
    snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "ue-codepage-%d", getpid());
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 1);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, alen);
    *lenp = 64;
    call(0);
    int fd = accept(l, (struct sockaddr *)(page + 0x100), lenp);
    printf("accept %s len %u family %u\n", fd >= 0 ? "ok" : strerrorname_np(errno), *lenp,
           *(uint16_t *)(page + 0x100));
    close(fd), close(c), close(l);

    /* System V and POSIX message queues: the message is a whole new function */
    static const uint8_t fn6[8] = { 0xb8, 0x66, 0x66, 0x66, 0x66, 0xc3 };
    static const uint8_t fn7[8] = { 0xb8, 0x77, 0x77, 0x77, 0x77, 0xc3 };
    put_fn(0x200, 0x55555555);
    printf("before msgrcv: %#x\n", call(0x200));
    int q = msgget(IPC_PRIVATE, 0600);
    struct { long type; uint8_t text[8]; } msg = { 1 };
    memcpy(msg.text, fn6, sizeof fn6);
    msgsnd(q, &msg, sizeof fn6, 0);
    SHOW("msgrcv into code", msgrcv(q, page + 0x200 - sizeof(long), sizeof fn6, 0, 0));
    printf("after msgrcv: %#x\n", call(0x200));
    msgctl(q, IPC_RMID, NULL);

    char name[64];
    snprintf(name, sizeof name, "/ue-codepage-%d", getpid());
    struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 8 };
    mqd_t mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
    if (mq == (mqd_t)-1) { printf("mq_open %s\n", strerrorname_np(errno)); return 0; }
    mq_unlink(name);
    mq_send(mq, (const char *)fn7, 8, 3);
    call(0x200);
    SHOW("mq_receive into code", mq_receive(mq, (char *)page + 0x200, 8, (unsigned *)(page + 0x300)));
    printf("after mq_receive: %#x prio %u\n", call(0x200), *(unsigned *)(page + 0x300));
    mq_close(mq);
    return 0;
}
