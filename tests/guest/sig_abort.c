/* ue-test: variants=s2 p2; signal=6 */
/* abort() kills the process with SIGABRT; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before abort()\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    abort();
    printf("not reached\n");
    return 0;
}
