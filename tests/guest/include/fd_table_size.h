/* The size of the process's fd table (FDSize in /proc/self/status), where
 * the kernel caps select's n; 64 if it cannot be read. */
#ifndef FD_TABLE_SIZE_H
#define FD_TABLE_SIZE_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd_table_size(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    const char *f = strstr(buf, "FDSize:");
    return f ? atoi(f + 7) : 64;
}

#endif
