/* ue-test: variants=s2 p2; signal=4 */
/* ud2 kills the process with SIGILL; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before ud2\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    asm volatile("ud2");
    printf("not reached\n");
    return 0;
}
