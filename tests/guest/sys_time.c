/* ue-test: variants=all */
/* Clocks, sanity only: time() close to CLOCK_REALTIME and gettimeofday,
 * CLOCK_MONOTONIC never goes back and advances across a 20 ms nanosleep,
 * clock_getres, the 64-bit-time calls (clock_gettime64 403) and the old
 * 32-bit ones (clock_gettime 265, gettimeofday 78, time 13) agree, times()
 * and CLOCK_PROCESS_CPUTIME_ID are sane, invalid clock id gives EINVAL. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

int main(void)
{
    time_t t = time(NULL);
    struct timespec rt, m0, m1;
    clock_gettime(CLOCK_REALTIME, &rt);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("time ~ realtime: %d\n", rt.tv_sec - t <= 1 && rt.tv_sec >= t);
    printf("gettimeofday ~ realtime: %d\n", tv.tv_sec - rt.tv_sec <= 1 && tv.tv_sec >= rt.tv_sec);
    printf("after 2020: %d\n", t > 1577836800);
    clock_gettime(CLOCK_MONOTONIC, &m0);
    int back = 0;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &m1);
        if (ns(m1) < ns(m0))
            back = 1;
        m0 = m1;
    }
    printf("monotonic never goes back: %d\n", !back);
    struct timespec d = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &m0);
    printf("nanosleep: %d\n", nanosleep(&d, NULL));
    clock_gettime(CLOCK_MONOTONIC, &m1);
    int64_t el = ns(m1) - ns(m0);
    printf("slept >= 20ms: %d (< 5s: %d)\n", el >= 20000000, el < 5000000000LL);
    struct timespec res;
    int rr = clock_getres(CLOCK_MONOTONIC, &res);
    printf("getres monotonic: %d res<=1ms: %d\n", rr, res.tv_sec == 0 && res.tv_nsec <= 1000000);
    struct ts32 a;
    struct ts64 b;
    long r1 = syscall(265, CLOCK_REALTIME, &a);
    long r2 = syscall(403, CLOCK_REALTIME, &b);
    printf("clock_gettime32 %ld / 64 %ld agree: %d\n", r1, r2, b.sec - a.sec <= 1 && b.sec >= a.sec);
    struct { int32_t s, us; } tv32;
    long r3 = syscall(78, &tv32, NULL);
    printf("gettimeofday32 %ld agrees: %d\n", r3, tv32.s - a.sec <= 1 && tv32.s >= a.sec && tv32.us >= 0 && tv32.us < 1000000);
    int32_t t32 = 0;
    long r4 = syscall(13, &t32);
    printf("time(13) returns and stores the same: %d\n", r4 == t32 && t32 - a.sec <= 1);
    struct tms tm;
    clock_t c = times(&tm);
    printf("times: %d\n", c != (clock_t)-1);
    struct timespec cpu;
    rr = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    printf("process cputime: %d positive: %d\n", rr, ns(cpu) > 0);
    errno = 0;
    int r = clock_gettime(12345, &cpu);
    printf("bad clock: %d %s\n", r, strerrorname_np(errno));
    struct timespec boot;
    rr = clock_gettime(CLOCK_BOOTTIME, &boot);
    printf("boottime >= monotonic: %d\n", rr == 0 && ns(boot) >= ns(m1));
    return 0;
}
