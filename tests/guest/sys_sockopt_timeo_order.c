/* ue-test: variants=s2 d0 */
/* setsockopt(SOL_SOCKET, SO_RCVTIMEO_OLD / SO_SNDTIMEO_OLD) with an i386
 * timeval: sk_setsockopt first needs an int (a length under 4 is EINVAL,
 * an unreadable int EFAULT), and only then does the option want a whole
 * 8-byte timeval (EINVAL for 4 to 7 bytes, EFAULT when its second half
 * cannot be read). ue judged the timeval's length first. Found by the sys
 * fuzzer: setsockopt(fd, SOL_SOCKET, 20, unmapped, 7), EFAULT natively. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return 1;
    uint8_t *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED || munmap(page + 4096, 4096)) return 1;
    int32_t *half = (int32_t *)(page + 4096 - 4);   /* tv_sec readable, tv_usec unmapped */
    int32_t *good = (int32_t *)page;
    good[0] = 2;
    good[1] = 500000;
    *half = 1;
    static const int opts[] = { 20, 21 };   /* SO_RCVTIMEO_OLD, SO_SNDTIMEO_OLD on i386 */
    static const int lens[] = { 0, 3, 4, 7, 8, 9, 100, -1 };
    for (int o = 0; o < 2; o++) {
        for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            errno = 0;
            long r1 = syscall(SYS_setsockopt, sv[0], SOL_SOCKET, opts[o], page + 4096, lens[l]);
            int e1 = errno;
            errno = 0;
            long r2 = syscall(SYS_setsockopt, sv[0], SOL_SOCKET, opts[o], half, lens[l]);
            int e2 = errno;
            errno = 0;
            long r3 = syscall(SYS_setsockopt, sv[0], SOL_SOCKET, opts[o], good, lens[l]);
            printf("opt %d len %4d: unmapped %ld %s, half readable %ld %s, readable %ld %s\n", opts[o], lens[l],
                   r1, r1 ? strerrorname_np(e1) : "", r2, r2 ? strerrorname_np(e2) : "", r3,
                   r3 ? strerrorname_np(errno) : "");
        }
        int32_t back[2] = { -1, -1 };
        socklen_t bl = sizeof back;
        long r = syscall(SYS_getsockopt, sv[0], SOL_SOCKET, opts[o], back, &bl);
        printf("opt %d read back: %ld, %d s %d us, length %u\n", opts[o], r, back[0], back[1], (unsigned)bl);
    }
    errno = 0;
    long r = syscall(SYS_setsockopt, 1000, SOL_SOCKET, 20, page + 4096, 7);
    printf("bad fd: %ld %s\n", r, strerrorname_np(errno));
    errno = 0;
    r = syscall(SYS_setsockopt, 0, SOL_SOCKET, 20, page + 4096, 7);
    printf("fd 0: %ld %s\n", r, strerrorname_np(errno));
    return 0;
}
