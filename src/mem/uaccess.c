/* The user-access API (uaccess.h): fault-safe copies between guest and host
 * memory, and guest buffers handed to the host kernel. */
#include "uaccess.h"

#include <signal.h>
#include <ucontext.h>

#include "mem.h"
#include "../cpu/cpu.h"
#include "uaccess_host.h"

bool code_write_fault(guest_addr a);   /* exec.c */

/* Decoded-code pages in the guest range [a, a+n) become writable; the range
 * is clipped to the 4 GiB space (the guard above it holds no code). */
static void prepare_write(guest_addr a, size_t n)
{
    uint64_t end = (uint64_t)a + n;
    if (end > (1ull << 32)) end = 1ull << 32;
    if (end > a) code_prepare_write(a, (uint32_t)(end - a));
}

size_t ua_read_partial(void *dst, guest_addr src, size_t n)
{
    if (n > (1ull << 32)) return n;   /* larger than the guard: never from a guest length */
    return n ? ua_host_copy(dst, g2h(src), n) : 0;
}

int ua_get_u32(guest_addr a, uint32_t *v)
{
    return ua_host_load32(g2h(a), v) ? -EFAULT : 0;
}

size_t ua_write_partial(guest_addr dst, const void *src, size_t n)
{
    if (n > (1ull << 32)) return n;
    if (!n) return 0;
    prepare_write(dst, n);
    return ua_host_copy(g2h(dst), src, n);
}

size_t ua_clear_partial(guest_addr dst, size_t n)
{
    if (n > (1ull << 32)) return n;
    if (!n) return 0;
    prepare_write(dst, n);
    return ua_host_clear(g2h(dst), n);
}

long ua_strncpy(char *dst, guest_addr src, size_t size)
{
    if (!size) return -ENAMETOOLONG;
    if (size > (1ull << 32)) size = 1ull << 32;
    long r = ua_host_strncpy(dst, g2h(src), size);
    if (r < 0) return -EFAULT;
    if ((size_t)r == size) { dst[size - 1] = 0; return -ENAMETOOLONG; }
    return r;
}

int ua_cmpxchg_u32(guest_addr a, uint32_t expected, uint32_t desired, uint32_t *old)
{
    if (a & 3) return -EINVAL;   /* as futex_atomic_cmpxchg_inatomic callers require */
    prepare_write(a, 4);
    return ua_host_cmpxchg(g2h(a), expected, desired, old) ? -EFAULT : 0;
}

void *ua_lock(guest_addr a, uint32_t len, enum ua_dir dir)
{
    /* the host kernel's copy would meet a reservation where the i386 kernel
     * grows the stack at the first byte: grow it first */
    if (len) mem_grow_stack_for(a);
    if ((dir & UA_OUT) && len) prepare_write(a, len);
    return g2h(a);
}

bool ua_fault_fixup(int sig, void *siginfo, void *ucontext)
{
    siginfo_t *si = siginfo;
    ucontext_t *uc = ucontext;
    if (sig != SIGSEGV && sig != SIGBUS) return false;
    greg_t pc = uc->uc_mcontext.gregs[REG_RIP];
    for (size_t k = 0; k < sizeof ua_fixups / sizeof ua_fixups[0]; k++) {
        if (pc != (greg_t)(uintptr_t)ua_fixups[k].insn) continue;
        uintptr_t ha = (uintptr_t)si->si_addr, base = (uintptr_t)guest_base;
        /* a page ue protected for decoded code (another thread decoded it
         * after prepare_write): make it writable and run the copy again */
        if (sig == SIGSEGV && (uc->uc_mcontext.gregs[REG_ERR] & 2) && ha - base < (1ull << 32)
            && code_write_fault((guest_addr)(ha - base)))
            return true;
        /* the kernel's copies grow a stack too (its exception table allows it) */
        if (sig == SIGSEGV && ha - base < (1ull << 32) && mem_grow_stack((guest_addr)(ha - base)))
            return true;
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)ua_fixups[k].fixup;
        return true;
    }
    return false;
}
