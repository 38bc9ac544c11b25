/* Per-task attributes with one layout on both ABIs: sched_setattr and
 * sched_getattr (struct sched_attr, size-versioned), and arch_prctl as the
 * kernel gives it to a 32-bit process. */
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

/* struct sched_attr is all fixed-width fields: the host reads the size
 * word, the struct, checks unknown trailing bytes are zero and writes the
 * size back for E2BIG, in guest memory as the i386 kernel would. A NULL
 * pointer must stay NULL for the host's first check. */
SYS(sched_setattr)
{
    if (!a2) return -EINVAL;
    void *p = ua_lock(a2, 4, UA_INOUT);   /* the size word may be written back */
    long r = host_ret(syscall(SYS_sched_setattr, (int)a1, p, a3));
    ua_unlock(p, a2, 4, UA_INOUT);
    return r;
}

SYS(sched_getattr)
{
    if (!a2) return -EINVAL;
    uint32_t room = a3 > GUEST_PAGE ? GUEST_PAGE : a3;
    void *p = ua_lock(a2, room, UA_OUT);
    long r = host_ret(syscall(SYS_sched_getattr, (int)a1, p, a3, a4));
    ua_unlock(p, a2, r ? 0 : room, UA_OUT);
    return r;
}

/* arch/x86/kernel/process.c do_arch_prctl_common: all an int 0x80 caller
 * gets (the 64-bit codes, ARCH_SET_FS, ARCH_SHSTK_* and ARCH_MAP_VDSO_*
 * are EINVAL for it). ARCH_SET_CPUID works where the host CPU has CPUID
 * faulting (asked of the host by enabling CPUID for ue, a no-op), and ue's
 * CPUID then faults for the calling thread. */
SYS(arch_prctl)
{
    switch ((int)a1) {
    case ARCH_GET_CPUID:
        return !c->cpuid_faults;
    case ARCH_SET_CPUID: {
        long r = host_ret(syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1L));
        if (!r) c->cpuid_faults = !a2;
        return r;
    }
    case ARCH_GET_XCOMP_SUPP: case ARCH_GET_XCOMP_PERM: case ARCH_GET_XCOMP_GUEST_PERM: {
        /* one u64 written with put_user: the host writes it into the window */
        void *p = ua_lock(a2, 8, UA_OUT);
        long r = host_ret(syscall(SYS_arch_prctl, (int)a1, p));
        ua_unlock(p, a2, r ? 0 : 8, UA_OUT);
        return r;
    }
    case ARCH_REQ_XCOMP_PERM: case ARCH_REQ_XCOMP_GUEST_PERM:
        return host_ret(syscall(SYS_arch_prctl, (int)a1, (unsigned long)a2));
    }
    return -EINVAL;
}
