/* Memory for bad-pointer tests: an anonymous arena of a read-only page, a
 * writable one and a hole, and a shared file mapping that runs past the end
 * of its file (touching the page past EOF is SIGBUS). */
#ifndef BAD_ARENA_H
#define BAD_ARENA_H

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Three pages: [0] read-only, [1] read-write ending in "abcd" with no NUL
 * before [2], which is unmapped. */
static char *bad_arena(void)
{
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 2 * 4096, 4096);
    memcpy(m + 2 * 4096 - 4, "abcd", 4);
    mprotect(m, 4096, PROT_READ);
    return m;
}

/* Creates path as a file of size bytes and maps two pages of it shared and
 * writable; the open fd goes to *fdp. NULL if the file cannot be sized. */
static char *past_eof_map(const char *path, long size, int *fdp)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    *fdp = fd;
    if (ftruncate(fd, size)) return NULL;
    return mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

#endif
