/* ue-test: variants=s2 d0 */
/* The smaller administration calls, differential: extended attributes at
 * a path (struct xattr_args, size-versioned), file_getattr, cachestat,
 * mseal (a sealed range refuses munmap and mprotect), protection keys,
 * memory policies with i386 nodemasks, move_pages, LSM attributes,
 * userfaultfd, memfd_secret, perf_event_open, the module, swap, reboot,
 * syslog, kexec, iopl/ioperm calls (errors only: nothing is loaded,
 * rebooted or swapped), adjtimex/clock_adjtime reading the clock state
 * through the 32-bit struct timex, stime with a bad pointer. Only
 * deterministic results are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>
#include "errno_show.h"

#define NR_stime 25
#define NR_syslog 103
#define NR_iopl 110
#define NR_ioperm 101
#define NR_adjtimex 124
#define NR_init_module 128
#define NR_delete_module 129
#define NR_quotactl 131
#define NR_mbind 274
#define NR_get_mempolicy 275
#define NR_set_mempolicy 276
#define NR_kexec_load 283
#define NR_migrate_pages 294
#define NR_move_pages 317
#define NR_perf_event_open 336
#define NR_clock_adjtime 343
#define NR_finit_module 350
#define NR_userfaultfd 374
#define NR_pkey_mprotect 380
#define NR_pkey_alloc 381
#define NR_pkey_free 382
#define NR_clock_adjtime64 405
#define NR_memfd_secret 447
#define NR_home_node 450
#define NR_cachestat 451
#define NR_lsm_get_self_attr 459
#define NR_lsm_list_modules 461
#define NR_mseal 462
#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_listxattrat 465
#define NR_removexattrat 466
#define NR_file_getattr 468
#define NR_file_setattr 469

static char *hole;

struct xattr_args { uint64_t value; uint32_t size, flags; };

static void xattrs(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0644));
    char val[16] = "abc";
    struct xattr_args a = { (uintptr_t)val, 3, 0 };
    long r = syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &a, sizeof a);
    printf("setxattrat: %s\n", r == 0 ? "0" : strerrorname_np(errno));
    if (r) { unlink("f"); return; }
    SHOW("setxattrat size 8", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &a, 8));
    SHOW("setxattrat size 4097", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &a, 4097));
    SHOW("setxattrat bad args", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", hole, sizeof a));
    char big[32] = { 0 };
    memcpy(big, &a, sizeof a);
    SHOW("setxattrat 32 bytes, zero tail", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", big, sizeof big));
    big[20] = 1;
    SHOW("setxattrat 32 bytes, non-zero tail", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", big, sizeof big));
    struct xattr_args bad = { (uintptr_t)hole, 3, 0 };
    SHOW("setxattrat bad value", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &bad, sizeof bad));
    struct xattr_args high = { 1ull << 40, 3, 0 };
    SHOW("setxattrat value above 4 GiB", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &high, sizeof high));
    SHOW("setxattrat bad flags", syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.ue", &(struct xattr_args){ (uintptr_t)val, 3, 8 }, sizeof a));
    SHOW("setxattrat bad at_flags", syscall(NR_setxattrat, AT_FDCWD, "f", 0x8000000, "user.ue", &a, sizeof a));
    char out[16] = "";
    struct xattr_args g = { (uintptr_t)out, sizeof out, 0 };
    SHOW("getxattrat", syscall(NR_getxattrat, AT_FDCWD, "f", 0, "user.ue", &g, sizeof g));
    printf("  %s\n", out);
    g.size = 1;
    SHOW("getxattrat small buffer", syscall(NR_getxattrat, AT_FDCWD, "f", 0, "user.ue", &g, sizeof g));
    g = (struct xattr_args){ (uintptr_t)hole, 16, 0 };
    SHOW("getxattrat bad buffer", syscall(NR_getxattrat, AT_FDCWD, "f", 0, "user.ue", &g, sizeof g));
    char list[64] = "";
    SHOW("listxattrat", syscall(NR_listxattrat, AT_FDCWD, "f", 0, list, sizeof list));
    printf("  %s\n", list);
    SHOW("listxattrat bad buffer", syscall(NR_listxattrat, AT_FDCWD, "f", 0, hole, 64));
    SHOW("removexattrat", syscall(NR_removexattrat, AT_FDCWD, "f", 0, "user.ue"));
    SHOW("removexattrat again", syscall(NR_removexattrat, AT_FDCWD, "f", 0, "user.ue"));
    SHOW("removexattrat bad name", syscall(NR_removexattrat, AT_FDCWD, "f", 0, hole));
    uint64_t fa[3] = { 0 };
    r = syscall(NR_file_getattr, AT_FDCWD, "f", fa, sizeof fa, 0);
    printf("file_getattr: %s\n", r == 0 ? "0" : strerrorname_np(errno));
    SHOW("file_getattr size 8", syscall(NR_file_getattr, AT_FDCWD, "f", fa, 8, 0));
    SHOW("file_getattr bad buffer", syscall(NR_file_getattr, AT_FDCWD, "f", hole, sizeof fa, 0));
    SHOW("file_setattr bad buffer", syscall(NR_file_setattr, AT_FDCWD, "f", hole, sizeof fa, 0));
    unlink("f");
}

static void memory(void)
{
    char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = p[4096] = p[8192] = 1;

    /* cachestat of a file with three written pages */
    int fd = open("c", O_CREAT | O_RDWR, 0644);
    static char page[4096];
    for (int i = 0; i < 3; i++) if (write(fd, page, sizeof page) < 0) break;
    uint64_t range[2] = { 0, 0 }, cs[5] = { 0 };
    SHOW("cachestat", syscall(NR_cachestat, fd, range, cs, 0));
    printf("  cached pages %llu\n", (unsigned long long)cs[0]);
    SHOW("cachestat bad range", syscall(NR_cachestat, fd, hole, cs, 0));
    SHOW("cachestat bad result", syscall(NR_cachestat, fd, range, hole, 0));
    SHOW("cachestat flags", syscall(NR_cachestat, fd, range, cs, 1));
    SHOW("cachestat bad fd", syscall(NR_cachestat, -1, range, cs, 0));
    close(fd);
    unlink("c");

    /* mseal the middle page */
    SHOW("mseal flags", syscall(NR_mseal, p + 4096, 4096, 1));
    SHOW("mseal unaligned", syscall(NR_mseal, p + 1, 4096, 0));
    SHOW("mseal a hole", syscall(NR_mseal, hole, 4096, 0));
    SHOW("mseal length 0", syscall(NR_mseal, p, 0, 0));
    long r = syscall(NR_mseal, p + 4096, 4096, 0);
    printf("mseal: %s\n", r == 0 ? "0" : strerrorname_np(errno));
    if (r == 0) {
        SHOW("mprotect sealed", mprotect(p + 4096, 4096, PROT_READ));
        SHOW("munmap sealed", munmap(p, 3 * 4096));
        SHOW("mmap fixed over sealed", mmap(p + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ? -1 : 0);
        SHOW("mremap sealed, grow", mremap(p + 4096, 4096, 8192, 0) == MAP_FAILED ? -1 : 0);
        SHOW("mremap sealed, shrink", mremap(p + 4096, 4096, 2048, 0) == MAP_FAILED ? -1 : 0);
        SHOW("mremap sealed, move", mremap(p + 4096, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, hole) == MAP_FAILED ? -1 : 0);
        SHOW("mremap onto sealed", mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, p + 4096) == MAP_FAILED ? -1 : 0);
        printf("  sealed page still holds %d\n", p[4096]);
        SHOW("mprotect beside it", mprotect(p, 4096, PROT_READ));
    }

    /* protection keys */
    long k = syscall(NR_pkey_alloc, 0, 0);
    printf("pkey_alloc: %s\n", k >= 0 ? "key" : strerrorname_np(errno));
    SHOW("pkey_alloc flags", syscall(NR_pkey_alloc, 1, 0));
    SHOW("pkey_alloc bad rights", syscall(NR_pkey_alloc, 0, 8));
    SHOW("pkey_mprotect key -1", syscall(NR_pkey_mprotect, p + 8192, 4096, PROT_READ, -1));
    SHOW("pkey_mprotect unallocated key", syscall(NR_pkey_mprotect, p + 8192, 4096, PROT_READ, 9));
    SHOW("pkey_mprotect unaligned", syscall(NR_pkey_mprotect, p + 1, 4096, PROT_READ, -1));
    SHOW("pkey_free unallocated key", syscall(NR_pkey_free, 9));
    if (k >= 0) {
        SHOW("pkey_mprotect the key", syscall(NR_pkey_mprotect, p + 8192, 4096, PROT_READ | PROT_WRITE, k));
        SHOW("pkey_free", syscall(NR_pkey_free, k));
    }

    /* memory policies: nodemasks are arrays of 32-bit longs */
    int mode = -1;
    uint32_t mask[4] = { 0 };
    r = syscall(NR_get_mempolicy, &mode, mask, 65, 0, 0);
    printf("get_mempolicy: %s mode %d mask %#x\n", r == 0 ? "0" : strerrorname_np(errno), mode, mask[0]);
    if (r == 0) {
        mask[0] = 1;
        SHOW("set_mempolicy bind node 0", syscall(NR_set_mempolicy, 2, mask, 2));
        mask[0] = 0;
        SHOW("get_mempolicy", syscall(NR_get_mempolicy, &mode, mask, 33, 0, 0));
        printf("  mode %d mask %#x\n", mode, mask[0]);
        SHOW("set_mempolicy default", syscall(NR_set_mempolicy, 0, NULL, 0));
        SHOW("set_mempolicy bad mask", syscall(NR_set_mempolicy, 2, hole, 2));
        SHOW("set_mempolicy huge maxnode", syscall(NR_set_mempolicy, 2, mask, 1 << 20));
        SHOW("set_mempolicy bad mode", syscall(NR_set_mempolicy, 99, mask, 2));
        mask[0] = 1;
        SHOW("mbind a page to node 0", syscall(NR_mbind, p + 8192, 4096, 2, mask, 2, 0));
        SHOW("mbind unaligned", syscall(NR_mbind, p + 1, 4096, 2, mask, 2, 0));
        SHOW("mbind bad mask", syscall(NR_mbind, p + 8192, 4096, 2, hole, 2, 0));
        mode = -1;
        SHOW("get_mempolicy of the page", syscall(NR_get_mempolicy, &mode, NULL, 0, p + 8192, 2 /* MPOL_F_ADDR */));
        printf("  mode %d\n", mode);
        SHOW("get_mempolicy bad mode pointer", syscall(NR_get_mempolicy, hole, NULL, 0, 0, 0));
        SHOW("get_mempolicy bad mask", syscall(NR_get_mempolicy, &mode, hole, 33, 0, 0));
        SHOW("set_mempolicy_home_node", syscall(NR_home_node, p + 8192, 4096, 0, 0));
        SHOW("set_mempolicy_home_node flags", syscall(NR_home_node, p + 8192, 4096, 0, 1));
        void *pages[2] = { p, p + 8192 };
        int status[2] = { -1, -1 };
        SHOW("move_pages query", syscall(NR_move_pages, 0, 2, pages, NULL, status, 0));
        printf("  status %d %d\n", status[0], status[1]);
        SHOW("move_pages bad array", syscall(NR_move_pages, 0, 2, hole, NULL, status, 0));
        SHOW("migrate_pages 0 to 0", syscall(NR_migrate_pages, 0, 2, mask, mask) >= 0 ? 0 : -1);
    }
    munmap(p, 4096);
    munmap(p + 8192, 4096);
}

static void others(void)
{
    uint32_t ids[32];
    uint32_t size = sizeof ids;
    long r = syscall(NR_lsm_list_modules, ids, &size, 0);
    printf("lsm_list_modules: %s\n", r > 0 ? "some" : strerrorname_np(errno));
    SHOW("lsm_list_modules bad size pointer", syscall(NR_lsm_list_modules, ids, hole, 0));
    SHOW("lsm_list_modules flags", syscall(NR_lsm_list_modules, ids, &size, 1));
    size = 4;
    SHOW("lsm_list_modules small", syscall(NR_lsm_list_modules, ids, &size, 0) < 0 ? -1 : 0);
    char ctx[512];
    size = sizeof ctx;
    r = syscall(NR_lsm_get_self_attr, 100 /* LSM_ATTR_CURRENT */, ctx, &size, 0);
    printf("lsm_get_self_attr current: %s\n", r >= 0 ? "ok" : strerrorname_np(errno));
    SHOW("lsm_get_self_attr bad size pointer", syscall(NR_lsm_get_self_attr, 100, ctx, hole, 0));
    SHOW("lsm_get_self_attr bad attr", syscall(NR_lsm_get_self_attr, 0, ctx, &size, 0));

    r = syscall(NR_userfaultfd, O_CLOEXEC);
    printf("userfaultfd: %s\n", r >= 0 ? "fd" : strerrorname_np(errno));
    if (r >= 0) close(r);
    SHOW("userfaultfd bad flags", syscall(NR_userfaultfd, 0x10));
    r = syscall(NR_memfd_secret, 0);
    printf("memfd_secret: %s\n", r >= 0 ? "fd" : strerrorname_np(errno));
    if (r >= 0) close(r);
    SHOW("memfd_secret bad flags", syscall(NR_memfd_secret, 0x10));

    uint32_t attr[32] = { 1 /* PERF_TYPE_SOFTWARE */, 128, 1 /* TASK_CLOCK */ };
    r = syscall(NR_perf_event_open, attr, 0, -1, -1, 8 /* CLOEXEC */);
    printf("perf_event_open task clock: %s\n", r >= 0 ? "fd" : strerrorname_np(errno));
    if (r >= 0) {
        uint64_t v;
        printf("  read: %ld\n", (long)read(r, &v, 8));
        close(r);
    }
    /* a hardware watchpoint on a variable: the guest's one write counts */
    static volatile uint32_t watched;
    uint32_t bp[32] = { 5 /* PERF_TYPE_BREAKPOINT */, 128 };
    bp[10] = 1 << 5 | 1 << 6;   /* exclude_kernel, exclude_hv */
    bp[13] = 2;                 /* HW_BREAKPOINT_W */
    bp[14] = (uintptr_t)&watched;
    bp[16] = 4;                 /* bp_len */
    r = syscall(NR_perf_event_open, bp, 0, -1, -1, 8);
    printf("perf_event_open watchpoint: %s\n", r >= 0 ? "fd" : strerrorname_np(errno));
    if (r >= 0) {
        uint64_t v = 0;
        watched = 7;
        if (read(r, &v, 8) != 8) v = 99;
        printf("  writes counted: %llu\n", (unsigned long long)v);
        close(r);
    }
    SHOW("perf_event_open bad attr", syscall(NR_perf_event_open, hole, 0, -1, -1, 0));
    SHOW("perf_event_open bad flags", syscall(NR_perf_event_open, attr, 0, -1, -1, 0x100));
    attr[1] = 1;
    SHOW("perf_event_open size 1", syscall(NR_perf_event_open, attr, 0, -1, -1, 0));
    printf("  size written back %u\n", attr[1]);

    SHOW("init_module garbage", syscall(NR_init_module, "garbage", 7, ""));
    SHOW("init_module bad image", syscall(NR_init_module, hole, 64, ""));
    SHOW("delete_module missing", syscall(NR_delete_module, "nosuch_ue_module", 04000));
    SHOW("delete_module bad name", syscall(NR_delete_module, hole, 0));
    int fd = open("mod", O_CREAT | O_RDWR, 0644);
    if (write(fd, "garbage", 7) < 0) { }
    SHOW("finit_module garbage", syscall(NR_finit_module, fd, "", 0));
    SHOW("finit_module bad flags", syscall(NR_finit_module, fd, "", 0x100));
    SHOW("swapon not swap", syscall(SYS_swapon, "mod", 0));
    SHOW("swapon missing", syscall(SYS_swapon, "nothere", 0));
    SHOW("swapon bad path", syscall(SYS_swapon, hole, 0));
    SHOW("swapoff not swap", syscall(SYS_swapoff, "mod"));
    close(fd);
    unlink("mod");
    SHOW("kexec_load 17 segments", syscall(NR_kexec_load, 0, 17, NULL, 3 << 16));
    SHOW("kexec_load bad flags", syscall(NR_kexec_load, 0, 1, NULL, 0x100 | 3 << 16));
    SHOW("kexec_load default arch", syscall(NR_kexec_load, 0, 1, NULL, 0));
    SHOW("kexec_load bad segments", syscall(NR_kexec_load, 0, 1, hole, 3 << 16));
    SHOW("reboot bad magic", syscall(SYS_reboot, 0, 0, 0, 0));
    SHOW("reboot bad magic2", syscall(SYS_reboot, 0xfee1dead, 0, 0, 0));
    SHOW("syslog size of buffer", syscall(NR_syslog, 10, NULL, 0) > 0 ? 1 : -1);
    SHOW("syslog read all, bad buffer", syscall(NR_syslog, 3, hole, 64));
    SHOW("syslog read all, length -1", syscall(NR_syslog, 3, hole, -1));
    SHOW("syslog bad type", syscall(NR_syslog, 99, NULL, 0));
    SHOW("iopl 4", syscall(NR_iopl, 4));
    SHOW("iopl 0", syscall(NR_iopl, 0));
    SHOW("ioperm past the bitmap", syscall(NR_ioperm, 0xffff, 2, 1));
    SHOW("ioperm off", syscall(NR_ioperm, 0x80, 1, 0));

    /* struct timex: 32-bit longs for adjtimex and clock_adjtime, 64-bit for clock_adjtime64 */
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    r = syscall(NR_adjtimex, &tx);
    printf("adjtimex read: %s tick %ld precision %ld tolerance %ld\n", r >= 0 ? "state" : strerrorname_np(errno),
           tx.tick, tx.precision, tx.tolerance);
    SHOW("adjtimex bad pointer", syscall(NR_adjtimex, hole));
    SHOW("adjtimex bad mode (non-root check)", syscall(NR_adjtimex, &(struct timex){ .modes = 0x8000 | 0x2000 }) >= 0 ? 0 : -1);
    memset(&tx, 0, sizeof tx);
    r = syscall(NR_clock_adjtime, CLOCK_REALTIME, &tx);
    printf("clock_adjtime read: %s tick %ld\n", r >= 0 ? "state" : strerrorname_np(errno), tx.tick);
    SHOW("clock_adjtime bad clock", syscall(NR_clock_adjtime, 99, &tx));
    SHOW("clock_adjtime monotonic", syscall(NR_clock_adjtime, CLOCK_MONOTONIC, &tx));
    int64_t tx64[26] = { 0 };
    r = syscall(NR_clock_adjtime64, CLOCK_REALTIME, tx64);
    printf("clock_adjtime64 read: %s tick %lld\n", r >= 0 ? "state" : strerrorname_np(errno), (long long)tx64[11]);
    SHOW("clock_adjtime64 bad pointer", syscall(NR_clock_adjtime64, CLOCK_REALTIME, hole));
    SHOW("stime bad pointer", syscall(NR_stime, hole));
}

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;
    xattrs();
    memory();
    others();
    return 0;
}
