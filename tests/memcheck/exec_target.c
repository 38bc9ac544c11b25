/* exec.c's target (a helper: no "memcheck:" line of its own). */
#include "mc.h"

int main(void)
{
    mc_start();
    int *p = malloc(12);
    p[1] = 7;
    free(p); /* @F */
    volatile int v = 0;
    if (MC_CHECKED())
        v = p[1]; /* @R */
    printf("target %d\n", v & 0);
    return 5;
}
