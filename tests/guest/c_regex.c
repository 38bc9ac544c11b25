/* ue-test: variants=s2 d0 p2 */
/* POSIX regular expressions from glibc (a large state machine): basic and
 * extended syntax, subexpression offsets, REG_ICASE, REG_NEWLINE, no-match,
 * a compile error message, and fnmatch/glob-style patterns. */
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>

static void try(const char *re, int flags, const char *text)
{
    regex_t r;
    int e = regcomp(&r, re, flags);
    if (e) {
        char msg[128];
        regerror(e, &r, msg, sizeof msg);
        printf("%-28s compile error: %s\n", re, msg);
        return;
    }
    regmatch_t m[4];
    e = regexec(&r, text, 4, m, 0);
    printf("%-28s on %-24s ", re, text);
    if (e == REG_NOMATCH)
        printf("no match\n");
    else {
        for (int i = 0; i < 4 && m[i].rm_so >= 0; i++)
            printf(" [%d,%d)", (int)m[i].rm_so, (int)m[i].rm_eo);
        printf("\n");
    }
    regfree(&r);
}

int main(void)
{
    try("ab*c", 0, "xxabbbcyy");
    try("\\(a*\\)\\(b\\)", 0, "caaab");
    try("([0-9]+)-([0-9]+)", REG_EXTENDED, "call 555-1234 now");
    try("^(foo|bar)+$", REG_EXTENDED, "foobarfoo");
    try("^(foo|bar)+$", REG_EXTENDED, "foobaz");
    try("hello", REG_EXTENDED | REG_ICASE, "Say HeLLo!");
    try("^line2$", REG_EXTENDED | REG_NEWLINE, "line1\nline2\nline3");
    try("[[:alpha:]]+[[:digit:]]{2,3}", REG_EXTENDED, "--abc1234--");
    try("a{2}(b|c){1,2}d?", REG_EXTENDED, "aacbd");
    try("(", REG_EXTENDED, "x");
    try("[z-a]", REG_EXTENDED, "x");
    try("(a|ab)(c|bcd)(d*)", REG_EXTENDED, "abcd");
    const char *pats[] = {"*.c", "a?c", "[a-c]*", "*/*", "\\*"};
    const char *names[] = {"main.c", "abc", "bcd", "dir/file", "*", "x.h"};
    for (int p = 0; p < 5; p++) {
        printf("fnmatch %-6s:", pats[p]);
        for (int n = 0; n < 6; n++)
            printf(" %d", fnmatch(pats[p], names[n], FNM_PATHNAME) == 0);
        printf("\n");
    }
    return 0;
}
