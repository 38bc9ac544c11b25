/* A forked child execs another program (argv[1]...), which is checked too.
 * memcheck: variants=O0 args=@exec:exec_target
 * expect InvalidRead size=4 proc=child aux="4 bytes inside a block of size 12 free'd" stack=main@exec_target.c:R stack2=free|main@exec_target.c:F
 */
#include "mc.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    mc_start();
    if (argc < 2)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("target exited %d\n", WEXITSTATUS(st));
    return 0;
}
