/* ue-test: variants=s2 p2; signal=11 */
/* int 0x81 (no such gate for user mode) kills the process with SIGSEGV; what was written before (stdout flushed,
 * stderr) must come out, and nothing after. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("before int 0x81 (no such gate for user mode)\n");
    fflush(stdout);
    fprintf(stderr, "stderr before\n");
    asm volatile("int $0x81");
    printf("not reached\n");
    return 0;
}
