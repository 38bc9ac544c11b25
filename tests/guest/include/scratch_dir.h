/* Removing a test's scratch directory: every entry in it is unlinked (read
 * with raw getdents64, so the listing does not depend on libc), then the
 * directory itself. */
#ifndef SCRATCH_DIR_H
#define SCRATCH_DIR_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void scratch_dir_remove(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    static char buf[8192];
    long n;
    while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long pos = 0; pos < n;) {
            uint16_t reclen;
            memcpy(&reclen, buf + pos + 16, 2);   /* d_reclen; d_name at 19 */
            const char *name = buf + pos + 19;
            if (strcmp(name, ".") && strcmp(name, ".."))
                unlinkat(fd, name, 0);
            pos += reclen;
        }
    }
    if (fd >= 0) close(fd);
    rmdir(dir);
}

#endif
