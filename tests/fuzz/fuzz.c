/* The differential instruction fuzzer's driver: generates batches of cases,
 * runs the i386 runner natively and under ue on each batch, compares the
 * per-case hashes, and for a mismatch shrinks the case to the fewest units
 * that still mismatch and prints a reproducer (bytes, disassembly, initial
 * state, both final states with the differing fields). Ends with a one-line
 * summary; exit status 1 when anything mismatched, 2 on a usage or setup
 * error.
 *
 * usage: fuzz --runner PATH --ue PATH [options]
 *   --ue native       compare native with native (checks the fuzzer itself)
 *   --seed N          run seed (default: from the clock; always printed)
 *   --seconds S       run batches for about S seconds (default 60)
 *   --count N         run N cases instead
 *   --sets LIST       sets and weights, e.g. int,x87:2,sse (default: all)
 *   --len A-B         units per case (default 1-10)
 *   --batch N         cases per runner invocation (default 2000)
 *   --case I          run only case I of the seed: shrink and print it
 *   --show            with --case: print the case without running it
 *   --first I         start at case index I
 *   --report N        full reproducers printed (default 3)
 *   --shrink N        mismatches shrunk at most (default 200, within a quarter of the time)
 *   --lines N         one-line mismatch reports at most (default 40)
 *   --kinds N         mismatch kinds listed at most (default 30)
 *   --dir DIR         work directory (default /tmp)
 *   --keep            keep the last batch's case file (for runner --dump K)
 *   --names           print how often each instruction ran (coverage)
 *   -v                per-batch progress */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "show.h"

static const char *runner_path, *ue_path, *dir = "/tmp";
static uint64_t seed;
static unsigned weight[S_NSETS] = { 4, 4, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0 };
static int min_units = 1, max_units = 10, verbose;
static char case_path[600], one_path[600], out_native[600], out_ue[600];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* ---- running the runner ---- */

/* Runs argv with stdout to out_path; returns the wait status. */
static int run_to(char *const argv[], const char *out_path, int timeout_s)
{
    fflush(stdout);   /* or the child's freopen flushes our buffer a second time */
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fuzz: fork");
        exit(2);
    }
    if (pid == 0) {
        if (!freopen(out_path, "wb", stdout)) _exit(127);
        alarm(timeout_s);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return st;
}

static long read_results(const char *path, struct fz_result *r, long max)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    long n = fread(r, sizeof *r, max, f);
    fclose(f);
    return n;
}

static int run_one(bool under_ue, const char *file, const char *out, long from, bool flush, long dump, int timeout_s)
{
    char from_s[32], dump_s[32];
    char *argv[12];
    int a = 0;
    if (under_ue && strcmp(ue_path, "native")) argv[a++] = (char *)ue_path;
    argv[a++] = (char *)runner_path;
    if (from) {
        snprintf(from_s, sizeof from_s, "%ld", from);
        argv[a++] = "--from";
        argv[a++] = from_s;
    }
    if (flush) argv[a++] = "--flush";
    if (dump >= 0) {
        snprintf(dump_s, sizeof dump_s, "%ld", dump);
        argv[a++] = "--dump";
        argv[a++] = dump_s;
    }
    argv[a++] = (char *)file;
    argv[a] = NULL;
    return run_to(argv, out, timeout_s);
}

static const char *status_text(int st)
{
    static char buf[64];
    if (WIFEXITED(st)) snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) snprintf(buf, sizeof buf, "killed by signal %d%s", WTERMSIG(st),
                                       WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
    else snprintf(buf, sizeof buf, "status %d", st);
    return buf;
}

#define SIG_CRASH (-1)   /* in a result: the runner died on this case */

/* Runs the n cases of file one way; a runner that dies on a case has that
 * case marked SIG_CRASH and is restarted after it. */
static void run_all(bool under_ue, const char *file, long n, struct fz_result *res, const char *out)
{
    long done = 0;
    bool flush = false;
    while (done < n) {
        int st = run_one(under_ue, file, out, done, flush, -1, 30 + (int)(n - done) / 50);   /* a hang ends here */
        long got = read_results(out, res + done, n - done);
        done += got;
        if (done >= n) break;
        if (!flush) {   /* find the exact case: rerun from the last record with flushing */
            flush = true;
            continue;
        }
        fprintf(stderr, "fuzz: %s runner died on case %ld of the batch: %s\n", under_ue ? "ue" : "native", done,
                status_text(st));
        memset(&res[done], 0, sizeof res[done]);
        res[done].sig = SIG_CRASH;
        res[done].hash_lo = under_ue;
        done++;
    }
}

static bool dump_state(bool under_ue, const char *file, long k, struct fz_state *s)
{
    char out[700];
    snprintf(out, sizeof out, "%s.dump", under_ue ? out_ue : out_native);
    memset(s, 0, sizeof *s);
    run_one(under_ue, file, out, 0, false, k, 60);
    FILE *f = fopen(out, "rb");
    if (!f) return false;
    bool ok = fread(s, sizeof *s, 1, f) == 1;
    fclose(f);
    return ok;
}

/* ---- cases ---- */

static struct gen G;
static uint8_t *buf;
static size_t buf_cap;

static uint8_t *obuf;   /* one-off cases: shrink candidates, dumps */
static size_t obuf_cap;

static void ensure_obuf(size_t need)
{
    if (need <= obuf_cap) return;
    obuf_cap = need * 2;
    obuf = realloc(obuf, obuf_cap);
    if (!obuf) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(2);
    }
}

static void ensure_buf(size_t need)
{
    if (need <= buf_cap) return;
    buf_cap = need * 2;
    buf = realloc(buf, buf_cap);
    if (!buf) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(2);
    }
}

#define CASE_MAX (sizeof(struct fz_case) + (MAXINS + 1) * 8 + MAXINS * 4 + MAXINS * 16 + 16)

static bool write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
    return true;
}

static bool same(const struct fz_result *a, const struct fz_result *b)
{
    return a->sig != SIG_CRASH && b->sig != SIG_CRASH && !memcmp(a, b, sizeof *a);
}

/* Runs the candidates (unit selections of G) natively and under ue: bad[k]
 * is set for those that still mismatch. */
static void run_candidates(uint8_t (*keeps)[MAXUNITS], int n, bool *bad)
{
    ensure_obuf((size_t)n * CASE_MAX);
    size_t pos = 0;
    int idx[MAXUNITS * 2 + 2], m = 0;
    for (int k = 0; k < n; k++) {
        bad[k] = false;
        uint32_t sz = gen_assemble(&G, keeps[k], obuf + pos, CASE_MAX);
        if (!sz) continue;
        pos += sz;
        idx[m++] = k;
    }
    if (!m) return;
    write_file(one_path, obuf, pos);
    struct fz_result nat[MAXUNITS * 2 + 2], ue[MAXUNITS * 2 + 2];
    run_all(false, one_path, m, nat, out_native);
    run_all(true, one_path, m, ue, out_ue);
    for (int j = 0; j < m; j++) bad[idx[j]] = !same(&nat[j], &ue[j]) && nat[j].sig != SIG_CRASH;
}

/* Shrinks G's mismatching case: the shortest mismatching prefix, then
 * single units removed while it still mismatches. */
static void shrink(uint8_t *keep)
{
    static uint8_t keeps[MAXUNITS * 2 + 2][MAXUNITS];
    bool bad[MAXUNITS * 2 + 2];
    int n = G.nunits;
    memset(keep, 1, MAXUNITS);
    for (int p = 1; p < n; p++) {
        memset(keeps[p - 1], 0, MAXUNITS);
        memset(keeps[p - 1], 1, p);
    }
    if (n > 1) {
        run_candidates(keeps, n - 1, bad);
        for (int p = 1; p < n; p++)
            if (bad[p - 1]) {
                memset(keep, 0, MAXUNITS);
                memset(keep, 1, p);
                break;
            }
    }
    for (;;) {
        int m = 0, which[MAXUNITS];
        for (int u = 0; u < n; u++) {
            if (!keep[u]) continue;
            memcpy(keeps[m], keep, MAXUNITS);
            keeps[m][u] = 0;
            which[m++] = u;
        }
        if (m <= 1) break;
        run_candidates(keeps, m, bad);
        int found = -1;
        for (int j = 0; j < m; j++)
            if (bad[j]) {
                found = which[j];
                break;
            }
        if (found < 0) break;
        keep[found] = 0;
    }
}

/* The instructions a shrunk case consists of, setup moves left out. */
static void case_key(const uint8_t *keep, char *key, size_t n, int *set)
{
    key[0] = 0;
    *set = S_SETUP;
    int count = 0;
    for (int k = 0; k < G.nins; k++) {
        const struct ins *I = &G.ins[k];
        if (keep && !keep[I->unit]) continue;
        if (I->set == S_SETUP) continue;
        size_t l = strlen(key);
        if (count++ < 4 && l + strlen(I->name) + 8 < n)
            snprintf(key + l, n - l, "%s%s", l ? "," : "", I->name);
        *set = I->set;   /* the last one's: usually the culprit */
    }
    if (count > 4) strncat(key, ",...", n - strlen(key) - 1);
    if (!count) snprintf(key, n, "setup only");
}

/* the instruction at code offset off of a case (unit selection keep) */
static const struct ins *ins_at(const uint8_t *keep, uint32_t off)
{
    uint32_t o = 0;
    for (int k = 0; k < G.nins; k++) {
        const struct ins *I = &G.ins[k];
        if (keep && !keep[I->unit]) continue;
        if (o == off) return I;
        o += I->len;
    }
    return NULL;
}

static const char *sig_short(int sig)
{
    switch (sig) {
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGSEGV: return "SIGSEGV";
    default: return "a signal";
    }
}

/* ---- mismatch bookkeeping ---- */

struct kind {
    char key[96];
    int set;
    long count;
    uint64_t first;
};
static struct kind kinds[256];
static int nkinds;
static long mismatches, mismatch_by_set[S_NSETS + 1], shrunk, reported, lines, dumped;
static int max_report = 3, max_shrink = 200, max_lines = 40, max_kinds = 30;
static double shrink_time;
static bool keep_files;
static char repro[256];   /* the options that regenerate this run's cases */

static void note_kind(const char *key, int set, uint64_t index)
{
    for (int k = 0; k < nkinds; k++)
        if (!strcmp(kinds[k].key, key)) {
            kinds[k].count++;
            return;
        }
    if (nkinds == 256) return;
    struct kind *k = &kinds[nkinds++];
    snprintf(k->key, sizeof k->key, "%s", key);
    k->set = set;
    k->count = 1;
    k->first = index;
}

/* Shrinks and reports one mismatching case (G holds it). */
static void handle_mismatch(uint64_t index, const struct fz_result *nat, const struct fz_result *ue, bool detail)
{
    static uint8_t keep[MAXUNITS];
    char key[96];
    int set;
    mismatches++;
    ensure_obuf(CASE_MAX);
    if (!detail) {
        /* cheap key: where the runs stopped differently, or the fields that
         * differ and where native stopped */
        const struct ins *I = NULL;
        if (ue->sig != nat->sig || ue->eip_off != nat->eip_off) {
            /* the first point where the runs part: the earlier stop */
            uint32_t off = nat->eip_off < ue->eip_off ? nat->eip_off : ue->eip_off;
            I = ins_at(NULL, off);
            char ns[24], us[24];
            snprintf(ns, sizeof ns, "%s", nat->eip_off != off ? "runs on" : nat->sig ? sig_short(nat->sig) : "ends");
            snprintf(us, sizeof us, "%s", ue->sig == SIG_CRASH ? "crashes" : ue->eip_off != off ? "runs on"
                                          : ue->sig ? sig_short(ue->sig) : "ends");
            snprintf(key, sizeof key, "%s: native %s, ue %s", I ? I->name : "?", ns, us);
        } else if (dumped < 300) {
            dumped++;
            uint32_t sz = gen_assemble(&G, NULL, obuf, CASE_MAX);
            write_file(one_path, obuf, sz);
            struct fz_state a, b;
            char names[512];
            dump_state(false, one_path, 0, &a);
            dump_state(true, one_path, 0, &b);
            show_diff(NULL, (const struct fz_case *)obuf, &a, &b, names, sizeof names);
            if (strlen(names) > 40) strcpy(names + 37, "...");
            if (!names[0]) snprintf(names, sizeof names, "(nothing when run alone)");
            snprintf(key, sizeof key, "%s differ%s", names, nat->sig ? " at a fault" : "");
            I = NULL;
        } else {
            snprintf(key, sizeof key, "(not classified)");
        }
        set = I ? I->set : S_NSETS;
        mismatch_by_set[set]++;
        note_kind(key, set, index);
        if (lines++ < max_lines)
            printf("mismatch: seed 0x%llx case %llu: %s\n", (unsigned long long)seed, (unsigned long long)index, key);
        return;
    }
    shrunk++;
    double t0 = now();
    shrink(keep);
    shrink_time += now() - t0;
    case_key(keep, key, sizeof key, &set);
    mismatch_by_set[set]++;
    uint32_t sz = gen_assemble(&G, keep, obuf, CASE_MAX);
    if (!sz) return;
    write_file(one_path, obuf, sz);
    struct fz_state a, b;
    dump_state(false, one_path, 0, &a);
    bool ue_ok = dump_state(true, one_path, 0, &b);
    char names[512];
    const struct fz_case *c = (const struct fz_case *)obuf;
    int nd = show_diff(NULL, c, &a, &b, names, sizeof names);
    if (!ue_ok) snprintf(names, sizeof names, "ue crashed");
    else if (!nd) snprintf(names, sizeof names, "(nothing: does not reproduce alone)");
    /* the key: the instructions, and which fields differ (memory lines as "mem") */
    char fields[128] = "";
    for (char *t = strtok(names, " "); t; t = strtok(NULL, " ")) {
        const char *f = (t[0] >= '0' && t[0] <= '9') || (t[0] >= 'a' && t[0] <= 'f' && strlen(t) == 8) ? "mem" : t;
        if (strstr(fields, f) || strlen(fields) + strlen(f) + 2 >= sizeof fields) continue;
        snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "%s%s", fields[0] ? " " : "", f);
    }
    snprintf(key + strlen(key), sizeof key - strlen(key), ": %s", fields);
    bool first_of_kind = true;
    for (int k = 0; k < nkinds; k++)
        if (!strcmp(kinds[k].key, key)) first_of_kind = false;
    note_kind(key, set, index);
    if (reported < max_report && first_of_kind) {
        reported++;
        printf("\n==== mismatch: seed 0x%llx case %llu: %s\n", (unsigned long long)seed, (unsigned long long)index,
               key);
        printf("  reproduce: tests/fuzz/run.sh %s --case %llu\n", repro, (unsigned long long)index);
        show_case(stdout, &G, keep, c, dir);
        printf("  final states (%d fields differ):\n", nd);
        show_diff(stdout, c, &a, &b, NULL, 0);
    } else if (lines++ < max_lines) {
        printf("mismatch: seed 0x%llx case %llu: %s\n", (unsigned long long)seed, (unsigned long long)index, key);
    }
    fflush(stdout);
}

/* ---- coverage by instruction name (--names) ---- */

static bool show_names;
static struct { const char *name; int set; unsigned long long n; } names_seen[1024];
static int nnames;

static void count_name(const char *name, int set)
{
    for (int k = 0; k < nnames; k++)
        if (names_seen[k].set == set && (names_seen[k].name == name || !strcmp(names_seen[k].name, name))) {
            names_seen[k].n++;
            return;
        }
    if (nnames == 1024) return;
    names_seen[nnames].name = name;
    names_seen[nnames].set = set;
    names_seen[nnames++].n = 1;
}

static void print_names(void)
{
    printf("instructions executed and compared, by name:\n");
    for (int s = 0; s < S_NSETS; s++) {
        int col = 0;
        for (int k = 0; k < nnames; k++) {
            if (names_seen[k].set != s) continue;
            if (!col) printf("  %-6s", set_names[s]);
            printf(" %s:%llu", names_seen[k].name, names_seen[k].n);
            if (++col == 6) {
                printf("\n");
                col = 0;
            }
        }
        if (col) printf("\n");
    }
}

/* ---- the run ---- */

static void parse_sets(const char *s)
{
    memset(weight, 0, sizeof weight);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", s);
    for (char *t = strtok(tmp, ","); t; t = strtok(NULL, ",")) {
        char *colon = strchr(t, ':');
        unsigned w = 1;
        if (colon) {
            *colon = 0;
            w = atoi(colon + 1);
        }
        int k;
        for (k = 0; k < S_SETUP; k++)
            if (!strcmp(t, set_names[k])) break;
        if (k == S_SETUP) {
            if (!strcmp(t, "all")) {
                unsigned def[S_NSETS] = { 4, 4, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0 };
                memcpy(weight, def, sizeof weight);
                continue;
            }
            fprintf(stderr, "fuzz: unknown set %s (int x87 mmx sse sse2 sse3 ssse3 sse41 sse42 aes sha bmi all)\n", t);
            exit(2);
        }
        /* the later sets only where the host has them */
        bool have = k == S_SSE41 ? __builtin_cpu_supports("sse4.1")
                  : k == S_SSE42 ? __builtin_cpu_supports("sse4.2")
                  : k == S_AES ? __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul")
                  : k == S_SHA ? __builtin_cpu_supports("sha") : true;
        if (!have) {
            fprintf(stderr, "fuzz: the host lacks them: set %s left out\n", set_names[k]);
            w = 0;
        }
        if (k == S_BMI && !__builtin_cpu_supports("bmi2")) {   /* BMI1 and BMI2 together */
            fprintf(stderr, "fuzz: the host has no BMI2: set bmi left out\n");
            w = 0;
        }
        weight[k] = w;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: fuzz --runner PATH --ue PATH [--seed N] [--seconds S | --count N] [--sets LIST]\n"
                    "            [--len A-B] [--batch N] [--case I [--show]] [--first I] [--report N]\n"
                    "            [--shrink N] [--dir DIR] [-v]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    double seconds = 60;
    long count = -1, batch = 2000;
    long long one_case = -1;
    uint64_t first = 0;
    bool show_only = false, have_seed = false;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        const char *v = k + 1 < argc ? argv[k + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && v && (k++, 1))
        if (ARG("--runner")) runner_path = v;
        else if (ARG("--ue")) ue_path = v;
        else if (ARG("--seed")) seed = strtoull(v, NULL, 0), have_seed = true;
        else if (ARG("--seconds")) seconds = atof(v);
        else if (ARG("--count")) count = atol(v);
        else if (ARG("--sets")) parse_sets(v);
        else if (ARG("--len")) {
            if (sscanf(v, "%d-%d", &min_units, &max_units) != 2) max_units = min_units = atoi(v);
        } else if (ARG("--batch")) batch = atol(v);
        else if (ARG("--case")) one_case = strtoll(v, NULL, 0);
        else if (ARG("--first")) first = strtoull(v, NULL, 0);
        else if (ARG("--report")) max_report = atoi(v);
        else if (ARG("--shrink")) max_shrink = atoi(v);
        else if (ARG("--lines")) max_lines = atoi(v);
        else if (ARG("--kinds")) max_kinds = atoi(v);
        else if (ARG("--dir")) dir = v;
        else if (!strcmp(a, "--show")) show_only = true;
        else if (!strcmp(a, "--keep")) keep_files = true;
        else if (!strcmp(a, "--names")) show_names = true;
        else if (!strcmp(a, "-v")) verbose = 1;
        else usage();
#undef ARG
    }
    if (!runner_path || (!ue_path && !show_only)) usage();
    if (min_units < 1 || max_units < min_units || max_units > MAXUNITS || batch < 1) usage();
    if (!have_seed) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        seed = (uint64_t)t.tv_sec * 1000003u ^ (uint64_t)t.tv_nsec ^ (uint64_t)getpid() << 32;
    }
    mkdir(dir, 0755);
    snprintf(case_path, sizeof case_path, "%s/cases.%d.bin", dir, getpid());
    snprintf(one_path, sizeof one_path, "%s/one.%d.bin", dir, getpid());
    snprintf(out_native, sizeof out_native, "%s/native.%d.out", dir, getpid());
    snprintf(out_ue, sizeof out_ue, "%s/ue.%d.out", dir, getpid());
    char sets[128] = "";
    for (int s = 0; s < S_SETUP; s++)
        if (weight[s])
            snprintf(sets + strlen(sets), sizeof sets - strlen(sets), "%s%s:%u", sets[0] ? "," : "", set_names[s],
                     weight[s]);
    printf("fuzz: seed 0x%llx, sets %s, %d-%d units per case\n", (unsigned long long)seed, sets, min_units,
           max_units);
    snprintf(repro, sizeof repro, "--seed 0x%llx", (unsigned long long)seed);
    if (strcmp(sets, "int:4,x87:4,mmx:2,sse:2,sse2:2,sse3:1,ssse3:1"))
        snprintf(repro + strlen(repro), sizeof repro - strlen(repro), " --sets %s", sets);
    if (min_units != 1 || max_units != 10)
        snprintf(repro + strlen(repro), sizeof repro - strlen(repro), " --len %d-%d", min_units, max_units);
    fflush(stdout);

    if (one_case >= 0) {   /* one case: print it, run it, shrink it */
        gen_case(&G, seed, one_case, weight, min_units, max_units);
        ensure_buf(CASE_MAX);
        uint32_t sz = gen_assemble(&G, NULL, buf, CASE_MAX);
        const struct fz_case *c = (const struct fz_case *)buf;
        if (show_only || !ue_path) {
            show_case(stdout, &G, NULL, c, dir);
            return 0;
        }
        write_file(case_path, buf, sz);
        struct fz_result nat, ue;
        run_all(false, case_path, 1, &nat, out_native);
        run_all(true, case_path, 1, &ue, out_ue);
        if (same(&nat, &ue)) {
            struct fz_state a, b;
            dump_state(false, case_path, 0, &a);
            dump_state(true, case_path, 0, &b);
            printf("case %lld: native and ue agree\n", one_case);
            show_case(stdout, &G, NULL, c, dir);
            show_diff(stdout, c, &a, &b, NULL, 0);
            return 0;
        }
        max_report = 1;
        handle_mismatch(one_case, &nat, &ue, true);
        printf("fuzz: case %lld mismatches\n", one_case);
        return 1;
    }

    double t0 = now();
    long cases = 0, crashes_native = 0;
    unsigned long long executed[S_NSETS] = { 0 };
    struct fz_result *nat = malloc(batch * sizeof *nat), *ue = malloc(batch * sizeof *ue);
    struct { uint32_t start; uint16_t n; bool planned; } *info = malloc(batch * sizeof *info);
    long unplanned = 0;
    size_t ins_cap = (size_t)batch * 64, ins_n = 0;
    struct { uint16_t off; uint8_t set; const char *name; } *insv = malloc(ins_cap * sizeof *insv);
    uint64_t index = first;
    while (count < 0 ? now() - t0 < seconds : cases < count) {
        long n = count < 0 ? batch : (count - cases < batch ? count - cases : batch);
        ensure_buf((size_t)n * CASE_MAX);
        size_t pos = 0;
        ins_n = 0;
        for (long k = 0; k < n; k++) {
            gen_case(&G, seed, index + k, weight, min_units, max_units);
            pos += gen_assemble(&G, NULL, buf + pos, CASE_MAX);
            if (ins_n + G.nins > ins_cap) {
                ins_cap = (ins_n + G.nins) * 2;
                insv = realloc(insv, ins_cap * sizeof *insv);
            }
            info[k].start = ins_n;
            info[k].n = G.nins;
            info[k].planned = G.ended || G.ac;
            uint32_t off = 0;
            for (int j = 0; j < G.nins; j++) {
                insv[ins_n].off = off;
                insv[ins_n].name = G.ins[j].name;
                insv[ins_n++].set = G.ins[j].set;
                off += G.ins[j].len;
            }
        }
        write_file(case_path, buf, pos);
        double tb = now();
        run_all(false, case_path, n, nat, out_native);
        double tn = now();
        run_all(true, case_path, n, ue, out_ue);
        double tu = now();
        long bad = 0;
        for (long k = 0; k < n; k++) {
            const struct fz_result *a = &nat[k], *b = &ue[k];
            if (a->sig == SIG_CRASH) {
                crashes_native++;
                continue;
            }
            /* count what ran natively: up to the end or the faulting instruction */
            for (uint32_t j = info[k].start; j < info[k].start + info[k].n; j++)
                if (insv[j].off < a->eip_off || (a->sig && insv[j].off == a->eip_off)) {
                    executed[insv[j].set]++;
                    if (show_names) count_name(insv[j].name, insv[j].set);
                }
            /* a SIGSEGV/SIGBUS/SIGILL the generator did not plan is its own bug */
            if ((a->sig == SIGSEGV || a->sig == SIGBUS || a->sig == SIGILL) && !info[k].planned) {
                if (unplanned++ < 5)
                    fprintf(stderr, "fuzz: warning: case %llu raised signal %d natively without a planned fault\n",
                            (unsigned long long)(index + k), a->sig);
            }
            if (same(a, b)) continue;
            bad++;
            gen_case(&G, seed, index + k, weight, min_units, max_units);
            /* shrink within a time budget: a quarter of the run */
            bool detail = shrunk < max_shrink && shrink_time < 2 + 0.25 * (now() - t0);
            handle_mismatch(index + k, a, b, detail);
        }
        if (verbose)
            fprintf(stderr, "fuzz: cases %llu..%llu: native %.2fs, ue %.2fs, %ld mismatches\n",
                    (unsigned long long)index, (unsigned long long)(index + n - 1), tn - tb, tu - tn, bad);
        cases += n;
        index += n;
    }
    if (keep_files) printf("fuzz: last batch kept in %s\n", case_path);
    else unlink(case_path);
    unlink(one_path);
    unlink(out_native);
    unlink(out_ue);

    if (nkinds) {
        /* most frequent first */
        for (int a = 1; a < nkinds; a++)
            for (int b = a; b > 0 && kinds[b].count > kinds[b - 1].count; b--) {
                struct kind t = kinds[b];
                kinds[b] = kinds[b - 1];
                kinds[b - 1] = t;
            }
        printf("\nmismatch kinds (the shrunk case's instructions: differing fields; or where the runs stopped):\n");
        for (int k = 0; k < nkinds && k < max_kinds; k++)
            printf("  %6ld  %-6s %-60s first: %s --case %llu\n", kinds[k].count,
                   kinds[k].set < S_NSETS ? set_names[kinds[k].set] : "?", kinds[k].key, repro,
                   (unsigned long long)kinds[k].first);
        if (nkinds > max_kinds) printf("  (%d more kinds)\n", nkinds - max_kinds);
    }
    unsigned long long total = 0;
    char per[256] = "";
    for (int s = 0; s < S_NSETS; s++) {
        total += executed[s];
        if (executed[s] || (s < S_SETUP && weight[s]))
            snprintf(per + strlen(per), sizeof per - strlen(per), "%s%s %llu", per[0] ? ", " : "", set_names[s],
                     executed[s]);
    }
    char mper[256] = "";
    for (int s = 0; s <= S_NSETS; s++)
        if (mismatch_by_set[s])
            snprintf(mper + strlen(mper), sizeof mper - strlen(mper), "%s%s %ld", mper[0] ? ", " : " (",
                     s < S_NSETS ? set_names[s] : "?", mismatch_by_set[s]);
    if (mper[0]) strcat(mper, ")");
    if (show_names) print_names();
    if (lines > max_lines) printf("(%ld more mismatches not listed)\n", lines - max_lines);
    if (unplanned) printf("fuzz: warning: %ld cases faulted natively where the generator planned no fault\n", unplanned);
    printf("fuzz: seed 0x%llx: %ld cases, %llu instructions (%s), %ld mismatches%s%s in %.0fs\n",
           (unsigned long long)seed, cases, total, per, mismatches, mper,
           crashes_native ? ", NATIVE RUNNER CRASHES" : "", now() - t0);
    return mismatches || crashes_native ? 1 : 0;
}
