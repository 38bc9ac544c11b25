/* ue-test: variants=s2 d2; cflags=-msse2 -mfpmath=sse -pthread */
/* Each thread has its own MXCSR: four threads in different rounding modes
 * (one with FTZ/DAZ) compute the same divisions concurrently; every result
 * and the threads' exception flags must be those of their own mode. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

struct job { uint32_t csr, hash, csr_after; };

static void *work(void *arg)
{
    struct job *j = arg;
    _mm_setcsr(j->csr);
    uint32_t h = 2166136261u;
    for (int k = 1; k < 200000; k++) {
        volatile float a = (float)k, b = 3.0f, tiny = 1e-38f;
        float q = a / b, t = tiny / b;
        uint32_t u, v;
        memcpy(&u, &q, 4);
        memcpy(&v, &t, 4);
        h = (h ^ u ^ (v << 7)) * 16777619u;
        if ((k & 4095) == 0) sched_yield();
    }
    j->hash = h;
    j->csr_after = _mm_getcsr();
    return NULL;
}

int main(void)
{
    struct job jobs[4] = {{0x1f80}, {0x3f80}, {0x5f80}, {0xffc0}};
    pthread_t t[4];
    for (int k = 0; k < 4; k++) pthread_create(&t[k], NULL, work, &jobs[k]);
    for (int k = 0; k < 4; k++) pthread_join(t[k], NULL);
    for (int k = 0; k < 4; k++) printf("csr %04x: hash %08x mxcsr after %04x\n", jobs[k].csr, jobs[k].hash, jobs[k].csr_after);
    printf("main mxcsr %04x\n", _mm_getcsr());
    return 0;
}
