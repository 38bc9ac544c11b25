/* ue-test: variants=s2 d0 p2 */
/* System V IPC: a private shm segment attached twice (both addresses see the
 * same bytes), shared with a forked child, IPC_STAT fields, shmdt then the
 * address is unmapped (mincore ENOMEM, SIGSEGV on access); semaphores:
 * SETALL/GETALL/GETVAL, semop with IPC_NOWAIT and EAGAIN, a child blocked in
 * semop woken by the parent; message queues: mtype selection, ENOMSG,
 * MSG_NOERROR truncation, E2BIG, IPC_STAT qnum/qbytes; the ipc(117)
 * multiplexer for SHMGET/SHMAT/SHMDT/SHMCTL, SEMGET/SEMOP/SEMCTL,
 * MSGGET/MSGSND/MSGRCV/MSGCTL; EFAULT on bad pointers. Everything is removed. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

/* the result and errno of one call (errno read after the call) */
#define SHOW(what, expr) do { errno = 0; long r_ = (expr); printf("%s: %ld %s\n", what, r_, strerror(errno)); } while (0)

static sigjmp_buf jb;
static void on_segv(int s) { siglongjmp(jb, 1); }

static void check(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: ok\n", what);
}

/* touch one byte: 1 when it faults */
static int faults(volatile char *p)
{
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, &old);
    int f = 0;
    if (sigsetjmp(jb, 1)) f = 1;
    else (void)*p;
    sigaction(SIGSEGV, &old, NULL);
    return f;
}

static void test_shm(void)
{
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    check("shmget", id);
    char *a = shmat(id, NULL, 0), *b = shmat(id, NULL, 0);
    printf("attached: %d %d distinct %d\n", a != (void *)-1, b != (void *)-1, a != b);
    /* removed at once (still usable while attached): a crash leaves nothing behind */
    check("IPC_RMID", shmctl(id, IPC_RMID, NULL));
    strcpy(a, "hello shm");
    printf("b sees: %s\n", b);
    b[9999] = 'z';
    printf("a sees last byte: %c\n", a[9999]);

    struct shmid_ds ds;
    check("IPC_STAT", shmctl(id, IPC_STAT, &ds));
    printf("segsz %zu nattch %lu mode %o\n", ds.shm_segsz, (unsigned long)ds.shm_nattch,
           (unsigned)ds.shm_perm.mode & 0777);

    pid_t pid = fork();
    if (pid == 0) {
        printf("child sees: %s\n", a);
        fflush(stdout);
        strcpy(b + 100, "from child");
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("parent sees: %s\n", a + 100);

    char *r = shmat(id, NULL, SHM_RDONLY);
    printf("rdonly reads: %s\n", r + 100);
    {
        struct sigaction sa = {0}, old;
        sa.sa_handler = on_segv;
        sigaction(SIGSEGV, &sa, &old);
        int f = 0;
        if (sigsetjmp(jb, 1)) f = 1;
        else *(volatile char *)r = 'x';
        sigaction(SIGSEGV, &old, NULL);
        printf("rdonly write faults: %d\n", f);
    }
    check("shmdt rdonly", shmdt(r));

    /* attach at a fixed address, with SHM_RND rounding */
    char *fixed = mmap(NULL, 3 * 4096 * 4, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(fixed, 3 * 4096 * 4);
    char *f2 = shmat(id, fixed + 5, SHM_RND);
    printf("SHM_RND address rounded: %d\n", f2 == fixed);
    printf("fixed sees: %s\n", f2);
    errno = 0;
    printf("unaligned without SHM_RND: %s\n", shmat(id, fixed + 4096 * 8 + 5, 0) == (void *)-1 ? strerror(errno) : "ok");
    printf("overlap without SHM_REMAP: %s\n", shmat(id, fixed, 0) == (void *)-1 ? strerror(errno) : "ok");
    check("shmdt fixed", shmdt(f2));

    check("shmdt a", shmdt(a));
    unsigned char vec[3];
    errno = 0;
    SHOW("mincore after shmdt", mincore(a, 4096, vec));
    printf("access after shmdt faults: %d\n", faults(a));
    printf("b still sees: %s\n", b);
    int rr = shmdt(a);
    printf("shmdt again: %d %s\n", rr, strerror(errno));
    rr = shmdt(b + 1);
    printf("shmdt unaligned: %d %s\n", rr, strerror(errno));
    check("IPC_STAT", shmctl(id, IPC_STAT, &ds));
    printf("nattch now %lu\n", (unsigned long)ds.shm_nattch);
    check("shmdt b", shmdt(b));
    errno = 0;
    SHOW("IPC_STAT bad ptr", syscall(SYS_shmctl, id, IPC_STAT | 0x100, 16));
    errno = 0;
    printf("shmat removed: %s\n", shmat(id, NULL, 0) == (void *)-1 ? strerror(errno) : "ok");
}

static void test_sem(void)
{
    int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    check("semget", id);
    unsigned short set[2] = {3, 7}, get[2] = {0, 0};
    union semun u;
    u.array = set;
    check("SETALL", semctl(id, 0, SETALL, u));
    u.array = get;
    check("GETALL", semctl(id, 0, GETALL, u));
    printf("GETALL %d %d GETVAL %d %d\n", get[0], get[1], semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
    struct semid_ds ds;
    u.buf = &ds;
    check("IPC_STAT", semctl(id, 0, IPC_STAT, u));
    printf("nsems %lu mode %o\n", (unsigned long)ds.sem_nsems, (unsigned)ds.sem_perm.mode & 0777);

    struct sembuf ops[2] = {{0, -3, IPC_NOWAIT}, {1, 2, 0}};
    check("semop", semop(id, ops, 2));
    printf("vals %d %d\n", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
    struct sembuf dec = {0, -1, IPC_NOWAIT};
    errno = 0;
    SHOW("semop would block", semop(id, &dec, 1));
    struct timespec ts = {0, 20 * 1000 * 1000};
    struct sembuf dec2 = {0, -1, 0};
    errno = 0;
    SHOW("semtimedop timeout", semtimedop(id, &dec2, 1, &ts));

    int pfd[2];
    pipe(pfd);
    pid_t pid = fork();
    if (pid == 0) {
        struct sembuf w = {0, -1, 0};
        write(pfd[1], "r", 1);
        int r = semop(id, &w, 1);
        printf("child woke: %d val %d\n", r, semctl(id, 0, GETVAL));
        fflush(stdout);
        _exit(0);
    }
    char c;
    read(pfd[0], &c, 1);
    /* wait until the child is really waiting */
    for (int i = 0; i < 500 && semctl(id, 0, GETNCNT) < 1; i++) usleep(2000);
    printf("ncnt %d\n", semctl(id, 0, GETNCNT));
    struct sembuf inc = {0, 1, 0};
    long woke = semop(id, &inc, 1);
    int st;
    waitpid(pid, &st, 0);
    check("semop wake", woke);
    printf("child status %d\n", WEXITSTATUS(st));
    close(pfd[0]);
    close(pfd[1]);

    u.val = 42;
    check("SETVAL", semctl(id, 1, SETVAL, u));
    printf("GETVAL 1 = %d\n", semctl(id, 1, GETVAL));
    errno = 0;
    SHOW("semop bad ptr", semop(id, (void *)16, 1));
    check("IPC_RMID", semctl(id, 0, IPC_RMID));
    errno = 0;
    SHOW("GETVAL removed", semctl(id, 0, GETVAL));
}

struct msg { long mtype; char text[32]; };

static void test_msg(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    check("msgget", id);
    struct msg m = {1, "one"};
    check("msgsnd 1", msgsnd(id, &m, 4, 0));
    m.mtype = 2; strcpy(m.text, "two");
    check("msgsnd 2", msgsnd(id, &m, 4, 0));
    m.mtype = 3; strcpy(m.text, "three, long text");
    check("msgsnd 3", msgsnd(id, &m, 17, 0));
    struct msqid_ds ds;
    check("IPC_STAT", msgctl(id, IPC_STAT, &ds));
    printf("qnum %lu cbytes %lu qbytes>0 %d mode %o\n", (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, ds.msg_qbytes > 0, (unsigned)ds.msg_perm.mode & 0777);

    struct msg r;
    memset(&r, 0, sizeof r);
    long n = msgrcv(id, &r, sizeof r.text, 2, 0);
    printf("rcv type 2: %ld %ld %s\n", n, r.mtype, r.text);
    errno = 0;
    n = msgrcv(id, &r, sizeof r.text, 7, IPC_NOWAIT);
    printf("rcv type 7: %ld %s\n", n, strerror(errno));
    errno = 0;
    n = msgrcv(id, &r, 5, 3, IPC_NOWAIT);
    printf("rcv too small: %ld %s\n", n, strerror(errno));
    memset(&r, 0, sizeof r);
    n = msgrcv(id, &r, 5, 3, MSG_NOERROR);
    printf("rcv truncated: %ld %ld %.5s\n", n, r.mtype, r.text);
    memset(&r, 0, sizeof r);
    n = msgrcv(id, &r, sizeof r.text, -5, 0);
    printf("rcv <=5: %ld %ld %s\n", n, r.mtype, r.text);
    m.mtype = 0;
    errno = 0;
    SHOW("msgsnd mtype 0", msgsnd(id, &m, 4, 0));
    errno = 0;
    SHOW("msgsnd bad ptr", msgsnd(id, (void *)16, 4, 0));

    /* a child blocked in msgrcv, woken by a message */
    pid_t pid = fork();
    if (pid == 0) {
        struct msg c;
        memset(&c, 0, sizeof c);
        long k = msgrcv(id, &c, sizeof c.text, 9, 0);
        printf("child got %ld %ld %s\n", k, c.mtype, c.text);
        fflush(stdout);
        _exit(0);
    }
    usleep(20000);
    m.mtype = 9; strcpy(m.text, "nine");
    long sent = msgsnd(id, &m, 5, 0);
    int st;
    waitpid(pid, &st, 0);
    check("msgsnd 9", sent);

    ds.msg_qbytes = 4096;
    check("IPC_SET", msgctl(id, IPC_SET, &ds));
    check("IPC_STAT", msgctl(id, IPC_STAT, &ds));
    printf("qnum %lu qbytes %lu\n", (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_qbytes);
    check("IPC_RMID", msgctl(id, IPC_RMID, NULL));
}

/* the i386 ipc(117) multiplexer, called directly */
#define IPCCALL(call, a, b, c, p, f) syscall(117, (call), (a), (b), (c), (p), (f))
static void test_multiplexer(void)
{
    int id = IPCCALL(23, IPC_PRIVATE, 8192, IPC_CREAT | 0600, 0, 0);   /* SHMGET */
    check("ipc SHMGET", id);
    unsigned long addr = 0;
    check("ipc SHMAT", IPCCALL(21, id, 0, &addr, NULL, 0));
    check("ipc SHMCTL IPC_RMID", IPCCALL(24, id, IPC_RMID, 0, NULL, 0));
    char *p = (char *)addr;
    strcpy(p, "via ipc");
    char *q = shmat(id, NULL, 0);
    printf("shmat sees: %s\n", q);
    struct shmid_ds ds;
    check("ipc SHMCTL IPC_STAT|IPC_64", IPCCALL(24, id, IPC_STAT | 0x100, 0, &ds, 0));
    printf("segsz %zu nattch %lu\n", ds.shm_segsz, (unsigned long)ds.shm_nattch);
    struct { int key; unsigned short uid, gid, cuid, cgid, mode, seq; int segsz, atime, dtime, ctime;
             unsigned short cpid, lpid, nattch, unused; unsigned u2, u3; } old;
    check("ipc SHMCTL IPC_STAT old", IPCCALL(24, id, IPC_STAT, 0, &old, 0));
    printf("old: segsz %d nattch %d mode %o\n", old.segsz, old.nattch, old.mode & 0777);
    SHOW("direct shmctl IPC_STAT|IPC_64", syscall(SYS_shmctl, id, IPC_STAT | 0x100, &ds));
    SHOW("direct shmctl IPC_STAT", syscall(SYS_shmctl, id, IPC_STAT, &ds));
    check("ipc SHMDT", IPCCALL(22, 0, 0, 0, p, 0));
    printf("after ipc SHMDT faults: %d\n", faults(p));
    shmdt(q);

    int sid = IPCCALL(2, IPC_PRIVATE, 1, IPC_CREAT | 0600, 0, 0);     /* SEMGET */
    check("ipc SEMGET", sid);
    struct sembuf up = {0, 5, 0}, down = {0, -2, IPC_NOWAIT};
    check("ipc SEMOP up", IPCCALL(1, sid, 1, 0, &up, 0));
    check("ipc SEMOP down", IPCCALL(1, sid, 1, 0, &down, 0));
    int semarg = 0;
    printf("ipc SEMCTL GETVAL: %ld\n", IPCCALL(3, sid, 0, GETVAL, &semarg, 0));
    struct sembuf big = {0, -10, IPC_NOWAIT};
    errno = 0;
    SHOW("ipc SEMOP EAGAIN", IPCCALL(1, sid, 1, 0, &big, 0));
    struct semid_ds sds;
    SHOW("direct semctl IPC_STAT|IPC_64 is id", syscall(SYS_semctl, sid, 0, IPC_STAT | 0x100, &sds) == sid);
    printf("nsems %lu\n", (unsigned long)sds.sem_nsems);
    SHOW("direct semctl GETVAL|IPC_64", syscall(SYS_semctl, sid, 0, GETVAL | 0x100, 0));
    check("ipc SEMCTL IPC_RMID", IPCCALL(3, sid, 0, IPC_RMID, &semarg, 0));

    int mid = IPCCALL(13, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0);    /* MSGGET */
    check("ipc MSGGET", mid);
    struct msg m = {5, "five"};
    check("ipc MSGSND", IPCCALL(11, mid, 5, 0, &m, 0));
    struct msg r;
    memset(&r, 0, sizeof r);
    struct { void *msgp; long msgtyp; } kludge = {&r, 5};
    long n = IPCCALL(12, mid, sizeof r.text, 0, &kludge, 0);
    printf("ipc MSGRCV v0: %ld %ld %s\n", n, r.mtype, r.text);
    check("ipc MSGSND", IPCCALL(11, mid, 5, 0, &m, 0));
    memset(&r, 0, sizeof r);
    n = IPCCALL(12 | 1 << 16, mid, sizeof r.text, 0, &r, 5);
    printf("ipc MSGRCV v1: %ld %ld %s\n", n, r.mtype, r.text);
    struct msqid_ds mds;
    check("ipc MSGCTL IPC_STAT|IPC_64", IPCCALL(14, mid, IPC_STAT | 0x100, 0, &mds, 0));
    printf("qnum %lu\n", (unsigned long)mds.msg_qnum);
    SHOW("direct msgctl IPC_STAT|IPC_64 is id", syscall(SYS_msgctl, mid, IPC_STAT | 0x100, &mds) == mid);
    SHOW("direct msgctl IPC_RMID|IPC_64", syscall(SYS_msgctl, mid, IPC_RMID | 0x100, 0));
    check("ipc MSGCTL IPC_RMID", IPCCALL(14, mid, IPC_RMID, 0, NULL, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_shm();
    test_sem();
    test_msg();
    test_multiplexer();
    return 0;
}
