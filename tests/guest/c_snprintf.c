/* ue-test: variants=all */
/* snprintf of integers in every width and base with flags, padding,
 * precision, truncation (return value is the full length), %s %c %p-free
 * forms, %n, positional arguments, long long, size_t, ptrdiff_t. */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const long long vals[] = {0, 1, -1, 7, -42, 127, 128, 255, 32767, -32768, 65535, INT_MAX, INT_MIN, UINT_MAX,
                                     LLONG_MAX, LLONG_MIN, 1234567890123LL};
    char buf[128];
    for (int i = 0; i < (int)(sizeof vals / sizeof vals[0]); i++) {
        long long v = vals[i];
        int n = snprintf(buf, sizeof buf, "[%d|%u|%x|%X|%o|%5d|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%hhd|%hd|%lld|%llx|%llu]",
                         (int)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (int)v, (int)v, (int)v, (int)v, (int)v,
                         (int)v, (unsigned)v, (unsigned)v, (char)v, (short)v, v, (unsigned long long)v, (unsigned long long)v);
        printf("%d %s\n", n, buf);
    }
    int n = snprintf(buf, 10, "%s", "this is longer than ten");
    printf("truncated: %d [%s]\n", n, buf);
    n = snprintf(NULL, 0, "%d-%d", 12345, 678);
    printf("length only: %d\n", n);
    int pos;
    snprintf(buf, sizeof buf, "abc%ndef", &pos);
    printf("%%n: %d\n", pos);
    snprintf(buf, sizeof buf, "%2$s %1$s %3$*4$d", "world", "hello", 42, 6);
    printf("positional: [%s]\n", buf);
    snprintf(buf, sizeof buf, "[%c%c%c] [%10s] [%-10s] [%.2s] [%*d] [%-*d]", 'x', 'y', 'z', "right", "left", "cut", 6, 99, 6, 99);
    printf("%s\n", buf);
    snprintf(buf, sizeof buf, "%zu %zd %td %jd %" PRIu64 " %" PRIx32, (size_t)4000000000u, (ssize_t)-5, (ptrdiff_t)-7,
             (intmax_t)-9, (uint64_t)18446744073709551615ull, (uint32_t)0xdeadbeef);
    printf("%s\n", buf);
    printf("%s\n", "puts-like via printf");
    printf("%%\n");
    fprintf(stderr, "to stderr: %d\n", 123);
    return 0;
}
