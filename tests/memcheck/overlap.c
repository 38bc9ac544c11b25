/* Copies whose source and destination overlap.
 * memcheck: variants=O0,O2
 * expect Overlap what="Source and destination overlap in memcpy(" stack=memcpy|main@M
 * expect Overlap what="Source and destination overlap in strcpy(" stack=strcpy|main@S
 * expect Overlap what="Source and destination overlap in strncpy(" stack=strncpy|main@N
 */
#include "mc.h"

volatile size_t n16 = 16;

int main(void)
{
    mc_start();
    char *b = malloc(64);
    strcpy(b, "a string of some length");
    memcpy(b + 4, b, n16); /* @M */
    strcpy(b, "a string of some length");
    strcpy(b, b + 2); /* @S */
    strcpy(b, "a string of some length");
    strncpy(b + 1, b, 8); /* @N */
    char c[32];
    memcpy(c, b, 16);   /* no overlap: no error */
    free(b);
    printf("done\n");
    return 0;
}
