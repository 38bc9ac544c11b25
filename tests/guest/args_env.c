/* ue-test: variants=all sp2 */
/* argc/argv (from the .args file: spaces, empty and long arguments) and the
 * environment the harness sets; argv and envp are NULL-terminated and contiguous
 * on the stack the way the kernel lays them out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    printf("envp follows argv: %d\n", envp == argv + argc + 1);
    printf("environ == envp: %d\n", environ == envp);
    printf("UE_TEST_VAR=%s\n", getenv("UE_TEST_VAR") ? getenv("UE_TEST_VAR") : "(unset)");
    printf("LC_ALL=%s TZ=%s\n", getenv("LC_ALL"), getenv("TZ"));
    int n = 0;
    for (char **e = envp; *e; e++)
        n++;
    printf("env count=%d\n", n);
    /* strings are laid out one after another: argv[i+1] starts after argv[i]'s NUL */
    int packed = 1;
    for (int i = 0; i + 1 < argc; i++)
        if (argv[i + 1] != argv[i] + strlen(argv[i]) + 1)
            packed = 0;
    printf("argv strings packed: %d\n", packed);
    printf("env strings follow argv strings: %d\n", argc > 0 && envp[0] == argv[argc - 1] + strlen(argv[argc - 1]) + 1);
    setenv("NEW_VAR", "set at run time", 1);
    printf("NEW_VAR=%s\n", getenv("NEW_VAR"));
    return argc;
}
