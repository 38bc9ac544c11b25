/* Reads and writes a freed block.
 * memcheck: variants=O0,O2,static
 * expect InvalidRead size=4 aux="4 bytes inside a block of size 16 free'd" stack=peek@R|main@CR stack2=free|main@F stack3=malloc|main@A
 * expect InvalidWrite size=4 aux="8 bytes inside a block of size 16 free'd" stack=poke@W|main@CW stack2=free|main@F stack3=malloc|main@A
 */
#include "mc.h"

__attribute__((noipa)) int peek(const int *p, int i)
{
    return p[i]; /* @R */
}

__attribute__((noipa)) void poke(int *p, int i, int v)
{
    p[i] = v; /* @W */
}

int main(void)
{
    mc_start();
    int *p = malloc(16); /* @A */
    p[1] = 5;
    free(p); /* @F */
    if (MC_CHECKED()) {
        int v = peek(p, 1); /* @CR */
        poke(p, 2, v); /* @CW */
    }
    printf("done\n");
    return 0;
}
