/* A minimal unit-test layer: CHECK counts and reports, unit_done() prints
 * "unit NAME: N passed, N failed" and gives the exit status.  A new test is a
 * file tests/unit/test_NAME.c with its own main(): make unit finds it. */
#ifndef UE_UNIT_H
#define UE_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;
static const char *unit_case = "";   /* named in failure lines */

#define CHECK(cond) unit_check(!!(cond), #cond, __FILE__, __LINE__)
/* Integers compared with both values shown on failure. */
#define CHECK_EQ(a, b) unit_check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) unit_check_str((a), (b), #a, __FILE__, __LINE__)

static inline void unit_check(int ok, const char *what, const char *file, int line)
{
    if (ok) { unit_pass++; return; }
    unit_fail++;
    printf("FAIL %s:%d [%s]: %s\n", file, line, unit_case, what);
}

static inline void unit_check_eq(long long a, long long b, const char *as, const char *bs,
                                 const char *file, int line)
{
    if (a == b) { unit_pass++; return; }
    unit_fail++;
    printf("FAIL %s:%d [%s]: %s == %s: %lld (0x%llx) != %lld (0x%llx)\n", file, line, unit_case,
           as, bs, a, (unsigned long long)a, b, (unsigned long long)b);
}

static inline void unit_check_str(const char *a, const char *b, const char *as, const char *file, int line)
{
    if (a && b && !strcmp(a, b)) { unit_pass++; return; }
    unit_fail++;
    printf("FAIL %s:%d [%s]: %s:\n--- got\n%s--- want\n%s---\n", file, line, unit_case, as,
           a ? a : "(null)\n", b ? b : "(null)\n");
}

static inline int unit_done(const char *name)
{
    printf("unit %s: %d passed, %d failed\n", name, unit_pass, unit_fail);
    return unit_fail ? 1 : 0;
}

/* A small file's text (up to 8 KiB), in a static buffer; "" when unreadable. */
static inline const char *unit_read_file(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    return buf;
}

#endif
