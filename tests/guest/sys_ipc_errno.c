/* ue-test: variants=s2 d0 p2 */
/* System V IPC and POSIX message queues with bad arguments: which error
 * wins (msgsnd reads mtype before checking sizes; semop checks nsops before
 * the array; mq_open reads the attributes only with O_CREAT), what a
 * receive into a bad buffer does to the message, and the ctl calls' structs
 * at bad addresses, direct and through ipc(117). Results with errno names. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "errno_show.h"

/* the ctl calls go in raw: glibc converts their structs itself */
static uint8_t *pg;   /* two pages, the second inaccessible */
#define HOLE (pg + 4096)
#define IPC_64 0x100   /* the direct calls use the ipc64 layouts without it */
#define BAD ((void *)HOLE)

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static long qnum(int q)
{
    struct msqid_ds ds;
    return msgctl(q, IPC_STAT, &ds) ? -1 : (long)ds.msg_qnum;
}

static void msgs(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct { long type; char text[16]; } m = { 1, "hello" };
    SHOW("msgsnd bad buffer, size -1", msgsnd(q, BAD, -1, 0));
    SHOW("msgsnd bad id, bad buffer", msgsnd(-1, BAD, 4, 0));
    SHOW("msgsnd bad id", msgsnd(-1, &m, 4, 0));
    SHOW("msgsnd size -1", msgsnd(q, &m, -1, 0));
    SHOW("msgsnd size 1 GiB", msgsnd(q, &m, 1u << 30, 0));
    SHOW("msgsnd size 0x7fffffff, mtype 0", msgsnd(q, &(struct { long t; } ){ 0 }, 0x7fffffff, 0));
    long *t = (long *)(HOLE - sizeof(long));
    *t = 0;
    SHOW("msgsnd mtype 0, text in the hole", msgsnd(q, t, 4, 0));
    *t = 1;
    SHOW("msgsnd text in the hole", msgsnd(q, t, 4, 0));
    SHOW("msgsnd 0 bytes at the hole", msgsnd(q, t, 0, IPC_NOWAIT));
    SHOW("msgrcv it", msgrcv(q, &m, sizeof m.text, 0, IPC_NOWAIT));
    SHOW("msgrcv empty, bad buffer", msgrcv(q, BAD, 16, 0, IPC_NOWAIT));
    SHOW("msgrcv bad id, bad buffer", msgrcv(-1, BAD, 16, 0, IPC_NOWAIT));
    SHOW("msgrcv size -1", msgrcv(q, &m, -1, 0, IPC_NOWAIT));
    m.type = 1;
    msgsnd(q, &m, 6, 0);
    SHOW("msgrcv bad buffer", msgrcv(q, BAD, 16, 0, IPC_NOWAIT));
    printf("%-44s %ld\n", "  messages left", qnum(q));
    msgsnd(q, &m, 6, 0);
    SHOW("msgrcv text into the hole", msgrcv(q, t, 16, 0, IPC_NOWAIT));
    printf("%-44s %ld mtype %ld\n", "  messages left", qnum(q), *t);
    msgsnd(q, &m, 6, 0);
    SHOW("msgrcv 1 GiB buffer", msgrcv(q, &m, 1u << 30, 0, IPC_NOWAIT));
    SHOW("msgctl IPC_STAT bad buffer", syscall(SYS_msgctl, q, IPC_STAT, BAD));
    SHOW("msgctl IPC_SET bad buffer", syscall(SYS_msgctl, q, IPC_SET, BAD));
    SHOW("msgctl IPC_SET|IPC_64 bad buffer", syscall(SYS_msgctl, q, IPC_SET | IPC_64, BAD));
    SHOW("msgctl IPC_SET|IPC_64", syscall(SYS_msgctl, q, IPC_SET | IPC_64, pg));
    SHOW("msgctl bad id, IPC_SET bad buffer", syscall(SYS_msgctl, -1, IPC_SET, BAD));
    SHOW("msgctl IPC_INFO bad buffer", syscall(SYS_msgctl, q, IPC_INFO, BAD));
    /* the ipc(117) forms */
    SHOW("ipc MSGSND bad buffer", syscall(SYS_ipc, 11, q, 4, 0, BAD, 0));
    SHOW("ipc MSGRCV bad kludge", syscall(SYS_ipc, 12, q, 16, IPC_NOWAIT, BAD, 0));
    SHOW("ipc MSGRCV NULL kludge", syscall(SYS_ipc, 12, q, 16, IPC_NOWAIT, NULL, 0));
    SHOW("ipc MSGRCV size -1, bad kludge", syscall(SYS_ipc, 12, q, -1, IPC_NOWAIT, BAD, 0));
    SHOW("ipc MSGCTL IPC_STAT bad buffer", syscall(SYS_ipc, 14, q, IPC_STAT | 0x100, 0, BAD, 0));
    msgctl(q, IPC_RMID, NULL);
}

static void sems(void)
{
    int s = semget(IPC_PRIVATE, 3, 0600);
    struct sembuf op = { 0, 1, 0 };
    SHOW("semop nsops 0, bad array", semop(s, BAD, 0));
    SHOW("semop nsops 100000, bad array", semop(s, BAD, 100000));
    SHOW("semop bad id, bad array", semop(-1, BAD, 1));
    SHOW("semop bad array", semop(s, BAD, 1));
    struct sembuf *tail = (struct sembuf *)(HOLE - sizeof op);
    *tail = op;
    SHOW("semop 2nd op in the hole", semop(s, tail, 2));
    SHOW("semop", semop(s, tail, 1));
    struct { int64_t sec, nsec; } bad_ts = { 0, 2000000000 };   /* raw: glibc reads the timeout */
    SHOW("semtimedop bad timeout, bad id", syscall(SYS_semtimedop_time64, -1, &op, 1, BAD));
    SHOW("semtimedop nsec 2e9", syscall(SYS_semtimedop_time64, s, &op, 1, &bad_ts));
    SHOW("ipc SEMTIMEDOP bad timeout, bad id", syscall(SYS_ipc, 4, -1, 1, 0, &op, BAD));
    unsigned short vals[3] = { 4, 5, 6 };
    SHOW("semctl SETALL bad array", semctl(s, 0, SETALL, (union semun){ .array = BAD }));
    SHOW("semctl SETALL array into the hole", semctl(s, 0, SETALL, (union semun){ .array = (void *)(HOLE - 4) }));
    SHOW("semctl SETALL", semctl(s, 0, SETALL, (union semun){ .array = vals }));
    SHOW("semctl GETALL bad array", semctl(s, 0, GETALL, (union semun){ .array = BAD }));
    unsigned short *g = (unsigned short *)(HOLE - 4);
    SHOW("semctl GETALL into the hole", semctl(s, 0, GETALL, (union semun){ .array = g }));
    printf("%-44s %u %u\n", "  first two", g[0], g[1]);
    vals[1] = 40000;
    SHOW("semctl SETALL value 40000", semctl(s, 0, SETALL, (union semun){ .array = vals }));
    SHOW("semctl IPC_STAT bad buffer", syscall(SYS_semctl, s, 0, IPC_STAT, BAD));
    SHOW("semctl IPC_SET bad buffer", syscall(SYS_semctl, s, 0, IPC_SET, BAD));
    SHOW("semctl IPC_SET|IPC_64 bad buffer", syscall(SYS_semctl, s, 0, IPC_SET | IPC_64, BAD));
    SHOW("semctl IPC_SET|IPC_64", syscall(SYS_semctl, s, 0, IPC_SET | IPC_64, pg));
    SHOW("semctl SEM_INFO bad buffer", syscall(SYS_semctl, s, 0, SEM_INFO, BAD));
    SHOW("ipc SEMCTL bad semun pointer", syscall(SYS_ipc, 3, s, 0, GETVAL, BAD, 0));
    SHOW("ipc SEMOP bad array", syscall(SYS_ipc, 1, s, 1, 0, BAD, 0));
    semctl(s, 0, IPC_RMID);
}

static void shms(void)
{
    int id = shmget(IPC_PRIVATE, 4096, 0600);
    SHOW("shmctl IPC_STAT bad buffer", syscall(SYS_shmctl, id, IPC_STAT, BAD));
    SHOW("shmctl IPC_SET bad buffer", syscall(SYS_shmctl, id, IPC_SET, BAD));
    SHOW("shmctl bad id, IPC_SET bad buffer", syscall(SYS_shmctl, -1, IPC_SET, BAD));
    SHOW("shmctl IPC_INFO bad buffer", syscall(SYS_shmctl, id, IPC_INFO, BAD));
    SHOW("ipc SHMAT bad result pointer", syscall(SYS_ipc, 21, id, 0, (long)BAD, NULL, 0));
    shmctl(id, IPC_RMID, NULL);
}

static void mqs(void)
{
    char name[64];
    snprintf(name, sizeof name, "/ue-ipc-errno-%d", getpid());
    SHOW("mq_open bad name", syscall(SYS_mq_open, BAD, O_RDONLY, 0, NULL));
    SHOW("mq_open no O_CREAT, bad attr", syscall(SYS_mq_open, name + 1, O_RDONLY, 0, BAD));
    SHOW("mq_open O_CREAT, bad attr, bad name", syscall(SYS_mq_open, BAD, O_RDWR | O_CREAT, 0600, BAD));
    memset(pg, 'a', 4096);
    SHOW("mq_open name into the hole", syscall(SYS_mq_open, HOLE - 8, O_RDONLY, 0, NULL));
    SHOW("mq_open empty name", syscall(SYS_mq_open, "", O_RDONLY, 0, NULL));
    struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 8 };
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &at);
    if (q == (mqd_t)-1) { printf("mq_open: %s\n", strerrorname_np(errno)); return; }
    SHOW("mq_send prio 40000, bad buffer", mq_send(q, BAD, 4, 40000));
    SHOW("mq_send bad fd, bad buffer", mq_send(-1, BAD, 4, 0));
    SHOW("mq_send too long, bad buffer", mq_send(q, BAD, 9, 0));
    SHOW("mq_send bad buffer", mq_send(q, BAD, 4, 0));
    SHOW("mq_send across the hole", mq_send(q, (char *)HOLE - 2, 4, 0));
    SHOW("mq_timedsend bad timeout, bad fd", syscall(SYS_mq_timedsend, -1, "x", 1, 0, BAD));
    SHOW("mq_send", mq_send(q, "abcd", 4, 7));
    SHOW("mq_receive short buffer", mq_receive(q, (char *)pg, 4, NULL));
    unsigned prio = 0;
    SHOW("mq_receive bad prio", mq_receive(q, (char *)pg, 8, BAD));
    mq_send(q, "efgh", 4, 7);
    SHOW("mq_receive into the hole", mq_receive(q, (char *)HOLE - 2, 8, &prio));
    struct mq_attr now;
    mq_getattr(q, &now);
    printf("%-44s %ld\n", "  messages left", (long)now.mq_curmsgs);
    SHOW("mq_getsetattr bad new", syscall(SYS_mq_getsetattr, q, BAD, NULL));
    SHOW("mq_getsetattr bad old", syscall(SYS_mq_getsetattr, q, NULL, BAD));
    SHOW("mq_getsetattr bad fd, bad old", syscall(SYS_mq_getsetattr, -1, NULL, BAD));
    struct sigevent ev = { .sigev_notify = SIGEV_THREAD };
    ev.sigev_value.sival_ptr = BAD;
    SHOW("mq_notify SIGEV_THREAD, bad cookie", syscall(SYS_mq_notify, q, &ev));
    SHOW("mq_notify bad fd, bad cookie", syscall(SYS_mq_notify, -1, &ev));
    SHOW("mq_notify bad sigevent", syscall(SYS_mq_notify, q, BAD));
    mq_close(q);
    SHOW("mq_unlink bad name", syscall(SYS_mq_unlink, BAD));
    SHOW("mq_unlink", mq_unlink(name));
}

int main(void)
{
    pg = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(pg + 4096, 4096, PROT_NONE);   /* a hole no later mapping can fill */
    msgs();
    sems();
    shms();
    mqs();
    return 0;
}
