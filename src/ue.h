/* ue: common types and process-wide settings shared by every box. */
#ifndef UE_H
#define UE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UE_VERSION "0.1.0"

/* A guest (i386) virtual address. Never dereference it: turn it into a host
 * pointer with g2h() (unchecked, for the interpreter); system calls reach
 * guest memory through the user-access API (mem/uaccess.h) only. */
typedef uint32_t guest_addr;

/* Start of the 4 GiB guest window (see ARCHITECTURE.md: "one 4 GiB window"). */
extern uint8_t *guest_base;

static inline void *g2h(guest_addr a) { return guest_base + a; }
static inline guest_addr h2g(const void *p) { return (guest_addr)((const uint8_t *)p - guest_base); }

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Options from the command line; read-only once the guest runs. */
struct ue_options {
    const char *sysroot;    /* --sysroot DIR, or NULL */
    bool strace;            /* --strace */
    bool follow_exec;       /* execve re-runs ue (default true) */
    const char *ue_path;    /* absolute path of the ue binary, for re-exec */
    int argc_opts;          /* the option words ue was given, for re-exec */
    char **argv_opts;
};
extern struct ue_options ue_opt;

/* One line on stderr, prefixed with "ue: ", then exit(code). */
void ue_fatal(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/* One line on stderr, prefixed with "ue: warning: ". */
void ue_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
