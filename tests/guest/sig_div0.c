/* ue-test: variants=s2 p2; signal=8 */
/* div by zero kills the process with SIGFPE; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before div by zero\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    volatile unsigned z = 0; unsigned r; asm volatile("xor %%edx, %%edx; divl %1" : "=a"(r) : "r"(z), "a"(5u) : "edx"); (void)r;
    printf("not reached\n");
    return 0;
}
