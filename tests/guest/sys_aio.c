/* ue-test: variants=s2 d0; timeout=10 */
/* Native AIO with raw system calls (no libaio): io_setup's context is the
 * ring's address (libaio reads its magic there) and shows in
 * /proc/self/maps; PWRITE/PREAD/PWRITEV/PREADV/FSYNC/POLL one at a time,
 * each event's obj and data; a cancelled POLL; the errors of each call in
 * the kernel's order (EFAULT for the iocb pointers, a read-only iocb,
 * a bad fd, reserved fields, bad opcodes, a bad buffer in the event);
 * io_pgetevents with a signal mask; io_destroy unmaps the ring. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "result_name.h"

#ifndef SYS_io_pgetevents
#define SYS_io_pgetevents 385
#endif

static long ret(long r) { return r < 0 ? -errno : r; }

static uint32_t ctx;   /* aio_context_t is 4 bytes on i386 */

static long setup(unsigned nr, void *p) { return ret(syscall(SYS_io_setup, nr, p)); }
static long submit(uint32_t c, long nr, struct iocb **v) { return ret(syscall(SYS_io_submit, c, nr, v)); }
static long getev(uint32_t c, long min, long nr, struct io_event *e, struct timespec *t)
{
    return ret(syscall(SYS_io_getevents, c, min, nr, e, t));
}

static int maps_has_aio(char *perm)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "[aio]")) { n++; sscanf(line, "%*s %4s", perm); }
    fclose(f);
    return n;
}

static void one(const char *what, struct iocb *cb)
{
    struct iocb *v[1] = { cb };
    cb->aio_key = 77;
    long r = submit(ctx, 1, v);
    printf("%s: submit %s key %u", what, en(r), cb->aio_key);
    if (r == 1) {
        struct io_event e;
        memset(&e, 0xee, sizeof e);
        r = getev(ctx, 1, 1, &e, NULL);
        printf(" getevents %s obj %s data %llx res %s res2 %lld", en(r),
               e.obj == (uintptr_t)cb ? "ok" : "WRONG", (unsigned long long)e.data,
               en((long)e.res), (long long)e.res2);
    }
    printf("\n");
}

static struct iocb mk(int op, int fd, void *buf, uint64_t n, int64_t off)
{
    struct iocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_lio_opcode = op;
    cb.aio_fildes = fd;
    cb.aio_buf = (uintptr_t)buf;
    cb.aio_nbytes = n;
    cb.aio_offset = off;
    cb.aio_data = 0x1234500000000ull + op;
    return cb;
}

int main(void)
{
    /* io_setup: the id word, then the count */
    uint32_t nz = 5;
    printf("setup NULL %s\n", en(setup(4, NULL)));
    printf("setup nonzero %s\n", en(setup(4, &nz)));
    printf("setup 0 events %s\n", en(setup(0, &ctx)));
    printf("setup INT_MAX %s\n", en(setup(0x7fffffff, &ctx)));
    char perm[8] = "";
    int before = maps_has_aio(perm);
    printf("setup %s\n", en(setup(4, &ctx)));
    const uint32_t *ring = (const uint32_t *)(uintptr_t)ctx;
    printf("ring magic %x header_length %u head %u tail %u\n", ring[4], ring[7], ring[2], ring[3]);
    int after = maps_has_aio(perm);
    printf("maps [aio]: %d more, %s\n", after - before, perm);

    int fd = open("aio.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char wbuf[64], rbuf[64] = "";
    strcpy(wbuf, "hello, asynchronous world");
    struct iocb cb = mk(IOCB_CMD_PWRITE, fd, wbuf, strlen(wbuf), 0);
    one("pwrite", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, sizeof rbuf, 7);
    one("pread", &cb);
    printf("read back \"%s\"\n", rbuf);
    char a[6] = "ABCDE", b[4] = "xyz";
    struct iovec wv[2] = { { a, 5 }, { b, 3 } };
    cb = mk(IOCB_CMD_PWRITEV, fd, wv, 2, 30);
    one("pwritev", &cb);
    char r1[4] = "", r2[8] = "";
    struct iovec rv[2] = { { r1, 3 }, { r2, 7 } };
    cb = mk(IOCB_CMD_PREADV, fd, rv, 2, 28);
    one("preadv", &cb);
    printf("preadv got \"%.3s\" \"%.7s\"\n", r1, r2);
    cb = mk(IOCB_CMD_FSYNC, fd, NULL, 0, 0);
    one("fsync", &cb);
    cb = mk(IOCB_CMD_FDSYNC, fd, NULL, 0, 0);
    one("fdsync", &cb);

    /* errors in submission order */
    cb = mk(IOCB_CMD_PREAD, 999, rbuf, 4, 0);
    one("bad fd", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, 4, 0);
    cb.aio_reserved2 = 1;
    one("reserved2", &cb);
    cb = mk(IOCB_CMD_NOOP, fd, NULL, 0, 0);
    one("noop", &cb);
    cb = mk(42, fd, NULL, 0, 0);
    one("opcode 42", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, (uint64_t)-1, 0);
    one("negative nbytes", &cb);
    cb = mk(IOCB_CMD_FSYNC, fd, rbuf, 0, 0);
    one("fsync with buf", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, (void *)16, 4, 0);
    one("pread bad buf", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, 4, 0);
    cb.aio_buf |= 1ull << 40;
    one("pread buf above 4G", &cb);
    struct iovec badv[2] = { { r1, 3 }, { r2, (size_t)-5 } };
    cb = mk(IOCB_CMD_PREADV, fd, badv, 2, 0);
    one("preadv negative len", &cb);
    cb = mk(IOCB_CMD_PREADV, fd, rv, 2000, 0);
    one("preadv 2000 vecs", &cb);
    cb = mk(IOCB_CMD_PREADV, fd, (void *)16, 2, 0);
    one("preadv bad vec", &cb);
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, 4, 0);
    cb.aio_rw_flags = 0x40000000;
    one("bad rw_flags", &cb);

    /* a read-only iocb: the fd first, then EFAULT from the key */
    char *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iocb *rocb = (struct iocb *)ro;
    *rocb = mk(IOCB_CMD_PREAD, 999, rbuf, 4, 0);
    mprotect(ro, 4096, PROT_READ);
    struct iocb *v1[2] = { rocb, &cb };
    printf("ro iocb bad fd: %s\n", en(submit(ctx, 1, v1)));
    mprotect(ro, 4096, PROT_READ | PROT_WRITE);
    rocb->aio_fildes = fd;
    mprotect(ro, 4096, PROT_READ);
    printf("ro iocb: %s\n", en(submit(ctx, 1, v1)));
    munmap(ro, 4096);

    /* io_submit's own checks */
    printf("submit nr -1 %s\n", en(submit(ctx, -1, v1)));
    printf("submit bad ctx %s\n", en(submit(ctx + 4096, 1, v1)));
    printf("submit ctx 0 %s\n", en(submit(0, 1, v1)));
    printf("submit nr 0 %s\n", en(submit(ctx, 0, NULL)));
    printf("submit NULL vector %s\n", en(submit(ctx, 1, NULL)));
    struct iocb *vn[2] = { NULL, NULL };
    printf("submit NULL iocb %s\n", en(submit(ctx, 1, vn)));
    /* the second iocb fails: the count of the first */
    struct iocb good = mk(IOCB_CMD_PREAD, fd, rbuf, 4, 0), bad = mk(IOCB_CMD_PREAD, 999, rbuf, 4, 0);
    struct iocb *v2[2] = { &good, &bad };
    printf("submit good+bad %s\n", en(submit(ctx, 2, v2)));
    struct io_event ev[4];
    long n = getev(ctx, 1, 4, ev, NULL);
    printf("getevents %s obj %s data %llx\n", en(n), ev[0].obj == (uintptr_t)&good ? "ok" : "WRONG", (unsigned long long)ev[0].data);

    /* io_getevents */
    struct timespec zero = { 0, 0 };
    printf("getevents empty %s\n", en(getev(ctx, 0, 4, ev, &zero)));
    printf("getevents min>nr %s\n", en(getev(ctx, 3, 2, ev, &zero)));
    printf("getevents min<0 %s\n", en(getev(ctx, -1, 2, ev, &zero)));
    printf("getevents bad ctx %s\n", en(getev(ctx + 4096, 0, 2, ev, &zero)));
    printf("getevents bad timeout %s\n", en(getev(ctx, 0, 2, ev, (void *)16)));
    struct timespec bad_ts = { 0, 2000000000 };
    printf("getevents nsec 2e9 %s\n", en(getev(ctx, 0, 2, ev, &bad_ts)));
    struct timespec short_ts = { 0, 1000000 };
    printf("getevents 1 ms %s\n", en(getev(ctx, 1, 2, ev, &short_ts)));

    /* a poll request waits; io_cancel takes it back */
    int pfd[2];
    pipe(pfd);
    struct iocb pc = mk(IOCB_CMD_POLL, pfd[0], (void *)(uintptr_t)POLLIN, 0, 0);
    struct iocb *vp[1] = { &pc };
    printf("poll submit %s\n", en(submit(ctx, 1, vp)));
    printf("getevents none yet %s\n", en(getev(ctx, 0, 4, ev, &zero)));
    struct io_event dummy;
    printf("cancel bad ctx %s\n", en(ret(syscall(SYS_io_cancel, ctx + 4096, &pc, &dummy))));
    printf("cancel other iocb %s\n", en(ret(syscall(SYS_io_cancel, ctx, &good, &dummy))));
    good.aio_key = 3;
    printf("cancel key 3 %s\n", en(ret(syscall(SYS_io_cancel, ctx, &good, &dummy))));
    printf("cancel NULL %s\n", en(ret(syscall(SYS_io_cancel, ctx, NULL, &dummy))));
    printf("cancel poll %s\n", en(ret(syscall(SYS_io_cancel, ctx, &pc, &dummy))));
    long r = getev(ctx, 1, 4, ev, NULL);
    printf("getevents after cancel %s obj %s res %s\n", en(r), ev[0].obj == (uintptr_t)&pc ? "ok" : "WRONG", en((long)ev[0].res));
    /* a poll that completes */
    printf("poll submit %s\n", en(submit(ctx, 1, vp)));
    write(pfd[1], "x", 1);
    r = getev(ctx, 1, 4, ev, NULL);
    printf("poll event %s obj %s res %llx\n", en(r), ev[0].obj == (uintptr_t)&pc ? "ok" : "WRONG", (unsigned long long)ev[0].res);

    /* io_pgetevents: the sigset argument */
    struct { uint32_t mask, size; } us = { 0, 8 };
    uint64_t set = 1ull << (SIGUSR1 - 1);
    us.mask = (uintptr_t)&set;
    printf("pgetevents %s\n", en(ret(syscall(SYS_io_pgetevents, ctx, 0, 4, ev, &zero, &us))));
    us.size = 16;
    printf("pgetevents size 16 %s\n", en(ret(syscall(SYS_io_pgetevents, ctx, 0, 4, ev, &zero, &us))));
    us.mask = 16;
    us.size = 8;
    printf("pgetevents bad mask %s\n", en(ret(syscall(SYS_io_pgetevents, ctx, 0, 4, ev, &zero, &us))));
    printf("pgetevents bad usig %s\n", en(ret(syscall(SYS_io_pgetevents, ctx, 0, 4, ev, &zero, (void *)16))));
    us.mask = 0;
    us.size = 99;
    printf("pgetevents NULL mask %s\n", en(ret(syscall(SYS_io_pgetevents, ctx, 0, 4, ev, &zero, &us))));
    cb = mk(IOCB_CMD_PREAD, fd, rbuf, 5, 0);
    struct iocb *vr[1] = { &cb };
    submit(ctx, 1, vr);
    us.mask = (uintptr_t)&set;
    us.size = 8;
    r = ret(syscall(SYS_io_pgetevents, ctx, 1, 4, ev, NULL, &us));
    printf("pgetevents one %s obj %s res %s\n", en(r), ev[0].obj == (uintptr_t)&cb ? "ok" : "WRONG", en((long)ev[0].res));

    /* a second context, then io_destroy of both */
    uint32_t ctx2 = 0;
    printf("setup 2 %s differs %d\n", en(setup(1, &ctx2)), ctx2 != ctx);
    printf("maps [aio]: %d more\n", maps_has_aio(perm) - before);
    printf("destroy %s\n", en(ret(syscall(SYS_io_destroy, ctx))));
    printf("destroy again %s\n", en(ret(syscall(SYS_io_destroy, ctx))));
    printf("submit destroyed %s\n", en(submit(ctx, 1, vr)));
    printf("destroy 2 %s\n", en(ret(syscall(SYS_io_destroy, ctx2))));
    printf("destroy 0 %s\n", en(ret(syscall(SYS_io_destroy, 0))));
    printf("maps [aio]: %d more\n", maps_has_aio(perm) - before);
    /* the ring's place is free again: a new mapping there works */
    void *m = mmap((void *)(uintptr_t)ctx, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("map at old ring %s\n", m == (void *)(uintptr_t)ctx ? "ok" : strerror(errno));
    close(fd);
    unlink("aio.dat");
    return 0;
}
