/* ue-test: variants=all */
/* File I/O: open flags (O_CREAT O_EXCL O_TRUNC O_APPEND), read/write, lseek
 * (SET CUR END, past the end, holes read as zeros), _llseek beyond 4 GiB
 * (offset only), pread/pwrite (file offset unchanged), readv/writev, ftruncate,
 * O_RDONLY write fails with EBADF, close twice fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(x) do { long _r = (long)(x); printf("%-48s = %ld%s%s\n", #x, _r, _r < 0 ? " errno=" : "", _r < 0 ? strerror(errno) : ""); } while (0)

int main(void)
{
    char buf[256];
    int fd = open("f.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("open ok: %d\n", fd >= 3);
    CHECK(write(fd, "hello world\n", 12));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 6, SEEK_SET));
    CHECK(read(fd, buf, 5));
    printf("read: %.5s\n", buf);
    CHECK(lseek(fd, -3, SEEK_END));
    CHECK(read(fd, buf, 100));
    CHECK(read(fd, buf, 100));
    CHECK(lseek(fd, 100, SEEK_SET));
    CHECK(write(fd, "X", 1));
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(pread(fd, buf, 10, 95));
    printf("hole bytes: %02x %02x %02x %02x %02x %c\n", buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(pwrite(fd, "WORLD", 5, 6));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(pread(fd, buf, 12, 0));
    printf("after pwrite: %.12s", buf);
    struct iovec iov[3] = {{"abc", 3}, {"", 0}, {"defgh\n", 6}};
    CHECK(lseek(fd, 0, SEEK_SET));
    CHECK(writev(fd, iov, 3));
    char a[4] = {0}, b[8] = {0};
    struct iovec rv[2] = {{a, 3}, {b, 7}};
    CHECK(lseek(fd, 0, SEEK_SET));
    CHECK(readv(fd, rv, 2));
    printf("readv: [%s] [%.7s]\n", a, b);
    CHECK(ftruncate(fd, 4));
    struct stat st;
    fstat(fd, &st);
    printf("size after ftruncate: %ld\n", (long)st.st_size);
    /* 64-bit offsets through _llseek (off64_t lseek in glibc) */
    off64_t big = lseek64(fd, 5LL << 30, SEEK_SET);
    printf("lseek64 to 5 GiB: %lld\n", (long long)big);
    off_t small = lseek(fd, 0, SEEK_CUR);
    printf("32-bit lseek at 5 GiB: %ld errno=%s\n", (long)small, small < 0 ? strerror(errno) : "-");
    CHECK(close(fd));
    CHECK(close(fd));
    CHECK(open("f.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
    fd = open("f.txt", O_WRONLY | O_APPEND);
    CHECK(lseek(fd, 0, SEEK_SET));
    CHECK(write(fd, "++", 2));
    CHECK(lseek(fd, 0, SEEK_CUR));
    close(fd);
    fd = open("f.txt", O_RDONLY);
    CHECK(write(fd, "x", 1));
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf));
    printf("content: [%s]\n", buf);
    close(fd);
    CHECK(unlink("f.txt"));
    return 0;
}
