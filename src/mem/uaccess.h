/* The user-access API: the one way system calls reach guest memory.
 *
 * Two kinds of access, as in the kernel:
 *  - copies (ua_read, ua_write, ua_strncpy, ua_cmpxchg_u32): ue's own code
 *    moves bytes between guest memory and host memory. Each copy runs in a
 *    small assembly routine listed in a fixup table; a host SIGSEGV/SIGBUS
 *    inside it (unmapped page, file mapping past EOF, a race with munmap in
 *    another thread) resumes at the routine's fixup, which reports how many
 *    bytes really moved. Nothing is checked beforehand: the host page
 *    tables, which mirror the guest's, are the judge.
 *  - locks (ua_lock/ua_unlock): a buffer handed to the host kernel as it is
 *    (read(2) into guest memory). The host kernel then judges every byte
 *    exactly as the i386 kernel would, at the same point of its checks
 *    (EBADF before EFAULT, partial counts at the first unmapped page); pages
 *    ue protected for its decoded code are made writable first.
 *
 * The window is followed by a 4 GiB guard that is never mapped, so a guest
 * address plus any 32-bit length stays inside ue's reservation: no copy or
 * lock can reach ue's own memory whatever the guest passes.
 *
 * A value that sizes or indexes anything on the host is copied once into
 * host memory with ua_read and checked there (another guest thread may
 * change guest memory at any time). */
#ifndef UE_MEM_UACCESS_H
#define UE_MEM_UACCESS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ue.h"

/* Directions, for ua_lock and the syscall table's memory letters. */
enum ua_dir { UA_IN = 1, UA_OUT = 2, UA_INOUT = 3 };

/* Copies; they return the number of bytes NOT copied (0: all of them), like
 * the kernel's copy_from_user/copy_to_user. Bytes before the first
 * inaccessible one are copied. */
size_t ua_read_partial(void *dst, guest_addr src, size_t n);
size_t ua_write_partial(guest_addr dst, const void *src, size_t n);

/* All or nothing as far as the caller can tell: 0 or -EFAULT. */
static inline int ua_read(void *dst, guest_addr src, size_t n)
{
    return ua_read_partial(dst, src, n) ? -EFAULT : 0;
}
static inline int ua_write(guest_addr dst, const void *src, size_t n)
{
    return ua_write_partial(dst, src, n) ? -EFAULT : 0;
}
/* One 32-bit word: a single load, not a copy (stack walks read many). */
int ua_get_u32(guest_addr a, uint32_t *v);
static inline int ua_put_u32(guest_addr a, uint32_t v) { return ua_write(a, &v, 4); }
static inline int ua_put_u64(guest_addr a, uint64_t v) { return ua_write(a, &v, 8); }

/* Fills n guest bytes with zero: bytes not cleared, like the kernel's clear_user. */
size_t ua_clear_partial(guest_addr dst, size_t n);

/* A NUL-terminated guest string into dst (size bytes, size >= 1), as the
 * kernel's strncpy_from_user: returns its length (< size), -ENAMETOOLONG
 * when the first size bytes hold no NUL, -EFAULT when an inaccessible byte
 * comes first. dst is NUL-terminated on success. */
long ua_strncpy(char *dst, guest_addr src, size_t size);

/* Atomic compare-and-exchange of an aligned guest word (futexes, robust
 * lists): 0 with *old set to the value found, or -EFAULT. */
int ua_cmpxchg_u32(guest_addr a, uint32_t expected, uint32_t desired, uint32_t *old);

/* A guest buffer handed to the host kernel: the host view of [a, a+len).
 * Never fails: a range the guest may not touch stays untouchable in the
 * host view, and the host kernel answers EFAULT (or a short count) exactly
 * where the i386 kernel would. With UA_OUT, decoded-code pages in the range
 * become writable first. ua_unlock ends the access; done is the number of
 * bytes the call really transferred (for memcheck's definedness later). */
void *ua_lock(guest_addr a, uint32_t len, enum ua_dir dir);
static inline void ua_unlock(void *p, guest_addr a, uint32_t done, enum ua_dir dir)
{
    (void)p; (void)a; (void)done; (void)dir;
}

/* For the host fault handler: when the fault hit a copy routine, point the
 * context at its fixup (or retry after making a code page writable) and
 * return true. */
bool ua_fault_fixup(int sig, void *siginfo, void *ucontext);

#endif
