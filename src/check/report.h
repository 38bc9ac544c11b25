/* memcheck reports: what report.c and supp.c share (not part of check.h). */
#ifndef UE_CHECK_REPORT_H
#define UE_CHECK_REPORT_H

#include <stdio.h>

#include "check.h"
#include "../debug/stack.h"

/* One frame of a printed stack: name is the function, "(below main)" for
 * libc's start-up frames, or NULL when unknown. */
struct frame {
    guest_addr ip;
    const char *name;
    struct sym_info s;
};
#define MAX_FRAMES 500
/* The frames of a stack as Valgrind shows them: cut after main or after
 * the first (below main) frame. */
int report_frames(stack_id id, struct frame *out, int max);

/* ---- supp.c: Valgrind's suppression files ---- */
/* Loads a suppression file's text; false with *err set ("line N: ...") on a
 * syntax error. file names it in -s output. */
bool supp_parse(const char *text, const char *file, char *err, size_t errlen);
/* The first suppression matching an error of kind ("Addr4", "Param",
 * "Leak"...), with its extra line (Param's "write(buf)") or leak kind
 * (LEAK_*, Leak only), and stack; it counts the match. -1: none. */
int supp_match(const char *kind, const char *extra, int leak_kind, const struct frame *f, int n);
/* A Leak suppression's use: bytes and blocks it hid (for -s). */
void supp_add_leak(int id, uint64_t bytes, uint64_t blocks);
/* --gen-suppressions: the block a user can paste into a file. */
void supp_print_gen(FILE *f, const char *kind, const char *extra, int leak_kind,
                    const struct frame *fr, int n);
void supp_print_gen_xml(FILE *f, const char *kind, const char *extra, int leak_kind,
                        const struct frame *fr, int n);
/* -s: "used_suppression:" lines (text); <suppcounts> pairs (XML). */
void supp_print_used(FILE *f, int pid);
void supp_print_counts_xml(FILE *f);
/* "definite,possible", "all", "none" -> LEAK_* bits; -1 when bad. */
int leak_kinds_parse(const char *s);
/* Glob with * and ? (Valgrind's fun:/obj: patterns). */
bool supp_glob(const char *pat, const char *s);

/* --log-file names: %p the pid, %q{VAR} $VAR, %% '%' (malloc'd). */
char *chk_expand_name(const char *pat);
/* Writes s with &, < and > escaped. */
void xml_puts(FILE *f, const char *s);
/* v with thousands separators ("1,024") into buf (>= 27 bytes). */
char *fmt_commas(char *buf, uint64_t v);

#endif
