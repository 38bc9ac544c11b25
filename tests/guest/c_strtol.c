/* ue-test: variants=s0 s2 d2 p0 */
/* strtol/strtoul/strtoll in bases 0 2 8 10 16 36 with overflow (ERANGE,
 * clamped), endptr positions, leading spaces and signs; atoi; getopt over the
 * arguments from the .args file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *in[] = {"0", "42", "-42", "  +17xyz", "0x1F", "0777", "0b101", "2147483647", "2147483648", "-2147483649",
                        "4294967295", "4294967296", "99999999999999999999", "zz", "", "-", "0x", "1e5"};
    const int bases[] = {0, 10, 16, 8, 2, 36};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++)
        for (unsigned b = 0; b < 6; b++) {
            char *end;
            errno = 0;
            long v = strtol(in[i], &end, bases[b]);
            int e1 = errno;
            errno = 0;
            unsigned long u = strtoul(in[i], NULL, bases[b]);
            int e2 = errno;
            errno = 0;
            long long ll = strtoll(in[i], NULL, bases[b]);
            int e3 = errno;
            printf("%-22s b%-2d l=%ld end=%d %s ul=%lu %s ll=%lld %s\n", in[i], bases[b], v, (int)(end - in[i]),
                   e1 ? "ERANGE" : "-", u, e2 ? "ERANGE" : "-", ll, e3 ? "ERANGE" : "-");
        }
    printf("atoi: %d %d %d\n", atoi("123abc"), atoi("  -9"), atoi("x"));
    int opt;
    while ((opt = getopt(argc, argv, "ab:c::v")) != -1)
        printf("opt %c arg %s\n", opt, optarg ? optarg : "(none)");
    for (int i = optind; i < argc; i++)
        printf("operand %s\n", argv[i]);
    return 0;
}
