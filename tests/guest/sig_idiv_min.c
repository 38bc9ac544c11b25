/* ue-test: variants=s2 p2; signal=8 */
/* INT_MIN / -1 with idiv kills the process with SIGFPE; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before INT_MIN / -1 with idiv\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    int r; asm volatile("cltd; idivl %1" : "=a"(r) : "r"(-1), "a"(0x80000000) : "edx"); (void)r;
    printf("not reached\n");
    return 0;
}
