/* ue-test: variants=s2 p2; signal=11 */
/* hlt (privileged in user mode) kills the process with SIGSEGV; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before hlt (privileged in user mode)\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    asm volatile("hlt");
    printf("not reached\n");
    return 0;
}
