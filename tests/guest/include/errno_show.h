/* Printing a call's result with its errno name: SHOW(what, expr) clears
 * errno, evaluates expr and prints what (left-aligned in SHOW_WIDTH columns,
 * 44 unless the test defines it before including this), the result and,
 * for a negative one, errno's name (EFAULT, EINVAL...). RAW(name, nr, args)
 * does the same for syscall(nr, args) as "name -> result ERRNO"; with
 * RAW_CLAMP defined as 1 it prints a positive result as 1 (RAWN never). */
#ifndef ERRNO_SHOW_H
#define ERRNO_SHOW_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SHOW_WIDTH
#define SHOW_WIDTH 44
#endif
#ifndef RAW_CLAMP
#define RAW_CLAMP 0
#endif

#define SHOW(what, expr)                                                                     \
    do {                                                                                     \
        errno = 0;                                                                           \
        long r_ = (long)(expr);                                                              \
        printf("%-*s %ld %s\n", SHOW_WIDTH, what, r_, r_ < 0 ? strerrorname_np(errno) : ""); \
    } while (0)

#define RAW_SHOW(clamp, name, ...)                                                           \
    do {                                                                                     \
        errno = 0;                                                                           \
        long r_ = syscall(__VA_ARGS__);                                                      \
        if ((clamp) && r_ > 0) r_ = 1;                                                       \
        printf("%-*s -> %ld %s\n", SHOW_WIDTH, name, r_, r_ < 0 ? strerrorname_np(errno) : ""); \
    } while (0)
#define RAW(name, ...) RAW_SHOW(RAW_CLAMP, name, __VA_ARGS__)
#define RAWN(name, ...) RAW_SHOW(0, name, __VA_ARGS__)

#endif
