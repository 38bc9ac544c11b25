/* Printing a call's result with its errno name: SHOW(what, expr) clears
 * errno, evaluates expr and prints what (left-aligned in SHOW_WIDTH columns,
 * 44 unless the test defines it before including this), the result and,
 * for a negative one, errno's name (EFAULT, EINVAL...). */
#ifndef ERRNO_SHOW_H
#define ERRNO_SHOW_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef SHOW_WIDTH
#define SHOW_WIDTH 44
#endif

#define SHOW(what, expr)                                                                     \
    do {                                                                                     \
        errno = 0;                                                                           \
        long r_ = (long)(expr);                                                              \
        printf("%-*s %ld %s\n", SHOW_WIDTH, what, r_, r_ < 0 ? strerrorname_np(errno) : ""); \
    } while (0)

#endif
