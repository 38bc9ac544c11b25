/* memcheck's reports: options, the log and XML streams, errors (dedup,
 * suppressions, Valgrind's text and XML shapes), leak records, summaries
 * at exit and the fatal-signal message. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "../cpu/cpu.h"
#include "default_supp.h"

#define EXIT_USAGE 125
#define LEAK_ALL (LEAK_DEFINITE | LEAK_INDIRECT | LEAK_POSSIBLE | LEAK_REACHABLE)

/* Valgrind's defaults (valgrind --help). */
struct chk_options chk_opt = {
    .leak_check = 1,
    .show_leak_kinds = LEAK_DEFINITE | LEAK_POSSIBLE,
    .errors_for_leak_kinds = LEAK_DEFINITE | LEAK_POSSIBLE,
    .num_callers = 12,
    .freelist_vol = 20000000,
    .redzone = 16,
    .default_supp = true,
};

static bool quiet, show_error_list, child_silent, no_error_limit;
static int log_fd_opt = -1, xml_fd_opt = -1;   /* --log-fd, --xml-fd */
static bool leak_check_set;

/* ---- options ---- */

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return false;
    *out = v;
    return true;
}

static bool parse_yesno(const char *word, const char *v)
{
    if (!strcmp(v, "yes")) return true;
    if (!strcmp(v, "no")) return false;
    ue_fatal(EXIT_USAGE, "bad value in '%s': yes or no", word);
}

/* "--name=value": the value, or NULL when word is not that option. */
static const char *opt_value(const char *word, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(word, name, n) && word[n] == '=' ? word + n + 1 : NULL;
}

static const char *needs_memcheck;   /* the first checker option seen */

static void need_memcheck(const char *word)
{
    if (!needs_memcheck) needs_memcheck = word;
}

void chk_options_done(void)
{
    if (!needs_memcheck || chk_opt.on) return;
    size_t n = strcspn(needs_memcheck, "=");
    ue_fatal(EXIT_USAGE, "%.*s needs --memcheck", (int)n, needs_memcheck);
}

/* Options with a number: their range and where they go. */
static const struct { const char *name; uint64_t min, max; int *i; uint32_t *u; } num_opts[] = {
    { "--error-exitcode", 0, 255, &chk_opt.error_exitcode, NULL },
    { "--num-callers", 1, 500, &chk_opt.num_callers, NULL },
    { "--freelist-vol", 0, 0xffffffffu, NULL, &chk_opt.freelist_vol },
    { "--redzone-size", 0, 4096, NULL, &chk_opt.redzone },
    { "--log-fd", 0, 1 << 20, &log_fd_opt, NULL },
    { "--xml-fd", 0, 1 << 20, &xml_fd_opt, NULL },
};
/* Options with yes or no (invert: no sets the flag). */
static const struct { const char *name; bool *flag; bool invert; } yesno_opts[] = {
    { "--xml", &chk_opt.xml, false },
    { "--default-suppressions", &chk_opt.default_supp, false },
    { "--show-error-list", &show_error_list, false },
    { "--trace-children", &ue_opt.follow_exec, false },
    { "--child-silent-after-fork", &child_silent, false },
    { "--error-limit", &no_error_limit, true },
};
/* Options with a file name. */
static const struct { const char *name; const char **to; } file_opts[] = {
    { "--log-file", &chk_opt.log_file },
    { "--xml-file", &chk_opt.xml_file },
};

#define N_OF(t) (sizeof t / sizeof t[0])

int chk_option(const char *word, const char *next)
{
    const char *v;
    uint64_t n;
    if (!strcmp(word, "--memcheck")) { chk_opt.on = true; return 1; }
    if ((v = opt_value(word, "--tool"))) {
        if (strcmp(v, "memcheck")) ue_fatal(EXIT_USAGE, "--tool=%s: ue has only memcheck", v);
        chk_opt.on = true;
        return 1;
    }
    for (size_t i = 0; i < N_OF(num_opts); i++) {
        if (!(v = opt_value(word, num_opts[i].name))) continue;
        need_memcheck(word);
        if (!parse_uint(v, num_opts[i].max, &n) || n < num_opts[i].min)
            ue_fatal(EXIT_USAGE, "bad value in '%s': %llu to %llu", word, (unsigned long long)num_opts[i].min,
                     (unsigned long long)num_opts[i].max);
        if (num_opts[i].i) *num_opts[i].i = (int)n;
        else *num_opts[i].u = (uint32_t)n;
        if (num_opts[i].i == &log_fd_opt || num_opts[i].i == &xml_fd_opt) {
            if (fcntl((int)n, F_GETFD) < 0) ue_fatal(EXIT_USAGE, "bad value in '%s': not an open file descriptor", word);
        }
        return 1;
    }
    for (size_t i = 0; i < N_OF(yesno_opts); i++) {
        if (!(v = opt_value(word, yesno_opts[i].name))) continue;
        need_memcheck(word);
        *yesno_opts[i].flag = parse_yesno(word, v) != yesno_opts[i].invert;
        return 1;
    }
    for (size_t i = 0; i < N_OF(file_opts); i++) {
        if (!(v = opt_value(word, file_opts[i].name))) continue;
        need_memcheck(word);
        if (!*v) ue_fatal(EXIT_USAGE, "%s needs a file name", word);
        *file_opts[i].to = v;
        return 1;
    }
    if ((v = opt_value(word, "--leak-check"))) {
        need_memcheck(word);
        if (!strcmp(v, "no")) chk_opt.leak_check = 0;
        else if (!strcmp(v, "summary")) chk_opt.leak_check = 1;
        else if (!strcmp(v, "full") || !strcmp(v, "yes")) chk_opt.leak_check = 2;
        else ue_fatal(EXIT_USAGE, "bad value in '%s': no, summary, full or yes", word);
        leak_check_set = true;
        return 1;
    }
    if ((v = opt_value(word, "--show-leak-kinds")) || (v = opt_value(word, "--errors-for-leak-kinds"))) {
        need_memcheck(word);
        int bits = leak_kinds_parse(v);
        if (bits < 0) ue_fatal(EXIT_USAGE, "bad value in '%s': a list of definite,indirect,possible,reachable, or all, or none", word);
        if (word[2] == 's') chk_opt.show_leak_kinds = (unsigned)bits;
        else chk_opt.errors_for_leak_kinds = (unsigned)bits;
        return 1;
    }
    if ((v = opt_value(word, "--show-reachable"))) {
        need_memcheck(word);
        chk_opt.show_reachable_set = true;
        chk_opt.show_leak_kinds = parse_yesno(word, v) ? LEAK_ALL : LEAK_DEFINITE | LEAK_POSSIBLE;
        return 1;
    }
    if ((v = opt_value(word, "--suppressions"))) {
        need_memcheck(word);
        if (chk_opt.n_supp == (int)N_OF(chk_opt.supp_files))
            ue_fatal(EXIT_USAGE, "too many --suppressions files (at most 16)");
        chk_opt.supp_files[chk_opt.n_supp++] = v;
        return 1;
    }
    if ((v = opt_value(word, "--gen-suppressions"))) {
        need_memcheck(word);
        if (!strcmp(v, "no")) chk_opt.gen_suppressions = 0;
        else if (!strcmp(v, "yes")) chk_opt.gen_suppressions = 2;   /* yes asks; ue does not: as all */
        else if (!strcmp(v, "all")) chk_opt.gen_suppressions = 1;
        else ue_fatal(EXIT_USAGE, "bad value in '%s': no, yes or all", word);
        return 1;
    }
    if (!strcmp(word, "-q") || !strcmp(word, "--quiet")) { need_memcheck(word); quiet = true; return 1; }
    if (!strcmp(word, "-s")) { need_memcheck(word); show_error_list = true; return 1; }
    return 0;
}

/* ---- small formatting helpers ---- */

char *fmt_commas(char *buf, uint64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}
#define NUM(v) fmt_commas((char[32]){ 0 }, (v))

void xml_puts(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void xml_elem(FILE *f, const char *indent, const char *tag, const char *text)
{
    fprintf(f, "%s<%s>", indent, tag);
    xml_puts(f, text);
    fprintf(f, "</%s>\n", tag);
}

/* ---- the streams ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1, xml_fd = -1;
static int main_pid;                  /* the process chk_init ran in */
static struct timespec t0;

/* A copy of fd out of the guest's low numbers, closed on exec (fd stays). */
static int high_fd(int fd)
{
    struct rlimit rl;
    int floor = 1000;
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 1024) floor = (int)rl.rlim_cur - 24;
    if (floor < 3) floor = 3;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, floor);
    return h < 0 ? fd : h;
}

/* --log-file names: %p the pid, %q{VAR} an environment variable, %% a '%'. */
char *chk_expand_name(const char *pat)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) ue_fatal(70, "out of memory");
    for (const char *p = pat; *p; p++) {
        if (*p != '%') { fputc(*p, f); continue; }
        if (p[1] == 'p') { fprintf(f, "%d", getpid()); p++; }
        else if (p[1] == '%') { fputc('%', f); p++; }
        else if (p[1] == 'q' && p[2] == '{' && strchr(p + 3, '}')) {
            const char *end = strchr(p + 3, '}');
            char *name = strndup(p + 3, end - (p + 3));
            const char *val = getenv(name);
            if (!val) ue_fatal(EXIT_USAGE, "%s: $%s is not set", pat, name);
            fputs(val, f);
            free(name);
            p = end;
        } else {
            ue_fatal(EXIT_USAGE, "%s: bad %% sequence (%%p, %%q{VAR} or %%%%)", pat);
        }
    }
    fclose(f);
    return buf;
}

static int open_output(const char *pat)
{
    char *name = chk_expand_name(pat);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) ue_fatal(EXIT_USAGE, "cannot create %s: %s", name, strerror(errno));
    free(name);
    int h = high_fd(fd);
    if (h != fd) close(fd);
    return h;
}

static bool silent(void)
{
    return child_silent && getpid() != main_pid;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* A report is built in memory, then written with one write. */
struct out { FILE *f; char *buf; size_t len; int fd; };

static bool out_open(struct out *o, int fd)
{
    o->fd = fd;
    o->buf = NULL;
    o->f = fd >= 0 && !silent() ? open_memstream(&o->buf, &o->len) : NULL;
    return o->f != NULL;
}

static void out_close(struct out *o)
{
    if (!o->f) return;
    fclose(o->f);
    write_all(o->fd, o->buf, o->len);
    free(o->buf);
    o->f = NULL;
}

/* One "==PID== ..." line. */
static void tline(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tline(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(f, "==%d== ", getpid());
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
}

static void xml_time(FILE *f)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    long long ms = (t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000;
    fprintf(f, "  <time>%02lld:%02lld:%02lld:%02lld.%03lld </time>\n", ms / 86400000, ms / 3600000 % 24,
            ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

static void xml_status(FILE *f, const char *state)
{
    fprintf(f, "<status>\n  <state>%s</state>\n", state);
    xml_time(f);
    fputs("</status>\n\n", f);
}

/* ---- stacks ---- */

static bool below_main(const char *fn)
{
    return fn && (!strcmp(fn, "__libc_start_main") || !strcmp(fn, "__libc_start_call_main") ||
                  !strcmp(fn, "__libc_start_main_impl") || !strcmp(fn, "generic_start_main"));
}

int report_frames(stack_id id, struct frame *out, int max)
{
    const guest_addr *pcs;
    int n = id ? stack_frames(id, &pcs) : 0, k = 0;
    for (int i = 0; i < n && k < max; i++) {
        struct frame *f = &out[k++];
        f->ip = pcs[i];
        sym_lookup(pcs[i], &f->s);
        f->name = below_main(f->s.fn) ? "(below main)" : f->s.fn;
        if (f->name && (!strcmp(f->name, "main") || !strcmp(f->name, "(below main)"))) break;
    }
    return k;
}

static void stack_text(FILE *f, const struct frame *fr, int n)
{
    for (int i = 0; i < n; i++) {
        const struct frame *x = &fr[i];
        fprintf(f, "==%d==    %s 0x%X: %s", getpid(), i ? "by" : "at", x->ip, x->name ? x->name : "???");
        if (x->s.file && x->s.line) fprintf(f, " (%s:%d)", x->s.file, x->s.line);
        else if (x->s.obj) fprintf(f, " (in %s)", x->s.obj);
        fputc('\n', f);
    }
}

static void stack_xml(FILE *f, const struct frame *fr, int n)
{
    if (!n) return;
    fputs("  <stack>\n", f);
    for (int i = 0; i < n; i++) {
        const struct frame *x = &fr[i];
        fprintf(f, "    <frame>\n      <ip>0x%X</ip>\n", x->ip);
        if (x->s.obj) xml_elem(f, "      ", "obj", x->s.obj);
        if (x->name) xml_elem(f, "      ", "fn", x->name);
        if (x->s.file && x->s.line) {
            if (x->s.dir) xml_elem(f, "      ", "dir", x->s.dir);
            xml_elem(f, "      ", "file", x->s.file);
            fprintf(f, "      <line>%d</line>\n", x->s.line);
        }
        fputs("    </frame>\n", f);
    }
    fputs("  </stack>\n", f);
}

/* ---- thread numbers, as Valgrind's: 1 the main thread, a new thread the
 * lowest free number, freed when it exits ---- */

#define MAX_THREAD_NUMS 4096
static __thread int thread_num = 1;
static uint8_t thread_used[MAX_THREAD_NUMS] = { [1] = 1 };
static int last_tid_printed = 1;

void chk_thread_start(void)
{
    pthread_mutex_lock(&lock);
    int i = 2;
    while (i < MAX_THREAD_NUMS - 1 && thread_used[i]) i++;
    thread_used[i] = 1;
    thread_num = i;
    pthread_mutex_unlock(&lock);
}

void chk_thread_exit(void)
{
    pthread_mutex_lock(&lock);
    thread_used[thread_num] = 0;
    pthread_mutex_unlock(&lock);
}

/* ---- errors ---- */

/* One error context: the first error of its kind at its stack, and how
 * many came. Leak records are contexts too (for -s and the counts). */
struct ctx {
    struct chk_error e;        /* e.what owned */
    struct leak_rec leak;      /* ERR_LEAK */
    int leak_index, leak_total;
    uint32_t unique;
    int tid;                   /* Valgrind's thread number */
    uint64_t count;
    int supp;                  /* suppression index, or -1 */
    struct ctx *next;          /* hash chain */
};

#define CTX_BUCKETS 4096
static struct ctx *buckets[CTX_BUCKETS];
static struct ctx **ctxs;      /* in creation order */
static uint32_t n_ctxs, cap_ctxs;
static uint64_t n_errors, n_shown_ctxs, n_supp_errors, n_supp_ctxs;

static bool str_eq(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static bool same_error(const struct chk_error *a, const struct chk_error *b)
{
    if (a->kind != b->kind || a->where != b->where) return false;
    switch (a->kind) {
    case ERR_INVALID_READ: case ERR_INVALID_WRITE: return a->size == b->size;
    case ERR_SYSCALL_PARAM: return str_eq(a->what, b->what);
    case ERR_FISHY_VALUE: case ERR_OVERLAP: return str_eq(a->fn, b->fn) && str_eq(a->what, b->what);
    default: return true;
    }
}

static uint32_t error_hash(const struct chk_error *e)
{
    return ((uint32_t)e->kind * 0x9E3779B1u ^ e->where * 0x85EBCA6Bu) % CTX_BUCKETS;
}

static struct ctx *new_ctx(void)
{
    if (n_ctxs == cap_ctxs) {
        cap_ctxs = cap_ctxs ? cap_ctxs * 2 : 256;
        ctxs = realloc(ctxs, cap_ctxs * sizeof *ctxs);
        if (!ctxs) ue_fatal(70, "out of memory");
    }
    struct ctx *x = calloc(1, sizeof *x);
    if (!x) ue_fatal(70, "out of memory");
    x->unique = n_ctxs;
    x->tid = thread_num;
    x->supp = -1;
    ctxs[n_ctxs++] = x;
    return x;
}

static const char *const leak_words[4] = { "definitely lost", "indirectly lost", "possibly lost", "still reachable" };
static const char *const leak_xml[4] = { "Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost", "Leak_StillReachable" };
static int leak_idx(int kind) { return __builtin_ctz((unsigned)kind); }

/* Valgrind's name of the kind in suppressions, and its XML <kind>. */
static const char *supp_kind(const struct chk_error *e, char *buf)
{
    switch (e->kind) {
    case ERR_INVALID_READ: case ERR_INVALID_WRITE: sprintf(buf, "Addr%u", e->size); return buf;
    case ERR_INVALID_FREE: case ERR_MISMATCHED_FREE: return "Free";
    case ERR_FISHY_VALUE: return "FishyValue";
    case ERR_OVERLAP: return "Overlap";
    case ERR_SYSCALL_PARAM: return "Param";
    case ERR_INVALID_JUMP: return "Jump";
    case ERR_CLIENT_CHECK: return "User";
    case ERR_REALLOC_ZERO: return "ReallocZero";
    default: return "Leak";
    }
}

static const char *xml_kind(const struct ctx *x)
{
    static const char *const k[ERR_KINDS] = {
        [ERR_INVALID_READ] = "InvalidRead", [ERR_INVALID_WRITE] = "InvalidWrite",
        [ERR_INVALID_FREE] = "InvalidFree", [ERR_MISMATCHED_FREE] = "MismatchedFree",
        [ERR_FISHY_VALUE] = "FishyValue", [ERR_OVERLAP] = "Overlap",
        [ERR_SYSCALL_PARAM] = "SyscallParam", [ERR_INVALID_JUMP] = "InvalidJump",
        [ERR_CLIENT_CHECK] = "ClientCheck", [ERR_REALLOC_ZERO] = "ReallocZero",
    };
    return x->e.kind == ERR_LEAK ? leak_xml[leak_idx(x->leak.kind)] : k[x->e.kind];
}

/* The extra line of a suppression: Param's "write(buf)", FishyValue's "malloc(size)". */
static const char *supp_extra(const struct chk_error *e, char *buf, size_t n)
{
    if (e->kind == ERR_SYSCALL_PARAM) return e->what ? e->what : "";
    if (e->kind == ERR_FISHY_VALUE) { snprintf(buf, n, "%s(%s)", e->fn ? e->fn : "?", e->what ? e->what : "?"); return buf; }
    return NULL;
}

/* The headline. */
static void error_what(const struct ctx *x, char *buf, size_t n)
{
    const struct chk_error *e = &x->e;
    switch (e->kind) {
    case ERR_INVALID_READ: case ERR_INVALID_WRITE:
        snprintf(buf, n, "Invalid %s of size %u", e->kind == ERR_INVALID_READ ? "read" : "write", e->size);
        break;
    case ERR_INVALID_FREE: snprintf(buf, n, "Invalid free() / delete / delete[] / realloc()"); break;
    case ERR_MISMATCHED_FREE: snprintf(buf, n, "Mismatched free() / delete / delete []"); break;
    case ERR_FISHY_VALUE:
        snprintf(buf, n, "Argument '%s' of function %s has a fishy (possibly negative) value: %lld",
                 e->what ? e->what : "size", e->fn ? e->fn : "malloc", (long long)e->value);
        break;
    case ERR_OVERLAP:   /* strcpy and the like have no length: two arguments */
        if (e->len)
            snprintf(buf, n, "Source and destination overlap in %s(0x%x, 0x%x, %u)", e->fn ? e->fn : "memcpy",
                     e->dst, e->src, e->len);
        else
            snprintf(buf, n, "Source and destination overlap in %s(0x%x, 0x%x)", e->fn ? e->fn : "strcpy",
                     e->dst, e->src);
        break;
    case ERR_SYSCALL_PARAM: snprintf(buf, n, "Syscall param %s points to unaddressable byte(s)", e->what ? e->what : "?"); break;
    case ERR_INVALID_JUMP: snprintf(buf, n, "Jump to the invalid address stated on the next line"); break;
    case ERR_CLIENT_CHECK: snprintf(buf, n, "Unaddressable byte(s) found during client check request"); break;
    case ERR_REALLOC_ZERO: snprintf(buf, n, "realloc() with size 0"); break;
    default: {
        const struct leak_rec *r = &x->leak;
        const char *w = leak_words[leak_idx(r->kind)];
        if (r->ind_bytes)
            snprintf(buf, n, "%s (%s direct, %s indirect) bytes in %s blocks are %s in loss record %s of %s",
                     NUM(r->bytes + r->ind_bytes), NUM(r->bytes), NUM(r->ind_bytes), NUM(r->blocks), w,
                     NUM(x->leak_index), NUM(x->leak_total));
        else
            snprintf(buf, n, "%s bytes in %s blocks are %s in loss record %s of %s", NUM(r->bytes),
                     NUM(r->blocks), w, NUM(x->leak_index), NUM(x->leak_total));
    }
    }
}

/* What the address is: up to two (line, stack) pairs after the main stack. */
struct aux { char text[160]; stack_id st; };

static int error_aux(const struct chk_error *e, struct aux *a)
{
    const struct chk_addr_desc *d = &e->desc;
    switch (e->kind) {
    case ERR_FISHY_VALUE: case ERR_OVERLAP: case ERR_LEAK: return 0;
    case ERR_REALLOC_ZERO: if (d->kind == AD_UNKNOWN) return 0; break;
    default: break;
    }
    const char *state = NULL;
    long long off = 0;
    const char *rel = "inside";
    switch (d->kind) {
    case AD_HEAP_INSIDE: case AD_FREED_INSIDE: case AD_MEMPOOL_INSIDE: off = d->offset; break;
    case AD_HEAP_AFTER: case AD_FREED_AFTER: off = d->offset - d->block_size; rel = "after"; break;
    case AD_HEAP_BEFORE: case AD_FREED_BEFORE: off = -d->offset; rel = "before"; break;
    default: break;
    }
    switch (d->kind) {
    case AD_HEAP_INSIDE: case AD_HEAP_AFTER: case AD_HEAP_BEFORE: state = "alloc'd"; break;
    case AD_FREED_INSIDE: case AD_FREED_AFTER: case AD_FREED_BEFORE: state = "free'd"; break;
    case AD_MEMPOOL_INSIDE: state = "client-defined"; break;
    default: break;
    }
    if (d->kind == AD_STACK) {
        snprintf(a[0].text, sizeof a[0].text, "Address 0x%x is on thread %d's stack", e->addr, d->thread ? d->thread : 1);
        a[0].st = 0;
        return 1;
    }
    if (!state) {
        snprintf(a[0].text, sizeof a[0].text, "Address 0x%x is not stack'd, malloc'd or (recently) free'd", e->addr);
        a[0].st = 0;
        return 1;
    }
    snprintf(a[0].text, sizeof a[0].text, "Address 0x%x is %s bytes %s a block of size %s %s", e->addr,
             NUM((uint64_t)off), rel, NUM(d->block_size), state);
    bool freed = d->kind == AD_FREED_INSIDE || d->kind == AD_FREED_AFTER || d->kind == AD_FREED_BEFORE;
    a[0].st = freed ? d->freed : d->alloc;
    if (!freed) return 1;
    snprintf(a[1].text, sizeof a[1].text, "Block was alloc'd at");
    a[1].st = d->alloc;
    return 2;
}

static struct frame frame_buf[MAX_FRAMES], aux_buf[MAX_FRAMES];   /* under lock */

static int leak_kind_of(const struct ctx *x) { return x->e.kind == ERR_LEAK ? x->leak.kind : 0; }

/* The error's text block (and --gen-suppressions' block after it). */
static void error_text(FILE *f, const struct ctx *x, bool gen)
{
    char what[256], kb[16], eb[256];
    struct aux aux[2];
    error_what(x, what, sizeof what);
    tline(f, "%s", what);
    int n = report_frames(x->e.where, frame_buf, MAX_FRAMES);
    stack_text(f, frame_buf, n);
    int na = error_aux(&x->e, aux);
    for (int i = 0; i < na; i++) {
        tline(f, " %s", aux[i].text);
        stack_text(f, aux_buf, report_frames(aux[i].st, aux_buf, MAX_FRAMES));
    }
    tline(f, "%s", "");
    if (gen) supp_print_gen(f, supp_kind(&x->e, kb), supp_extra(&x->e, eb, sizeof eb), leak_kind_of(x), frame_buf, n);
}

static void error_xml(FILE *f, const struct ctx *x, bool gen)
{
    char what[256], kb[16], eb[256];
    struct aux aux[2];
    error_what(x, what, sizeof what);
    fprintf(f, "<error>\n  <unique>0x%x</unique>\n  <tid>%d</tid>\n  <kind>%s</kind>\n", x->unique, x->tid, xml_kind(x));
    if (x->e.kind == ERR_LEAK) {
        fputs("  <xwhat>\n", f);
        xml_elem(f, "    ", "text", what);
        fprintf(f, "    <leakedbytes>%llu</leakedbytes>\n    <leakedblocks>%llu</leakedblocks>\n  </xwhat>\n",
                (unsigned long long)(x->leak.bytes + x->leak.ind_bytes), (unsigned long long)x->leak.blocks);
    } else if (x->e.kind == ERR_FISHY_VALUE) {
        fputs("  <what>", f);       /* Valgrind ends this one with a newline */
        xml_puts(f, what);
        fputs("\n</what>", f);
    } else {
        xml_elem(f, "  ", "what", what);
    }
    int n = report_frames(x->e.where, frame_buf, MAX_FRAMES);
    stack_xml(f, frame_buf, n);
    int na = error_aux(&x->e, aux);
    for (int i = 0; i < na; i++) {
        xml_elem(f, "  ", "auxwhat", aux[i].text);
        stack_xml(f, aux_buf, report_frames(aux[i].st, aux_buf, MAX_FRAMES));
    }
    /* Valgrind writes the suppression in the error and again after it */
    for (int i = 0; gen && i < 2; i++) {
        if (i) fputs("</error>\n\n", f);
        supp_print_gen_xml(f, supp_kind(&x->e, kb), supp_extra(&x->e, eb, sizeof eb), leak_kind_of(x), frame_buf, n);
    }
    if (!gen) fputs("</error>\n\n", f);
}

/* Prints a new, unsuppressed context on both streams (lock held). */
static void show_ctx(const struct ctx *x)
{
    struct out o;
    bool gen = chk_opt.gen_suppressions != 0;
    if (!chk_opt.xml && out_open(&o, log_fd)) {
        if (x->tid != last_tid_printed) tline(o.f, "Thread %d:", x->tid);
        last_tid_printed = x->tid;
        error_text(o.f, x, gen);
        out_close(&o);
    }
    if (chk_opt.xml && out_open(&o, xml_fd)) { error_xml(o.f, x, gen); out_close(&o); }
}

/* Suppressed? (lock held; frame_buf is then free again) */
static int match_supp(const struct ctx *x)
{
    char kb[16], eb[256];
    int n = report_frames(x->e.where, frame_buf, MAX_FRAMES);
    return supp_match(supp_kind(&x->e, kb), supp_extra(&x->e, eb, sizeof eb), leak_kind_of(x), frame_buf, n);
}

/* Valgrind's cut-offs: after 1000 contexts shown or 10,000,000 errors,
 * errors are no longer collected (unless --error-limit=no). Lock held. */
static bool error_limit_reached(void)
{
    static bool said;
    if (no_error_limit) return false;
    if (n_shown_ctxs < 1000 && n_errors < 10000000) return false;
    struct out o;
    if (!said && !chk_opt.xml && out_open(&o, log_fd)) {
        tline(o.f, "%s", "");
        if (n_shown_ctxs >= 1000)
            tline(o.f, "More than 1000 different errors detected.  I'm not reporting any more.");
        else
            tline(o.f, "More than 10000000 total errors detected.  I'm not reporting any more.");
        tline(o.f, "Final error counts will be inaccurate.  Go fix your program!");
        tline(o.f, "Rerun with --error-limit=no to disable this cutoff.  Note");
        tline(o.f, "that errors may occur in your program without prior warning from");
        tline(o.f, "ue, because errors are no longer being collected.");
        tline(o.f, "%s", "");
        out_close(&o);
    }
    said = true;
    return true;
}

void chk_report(const struct chk_error *e)
{
    pthread_mutex_lock(&lock);
    if (error_limit_reached()) {
        pthread_mutex_unlock(&lock);
        return;
    }
    uint32_t h = error_hash(e);
    struct ctx *x;
    for (x = buckets[h]; x; x = x->next) {
        if (!same_error(&x->e, e)) continue;
        x->count++;
        if (x->supp >= 0) n_supp_errors++;
        else n_errors++;
        pthread_mutex_unlock(&lock);
        return;
    }
    x = new_ctx();
    x->e = *e;
    x->e.what = e->what ? strdup(e->what) : NULL;
    x->count = 1;
    x->next = buckets[h];
    buckets[h] = x;
    x->supp = match_supp(x);
    if (x->supp >= 0) {
        n_supp_errors++;
        n_supp_ctxs++;
    } else {
        n_errors++;
        n_shown_ctxs++;
        show_ctx(x);
    }
    pthread_mutex_unlock(&lock);
}

uint32_t chk_error_count(void)
{
    pthread_mutex_lock(&lock);
    uint32_t n = (uint32_t)n_errors;
    pthread_mutex_unlock(&lock);
    return n;
}

/* ---- client messages ---- */

void chk_printf(const char *text, stack_id where)
{
    struct out o;
    pthread_mutex_lock(&lock);
    int n = report_frames(where, frame_buf, MAX_FRAMES);
    if (!chk_opt.xml && out_open(&o, log_fd)) {
        /* "**PID** " starts each line of the message */
        for (const char *p = text; *p;) {
            size_t len = strcspn(p, "\n");
            fprintf(o.f, "**%d** %.*s\n", getpid(), (int)len, p);
            p += len + (p[len] == '\n');
        }
        stack_text(o.f, frame_buf, n);
        out_close(&o);
    }
    if (chk_opt.xml && out_open(&o, xml_fd)) {
        fprintf(o.f, "<clientmsg>\n  <tid>%d</tid>\n  <text>", thread_num);
        xml_puts(o.f, text);
        fputs("  </text>\n", o.f);
        stack_xml(o.f, frame_buf, n);
        fputs("</clientmsg>\n", o.f);
        out_close(&o);
    }
    pthread_mutex_unlock(&lock);
}

/* ---- leaks ---- */

/* Valgrind's order: smaller totals first; then direct bytes, blocks, stack. */
static int cmp_leak(const void *pa, const void *pb)
{
    const struct leak_rec *a = pa, *b = pb;
    uint64_t ta = a->bytes + a->ind_bytes, tb = b->bytes + b->ind_bytes;
    if (ta != tb) return ta < tb ? -1 : 1;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    if (a->blocks != b->blocks) return a->blocks < b->blocks ? -1 : 1;
    return a->alloc < b->alloc ? -1 : a->alloc > b->alloc;
}

static void leak_summary_text(FILE *f, const struct leak_summary *s, int mode)
{
    static const char *const label[4] = { "definitely lost", "indirectly lost", "  possibly lost", "still reachable" };
    tline(f, "LEAK SUMMARY:");
    for (int k = 0; k < 4; k++)
        tline(f, "   %s: %s bytes in %s blocks", label[k], NUM(s->bytes[k]), NUM(s->blocks[k]));
    tline(f, "        suppressed: %s bytes in %s blocks", NUM(s->supp_bytes), NUM(s->supp_blocks));
    if (mode < 2) {
        tline(f, "Rerun with --leak-check=full to see details of leaked memory");
    } else if (!(chk_opt.show_leak_kinds & LEAK_REACHABLE) && s->blocks[leak_idx(LEAK_REACHABLE)]) {
        tline(f, "Reachable blocks (those to which a pointer was found) are not shown.");
        tline(f, "To see them, rerun with: --leak-check=full --show-leak-kinds=all");
    }
    tline(f, "%s", "");
}

void chk_report_leaks(struct leak_rec *recs, int n, struct leak_summary *s, int mode)
{
    qsort(recs, n, sizeof *recs, cmp_leak);
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n; i++) {
        const struct leak_rec *r = &recs[i];
        int k = leak_idx(r->kind);
        struct ctx tmp = { .e = { .kind = ERR_LEAK, .where = r->alloc }, .leak = *r, .leak_index = i + 1, .leak_total = n, .supp = -1 };
        int sp = match_supp(&tmp);
        if (sp >= 0) {
            supp_add_leak(sp, r->bytes + r->ind_bytes, r->blocks);
            s->supp_bytes += r->bytes;
            s->supp_blocks += r->blocks;
            s->bytes[k] -= r->bytes < s->bytes[k] ? r->bytes : s->bytes[k];
            s->blocks[k] -= r->blocks < s->blocks[k] ? r->blocks : s->blocks[k];
            n_supp_errors++;
            n_supp_ctxs++;
            continue;
        }
        if (mode < 2) continue;
        bool counted = (chk_opt.errors_for_leak_kinds & (unsigned)r->kind) != 0;
        bool shown = (chk_opt.show_leak_kinds & (unsigned)r->kind) != 0;
        if (!counted && !shown) continue;
        struct ctx *x = new_ctx();
        *x = tmp;
        x->unique = n_ctxs - 1;
        x->tid = thread_num;
        x->count = 1;
        if (counted) { n_errors++; n_shown_ctxs++; }
        else x->count = 0;    /* shown, not an error: not in the -s list */
        if (shown) show_ctx(x);
    }
    struct out o;
    if (!chk_opt.xml && !quiet && out_open(&o, log_fd)) {
        leak_summary_text(o.f, s, mode);
        out_close(&o);
    }
    pthread_mutex_unlock(&lock);
}

/* ---- the end ---- */

static int cmp_count(const void *pa, const void *pb)
{
    const struct ctx *a = *(struct ctx *const *)pa, *b = *(struct ctx *const *)pb;
    if (a->count != b->count) return a->count < b->count ? -1 : 1;
    return a->unique < b->unique ? -1 : 1;
}

static void error_summary(FILE *f)
{
    tline(f, "ERROR SUMMARY: %llu errors from %llu contexts (suppressed: %llu from %llu)",
          (unsigned long long)n_errors, (unsigned long long)n_shown_ctxs,
          (unsigned long long)n_supp_errors, (unsigned long long)n_supp_ctxs);
}

/* -s: each context with its count, fewest first, then the suppressions used. */
static void error_list(FILE *f)
{
    struct ctx **v = malloc((n_ctxs + 1) * sizeof *v);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n_ctxs; i++)
        if (ctxs[i]->supp < 0 && ctxs[i]->count) v[m++] = ctxs[i];
    qsort(v, m, sizeof *v, cmp_count);
    for (uint32_t i = 0; i < m; i++) {
        tline(f, "%s", "");
        tline(f, "%llu errors in context %u of %u:", (unsigned long long)v[i]->count, i + 1, m);
        error_text(f, v[i], false);
    }
    free(v);
    fprintf(f, "--%d-- \n", getpid());
    supp_print_used(f, getpid());
    tline(f, "%s", "");
}

static void heap_summary(FILE *f, const struct heap_totals *t)
{
    tline(f, "%s", "");
    tline(f, "HEAP SUMMARY:");
    tline(f, "    in use at exit: %s bytes in %s blocks", NUM(t->in_use_bytes), NUM(t->in_use_blocks));
    tline(f, "  total heap usage: %s allocs, %s frees, %s bytes allocated", NUM(t->allocs), NUM(t->frees),
          NUM(t->bytes_allocated));
    tline(f, "%s", "");
    if (!t->in_use_blocks) {
        tline(f, "All heap blocks were freed -- no leaks are possible");
        tline(f, "%s", "");
    } else if (!chk_opt.leak_check) {
        tline(f, "For a detailed leak analysis, rerun with: --leak-check=full");
        tline(f, "%s", "");
    }
}

static void xml_counts(FILE *f)
{
    fputs("<errorcounts>\n", f);
    for (uint32_t i = n_ctxs; i-- > 0;) {
        const struct ctx *x = ctxs[i];
        if (x->supp >= 0 || x->e.kind == ERR_LEAK) continue;
        fprintf(f, "  <pair>\n    <count>%llu</count>\n    <unique>0x%x</unique>\n  </pair>\n",
                (unsigned long long)x->count, x->unique);
    }
    fputs("</errorcounts>\n\n<suppcounts>\n", f);
    supp_print_counts_xml(f);
    fputs("</suppcounts>\n\n</valgrindoutput>\n\n", f);
}

int chk_at_exit(int status)
{
    static int done;
    if (__atomic_exchange_n(&done, 1, __ATOMIC_SEQ_CST)) return status;
    struct heap_totals t;
    struct out o;
    heap_totals(&t);
    pthread_mutex_lock(&lock);
    if (!chk_opt.xml && !quiet && out_open(&o, log_fd)) { heap_summary(o.f, &t); out_close(&o); }
    if (chk_opt.xml && out_open(&o, xml_fd)) { xml_status(o.f, "FINISHED"); out_close(&o); }
    pthread_mutex_unlock(&lock);
    if (t.in_use_blocks && chk_opt.leak_check) leak_check(chk_opt.leak_check, false);
    pthread_mutex_lock(&lock);
    if (!chk_opt.xml && out_open(&o, log_fd)) {
        if (!quiet) {
            if (show_error_list && n_shown_ctxs + n_supp_ctxs) {
                error_summary(o.f);
                error_list(o.f);
            } else if (!show_error_list) {
                tline(o.f, "For lists of detected and suppressed errors, rerun with: -s");
            }
            error_summary(o.f);
        }
        out_close(&o);
    }
    if (chk_opt.xml && out_open(&o, xml_fd)) { xml_counts(o.f); out_close(&o); }
    bool errors = n_errors > 0;
    pthread_mutex_unlock(&lock);
    return errors && chk_opt.error_exitcode ? chk_opt.error_exitcode : status;
}

/* What Valgrind says about the faulting access ("" when nothing). */
static const char *signal_event(int sig, int code)
{
    switch (sig) {
    case SIGSEGV:
        return code == 1 ? "Access not within mapped region" : code == 2 ? "Bad permissions for mapped region"
             : code == 0x80 ? "General Protection Fault" : "";
    case SIGBUS: return code == 2 ? "Non-existent physical address" : code == 1 ? "Invalid address alignment" : "";
    case SIGILL: return code == 1 ? "Illegal opcode" : code == 4 ? "Illegal operand" : code == 6 ? "Illegal trap" : "";
    case SIGFPE: return code == 1 ? "Integer divide by zero" : code == 2 ? "Integer overflow"
             : code == 3 ? "FP divide by zero" : code == 7 ? "FP invalid operation" : "";
    default: return "";
    }
}

void chk_fatal_signal(struct cpu *c, int sig, int code, guest_addr addr)
{
    const char *name = sigabbrev_np(sig);
    const char *ev = signal_event(sig, code);
    bool has_addr = *ev && code != 0x80;
    stack_id st = stack_here(c);
    struct out o;
    pthread_mutex_lock(&lock);
    int n = report_frames(st, frame_buf, MAX_FRAMES);
    if (!chk_opt.xml && out_open(&o, log_fd)) {
        tline(o.f, "%s", "");
        tline(o.f, "Process terminating with default action of signal %d (SIG%s)", sig, name ? name : "?");
        if (has_addr) tline(o.f, " %s at address 0x%x", ev, addr);
        else if (*ev) tline(o.f, " %s", ev);
        stack_text(o.f, frame_buf, n);
        out_close(&o);
    }
    if (chk_opt.xml && out_open(&o, xml_fd)) {
        fprintf(o.f, "<fatal_signal>\n  <tid>%d</tid>\n  <signo>%d</signo>\n  <signame>SIG%s</signame>\n  <sicode>%d</sicode>\n",
                thread_num, sig, name ? name : "?", code);
        if (*ev) fprintf(o.f, "  <event>%s</event>\n", ev);
        if (has_addr) fprintf(o.f, "  <siaddr>0x%x</siaddr>\n", addr);
        stack_xml(o.f, frame_buf, n);
        fputs("</fatal_signal>\n\n", o.f);
        out_close(&o);
    }
    pthread_mutex_unlock(&lock);
}

/* ---- start ---- */

/* ue's command line split at PROGRAM: ue's own words, then the guest's. */
static char **cmd_words;
static int n_cmd_words, first_guest_word;

static void read_command(void)
{
    static char buf[65536];
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t len = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    if (len < 0) len = 0;
    buf[len] = '\0';
    cmd_words = calloc(len / 2 + 2, sizeof *cmd_words);
    if (!cmd_words) ue_fatal(70, "out of memory");
    for (char *p = buf; p < buf + len; p += strlen(p) + 1) cmd_words[n_cmd_words++] = p;
    /* main.c's options that take the next word; memcheck's take "=VALUE" */
    int i = 1;
    while (i < n_cmd_words) {
        const char *w = cmd_words[i];
        if (w[0] != '-' || !w[1]) break;
        i++;
        if (!strcmp(w, "--")) break;
        if (!strcmp(w, "--sysroot") || !strcmp(w, "-L") || !strcmp(w, "-0") || !strcmp(w, "--argv0")) i++;
    }
    first_guest_word = i < n_cmd_words ? i : n_cmd_words;
}

static void preamble_text(FILE *f)
{
    tline(f, "ue memcheck, a memory error detector");
    tline(f, "Using ue %s; rerun with -h for help", UE_VERSION);
    fprintf(f, "==%d== Command:", getpid());
    for (int i = first_guest_word; i < n_cmd_words; i++) fprintf(f, " %s", cmd_words[i]);
    fputc('\n', f);
    if (chk_opt.log_file) tline(f, "Parent PID: %d", getppid());
    tline(f, "%s", "");
}

static void preamble_xml(FILE *f)
{
    fputs("<?xml version=\"1.0\"?>\n\n<valgrindoutput>\n\n<protocolversion>4</protocolversion>\n"
          "<protocoltool>memcheck</protocoltool>\n\n<preamble>\n", f);
    fputs("  <line>ue memcheck, a memory error detector</line>\n", f);
    fprintf(f, "  <line>Using ue %s; rerun with -h for help</line>\n  <line>Command:", UE_VERSION);
    for (int i = first_guest_word; i < n_cmd_words; i++) { fputc(' ', f); xml_puts(f, cmd_words[i]); }
    fprintf(f, "</line>\n</preamble>\n\n<pid>%d</pid>\n<ppid>%d</ppid>\n<tool>memcheck</tool>\n\n<args>\n  <vargv>\n",
            getpid(), getppid());
    xml_elem(f, "    ", "exe", ue_opt.ue_path ? ue_opt.ue_path : n_cmd_words ? cmd_words[0] : "ue");
    for (int i = 1; i < first_guest_word; i++) xml_elem(f, "    ", "arg", cmd_words[i]);
    fputs("  </vargv>\n  <argv>\n", f);
    for (int i = first_guest_word; i < n_cmd_words; i++) xml_elem(f, "    ", i == first_guest_word ? "exe" : "arg", cmd_words[i]);
    fputs("  </argv>\n</args>\n\n", f);
    xml_status(f, "RUNNING");
}

static void load_supp_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f) ue_fatal(EXIT_USAGE, "--suppressions=%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            text = realloc(text, cap);
            if (!text) ue_fatal(70, "out of memory");
        }
        size_t n = fread(text + len, 1, 4096, f);
        len += n;
        if (n < 4096) break;
    }
    fclose(f);
    text[len] = '\0';
    char err[200];
    if (!supp_parse(text, path, err, sizeof err)) ue_fatal(EXIT_USAGE, "--suppressions=%s: %s", path, err);
    free(text);
}

static void fork_prepare(void) { pthread_mutex_lock(&lock); }
static void fork_parent(void) { pthread_mutex_unlock(&lock); }

/* A child with its own pid: a "%p" file name now names a file of its own,
 * which starts with a preamble as Valgrind's do. */
static void fork_child(void)
{
    pthread_mutex_init(&lock, NULL);
    memset(thread_used, 0, sizeof thread_used);   /* only the forking thread goes on */
    thread_used[thread_num] = 1;
    if (silent()) return;
    struct out o;
    if (chk_opt.log_file && strstr(chk_opt.log_file, "%p")) {
        close(log_fd);
        log_fd = open_output(chk_opt.log_file);
        if (!chk_opt.xml && !quiet && out_open(&o, log_fd)) { preamble_text(o.f); out_close(&o); }
    }
    if (chk_opt.xml && chk_opt.xml_file && strstr(chk_opt.xml_file, "%p")) {
        close(xml_fd);
        xml_fd = open_output(chk_opt.xml_file);
        if (out_open(&o, xml_fd)) { preamble_xml(o.f); out_close(&o); }
    }
}

/* A guest's RLIMIT_STACK is ue's too (setrlimit goes to the host), and a
 * guest may cut it to a few pages. Grow ue's own stack now, while the limit
 * allows: symbolising (libdw) needs far more of it than running does. */
static void __attribute__((noinline)) grow_host_stack(void)
{
    volatile char pad[2 << 20];
    for (size_t k = 0; k < sizeof pad; k += 4096) pad[k] = 0;
}

void chk_init(void)
{
    grow_host_stack();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    main_pid = getpid();
    shadow_init();
    stack_init();          /* the unwinder forgets code that goes away */
    if (chk_opt.xml && !chk_opt.xml_file && xml_fd_opt < 0) ue_fatal(EXIT_USAGE, "--xml=yes needs --xml-file=FILE or --xml-fd=N");
    /* XML readers get every leak record, as from Valgrind */
    if (chk_opt.xml && !leak_check_set) chk_opt.leak_check = 2;
    char err[200];
    if (chk_opt.default_supp && !supp_parse(default_supp_text, "default.supp", err, sizeof err))
        ue_fatal(70, "internal error: default.supp: %s", err);
    for (int i = 0; i < chk_opt.n_supp; i++) load_supp_file(chk_opt.supp_files[i]);
    log_fd = chk_opt.log_file ? open_output(chk_opt.log_file) : high_fd(log_fd_opt >= 0 ? log_fd_opt : STDERR_FILENO);
    if (chk_opt.xml) xml_fd = chk_opt.xml_file ? open_output(chk_opt.xml_file) : high_fd(xml_fd_opt);
    read_command();
    struct out o;
    if (!chk_opt.xml && !quiet && out_open(&o, log_fd)) { preamble_text(o.f); out_close(&o); }
    if (chk_opt.xml && out_open(&o, xml_fd)) { preamble_xml(o.f); out_close(&o); }
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}
