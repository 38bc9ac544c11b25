/* The allocation functions' results, errno and alignments, as glibc gives
 * them: the runs under a checker must print the same. (Not here, as valgrind
 * differs from glibc: pvalloc, errno after calloc's overflow, a huge
 * alignment.)
 * memcheck: variants=O0,static
 * value errors=0
 */
#include "mc.h"
#include <errno.h>
#include <malloc.h>
#include <stdint.h>

volatile size_t huge_n = 1u << 20;

static void show(const char *what, void *p, size_t align)
{
    printf("%-28s %s aligned=%d errno=%s\n", what, p ? "ptr " : "NULL",
           p ? ((uintptr_t)p % align == 0) : -1, errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : errno ? "other" : "0");
    errno = 0;
}

int main(void)
{
    mc_start();
    void *p, *q;
    errno = 0;
    p = malloc(0); show("malloc(0)", p, 8); free(p);
    p = malloc(100); show("malloc(100)", p, 8);
    printf("usable >= 100: %d\n", malloc_usable_size(p) >= 100);
    q = realloc(p, 5000); show("realloc grow", q, 8);
    p = realloc(q, 10); show("realloc shrink", p, 8);
    free(p);
    p = realloc(NULL, 30); show("realloc(NULL, 30)", p, 8); free(p);
    p = calloc(10, 10); show("calloc(10, 10)", p, 8);
    int zero = 1;
    for (int i = 0; i < 100; i++)
        zero &= ((char *)p)[i] == 0;
    printf("calloc zeroed: %d\n", zero);
    free(p);
    p = calloc(huge_n, huge_n);   /* errno: valgrind leaves it */
    printf("calloc overflow: %s\n", p ? "ptr" : "NULL");
    errno = 0;
    p = reallocarray(NULL, huge_n, huge_n); show("reallocarray overflow", p, 8);
    p = reallocarray(NULL, 10, 10); show("reallocarray(10, 10)", p, 8); free(p);
    for (size_t al = 8; al <= 8192; al *= 4) {
        char name[40];
        snprintf(name, sizeof name, "memalign(%zu)", al);
        p = memalign(al, 33); show(name, p, al); free(p);
        snprintf(name, sizeof name, "aligned_alloc(%zu)", al);
        p = aligned_alloc(al, 64); show(name, p, al); free(p);
        p = NULL;
        int r = posix_memalign(&p, al, 40);
        printf("posix_memalign(%zu) = %d, %s\n", al, r, p && (uintptr_t)p % al == 0 ? "aligned" : "bad");
        free(p);
    }
    p = memalign(48, 10); show("memalign(48)", p, 64); free(p);
    p = (void *)1;
    printf("posix_memalign(12) = %d\n", posix_memalign(&p, 12, 10));
    printf("posix_memalign(0) = %d\n", posix_memalign(&p, 0, 10));
    printf("posix_memalign(2) = %d, p unchanged: %d\n", posix_memalign(&p, 2, 10), p == (void *)1);
    p = valloc(10); show("valloc(10)", p, 4096); free(p);
    free(NULL);
    mc_value("errors", VALGRIND_COUNT_ERRORS);
    return 0;
}
