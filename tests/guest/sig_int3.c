/* ue-test: variants=s2 p2; signal=5 */
/* int3 kills the process with SIGTRAP; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before int3\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    asm volatile("int3");
    printf("not reached\n");
    return 0;
}
