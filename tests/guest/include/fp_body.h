/* One floating-point workload, built three ways by fp_x87.c, fp_sse2.c and
 * fp_ssse3.c: the default i386 x87 math, -msse2 -mfpmath=sse, and -mssse3
 * -O3 (vectorised loops). Every result is printed exactly (%a, %.21Lg). */
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const double vals[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1.0 / 3, 2.5, -2.5, 3.5, 1e-310, -4.9e-324, DBL_MIN, DBL_MAX,
    2147483647.0, 2147483647.5, 2147483648.0, -2147483648.0, -2147483648.5, -2147483649.0,
    4294967295.5, 9007199254740993.0, 1e20, -1e20, 123.456, 7e-5, 710.0, -745.5, 1e300,
};
#define NV (sizeof vals / sizeof vals[0])

static void libm_line(double x)
{
    printf("%a: sin %a cos %a tan %a exp %a expm1 %a\n", x, sin(x), cos(x), tan(x), exp(x / 64), expm1(x / 64));
    double ax = fabs(x);
    printf("  log %a log2 %a log1p %a sqrt %a cbrt %a\n", log(ax), log2(ax), log1p(ax), sqrt(ax), cbrt(x));
    printf("  pow %a hypot %a atan2 %a sinh %a tanh %a erf %a\n", pow(ax, 0.3), hypot(x, 3.0), atan2(x, -0.7),
           sinh(x / 256), tanh(x), erf(x));
    printf("  fmod %a remainder %a lgamma %a floor %a ceil %a trunc %a round %a\n", fmod(x, 0.7), remainder(x, 0.7),
           lgamma(x / 8), floor(x), ceil(x), trunc(x), round(x));
}

static void conversions(double x)
{
    float f = (float)x;
    printf("%a: float %a", x, (double)f);
    if (x > -2147483649.0 && x < 2147483648.0) printf(" int %d", (int)x);
    if (x > -1.0 && x < 4294967296.0) printf(" unsigned %u", (unsigned)x);
    if (fabs(x) < 9.2e18) printf(" ll %lld lrint %ld llrint %lld", (long long)x, lrint(fabs(x) < 2e9 ? x : 0),
                                 llrint(x));
    printf(" rint %a nearbyint %a\n", rint(x), nearbyint(x));
}

static volatile double sink;

int main(void)
{
    static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    for (unsigned m = 0; m < 4; m++) {
        fesetround(modes[m]);
        printf("== rounding mode %u\n", m);
        for (unsigned k = 0; k < NV; k++) {
            volatile double a = vals[k], b = vals[(k * 7 + 3) % NV];
            printf("%a %a: + %a - %a * %a / %a\n", a, b, a + b, a - b, a * b, b != 0 ? a / b : 0.0);
            volatile float fa = (float)a, fb = (float)b;
            printf("  float + %a * %a / %a\n", (double)(fa + fb), (double)(fa * fb), fb != 0 ? (double)(fa / fb) : 0.0);
            conversions(vals[k]);
        }
        volatile long double la = 1.0L, lb = 3.0L;
        printf("long double 1/3 %.21Lg sqrt2 %.21Lg\n", la / lb, sqrtl(2.0L));
    }
    fesetround(FE_TONEAREST);
    for (unsigned k = 0; k < NV; k++) libm_line(vals[k]);

    /* NaN, infinities, denormals */
    double nan = NAN, inf = INFINITY, den = 0x1p-1070;
    printf("nan %f %d %d %d inf %f %f den %a %a %a %a\n", nan, nan == nan, nan < 1, isnan(nan), inf, -inf, den,
           den * 0.5, den / 3, nextafter(0.0, 1.0));
    printf("classify %d %d %d %d %d\n", fpclassify(nan), fpclassify(inf), fpclassify(den), fpclassify(0.0),
           fpclassify(1.0));
    int e;
    printf("frexp %a %d ldexp %a %a\n", frexp(den, &e), e, ldexp(1.0, -1074), ldexp(1.5, 1024));
    printf("fetestexcept after 1/0: ");
    feclearexcept(FE_ALL_EXCEPT);
    sink = 1.0 / (volatile double){0.0};
    printf("%d\n", fetestexcept(FE_DIVBYZERO) != 0);

    /* integer SIMD by the vectoriser in the -O3 build: sums, mins, byte ops */
    static uint8_t bytes[4096];
    static int32_t ints[2048];
    static int16_t shorts[2048];
    for (int k = 0; k < 4096; k++) bytes[k] = (uint8_t)(k * 37 + (k >> 5));
    for (int k = 0; k < 2048; k++) { ints[k] = k * 2654435761u; shorts[k] = (int16_t)(k * 40503); }
    uint32_t bsum = 0, bmax = 0;
    for (int k = 0; k < 4096; k++) { bsum += bytes[k]; if (bytes[k] > bmax) bmax = bytes[k]; }
    int64_t isum = 0;
    int32_t imin = INT32_MAX;
    for (int k = 0; k < 2048; k++) { isum += ints[k] >> 3; if (ints[k] < imin) imin = ints[k]; }
    int32_t dot = 0;
    for (int k = 0; k < 2048; k++) dot += shorts[k] * shorts[(k + 5) & 2047];
    for (int k = 0; k < 4096; k++) bytes[k] = (uint8_t)(bytes[k] + bytes[4095 - k]) ^ 0x5a;
    uint32_t h = 0;
    for (int k = 0; k < 4096; k++) h = h * 31 + bytes[k];
    printf("simd-int %u %u %lld %d %d %08x\n", bsum, bmax, (long long)isum, imin, dot, h);
    double dsum = 0;
    float fsum = 0;
    static float fv[1024];
    for (int k = 0; k < 1024; k++) fv[k] = (float)k / 7.0f;
    for (int k = 0; k < 1024; k++) { dsum += fv[k] * 1.5; fsum += fv[k] * fv[k]; }
    printf("simd-fp %a %a\n", dsum, (double)fsum);
    return 0;
}
