/* Helpers for the memcheck tests (see run.sh and README.md). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include "ue.h"

/* Under a checker (ue --memcheck or valgrind)? The undefined behaviour a
 * checker must catch (double frees...) only runs there: natively glibc
 * would abort, and the native run is the oracle for stdout and status. */
#define MC_CHECKED() (RUNNING_ON_VALGRIND || UE_RUNNING())

/* A number for the source's "value" lines: NAME=V appended to $MC_VALUES. */
static void mc_value(const char *name, long v)
{
    const char *path = getenv("MC_VALUES");
    char line[128];
    if (!path)
        return;
    int n = snprintf(line, sizeof line, "%s=%ld\n", name, v);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        if (write(fd, line, n) != n)
            abort();
        close(fd);
    }
}

/* Unbuffered stdout: stdio then allocates nothing, so no C library block is
 * left at exit. */
static void mc_start(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
}

/* Overwrites the dead frames earlier calls left below the stack pointer, so
 * no stale copy of a pointer there keeps a block from counting as lost. */
__attribute__((noipa)) static void mc_scrub_stack(void)
{
    volatile char junk[2048];
    for (int i = 0; i < (int)sizeof junk; i++)
        junk[i] = 0;
}
