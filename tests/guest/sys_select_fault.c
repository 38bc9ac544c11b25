/* ue-test: variants=s2 d0 p2 */
/* select, _newselect and pselect6 with bad arguments: an unreadable fd_set in
 * each position (EFAULT, and ue must not die), n < 0 (EINVAL before the sets),
 * a timeout with tv_usec over a second (carried, not EINVAL) or negative
 * (EINVAL before the sets), pselect6's sigset argument unreadable or of the
 * wrong size, a set on a file mapping past end of file, and n far above the
 * fdtable's size with the set ending where the kernel stops reading. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fd_table_size.h"

struct tv32 { int32_t sec, usec; };
struct ts32 { int32_t sec, nsec; };
struct sigarg { uint32_t ss, len; };

static void show(const char *what, long r)
{
    printf("%-40s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

int main(void)
{
    char *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    uint32_t *set = (uint32_t *)page;              /* a good set */
    uint32_t *bad = (uint32_t *)(page + 4096);     /* unmapped */
    struct tv32 *tv = (struct tv32 *)(page + 256);
    struct ts32 *ts = (struct ts32 *)(page + 512);

    for (int pos = 0; pos < 3; pos++) {
        char what[64];
        uint32_t *s[3] = { set, set, set };
        s[pos] = bad;
        set[0] = 2;   /* fd 1 */
        tv->sec = 0; tv->usec = 0;
        errno = 0;
        snprintf(what, sizeof what, "_newselect bad set %d", pos);
        show(what, syscall(SYS__newselect, 2, s[0], s[1], s[2], tv));
        snprintf(what, sizeof what, "pselect6 bad set %d", pos);
        ts->sec = 0; ts->nsec = 0;
        show(what, syscall(SYS_pselect6, 2, s[0], s[1], s[2], ts, NULL));
    }
    /* a good set with a zero timeout: stdout is writable */
    set[0] = 2;
    tv->sec = 0; tv->usec = 0;
    show("_newselect writable stdout", syscall(SYS__newselect, 2, NULL, set, NULL, tv));
    printf("  set now %#x\n", set[0]);

    /* order: n < 0 is EINVAL even with bad sets; the timeout is read first */
    show("_newselect n=-1 bad sets", syscall(SYS__newselect, -1, bad, bad, bad, tv));
    show("_newselect n=-1 bad timeout", syscall(SYS__newselect, -1, set, NULL, NULL, bad));
    tv->sec = 0; tv->usec = -1;
    show("_newselect usec=-1 bad sets", syscall(SYS__newselect, 2, bad, NULL, NULL, tv));
    tv->sec = 0; tv->usec = 1500000;   /* carried into the seconds: valid */
    show("_newselect usec=1500000 bad sets", syscall(SYS__newselect, 2, bad, NULL, NULL, tv));
    printf("  timeout left: sec %s\n", tv->sec <= 1 ? "<= 1" : "> 1");
    tv->sec = -1; tv->usec = 0;
    show("_newselect sec=-1", syscall(SYS__newselect, 2, set, NULL, NULL, tv));

    /* pselect6: the sigset argument */
    struct sigarg *sa = (struct sigarg *)(page + 1024);
    uint64_t *mask = (uint64_t *)(page + 1100);
    *mask = 0;
    ts->sec = 0; ts->nsec = 0;
    set[0] = 2;
    show("pselect6 sigarg unreadable", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, bad));
    sa->ss = (uint32_t)(uintptr_t)mask; sa->len = 7;
    show("pselect6 sigset size 7", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, sa));
    sa->ss = (uint32_t)(uintptr_t)bad; sa->len = 8;
    show("pselect6 sigset unreadable", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, sa));
    ts->nsec = 2000000000;
    show("pselect6 bad nsec, bad sigset", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, sa));
    ts->nsec = 0;
    sa->ss = (uint32_t)(uintptr_t)mask; sa->len = 8;
    show("pselect6 good sigset", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, sa));
    show("pselect6 bad timespec", syscall(SYS_pselect6, 2, NULL, set, NULL, bad, sa));

    /* n far above the fdtable's size (FDSize): only the bytes for FDSize fds
     * are read, so a set of that size ending at an unmapped page is fine,
     * and one 4 bytes shorter is not */
    int fdsize = fd_table_size();
    for (int shorter = 0; shorter <= 4; shorter += 4) {
        uint32_t *edge = (uint32_t *)(page + 4096 - fdsize / 8 + shorter);
        memset(edge, 0, fdsize / 8 - shorter);
        edge[0] = 2;
        tv->sec = 0; tv->usec = 0;
        show(shorter ? "_newselect n=100000 set 4 bytes short" : "_newselect n=100000 set of FDSize bits",
             syscall(SYS__newselect, 100000, NULL, edge, NULL, tv));
        printf("  set now %#x\n", edge[0]);
    }
    show("_newselect n=0x7fffffff", syscall(SYS__newselect, 0x7fffffff, NULL, NULL, NULL, tv));

    /* a set on a file mapping past end of file: SIGBUS for a load, EFAULT here */
    char path[64];
    snprintf(path, sizeof path, "/tmp/ue-selfault-%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    if (ftruncate(fd, 4096)) return 1;
    char *file = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *past = (uint32_t *)(file + 4096);
    tv->sec = 0; tv->usec = 0;
    show("_newselect set past EOF (in)", syscall(SYS__newselect, 2, past, NULL, NULL, tv));
    show("_newselect set past EOF (out)", syscall(SYS__newselect, 2, NULL, past, NULL, tv));
    show("_newselect timeout past EOF", syscall(SYS__newselect, 2, NULL, set, NULL, past));
    show("pselect6 sigarg past EOF", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, past));
    struct sigarg *sa2 = (struct sigarg *)(page + 2000);
    sa2->ss = (uint32_t)(uintptr_t)past; sa2->len = 8;
    show("pselect6 sigset past EOF", syscall(SYS_pselect6, 2, NULL, set, NULL, ts, sa2));
    /* old select(82) takes its arguments in memory */
#ifdef SYS_select
    show("select args unreadable", syscall(SYS_select, bad));
    show("select args past EOF", syscall(SYS_select, past));
    uint32_t *args = (uint32_t *)(page + 3000);
    args[0] = 2; args[1] = 0; args[2] = (uint32_t)(uintptr_t)bad; args[3] = 0; args[4] = (uint32_t)(uintptr_t)tv;
    show("select bad out set", syscall(SYS_select, args));
#endif
    return 0;
}
