/* ue-test: variants=all sp2 */
/* A big bss (64 MiB, zero, writable), a large initialised array in .data, a
 * const table in .rodata (not writable: a write faults), and the break
 * starting after the bss. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint8_t big[64 << 20];
static uint32_t data[50000] = {1, 2, 3, [49999] = 0xfeedface};
static const uint32_t table[1024] = {[0] = 0xabcdef01, [1023] = 0x12345678};
static sigjmp_buf env;

static void on_segv(int s) { siglongjmp(env, 1); }

int main(void)
{
    uint32_t nz = 0;
    for (uint32_t i = 0; i < sizeof big; i += 4096)
        nz += big[i] != 0;
    printf("bss pages nonzero: %u\n", nz);
    for (uint32_t i = 0; i < sizeof big; i += 4096)
        big[i] = (uint8_t)(i >> 12);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < sizeof big; i += 4096)
        sum += big[i];
    printf("bss written and read back: %u\n", sum);
    printf("data: %u %u %u %x\n", data[0], data[1], data[2], data[49999]);
    printf("rodata: %x %x\n", table[0], table[1023]);
    signal(SIGSEGV, on_segv);
    volatile uint32_t *t = (volatile uint32_t *)table;
    if (sigsetjmp(env, 1) == 0) {
        t[5] = 1;
        printf("rodata writable!\n");
    } else
        printf("rodata write faults\n");
    /* Where the kernel puts the break of a static PIE depends on its version: not checked there. */
    if (strcmp(UE_VARIANT, "sp2") != 0)
        printf("break after bss: %d\n", (uintptr_t)sbrk(0) >= (uintptr_t)(big + sizeof big));
    return 0;
}
