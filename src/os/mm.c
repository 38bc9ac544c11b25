/* Memory: mmap/munmap/mprotect/mremap/brk/madvise go to the memory box
 * (mem_*); the rest act on the host pages of the guest window. */
#include <sys/mman.h>
#include <limits.h>
#include <sys/syscall.h>
#include <sys/uio.h>
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
SYS(remap_file_pages) { return mem_remap_file_pages(a1, a2, a3, a4, a5); }

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

/* mm/mlock.c apply_vma_lock_flags: the mappings from the start up to the
 * first hole change, then the hole is ENOMEM (nothing when the start is in one). */
static long lock_call(long nr, guest_addr addr, uint32_t len, long flags)
{
    guest_addr s = PAGE_DOWN(addr);
    uint64_t end = PAGE_UP((uint64_t)addr + len);
    if (end > 0x100000000ull) end = 0x100000000ull;
    if (end == s) return 0;
    uint64_t done = s;
    const struct region *r;
    while (done < end && (r = mem_next_region((guest_addr)done)) && r->start <= done) done = r->end;
    if (done > end) done = end;
    if (done == s) return -ENOMEM;
    long e = range_call(nr, s, (size_t)(done - s), flags);
    if (e) return e;
    return done < end || (uint64_t)addr + len > 0x100000000ull ? -ENOMEM : 0;
}

SYS(mlock) { return lock_call(SYS_mlock, a1, a2, 0); }
SYS(mlock2) { return a3 & ~(uint32_t)MLOCK_ONFAULT ? -EINVAL : lock_call(SYS_mlock2, a1, a2, (long)a3); }
SYS(munlock) { return lock_call(SYS_munlock, a1, a2, 0); }

/* Locking all of ue's address space (the 4 GiB window) is not what the
 * guest asked for: MCL_CURRENT locks (or with MCL_ONFAULT marks) each guest
 * region; MCL_FUTURE the guest's later mmaps (not brk, nor mremap growth). */
static void lock_each_region(long nr, long flags)
{
    guest_addr at = 0;
    for (const struct region *r; (r = mem_next_region(at)); at = r->end) {
        guest_addr s = r->start;
        uint32_t n = r->end - r->start;
        range_call(nr, s, n, flags);
        if (!r->end) break;
    }
}

SYS(mlockall)
{
    if (!a1 || (a1 & ~(uint32_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || a1 == MCL_ONFAULT) return -EINVAL;
    if (a1 & MCL_CURRENT) lock_each_region(SYS_mlock2, a1 & MCL_ONFAULT ? MLOCK_ONFAULT : 0);
    mem_set_lock_future(!(a1 & MCL_FUTURE) ? 0 : a1 & MCL_ONFAULT ? 2 : 1);
    return 0;
}
SYS(munlockall)
{
    lock_each_region(SYS_munlock, 0);
    mem_set_lock_future(0);
    return 0;
}

/* ---- iovec arrays, and the calls that take only iovecs ---- */

/* The other process's addresses are guest addresses of a ue process with
 * the same window (a fork child, its parent): they translate with this
 * window's base. mm/process_vm_access.c judges flags, the local vector,
 * an empty transfer, then the remote vector: the host does, in order. */
static long process_vm(long nr, uint32_t pid, guest_addr lvec, uint32_t lcnt, guest_addr rvec, uint32_t rcnt,
                       uint32_t flags, enum ua_dir dir)
{
    struct iovec l[IOV_MAX], r[IOV_MAX];
    uint32_t ln, rn;
    const struct iovec *lp = iovec_for_host(l, lvec, lcnt, dir, &ln);
    const struct iovec *rp = iovec_for_host(r, rvec, rcnt, UA_IN, &rn);
    return host_ret(syscall(nr, (int)pid, lp, ln, rp, rn, flags));
}

SYS(process_vm_readv) { return process_vm(SYS_process_vm_readv, a1, a2, a3, a4, a5, a6, UA_OUT); }
SYS(process_vm_writev) { return process_vm(SYS_process_vm_writev, a1, a2, a3, a4, a5, a6, UA_IN); }

/* fs/splice.c: the flags, the fd and its mode, then the vector */
SYS(vmsplice)
{
    struct iovec v[IOV_MAX];
    uint32_t n;
    const struct iovec *p = iovec_for_host(v, a2, a3, UA_INOUT, &n);
    return safe_syscall(SYS_vmsplice, (int)a1, (long)p, n, a4, 0, 0);
}

/* process_madvise: the host judges flags, the vector (translated), the
 * pidfd and the advice. The ranges are guest addresses of the target, a
 * ue process with this window's layout (or this one). */
SYS(process_madvise)
{
    struct iovec v[IOV_MAX];
    uint32_t n;
    const struct iovec *p = iovec_for_host(v, a2, a3, UA_IN, &n);
    return host_ret(syscall(SYS_process_madvise, (int)a1, p, n, (int)a4, a5));
}
