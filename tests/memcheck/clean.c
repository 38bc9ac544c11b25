/* Real work with every allocation function and copy, all correct: no
 * errors, no leaks.
 * memcheck: variants=O0,O2,static
 * value errors=0
 */
#include "mc.h"
#include <malloc.h>

struct item {
    struct item *next;
    char *name;
    int key;
};

static int cmp(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(void)
{
    mc_start();
    struct item *list = NULL;
    char name[32];
    for (int i = 0; i < 200; i++) {
        struct item *it = calloc(1, sizeof *it);
        snprintf(name, sizeof name, "item-%d", (i * 37) % 200);
        it->name = strdup(name);
        it->key = (i * 37) % 200;
        it->next = list;
        list = it;
    }
    int *keys = NULL;
    size_t n = 0;
    for (struct item *it = list; it; it = it->next) {
        keys = realloc(keys, (n + 1) * sizeof *keys);
        keys[n++] = it->key;
    }
    qsort(keys, n, sizeof *keys, cmp);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += keys[i] * (long)i;
    free(keys);

    char *s = malloc(64);
    strcpy(s, "hello");
    strcat(s, ", ");
    strncat(s, "world!!!", 5);
    char *t = malloc(64);
    memcpy(t, s, strlen(s) + 1);
    memmove(t + 1, t, 8);
    stpcpy(t + 20, s);
    strncpy(t + 40, "abc", 10);
    printf("%s|%s|%s\n", s, t + 20, t + 40);
    free(s);
    free(t);

    void *a = NULL;
    if (posix_memalign(&a, 64, 100) == 0 && ((long)a & 63) == 0)
        memset(a, 1, 100);
    free(a);
    void *b = aligned_alloc(32, 64);
    void *c = memalign(128, 10);
    void *d = valloc(100);
    printf("aligned %d %d %d\n", ((long)b & 31) == 0, ((long)c & 127) == 0, ((long)d & 4095) == 0);
    free(b);
    free(c);
    free(d);
    void *e = malloc(0);
    free(e);
    free(NULL);

    while (list) {
        struct item *next = list->next;
        free(list->name);
        free(list);
        list = next;
    }
    mc_value("errors", VALGRIND_COUNT_ERRORS);
    printf("sum %ld\n", sum);
    return 0;
}
