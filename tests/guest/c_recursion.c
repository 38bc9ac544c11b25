/* ue-test: variants=all */
/* Deep and branchy recursion: Ackermann(2..3, n), naive fibonacci, the Tower
 * of Hanoi move count, permutations of 8 elements (heap's algorithm), the
 * N-queens count for N=1..9, and a 100000-deep recursion (stack growth). */
#include <stdint.h>
#include <stdio.h>

static uint32_t ack(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint64_t hanoi(int n, int from, int to, int via, uint32_t *h)
{
    if (n == 0)
        return 0;
    uint64_t c = hanoi(n - 1, from, via, to, h);
    *h = *h * 7 + from * 3 + to;
    return c + 1 + hanoi(n - 1, via, to, from, h);
}

static uint32_t perm_hash;
static void heap_perm(int *a, int k)
{
    if (k == 1) {
        uint32_t x = 0;
        for (int i = 0; i < 8; i++)
            x = x * 8 + a[i];
        perm_hash = perm_hash * 31 + x;
        return;
    }
    heap_perm(a, k - 1);
    for (int i = 0; i < k - 1; i++) {
        int j = k % 2 == 0 ? i : 0, t = a[j];
        a[j] = a[k - 1];
        a[k - 1] = t;
        heap_perm(a, k - 1);
    }
}

static int queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2)
{
    if (row == n)
        return 1;
    int c = 0;
    for (int col = 0; col < n; col++) {
        uint32_t b = 1u << col, e = 1u << (row + col), f = 1u << (row - col + n);
        if (!(cols & b) && !(d1 & e) && !(d2 & f))
            c += queens(n, row + 1, cols | b, d1 | e, d2 | f);
    }
    return c;
}

static uint32_t deep(uint32_t n)
{
    volatile uint32_t local = n;
    return n == 0 ? 0 : deep(n - 1) + (local & 3);
}

int main(void)
{
    for (uint32_t m = 0; m <= 3; m++)
        printf("ack(%u, 0..5):", m), printf(" %u %u %u %u %u %u\n", ack(m, 0), ack(m, 1), ack(m, 2), ack(m, 3), ack(m, 4), ack(m, 5));
    printf("fib(27) = %u\n", fib(27));
    uint32_t h = 0;
    printf("hanoi(16) moves = %llu hash %08x\n", (unsigned long long)hanoi(16, 1, 3, 2, &h), h);
    int a[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    heap_perm(a, 8);
    printf("permutations hash %08x\n", perm_hash);
    for (int n = 1; n <= 9; n++)
        printf("queens(%d) = %d\n", n, queens(n, 0, 0, 0, 0));
    printf("deep(100000) = %u\n", deep(100000));
    return 0;
}
