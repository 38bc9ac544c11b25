/* ue-test: variants=s2 d0 p2; cflags=-g */
/* Core dumps: a child that dies of a core-dumping signal leaves a core as
 * RLIMIT_CORE allows, and its parent sees WCOREDUMP exactly as natively
 * (a limit below one page: no dump, no flag; a limit of one page: a cut
 * core, still flagged). The core is an i386 ET_CORE/EM_386 ELF whose notes
 * tell the signal, the pid, comm and the faulting EIP, and whose PT_LOADs
 * hold the guest's memory at guest addresses. Each core is checked and
 * deleted by the parent; with a pipe core_pattern there is none to see. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char marker[32] = "initial";
static pid_t child;

__attribute__((noinline)) void crash_here(volatile int *p)
{
    *p = 42;
    asm volatile("" ::: "memory");
}

static unsigned char *load(const char *name, long *size)
{
    int fd = open(name, O_RDONLY);
    if (fd < 0) return NULL;
    struct stat st;
    fstat(fd, &st);
    unsigned char *b = malloc(st.st_size + 1);
    long n = 0, r;
    while (n < st.st_size && (r = read(fd, b + n, st.st_size - n)) > 0) n += r;
    close(fd);
    *size = n;
    return b;
}

static void examine(const char *name, int cut)
{
    long size;
    unsigned char *b = load(name, &size);
    if (!b) { printf("  cannot read %s\n", name); return; }
    Elf32_Ehdr *eh = (Elf32_Ehdr *)b;
    int ok = size >= (long)sizeof *eh && !memcmp(eh->e_ident, ELFMAG, SELFMAG);
    printf("  core: elf=%d class32=%d type_core=%d em386=%d", ok, ok && eh->e_ident[EI_CLASS] == ELFCLASS32,
           ok && eh->e_type == ET_CORE, ok && eh->e_machine == EM_386);
    if (cut) { printf(" size<=4096=%d\n", size <= 4096); free(b); return; }
    printf("\n");
    if (!ok || eh->e_phoff + (long)eh->e_phnum * sizeof(Elf32_Phdr) > (unsigned long)size) { free(b); return; }
    Elf32_Phdr *ph = (Elf32_Phdr *)(b + eh->e_phoff);
    int loads = 0, marker_ok = 0;
    for (int k = 0; k < eh->e_phnum; k++) {
        if (ph[k].p_type == PT_LOAD) {
            loads++;
            unsigned a = (unsigned)(unsigned long)marker;
            if (a >= ph[k].p_vaddr && a + 16 <= ph[k].p_vaddr + ph[k].p_filesz &&
                ph[k].p_offset + ph[k].p_filesz <= (unsigned long)size)
                marker_ok = !strcmp((char *)b + ph[k].p_offset + (a - ph[k].p_vaddr), "changed by child");
        }
        if (ph[k].p_type != PT_NOTE) continue;
        unsigned char *n = b + ph[k].p_offset, *end = n + ph[k].p_filesz;
        while (n + 12 <= end) {
            unsigned namesz, descsz, type;
            memcpy(&namesz, n, 4); memcpy(&descsz, n + 4, 4); memcpy(&type, n + 8, 4);
            unsigned char *desc = n + 12 + ((namesz + 3) & ~3u);
            if (type == NT_PRSTATUS && descsz == 144) {
                int signo, pid; short cursig; unsigned eip;
                memcpy(&signo, desc, 4); memcpy(&cursig, desc + 12, 2); memcpy(&pid, desc + 24, 4);
                memcpy(&eip, desc + 72 + 12 * 4, 4);
                unsigned f = (unsigned)(unsigned long)crash_here;
                printf("  prstatus: signo=%d cursig=%d pid_ok=%d eip_in_crash_here=%d\n", signo, cursig,
                       pid == child, eip >= f && eip < f + 32);
            } else if (type == NT_PRPSINFO && descsz == 124) {
                printf("  prpsinfo: fname=%.16s state=%c\n", (char *)desc + 28, desc[1]);
            } else if (type == NT_SIGINFO && descsz == 128) {
                int w[4];
                memcpy(w, desc, 16);
                if (w[2] > 0) printf("  siginfo: signo=%d errno=%d code=%d addr=%#x\n", w[0], w[1], w[2], w[3]);
                else printf("  siginfo: signo=%d errno=%d code=%d pid_ok=%d\n", w[0], w[1], w[2], w[3] == child);
            } else if (type == NT_AUXV) {
                unsigned *av = (unsigned *)desc, pagesz = 0;
                for (unsigned i = 0; i + 1 < descsz / 4; i += 2) if (av[i] == AT_PAGESZ) pagesz = av[i + 1];
                printf("  auxv: pagesz=%u\n", pagesz);
            } else if (type == NT_FPREGSET) {
                printf("  fpregset: size=%u\n", descsz);
            }
            n = desc + ((descsz + 3) & ~3u);
        }
    }
    printf("  loads>0=%d marker_at_guest_address=%d\n", loads > 0, marker_ok);
    free(b);
}

static void check_cores(int cut)
{
    DIR *d = opendir(".");
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, "core") && strncmp(e->d_name, "core.", 5)) continue;
        found++;
        examine(e->d_name, cut);
        unlink(e->d_name);
    }
    closedir(d);
    if (!found) printf("  no core file\n");
}

static void run(const char *what, int sig, long limit, int dumpable)
{
    struct rlimit hard;
    getrlimit(RLIMIT_CORE, &hard);
    if (limit != 0 && hard.rlim_max != RLIM_INFINITY && (rlim_t)limit > hard.rlim_max) {
        printf("%s: hard limit too low, skipped\n", what);
        return;
    }
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct rlimit r = { limit < 0 ? RLIM_INFINITY : (rlim_t)limit, hard.rlim_max };
        if (setrlimit(RLIMIT_CORE, &r)) _exit(3);
        if (!dumpable) prctl(PR_SET_DUMPABLE, 0);
        strcpy(marker, "changed by child");
        signal(sig, SIG_DFL);
        if (sig == SIGSEGV) crash_here(NULL);
        raise(sig);
        _exit(4);
    }
    int st;
    waitpid(child, &st, 0);
    printf("%s: exited=%d signaled=%d termsig=%d coredump=%d\n", what, WIFEXITED(st), WIFSIGNALED(st),
           WIFSIGNALED(st) ? WTERMSIG(st) : 0, WIFSIGNALED(st) ? WCOREDUMP(st) != 0 : 0);
    check_cores(limit > 0 && limit <= 4096);
}

int main(void)
{
    char pat[256] = "";
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    if (f) { fgets(pat, sizeof pat, f); fclose(f); }
    printf("core_pattern is a pipe: %d\n", pat[0] == '|');
    run("SEGV limit 0", SIGSEGV, 0, 1);
    run("ABRT limit 0", SIGABRT, 0, 1);
    run("QUIT limit 0", SIGQUIT, 0, 1);
    run("SEGV limit 1000", SIGSEGV, 1000, 1);
    run("SEGV unlimited", SIGSEGV, -1, 1);
    run("ABRT unlimited", SIGABRT, -1, 1);
    run("QUIT unlimited", SIGQUIT, -1, 1);
    run("TERM unlimited", SIGTERM, -1, 1);
    run("SEGV limit 4096", SIGSEGV, 4096, 1);
    run("ABRT not dumpable", SIGABRT, -1, 0);
    return 0;
}
