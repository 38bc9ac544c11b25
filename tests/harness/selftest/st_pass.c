/* ue-test: variants=s2 */
/* Prints, writes a file into the work dir, exits 3. */
#include <stdio.h>
int main(void)
{
    FILE *f = fopen("out.txt", "w");
    fputs("contents\n", f);
    fclose(f);
    puts("hello");
    return 3;
}
