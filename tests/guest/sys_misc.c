/* ue-test: variants=all */
/* umask (old value returned, applied to creat), uname (sysname, machine),
 * getpid/getppid/gettid consistency, uid/gid equal to the AT_ values,
 * getpgrp, getrandom sizes, prctl name, sysinfo sanity, sched_yield. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sched.h>
#include <unistd.h>

int main(void)
{
    mode_t old = umask(027);
    printf("umask old=%03o\n", (unsigned)old);
    printf("umask again=%03o\n", (unsigned)umask(0));
    umask(027);
    close(open("m", O_CREAT | O_WRONLY, 0777));
    struct stat st;
    stat("m", &st);
    printf("created with 0777 under 027: %03o\n", (unsigned)(st.st_mode & 0777));
    unlink("m");

    struct utsname u;
    printf("uname: %d sysname=%s machine=%s\n", uname(&u), u.sysname, u.machine);
    printf("nodename nonempty: %d release nonempty: %d\n", u.nodename[0] != 0, u.release[0] != 0);

    printf("getpid stable: %d\n", getpid() == getpid());
    printf("gettid == getpid in main thread: %d\n", gettid() == getpid());
    printf("getppid != getpid: %d\n", getppid() != getpid());
    printf("uid matches AT_UID: %d euid: %d gid: %d egid: %d\n", getuid() == getauxval(AT_UID),
           geteuid() == getauxval(AT_EUID), getgid() == getauxval(AT_GID), getegid() == getauxval(AT_EGID));
    printf("getpgrp == getpgid(0): %d\n", getpgrp() == getpgid(0));

    unsigned char buf[300];
    printf("getrandom 16: %zd\n", getrandom(buf, 16, 0));
    printf("getrandom 300: %zd\n", getrandom(buf, 300, 0));
    printf("getrandom 0: %zd\n", getrandom(buf, 0, 0));
    int nonzero = 0;
    for (int i = 0; i < 300; i++)
        nonzero += buf[i] != 0;
    printf("random bytes mostly nonzero: %d\n", nonzero > 250);
    errno = 0;
    ssize_t r = getrandom(buf, 16, 0x1000);
    printf("getrandom bad flags: %zd %s\n", r, strerrorname_np(errno));

    char name[32] = {0};
    prctl(PR_SET_NAME, "ue-test-name");
    prctl(PR_GET_NAME, name);
    printf("prctl name: %s\n", name);
    struct sysinfo si;
    int si_ret = sysinfo(&si);   /* before the fields are read (argument order is unspecified) */
    printf("sysinfo: %d uptime>0: %d mem_unit>0: %d totalram>0: %d\n", si_ret, si.uptime > 0, si.mem_unit > 0,
           si.totalram > 0);
    printf("sched_yield: %d\n", sched_yield());
    printf("sysconf pagesize: %ld\n", sysconf(_SC_PAGESIZE));
    return 0;
}
