/* ue-test: variants=s2 d0 */
/* Signal frames that cannot be written: an alternate stack in a file
 * mapping past its end (SIGBUS on the host), read-only, or unmapped; the
 * kernel then kills the thread with SIGSEGV. Each case runs in a child;
 * the parent prints how it ended. A handler for SIGSEGV on a good stack is
 * tried too (the kernel delivers the forced SIGSEGV to it), and so are
 * sigreturn and rt_sigreturn from an unreadable frame: the call gives 0 in
 * EAX and SIGSEGV (SI_KERNEL) reaches the handler on its alternate stack. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static void on_usr1(int s) { (void)s; write(1, "handler ran\n", 12); }
static void on_segv(int s) { (void)s; write(1, "SIGSEGV handler\n", 16); _exit(7); }

static void on_segv_info(int s, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    char line[96];
    int n = snprintf(line, sizeof line, "SIGSEGV code %d, eax %d, ebx %#x\n", si->si_code,
                     (int)uc->uc_mcontext.gregs[REG_EAX], (unsigned)uc->uc_mcontext.gregs[REG_EBX]);
    write(1, line, n);
    _exit(9);
}

/* sigreturn (nr 119) or rt_sigreturn (173) with ESP at an unmapped page. */
static void bad_return(const char *what, int nr, char *hole)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        static char alt[65536];
        stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
        sigaltstack(&ss, NULL);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv_info;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
        __asm__ volatile("mov %0, %%esp\n\tmov $0x1234, %%ebx\n\tint $0x80"
                         :: "r"(hole + 2048), "a"(nr) : "memory");
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else printf("%s: exit %d\n", what, WEXITSTATUS(st));
}

static void run(const char *what, char *stack, size_t size, int segv_handler)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        stack_t ss = { .ss_sp = stack, .ss_size = size, .ss_flags = 0 };
        if (sigaltstack(&ss, NULL)) { perror("sigaltstack"); _exit(2); }
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_ONSTACK;
        sigaction(SIGUSR1, &sa, NULL);
        if (segv_handler) {
            sa.sa_handler = on_segv;
            sa.sa_flags = 0;      /* on the normal stack, which is fine */
            sigaction(SIGSEGV, &sa, NULL);
        }
        raise(SIGUSR1);
        write(1, "after raise\n", 12);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else printf("%s: exit %d\n", what, WEXITSTATUS(st));
}

int main(void)
{
    char name[] = "/tmp/ue-sigframe-XXXXXX";
    int fd = mkstemp(name);
    unlink(name);
    ftruncate(fd, 4096);
    char *f = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *ro = mmap(NULL, 4 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4 * 4096);
    char *good = malloc(64 * 1024);

    run("good stack", good, 64 * 1024, 0);
    run("past EOF", f + 4096, 3 * 4096, 0);
    run("past EOF, SIGSEGV handler", f + 4096, 3 * 4096, 1);
    run("straddling EOF", f, 2 * 4096, 0);
    run("read-only", ro, 4 * 4096, 0);
    run("read-only, SIGSEGV handler", ro, 4 * 4096, 1);
    run("unmapped", gone, 4 * 4096, 0);
    bad_return("sigreturn from a hole", 119, gone);
    bad_return("rt_sigreturn from a hole", 173, gone);
    bad_return("rt_sigreturn past EOF", 173, f + 4096);
    return 0;
}
