/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* The task's name is the executed file's base name (truncated to 15
 * bytes): PR_GET_NAME, /proc/self/comm and /proc/self/stat show it, a
 * thread inherits it, PR_SET_NAME changes it, and an exec'd program gets
 * its own. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void show(const char *who)
{
    char name[17] = { 0 }, comm[64] = { 0 }, stat[256] = { 0 };
    prctl(PR_GET_NAME, name, 0, 0, 0);
    FILE *f = fopen("/proc/thread-self/comm", "r");
    if (f) { fgets(comm, sizeof comm, f); fclose(f); }
    comm[strcspn(comm, "\n")] = 0;
    f = fopen("/proc/thread-self/stat", "r");
    if (f) { fgets(stat, sizeof stat, f); fclose(f); }
    char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
    if (open_paren && close_paren) *close_paren = 0;
    printf("%s: PR_GET_NAME \"%s\", comm \"%s\", stat \"%s\"\n", who, name, comm, open_paren ? open_paren + 1 : "?");
}

static void *thread(void *arg)
{
    (void)arg;
    show("thread");
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1) { show("exec'd"); return 0; }
    show("main");
    pthread_t t;
    pthread_create(&t, NULL, thread, NULL);
    pthread_join(t, NULL);
    prctl(PR_SET_NAME, "a-much-longer-name-than-fits", 0, 0, 0);
    show("renamed");
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "again", (char *)NULL);
    return 1;
}
