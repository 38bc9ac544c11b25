/* Accesses just outside a heap block: after the end, before the start.
 * memcheck: variants=O0,O2,static
 * expect InvalidWrite size=4 aux="0 bytes after a block of size 40 alloc'd" stack=store@W|main@CW stack2=malloc|main@A
 * expect InvalidRead size=1 aux="1 bytes before a block of size 40 alloc'd" stack=load@R|main@CR stack2=malloc|main@A
 */
#include "mc.h"

__attribute__((noipa)) void store(int *p, int i, int v)
{
    p[i] = v; /* @W */
}

__attribute__((noipa)) int load(const char *p, int i)
{
    return p[i]; /* @R */
}

int main(void)
{
    mc_start();
    int *a = malloc(40); /* @A */
    store(a, 10, 7); /* @CW */
    int r = load((char *)a, -1); /* @CR */
    printf("done %d\n", r & 0);
    free(a);
    return 0;
}
