/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* The guest libc's own signals (32: thread cancellation, 33: set*id across
 * threads): pthread_cancel of a thread blocked in sleep and of one looping
 * on a cancellation point, cleanup handlers, asynchronous cancel, and
 * setuid/setgid to the current ids while other threads run. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int cleaned;
static void cleanup(void *arg) { cleaned += (int)(long)arg; }

static void *sleeper(void *arg)
{
    pthread_cleanup_push(cleanup, arg);
    for (;;) sleep(1);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *spinner(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (volatile unsigned long n = 0;; n++) {}
    return NULL;
}

static void *waiter(void *arg)
{
    (void)arg;
    for (int k = 0; k < 50; k++) usleep(2000);
    return (void *)(long)getuid();
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, sleeper, (void *)5);
    pthread_create(&b, NULL, spinner, NULL);
    usleep(50000);
    printf("cancel sleeper %d spinner %d\n", pthread_cancel(a), pthread_cancel(b));
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("sleeper %s, spinner %s, cleanup ran: %d\n", ra == PTHREAD_CANCELED ? "canceled" : "returned",
           rb == PTHREAD_CANCELED ? "canceled" : "returned", cleaned);

    pthread_t w[3];
    for (int k = 0; k < 3; k++) pthread_create(&w[k], NULL, waiter, NULL);
    usleep(10000);
    int r1 = setgid(getgid()), r2 = setuid(getuid());
    int same = 1;
    for (int k = 0; k < 3; k++) {
        void *r;
        pthread_join(w[k], &r);
        same &= (long)r == (long)getuid();
    }
    printf("setgid %d setuid %d, threads saw the same uid: %d\n", r1, r2, same);
    return 0;
}
