/* memcheck: the checker's interface to the CPU, the OS box and the reports.
 *
 * Pieces (doc/memcheck.md tells the design):
 *   shadow.c  one shadow byte per guest byte (addressability now, definedness next)
 *   heap.c    the guest heap, kept by ue: blocks, redzones, quarantine, frees
 *   creq.c    client requests (ue.h and Valgrind's x86 sequence), static redirects
 *   leak.c    the leak scan at exit
 *   report.c  errors: dedup by stack, suppressions, text and XML output, summaries
 * debug/stack.c captures and symbolises guest stacks. */
#ifndef UE_CHECK_H
#define UE_CHECK_H

#include "../ue.h"

struct cpu;
struct insn;

/* ---- options (set by chk_option before the guest runs, read-only after) ---- */
struct chk_options {
    bool on;                    /* --memcheck / --tool=memcheck */
    int leak_check;             /* 0 no, 1 summary (default), 2 full */
    unsigned show_leak_kinds;   /* bit per LEAK_* (default definite|possible) */
    unsigned errors_for_leak_kinds;
    int error_exitcode;         /* 0: the program's own status */
    int num_callers;            /* 12 */
    uint32_t freelist_vol;      /* quarantine bytes (20000000) */
    uint32_t redzone;           /* bytes before and after each block (16) */
    const char *log_file;       /* NULL: stderr */
    const char *xml_file;       /* --xml=yes --xml-file=F */
    bool xml;
    const char *supp_files[16]; /* --suppressions=FILE, in order */
    int n_supp;
    bool default_supp;          /* the bundled default suppressions (on unless --no-default-suppressions) */
    int gen_suppressions;       /* 0 no, 1 yes (all), 2 ask (treated as yes) */
    bool show_reachable_set;    /* --show-reachable given */
};
extern struct chk_options chk_opt;

/* Takes one command-line word of ue's (and its value, for "--opt VAL" forms:
 * returns 2 when it used next too). 0: not a checker option. Fatal on a bad
 * value. Every accepted word is kept for re-exec (report.c). */
int chk_option(const char *word, const char *next);
/* After the last option: fatal when checker options came without --memcheck. */
void chk_options_done(void);
/* After options: opens the log/XML files, loads suppressions, maps the shadow. */
void chk_init(void);
/* The environment a dynamic guest starts with under --memcheck: envp with
 * the allocator library (libuealloc.so, installed beside ue) added to
 * LD_PRELOAD once. */
char **chk_guest_env(char **envp);
/* An execve's environment loses that entry again (in place; each string is
 * malloc'd): a program ue does not follow must not get an i386 preload. */
void chk_guest_env_strip(char **envp);

/* ---- shadow (shadow.c): one byte per guest byte, at chk_shadow + a; the
 * mapping covers 4 GiB + 64 KiB (accesses that wrap read the tail), is
 * NORESERVE and starts all zero (addressable, defined). ---- */
extern uint8_t *chk_shadow;
enum {
    SH_DEFINED = 0x00,   /* addressable, all bits defined */
    SH_UNDEF = 0x01,     /* addressable, undefined (part 2) */
    SH_NOACCESS = 0x02,  /* not addressable */
    SH_PARTIAL = 0x05,   /* addressable, some bits defined: V bits in a side table (part 2) */
};
#define SH_NOACCESS_BIT 0x02
/* Maps the shadow and subscribes to memory events (chk_init calls it). */
void shadow_init(void);
void shadow_set(guest_addr a, uint32_t len, uint8_t state);
/* A range that stopped being mapped: unaddressable, or when it is big
 * (over 16 MiB), back to the free zero state. */
void shadow_unmapped(guest_addr a, uint32_t len);
/* The same for a range a guest request names: big ranges are marked where
 * they are mapped and accessible only. */
void shadow_set_client(guest_addr a, uint32_t len, uint8_t state);
/* First byte in [a, a+len) with SH_NOACCESS_BIT, or -1 (as int64). */
int64_t shadow_first_noaccess(guest_addr a, uint32_t len);

/* The checked CPU's accessors call this for every guest access. Reports an
 * invalid read/write when a byte is not addressable; the access then goes on
 * as it would natively (a host fault, if any, is the guest's). */
enum { CHK_READ = 0, CHK_WRITE = 1 };
void chk_access_slow(guest_addr a, uint32_t size, int dir);
/* The checked CPU cannot fetch the first byte of the instruction at target
 * (a jump or call there): "Jump to the invalid address stated on the next line". */
void chk_invalid_jump(struct cpu *c, guest_addr target);
/* UE_CHECKED_CPU=facts (a test of the opcode facts, cpu.h D_M*): each
 * access at an instruction's memory operand is compared with what the
 * instruction's table entry says (variant.c). */
extern bool chk_facts;
void chk_facts_access(guest_addr a, uint32_t size, int dir);
static inline void chk_access(guest_addr a, uint32_t size, int dir)
{
    if (unlikely(chk_facts)) chk_facts_access(a, size, dir);
    const uint8_t *s = chk_shadow + a;
    uint64_t w;
    switch (size) {
    case 1: if (likely(!(s[0] & SH_NOACCESS_BIT))) return; break;
    case 2: { uint16_t v; __builtin_memcpy(&v, s, 2); if (likely(!(v & 0x0202u))) return; break; }
    case 4: { uint32_t v; __builtin_memcpy(&v, s, 4); if (likely(!(v & 0x02020202u))) return; break; }
    case 8: __builtin_memcpy(&w, s, 8); if (likely(!(w & 0x0202020202020202ull))) return; break;
    default: if (likely(shadow_first_noaccess(a, size) < 0)) return; break;
    }
    chk_access_slow(a, size, dir);
}

/* The checked decoder asks at each instruction start: is there a checker
 * handler for the code at eip (a redirected allocator entry of a static
 * program, or a client-request sequence)? Returns its handler and sets *len
 * (the bytes it covers; 0 when it ends with a return), else NULL. The
 * handler ends its block and sets c->eip itself.
 * Contract (decode.c, checked build only): the decoded instruction has
 * fn = the handler, eip, len and nothing else (no operands, prefixes or
 * flag facts: the flags count as read, and it may fault). The handler is a
 * plain function, like control.c's transfers: it returns to the run loop,
 * which goes on at c->eip (it may end with cpu_chain(c) instead). While it
 * runs c->loop.cur == i, so cpu_raise() reports i->eip. */
typedef void (*chk_op_fn)(struct cpu *c, const struct insn *i);
chk_op_fn chk_decode_hook(guest_addr eip, uint32_t *len);

/* ---- the guest heap (heap.c) ---- */
enum chk_alloc_kind { AK_MALLOC, AK_NEW, AK_NEW_ARRAY, AK_CUSTOM /* MALLOCLIKE_BLOCK / mempools */ };
/* What an address is, for error messages. */
enum chk_addr_kind {
    AD_UNKNOWN,          /* "Address 0x... is not stack'd, malloc'd or (recently) free'd" */
    AD_HEAP_INSIDE,      /* "is N bytes inside a block of size S alloc'd" */
    AD_HEAP_AFTER,       /* "is N bytes after a block of size S alloc'd" */
    AD_HEAP_BEFORE,      /* "is N bytes before a block of size S alloc'd" */
    AD_FREED_INSIDE,     /* "is N bytes inside a block of size S free'd" */
    AD_FREED_AFTER, AD_FREED_BEFORE,
    AD_STACK,            /* "is on thread N's stack" */
    AD_MEMPOOL_INSIDE,
};
typedef uint32_t stack_id;   /* an interned guest stack (debug/stack.h); 0: none */
struct chk_addr_desc {
    enum chk_addr_kind kind;
    guest_addr block;        /* block's start (user address) */
    uint32_t block_size;
    int64_t offset;          /* address - block (negative before) */
    stack_id alloc, freed;   /* allocation (and free) stacks */
    int thread;
};
void heap_describe(guest_addr a, struct chk_addr_desc *d);
/* Heap totals for the HEAP SUMMARY. */
struct heap_totals {
    uint64_t in_use_bytes, in_use_blocks;   /* live blocks now */
    uint64_t allocs, frees, bytes_allocated; /* since start */
};
void heap_totals(struct heap_totals *t);
/* The heap's operations (creq.c calls them for the allocator library's
 * requests and a static program's redirected malloc family). where: the
 * caller's stack. Failures return 0; bad frees and mismatches are
 * reported here. */
void heap_init(void);
guest_addr heap_alloc(uint32_t size, uint32_t align, enum chk_alloc_kind kind, stack_id where);
guest_addr heap_calloc(uint32_t nmemb, uint32_t size, stack_id where);
guest_addr heap_realloc(guest_addr p, uint32_t size, stack_id where);
void heap_free(guest_addr p, enum chk_alloc_kind kind, stack_id where);
uint32_t heap_usable_size(guest_addr p);
/* Client-described blocks: MALLOCLIKE_BLOCK (pool 0) and mempool chunks. */
void heap_custom_alloc(guest_addr pool, guest_addr a, uint32_t size, uint32_t rz, stack_id where);
bool heap_custom_free(guest_addr pool, guest_addr a, stack_id where);
void heap_custom_resize(guest_addr a, uint32_t old_size, uint32_t new_size, uint32_t rz, stack_id where);
void heap_pool_create(guest_addr pool, uint32_t rz, bool zeroed, unsigned flags);
void heap_pool_destroy(guest_addr pool, stack_id where);
bool heap_pool_alloc(guest_addr pool, guest_addr a, uint32_t size, stack_id where);
void heap_pool_trim(guest_addr pool, guest_addr a, uint32_t len, stack_id where);
void heap_pool_move(guest_addr from, guest_addr to);
void heap_pool_change(guest_addr pool, guest_addr from, guest_addr to, uint32_t size);
bool heap_pool_exists(guest_addr pool);
/* For the leak scan: the live blocks sorted by start, and ue's heap arenas
 * (not roots). Both arrays are the caller's to free. */
struct heap_block { guest_addr start; uint32_t size; stack_id alloc; uint8_t kind; };
struct heap_range { guest_addr start, end; };
size_t heap_snapshot(struct heap_block **blocks, struct heap_range **arenas, size_t *n_arenas);

/* Leak kinds (bits of show_leak_kinds / errors_for_leak_kinds). */
enum { LEAK_DEFINITE = 1, LEAK_INDIRECT = 2, LEAK_POSSIBLE = 4, LEAK_REACHABLE = 8 };
/* One loss record: blocks of one kind allocated at one stack. */
struct leak_rec {
    int kind;                 /* LEAK_* */
    stack_id alloc;
    uint64_t bytes, blocks;   /* direct */
    uint64_t ind_bytes;       /* indirectly lost through these blocks (definite/possible records) */
};
struct leak_summary {         /* bytes and blocks per LEAK_* kind (index i: kind 1 << i), and suppressed */
    uint64_t bytes[4], blocks[4];
    uint64_t supp_bytes, supp_blocks;
};
/* Called at exit and by DO_LEAK_CHECK: runs the scan, hands records to
 * chk_report_leaks. only_new: VALGRIND_DO_ADDED_LEAK_CHECK. */
void leak_check(int mode /* 1 summary, 2 full */, bool only_new);
/* The last scan's totals (COUNT_LEAKS), as chk_report_leaks left them
 * (it moves suppressed records' bytes to supp_*). */
void leak_counts(struct leak_summary *s);
/* Prints the records (sorted, "N bytes in M blocks are definitely lost in
 * loss record i of n") and the LEAK SUMMARY; records of kinds in
 * errors_for_leak_kinds count as errors. s comes with the totals of every
 * record (bytes[i], blocks[i] for kind 1 << i); suppressed records move from
 * there to s->supp_* (direct bytes). Sorts recs in place. */
void chk_report_leaks(struct leak_rec *recs, int n, struct leak_summary *s, int mode);

/* ---- errors (report.c) ---- */
enum chk_err_kind {
    ERR_INVALID_READ, ERR_INVALID_WRITE,
    ERR_INVALID_FREE,          /* "Invalid free() / delete / delete[] / realloc()" */
    ERR_MISMATCHED_FREE,       /* "Mismatched free() / delete / delete []" */
    ERR_FISHY_VALUE,           /* "Argument 'size' of function malloc has a fishy (possibly negative) value: -1" */
    ERR_OVERLAP,               /* "Source and destination overlap in memcpy(0x.., 0x.., 16)" */
    ERR_SYSCALL_PARAM,         /* "Syscall param write(buf) points to unaddressable byte(s)" */
    ERR_INVALID_JUMP,          /* "Jump to the invalid address stated on the next line" */
    ERR_CLIENT_CHECK,          /* "Unaddressable byte(s) found during client check request" */
    ERR_REALLOC_ZERO,          /* "realloc() with size 0" */
    ERR_LEAK,                  /* loss records (leak.c) */
    ERR_KINDS
};
struct chk_error {
    enum chk_err_kind kind;
    stack_id where;            /* the access / call */
    guest_addr addr;           /* the bad address (the freed pointer for frees) */
    uint32_t size;             /* access size */
    struct chk_addr_desc desc; /* what addr is */
    const char *fn;            /* function named: "free", "delete", "memcpy", "malloc"... */
    const char *what;          /* syscall param "write(buf)", fishy argument name "size" */
    int64_t value;             /* the fishy value */
    guest_addr src, dst;       /* overlap */
    uint32_t len;              /* overlap: 0 for calls without a length (strcpy: two arguments shown) */
    enum chk_alloc_kind alloc_kind, free_kind; /* mismatched free */
};
/* Free text on the report stream (client PRINTF: "**PID** text"), with a
 * stack when where != 0 (PRINTF_BACKTRACE). */
void chk_printf(const char *text, stack_id where);
/* A client PRINTF: the guest format string at fmt with its i386 arguments
 * from args (a va_list's pointer), formatted into out (cap bytes, cut
 * there). Returns the length. Conversions: d i u x X o p s c %, flags,
 * width, precision (also *), l/ll/h/z. */
size_t creq_format(char *out, size_t cap, guest_addr fmt, guest_addr args);
/* Record one error: dedup by (kind, stack, details), count, suppress,
 * print the first of each. */
void chk_report(const struct chk_error *e);
/* CHANGE_ERR_DISABLEMENT: errors of this thread are not reported while > 0. */
extern __thread int chk_err_disabled;
/* The number of errors shown so far (COUNT_ERRORS; the error summary). */
uint32_t chk_error_count(void);
/* A guest thread starts (in the new thread) / exits: reports name threads
 * with Valgrind's numbers (main 1, then the lowest free one). */
void chk_thread_start(void);
void chk_thread_exit(void);

/* A guest's fatal signal: Valgrind's "Process terminating with default
 * action of signal N (SIGSEGV)" with the access and the stack. */
void chk_fatal_signal(struct cpu *c, int sig, int code, guest_addr addr);
/* The guest process ends (exit_group or fatal signal): heap summary, leak
 * check, error summary. Returns the status to exit with (--error-exitcode). */
int chk_at_exit(int status);

#endif
