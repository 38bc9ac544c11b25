/* What src/main.c provides to the rest of ue, for unit tests linked without it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/ue.h"

struct ue_options ue_opt = { .follow_exec = true };

void ue_fatal(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ue: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

void ue_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ue: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
