/* System-call heavy: small writes and reads through a pipe, writes to
 * /dev/null, stat/fstat/lseek/getppid in a loop.  Measures the cost of a
 * guest system call round trip. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
    long iters = arg_count(argc, argv, 100000);
    int p[2];
    if (pipe(p) != 0) {
        perror("pipe");
        return 1;
    }
    int null = open("/dev/null", O_WRONLY);
    if (null < 0) {
        perror("/dev/null");
        return 1;
    }
    char buf[64];
    for (int i = 0; i < 64; i++)
        buf[i] = (char)i;
    uint32_t h = MIX_INIT, moved = 0, modes = 0;
    pid_t parent = getppid();
    for (long i = 0; i < iters; i++) {
        size_t n = 1 + (size_t)i % 64;
        if (write(p[1], buf, n) != (ssize_t)n || read(p[0], buf, n) != (ssize_t)n)
            return 1;
        moved += (uint32_t)n;
        if (write(null, buf, n) != (ssize_t)n)
            return 1;
        struct stat st;
        if (stat("/dev/null", &st) != 0 || fstat(p[0], &st) != 0)
            return 1;
        modes += S_ISFIFO(st.st_mode);
        if (lseek(null, 0, SEEK_SET) < 0 || getppid() != parent)
            return 1;
    }
    printf("bytes through the pipe: %u, fifo fstats: %u\n", moved, modes);
    print_checksum(mix32(mix32(h, moved), modes));
    return 0;
}
