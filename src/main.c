/* ue: the command line, then one guest process. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "cpu/cpu.h"
#include "jit/jit.h"
#include "loader/loader.h"
#include "mem/mem.h"
#include "os/os.h"

/* ue's own failures (bad options), like env(1); 126/127 are for the program. */
#define EXIT_USAGE 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

struct ue_options ue_opt = { .follow_exec = true };

extern char **environ;

/* One write, so lines from several threads or processes don't interleave. */
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s", prefix);
    int m = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
    n = m < 0 ? n : n + m < (int)sizeof buf - 1 ? n + m : (int)sizeof buf - 2;
    buf[n++] = '\n';
    if (write(STDERR_FILENO, buf, n) < 0) { /* nowhere left to report it */ }
}

void ue_fatal(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("ue: ", fmt, ap);
    va_end(ap);
    exit(code);
}

void ue_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("ue: warning: ", fmt, ap);
    va_end(ap);
}

static void usage(FILE *f)
{
    fputs("Usage: ue [OPTIONS] PROGRAM [ARGS...]\n"
          "Run a 32-bit x86 (i386) Linux program on this machine by emulating it.\n"
          "PROGRAM without a '/' is looked up in $PATH. The program gets ue's environment.\n"
          "\n"
          "Options:\n"
          "  -L, --sysroot DIR   look up every absolute path in DIR first (an i386 root\n"
          "                      file system): the ELF interpreter, #! interpreters and\n"
          "                      the program's system calls; /x is DIR/x if that exists\n"
          "      --strace        trace the program's system calls on stderr\n"
          "      --no-follow-exec  run programs started by execve natively, not under ue\n"
          "      --no-jit        interpret every instruction: no translation to host code\n"
          "                      (the default on x86-64 hosts translates hot blocks;\n"
          "                      memcheck always interprets)\n"
          "      --jit-cache=MB  host code kept per thread before it is all dropped [32]\n"
          "  -0, --argv0 NAME    give the program NAME as argv[0] instead of PROGRAM\n"
          "      --personality=N  set the personality(2) first (ue passes it on execve)\n"
          "      --comm=NAME     name the task NAME, not PROGRAM's base name (ue passes it on execve)\n"
          "      --execfn=NAME   the name execve was given (AT_EXECFN, a script's name for its\n"
          "                      interpreter) when PROGRAM is not it (ue passes it on execve)\n"
          "      --exec-fd=N     PROGRAM is open on fd N: close it once loaded (ue passes it on execve)\n"
          "      --tsc=sigsegv   RDTSC raises SIGSEGV, as after prctl(PR_SET_TSC) (ue passes it on execve)\n"
          "      --seccomp-fd=N  the program's seccomp filters, in a sealed memfd (ue passes it on execve)\n"
          "  -h, --help          show this help and exit\n"
          "  -V, --version       show the version and exit\n"
          "      --              end of options\n"
          "\n"
          "Memcheck (Valgrind's memory checker, same report shapes; doc/memcheck.md):\n"
          "      --memcheck, --tool=memcheck  check the program's memory use; the options\n"
          "                      below need it first\n"
          "      --leak-check=no|summary|full  leak report at exit [summary]\n"
          "      --show-leak-kinds=KINDS  leaks to show: a list of definite, indirect,\n"
          "                      possible, reachable; or all, or none [definite,possible]\n"
          "      --errors-for-leak-kinds=KINDS  leaks counted as errors [definite,possible]\n"
          "      --show-reachable=yes|no  same as --show-leak-kinds=all / definite,possible\n"
          "      --error-exitcode=N  exit with N when errors were found [0: keep the status]\n"
          "      --num-callers=N  frames in a stack, 1 to 500 [12]\n"
          "      --freelist-vol=N  bytes of freed blocks kept unusable [20000000]\n"
          "      --redzone-size=N  unaddressable bytes around each heap block [16]\n"
          "      --log-file=FILE  reports to FILE, not stderr (%p: pid, %q{VAR}: $VAR)\n"
          "      --log-fd=N      reports to file descriptor N [2]\n"
          "      --xml=yes --xml-file=FILE  Valgrind's XML (protocol 4) in FILE, not text\n"
          "      --xml-fd=N      the XML to file descriptor N instead of a file\n"
          "      --error-limit=yes|no  stop collecting after 1000 contexts or 10000000\n"
          "                      errors [yes]\n"
          "      --suppressions=FILE  suppress errors described in FILE (repeatable)\n"
          "      --default-suppressions=yes|no  use the built-in suppressions [yes]\n"
          "      --gen-suppressions=no|yes|all  print a suppression after each error [no]\n"
          "  -s, --show-error-list=yes|no  list each error's count at exit [no]\n"
          "  -q, --quiet         report errors only: no preamble and summaries\n"
          "      --trace-children=yes|no  check programs started by execve too [yes]\n"
          "      --child-silent-after-fork=yes|no  no reports from forked children [no]\n"
          "\n"
          "Exit status: the program's, or 125 for a ue usage error, 126 when PROGRAM\n"
          "cannot be run (not an i386 ELF, permission denied), 127 when it is not found.\n"
          "\n"
          "Environment: UE_VERBOSE (report guest faults on stderr), UE_JIT=off|on|all\n"
          "(all: translate every block at its first run), UE_X87_MEMORY=1,\n"
          "UE_NO_INT80=1 (testing other paths); see ue(1).\n",
          f);
}

/* The option words to repeat on re-exec, always ending with "--". */
static char *opt_words[128];
static int n_opt_words;

static void keep_word(char *w)
{
    if (n_opt_words < (int)(sizeof opt_words / sizeof opt_words[0]) - 1) opt_words[n_opt_words++] = w;
}

static void set_sysroot(const char *dir)
{
    char *abs = realpath(dir, NULL);
    struct stat st;
    if (!abs) ue_fatal(EXIT_USAGE, "--sysroot %s: %s", dir, strerror(errno));
    if (stat(abs, &st) < 0 || !S_ISDIR(st.st_mode)) ue_fatal(EXIT_USAGE, "--sysroot %s: %s", dir, strerror(ENOTDIR));
    ue_opt.sysroot = abs;
    keep_word("--sysroot");
    keep_word(abs);
}

/* Returns the index of PROGRAM in argv. */
static const char *guest_argv0;
static int exec_fd = -1;          /* --exec-fd: closed once the program is loaded */
static int seccomp_fd = -1;        /* --seccomp-fd: seccomp filters from before the execve */
static bool tsc_sigsegv;         /* --tsc=sigsegv: prctl(PR_SET_TSC, PR_TSC_SIGSEGV) before the execve */
static const char *task_name;     /* --comm: the task's name when it is not PROGRAM's base name */   /* -0/--argv0: the guest's argv[0] when it differs from PROGRAM */

static int parse_options(int argc, char **argv)
{
    int i = 1, used;
    while (i < argc) {
        char *a = argv[i];
        if (a[0] != '-' || !a[1]) break;
        i++;
        if (!strcmp(a, "--")) break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            printf("ue %s\n", UE_VERSION);
            exit(0);
        } else if (!strcmp(a, "--sysroot") || !strcmp(a, "-L")) {
            if (i >= argc) ue_fatal(EXIT_USAGE, "%s needs a directory (try 'ue --help')", a);
            set_sysroot(argv[i++]);
        } else if (!strncmp(a, "--sysroot=", 10)) {
            set_sysroot(a + 10);
        } else if (!strncmp(a, "-L", 2)) {
            set_sysroot(a + 2);
        } else if (!strcmp(a, "--strace")) {
            ue_opt.strace = true;
            keep_word(a);
        } else if (!strcmp(a, "-0") || !strcmp(a, "--argv0")) {
            if (i >= argc) ue_fatal(EXIT_USAGE, "%s needs a name (try 'ue --help')", a);
            guest_argv0 = argv[i++];   /* not kept: it is per program, not per run */
        } else if (!strncmp(a, "--personality=", 14)) {
            /* internal, from ue's own execve: what the host's 64-bit exec cleared */
            char *end;
            unsigned long p = strtoul(a + 14, &end, 0);
            if (*end || p > 0xffffffffu) ue_fatal(EXIT_USAGE, "bad %s", a);
            personality(p);
        } else if (!strncmp(a, "--seccomp-fd=", 13)) {
            seccomp_fd = atoi(a + 13);   /* internal, from ue's own execve: the guest's seccomp filters */
        } else if (!strcmp(a, "--tsc=sigsegv")) {
            tsc_sigsegv = true;      /* internal, from ue's own execve: prctl(PR_SET_TSC) outlives it */
        } else if (!strncmp(a, "--comm=", 7)) {
            task_name = a + 7;   /* internal, from ue's own execve: the guest's name for the file */
        } else if (!strncmp(a, "--execfn=", 9)) {
            loader_execfn = a + 9;   /* internal, from ue's own execve: the guest's name for the file */
        } else if (!strncmp(a, "--exec-fd=", 10)) {
            exec_fd = atoi(a + 10);  /* internal, from ue's own execve: PROGRAM is open there */
        } else if (!strcmp(a, "--no-jit")) {
            jit_mode = JIT_OFF;
            keep_word(a);
        } else if (!strncmp(a, "--jit-cache=", 12)) {
            char *end;
            unsigned long mb = strtoul(a + 12, &end, 10);
            if (*end || mb < 1 || mb > 1024) ue_fatal(EXIT_USAGE, "--jit-cache needs a size in MiB, 1 to 1024");
            jit_cache_size = (size_t)mb << 20;
            keep_word(a);
        } else if (!strcmp(a, "--no-follow-exec")) {
            ue_opt.follow_exec = false;
            keep_word(a);
        } else if ((used = chk_option(a, i < argc ? argv[i] : NULL)) > 0) {
            keep_word(a);       /* memcheck's options (check/report.c) */
            if (used == 2) keep_word(argv[i++]);
        } else {
            ue_fatal(EXIT_USAGE, "unknown option '%s' (try 'ue --help')", a);
        }
    }
    chk_options_done();
    keep_word("--");
    opt_words[n_opt_words] = NULL;
    ue_opt.argc_opts = n_opt_words;
    ue_opt.argv_opts = opt_words;
    return i;
}

static bool is_executable_file(const char *path, bool *exists)
{
    struct stat st;
    if (stat(path, &st) < 0) return false;
    *exists = true;
    return S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* execvp's search: each $PATH entry in order (empty means the current directory). */
static const char *find_program(const char *prog)
{
    static char buf[PATH_MAX];
    if (strchr(prog, '/')) return prog;
    const char *path = getenv("PATH");
    if (!path) path = "/bin:/usr/bin";
    bool seen = false;
    for (const char *p = path;; p++) {
        const char *end = strchrnul(p, ':');
        int n = end == p ? snprintf(buf, sizeof buf, "%s", prog)
                         : snprintf(buf, sizeof buf, "%.*s/%s", (int)(end - p), p, prog);
        if (*prog && n > 0 && n < (int)sizeof buf && is_executable_file(buf, &seen)) return buf;
        if (!*end) break;
        p = end;
    }
    if (seen) ue_fatal(EXIT_NOEXEC, "%s: %s", prog, strerror(EACCES));
    ue_fatal(EXIT_NOTFOUND, "%s: command not found", prog);
}

int main(int argc, char **argv)
{
    static struct cpu cpu;
    int first = parse_options(argc, argv);
    if (first >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = find_program(argv[first]);
    if (guest_argv0) argv[first] = (char *)guest_argv0;
    ue_opt.ue_path = realpath("/proc/self/exe", NULL);
    if (!ue_opt.ue_path) ue_opt.ue_path = argv[0];

    /* the kernel names the task after the file it executes (kbasename of
     * the execve path): /proc/self/comm and PR_GET_NAME show it, not "ue" */
    const char *base = strrchr(path, '/');
    prctl(PR_SET_NAME, task_name ? task_name : base ? base + 1 : path, 0, 0, 0);

    mem_init();
    if (chk_opt.on) chk_init();
    fault_init();
    cpu_decode_init(chk_opt.on);
    os_init();
    if (seccomp_fd >= 0 && !seccomp_import(seccomp_fd)) ue_fatal(EXIT_USAGE, "cannot restore the program's seccomp filters");
    cpu_init(&cpu);
    cpu.tsc_sigsegv = tsc_sigsegv;
    load_program(&cpu, path, argc - first, argv + first, chk_opt.on ? chk_guest_env(environ) : environ);
    if (exec_fd > 2 && !ue_exe_link[0]) close(exec_fd);   /* else /proc/self/exe still needs it */
    procfs_init();
    cpu_run(&cpu);
}
