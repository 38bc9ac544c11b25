/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* Threads that end after the process has used up its file descriptors:
 * nothing in a thread's exit needs a new one, natively or under ue (ue's
 * host thread exit once had to open libgcc_s.so.1 then, and died). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void)
{
    struct rlimit rl = { 64, 64 };
    setrlimit(RLIMIT_NOFILE, &rl);
    int n = 0;
    while (open("/dev/null", O_RDONLY) >= 0) n++;
    printf("opened until %s\n", strerror(errno));
    for (int k = 0; k < 3; k++) {
        pthread_t t;
        void *ret = NULL;
        int e = pthread_create(&t, NULL, worker, (void *)(long)(k + 1));
        if (e) { printf("pthread_create: %s\n", strerror(e)); continue; }
        pthread_join(t, &ret);
        printf("thread %d returned %ld\n", k, (long)ret);
    }
    printf("fds still full: %d\n", open("/dev/null", O_RDONLY) < 0);
    return 0;
}
