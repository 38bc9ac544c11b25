/* ue-test: variants=s2 d2 */
/* The READ_IMPLIES_EXEC personality: set, it survives execve, and the
 * program's later readable mappings (mmap and mprotect) become executable,
 * as /proc/self/maps shows; mprotect past the top of the address space
 * changes the mapped part, then fails with ENOMEM. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <unistd.h>

/* The permission string of the maps line starting at p. */
static void show_perms(const char *what, void *p)
{
    char want[32], line[512];
    snprintf(want, sizeof want, "%08lx-", (unsigned long)p);
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, want, strlen(want))) {
            printf("%s: %.4s\n", what, line + 18);
            fclose(f);
            return;
        }
    if (f) fclose(f);
    printf("%s: not found\n", what);
}

static void probe(const char *who)
{
    printf("%s: READ_IMPLIES_EXEC %s\n", who, personality(0xffffffff) & READ_IMPLIES_EXEC ? "set" : "clear");
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_perms("mmap rw", a);
    mprotect(a + 4096, 4096, PROT_READ);
    show_perms("mprotect r", a + 4096);
    mprotect(a + 8192, 4096, PROT_NONE);
    show_perms("mprotect none", a + 8192);
    munmap(a, 3 * 4096);
}

int main(int argc, char **argv)
{
    if (argc > 1) { probe("child"); return 0; }
    probe("parent");

    /* the top page below TASK_SIZE: a range running past it still changes it */
    char *top = mmap((void *)0xffffc000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (top != MAP_FAILED) {
        int r = mprotect(top, 0x10000, PROT_READ);
        printf("mprotect past the top: %d %s\n", r, r ? strerror(errno) : "");
        show_perms("top page", top);
        munmap(top, 4096);
    } else {
        printf("no top page: %s\n", strerror(errno));
    }

    fflush(stdout);
    if (personality(personality(0xffffffff) | READ_IMPLIES_EXEC) == -1) perror("personality");
    execl("/proc/self/exe", argv[0], "child", (char *)NULL);
    perror("execl");
    return 1;
}
