/* A store to an unmapped address: the invalid write, then the fatal signal.
 * memcheck: variants=O0,O2,static signal=11
 * expect InvalidWrite size=4 aux="Address 0x10 is not stack'd, malloc'd or (recently) free'd" stack=crash@S|main@C
 * expect fatal signo=11 stack=crash@S|main@C
 */
#include "mc.h"

__attribute__((noipa)) void crash(volatile int *p)
{
    p[4] = 1; /* @S */
}

int main(void)
{
    mc_start();
    printf("before\n");
    crash(0); /* @C */
    printf("after\n");
    return 0;
}
