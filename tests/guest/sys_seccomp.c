/* ue-test: variants=s2 d0 */
/* seccomp: strict mode (read/write/exit live on, anything else is SIGKILL),
 * classic-BPF filters over the i386 seccomp_data (arch, number, arguments)
 * with every action (ERRNO with its data, capped; TRAP with the SIGSYS
 * siginfo and the number left in EAX; TRACE without a tracer; LOG, ALLOW;
 * KILL_PROCESS), precedence between two filters, the filter checks
 * (lengths, codes, jumps, loads, scratch memory) and the other operations.
 * Each mode is entered in a child: it cannot be left. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errno_show.h"

#define NR_seccomp 354
struct insn { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct prog { uint16_t len; struct insn *f; };
#define STMT(c, k) { (c), 0, 0, (k) }
#define JUMP(c, k, t, f) { (c), (t), (f), (k) }
#define LD_ABS 0x20
#define LD_LEN 0x80
#define LD_MEM 0x60
#define ST 0x02
#define ALU_ADD_K 0x04
#define ALU_MUL_K 0x24
#define ALU_DIV_X 0x3c
#define ALU_MOD_K 0x94
#define JEQ_K 0x15
#define JGE_K 0x35
#define JA 0x05
#define RET_K 0x06
#define RET_A 0x16
#define LDX_IMM 0x01
#define LD_H_ABS 0x28
#define KILL_PROCESS 0x80000000u
#define TRAP 0x00030000u
#define ERRNO 0x00050000u
#define TRACE 0x7ff00000u
#define LOG 0x7ffc0000u
#define ALLOW 0x7fff0000u
#define ARCH_I386 0x40000003u
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG0 16

static char *hole;

static long install(struct insn *f, unsigned n, unsigned flags)
{
    struct prog p = { (uint16_t)n, f };
    return syscall(NR_seccomp, 1, flags, &p);
}

static void report(const char *what, pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else printf("%s: exit %d\n", what, WEXITSTATUS(st));
    fflush(stdout);
}

static void strict(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long r = syscall(NR_seccomp, 0, 0, NULL);
        char msg[] = "strict: entered, write works\n";
        if (r == 0) syscall(SYS_write, 1, msg, sizeof msg - 1);
        syscall(SYS_getpid);
        syscall(SYS_exit, 9);
    }
    report("strict then getpid", pid);
    pid = fork();
    if (pid == 0) {
        syscall(NR_seccomp, 0, 0, NULL);
        char c;
        syscall(SYS_read, 100, &c, 1);
        syscall(SYS_exit, 3);
    }
    report("strict then read and exit", pid);
    pid = fork();
    if (pid == 0) {
        syscall(NR_seccomp, 0, 0, NULL);
        syscall(SYS_exit_group, 4);
        syscall(SYS_exit, 5);
    }
    report("strict then exit_group", pid);
}

static volatile int trapped;
static void on_sys(int sig, siginfo_t *si, void *uc)
{
    printf("  SIGSYS: code %d syscall %d arch %#x errno %d\n", si->si_code, si->si_syscall,
           si->si_arch, si->si_errno);
    trapped = 1;
}

/* arch must be i386; then by number: getpid ERRNO 42, getppid TRAP 77,
 * dup(1000) ERRNO 7, kill ERRNO 0, setpgid TRACE, uname KILL_PROCESS,
 * umask ERRNO 5000 (capped), getgid32 divides by zero, getuid32 returns
 * the LEN load (64) as an ERRNO via the accumulator, the rest ALLOW. */
static struct insn filter1[] = {
    STMT(LD_ABS, OFF_ARCH),
    JUMP(JEQ_K, ARCH_I386, 1, 0),
    STMT(RET_K, KILL_PROCESS),
    STMT(LD_ABS, OFF_NR),
    STMT(ST, 0),
    JUMP(JEQ_K, SYS_getpid, 0, 1), STMT(RET_K, ERRNO | 42),
    JUMP(JEQ_K, SYS_getppid, 0, 1), STMT(RET_K, TRAP | 77),
    JUMP(JEQ_K, SYS_kill, 0, 1), STMT(RET_K, ERRNO | 0),
    JUMP(JEQ_K, SYS_setpgid, 0, 1), STMT(RET_K, TRACE),
    JUMP(JEQ_K, SYS_uname, 0, 1), STMT(RET_K, KILL_PROCESS),
    JUMP(JEQ_K, SYS_umask, 0, 1), STMT(RET_K, ERRNO | 5000),
    JUMP(JEQ_K, SYS_getgid32, 0, 2), STMT(LDX_IMM, 0), STMT(ALU_DIV_X, 0),
    JUMP(JEQ_K, SYS_getuid32, 0, 3), STMT(LD_LEN, 0), STMT(ALU_ADD_K, ERRNO), STMT(RET_A, 0),
    STMT(LD_MEM, 0),
    STMT(ALU_MUL_K, 2),
    JUMP(JEQ_K, SYS_dup * 2, 0, 3),
    STMT(LD_ABS, OFF_ARG0),
    JUMP(JGE_K, 1000, 0, 1),
    STMT(RET_K, ERRNO | 7),
    STMT(RET_K, ALLOW),
};
/* the second: dup(1000) LOG (the older ERRNO wins), dup(1001) ERRNO 36 */
static struct insn filter2[] = {
    STMT(LD_ABS, OFF_NR),
    JUMP(JEQ_K, SYS_dup, 1, 0),
    STMT(RET_K, ALLOW),
    STMT(LD_ABS, OFF_ARG0),
    JUMP(JEQ_K, 1001, 0, 1),
    STMT(RET_K, ERRNO | 36),
    STMT(RET_K, LOG),
};

static void filters(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid != 0) { report("filter child", pid); return; }
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    SHOW("install filter 1", install(filter1, sizeof filter1 / sizeof filter1[0], 0));
    SHOW("strict mode after a filter", syscall(NR_seccomp, 0, 0, NULL));
    SHOW("getpid: ERRNO 42", syscall(SYS_getpid));
    SHOW("dup(1000): ERRNO 7", syscall(SYS_dup, 1000));
    SHOW("dup(999): allowed", syscall(SYS_dup, 999));
    SHOW("kill self KILL: ERRNO 0", syscall(SYS_kill, getpid(), SIGKILL));
    SHOW("setpgid: TRACE", syscall(SYS_setpgid, 0, 0));
    errno = 0;
    long r = syscall(SYS_umask, 022);
    printf("umask: ERRNO 5000: %ld errno %d\n", r, errno);
    errno = 0;
    r = syscall(SYS_getuid32);
    printf("getuid32: ERRNO from A: %ld errno %d\n", r, errno);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    SHOW("getppid: TRAP (returns the number)", syscall(SYS_getppid));
    printf("  trapped %d\n", trapped);
    SHOW("install filter 2", install(filter2, sizeof filter2 / sizeof filter2[0], 0));
    SHOW("dup(1000): ERRNO 7 over LOG", syscall(SYS_dup, 1000));
    SHOW("dup(1001): ERRNO 36", syscall(SYS_dup, 1001));
    fflush(stdout);
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
    pid = fork();
    if (pid == 0) { syscall(SYS_uname, NULL); _exit(0); }
    report("uname: KILL_PROCESS", pid);
    pid = fork();
    if (pid == 0) { syscall(SYS_getgid32); _exit(0); }
    report("getgid32: division by zero", pid);
    fflush(stdout);
    _exit(0);
}

static void checks(void)
{
    struct insn ok[] = { STMT(RET_K, ALLOW) };
    struct prog p = { 1, ok };
    SHOW("filter: bad flags", syscall(NR_seccomp, 1, 0x100, &p));
    SHOW("filter: TSYNC|NEW_LISTENER", syscall(NR_seccomp, 1, 1 | 8, &p));
    SHOW("filter: WAIT_KILLABLE_RECV alone", syscall(NR_seccomp, 1, 32, &p));
    SHOW("filter: bad prog pointer", syscall(NR_seccomp, 1, 0, hole));
    SHOW("filter: bad insns pointer", syscall(NR_seccomp, 1, 0, &(struct prog){ 1, (void *)hole }));
    SHOW("filter: length 0", syscall(NR_seccomp, 1, 0, &(struct prog){ 0, ok }));
    SHOW("filter: length 4097", syscall(NR_seccomp, 1, 0, &(struct prog){ 4097, ok }));
    struct insn noret[] = { STMT(LD_ABS, 0) };
    SHOW("filter: no RET at the end", install(noret, 1, 0));
    struct insn mis[] = { STMT(LD_ABS, 2), STMT(RET_A, 0) };
    SHOW("filter: misaligned load", install(mis, 2, 0));
    struct insn far[] = { STMT(LD_ABS, 64), STMT(RET_A, 0) };
    SHOW("filter: load past seccomp_data", install(far, 2, 0));
    struct insn half[] = { STMT(LD_H_ABS, 0), STMT(RET_A, 0) };
    SHOW("filter: 16-bit load", install(half, 2, 0));
    struct insn mod[] = { STMT(LD_ABS, 0), STMT(ALU_MOD_K, 3), STMT(RET_A, 0) };
    SHOW("filter: MOD", install(mod, 3, 0));
    struct insn jmp[] = { JUMP(JEQ_K, 0, 5, 0), STMT(RET_K, ALLOW) };
    SHOW("filter: jump out of range", install(jmp, 2, 0));
    struct insn ja[] = { STMT(JA, 1), STMT(RET_K, ALLOW) };
    SHOW("filter: JA out of range", install(ja, 2, 0));
    struct insn mem[] = { STMT(LD_MEM, 3), STMT(RET_A, 0) };
    SHOW("filter: scratch read before a write", install(mem, 2, 0));
    struct insn bad[] = { STMT(0xff, 0), STMT(RET_K, ALLOW) };
    SHOW("filter: unknown code", install(bad, 2, 0));
    SHOW("strict: flags", syscall(NR_seccomp, 0, 1, NULL));
    SHOW("strict: args", syscall(NR_seccomp, 0, 0, ok));
    SHOW("unknown operation", syscall(NR_seccomp, 99, 0, NULL));
    uint32_t acts[] = { KILL_PROCESS, 0, TRAP, ERRNO, TRACE, LOG, ALLOW, 0x12345678 };
    for (unsigned i = 0; i < sizeof acts / sizeof acts[0]; i++) {
        char what[48];
        snprintf(what, sizeof what, "action %#x available", acts[i]);
        SHOW(what, syscall(NR_seccomp, 2, 0, &acts[i]));
    }
    SHOW("action available: flags", syscall(NR_seccomp, 2, 1, &acts[0]));
    SHOW("action available: bad pointer", syscall(NR_seccomp, 2, 0, hole));
    uint16_t sizes[3];
    SHOW("notif sizes", syscall(NR_seccomp, 3, 0, sizes));
    printf("  %u %u %u\n", sizes[0], sizes[1], sizes[2]);
    SHOW("notif sizes: bad pointer", syscall(NR_seccomp, 3, 0, hole));
    SHOW("notif sizes: flags", syscall(NR_seccomp, 3, 1, sizes));
}

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;
    checks();
    strict();
    filters();
    return 0;
}
