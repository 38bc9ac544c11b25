/* Start-up: a dynamically linked hello world; the harness runs it many times. */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
