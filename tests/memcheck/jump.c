/* A call through a null function pointer. (The stacks are not checked past
 * the bad address: valgrind's own unwinding there misses main.)
 * memcheck: variants=O0 signal=11
 * expect InvalidJump what="Jump to the invalid address stated on the next line" aux="Address 0x0 is not stack'd, malloc'd or (recently) free'd" stack=*
 * expect fatal signo=11 stack=*
 */
#include "mc.h"

void (*volatile fp)(void);

int main(void)
{
    mc_start();
    printf("before\n");
    fp(); /* @J */
    printf("after\n");
    return 0;
}
