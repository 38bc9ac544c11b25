/* ue-test: variants=s2 p2; signal=11 */
/* a store to address 0 kills the process with SIGSEGV; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before a store to address 0\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    *(volatile int *)0 = 1;
    printf("not reached\n");
    return 0;
}
