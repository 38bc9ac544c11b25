/* ue-test: variants=s2 d0; ldflags=-lpthread; timeout=10 */
/* futex_waitv, futex_wake, futex_wait and futex_requeue (the futex2 calls):
 * wake-ups between threads on guest words (a waiter of futex_waitv woken on
 * its second futex returns that index), timeouts on both clocks, a value
 * mismatch, and each call's errors in kernel/futex/syscalls.c's order. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "result_name.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_PRIVATE 128
#endif
#define NR_futex_waitv 449
#define NR_futex_wake 454
#define NR_futex_wait 455
#define NR_futex_requeue 456

struct ts64 { int64_t sec, nsec; };

static long R(long r) { return r < 0 ? -errno : r; }

static uint32_t f1, f2, f3;
static volatile int ready;

static long waitv(struct futex_waitv *w, unsigned n, unsigned flags, struct ts64 *t, int clk)
{
    return R(syscall(NR_futex_waitv, w, n, flags, t, clk));
}

static void *waiter(void *arg)
{
    struct futex_waitv w[2] = {
        { .val = 0, .uaddr = (uintptr_t)&f1, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
        { .val = 0, .uaddr = (uintptr_t)&f2, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
    };
    __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
    long r = waitv(w, 2, 0, NULL, 0);
    return (void *)r;
}

static void *waiter2(void *arg)
{
    __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
    long r = R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, NULL, 0));
    return (void *)r;
}

/* wake until one waiter is woken (the waiter may not have slept yet) */
static long wake_one(uint32_t *f)
{
    for (int i = 0; i < 2000; i++) {
        long n = R(syscall(NR_futex_wake, f, 0xffffffff, 1, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE));
        if (n) return n;
        usleep(1000);
    }
    return 0;
}

int main(void)
{
    struct futex_waitv w[2] = {
        { .val = 0, .uaddr = (uintptr_t)&f1, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
        { .val = 0, .uaddr = (uintptr_t)&f2, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
    };
    struct ts64 past = { 0, 0 }, bad = { 0, 2000000000 };
    /* a timeout in the past: ETIMEDOUT (absolute, on either clock) */
    printf("waitv mono past %s\n", en(waitv(w, 2, 0, &past, CLOCK_MONOTONIC)));
    printf("waitv real past %s\n", en(waitv(w, 2, 0, &past, CLOCK_REALTIME)));
    /* errors, in order */
    printf("waitv flags %s\n", en(waitv(w, 2, 1, &past, CLOCK_MONOTONIC)));
    printf("waitv nr 0 %s\n", en(waitv(w, 0, 0, &past, CLOCK_MONOTONIC)));
    printf("waitv nr 129 %s\n", en(waitv(w, 129, 0, &past, CLOCK_MONOTONIC)));
    printf("waitv NULL %s\n", en(waitv(NULL, 2, 0, &past, CLOCK_MONOTONIC)));
    printf("waitv clock %s\n", en(waitv(w, 2, 0, &past, CLOCK_BOOTTIME)));
    printf("waitv bad clock bad ts %s\n", en(waitv(w, 2, 0, (void *)16, CLOCK_BOOTTIME)));
    printf("waitv bad ts %s\n", en(waitv(w, 2, 0, (void *)16, CLOCK_MONOTONIC)));
    printf("waitv nsec 2e9 %s\n", en(waitv(w, 2, 0, &bad, CLOCK_MONOTONIC)));
    printf("waitv bad array %s\n", en(waitv((void *)16, 2, 0, &past, CLOCK_MONOTONIC)));
    struct ts64 padded = { 0, 0x7fffffff00000000ll };   /* compat callers' nsec padding is ignored */
    printf("waitv padded nsec %s\n", en(waitv(w, 2, 0, &padded, CLOCK_MONOTONIC)));
    f2 = 5;
    printf("waitv value differs %s\n", en(waitv(w, 2, 0, &past, CLOCK_MONOTONIC)));
    f2 = 0;
    struct futex_waitv wb[1] = { { .val = 0, .uaddr = (uintptr_t)&f1, .flags = 0 } };
    printf("waitv size 8 %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].flags = FUTEX2_SIZE_U32 | 0x1000;
    printf("waitv unknown flag %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].flags = FUTEX2_SIZE_U32;
    wb[0].__reserved = 1;
    printf("waitv reserved %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].__reserved = 0;
    wb[0].val = 1ull << 32;
    printf("waitv val > 32 bits %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].val = 0;
    wb[0].uaddr = (uintptr_t)&f1 + 1;
    printf("waitv unaligned %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].uaddr = 16;
    printf("waitv unmapped word %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));
    wb[0].uaddr = (uintptr_t)&f1 | 1ull << 36;
    printf("waitv word above 4G %s\n", en(waitv(wb, 1, 0, &past, CLOCK_MONOTONIC)));

    /* a thread waits on two futexes; waking the second returns index 1 */
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) usleep(1000);
    printf("wake f2 %s\n", en(wake_one(&f2)));
    void *res;
    pthread_join(t, &res);
    printf("waiter got %s\n", en((long)res));

    /* futex_wait / futex_wake */
    ready = 0;
    pthread_create(&t, NULL, waiter2, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) usleep(1000);
    printf("wake f3 %s\n", en(wake_one(&f3)));
    pthread_join(t, &res);
    printf("wait got %s\n", en((long)res));
    struct ts64 rel = { 0, 1000000 };
    printf("wait absolute past %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, FUTEX2_SIZE_U32, &past, CLOCK_MONOTONIC))));
    printf("wait value differs %s\n", en(R(syscall(NR_futex_wait, &f3, 7, 0xffffffff, FUTEX2_SIZE_U32, &rel, CLOCK_MONOTONIC))));
    printf("wait bad flags %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, 0x1000 | FUTEX2_SIZE_U32, NULL, 0))));
    printf("wait size 64 %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, 3, NULL, 0))));
    printf("wait mask 0 %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0, FUTEX2_SIZE_U32, NULL, 0))));
    printf("wait bad clock %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, FUTEX2_SIZE_U32, &past, 7))));
    printf("wait bad ts %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, FUTEX2_SIZE_U32, (void *)16, CLOCK_MONOTONIC))));
    printf("wait bad clock bad ts %s\n", en(R(syscall(NR_futex_wait, &f3, 0, 0xffffffff, FUTEX2_SIZE_U32, (void *)16, 7))));
    printf("wait unmapped %s\n", en(R(syscall(NR_futex_wait, (void *)16, 0, 0xffffffff, FUTEX2_SIZE_U32, NULL, 0))));
    printf("wait unaligned %s\n", en(R(syscall(NR_futex_wait, (char *)&f3 + 2, 0, 0xffffffff, FUTEX2_SIZE_U32, NULL, 0))));
    printf("wake nobody %s\n", en(R(syscall(NR_futex_wake, &f3, 0xffffffff, 1, FUTEX2_SIZE_U32))));
    printf("wake bad flags %s\n", en(R(syscall(NR_futex_wake, &f3, 0xffffffff, 1, 0x1000))));
    printf("wake unmapped %s\n", en(R(syscall(NR_futex_wake, (void *)16, 0xffffffff, 1, FUTEX2_SIZE_U32))));
    printf("wake mask 0 %s\n", en(R(syscall(NR_futex_wake, &f3, 0, 1, FUTEX2_SIZE_U32))));

    /* futex_requeue */
    struct futex_waitv rq[2] = {
        { .val = 0, .uaddr = (uintptr_t)&f1, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
        { .val = 0, .uaddr = (uintptr_t)&f2, .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE },
    };
    printf("requeue %s\n", en(R(syscall(NR_futex_requeue, rq, 0, 1, 1))));
    printf("requeue flags %s\n", en(R(syscall(NR_futex_requeue, rq, 1, 1, 1))));
    printf("requeue NULL %s\n", en(R(syscall(NR_futex_requeue, NULL, 0, 1, 1))));
    printf("requeue unmapped %s\n", en(R(syscall(NR_futex_requeue, (void *)16, 0, 1, 1))));
    rq[0].val = 9;
    printf("requeue value differs %s\n", en(R(syscall(NR_futex_requeue, rq, 0, 1, 1))));
    rq[0].val = 0;
    rq[1].flags = FUTEX2_SIZE_U32;
    printf("requeue mixed private %s\n", en(R(syscall(NR_futex_requeue, rq, 0, 1, 1))));
    printf("requeue negative %s\n", en(R(syscall(NR_futex_requeue, rq, 0, -1, 1))));
    return 0;
}
