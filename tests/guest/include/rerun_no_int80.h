/* Tests that run twice: the first pass runs the program again with
 * UE_NO_INT80=1, which makes ue work as on a host without the 32-bit syscall
 * entry (the variable does nothing natively). */
#ifndef RERUN_NO_INT80_H
#define RERUN_NO_INT80_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Ends main: in the first pass execs the program again with UE_NO_INT80=1
 * (returning 1 only if that fails), in the second returns 0. */
static int rerun_no_int80(char **argv)
{
    if (!getenv("UE_NO_INT80")) {
        fflush(stdout);
        setenv("UE_NO_INT80", "1", 1);
        execv("/proc/self/exe", argv);
        perror("execv");
        return 1;
    }
    return 0;
}

#endif
