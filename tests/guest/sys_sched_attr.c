/* ue-test: variants=s2 d0 */
/* sched_getattr/sched_setattr (struct sched_attr, size-versioned: E2BIG
 * with the size written back, trailing bytes that must be zero) and
 * arch_prctl as a 32-bit process gets it (ARCH_GET_CPUID, the xstate
 * codes, EINVAL for every 64-bit code). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "result_name.h"

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t prio;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
    char extra[64];
};

static long R(long r) { return r < 0 ? -errno : r; }
static long get(int pid, void *a, unsigned size, unsigned flags) { return R(syscall(SYS_sched_getattr, pid, a, size, flags)); }
static long set(int pid, void *a, unsigned flags) { return R(syscall(SYS_sched_setattr, pid, a, flags)); }

int main(void)
{
    struct attr a;
    memset(&a, 0xcc, sizeof a);
    long r = get(0, &a, 56, 0);
    printf("getattr 56 %s size %u policy %u flags %llx nice %d prio %u util %u..%u extra %02x\n", en(r), a.size, a.policy,
           (unsigned long long)a.flags, a.nice, a.prio, a.util_min, a.util_max, (unsigned char)a.extra[0]);
    memset(&a, 0xcc, sizeof a);
    r = get(0, &a, 48, 0);
    printf("getattr 48 %s size %u util_min %x\n", en(r), a.size, a.util_min);
    memset(&a, 0xcc, sizeof a);
    r = get(0, &a, sizeof a, 0);
    printf("getattr big %s size %u extra %02x\n", en(r), a.size, (unsigned char)a.extra[0]);
    printf("getattr 47 %s\n", en(get(0, &a, 47, 0)));
    printf("getattr 4097 %s\n", en(get(0, &a, 4097, 0)));
    printf("getattr flags %s\n", en(get(0, &a, 56, 1)));
    printf("getattr NULL %s\n", en(get(0, NULL, 56, 0)));
    printf("getattr bad pointer %s\n", en(get(0, (void *)16, 56, 0)));
    printf("getattr pid -1 %s\n", en(get(-1, &a, 56, 0)));
    printf("getattr no pid %s\n", en(get(0x7ffffff0, &a, 56, 0)));

    /* setattr: SCHED_OTHER with a nice value */
    memset(&a, 0, sizeof a);
    a.size = 48;
    a.policy = SCHED_OTHER;
    a.nice = 3;
    printf("setattr nice 3 %s\n", en(set(0, &a, 0)));
    memset(&a, 0, sizeof a);
    get(0, &a, 56, 0);
    printf("nice now %d\n", a.nice);
    memset(&a, 0, sizeof a);
    a.size = 0;   /* 0 means the first version */
    a.nice = 3;
    printf("setattr size 0 %s\n", en(set(0, &a, 0)));
    memset(&a, 0, sizeof a);
    a.size = 40;
    printf("setattr size 40 %s size now %u\n", en(set(0, &a, 0)), a.size);
    a.size = 5000;
    printf("setattr size 5000 %s size now %u\n", en(set(0, &a, 0)), a.size);
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.nice = 3;
    printf("setattr big, zero tail %s\n", en(set(0, &a, 0)));
    a.extra[10] = 1;
    printf("setattr big, tail set %s size now %u\n", en(set(0, &a, 0)), a.size);
    memset(&a, 0, sizeof a);
    a.size = 48;
    a.flags = 0x20;   /* SCHED_FLAG_UTIL_CLAMP_MIN needs the second version */
    printf("setattr clamp v0 %s\n", en(set(0, &a, 0)));
    a.flags = 0;
    a.policy = -1;
    printf("setattr policy -1 %s\n", en(set(0, &a, 0)));
    a.policy = 77;
    printf("setattr policy 77 %s\n", en(set(0, &a, 0)));
    a.policy = 0;
    printf("setattr flags %s\n", en(set(0, &a, 1)));
    printf("setattr NULL %s\n", en(set(0, NULL, 0)));
    printf("setattr bad pointer %s\n", en(set(0, (void *)16, 0)));
    printf("setattr pid -1 %s\n", en(set(-1, &a, 0)));
    printf("setattr no pid %s\n", en(set(0x7ffffff0, &a, 0)));
    a.nice = -100;
    printf("setattr nice -100 %s\n", en(set(0, &a, 0)));

    /* arch_prctl */
    uint64_t v = 0;
    printf("ARCH_GET_CPUID %s\n", en(R(syscall(SYS_arch_prctl, 0x1011, 0))));
    printf("ARCH_SET_CPUID 1 %s\n", en(R(syscall(SYS_arch_prctl, 0x1012, 1))));
    r = R(syscall(SYS_arch_prctl, 0x1021, &v));
    printf("ARCH_GET_XCOMP_SUPP %s x87+sse %llx\n", en(r), (unsigned long long)(v & 3));
    v = 0;
    r = R(syscall(SYS_arch_prctl, 0x1022, &v));
    printf("ARCH_GET_XCOMP_PERM %s x87+sse %llx\n", en(r), (unsigned long long)(v & 3));
    printf("ARCH_GET_XCOMP_SUPP bad %s\n", en(R(syscall(SYS_arch_prctl, 0x1021, 16))));
    printf("ARCH_REQ_XCOMP_PERM 1 %s\n", en(R(syscall(SYS_arch_prctl, 0x1023, 1))));
    printf("ARCH_REQ_XCOMP_PERM 99 %s\n", en(R(syscall(SYS_arch_prctl, 0x1023, 99))));
    static const int codes[] = { 0x1001, 0x1002, 0x1003, 0x1004, 0x2001, 0x2002, 0x2003,
                                 0x4001, 0x4002, 0x4003, 0x4004, 0x5001, 0x5002, 0x5003, 0x5004, 0x5005, 0 };
    for (int i = 0; i < (int)(sizeof codes / sizeof codes[0]); i++)
        printf("arch_prctl %#x %s\n", codes[i], en(R(syscall(SYS_arch_prctl, codes[i], &v))));
    return 0;
}
