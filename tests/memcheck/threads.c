/* Eight threads allocate and free at once: no errors, and each leaks one
 * 100-byte block, so the totals show up as one loss record. Only definite
 * leaks are shown: the thread stacks glibc caches hold their TLS vectors by
 * interior pointers (possibly lost unless the C library's blocks are freed
 * at exit, as valgrind does).
 * memcheck: variants=O0,static opt=--show-leak-kinds=definite opt=--errors-for-leak-kinds=definite
 * expect Leak_DefinitelyLost bytes=800 blocks=8 stack=malloc|worker@L
 */
#include "mc.h"
#include <pthread.h>

#define THREADS 8
void *leaked[THREADS];

void *worker(void *arg)
{
    unsigned id = (unsigned)(long)arg, seed = id * 2654435761u + 1, sum = 0;
    char *slot[16] = { 0 };
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245u + 12345u;
        int k = (seed >> 8) % 16;
        size_t n = 1 + (seed >> 16) % 200;
        if (slot[k]) {
            sum += (unsigned char)slot[k][0];
            if (seed & 1) {
                free(slot[k]);
                slot[k] = NULL;
                continue;
            }
            slot[k] = realloc(slot[k], n);
        } else {
            slot[k] = (seed & 2) ? calloc(1, n) : malloc(n);
        }
        memset(slot[k], (int)(seed & 0x7f), n);
    }
    for (int k = 0; k < 16; k++)
        free(slot[k]);
    leaked[id] = malloc(100); /* @L */
    mc_scrub_stack();
    return (void *)(long)sum;
}

int main(void)
{
    mc_start();
    pthread_t t[THREADS];
    unsigned long total = 0;
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (unsigned long)r;
        leaked[i] = NULL;
    }
    printf("total %lu\n", total);
    return 0;
}
