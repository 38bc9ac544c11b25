/* The kernel's put_user for the system calls: one value of 1 to 8 bytes
 * written by a single store, so a value running into a page that cannot be
 * written leaves every one of its bytes as it was (ua_write copies the bytes
 * before the fault, as copy_to_user does). */
#ifndef UE_OS_PUT_USER_H
#define UE_OS_PUT_USER_H

#include "../mem/uaccess.h"

/* The part past the page boundary goes first; when the first part then
 * fails, the second is put back. */
static inline int put_user(guest_addr a, const void *v, uint32_t n)
{
    uint32_t head = 4096 - (a & 4095);
    if (head >= n) return ua_write(a, v, n);
    if ((uint64_t)a + n > (1ull << 32)) return -EFAULT;   /* the i386 kernel's pointers do not wrap */
    uint8_t was[8];
    if (ua_read(was, a + head, n - head) || ua_write(a + head, (const uint8_t *)v + head, n - head))
        return -EFAULT;
    if (!ua_write(a, v, head)) return 0;
    (void)ua_write(a + head, was, n - head);
    return -EFAULT;
}

static inline int put_user_u32(guest_addr a, uint32_t v) { return put_user(a, &v, 4); }

#endif
