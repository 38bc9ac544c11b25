/* Suppressions in Valgrind's file format:
 *   {
 *      name
 *      Memcheck:Kind          (a comma list of tools may precede the colon)
 *      extra line            (Param: "write(buf)"; Leak: "match-leak-kinds: definite,...")
 *      fun:GLOB | obj:GLOB | ...     (innermost frame first)
 *   }
 * "..." stands for any number of frames (zero too); * and ? are globs. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SUPP_MAX_FRAMES 24

struct supp_frame {
    char type;          /* 'f' fun:, 'o' obj:, '.' ... */
    char *pat;
};
struct supp {
    char *name, *kind, *extra;
    const char *file;
    int line;                  /* of the name, for -s */
    unsigned leak_kinds;       /* Leak: LEAK_* bits (all when not given) */
    int n;
    struct supp_frame fr[SUPP_MAX_FRAMES];
    uint64_t count, bytes, blocks;
};

static struct supp *supps;
static int n_supps, cap_supps;

bool supp_glob(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            while (p[1] == '*') p++;
            if (!p[1]) return true;
            for (; *s; s++)
                if (supp_glob(p + 1, s)) return true;
            return false;
        }
        if (!*s || (*p != '?' && *p != *s)) return false;
    }
    return !*s;
}

static const char *const leak_kind_names[4] = { "definite", "indirect", "possible", "reachable" };

/* "definite,possible", "all", "none" -> LEAK_* bits; -1 when bad. */
int leak_kinds_parse(const char *s)
{
    if (!strcmp(s, "all")) return LEAK_DEFINITE | LEAK_INDIRECT | LEAK_POSSIBLE | LEAK_REACHABLE;
    if (!strcmp(s, "none")) return 0;
    int bits = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        int k;
        for (k = 0; k < 4; k++)
            if (strlen(leak_kind_names[k]) == n && !strncmp(s, leak_kind_names[k], n)) break;
        if (k == 4) return -1;
        bits |= 1 << k;
        s += n;
        if (*s == ',' && *++s == '\0') return -1;
    }
    return bits;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    return strndup(s, n);
}

/* Is "Memcheck" in the tool list of "Tool1,Tool2:Kind"? */
static bool for_memcheck(const char *line, const char **kind)
{
    const char *colon = strchr(line, ':');
    if (!colon) return false;
    *kind = colon + 1;
    for (const char *t = line; t < colon;) {
        size_t n = strcspn(t, ",:");
        if (n == 8 && !strncmp(t, "Memcheck", 8)) return true;
        t += n + (t[n] == ',');
    }
    return false;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto bad; } while (0)

bool supp_parse(const char *text, const char *file, char *err, size_t errlen)
{
    const char *p = text;
    int lineno = 0, state = 0;     /* 0 outside, 1 name, 2 kind, 3 extra/frames */
    struct supp cur = { 0 };
    bool mine = false;
    while (*p) {
        size_t len = strcspn(p, "\n");
        char *l = trimmed(p, len);
        p += len + (p[len] == '\n');
        lineno++;
        if (!*l || l[0] == '#') { free(l); continue; }
        switch (state) {
        case 0:
            if (strcmp(l, "{")) FAIL("line %d: expected '{'", lineno);
            memset(&cur, 0, sizeof cur);
            state = 1;
            free(l);
            break;
        case 1:
            if (!strcmp(l, "}")) FAIL("line %d: suppression without a name", lineno);
            cur.name = l;
            cur.file = file;
            cur.line = lineno;
            state = 2;
            break;
        case 2: {
            const char *kind;
            if (!strchr(l, ':')) FAIL("line %d: expected TOOL:KIND", lineno);
            mine = for_memcheck(l, &kind);
            cur.kind = strdup(kind);
            cur.leak_kinds = LEAK_DEFINITE | LEAK_INDIRECT | LEAK_POSSIBLE | LEAK_REACHABLE;
            free(l);
            state = 3;
            /* Param and FishyValue name their argument on the next line */
            if (!strcmp(cur.kind, "Param") || !strcmp(cur.kind, "FishyValue")) state = 4;
            break;
        }
        case 4:
            if (!strcmp(l, "}")) FAIL("line %d: %s suppression without its argument line", lineno, cur.kind);
            cur.extra = l;
            state = 3;
            break;
        case 3:
            if (!strcmp(l, "}")) {
                free(l);
                if (mine) {
                    if (n_supps == cap_supps) {
                        cap_supps = cap_supps ? cap_supps * 2 : 32;
                        supps = realloc(supps, cap_supps * sizeof *supps);
                        if (!supps) ue_fatal(70, "out of memory");
                    }
                    supps[n_supps++] = cur;
                } else {
                    free(cur.name); free(cur.kind); free(cur.extra);
                    for (int i = 0; i < cur.n; i++) free(cur.fr[i].pat);
                }
                memset(&cur, 0, sizeof cur);
                state = 0;
                break;
            }
            if (!strncmp(l, "match-leak-kinds:", 17) && cur.n == 0 && !strcmp(cur.kind, "Leak")) {
                char *k = trimmed(l + 17, strlen(l + 17));
                int bits = leak_kinds_parse(k);
                free(k);
                if (bits < 0) FAIL("line %d: bad match-leak-kinds", lineno);
                cur.leak_kinds = (unsigned)bits;
                free(l);
                break;
            }
            if (cur.n == SUPP_MAX_FRAMES) FAIL("line %d: more than %d frames", lineno, SUPP_MAX_FRAMES);
            if (!strcmp(l, "...")) {
                cur.fr[cur.n++] = (struct supp_frame){ '.', NULL };
                free(l);
            } else if (!strncmp(l, "fun:", 4) || !strncmp(l, "obj:", 4)) {
                cur.fr[cur.n++] = (struct supp_frame){ l[0] == 'f' ? 'f' : 'o', strdup(l + 4) };
                free(l);
            } else {
                FAIL("line %d: expected fun:, obj:, ... or }", lineno);
            }
            break;
        }
    }
    if (state == 0) return true;
    snprintf(err, errlen, "line %d: unterminated suppression", lineno);
    return false;
bad:
    return false;
}

static bool frame_matches(const struct supp_frame *sf, const struct frame *f)
{
    if (sf->type == 'f') return supp_glob(sf->pat, f->name ? f->name : "???");
    return supp_glob(sf->pat, f->s.obj ? f->s.obj : "???");
}

/* Pattern frames [i, n) against stack frames [j, m): a prefix match. */
static bool stack_matches(const struct supp *s, int i, const struct frame *f, int j, int m)
{
    for (; i < s->n; i++, j++) {
        if (s->fr[i].type == '.') {
            for (int k = j; k <= m; k++)
                if (stack_matches(s, i + 1, f, k, m)) return true;
            return false;
        }
        if (j >= m || !frame_matches(&s->fr[i], &f[j])) return false;
    }
    return true;
}

int supp_match(const char *kind, const char *extra, int leak_kind, const struct frame *f, int n)
{
    for (int i = 0; i < n_supps; i++) {
        struct supp *s = &supps[i];
        if (!supp_glob(s->kind, kind)) continue;
        if (s->extra && (!extra || !supp_glob(s->extra, extra))) continue;
        if (leak_kind && !(s->leak_kinds & (unsigned)leak_kind)) continue;
        if (!stack_matches(s, 0, f, 0, n)) continue;
        s->count++;
        return i;
    }
    return -1;
}

void supp_add_leak(int id, uint64_t bytes, uint64_t blocks)
{
    supps[id].bytes += bytes;
    supps[id].blocks += blocks;
}

static const char *leak_kind_name(int kind)
{
    return leak_kind_names[__builtin_ctz((unsigned)kind)];
}

void supp_print_gen(FILE *f, const char *kind, const char *extra, int leak_kind,
                    const struct frame *fr, int n)
{
    fprintf(f, "{\n   <insert_a_suppression_name_here>\n   Memcheck:%s\n", kind);
    if (extra) fprintf(f, "   %s\n", extra);
    if (leak_kind) fprintf(f, "   match-leak-kinds: %s\n", leak_kind_name(leak_kind));
    if (n > SUPP_MAX_FRAMES) n = SUPP_MAX_FRAMES;   /* what a suppression can hold */
    for (int i = 0; i < n; i++) {
        if (fr[i].name) fprintf(f, "   fun:%s\n", fr[i].name);
        else fprintf(f, "   obj:%s\n", fr[i].s.obj ? fr[i].s.obj : "*");
    }
    fputs("}\n", f);
}

void supp_print_gen_xml(FILE *f, const char *kind, const char *extra, int leak_kind,
                        const struct frame *fr, int n)
{
    fputs("  <suppression>\n    <sname>insert_a_suppression_name_here</sname>\n", f);
    fprintf(f, "    <skind>Memcheck:%s</skind>\n", kind);
    if (extra) { fputs("    <skaux>", f); xml_puts(f, extra); fputs("</skaux>\n", f); }
    if (leak_kind) fprintf(f, "    <skaux>match-leak-kinds: %s</skaux>\n", leak_kind_name(leak_kind));
    if (n > SUPP_MAX_FRAMES) n = SUPP_MAX_FRAMES;
    for (int i = 0; i < n; i++) {
        fputs(fr[i].name ? "    <sframe> <fun>" : "    <sframe> <obj>", f);
        xml_puts(f, fr[i].name ? fr[i].name : fr[i].s.obj ? fr[i].s.obj : "*");
        fputs(fr[i].name ? "</fun> </sframe>\n" : "</obj> </sframe>\n", f);
    }
    fputs("    <rawtext>\n<![CDATA[\n", f);
    supp_print_gen(f, kind, extra, leak_kind, fr, n);
    fputs("]]>\n    </rawtext>\n  </suppression>\n", f);
}

static int cmp_used(const void *pa, const void *pb)
{
    const struct supp *a = &supps[*(const int *)pa], *b = &supps[*(const int *)pb];
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return *(const int *)pa - *(const int *)pb;
}

/* Most used first, as Valgrind lists them. */
void supp_print_used(FILE *f, int pid)
{
    int *order = malloc((n_supps + 1) * sizeof *order), n = 0;
    if (!order) return;
    for (int i = 0; i < n_supps; i++)
        if (supps[i].count) order[n++] = i;
    qsort(order, n, sizeof *order, cmp_used);
    for (int j = 0; j < n; j++) {
        const struct supp *s = &supps[order[j]];
        fprintf(f, "--%d-- used_suppression: %6llu %s %s:%d", pid, (unsigned long long)s->count,
                s->name, s->file, s->line);
        if (!strcmp(s->kind, "Leak")) {
            char b1[32], b2[32];
            fprintf(f, " suppressed: %s bytes in %s blocks", fmt_commas(b1, s->bytes), fmt_commas(b2, s->blocks));
        }
        fputc('\n', f);
    }
    free(order);
}

void supp_print_counts_xml(FILE *f)
{
    for (int i = 0; i < n_supps; i++) {
        if (!supps[i].count) continue;
        fprintf(f, "  <pair>\n    <count>%llu</count>\n    <name>", (unsigned long long)supps[i].count);
        xml_puts(f, supps[i].name);
        fputs("</name>\n  </pair>\n", f);
    }
}
