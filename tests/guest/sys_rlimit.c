/* ue-test: variants=s2 d0 p2 */
/* Resource limits: getrlimit/setrlimit round trip (lowering NOFILE then
 * opening past it gives EMFILE), the three i386 ABIs (old getrlimit 76 clamps
 * infinity to 0x7fffffff, ugetrlimit 191 gives 0xffffffff, prlimit64 340 the
 * 64-bit value), RLIMIT_CORE as the harness set it (0), EINVAL for a bad
 * resource and for cur > max. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    struct rlimit r;
    getrlimit(RLIMIT_CORE, &r);
    printf("core: cur=%lu\n", (unsigned long)r.rlim_cur);
    getrlimit(RLIMIT_NOFILE, &r);
    struct rlimit lower = {16, r.rlim_max};
    printf("set nofile 16: %d\n", setrlimit(RLIMIT_NOFILE, &lower));
    struct rlimit back;
    getrlimit(RLIMIT_NOFILE, &back);
    printf("nofile now: %lu\n", (unsigned long)back.rlim_cur);
    int n = 0, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    printf("opened %d more, then %s\n", n, strerrorname_np(errno));
    for (int i = 3; i < 16; i++)
        close(i);
    setrlimit(RLIMIT_NOFILE, &r);

    /* RLIMIT_FSIZE set to known values first, so the output does not depend on the caller. */
    struct rlimit fs = {RLIM_INFINITY, RLIM_INFINITY};
    printf("set fsize inf: %d\n", setrlimit(RLIMIT_FSIZE, &fs));
    uint32_t old[2] = {1, 1}, u[2] = {1, 1};
    long a = syscall(76, RLIMIT_FSIZE, old);
    long b = syscall(191, RLIMIT_FSIZE, u);
    uint64_t p64[2] = {1, 1};
    long c = syscall(340, 0, RLIMIT_FSIZE, NULL, p64);
    printf("old getrlimit: %ld %08x %08x\n", a, old[0], old[1]);
    printf("ugetrlimit: %ld %08x %08x\n", b, u[0], u[1]);
    printf("prlimit64: %ld %016llx %016llx\n", c, (unsigned long long)p64[0], (unsigned long long)p64[1]);
    struct rlimit fs2 = {1 << 20, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &fs2);
    b = syscall(191, RLIMIT_FSIZE, u);
    printf("ugetrlimit after setting 1 MiB: %ld %08x %08x\n", b, u[0], u[1]);
    uint64_t nw[2] = {2 << 20, ~0ull};
    c = syscall(340, 0, RLIMIT_FSIZE, nw, p64);
    printf("prlimit64 set, old value: %ld %llx\n", c, (unsigned long long)p64[0]);
    getrlimit(RLIMIT_FSIZE, &fs);
    printf("fsize now: %lu\n", (unsigned long)fs.rlim_cur);
    errno = 0;
    long e = syscall(191, 999, u);
    printf("bad resource: %ld %s\n", e, strerrorname_np(errno));
    struct rlimit bad = {10, 5};
    errno = 0;
    int rr = setrlimit(RLIMIT_NOFILE, &bad);
    printf("cur > max: %d %s\n", rr, strerrorname_np(errno));
    return 0;
}
