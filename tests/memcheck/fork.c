/* The child of a fork writes past a block: its report is its own (its own
 * XML file, named and headed with its pid); the parent has none.
 * memcheck: variants=O0
 * expect InvalidWrite size=4 proc=child aux="0 bytes after a block of size 8 alloc'd" stack=main@W stack2=malloc|main@A
 */
#include "mc.h"
#include <sys/wait.h>

int main(void)
{
    mc_start();
    pid_t pid = fork();
    if (pid == 0) {
        int *p = malloc(8); /* @A */
        p[2] = 1; /* @W */
        free(p);
        _exit(3);
    }
    mc_value("pid", getpid());
    mc_value("child_pid", pid);
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WEXITSTATUS(st));
    return 0;
}
