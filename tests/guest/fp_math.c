/* ue-test: variants=s2 d0 p2; ldflags=-lm */
/* x87 through libm: sqrt, sin, cos, exp, log, pow, floor/ceil/rint, fmod,
 * rounding modes via fesetround (listed in tests/expect-x87.txt). */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    for (int i = 0; i < 8; i++) {
        double x = i * 0.7 - 1.3;
        printf("x=%.2f sqrt=%.15g sin=%.15g cos=%.15g exp=%.15g log=%.15g pow=%.15g\n", x, sqrt(fabs(x)), sin(x), cos(x),
               exp(x), log(fabs(x) + 1), pow(fabs(x), 1.5));
        printf("  floor=%g ceil=%g rint=%g fmod=%g atan2=%.15g\n", floor(x), ceil(x), rint(x), fmod(x * 7, 1.1), atan2(x, 0.5));
    }
    int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0;
        printf("mode %d: 1/3=%.20f rint(2.5)=%g rint(-2.5)=%g\n", m, a / b, rint(2.5), rint(-2.5));
    }
    fesetround(FE_TONEAREST);
    printf("nan: %d inf: %d\n", isnan(sqrt(-1.0)), isinf(1.0 / 0.0));
    return 0;
}
