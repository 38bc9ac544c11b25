/* Copies whose source and destination overlap.
 * memcheck: variants=O0,O2
 * expect Overlap re="^Source and destination overlap in memcpy\(0x[0-9a-f]+, 0x[0-9a-f]+, 16\)" stack=memcpy|main@M
 * expect Overlap re="^Source and destination overlap in strcpy\(0x[0-9a-f]+, 0x[0-9a-f]+\)" stack=strcpy|main@S
 * expect Overlap re="^Source and destination overlap in strncpy\(0x[0-9a-f]+, 0x[0-9a-f]+, 8\)" stack=strncpy|main@N
 * expect Overlap re="^Source and destination overlap in strncat\(0x[0-9a-f]+, 0x[0-9a-f]+, 2\)" stack=strncat|main@C
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
    strcpy(b, "abcdef");
    strncat(b, b + 3, 2); /* @C */
    char c[32];
    memcpy(c, b, 16);   /* no overlap: no error */
    free(b);
    printf("done\n");
    return 0;
}
