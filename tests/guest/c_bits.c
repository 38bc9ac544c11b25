/* ue-test: variants=all */
/* Bit manipulation as compilers emit it: popcount, clz/ctz (via BSR/BSF on
 * i686), rotations (recognised as ROL/ROR), byte swaps, parity, CRC-32 with a
 * table and bit by bit, and a xorshift generator. */
#include <stdint.h>
#include <stdio.h>

static uint32_t crc_table[256];

static uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> ((32 - r) & 31)); }

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    static uint8_t data[65536];
    uint32_t x = 2463534242u;
    for (unsigned i = 0; i < sizeof data; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        data[i] = (uint8_t)x;
    }
    uint32_t crc = 0xffffffffu;
    for (unsigned i = 0; i < sizeof data; i++)
        crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    uint32_t crc2 = 0xffffffffu;
    for (unsigned i = 0; i < 4096; i++) {
        crc2 ^= data[i];
        for (int k = 0; k < 8; k++)
            crc2 = (crc2 >> 1) ^ (0xedb88320u & -(crc2 & 1));
    }
    printf("crc32 table %08x bitwise(4k) %08x\n", ~crc, ~crc2);
    uint32_t h = 0;
    for (int i = 0; i < 2000; i++) {
        uint32_t v = i * 2654435761u;
        uint64_t w = (uint64_t)v << 32 | (v ^ 0xdeadbeef);
        h = h * 31 + __builtin_popcount(v);
        h = h * 31 + (v ? __builtin_clz(v) : 99);
        h = h * 31 + (v ? __builtin_ctz(v) : 99);
        h = h * 31 + __builtin_popcountll(w) + __builtin_clzll(w | 1) + __builtin_ctzll(w | 0x8000000000000000ull);
        h = h * 31 + rotl(v, i & 31);
        h = h * 31 + __builtin_bswap32(v) + (uint32_t)__builtin_bswap16((uint16_t)v);
        h = h * 31 + __builtin_parity(v);
        if (i < 5)
            printf("v=%08x pop=%d clz=%d ctz=%d rotl=%08x bswap=%08x\n", v, __builtin_popcount(v), v ? __builtin_clz(v) : -1,
                   v ? __builtin_ctz(v) : -1, rotl(v, i & 31), __builtin_bswap32(v));
    }
    printf("bits hash %08x\n", h);
    return 0;
}
