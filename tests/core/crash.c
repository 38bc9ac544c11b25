/* A guest that segfaults three calls deep: its core must show where. */
#include <stdio.h>

static volatile int *target;

__attribute__((noinline)) int ue_core_inner(int x)
{
    *target = x;            /* SIGSEGV: target is NULL */
    return x + 1;
}

__attribute__((noinline)) int ue_core_middle(int x) { return ue_core_inner(x * 2) + 1; }

int main(void)
{
    printf("crashing\n");
    fflush(stdout);
    return ue_core_middle(21);
}
