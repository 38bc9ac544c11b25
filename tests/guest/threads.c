/* ue-test: variants=s2 d0 p2 */
#define _GNU_SOURCE
/* pthreads: 4 threads each with its own __thread counter and stack, results
 * joined in order; a mutex-protected shared sum; thread ids differ; a thread's
 * return value. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static __thread unsigned long mine = 1000;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long shared;
static pid_t tids[4];

static void *work(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < 20000; i++) {
        mine += id + 1;
        pthread_mutex_lock(&lock);
        shared += id;
        pthread_mutex_unlock(&lock);
    }
    tids[id] = gettid();
    return (void *)(intptr_t)(mine * 10 + id);
}

int main(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        if (pthread_create(&t[i], NULL, work, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d returned %lu\n", i, (unsigned long)(uintptr_t)r);
    }
    printf("shared=%lu main's mine=%lu\n", shared, mine);
    int distinct = 1;
    for (int i = 0; i < 4; i++) {
        if (tids[i] == getpid())
            distinct = 0;
        for (int j = 0; j < i; j++)
            if (tids[i] == tids[j])
                distinct = 0;
    }
    printf("thread ids distinct from each other and the process: %s\n", distinct ? "yes" : "no");
    return 0;
}
