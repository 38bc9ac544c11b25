/* ue-test: variants=s2; ldflags=-Wl,-Ttext-segment=0x20000000 -Wl,-z,max-page-size=0x1000 */
/* A static program linked at an unusual address (0x20000000) with 4 KiB
 * segment alignment: its code, data and bss land where the headers say. */
#include <stdint.h>
#include <stdio.h>

static int data = 42;
static int bss;
int main(void)
{
    printf("main at 0x2xxxxxxx: %d\n", ((uintptr_t)main >> 28) == 2);
    printf("data=%d bss=%d data above text: %d\n", data, bss, (uintptr_t)&data > (uintptr_t)main);
    return 0;
}
