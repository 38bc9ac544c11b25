/* ue's own client requests: the codes a guest passes in the first word of
 * the request block (Valgrind's x86 client-request sequence: see ue.h).
 * Shared by the guest side (ue.h, uealloc.c) and ue (src/check/creq.c); plain
 * C, no code. Valgrind's and memcheck's own request codes (valgrind.h,
 * memcheck.h) are honoured as well; these live in a range of their own,
 * tool base ('U','E'). */
#ifndef UE_REQUESTS_H
#define UE_REQUESTS_H

#define UE_REQ_BASE 0x55450000u          /* ('U' << 24) | ('E' << 16) */

enum ue_request {
    UE_REQ_RUNNING = UE_REQ_BASE + 1,    /* () -> 1 under ue --memcheck */
    /* The allocator library's calls. ue keeps the heap: each returns what
     * the C function returns (0 on failure; the library sets errno). */
    UE_REQ_MALLOC,                       /* (size, align, kind) -> ptr; align 0: malloc's */
    UE_REQ_CALLOC,                       /* (nmemb, size) -> ptr, zeroed */
    UE_REQ_REALLOC,                      /* (ptr, size) -> ptr */
    UE_REQ_FREE,                         /* (ptr, kind) -> 0 */
    UE_REQ_USABLE_SIZE,                  /* (ptr) -> size */
    /* (fn, dst, src, len): before a copy the library does itself, made only
     * when the library has found that the ranges it reads and writes
     * overlap; reports "Source and destination overlap in FN(dst, src, len)".
     * len is the call's n (memcpy, strncpy, strncat...; unused for strcpy). */
    UE_REQ_CHECK_OVERLAP,
    /* (name, value, fn): a size argument looks negative: "Argument 'NAME' of
     * function FN has a fishy (possibly negative) value: VALUE" */
    UE_REQ_FISHY,
};

/* Allocation kinds (UE_REQ_MALLOC, UE_REQ_FREE), for mismatched frees. */
enum ue_alloc_kind { UE_KIND_MALLOC = 0, UE_KIND_NEW = 1, UE_KIND_NEW_ARRAY = 2 };

/* UE_REQ_CHECK_OVERLAP's function names. */
enum ue_strfn {
    UE_FN_MEMCPY, UE_FN_MEMPCPY, UE_FN_STRCPY, UE_FN_STPCPY, UE_FN_STRNCPY, UE_FN_STPNCPY,
    UE_FN_STRCAT, UE_FN_STRNCAT, UE_FN_MEMCCPY, UE_FN_WCSCPY, UE_FN_COUNT
};

#endif
