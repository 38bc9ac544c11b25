/* N-body: five bodies (a sun and four planets) under Newtonian gravity,
 * symplectic Euler steps, total energy printed before and after.  Built twice:
 * -mfpmath=387 (x87) and -msse2 -mfpmath=sse (SSE2 scalar doubles). */
#include <math.h>
#include <string.h>
#include "bench.h"

#define NB 5
struct body { double x[3], v[3], m; };

static void advance(struct body *b, double dt)
{
    for (int i = 0; i < NB; i++)
        for (int j = i + 1; j < NB; j++) {
            double d[3], d2 = 0;
            for (int k = 0; k < 3; k++) {
                d[k] = b[i].x[k] - b[j].x[k];
                d2 += d[k] * d[k];
            }
            double mag = dt / (d2 * sqrt(d2));
            for (int k = 0; k < 3; k++) {
                b[i].v[k] -= d[k] * b[j].m * mag;
                b[j].v[k] += d[k] * b[i].m * mag;
            }
        }
    for (int i = 0; i < NB; i++)
        for (int k = 0; k < 3; k++)
            b[i].x[k] += dt * b[i].v[k];
}

static double energy(const struct body *b)
{
    double e = 0;
    for (int i = 0; i < NB; i++) {
        e += 0.5 * b[i].m * (b[i].v[0] * b[i].v[0] + b[i].v[1] * b[i].v[1] + b[i].v[2] * b[i].v[2]);
        for (int j = i + 1; j < NB; j++) {
            double d2 = 0;
            for (int k = 0; k < 3; k++)
                d2 += (b[i].x[k] - b[j].x[k]) * (b[i].x[k] - b[j].x[k]);
            e -= b[i].m * b[j].m / sqrt(d2);
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    long steps = arg_count(argc, argv, 1000000);
    const double pi = 3.141592653589793, days = 365.24, sm = 4 * pi * pi;
    /* Orbital elements roughly those of the outer planets (AU, AU/day). */
    struct body b[NB] = {
        {{0, 0, 0}, {0, 0, 0}, sm},
        {{4.84, -1.16, -0.10}, {1.66e-3 * days, 7.70e-3 * days, -6.90e-5 * days}, 9.55e-4 * sm},
        {{8.34, 4.12, -0.40}, {-2.77e-3 * days, 5.00e-3 * days, 2.30e-5 * days}, 2.86e-4 * sm},
        {{12.89, -15.11, -0.22}, {2.96e-3 * days, 2.38e-3 * days, -2.96e-5 * days}, 4.37e-5 * sm},
        {{15.38, -25.92, 0.18}, {2.68e-3 * days, 1.63e-3 * days, -9.51e-5 * days}, 5.15e-5 * sm},
    };
    double p[3] = {0};
    for (int i = 1; i < NB; i++)
        for (int k = 0; k < 3; k++)
            p[k] += b[i].v[k] * b[i].m;
    for (int k = 0; k < 3; k++)
        b[0].v[k] = -p[k] / sm;

    printf("%.9f\n", energy(b));
    for (long s = 0; s < steps; s++)
        advance(b, 0.01);
    double e = energy(b);
    printf("%.9f\n", e);
    uint32_t h = MIX_INIT;
    for (int i = 0; i < NB; i++)
        for (int k = 0; k < 3; k++) {
            uint64_t bits;
            memcpy(&bits, &b[i].x[k], 8);
            h = mix32(mix32(h, (uint32_t)bits), (uint32_t)(bits >> 32));
        }
    print_checksum(h);
    return 0;
}
