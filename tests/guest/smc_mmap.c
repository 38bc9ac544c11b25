/* ue-test: variants=s2 d0 p2 */
/* Self-modifying code in an mmap'd RWX page: generate a function, run it,
 * change its immediate and run again (must see the new code every time);
 * code that patches the instruction right after itself; a loop that
 * increments an immediate inside its own body; unmap and map new code at the
 * same address. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint32_t (*fn)(void);

static uint8_t *emit32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
    return p + 4;
}

int main(void)
{
    uint8_t *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    /* mov $imm, %eax ; ret */
    page[0] = 0xb8;
    page[5] = 0xc3;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 100; i++) {
        emit32(page + 1, i * 0x01010101u);
        uint32_t r = ((fn)page)();
        sum = sum * 3 + r;
        if (i < 3 || i == 99)
            printf("call %u -> %08x\n", i, r);
    }
    printf("sum %08x\n", sum);

    /* Replace the whole body: xor eax,eax ; dec eax ; ret */
    memcpy(page, "\x31\xc0\x48\xc3", 4);
    printf("new body -> %08x\n", ((fn)page)());

    /* Patch ahead: movb $0x2a, X+1 ; X: mov $0, %al ; ret.  The store hits the
     * next instruction, which must run with the new byte. */
    uint8_t *p = page + 64;
    uint8_t *x = p + 7;
    *p++ = 0xc6; *p++ = 0x05; p = emit32(p, (uint32_t)(uintptr_t)(x + 1)); *p++ = 0x2a;
    *p++ = 0x31; *p++ = 0xc0;        /* xor %eax,%eax (X is after this: fix x) */
    x = p;
    /* rewrite the store's address now that X is known */
    emit32(page + 64 + 2, (uint32_t)(uintptr_t)(x + 1));
    *p++ = 0xb0; *p++ = 0x00;        /* X: mov $0, %al */
    *p++ = 0xc3;
    for (int round = 0; round < 3; round++) {
        x[1] = 0;                    /* reset the immediate between calls */
        printf("patch-ahead round %d -> %08x\n", round, ((fn)(page + 64))());
    }

    /* Patch the opcode ahead: movb $0x48, Y ; mov $5,%eax ; Y: inc %eax ; ret
     * (0x40 inc becomes 0x48 dec). */
    p = page + 128;
    uint8_t *start = p;
    *p++ = 0xc6; *p++ = 0x05; uint8_t *addr_at = p; p += 4; *p++ = 0x48;
    *p++ = 0xb8; p = emit32(p, 5);
    uint8_t *y = p;
    *p++ = 0x40;
    *p++ = 0xc3;
    emit32(addr_at, (uint32_t)(uintptr_t)y);
    for (int round = 0; round < 3; round++) {
        *y = 0x40;
        printf("opcode-ahead round %d -> %u\n", round, ((fn)start)());
    }

    /* A loop that increments the immediate of its own first instruction:
     *   xor ecx,ecx
     * L: mov $imm,%eax ; add %eax,%ecx ; incl L+1 ; cmpl $10, L+1 ; jne L
     *   mov %ecx,%eax ; ret                                   -> 0+1+...+9 */
    p = page + 256;
    start = p;
    *p++ = 0x31; *p++ = 0xc9;
    uint8_t *L = p;
    *p++ = 0xb8; p = emit32(p, 0);
    *p++ = 0x01; *p++ = 0xc1;
    *p++ = 0xff; *p++ = 0x05; p = emit32(p, (uint32_t)(uintptr_t)(L + 1));
    *p++ = 0x83; *p++ = 0x3d; p = emit32(p, (uint32_t)(uintptr_t)(L + 1)); *p++ = 10;
    *p++ = 0x75; *p = (uint8_t)(L - (p + 1)); p++;
    *p++ = 0x89; *p++ = 0xc8; *p++ = 0xc3;
    printf("self-incrementing loop -> %u\n", ((fn)start)());
    emit32(L + 1, 0);
    printf("again -> %u\n", ((fn)start)());

    /* New code mapped at the address where old code ran. */
    munmap(page, 8192);
    uint8_t *again = mmap(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memcpy(again, "\xb8\x07\x00\x00\x00\xc3", 6);
    printf("remapped at same address -> %u\n", ((fn)again)());
    munmap(again, 4096);
    again = mmap(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memcpy(again, "\xb8\x09\x00\x00\x00\xc3", 6);
    printf("remapped again -> %u\n", ((fn)again)());
    return 0;
}
