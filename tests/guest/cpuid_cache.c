/* ue-test: variants=s2 d0 */
/* CPUID describes the host's caches as natively (leaves 2 and 4, AMD's
 * 0x80000005/6 and 0x8000001D, leaf 1's logical processor count), so
 * glibc computes the same cache sizes and copy thresholds: the cache and
 * threshold lines of "ld-linux.so.2 --list-diagnostics" (run as a child,
 * which runs under ue when this program does) must match. Left out:
 * rep_movsb_threshold, which follows AVX/AVX512/FSRM, features ue does not
 * report. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

int main(void)
{
    uint32_t r[4], max, maxx;
    cpuid(0, 0, r);
    max = r[0];
    cpuid(0x80000000, 0, r);
    maxx = r[0];
    cpuid(1, 0, r);
    printf("leaf 1: logical processors %u (htt %u)\n", (r[1] >> 16) & 0xff, (r[3] >> 28) & 1);
    if (max >= 2) {
        cpuid(2, 0, r);
        printf("leaf 2: %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    }
    for (uint32_t sub = 0; max >= 4 && sub < 8; sub++) {
        cpuid(4, sub, r);
        if (!(r[0] & 31)) break;
        printf("leaf 4.%u: %08x %08x %08x %08x\n", sub, r[0], r[1], r[2], r[3]);
    }
    for (uint32_t leaf = 0x80000005; leaf <= 0x80000006 && leaf <= maxx; leaf++) {
        cpuid(leaf, 0, r);
        printf("leaf %#x: %08x %08x %08x %08x\n", leaf, r[0], r[1], r[2], r[3]);
    }
    for (uint32_t sub = 0; maxx >= 0x8000001d && sub < 8; sub++) {
        cpuid(0x8000001d, sub, r);
        if (!(r[0] & 31)) break;
        printf("leaf 0x8000001d.%u: %08x %08x %08x %08x\n", sub, r[0], r[1], r[2], r[3]);
    }
    fflush(stdout);

    int fd[2];
    if (pipe(fd)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl("/lib/ld-linux.so.2", "ld-linux.so.2", "--list-diagnostics", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "x86.cpu_features.", 17) && (strstr(line, "cache") || strstr(line, "threshold"))
            && !strstr(line, "rep_movsb_threshold=")) {
            fputs(line, stdout);
            n++;
        }
    }
    int st;
    waitpid(pid, &st, 0);
    printf("%d lines, ld.so exit %d\n", n, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
