/* ue-test: variants=s2 timeout=60 */
/* Many short-lived threads, one after another, each opening and reading a
 * directory: whatever ue keeps per thread for these calls (its buffer below
 * 4 GiB for the host's i386 entry, of which there is room for about 32000)
 * must go with the thread, or the later threads' calls fail. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 34000

static void *work(void *arg)
{
    static __thread char buf[1024];
    long *bad = arg;
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    if (fd < 0 || syscall(SYS_getdents64, fd, buf, sizeof buf) <= 0) ++*bad;
    close(fd);
    return NULL;
}

int main(void)
{
    long bad = 0;
    for (int k = 0; k < THREADS; k++) {
        pthread_t t;
        int e = pthread_create(&t, NULL, work, &bad);
        if (e) {
            printf("pthread_create %d: %s\n", k, strerrorname_np(e));
            return 1;
        }
        pthread_join(t, NULL);
    }
    printf("%d threads, %ld failed\n", THREADS, bad);
    return 0;
}
