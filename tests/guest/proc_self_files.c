/* ue-test: variants=s2 d0 p2 */
/* /proc/self and /proc/PID files describe the i386 program, not ue:
 * cmdline and environ (ours and a child's, as another process reads them),
 * exe, auxv (the i386 pairs getauxval sees), stat's layout fields
 * (startcode, endcode, startstack, start_data, end_data, arg and env
 * bounds, kstkesp/kstkeip 0). */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
int initialized_data = 42;

static void on_usr1(int s) { (void)s; }

static int slurp(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY), n = 0, r;
    if (fd < 0) return -1;
    while (n < size && (r = read(fd, buf + n, size - n)) > 0) n += r;
    close(fd);
    return n;
}

static void show_bytes(const char *what, const char *b, int n)
{
    printf("%s: %d bytes: ", what, n);
    for (int k = 0; k < n; k++) putchar(b[k] ? b[k] : '|');
    putchar('\n');
}

/* the strings of v joined with their NULs */
static int joined(char **v, char *out)
{
    int n = 0;
    for (; *v; v++) { strcpy(out + n, *v); n += strlen(*v) + 1; }
    return n;
}

static void check_auxv(const char *who, const char *b, int n)
{
    const uint32_t *w = (const uint32_t *)b;
    int pairs = n / 8, matches = 1, null_at = -1;
    for (int k = 0; k < pairs; k++) {
        if (w[2 * k] == AT_NULL) { null_at = k; break; }
        static const uint32_t kept[] = { AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_ENTRY, AT_UID,
                                         AT_EUID, AT_GID, AT_EGID, AT_SYSINFO_EHDR, AT_CLKTCK, AT_EXECFN };
        for (unsigned j = 0; j < sizeof kept / sizeof kept[0]; j++)   /* as the kernel gave them */
            if (w[2 * k] == kept[j] && getauxval(kept[j]) != w[2 * k + 1]) matches = 0;
    }
    /* the kernel counts 64-bit words two at a time past the AT_NULL pair */
    int expect = (null_at % 2 == 0 ? null_at + 2 : null_at + 3) * 8;
    printf("%s auxv: i386 pairs matching getauxval %d, AT_NULL found %d, length as the kernel counts %d\n",
           who, matches, null_at > 0, n == expect);
}

int main(int argc, char **argv)
{
    char buf[65536], want[65536];
    if (argc > 1 && !strcmp(argv[1], "child")) {
        /* wait until the parent has looked at us */
        read(0, buf, 1);
        return 0;
    }
    int n = slurp("/proc/self/cmdline", buf, sizeof buf);
    printf("cmdline is argv: %d\n", n == joined(argv, want) && !memcmp(buf, want, n));
    n = slurp("/proc/self/environ", buf, sizeof buf);
    printf("environ is environ: %d\n", n == joined(environ, want) && !memcmp(buf, want, n));
    char exe[4096] = { 0 };
    readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat a, b;
    printf("exe is the program: %d\n", !stat(exe, &a) && !stat("/proc/self/exe", &b) && a.st_ino == b.st_ino && !strstr(exe, "/ue"));
    n = slurp("/proc/self/auxv", buf, sizeof buf);
    check_auxv("self", buf, n);

    /* openat2 reaches the same files */
    struct open_how how = { .flags = O_RDONLY };
    static char maps1[65536], maps2[65536];
    int m1 = slurp("/proc/self/maps", maps1, sizeof maps1), m2 = 0, r2;
    int fd2 = syscall(SYS_openat2, AT_FDCWD, "/proc/self/maps", &how, sizeof how);
    while (fd2 >= 0 && m2 < (int)sizeof maps2 && (r2 = read(fd2, maps2 + m2, sizeof maps2 - m2)) > 0) m2 += r2;
    if (fd2 >= 0) close(fd2);
    printf("openat2 maps as open's: %d\n", m1 > 0 && m1 == m2 && !memcmp(maps1, maps2, m1));
    n = slurp("/proc/self/stat", buf, sizeof buf - 1);
    buf[n] = 0;
    unsigned long long f[60] = { 0 };
    char *s = strrchr(buf, ')') + 2;
    for (int k = 3; k < 53 && *s; k++) {
        f[k] = strtoull(s, &s, 10);
        if (*s == ' ') s++;
        if (k == 3) s = strchr(s, ' ') + 1;   /* field 3 is a letter */
    }
    uintptr_t main_at = (uintptr_t)main, data_at = (uintptr_t)&initialized_data;
    printf("stat: main in startcode..endcode %d\n", f[26] <= main_at && main_at < f[27]);
    printf("stat: startstack is where argc is %d\n", f[28] == (uintptr_t)argv - 4);
    printf("stat: kstkesp %llu kstkeip %llu\n", f[29], f[30]);
    printf("stat: data in start_data..end_data %d\n", f[45] <= data_at && data_at < f[46]);
    printf("stat: arg_start is argv[0] %d, arg_end past argv[argc-1] %d\n", f[48] == (uintptr_t)argv[0],
           f[49] == (uintptr_t)argv[argc - 1] + strlen(argv[argc - 1]) + 1);
    printf("stat: env_start is environ[0] %d\n", environ[0] && f[50] == (uintptr_t)environ[0]);

    /* status: the dispositions are the program's */
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    FILE *sf = fopen("/proc/self/status", "r");
    char line[256];
    while (sf && fgets(line, sizeof line, sf))
        if (!strncmp(line, "SigIgn:", 7) || !strncmp(line, "SigCgt:", 7) || !strncmp(line, "Name:", 5)) fputs(line, stdout);
    if (sf) fclose(sf);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);

    /* a child as another process sees it */
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[1]);
        char *av[] = { "kid", "child", "x y", "", "z", NULL };
        char *ev[] = { "K=1", "EMPTY=", NULL };
        execve("/proc/self/exe", av, ev);
        _exit(127);
    }
    close(p[0]);
    char path[64];
    /* the exec is done once cmdline shows the new argv */
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    for (int k = 0; k < 5000; k++) {
        n = slurp(path, buf, sizeof buf);
        if (n > 4 && !memcmp(buf, "kid", 4)) break;
        usleep(1000);
    }
    show_bytes("child cmdline", buf, n);
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    show_bytes("child environ", buf, slurp(path, buf, sizeof buf));
    snprintf(path, sizeof path, "/proc/%d/auxv", (int)pid);
    n = slurp(path, buf, sizeof buf);
    const uint32_t *w = (const uint32_t *)buf;
    int pagesz = 0;
    for (int k = 0; k + 1 < n / 4; k += 2) if (w[k] == AT_PAGESZ) pagesz = w[k + 1];
    printf("child auxv: i386 AT_PAGESZ %d\n", pagesz);
    write(p[1], "x", 1);
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    return 0;
}
