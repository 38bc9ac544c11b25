/* ue-test: variants=s2 d2 p2; cflags=-msse2 -mfpmath=sse -O2; ldflags=-lm */
/* Plain C numerics with the compiler doing float/double in SSE2 (scalar
 * ss/sd arithmetic, conversions, comparisons, min/max, sqrt), around libm
 * calls, printed with %.17g and %a; the rounding modes through fesetround
 * plus MXCSR set directly (glibc's fesetround sets MXCSR only when CPUID
 * reports SSE), exception flags read from the x87 and MXCSR themselves. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xmmintrin.h>

static volatile double vd[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, 2.5, 1e300, -1e-300, 4.9e-324,
                               DBL_MAX, 123456.789, 6.02214076e23, 2147483647.5, -2147483648.5, 0.5};
static volatile float vf[] = {0.0f, 1.0f, -1.5f, 0.1f, 16777217.0f, 3.4e38f, 1e-40f, 2.5f, -2.5f, 1e10f};
#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* the exception flags: x87 status word | MXCSR; both cleared */
static unsigned excepts(void)
{
    unsigned short sw;
    __asm__ volatile("fnstsw %0\n\tfnclex" : "=m"(sw));
    unsigned mx = _mm_getcsr();
    _mm_setcsr(mx & ~0x3fu);
    return (sw & 0x3f) << 8 | (mx & 0x3f);
}

static double kahan_sum(int n)
{
    double s = 0, c = 0;
    for (int i = 1; i <= n; i++) {
        double y = 1.0 / ((double)i * i) - c;
        double t = s + y;
        c = (t - s) - y;
        s = t;
    }
    return s;
}

static float dot_f(int n)
{
    float a = 0;
    for (int i = 0; i < n; i++) a += (float)i * 0.001f / (1.0f + (float)(i & 7));
    return a;
}

/* a small Mandelbrot count in doubles: compares and branches on SSE results */
static int mandel(void)
{
    int total = 0;
    for (int y = -12; y < 12; y++)
        for (int x = -24; x < 8; x++) {
            double cr = x / 12.0, ci = y / 12.0, zr = 0, zi = 0;
            int k = 0;
            while (k < 200 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                k++;
            }
            total += k;
        }
    return total;
}

int main(void)
{
    for (int k = 0; k < N(vd); k++) {
        double x = vd[k];
        printf("%-24.17g sin %.17g exp %.17g pow %.17g fmod %.17g lgamma %.17g\n", x, sin(x), exp(x),
               pow(fabs(x), 0.75), fmod(x, 0.7), lgamma(x));
        printf("  sqrt %a  x*x %a  x/3 %a  (float) %a  (int) %d  (long long) %lld  min %a max %a\n", sqrt(fabs(x)),
               x * x, x / 3, (double)(float)x, fabs(x) < 2147483648.0 ? (int)x : -1,
               fabs(x) < 9e18 ? (long long)x : -1LL, fmin(x, 0.25), fmax(x, -0.25));
    }
    for (int k = 0; k < N(vf); k++) {
        float f = vf[k];
        printf("%a: f*f %a f+1 %a sqrtf %a (double) %.17g (int) %d cmp %d%d%d\n", (double)f, (double)(f * f),
               (double)(f + 1.0f), (double)sqrtf(fabsf(f)), (double)f, fabsf(f) < 2e9f ? (int)f : -1, f < 1.0f,
               f == 2.5f, f >= -1.5f);
    }
    static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    static const char *names[] = {"nearest", "down", "up", "zero"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        _mm_setcsr((_mm_getcsr() & ~0x6000u) | (unsigned)m << 13);   /* RC: nearest, down, up, zero */
        volatile double a = 1.0, b = 3.0;
        volatile float fa = 1.0f, fb = 3.0f;
        volatile int i = 16777217;
        volatile double big = 2.5;
        printf("%-8s 1/3 %a  1f/3f %a  (float)16777217 %a  rint(2.5) %a  lrint(-2.5) %ld  nearbyint(-0.5) %a\n",
               names[m], a / b, (double)(fa / fb), (double)(float)i, rint(big), lrint(-big), nearbyint(-0.5));
        printf("         sum %.17g  dot %a\n", kahan_sum(1000), (double)dot_f(5000));
        printf("         exceptions x87|sse %#x\n", excepts());
    }
    fesetround(FE_TONEAREST);
    _mm_setcsr(0x1f80);
    printf("mandel %d\n", mandel());
    volatile double zero = 0.0;
    excepts();
    double inf = 1.0 / zero, nan = zero / zero;
    printf("inf %a nan-is-nan %d excepts %#x\n", inf, nan != nan, excepts());
    printf("strtod %.17g %.17g\n", strtod("0.1", NULL) * 3, atof("1e-310") * 1e10);
    return 0;
}
