/* ue-test: variants=s2 d0 p2 */
/* x87 through printf: %f %e %g %a of doubles and a long double, strtod, and
 * simple arithmetic (listed in tests/expect-x87.txt). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double v[] = {0.0, -0.0, 1.0, 0.1, 1.0 / 3, 2.5, -1e-300, 1e300, 123456.789, 6.02214076e23};
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%f %e %g %.17g %a\n", v[i], v[i], v[i], v[i], v[i]);
    long double ld = 1.0L / 3;
    printf("%.20Lf %Lg\n", ld, ld * 1e4000L);
    double s = 0;
    for (int i = 1; i <= 1000; i++)
        s += 1.0 / i;
    printf("harmonic(1000) = %.15f\n", s);
    printf("strtod: %g %g %g\n", strtod("3.25", NULL), strtod("-1e-5", NULL), strtod("0x1.8p1", NULL));
    printf("int conversions: %d %d %lld\n", (int)2.99, (int)-2.99, (long long)1e18);
    return 0;
}
