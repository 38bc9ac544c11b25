/* Frees the heap does not know: twice, a stack or global address, inside a
 * block; and realloc of a freed block.
 * memcheck: variants=O0,static
 * expect InvalidFree what="Invalid free() / delete / delete[] / realloc()" aux="0 bytes inside a block of size 8 free'd" stack=free|main@F2 stack2=free|main@F1 stack3=malloc|main@A1
 * expect InvalidFree aux="is on thread 1's stack" stack=free|main@FS
 * expect InvalidFree stack=free|main@FG
 * expect InvalidFree aux="4 bytes inside a block of size 10 alloc'd" stack=free|main@FI stack2=malloc|main@A2
 * expect InvalidFree aux="0 bytes inside a block of size 12 free'd" stack=realloc|main@RF stack2=free|main@F3 stack3=malloc|main@A3
 */
#include "mc.h"

char global_buf[32];

int main(void)
{
    mc_start();
    char local[16];
    char *p = malloc(8); /* @A1 */
    char *q = malloc(10); /* @A2 */
    char *r = malloc(12); /* @A3 */
    free(p); /* @F1 */
    free(r); /* @F3 */
    if (MC_CHECKED()) {
        free(p); /* @F2 */
        free(local); /* @FS */
        free(global_buf); /* @FG */
        free(q + 4); /* @FI */
        if (realloc(r, 20)) /* @RF */
            printf("realloc of a freed block succeeded\n");
    }
    free(q);
    printf("done\n");
    return 0;
}
