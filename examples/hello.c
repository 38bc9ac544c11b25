/* The bundled example for "make demo": a static i386 program that prints its
 * arguments and something it computed (the first primes and a checksum), so
 * running it under ue shows arguments, output and arithmetic working. */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from an i386 program");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");

    printf("the first 20 primes:");
    int found = 0;
    for (int n = 2; found < 20; n++) {
        int prime = 1;
        for (int d = 2; d * d <= n; d++)
            if (n % d == 0) {
                prime = 0;
                break;
            }
        if (prime) {
            printf(" %d", n);
            found++;
        }
    }
    printf("\n");

    uint64_t sum = 0;
    for (uint32_t i = 1; i <= 1000000; i++)
        sum += (uint64_t)i * i;
    printf("sum of squares 1..1000000 = %llu\n", (unsigned long long)sum);
    printf("pointer size %zu bytes: this is 32-bit code\n", sizeof(void *));
    return 0;
}
