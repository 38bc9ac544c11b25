/* A call's result for printing: the number, or for -errno the errno's name
 * (EFAULT, EINVAL...). Four results may be printed by one printf. */
#ifndef RESULT_NAME_H
#define RESULT_NAME_H

#include <stdio.h>
#include <string.h>

static const char *en(long r)
{
    static char bufs[4][32];
    static int k;
    if (r < 0 && strerrorname_np((int)-r)) return strerrorname_np((int)-r);
    char *b = bufs[k++ & 3];
    snprintf(b, 32, r < 0 ? "errno %ld" : "%ld", r < 0 ? -r : r);
    return b;
}

#endif
