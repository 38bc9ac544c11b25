/* ue.h: client requests for programs run under ue --memcheck.
 *
 * A request is Valgrind's x86 client-request sequence: EAX holds the address
 * of six words {request, a1, a2, a3, a4, a5}, EDX the default result, then
 *     roll $3,%edi; roll $13,%edi; roll $29,%edi; roll $19,%edi; xchgl %ebx,%ebx
 * Natively the rotations add up to 64 (EDI unchanged) and the xchg does
 * nothing, so EDX keeps the default. ue recognises the sequence and puts the
 * result in EDX. On other targets the requests compile to the default.
 *
 * Programs already annotated with Valgrind's valgrind.h / memcheck.h
 * (RUNNING_ON_VALGRIND, VALGRIND_MALLOCLIKE_BLOCK, mempools,
 * VALGRIND_MAKE_MEM_NOACCESS, VALGRIND_DO_LEAK_CHECK, VALGRIND_PRINTF...)
 * work unchanged under ue: it honours their codes. This header is the
 * dependency-free alternative. Installed as <ue/ue.h>. */
#ifndef UE_H
#define UE_H

#include "ue_requests.h"

/* A macro, not a function: no frame of its own (not even an inlined one in
 * the debug info) appears in the stacks ue reports for a request. */
#if defined(__i386__)
#define UE_REQUEST(dflt, req, a1, a2, a3, a4, a5) __extension__ ({                  \
    volatile unsigned long ue_blk_[6] = {                                            \
        (unsigned long)(req), (unsigned long)(a1), (unsigned long)(a2),              \
        (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5) };             \
    unsigned long ue_res_;                                                           \
    __asm__ volatile("roll $3,%%edi\n\troll $13,%%edi\n\troll $29,%%edi\n\t"        \
                     "roll $19,%%edi\n\txchgl %%ebx,%%ebx"                            \
                     : "=d"(ue_res_)                                                 \
                     : "a"(&ue_blk_[0]), "0"((unsigned long)(dflt))                  \
                     : "cc", "memory");                                              \
    ue_res_; })
#else
#define UE_REQUEST(dflt, req, a1, a2, a3, a4, a5)                                   \
    ((void)(req), (void)(a1), (void)(a2), (void)(a3), (void)(a4), (void)(a5),       \
     (unsigned long)(dflt))
#endif

/* 1 under ue --memcheck, 0 natively (and under ue without --memcheck). */
#define UE_RUNNING() ((int)UE_REQUEST(0, UE_REQ_RUNNING, 0, 0, 0, 0, 0))

/* Valgrind's core and memcheck request codes (the same numbers valgrind.h
 * and memcheck.h use), for the macros below. */
#define UE_VG_RUNNING_ON_VALGRIND 0x1001u
#define UE_VG_COUNT_ERRORS        0x1201u
#define UE_VG_MALLOCLIKE_BLOCK    0x1301u
#define UE_VG_FREELIKE_BLOCK      0x1302u
#define UE_VG_CREATE_MEMPOOL      0x1303u
#define UE_VG_DESTROY_MEMPOOL     0x1304u
#define UE_VG_MEMPOOL_ALLOC       0x1305u
#define UE_VG_MEMPOOL_FREE        0x1306u
#define UE_VG_RESIZEINPLACE_BLOCK 0x130bu
#define UE_MC_BASE                0x4d430000u  /* ('M' << 24) | ('C' << 16) */
#define UE_MC_MAKE_MEM_NOACCESS          (UE_MC_BASE + 0)
#define UE_MC_MAKE_MEM_UNDEFINED         (UE_MC_BASE + 1)
#define UE_MC_MAKE_MEM_DEFINED           (UE_MC_BASE + 2)
#define UE_MC_CHECK_MEM_IS_ADDRESSABLE   (UE_MC_BASE + 4)
#define UE_MC_DO_LEAK_CHECK              (UE_MC_BASE + 6)

/* An own allocator's blocks: ue tracks them like malloc's (leaks, frees,
 * accesses after the end when rz > 0). */
#define UE_MALLOCLIKE_BLOCK(addr, size, rz, zeroed) \
    ((void)UE_REQUEST(0, UE_VG_MALLOCLIKE_BLOCK, addr, size, rz, zeroed, 0))
#define UE_FREELIKE_BLOCK(addr, rz) \
    ((void)UE_REQUEST(0, UE_VG_FREELIKE_BLOCK, addr, rz, 0, 0, 0))
#define UE_RESIZEINPLACE_BLOCK(addr, old_size, new_size, rz) \
    ((void)UE_REQUEST(0, UE_VG_RESIZEINPLACE_BLOCK, addr, old_size, new_size, rz, 0))
#define UE_CREATE_MEMPOOL(pool, rz, zeroed) \
    ((void)UE_REQUEST(0, UE_VG_CREATE_MEMPOOL, pool, rz, zeroed, 0, 0))
#define UE_DESTROY_MEMPOOL(pool) ((void)UE_REQUEST(0, UE_VG_DESTROY_MEMPOOL, pool, 0, 0, 0, 0))
#define UE_MEMPOOL_ALLOC(pool, addr, size) \
    ((void)UE_REQUEST(0, UE_VG_MEMPOOL_ALLOC, pool, addr, size, 0, 0))
#define UE_MEMPOOL_FREE(pool, addr) ((void)UE_REQUEST(0, UE_VG_MEMPOOL_FREE, pool, addr, 0, 0, 0))

/* Addressability by hand. CHECK returns 0 when all of [addr, addr+len) is
 * addressable, else the first bad address (and reports it). */
#define UE_MAKE_MEM_NOACCESS(addr, len) \
    ((void)UE_REQUEST(0, UE_MC_MAKE_MEM_NOACCESS, addr, len, 0, 0, 0))
#define UE_MAKE_MEM_UNDEFINED(addr, len) \
    ((void)UE_REQUEST(0, UE_MC_MAKE_MEM_UNDEFINED, addr, len, 0, 0, 0))
#define UE_MAKE_MEM_DEFINED(addr, len) \
    ((void)UE_REQUEST(0, UE_MC_MAKE_MEM_DEFINED, addr, len, 0, 0, 0))
#define UE_CHECK_MEM_IS_ADDRESSABLE(addr, len) \
    UE_REQUEST(0, UE_MC_CHECK_MEM_IS_ADDRESSABLE, addr, len, 0, 0, 0)

/* A full leak check now; the number of errors reported so far. */
#define UE_DO_LEAK_CHECK() ((void)UE_REQUEST(0, UE_MC_DO_LEAK_CHECK, 0, 0, 0, 0, 0))
#define UE_COUNT_ERRORS() ((unsigned)UE_REQUEST(0, UE_VG_COUNT_ERRORS, 0, 0, 0, 0, 0))

#endif
