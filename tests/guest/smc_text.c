/* ue-test: variants=s2 d0 p2 */
/* Patching the program's own .text: make the page writable with mprotect,
 * change an immediate in a function that has already run many times, run it
 * again; then make it read-only again and check it still runs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

asm(".text\n"
    ".globl patchme\n"
    ".type patchme, @function\n"
    "patchme:\n"
    "\tmovl $1, %eax\n"
    "\taddl $2, %eax\n"
    "\tret\n"
    ".size patchme, .-patchme\n");
uint32_t patchme(void);

int main(void)
{
    uint32_t sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += patchme();
    printf("before: %u sum %u\n", patchme(), sum);
    uintptr_t pg = (uintptr_t)patchme & ~(uintptr_t)4095;
    if (mprotect((void *)pg, 8192, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        return 1;
    }
    uint8_t *code = (uint8_t *)patchme;
    uint32_t v = 40;
    memcpy(code + 1, &v, 4);
    printf("after patching the mov: %u\n", patchme());
    code[5] = 0x83; code[6] = 0xe8; code[7] = 0x02;   /* addl $2 -> subl $2 (83 /5 ib) */
    printf("after patching the add into sub: %u\n", patchme());
    sum = 0;
    for (int i = 0; i < 1000; i++) {
        v = i;
        memcpy(code + 1, &v, 4);
        sum += patchme();
    }
    printf("patched in a loop: sum %u\n", sum);
    mprotect((void *)pg, 8192, PROT_READ | PROT_EXEC);
    printf("read-only again: %u\n", patchme());
    return 0;
}
