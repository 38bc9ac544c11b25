/* A base program for the hostile-ELF fuzzer: a little output, exit status 7. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("%d %s\n", argc, argv[0] ? "argv0" : "none");
    return 7;
}
