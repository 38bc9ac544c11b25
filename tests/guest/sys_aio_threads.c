/* ue-test: variants=s2 d0; ldflags=-lpthread; timeout=10 */
/* Native AIO across threads: a thread blocks in io_getevents while the main
 * thread submits POLL requests on pipes and writes to them; each event
 * names its own iocb and data. A fork child has its own (no) contexts. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_name.h"

#define N 8
static uint32_t ctx;
static struct iocb cbs[N];
static int pipes[N][2];

static void *reaper(void *arg)
{
    int seen = 0;
    while (seen < N) {
        struct io_event ev[N];
        long r = syscall(SYS_io_getevents, ctx, 1, N, ev, NULL);
        if (r < 0) { printf("getevents %s\n", en(-errno)); return NULL; }
        for (long k = 0; k < r; k++) {
            struct iocb *cb = (struct iocb *)(uintptr_t)ev[k].obj;
            printf("event: iocb %ld data %llu res %llx\n", (long)(cb - cbs), (unsigned long long)ev[k].data,
                   (unsigned long long)ev[k].res);
            fflush(stdout);
        }
        seen += (int)r;
    }
    return NULL;
}

int main(void)
{
    long r = syscall(SYS_io_setup, 16, &ctx);
    printf("setup %s\n", en(r < 0 ? -errno : r));
    pthread_t t;
    pthread_create(&t, NULL, reaper, NULL);
    for (int i = 0; i < N; i++) {
        pipe(pipes[i]);
        memset(&cbs[i], 0, sizeof cbs[i]);
        cbs[i].aio_lio_opcode = IOCB_CMD_POLL;
        cbs[i].aio_fildes = pipes[i][0];
        cbs[i].aio_buf = POLLIN;
        cbs[i].aio_data = 1000 + i;
        struct iocb *v[1] = { &cbs[i] };
        r = syscall(SYS_io_submit, ctx, 1, v);
        if (r != 1) printf("submit %d: %s\n", i, en(r < 0 ? -errno : r));
    }
    /* each write completes its poll at once: the ring holds the events in
     * the order of the writes, however the reaper is scheduled */
    for (int i = N - 1; i >= 0; i--) write(pipes[i][1], "x", 1);
    pthread_join(t, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct iocb *v[1] = { &cbs[0] };
        r = syscall(SYS_io_submit, ctx, 1, v);
        printf("child submit on the parent's context %s\n", en(r < 0 ? -errno : r));
        r = syscall(SYS_io_destroy, ctx);
        printf("child destroy %s\n", en(r < 0 ? -errno : r));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    r = syscall(SYS_io_destroy, ctx);
    printf("destroy %s\n", en(r < 0 ? -errno : r));
    return 0;
}
