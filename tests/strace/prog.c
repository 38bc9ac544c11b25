/* The calls whose buffers --strace prints from the syscall table's memory
 * letters: data in (write, pwrite64), data out after the call with the
 * result's length (read, pread64, readlink), strings with every escape,
 * the 32-byte cut, empty and failed calls; ioctl requests by name, or
 * decoded as _IOC(...) when unknown. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
    char buf[64];
    int p[2];
    write(1, "plain\n", 6);
    static const char esc[] = "quote\" back\\ tab\t nl\n cr\r bell\a nul\0 hi\x80\xff\n";
    write(1, esc, sizeof esc - 1);
    write(1, "", 0);
    if (pipe(p)) return 1;
    write(p[1], "0123456789abcdefghijklmnopqrstuvwxyzABCDEF", 42);
    read(p[0], buf, sizeof buf);
    write(p[1], "short", 5);
    read(p[0], buf, 3);
    read(p[0], buf, 0);
    int n;
    ioctl(p[0], FIONREAD, &n);
    ioctl(p[0], TCGETS, buf);
    ioctl(p[0], TIOCGWINSZ, buf);
    ioctl(-1, TCGETS, buf);
    ioctl(p[0], 0x4C82);             /* LOOP_CTL_GET_FREE */
    ioctl(p[0], 0x80041272, buf);    /* BLKGETSIZE64 */
    ioctl(p[0], 0x80046601, buf);    /* FS_IOC32_GETFLAGS */
    ioctl(p[0], 0x8933, buf);        /* SIOCGIFINDEX */
    ioctl(p[0], 0xb703);             /* NS_GET_NSTYPE */
    ioctl(p[0], _IOR('z', 1, int), buf);
    ioctl(p[0], _IOWR('z', 3, char[12]), buf);
    ioctl(p[0], _IO('z', 2), 7);
    read(-1, buf, 8);
    int fd = open("strace-test.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    pwrite(fd, "at offset 3", 11, 3);
    pread(fd, buf, 20, 0);
    close(fd);
    unlink("strace-test.tmp");
    readlink("/proc/self/cwd/..", buf, 5);
    readlink("/nonexistent", buf, sizeof buf);
    symlink("a-link-target-that-is-longer-than-thirty-two-bytes", "strace-link.tmp");
    readlink("strace-link.tmp", buf, sizeof buf);
    readlink("strace-link.tmp", buf, 4);
    unlink("strace-link.tmp");
    return 0;
}
