/* ue-test: variants=s2 d0 p2 */
/* /proc/self/smaps describes the guest's mappings at guest addresses (the
 * same ranges as /proc/self/maps), and mlock, mlock2(MLOCK_ONFAULT),
 * munlock and mlockall show in a mapping's Size, Rss, Locked and VmFlags
 * ("lo"), as natively. Without the privilege to lock natively the EPERM is
 * printed. Whole mappings only: ue's maps does not split a mapping that is
 * partly locked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char text[1 << 20];

/* read with open/read: no allocation between reading maps and smaps */
static void slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    size_t n = 0;
    for (ssize_t k = 1; fd >= 0 && k > 0 && n < sizeof text - 1; n += (size_t)k) {
        k = read(fd, text + n, sizeof text - 1 - n);
        if (k < 0) k = 0;
    }
    text[n] = 0;
    if (fd >= 0) close(fd);
}

/* the smaps entry of the mapping that starts at p */
static void show(const char *what, void *p)
{
    slurp("/proc/self/smaps");
    char head[32];
    snprintf(head, sizeof head, "%08lx-", (unsigned long)p);
    char *e = strstr(text, head);
    if (!e || (e != text && e[-1] != '\n')) {
        printf("%s: no entry\n", what);
        return;
    }
    unsigned long s, end;
    sscanf(e, "%lx-%lx", &s, &end);
    const char *keys[] = { "Size:", "Rss:", "Locked:", "Anonymous:" };
    printf("%s: range %lu kB", what, (end - s) / 1024);
    for (int k = 0; k < 4; k++) {
        char *v = strstr(e, keys[k]);
        printf(" %s%ld", keys[k], v ? strtol(v + strlen(keys[k]), NULL, 10) : -1L);
    }
    char *fl = strstr(e, "VmFlags:");
    char *eol = fl ? strchr(fl, '\n') : NULL;
    if (eol) *eol = 0;
    printf(" lo:%d rd:%d wr:%d ex:%d\n", fl && strstr(fl, " lo"), fl && strstr(fl, " rd"), fl && strstr(fl, " wr"),
           fl && strstr(fl, " ex"));
}

int main(void)
{
    /* the same ranges as maps */
    slurp("/proc/self/maps");
    static char maps[1 << 16];
    char *m = maps;
    for (char *l = text; *l; l = strchr(l, '\n') + 1) {
        m += sprintf(m, "%.*s|", (int)strcspn(l, " "), l);
        if (!strchr(l, '\n')) break;
    }
    slurp("/proc/self/smaps");
    int same = 1, entries = 0;
    char *want = maps;
    for (char *l = text; *l;) {
        char *nl = strchr(l, '\n');
        unsigned long a, b;
        char c;
        if (sscanf(l, "%lx-%lx%c", &a, &b, &c) == 3 && c == ' ') {
            size_t n = strcspn(l, " ");
            if (strncmp(want, l, n) || want[n] != '|') same = 0;
            want = strchr(want, '|') + 1;
            entries++;
        }
        if (!nl) break;
        l = nl + 1;
    }
    printf("smaps ranges are the maps ranges: %d (%s)\n", same && !*want, entries > 3 ? "several" : "few");

    long pg = sysconf(_SC_PAGESIZE);
    /* each mapping between PROT_NONE pages, so that it merges with none */
    char *g = mmap(NULL, 12 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *p = mmap(g + pg, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show("fresh", p);
    memset(p, 1, 2 * pg);
    show("two pages touched", p);
    int r = mlock(p, 4 * pg);
    printf("mlock: %s\n", r ? strerror(errno) : "ok");
    show("locked", p);
    munlock(p, 4 * pg);
    show("unlocked", p);
    char *q = mmap(g + 7 * pg, 4 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    r = syscall(SYS_mlock2, q, 4 * pg, 1 /* MLOCK_ONFAULT */);
    printf("mlock2 onfault: %s\n", r ? strerror(errno) : "ok");
    show("locked on fault, read-only", q);
    munlock(q, 4 * pg);
    r = mlockall(MCL_CURRENT);
    printf("mlockall: %s\n", r ? strerror(errno) : "ok");
    show("after mlockall", p);
    munlockall();
    show("after munlockall", p);
    munmap(g, 12 * pg);
    return 0;
}
