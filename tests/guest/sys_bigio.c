/* ue-test: variants=s2 d0 p2 */
/* Large I/O: 6 MiB through a pipe between a child writer and the parent
 * (short reads and writes are normal), then 6 MiB to a file in odd-sized
 * chunks, read back in other chunk sizes and checksummed, plus one 3 MiB
 * single read and write. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#define TOTAL (6u << 20)

static uint8_t byte_at(uint32_t i) { return (uint8_t)(i * 2654435761u >> 24); }

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    static uint8_t buf[1 << 16];
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        uint32_t off = 0;
        while (off < TOTAL) {
            uint32_t n = 1 + (off * 7 % 60000);
            if (n > TOTAL - off)
                n = TOTAL - off;
            for (uint32_t i = 0; i < n; i++)
                buf[i] = byte_at(off + i);
            uint32_t done = 0;
            while (done < n) {
                ssize_t w = write(p[1], buf + done, n - done);
                if (w <= 0)
                    _exit(1);
                done += w;
            }
            off += n;
        }
        _exit(0);
    }
    close(p[1]);
    uint32_t h = 2166136261u, got = 0, bad = 0;
    ssize_t r;
    while ((r = read(p[0], buf, 40000)) > 0) {
        for (ssize_t i = 0; i < r; i++)
            if (buf[i] != byte_at(got + i))
                bad++;
        h = fnv(h, buf, r);
        got += r;
    }
    int st;
    waitpid(c, &st, 0);
    printf("pipe: %u bytes, %u bad, hash %08x, writer status %d\n", got, bad, h, WEXITSTATUS(st));

    int fd = open("big.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    uint32_t off = 0;
    while (off < TOTAL) {
        uint32_t n = 4093;
        if (n > TOTAL - off)
            n = TOTAL - off;
        for (uint32_t i = 0; i < n; i++)
            buf[i] = byte_at(off + i);
        write(fd, buf, n);
        off += n;
    }
    lseek(fd, 0, SEEK_SET);
    h = 2166136261u;
    got = 0;
    while ((r = read(fd, buf, 65536)) > 0) {
        h = fnv(h, buf, r);
        got += r;
    }
    printf("file: %u bytes, hash %08x\n", got, h);
    uint8_t *big = malloc(3u << 20);
    lseek(fd, 1000, SEEK_SET);
    r = read(fd, big, 3u << 20);
    printf("one 3 MiB read: %ld, hash %08x\n", (long)r, fnv(2166136261u, big, r));
    lseek(fd, 0, SEEK_SET);
    r = write(fd, big, 3u << 20);
    printf("one 3 MiB write: %ld\n", (long)r);
    close(fd);
    unlink("big.bin");
    return 0;
}
