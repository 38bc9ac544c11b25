/* ue-test: variants=all */
/* execve of the program itself with new arguments and environment, close-on-
 * exec (a CLOEXEC fd is gone, another survives), exec of a missing file
 * (ENOENT, the caller goes on), exec of a "#!" script whose interpreter is this
 * program, fork + exec + wait with the exit status from the new image. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("child: argc=%d", argc);
        for (int i = 2; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\nchild env:");
        for (char **e = environ; *e; e++)
            printf(" [%s]", *e);
        printf("\n");
        if (argc > 3) {
            int keep = atoi(argv[2]), gone = atoi(argv[3]);
            printf("child: kept fd open: %d, cloexec fd closed: %d\n", fcntl(keep, F_GETFD) >= 0,
                   fcntl(gone, F_GETFD) < 0 && errno == EBADF);
        }
        fflush(stdout);
        return 23;
    }
    if (argc > 1 && strcmp(argv[1], "script-mode") == 0) {
        /* run as a #! interpreter: argv = [interp, optional-arg, script, args...] */
        printf("interpreter: argc=%d", argc);
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\n");
        return 0;
    }
    const char *self = argv[0];
    printf("parent starts\n");
    fflush(stdout);

    /* exec failures return */
    char *nargv[] = {"missing", NULL};
    int r = execve("./missing-program", nargv, environ);
    printf("exec missing: %d %s\n", r, strerrorname_np(errno));

    /* #! script with this program as interpreter */
    FILE *f = fopen("script", "w");
    fprintf(f, "#!%s script-mode\nnot read by the interpreter\n", self);
    fclose(f);
    chmod("script", 0755);
    pid_t c = fork();
    if (c == 0) {
        char *sargv[] = {"./script", "one", "two words", NULL};
        execv("./script", sargv);
        printf("exec script failed: %s\n", strerrorname_np(errno));
        _exit(1);
    }
    int st;
    waitpid(c, &st, 0);
    printf("script exit: %d\n", WEXITSTATUS(st));
    fflush(stdout);

    /* fork + exec self with arguments, env and fds */
    int keep = open("/dev/null", O_RDONLY);
    int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
    char k[16], g[16];
    snprintf(k, sizeof k, "%d", keep);
    snprintf(g, sizeof g, "%d", gone);
    c = fork();
    if (c == 0) {
        char *cargv[] = {(char *)self, "child", k, g, "with space", "", NULL};
        char *cenv[] = {"A=1", "EMPTY=", "LONG=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL};
        execve(self, cargv, cenv);
        _exit(99);
    }
    waitpid(c, &st, 0);
    printf("child exit status: %d\n", WEXITSTATUS(st));
    unlink("script");

    /* exec in this very process: the rest of main never runs */
    fflush(stdout);
    char *last[] = {(char *)self, "child", "final", NULL};
    execv(self, last);
    printf("not reached\n");
    return 1;
}
