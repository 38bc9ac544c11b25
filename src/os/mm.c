/* Memory: mmap/munmap/mprotect/mremap/brk/madvise go to the memory box
 * (mem_*); the rest act on the host pages of the guest window. */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

#define GUEST_TOP 0xffffe000u   /* TASK_SIZE of an i386 process on a 64-bit kernel */

SYS(mmap2) { return mem_mmap(a1, a2, (int)a3, (int)a4, (int)a5, (uint64_t)a6 * GUEST_PAGE); }

/* old mmap(90): the six arguments in memory, the offset in bytes */
SYS(mmap)
{
    struct i386_mmap_arg m;
    if (ua_read(&m, a1, sizeof m)) return -EFAULT;
    if (m.offset & (GUEST_PAGE - 1)) return -EINVAL;
    return mem_mmap(m.addr, m.len, (int)m.prot, (int)m.flags, (int)m.fd, m.offset);
}

SYS(munmap) { return mem_munmap(a1, a2); }
SYS(mprotect) { return mem_mprotect(a1, a2, (int)a3); }
SYS(mremap) { return mem_mremap(a1, a2, a3, (int)a4, a5); }
/* mm/madvise.c order: the advice (asked of the host kernel with an empty
 * range), the alignment, then the range. On a 64-bit kernel start + len
 * cannot wrap: a range past the guest's top is partly unmapped, so the
 * mapped part gets the advice and the call says ENOMEM. */
SYS(madvise)
{
    if (madvise(guest_base, 0, (int)a3)) return -errno;   /* uaccess-ok: length 0, the advice check only */
    if (a1 & (GUEST_PAGE - 1)) return -EINVAL;
    uint64_t end = (uint64_t)a1 + (((uint64_t)a2 + GUEST_PAGE - 1) & ~(uint64_t)(GUEST_PAGE - 1));
    if (end <= GUEST_TOP) return mem_madvise(a1, a2, (int)a3);
    if (a1 < GUEST_TOP) {
        long r = mem_madvise(a1, GUEST_TOP - a1, (int)a3);
        if (r && r != -ENOMEM) return r;
    }
    return -ENOMEM;
}
SYS(brk) { return mem_brk(a1); }

/* The window is one big host mapping, so "is this range mapped" must come
 * from ue's region list, not from the host. */
static long check_range(guest_addr addr, uint32_t len)
{
    if (addr & (GUEST_PAGE - 1)) return -EINVAL;
    if ((uint64_t)addr + len > 0x100000000ull) return -ENOMEM;
    if (len && !mem_ok(addr, len, 0)) return -ENOMEM;
    return 0;
}

/* A guest range handed to the host kernel as a range (not data ue reads). */
static long range_call(long nr, guest_addr s, size_t n, long arg)
{
    void *p = ua_lock(s, (uint32_t)n, UA_IN);
    long r = host_ret(syscall(nr, p, n, arg));
    ua_unlock(p, s, 0, UA_IN);
    return r;
}

/* mm/msync.c order: the flags (asked of the host kernel with an empty
 * range), the alignment, then the range */
SYS(msync)
{
    if (msync(guest_base, 0, (int)a3)) return -errno;   /* uaccess-ok: length 0, the flags check only */
    long e = check_range(a1, a2);
    return e ? e : range_call(SYS_msync, a1, a2, (int)a3);
}

/* mm/mincore.c: a mapping at each step (ENOMEM when the range runs into a
 * hole), at most a page of results at a time, each copied out before the
 * next mapping is looked at (EFAULT then, with the earlier bytes written). */
SYS(mincore)
{
    if (a1 & (GUEST_PAGE - 1)) return -EINVAL;
    uint64_t pages = ((uint64_t)a2 + GUEST_PAGE - 1) / GUEST_PAGE;
    uint64_t addr = a1;
    guest_addr vec = a3;
    unsigned char tmp[GUEST_PAGE];
    while (pages) {
        const struct region *r = addr < 0x100000000ull ? mem_next_region((guest_addr)addr) : NULL;
        if (!r || r->start > addr) return -ENOMEM;
        uint64_t n = ((uint64_t)r->end - addr) / GUEST_PAGE;
        if (n > pages) n = pages;
        if (n > sizeof tmp) n = sizeof tmp;
        void *p = ua_lock((guest_addr)addr, (uint32_t)(n * GUEST_PAGE), UA_IN);
        long e = host_ret(mincore(p, n * GUEST_PAGE, tmp));
        ua_unlock(p, (guest_addr)addr, 0, UA_IN);
        if (e) return e;
        if (ua_write(vec, tmp, n)) return -EFAULT;
        pages -= n;
        addr += n * GUEST_PAGE;
        vec += (guest_addr)n;
    }
    return 0;
}

static long lock_range(guest_addr addr, uint32_t len, guest_addr *start, size_t *size)
{
    guest_addr s = PAGE_DOWN(addr);
    uint64_t end = ((uint64_t)addr + len + GUEST_PAGE - 1) & ~(uint64_t)(GUEST_PAGE - 1);
    if (end > 0x100000000ull) return -ENOMEM;
    if (end > s && !mem_ok(s, (uint32_t)(end - s), 0)) return -ENOMEM;
    *start = s;
    *size = (size_t)(end - s);
    return 0;
}

SYS(mlock)
{
    guest_addr s; size_t n;
    long e = lock_range(a1, a2, &s, &n);
    return e ? e : range_call(SYS_mlock, s, n, 0);
}

SYS(mlock2)
{
    guest_addr s; size_t n;
    long e = lock_range(a1, a2, &s, &n);
    return e ? e : range_call(SYS_mlock2, s, n, (long)a3);
}

SYS(munlock)
{
    guest_addr s; size_t n;
    long e = lock_range(a1, a2, &s, &n);
    return e ? e : range_call(SYS_munlock, s, n, 0);
}

/* Locking all of ue's address space (the 4 GiB window) is not what the guest
 * asked for; accept and do nothing. */
SYS(mlockall) { return (a1 & ~7u) || !a1 ? -EINVAL : 0; }
SYS(munlockall) { return 0; }
