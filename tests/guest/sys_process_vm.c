/* ue-test: variants=s2 d0; timeout=10 */
/* process_vm_readv/writev between a parent and its fork()ed child (the
 * same layout under ue too) and on itself: data moved, partial transfers at
 * an unmapped remote page, the errors in mm/process_vm_access.c's order
 * (flags, the local vector, an empty transfer, the remote vector, the pid);
 * vmsplice of i386 iovecs into a pipe and out of it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_name.h"

static long rd(pid_t p, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long f)
{
    long x = syscall(SYS_process_vm_readv, p, l, ln, r, rn, f);
    return x < 0 ? -errno : x;
}
static long wr(pid_t p, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long f)
{
    long x = syscall(SYS_process_vm_writev, p, l, ln, r, rn, f);
    return x < 0 ? -errno : x;
}

static char shared_text[64] = "the child's original text";

int main(void)
{
    int go[2], done[2];
    pipe(go);
    pipe(done);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(page + 4096 - 8, "ACROSS-A-PAGE-END");
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        strcpy(shared_text, "the child's own text");
        munmap(page + 4096, 4096);   /* the remote page past page+4096 is gone */
        write(done[1], "r", 1);
        read(go[0], &c, 1);          /* the parent writes into us */
        printf("child sees \"%s\"\n", shared_text);
        fflush(stdout);
        write(done[1], "w", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(done[0], &c, 1);
    char a[16] = "", b[32] = "";
    struct iovec l[2] = { { a, 10 }, { b, 20 } };
    struct iovec r[1] = { { shared_text, 20 } };
    long n = rd(pid, l, 2, r, 1, 0);
    printf("readv %s: \"%.10s\" \"%.10s\"\n", en(n), a, b);
    /* the remote range runs into an unmapped page: a partial count */
    char big[64] = "";
    struct iovec lb[1] = { { big, 64 } };
    struct iovec rp[1] = { { page + 4096 - 8, 64 } };
    n = rd(pid, lb, 1, rp, 1, 0);
    printf("partial readv %s: \"%.8s\"\n", en(n), big);
    struct iovec rp2[2] = { { page + 4096 + 8, 8 }, { shared_text, 4 } };
    printf("readv first remote unmapped %s\n", en(rd(pid, lb, 1, rp2, 2, 0)));
    /* errors */
    printf("flags 1 %s\n", en(rd(pid, l, 2, r, 1, 1)));
    printf("local NULL %s\n", en(rd(pid, NULL, 2, r, 1, 0)));
    printf("local 2000 %s\n", en(rd(pid, l, 2000, r, 1, 0)));
    struct iovec ln[2] = { { a, 4 }, { b, (size_t)-3 } };
    printf("local negative %s\n", en(rd(pid, ln, 2, r, 1, 0)));
    struct iovec lz[1] = { { a, 0 } };
    printf("local empty, remote NULL %s\n", en(rd(pid, lz, 1, NULL, 1, 0)));
    printf("remote NULL %s\n", en(rd(pid, l, 2, NULL, 1, 0)));
    printf("remote 2000 %s\n", en(rd(pid, l, 2, r, 2000, 0)));
    struct iovec rn[1] = { { shared_text, (size_t)-3 } };
    printf("remote negative %s\n", en(rd(pid, l, 2, rn, 1, 0)));
    printf("no such pid %s\n", en(rd(0x7ffffff0, l, 2, r, 1, 0)));
    struct iovec lbad[1] = { { (void *)16, 8 } };
    printf("local buffer unmapped %s\n", en(rd(pid, lbad, 1, r, 1, 0)));
    /* writev into the child */
    char msg[] = "written by the parent";
    struct iovec lw[2] = { { msg, 11 }, { msg + 11, sizeof msg - 11 } };
    struct iovec rw[1] = { { shared_text, sizeof msg } };
    printf("writev %s\n", en(wr(pid, lw, 2, rw, 1, 0)));
    write(go[1], "1", 1);
    read(done[0], &c, 1);
    struct iovec rro[1] = { { (void *)main, 4 } };
    printf("writev to text %s\n", en(wr(pid, lw, 1, rro, 1, 0)));
    write(go[1], "2", 1);
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    /* on ourselves */
    char self[8] = "";
    struct iovec ls[1] = { { self, 5 } };
    struct iovec rs[1] = { { msg, 5 } };
    printf("self readv %s \"%s\"\n", en(rd(getpid(), ls, 1, rs, 1, 0)), self);

    /* vmsplice */
    int p[2];
    pipe(p);
    struct iovec v[2] = { { "vm", 2 }, { "splice", 6 } };
    long s = syscall(SYS_vmsplice, p[1], v, 2, 0);
    printf("vmsplice to pipe %s\n", en(s < 0 ? -errno : s));
    char out[8] = "", out2[8] = "";
    struct iovec o[2] = { { out, 3 }, { out2, 5 } };
    s = syscall(SYS_vmsplice, p[0], o, 2, 0);
    printf("vmsplice from pipe %s \"%.3s\" \"%.5s\"\n", en(s < 0 ? -errno : s), out, out2);
    s = syscall(SYS_vmsplice, p[1], v, 2, 0x100);
    printf("vmsplice bad flags %s\n", en(s < 0 ? -errno : s));
    s = syscall(SYS_vmsplice, 99, NULL, 2, 0);
    printf("vmsplice bad fd %s\n", en(s < 0 ? -errno : s));
    s = syscall(SYS_vmsplice, p[1], NULL, 2, 0);
    printf("vmsplice NULL vector %s\n", en(s < 0 ? -errno : s));
    s = syscall(SYS_vmsplice, p[1], v, 0, 0);
    printf("vmsplice 0 segs %s\n", en(s < 0 ? -errno : s));
    s = syscall(SYS_vmsplice, p[1], v, 5000, 0);
    printf("vmsplice 5000 segs %s\n", en(s < 0 ? -errno : s));
    int f = open("/dev/null", O_RDONLY);
    s = syscall(SYS_vmsplice, f, v, 2, 0);
    printf("vmsplice not a pipe %s\n", en(s < 0 ? -errno : s));
    return 0;
}
