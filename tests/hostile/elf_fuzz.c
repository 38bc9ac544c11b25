/* elf_fuzz: hostile ELF files, native against ue.  Each case copies one of
 * the base programs, overwrites or flips a few bytes of its ELF header,
 * program header table or PT_INTERP string (a PRNG seeded by the seed and
 * the case number, so any case can be replayed alone), then runs it natively
 * and under ue and compares the verdicts:
 *   - ue itself never fails: no "ue: internal error", no host SIGSEGV,
 *     SIGBUS or SIGABRT that the native run did not show;
 *   - execve refused (any errno) <=> ue exits 126/127;
 *   - when both ran: the same exit status or signal.
 * A native run that times out proves nothing and is counted apart; so is a
 * file made into an x86-64 one (it may run natively, ue refuses it), and a
 * case whose native runs disagree among themselves (asked again before a
 * mismatch is reported).
 *
 * usage: elf_fuzz --ue PATH --dir WORKDIR [--seed S] [--count N | --seconds T]
 *                 [--case I] BASE...
 * Prints one line per mismatch (the case file is kept in WORKDIR) and ends
 * with "elf-fuzz: N cases, N refused, N ran, N killed, N inconclusive, N mismatches". */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MUT 6
#define NATIVE_TIMEOUT 2.0
#define UE_TIMEOUT 20.0

struct base {
    const char *path;
    unsigned char *data;
    size_t size;
};

enum kind { V_EXECFAIL, V_EXIT, V_SIGNAL, V_TIMEOUT };
struct verdict {
    enum kind kind;
    int value;          /* errno, exit status or signal */
    char err[256];      /* the start of stderr */
};

static uint64_t rng;
static uint64_t next64(void)
{
    /* splitmix64: small, and every seed gives a good stream */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint32_t below(uint32_t n) { return (uint32_t)(next64() % n); }

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static struct base load_base(const char *path)
{
    struct base b = { .path = path };
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    fseek(f, 0, SEEK_END);
    b.size = (size_t)ftell(f);
    rewind(f);
    b.data = malloc(b.size);
    if (!b.data || fread(b.data, 1, b.size, f) != b.size) die(path);
    fclose(f);
    return b;
}

static const uint32_t interesting[] = {
    0, 1, 2, 3, 4, 6, 7, 0x10, 0x20, 0x34, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001, 0x7fff,
    0x8000, 0xffff, 0x10000, 0x08048000, 0x08049000, 0x56555000, 0x7fffffff, 0x80000000,
    0xbffff000, 0xf7ff0000, 0xfffe0000, 0xffffd000, 0xffffe000, 0xfffff000, 0xffffffff,
};

/* Mutate buf (a copy of a base) in place; describes what it did in log. */
static void mutate(unsigned char *buf, size_t size, char *log, size_t logsize)
{
    Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
    size_t phoff = eh->e_phoff, phnum = eh->e_phnum, used = 0;
    int n = 1 + below(MAX_MUT);
    log[0] = 0;
    for (int k = 0; k < n; k++) {
        /* where: the ELF header, one program header, or the PT_INTERP string */
        size_t at, width;
        uint32_t where = below(10);
        if (where < 3 || phnum == 0 || phoff + 32 * phnum > size) {
            at = 4 + below(sizeof *eh - 4);       /* the magic stays: without it nothing is tried */
        } else if (where < 9) {
            at = phoff + 32 * below(phnum) + 4 * below(8);
        } else {
            at = 0;
            for (size_t j = 0; j < phnum; j++) {
                const Elf32_Phdr *p = (const Elf32_Phdr *)(buf + phoff + 32 * j);
                if (p->p_type == PT_INTERP && p->p_offset < size && p->p_filesz)
                    at = p->p_offset + below(p->p_filesz);
            }
            if (!at) at = 4 + below(sizeof *eh - 4);
        }
        uint32_t how = below(4);
        width = how == 3 ? 4 : how == 2 ? 2 : 1;
        if (at + width > size) continue;
        uint32_t v;
        if (how == 0) {
            v = buf[at] ^ (1u << below(8));      /* a bit flip */
        } else if (how == 1) {
            v = below(256);                      /* a random byte */
        } else {
            v = next64() & 1 ? interesting[below(sizeof interesting / sizeof interesting[0])] : (uint32_t)next64();
            if (width == 2) v &= 0xffff;
        }
        memcpy(buf + at, &v, width);            /* little-endian host, little-endian file */
        used += snprintf(log + used, used < logsize ? logsize - used : 0, "%s@%zu=%x", k ? " " : "", at, v);
    }
}

/* Run argv with stdout/stderr to files in dir, no ASLR, in its own process group. */
static struct verdict run(char *const argv[], const char *dir, double limit)
{
    struct verdict v = { .kind = V_EXIT };
    char errpath[4096];
    snprintf(errpath, sizeof errpath, "%s/stderr", dir);
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        setpgid(0, 0);
        if (chdir(dir) < 0) _exit(127);
        struct rlimit lim = {0, 0};
        setrlimit(RLIMIT_CORE, &lim);
        lim.rlim_cur = lim.rlim_max = 16 << 20;  /* random code must not fill the disk */
        setrlimit(RLIMIT_FSIZE, &lim);
        lim.rlim_cur = lim.rlim_max = (rlim_t)limit + 2;
        setrlimit(RLIMIT_CPU, &lim);
        personality(ADDR_NO_RANDOMIZE);          /* ue's layout is the unrandomised one */
        for (int s = 1; s < 32; s++) signal(s, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int in = open("/dev/null", O_RDONLY), out = open("stdout", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0) _exit(127);
        dup2(in, 0); dup2(out, 1); dup2(err, 2);
        execv(argv[0], argv);
        int e = errno;
        if (write(report[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    close(report[1]);
    int e = 0;
    if (read(report[0], &e, sizeof e) != sizeof e) e = 0;
    close(report[0]);
    double start = now();
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (now() - start > limit) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            v.kind = V_TIMEOUT;
            break;
        }
        struct timespec nap = {0, 2000000};
        nanosleep(&nap, NULL);
    }
    kill(-pid, SIGKILL);                         /* whatever it left behind */
    if (e) {
        v.kind = V_EXECFAIL;
        v.value = e;
    } else if (v.kind != V_TIMEOUT) {
        if (WIFSIGNALED(status)) { v.kind = V_SIGNAL; v.value = WTERMSIG(status); }
        else v.value = WEXITSTATUS(status);
    }
    FILE *f = fopen(errpath, "r");
    if (f) {
        size_t n = fread(v.err, 1, sizeof v.err - 1, f);
        v.err[n] = 0;
        fclose(f);
    }
    return v;
}

static const char *show(const struct verdict *v, char *buf, size_t size)
{
    switch (v->kind) {
    case V_EXECFAIL: snprintf(buf, size, "execfail %s", strerrorname_np(v->value) ? strerrorname_np(v->value) : "?"); break;
    case V_EXIT: snprintf(buf, size, "exit %d", v->value); break;
    case V_SIGNAL: snprintf(buf, size, "signal %d", v->value); break;
    case V_TIMEOUT: snprintf(buf, size, "timeout"); break;
    }
    return buf;
}

/* Why ue's verdict is wrong, or NULL when it is right. */
static const char *judge(const struct verdict *n, const struct verdict *u)
{
    if (strstr(u->err, "ue: internal error")) return "ue reported an internal error";
    if (u->kind == V_SIGNAL && (u->value == SIGABRT || u->value == SIGBUS || u->value == SIGSEGV) &&
        !(n->kind == V_SIGNAL && n->value == u->value))
        return "ue died of a signal the native run did not";
    if (u->kind == V_EXECFAIL) return "ue itself could not be started";
    /* ue's refusal is 126/127 with its own line; the program may exit 127 too (ld.so errors) */
    bool refused = u->kind == V_EXIT && (u->value == 126 || u->value == 127) && !strncmp(u->err, "ue: ", 4);
    if (n->kind == V_EXECFAIL) return refused ? NULL : "the kernel refused it, ue did not";
    if (refused) return "ue refused what the kernel ran";
    if (u->kind == V_TIMEOUT) return "ue timed out, the native run did not";
    if (n->kind != u->kind || n->value != u->value) return "different exit status or signal";
    return NULL;
}

int main(int argc, char **argv)
{
    const char *ue = NULL, *dir = NULL;
    uint64_t seed = 0;
    long count = -1, only = -1;
    double seconds = -1;
    int first_base = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--ue") && i + 1 < argc) ue = argv[++i];
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc) count = atol(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--case") && i + 1 < argc) only = atol(argv[++i]);
        else if (argv[i][0] == '-') { fprintf(stderr, "elf_fuzz: unknown option %s\n", argv[i]); return 2; }
        else { first_base = i; break; }
    }
    if (!ue || !dir || first_base >= argc) {
        fprintf(stderr, "usage: elf_fuzz --ue PATH --dir DIR [--seed S] [--count N | --seconds T] [--case I] BASE...\n");
        return 2;
    }
    if (count < 0 && seconds < 0) count = 100;
    int nbases = argc - first_base;
    struct base *bases = calloc(nbases, sizeof *bases);
    for (int i = 0; i < nbases; i++) bases[i] = load_base(argv[first_base + i]);

    char casepath[4096], rundir[4096];
    snprintf(casepath, sizeof casepath, "%s/case", dir);
    snprintf(rundir, sizeof rundir, "%s/run", dir);
    mkdir(rundir, 0755);
    long stats[5] = {0}, bad = 0, done = 0;
    double start = now();
    for (long i = only >= 0 ? only : 0;; i++) {
        if (only >= 0 ? i > only : count >= 0 ? i >= count : now() - start >= seconds) break;
        rng = seed ^ (0x5851f42d4c957f2dull * (uint64_t)(i + 1));
        const struct base *b = &bases[below(nbases)];
        unsigned char *buf = malloc(b->size);
        memcpy(buf, b->data, b->size);
        char log[512];
        mutate(buf, b->size, log, sizeof log);
        /* a fresh inode each time: a straggler of the last case may still map the old one */
        unlink(casepath);
        int fd = open(casepath, O_WRONLY | O_CREAT | O_EXCL, 0755);
        if (fd < 0 || write(fd, buf, b->size) != (ssize_t)b->size || close(fd) < 0) die(casepath);
        uint16_t machine;
        memcpy(&machine, buf + 18, 2);
        free(buf);
        done++;

        char *nargv[] = { casepath, NULL };
        struct verdict nv = run(nargv, rundir, NATIVE_TIMEOUT);
        if (nv.kind == V_TIMEOUT || machine == EM_X86_64) { stats[4]++; continue; }
        char *uargv[] = { (char *)ue, casepath, NULL };
        struct verdict uv = run(uargv, rundir, UE_TIMEOUT);
        stats[nv.kind]++;
        const char *why = judge(&nv, &uv);
        /* before blaming ue: does the native run give the same verdict again? */
        for (int again = 0; why && again < 3; again++) {
            struct verdict n2 = run(nargv, rundir, NATIVE_TIMEOUT);
            if (n2.kind != nv.kind || n2.value != nv.value) {
                why = NULL;
                stats[nv.kind]--;
                stats[4]++;
                char a[64], c[64];
                printf("unstable case %ld: the native runs disagree (%s, then %s); not counted\n", i,
                       show(&nv, a, sizeof a), show(&n2, c, sizeof c));
                break;
            }
        }
        if (why || only >= 0) {
            char a[64], c[64], kept[4096];
            char *nl = strchr(uv.err, '\n');
            if (nl) *nl = 0;
            printf("%s case %ld (%s, seed 0x%llx): %s; native: %s, ue: %s; %s; ue said: %.150s\n",
                   why ? "MISMATCH" : "replay", i, b->path, (unsigned long long)seed, why ? why : "verdicts agree",
                   show(&nv, a, sizeof a), show(&uv, c, sizeof c), log, uv.err);
            if (why) {
                bad++;
                snprintf(kept, sizeof kept, "%s/fail-%llx-%ld", dir, (unsigned long long)seed, i);
                rename(casepath, kept);
            }
            fflush(stdout);
        }
    }
    printf("elf-fuzz: %ld cases, %ld refused, %ld ran, %ld killed, %ld inconclusive, %ld mismatches (seed 0x%llx, %.0f s)\n",
           done, stats[V_EXECFAIL], stats[V_EXIT], stats[V_SIGNAL], stats[4], bad, (unsigned long long)seed,
           now() - start);
    return bad ? 1 : 0;
}
