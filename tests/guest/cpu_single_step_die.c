/* ue-test: variants=s2 d0; signal=5 */
/* Single-step without a SIGTRAP handler: the first #DB kills the process
 * by SIGTRAP (what was written before comes out, nothing after). */
#include <stdio.h>

int main(void)
{
    printf("before\n");
    fflush(stdout);
    __asm__ volatile("pushf; orl $0x100,(%%esp); popf; nop; nop" ::: "memory");
    printf("not reached\n");
    return 0;
}
