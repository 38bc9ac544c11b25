/* Sizes that look negative; calloc's overflowing product fails quietly.
 * memcheck: variants=O0
 * expect FishyValue what="Argument 'size' of function malloc has a fishy (possibly negative) value: -1" stack=malloc|main@M
 * expect FishyValue what="Argument 'nmemb' of function calloc has a fishy (possibly negative) value: -1" stack=calloc|main@C
 * expect FishyValue what="Argument 'size' of function realloc has a fishy (possibly negative) value: -16" stack=realloc|main@R
 */
#include "mc.h"

volatile size_t minus1 = (size_t)-1, minus16 = (size_t)-16, mega = 1u << 20;

int main(void)
{
    mc_start();
    void *a = malloc(minus1); /* @M */
    void *b = calloc(minus1, 1); /* @C */
    void *c = calloc(mega, mega);
    void *d = malloc(8);
    void *e = realloc(d, minus16); /* @R */
    printf("%d %d %d %d\n", a == NULL, b == NULL, c == NULL, e == NULL);
    free(d);
    return 0;
}
