/* ue-test: variants=s2 d0 p2; ldflags=-Wl,-z,execstack */
/* PT_GNU_STACK asks for an executable stack: GCC's nested-function
 * trampolines are written onto the stack and called. */
#include <stdio.h>
#include <stdlib.h>

static void apply(int *v, int n, void (*f)(int *))
{
    for (int i = 0; i < n; i++)
        f(&v[i]);
}

int main(int argc, char **argv)
{
    int add = 10 + argc;
    void bump(int *x) { *x += add; }
    int v[5] = {1, 2, 3, 4, 5};
    apply(v, 5, bump);
    printf("%d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
    add = 100;
    apply(v, 5, bump);
    printf("%d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
    return 0;
}
