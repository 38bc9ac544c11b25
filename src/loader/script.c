/* "#!" scripts: the first line parsed as fs/binfmt_script.c does. */
#include <stdio.h>
#include <string.h>

#include "load.h"

static bool spacetab(char ch) { return ch == ' ' || ch == '\t'; }

static const char *next_non_spacetab(const char *s, const char *end)
{
    for (; s < end; s++)
        if (!spacetab(*s)) return s;
    return NULL;
}

static const char *next_terminator(const char *s, const char *end)
{
    for (; s < end; s++)
        if (spacetab(*s) || *s == 0) return s;
    return NULL;
}

static bool copy_part(char *dst, size_t size, const char *s, const char *e)
{
    size_t n = strnlen(s, (size_t)(e - s));
    if (n >= size) return false;
    memcpy(dst, s, n);
    dst[n] = 0;
    return true;
}

/* buf holds the first n bytes of the file (the kernel looks at 256). */
bool script_parse(const char *file, size_t n, char *interp, size_t isize, char *arg, size_t asize)
{
    char buf[256] = {0};
    memcpy(buf, file, n < sizeof buf ? n : sizeof buf);
    const char *buf_end = buf + sizeof buf - 1;
    const char *i_end = memchr(buf, '\n', sizeof buf);

    if (!i_end) {
        /* no newline: accept only when the interpreter name ends inside the buffer */
        i_end = next_non_spacetab(buf + 2, buf_end);
        if (!i_end || !next_terminator(i_end, buf_end)) return false;
        i_end = buf_end;
    }
    while (i_end > buf + 2 && spacetab(i_end[-1])) i_end--;
    const char *i_name = next_non_spacetab(buf + 2, i_end);
    if (!i_name || i_name == i_end) return false;
    const char *i_sep = next_terminator(i_name, i_end);
    const char *i_arg = i_sep && *i_sep ? next_non_spacetab(i_sep, i_end) : NULL;

    if (!copy_part(interp, isize, i_name, i_sep ? i_sep : i_end)) return false;
    arg[0] = 0;
    if (i_arg && !copy_part(arg, asize, i_arg, i_end)) return false;
    return interp[0] != 0;
}
