/* ue-test: variants=s2 d2 p0; timeout=60 */
/* The grow-down stack (fs/exec.c setup_arg_pages, mm/mmap.c expand_downwards),
 * printing only what holds with address randomisation: [stack] starts as the
 * argument pages plus 128 KiB; a store below it grows it to exactly that page,
 * up to RLIMIT_STACK read at the fault (a byte at exactly the limit works, one
 * below does not); a syscall's buffer below it (read, clock_gettime) grows it
 * too, and so does a signal frame; the growth keeps stack_guard_gap (256 pages) above an accessible
 * mapping but not above a PROT_NONE one; a hinted mmap in the gap goes
 * elsewhere; recursion past the limit dies of SIGSEGV; 100 MiB of recursion
 * needs the raised limit at exec (mmap_base sits 128 MiB below the stack),
 * and then works. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096u
#define MiB (1024u * 1024u)
#define GAP (256u * PG)

static char maps[1 << 16];

/* The [stack] line: its bounds; the number of [stack] lines is returned. */
static int stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
    FILE *f = fopen("/proc/self/maps", "r");
    int n = 0;
    size_t len = fread(maps, 1, sizeof maps - 1, f);
    fclose(f);
    maps[len] = 0;
    for (char *l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        char *e = strchr(l, '\n');
        if (e) *e = 0;
        if (strstr(l, "[stack]")) {
            unsigned long a, b;
            sscanf(l, "%lx-%lx", &a, &b);
            *lo = a;
            *hi = b;
            n++;
        }
        if (e) *e = '\n';
    }
    return n;
}

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

static volatile int usr1_seen;
static void on_usr1(int sig)
{
    volatile char local[512];
    local[0] = (char)sig;
    usr1_seen = local[0] == SIGUSR1;
}

/* Store one byte at a; 1 when it worked, 0 after a SIGSEGV there. */
static int touch(uintptr_t a)
{
    fault_addr = 0;
    if (sigsetjmp(jb, 1)) return fault_addr == a ? 0 : -1;
    *(volatile char *)a = 1;
    return 1;
}

static void set_stack_limit(rlim_t v)
{
    struct rlimit rl = { v, RLIM_INFINITY };
    if (setrlimit(RLIMIT_STACK, &rl)) perror("setrlimit");
}

__attribute__((noinline)) static int recurse(int kib)
{
    volatile char buf[1024];
    buf[0] = (char)kib;
    if (kib <= 1) return buf[0];
    return recurse(kib - 1) + buf[0];
}

/* Recursion of mib MiB in a child: "ok" or the signal that ended it. */
static void recurse_in_child(const char *what, int mib)
{
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        signal(SIGSEGV, SIG_DFL);   /* die of it, on no alternate stack */
        volatile int r = recurse(mib * 1024);
        (void)r;
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("%s: %d MiB recursion: %s %d\n", what, mib, WIFSIGNALED(st) ? "killed by signal" : "exit",
           WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
    uintptr_t lo, hi;
    if (argc > 1 && !strcmp(argv[1], "raised")) {
        /* exec'd with a 256 MiB limit: mmap_base is 257 MiB below the stack */
        recurse_in_child("after exec with 256 MiB", 100);
        return 0;
    }

    /* the initial stack: the pages from the lowest argument string (mm->start_stack) up, plus 128 KiB */
    int lines = stack_bounds(&lo, &hi);
    uintptr_t args = hi - ((uintptr_t)argv[0] & ~(uintptr_t)(PG - 1));
    printf("[stack] lines: %d, top page-aligned: %d, size = argument pages + 128 KiB: %d\n",
           lines, !(hi & (PG - 1)), hi - lo == args + 128 * 1024);
    printf("top within the randomised range: %d\n", hi <= 0xffffe000u && hi >= 0xffffe000u - 0x7ff000u - 0x2000u);

    /* recursion in children of the unexpanded stack: past a 4 MiB limit, within 32 MiB, and 140 MiB that the layout of this exec cannot hold */
    set_stack_limit(4 * MiB);
    recurse_in_child("limit 4 MiB", 8);
    set_stack_limit(32 * MiB);
    recurse_in_child("limit 32 MiB", 24);
    set_stack_limit(512 * MiB);
    recurse_in_child("limit raised to 512 MiB without exec", 140);

    static char altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    sigaltstack(&ss, NULL);
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    sigaction(SIGSEGV, &sa, NULL);

    /* any MAP_GROWSDOWN mapping grows the same way, within the rlimit from its end */
    set_stack_limit(4 * PG);
    char *g = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    printf("MAP_GROWSDOWN mapping: store 2 pages below: %d, 3 pages below: %d\n", touch((uintptr_t)g - 2 * PG),
           touch((uintptr_t)g - 3 * PG));
    munmap(g - 2 * PG, 4 * PG);

    /* a store 3 pages below grows the stack to exactly that page */
    set_stack_limit(16 * MiB);
    stack_bounds(&lo, &hi);
    uintptr_t t = lo - 3 * PG + 100;
    int ok = touch(t);
    uintptr_t lo2;
    stack_bounds(&lo2, &hi);
    printf("store 3 pages below: %d, grew to its page: %d, still one [stack]: %d\n", ok, lo2 == lo - 3 * PG,
           stack_bounds(&lo2, &hi));

    /* the limit counts from the top, checked at the fault */
    printf("store at top - 16 MiB - 1: %d\n", touch(hi - 16 * MiB - 1));
    stack_bounds(&lo2, &hi);
    printf("the failed store grew nothing: %d\n", lo2 == lo - 3 * PG);
    printf("store at top - 16 MiB: %d\n", touch(hi - 16 * MiB));
    stack_bounds(&lo2, &hi);
    printf("[stack] is now 16 MiB: %d\n", hi - lo2 == 16 * MiB);
    set_stack_limit(32 * MiB);
    printf("after raising the limit to 32 MiB, store at top - 32 MiB: %d\n", touch(hi - 32 * MiB));

    /* syscalls writing below the stack: read(2) (the host kernel's copy), clock_gettime (ue's copy) */
    set_stack_limit(64 * MiB);
    stack_bounds(&lo, &hi);
    int fds[2];
    pipe(fds);
    write(fds[1], "0123456789", 10);
    char *buf = (char *)(lo - 64 * 1024);
    ssize_t n = read(fds[0], buf, 10);
    stack_bounds(&lo2, &hi);
    printf("read into 64 KiB below the stack: %zd [%.10s], grew to the buffer's page: %d\n", n, n == 10 ? buf : "",
           lo2 == ((uintptr_t)buf & ~(uintptr_t)(PG - 1)));
    struct timespec *ts = (struct timespec *)(lo2 - 2 * PG - 16);
    printf("clock_gettime 2 pages below: %d", clock_gettime(CLOCK_MONOTONIC, ts));
    stack_bounds(&lo, &hi);
    printf(", grew: %d\n", lo == lo2 - 3 * PG);
    printf("write(2) from 1 page below: %zd\n", write(fds[1], (char *)(lo - PG), 8));

    /* a signal taken with ESP 64 bytes above the mapped bottom: its frame grows the stack */
    struct sigaction su = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &su, NULL);
    stack_bounds(&lo, &hi);
    uintptr_t sp = lo + 64;
    __asm__ volatile("mov %%esp, %%esi\n\t"
                     "mov %0, %%esp\n\t"
                     "mov $20, %%eax\n\t"      /* getpid */
                     "int $0x80\n\t"
                     "mov %%eax, %%ebx\n\t"
                     "mov $37, %%eax\n\t"      /* kill(getpid(), SIGUSR1) */
                     "mov $10, %%ecx\n\t"
                     "int $0x80\n\t"
                     "mov %%esi, %%esp"
                     :: "r"(sp) : "eax", "ebx", "ecx", "edx", "esi", "memory");
    stack_bounds(&lo2, &hi);
    printf("signal handled on a frame below the stack: %d, grew: %d\n", usr1_seen, lo2 < lo);

    /* the guard gap: an accessible mapping 2 MiB below the stack stops growth 1 MiB above it */
    stack_bounds(&lo, &hi);
    uintptr_t m = lo - 2 * MiB;
    void *r = mmap((void *)m, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("fixed mapping 2 MiB below: %d\n", r == (void *)m);
    printf("store 1 page inside the gap: %d\n", touch(m + PG + GAP - PG));
    printf("store at the gap's edge: %d\n", touch(m + PG + GAP));
    /* a hinted mmap inside the gap below a stack is not honoured; one below the gap is */
    stack_bounds(&lo, &hi);
    void *h = mmap((void *)(lo - 2 * PG), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("hint inside the gap honoured: %d\n", h == (void *)(lo - 2 * PG));
    munmap(h, PG);
    /* a PROT_NONE mapping below keeps no gap */
    mprotect((void *)m, PG, PROT_NONE);
    printf("PROT_NONE below: store right above it: %d\n", touch(m + PG));
    stack_bounds(&lo, &hi);
    printf("[stack] reaches the PROT_NONE page: %d\n", lo == m + PG);
    h = mmap((void *)(m - 4 * MiB), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("hint 4 MiB below the stack honoured: %d\n", h == (void *)(m - 4 * MiB));
    munmap((void *)m, PG);
    munmap(h, PG);


    set_stack_limit(256 * MiB);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "raised", (char *)NULL);
    perror("execl");
    return 1;
}
