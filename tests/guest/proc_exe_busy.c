/* ue-test: variants=s2 d0 */
/* The running program's file is busy: opening it for writing, with
 * O_TRUNC, or truncating it is ETXTBSY (through its name, a link, or
 * /proc/self/exe); ld.so and libraries are not; a copy that does not run is
 * writable. Only ever writes the copies it makes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s: %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
    if (r > 2) close((int)r);
}

static int lib(struct dl_phdr_info *i, size_t s, void *d)
{
    (void)s; (void)d;
    if (i->dlpi_name[0] == '/') {
        const char *b = strrchr(i->dlpi_name, '/') + 1;
        char what[300];
        snprintf(what, sizeof what, "open O_WRONLY %s", b);   /* no O_TRUNC: nothing written */
        show(what, open(i->dlpi_name, O_WRONLY));
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        show("open O_WRONLY", open("prog", O_WRONLY));
        show("open O_RDWR", open("prog", O_RDWR));
        show("open O_RDONLY|O_TRUNC", open("prog", O_RDONLY | O_TRUNC));
        show("open O_RDONLY", open("prog", O_RDONLY));
        show("open link O_WRONLY", open("link", O_WRONLY));
        show("open link O_WRONLY|O_NOFOLLOW", open("link", O_WRONLY | O_NOFOLLOW));
        show("open /proc/self/exe O_WRONLY", open("/proc/self/exe", O_WRONLY));
        show("open O_WRONLY|O_CREAT|O_EXCL", open("prog", O_WRONLY | O_CREAT | O_EXCL, 0644));
        struct open_how how = { .flags = O_RDWR };
        show("openat2 O_RDWR", syscall(SYS_openat2, AT_FDCWD, "prog", &how, sizeof how));
        show("truncate", truncate("prog", 10));
        show("truncate -1", truncate("prog", -1));
        show("truncate link", truncate("link", 10));
        show("open copy O_WRONLY|O_TRUNC", open("copy", O_WRONLY | O_TRUNC));
        show("truncate copy", truncate("copy", 10));
        dl_iterate_phdr(lib, NULL);
        return 0;
    }
    char buf[65536];
    int in = open("/proc/self/exe", O_RDONLY), out = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    int out2 = open("copy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) { write(out, buf, n); write(out2, buf, n); }
    close(in);
    close(out);
    close(out2);
    symlink("prog", "link");
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        execl("./prog", "prog", "child", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    show("after exit: open O_WRONLY", open("prog", O_WRONLY));
    unlink("prog");
    unlink("copy");
    unlink("link");
    return 0;
}
