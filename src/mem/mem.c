/* The guest address space: the 4 GiB window, ue's sorted list of guest
 * regions, and the kernel's mmap/munmap/mprotect/mremap/brk/madvise rules on
 * top of host calls with MAP_FIXED inside the window. */
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "uaccess.h"

uint8_t *guest_base;

/* Searches never place anything in the first 64 KiB (null-pointer guard). */
#define GUEST_SEARCH_MIN 0x10000u
#define WINDOW_SIZE ((size_t)1 << 32)
/* The guard is as large as the window: a guest address plus any 32-bit
 * length stays inside the reservation (uaccess.h). */
#define WINDOW_GUARD ((size_t)1 << 32)

#define PROT_GUEST_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif
/* Host flags the guest may ask for that make no sense inside the window. */
#define MAP_HOST_DROP (MAP_FIXED_NOREPLACE | MAP_GROWSDOWN | MAP_32BIT | MAP_HUGETLB | \
                       (0x3fu << MAP_HUGE_SHIFT) | MAP_UNINITIALIZED | MAP_EXECUTABLE | \
                       MAP_DENYWRITE | MAP_FILE)

static pthread_mutex_t mem_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct region *regs;     /* sorted by start, never overlapping */
static int nregs, cap_regs;
static guest_addr brk_start, brk_cur;
static guest_addr mmap_min_addr = GUEST_PAGE; /* the host's vm.mmap_min_addr */
static bool may_map_low;                      /* CAP_SYS_RAWIO: below mmap_min_addr is allowed */
static guest_addr mmap_top = GUEST_TASK_SIZE - (128u << 20); /* mm->mmap_base: top-down mmap starts here */
static bool layout_random;                    /* the task has PF_RANDOMIZE */
static bool legacy_layout;                    /* bottom-up mmap (ADDR_COMPAT_LAYOUT, vm.legacy_va_layout) */
#define TASK_UNMAPPED_BASE 0x55555000u        /* PAGE_ALIGN(TASK_SIZE / 3) */
static guest_addr mmap_legacy_base = TASK_UNMAPPED_BASE;
static guest_addr start_stack;                /* mm->start_stack: its vma is the "[stack]" of maps */

static void lock(void) { pthread_mutex_lock(&mem_lock); }
static void unlock(void) { pthread_mutex_unlock(&mem_lock); }
/* The child of fork() has one thread, and the lock's owner is gone: start afresh. */
static void drop_dontfork(void);
static void reset_lock_in_child(void)
{
    mem_lock = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
    drop_dontfork();
}

/* ---- host side ---- */

/* The host can't run guest code, so exec only has to keep the bytes readable. */
static int host_prot(int prot)
{
    int h = prot & (PROT_READ | PROT_WRITE);
    if (prot & PROT_EXEC) h |= PROT_READ;
    return h;
}

/* Put reserved PROT_NONE memory back so the window has no host holes:
 * 0, or -EPERM when the range holds a mapping the guest sealed (mseal). */
static int host_reserve_sealed(guest_addr a, uint32_t len)
{
    if (!len) return 0;
    if (mmap(g2h(a), len, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0) != MAP_FAILED)
        return 0;
    if (errno == EPERM) return -EPERM;
    ue_fatal(70, "cannot re-reserve guest memory at 0x%08x: %s", a, strerror(errno));
}

/* Does [a, a+len) hold a sealed host mapping? A same-size mremap changes
 * nothing and is refused only there (other failures: ranges spanning
 * several host mappings, which mseal never joins). */
static bool host_sealed(guest_addr a, uint32_t len)
{
    return mremap(g2h(a), len, len, 0) == MAP_FAILED && errno == EPERM;
}

static void host_reserve(guest_addr a, uint32_t len)
{
    if (host_reserve_sealed(a, len)) ue_fatal(70, "cannot re-reserve guest memory at 0x%08x: sealed", a);
}

static unsigned long read_ulong_file(const char *path, unsigned long dflt)
{
    FILE *f = fopen(path, "r");
    unsigned long v;
    if (!f) return dflt;
    if (fscanf(f, "%lu", &v) != 1) v = dflt;
    fclose(f);
    return v;
}

/* CAP_SYS_RAWIO (bit 17) lets the kernel map below vm.mmap_min_addr. */
static bool have_cap_sys_rawio(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long capeff = 0;
    if (!f) return false;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "CapEff: %llx", &capeff) == 1) break;
    fclose(f);
    return capeff & (1ull << 17);
}

void mem_init(void)
{
    /* the base is aligned to 1 GiB, so that a guest address aligned for a
     * huge page (hugetlbfs, up to 1 GiB) is one for the host too */
    const size_t align = (size_t)1 << 30;
    uint8_t *p = mmap(NULL, WINDOW_SIZE + WINDOW_GUARD + align, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        ue_fatal(70, "cannot reserve the 4 GiB guest address space: %s", strerror(errno));
    uint8_t *base = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
    if (base > p) munmap(p, (size_t)(base - p));
    munmap(base + WINDOW_SIZE + WINDOW_GUARD, (size_t)(p + align - base));
    guest_base = base;
    unsigned long m = read_ulong_file("/proc/sys/vm/mmap_min_addr", GUEST_PAGE);
    mmap_min_addr = m > GUEST_SEARCH_MIN ? GUEST_SEARCH_MIN : PAGE_UP((guest_addr)m);
    may_map_low = have_cap_sys_rawio();
    /* a fork while another thread edits the list must not leave the child's lock held */
    pthread_atfork(lock, unlock, reset_lock_in_child);
}

/* ---- the region list (callers hold mem_lock) ---- */

/* Index of the first region with end > a (nregs if none). */
static int find_idx(guest_addr a)
{
    int lo = 0, hi = nregs;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (regs[mid].end > a) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static struct region *find_region(guest_addr a)
{
    int i = find_idx(a);
    return i < nregs && regs[i].start <= a ? &regs[i] : NULL;
}

/* The hull of the unmapped gaps right below grow-down regions, for a check
 * without the lock on every syscall buffer: lo | hi << 32, or HULL_STALE
 * after any change to the list (recomputed under the lock by mem_grow_stack). */
#define HULL_STALE UINT64_MAX
static _Atomic uint64_t grow_hull = HULL_STALE;

static void hull_stale(void) { atomic_store_explicit(&grow_hull, HULL_STALE, memory_order_release); }

static void hull_compute(void)
{
    uint64_t lo = UINT32_MAX, hi = 0;
    for (int i = 0; i < nregs; i++) {
        if (!(regs[i].flags & MAP_GROWSDOWN)) continue;
        uint64_t below = i > 0 ? regs[i - 1].end : 0;
        if (below >= regs[i].start) continue;
        if (below < lo) lo = below;
        if (regs[i].start > hi) hi = regs[i].start;
    }
    if (lo >= hi) lo = hi = 0;
    atomic_store_explicit(&grow_hull, lo | hi << 32, memory_order_release);
}

static void insert_at(int i, const struct region *r)
{
    hull_stale();
    if (nregs == cap_regs) {
        cap_regs = cap_regs ? cap_regs * 2 : 64;
        regs = realloc(regs, cap_regs * sizeof *regs);
        if (!regs) ue_fatal(70, "out of memory for the guest region list");
    }
    memmove(&regs[i + 1], &regs[i], (nregs - i) * sizeof *regs);
    regs[i] = *r;
    nregs++;
}

static void remove_at(int i, int n)
{
    hull_stale();
    memmove(&regs[i], &regs[i + n], (nregs - i - n) * sizeof *regs);
    nregs -= n;
}

/* Split the region containing a (if any) so that a is a region boundary. */
static void split_at(guest_addr a)
{
    int i = find_idx(a);
    if (i >= nregs || regs[i].start >= a) return;
    struct region right = regs[i];
    right.start = a;
    if (!(right.flags & MAP_ANONYMOUS)) right.offset += a - regs[i].start;
    regs[i].end = a;
    insert_at(i + 1, &right);
}

/* Remove [s, e) from the list. */
static void carve(guest_addr s, guest_addr e)
{
    split_at(s);
    split_at(e);
    int i = find_idx(s), j = i;
    while (j < nregs && regs[j].end <= e) j++;
    remove_at(i, j - i);
}

static bool can_merge(const struct region *a, const struct region *b)
{
    if (a->end != b->start || a->prot != b->prot || a->flags != b->flags) return false;
    if (a->dev != b->dev || a->ino != b->ino || strcmp(a->name, b->name)) return false;
    if ((a->flags & MAP_SHARED) && (a->flags & MAP_ANONYMOUS)) return false; /* separate shm objects */
    if (!(a->flags & MAP_ANONYMOUS) && a->offset + (b->start - a->start) != b->offset) return false;
    return true;
}

/* Merge neighbours of regions [i, j] (indices may shift). */
static void merge_range(int i, int j)
{
    if (i > 0) i--;
    if (j >= nregs) j = nregs - 1;
    for (int k = j; k > i; k--) {
        if (k < nregs && can_merge(&regs[k - 1], &regs[k])) {
            regs[k - 1].end = regs[k].end;
            remove_at(k, 1);
        }
    }
}

static void insert_region(const struct region *r)
{
    carve(r->start, r->end);
    int i = find_idx(r->start);
    insert_at(i, r);
    merge_range(i, i + 1);
}

/* Is any byte of [s, e) mapped? */
static bool range_used(guest_addr s, uint64_t e)
{
    int i = find_idx(s);
    return i < nregs && regs[i].start < e;
}

/* The end of the mapped prefix of [s, e): e when every byte is mapped. */
static uint64_t mapped_until(guest_addr s, uint64_t e)
{
    uint64_t at = s;
    for (int i = find_idx(s); at < e; i++) {
        if (i >= nregs || regs[i].start > at) return at;
        at = regs[i].end;
    }
    return e;
}

static bool range_covered(guest_addr s, uint64_t e) { return mapped_until(s, e) >= e; }

/* vm_start_gap: a grow-down region keeps the guard gap below it free of searches. */
static uint64_t start_gap(const struct region *r)
{
    if (!(r->flags & MAP_GROWSDOWN)) return r->start;
    return r->start > GUEST_STACK_GUARD_GAP ? r->start - GUEST_STACK_GUARD_GAP : 0;
}

/* Highest a with [a, a+len) free inside [lo, hi); 0 when there is none. */
static guest_addr gap_topdown(uint32_t len, guest_addr lo, guest_addr hi)
{
    for (int i = nregs; i >= 0; i--) {
        uint64_t gap_lo = i > 0 ? regs[i - 1].end : 0;
        uint64_t gap_hi = i < nregs ? start_gap(&regs[i]) : GUEST_TASK_SIZE;
        if (gap_lo >= hi) continue;
        if (gap_hi > hi) gap_hi = hi;
        if (gap_lo < lo) gap_lo = lo;
        if (gap_hi >= gap_lo + len) return (guest_addr)(gap_hi - len);
        if (gap_hi <= lo) break;
    }
    return 0;
}

/* Lowest a >= lo with [a, a+len) free below hi; 0 when there is none. */
static guest_addr gap_bottomup(uint32_t len, guest_addr lo, guest_addr hi)
{
    uint64_t at = lo;
    for (int i = find_idx(lo);; i++) {
        uint64_t gap_hi = i < nregs ? start_gap(&regs[i]) : hi;
        if (gap_hi > hi) gap_hi = hi;
        if (gap_hi >= at + len) return (guest_addr)at;
        if (i >= nregs || regs[i].end >= hi) return 0;
        if (regs[i].end > at) at = regs[i].end;
    }
}

/* Is [a, a+len) free, the guard gap below a grow-down region included? */
static bool hint_free(guest_addr a, uint32_t len)
{
    int i = find_idx(a);
    return i >= nregs || start_gap(&regs[i]) >= (uint64_t)a + len;
}

/* Where a non-fixed mapping goes: the hint when free, else top-down below
 * mmap_top, else bottom-up (arch_get_unmapped_area_topdown and its fallback). */
static guest_addr choose_addr(guest_addr hint, uint32_t len)
{
    hint = PAGE_UP(hint);
    if (hint >= GUEST_SEARCH_MIN && hint <= GUEST_TASK_SIZE - len && hint_free(hint, len))
        return hint;
    guest_addr a = legacy_layout ? 0 : gap_topdown(len, GUEST_SEARCH_MIN, mmap_top);
    /* the legacy layout, and the top-down search's fallback: bottom-up from mmap_legacy_base */
    if (!a) a = gap_bottomup(len, mmap_legacy_base, GUEST_TASK_SIZE);
    return a;
}

/* Re-reserve the parts of [s, e) the list says are free (after a failed host call). */
static void reserve_free_parts(guest_addr s, guest_addr e)
{
    guest_addr at = s;
    for (int i = find_idx(s); at < e; i++) {
        guest_addr next = i < nregs && regs[i].start < e ? regs[i].start : e;
        if (next > at) host_reserve(at, next - at);
        if (i >= nregs || regs[i].start >= e) break;
        at = regs[i].end;
    }
}

/* After a failed MAP_FIXED host mmap: mmap_region may have taken away
 * what was there and been unable to put it back (vms_abort_munmap_vmas then
 * leaves a gap), on the host as natively. The parts of [s, e) the host lost
 * leave the list, as natively they leave the guest's address space, and
 * reserve_free_parts then closes the host's hole; true when any did. */
static bool forget_lost_parts(guest_addr s, guest_addr e)
{
    bool lost = false;
    for (int i = find_idx(s); i < nregs && regs[i].start < e;) {
        guest_addr a = regs[i].start > s ? regs[i].start : s;
        guest_addr b = regs[i].end < e ? regs[i].end : e;
        if (msync(g2h(a), b - a, MS_ASYNC) < 0 && errno == ENOMEM) {   /* a hole in the host's range */
            carve(a, b);
            lost = true;
            i = find_idx(b);
        } else {
            i++;
        }
    }
    return lost;
}

/* ---- mmap family ---- */

/* The name, device and inode /proc/self/maps shows for a file mapping. */
static int describe_fd(int fd, struct region *r)
{
    struct stat st;
    char link[64];
    if (fstat(fd, &st) < 0) return -EBADF;
    r->dev = st.st_dev;
    r->ino = st.st_ino;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, r->name, sizeof r->name - 1);
    r->name[n > 0 ? n : 0] = 0;
    return 0;
}

/* mlockall(MCL_FUTURE): later guest mmaps are locked (1), or locked on fault (2) */
static int lock_future;

void mem_set_lock_future(int mode) { lock_future = mode; }

/* The READ_IMPLIES_EXEC personality: readable mappings are executable too
 * (do_mmap and mprotect), except files on noexec mounts. */
static bool read_implies_exec;

void mem_set_read_implies_exec(bool on) { read_implies_exec = on; }

static bool fd_noexec(int fd)
{
    struct statvfs v;
    return fd >= 0 && fstatvfs(fd, &v) == 0 && (v.f_flag & ST_NOEXEC);
}

/* hstate_sizelog: is there a huge page size of 2^log bytes (0: the default)? */
static bool huge_size_known(int log)
{
    if (!log) return true;
    if (log < 10 || log > 40) return false;
    char path[80];
    snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-%llukB", 1ull << (log - 10));
    return access(path, F_OK) == 0;
}

long mem_mmap(guest_addr addr, uint32_t len, int prot, int flags, int fd, uint64_t off)
{
    int type = flags & MAP_TYPE;
    bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    bool anon = flags & MAP_ANONYMOUS;
    struct region r = {0};

    if (off & (GUEST_PAGE - 1)) return -EINVAL;
    /* ksys_mmap_pgoff looks the file up before do_mmap judges anything else,
     * or for anonymous huge pages, the size the flags ask for */
    if (!anon) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || (fl & O_PATH)) return -EBADF;   /* fget: an O_PATH file is no file to map */
    }
    int hlog = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
    bool anon_huge = anon && (flags & MAP_HUGETLB);
    if (anon_huge && !huge_size_known(hlog)) return -EINVAL;
    /* then a MAP_HUGETLB file must be on hugetlbfs; a hugetlbfs file's
     * mapping is a whole number of its huge pages, placed on one */
    struct statfs sfs;
    bool huge_file = !anon && !fstatfs(fd, &sfs) && sfs.f_type == HUGETLBFS_MAGIC;
    if (!anon && (flags & MAP_HUGETLB) && !huge_file) return -EINVAL;
    uint32_t huge = huge_file && sfs.f_bsize > GUEST_PAGE && sfs.f_bsize <= (1l << 30) ? (uint32_t)sfs.f_bsize : 0;
    /* anonymous huge pages are a hugetlbfs file's too: the length is
     * rounded up to the flags' page size (or the default 2 MiB) first */
    if (anon_huge) huge = hlog ? (hlog <= 30 ? 1u << hlog : 0) : 2u << 20;
    if (huge && len) len = len > UINT32_MAX - huge + 1 ? UINT32_MAX : (len + huge - 1) & ~(huge - 1);
    if (!len) return -EINVAL;
    if (len > GUEST_TASK_SIZE) return -ENOMEM;   /* __get_unmapped_area: the length before the address */
    if (fixed && (addr & (GUEST_PAGE - 1))) return -EINVAL;
    len = PAGE_UP(len);
    if (fixed) {
        if (addr > GUEST_TASK_SIZE - len) return -ENOMEM;
        if (addr < mmap_min_addr && !may_map_low) return -EPERM;
    }
    if (!anon) {
        int e = describe_fd(fd, &r);
        if (e) return e;
        r.offset = off;
    } else if (type != MAP_PRIVATE) {
        strcpy(r.name, "/dev/zero (deleted)"); /* what the kernel shows for shared anonymous memory */
    }
    r.prot = prot & PROT_GUEST_MASK;
    if (read_implies_exec && (prot & PROT_READ) && !fd_noexec(anon ? -1 : fd)) r.prot |= PROT_EXEC;
    bool private = type == MAP_PRIVATE || type == MAP_DROPPABLE;
    r.flags = (flags & (MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_NORESERVE)) | (private ? MAP_PRIVATE : MAP_SHARED);
    if (type == MAP_PRIVATE && (prot & PROT_WRITE) && !(flags & MAP_NORESERVE)) r.flags |= R_ACCOUNT;
    /* anonymous huge pages: a fixed address must sit on the huge page
     * size: hugetlb's range check, after the length's */
    if (anon_huge && fixed && (!huge || (addr & (huge - 1)))) return -EINVAL;

    lock();
    if (!fixed && huge) {
        /* top-down with the huge page's alignment (hugetlb_get_unmapped_area) */
        guest_addr a = (uint64_t)len + huge - GUEST_PAGE <= GUEST_TASK_SIZE ? choose_addr(0, len + huge - GUEST_PAGE) : 0;
        if (!a) { unlock(); return -ENOMEM; }
        addr = (a + huge - 1) & ~(huge - 1);
    } else if (!fixed) {
        addr = choose_addr(addr, len);
        if (!addr) { unlock(); return -ENOMEM; }
    } else if ((flags & MAP_FIXED_NOREPLACE) && range_used(addr, (uint64_t)addr + len)) {
        unlock();
        return -EEXIST;
    }
    /* do_mmap judges the mapping type after __get_unmapped_area (the
     * length and address checks above). An anonymous MAP_HUGETLB mapping
     * is a hugetlbfs file's, judged by the host's probe below. */
    int e = 0;
    if (anon && !anon_huge) {
        /* a shared or droppable mapping cannot grow down; a droppable one is
         * never locked; MAP_SHARED_VALIDATE is no anonymous type */
        if (type == MAP_SHARED && (flags & MAP_GROWSDOWN)) e = -EINVAL;
        else if (type == MAP_DROPPABLE && (flags & (MAP_LOCKED | MAP_GROWSDOWN))) e = -EINVAL;
        else if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_DROPPABLE) e = -EINVAL;
    } else if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE) {
        e = -EINVAL;
    } else if (type == MAP_SHARED_VALIDATE && (flags & MAP_FIXED_NOREPLACE)) {
        /* outside LEGACY_MAP_MASK: refused where MAP_SHARED would ignore
         * it, first among the file's checks (the host never sees it) */
        e = -EOPNOTSUPP;
    }
    if (!e && anon_huge) {
        /* ue maps small pages, where the host has the huge ones: the host's
         * type checks and reservation (ENOMEM without pages) answer last */
        void *h = mmap(NULL, len, host_prot(prot), flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE), -1, 0);
        if (h == MAP_FAILED) e = -errno;
        else munmap(h, len);
    }
    if (e) {
        unlock();
        return e;
    }
    int hflags = (flags & ~MAP_HOST_DROP) | MAP_FIXED | (lock_future == 1 ? MAP_LOCKED : 0);
    /* a file mapping that grows down: the host refuses it as natively, after
     * the file's own checks (EACCES, ENODEV without an mmap) and before it
     * maps anything, so it is asked with the flag */
    if (!anon && (flags & MAP_GROWSDOWN)) hflags |= MAP_GROWSDOWN;
    /* a file mapping asked to be executable goes to the host so: its checks
     * (EPERM on a noexec file system, before ENODEV) are the kernel's; ue
     * never executes guest pages, so the host protection drops it after */
    bool exec_probe = !anon && (prot & PROT_EXEC);
    if (mmap(g2h(addr), len, host_prot(prot) | (exec_probe ? PROT_EXEC : 0), hflags, anon ? -1 : fd,
             anon ? 0 : (off_t)off) == MAP_FAILED) {
        e = errno;
        bool lost = forget_lost_parts(addr, addr + len);
        reserve_free_parts(addr, addr + len);
        unlock();
        if (lost) mem_notify(&(struct mem_event){ .kind = MEV_UNMAP, .addr = addr, .len = len });
        return -e;
    }
    if (exec_probe) mprotect(g2h(addr), len, host_prot(prot));
    if (lock_future == 2) syscall(SYS_mlock2, g2h(addr), (size_t)len, MLOCK_ONFAULT);
    r.start = addr;
    r.end = addr + len;
    insert_region(&r);
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_MAP, .addr = addr, .len = len, .prot = r.prot, .flags = flags });
    return addr;
}

int mem_munmap(guest_addr addr, uint32_t len)
{
    if ((addr & (GUEST_PAGE - 1)) || !len || addr > GUEST_TASK_SIZE || len > GUEST_TASK_SIZE - addr)
        return -EINVAL;
    len = PAGE_UP(len);
    lock();
    if (range_used(addr, (uint64_t)addr + len)) {
        /* a sealed mapping in the range: the host unmaps nothing, EPERM as natively */
        if (host_reserve_sealed(addr, len)) { unlock(); return -EPERM; }
        carve(addr, addr + len);
    }
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_UNMAP, .addr = addr, .len = len });
    return 0;
}

int mem_mprotect(guest_addr addr, uint32_t len, int prot)
{
    /* do_mprotect_pkey's order: the grows bits, alignment, an empty range,
     * the protection, then the mappings */
    int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
    if (addr & (GUEST_PAGE - 1)) return -EINVAL;
    if (!len) return 0;
    if (prot & ~(PROT_GUEST_MASK | 0x8 /* PROT_SEM */)) return -EINVAL;
    if (grows & PROT_GROWSUP) {
        /* no VM_GROWSUP mapping on x86: EINVAL once a mapping covers addr */
        lock();
        int i = find_idx(addr);
        bool covered = i < nregs && regs[i].start <= addr;
        unlock();
        return covered ? -EINVAL : -ENOMEM;
    }
    if (grows & PROT_GROWSDOWN) {
        /* the change reaches down to the start of the grow-down region (mprotect.c) */
        lock();
        int i = find_idx(addr);
        guest_addr start = i < nregs ? regs[i].start : 0;
        int e = i >= nregs || (uint64_t)start >= (uint64_t)addr + len ? -ENOMEM
              : !(regs[i].flags & MAP_GROWSDOWN) ? -EINVAL : 0;
        unlock();
        if (e) return e;
        if (start < addr) { len += addr - start; addr = start; }
    }
    prot &= PROT_GUEST_MASK;
    bool exec_probe = prot & PROT_EXEC;   /* asked for: the host judges it (noexec files: EACCES) */
    if (read_implies_exec && (prot & PROT_READ)) prot |= PROT_EXEC;
    /* the 64-bit kernel adds without wrapping: a range past the top still
     * changes its mapped prefix, then reports the hole */
    uint64_t want = (uint64_t)addr + PAGE_UP((uint64_t)len);
    uint64_t end = want > GUEST_TASK_SIZE ? GUEST_TASK_SIZE : want;
    if (end <= addr) return -ENOMEM;
    len = (uint32_t)(end - addr);
    lock();
    /* like the kernel: change the mapped prefix, then report the hole */
    uint64_t done = mapped_until(addr, end);
    if (done == addr) { unlock(); return -ENOMEM; }
    if (mprotect(g2h(addr), (size_t)(done - addr), host_prot(prot) | (exec_probe ? PROT_EXEC : 0)) < 0) {
        int e = errno;
        unlock();
        return -e;
    }
    if (exec_probe) mprotect(g2h(addr), (size_t)(done - addr), host_prot(prot));
    split_at(addr);
    split_at((guest_addr)done);
    int i = find_idx(addr), j = i;
    for (; j < nregs && regs[j].start < done; j++) {
        if ((prot & PROT_WRITE) && !(regs[j].prot & PROT_WRITE) &&
            !(regs[j].flags & (R_ACCOUNT | MAP_SHARED | MAP_NORESERVE)))
            regs[j].flags |= R_ACCOUNT;
        regs[j].prot = prot;
    }
    merge_range(i, j);
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_PROTECT, .addr = addr, .len = (uint32_t)(done - addr), .prot = prot });
    return done < want ? -ENOMEM : 0;
}

/* Move [src, src+oldlen) to dst with newlen (lock held, dst range free or
 * to be replaced). MREMAP_DONTUNMAP in flags keeps the source mapped, empty. */
static long move_mapping(guest_addr src, uint32_t oldlen, guest_addr dst, uint32_t newlen, int flags)
{
    struct region *r = find_region(src);
    struct region moved = *r;
    bool keep = flags & MREMAP_DONTUNMAP;
    if (!(moved.flags & MAP_ANONYMOUS)) moved.offset += src - r->start;
    if (mremap(g2h(src), oldlen, newlen, MREMAP_MAYMOVE | MREMAP_FIXED | (keep ? MREMAP_DONTUNMAP : 0), g2h(dst)) == MAP_FAILED) {
        /* the host refuses when the range spans several host mappings; private
         * anonymous memory can still be copied */
        int e = errno;
        if ((moved.flags & (MAP_ANONYMOUS | MAP_SHARED)) != MAP_ANONYMOUS) return -e;
        if (mmap(g2h(dst), newlen, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            return -errno;
        mprotect(g2h(src), oldlen, PROT_READ);
        memcpy(g2h(dst), g2h(src), oldlen);
        mprotect(g2h(dst), newlen, host_prot(moved.prot));
        if (keep && mmap(g2h(src), oldlen, host_prot(moved.prot), MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            host_reserve(src, oldlen), keep = false;   /* cannot empty it in place: it goes */
    }
    if (!keep) {
        host_reserve(src, oldlen); /* the source is now a host hole: close it at once */
        carve(src, src + oldlen);
    }
    moved.start = dst;
    moved.end = dst + newlen;
    insert_region(&moved);
    return dst;
}

/* Grow [old, old+oldlen) in place to newlen; the tail is free (lock held). */
static long grow_in_place(struct region *r, guest_addr old, uint32_t oldlen, uint32_t newlen)
{
    guest_addr tail = old + oldlen;
    uint32_t tlen = newlen - oldlen;
    if ((r->flags & (MAP_ANONYMOUS | MAP_SHARED)) == MAP_ANONYMOUS) {
        /* private anonymous: fresh zero pages at the tail are the same thing, with no host hole */
        if (mmap(g2h(tail), tlen, host_prot(r->prot), MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
            int e = errno;
            host_reserve(tail, tlen);
            return -e;
        }
    } else {
        /* file or shared: the host must extend the same mapping; free the tail's reservation first */
        munmap(g2h(tail), tlen);
        if (mremap(g2h(old), oldlen, newlen, 0) == MAP_FAILED) {
            int e = errno;
            host_reserve(tail, tlen);
            return -e;
        }
    }
    struct region ext = *r;
    if (!(ext.flags & MAP_ANONYMOUS)) ext.offset += tail - r->start;
    ext.start = tail;
    ext.end = tail + tlen;
    insert_region(&ext);
    return old;
}

long mem_mremap(guest_addr old, uint32_t oldlen, uint32_t newlen, int flags, guest_addr newaddr)
{
    /* mm/mremap.c check_mremap_params' order */
    if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -EINVAL;
    if (old & (GUEST_PAGE - 1)) return -EINVAL;
    if (oldlen > GUEST_TASK_SIZE || newlen > GUEST_TASK_SIZE) return -EINVAL;
    oldlen = PAGE_UP(oldlen);
    newlen = PAGE_UP(newlen);
    if (!newlen || !oldlen) return -EINVAL;
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {   /* a new address (DONTUNMAP: maybe a hint) */
        if ((uint64_t)newaddr + newlen > GUEST_TASK_SIZE) return -EINVAL;
        if (newaddr & (GUEST_PAGE - 1)) return -EINVAL;
        if (!(flags & MREMAP_MAYMOVE)) return -EINVAL;
        if ((flags & MREMAP_DONTUNMAP) && oldlen != newlen) return -EINVAL;
        if (newaddr < old + oldlen && old < newaddr + newlen) return -EINVAL;
    }
    if ((uint64_t)old + oldlen > GUEST_TASK_SIZE) return -EFAULT;

    uint32_t oldlen_asked = oldlen;
    lock();
    long ret;
    struct region *r = find_region(old);
    if (!r || old + oldlen > r->end) { ret = -EFAULT; goto out; }
    if (host_sealed(old, oldlen) || ((flags & MREMAP_FIXED) && host_sealed(newaddr, newlen))) {
        ret = -EPERM;   /* mseal: every mremap of a sealed range, or onto one */
        goto out;
    }
    if (flags & MREMAP_FIXED) {
        if (newlen < oldlen) {
            host_reserve(old + newlen, oldlen - newlen);
            carve(old + newlen, old + oldlen);
            oldlen = newlen;
        }
        ret = move_mapping(old, oldlen, newaddr, newlen, flags);
        if (ret < 0) reserve_free_parts(newaddr, newaddr + newlen);
        goto out;
    }
    if (flags & MREMAP_DONTUNMAP) {   /* always a move, to the hint if it is free */
        guest_addr dst = choose_addr(newaddr, newlen);
        ret = dst ? move_mapping(old, oldlen, dst, newlen, flags) : -ENOMEM;
        goto out;
    }
    if (newlen <= oldlen) {
        if (newlen < oldlen) {
            host_reserve(old + newlen, oldlen - newlen);
            carve(old + newlen, old + oldlen);
        }
        ret = old;
        goto out;
    }
    if ((uint64_t)old + newlen <= GUEST_TASK_SIZE && !range_used(old + oldlen, (uint64_t)old + newlen)) {
        ret = grow_in_place(r, old, oldlen, newlen);
        goto out;
    }
    if (!(flags & MREMAP_MAYMOVE)) { ret = -ENOMEM; goto out; }
    guest_addr dst = choose_addr(0, newlen);
    ret = dst ? move_mapping(old, oldlen, dst, newlen, flags) : -ENOMEM;
out:
    unlock();
    if (ret >= 0)
        mem_notify(&(struct mem_event){ .kind = MEV_MREMAP, .addr = (guest_addr)ret, .len = newlen,
                                        .old_addr = old, .old_len = oldlen_asked });
    if (ret >= 0 && (flags & MREMAP_DONTUNMAP)) {   /* the source stays, empty: a fresh mapping */
        const struct region *src = mem_next_region(old);
        if (src && src->start <= old)
            mem_notify(&(struct mem_event){ .kind = MEV_MAP, .addr = old, .len = oldlen, .prot = src->prot,
                                            .flags = src->flags & (MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS) });
    }
    return ret;
}

int mem_madvise(guest_addr addr, uint32_t len, int advice)
{
    if (addr & (GUEST_PAGE - 1)) return -EINVAL;
    if (!len) return 0;
    uint64_t end = (uint64_t)addr + PAGE_UP((uint64_t)len);
    if (end > GUEST_TASK_SIZE) return -EINVAL;
    len = (uint32_t)(end - addr);
    lock();
    bool covered = range_covered(addr, end), used = range_used(addr, end);
    int ret = 0;
    /* the host mapping is the real one: DONTNEED zeroes private anonymous
     * pages itself. Only the guest's mappings are advised, in order, the
     * first error ending the walk (madvise_walk_vmas): the host's
     * reservation of a hole is private anonymous memory, where MADV_REMOVE,
     * for one, would be EINVAL instead of the hole's ENOMEM. */
    for (int i = find_idx(addr); i < nregs && regs[i].start < end && !ret; i++) {
        guest_addr a = regs[i].start > addr ? regs[i].start : addr;
        uint64_t b = regs[i].end < end ? regs[i].end : end;
        if (madvise(g2h(a), (size_t)(b - a), advice) < 0) ret = -errno;
    }
    if (used && !ret && (advice == MADV_DONTFORK || advice == MADV_DOFORK)) {
        /* the kernel's VM_DONTCOPY splits the mappings, as in maps */
        split_at(addr);
        split_at((guest_addr)end);
        int i = find_idx(addr), j = i;
        for (; j < nregs && regs[j].start < end; j++)
            regs[j].flags = advice == MADV_DONTFORK ? regs[j].flags | R_DONTFORK : regs[j].flags & ~R_DONTFORK;
        merge_range(i, j);
    }
    unlock();
    if (used && (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE))
        mem_notify(&(struct mem_event){ .kind = MEV_CONTENTS, .addr = addr, .len = len });
    if (ret == 0 && !covered) ret = -ENOMEM;
    return ret;
}

/* remap_file_pages: the host kernel emulates it (mm/mmap.c) with a new
 * mapping of the same file over the same host range, judging everything
 * from its own mappings, which mirror the guest's; the region list then
 * takes the new file offsets. */
int mem_remap_file_pages(guest_addr start, uint32_t size, uint32_t prot, uint32_t pgoff, uint32_t flags)
{
    lock();
    int ret = 0;
    if (syscall(SYS_remap_file_pages, (char *)g2h(start), (unsigned long)size, (unsigned long)prot,
                (unsigned long)pgoff, (unsigned long)flags) < 0)
        ret = -errno;
    guest_addr s = PAGE_DOWN(start);
    uint32_t n = PAGE_DOWN(size);
    int rprot = 0;
    if (!ret) {
        split_at(s);
        split_at(s + n);
        int i = find_idx(s), j = i;
        for (; j < nregs && regs[j].start < s + n; j++) {
            regs[j].offset = (uint64_t)pgoff * GUEST_PAGE + (regs[j].start - s);
            rprot = regs[j].prot;
        }
        merge_range(i, j);
    }
    unlock();
    if (!ret)
        mem_notify(&(struct mem_event){ .kind = MEV_MAP, .addr = s, .len = n, .prot = rprot, .flags = MAP_SHARED | MAP_FIXED });
    return ret;
}

/* A mapping the host kernel made outside the window (the aio ring of
 * io_setup) moved into it where a new mapping would go; recorded as shared
 * memory named name. The guest address, or -errno (the host mapping is
 * then where it was). */
long mem_adopt(void *host, uint32_t len, int prot, const char *name)
{
    len = PAGE_UP(len);
    lock();
    guest_addr a = choose_addr(0, len);
    if (!a) { unlock(); return -ENOMEM; }
    if (mremap(host, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, g2h(a)) == MAP_FAILED) {
        int e = errno;
        reserve_free_parts(a, a + len);
        unlock();
        return -e;
    }
    struct region r = { .start = a, .end = a + len, .prot = prot, .flags = MAP_SHARED };
    snprintf(r.name, sizeof r.name, "%s", name);
    insert_region(&r);
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_MAP, .addr = a, .len = len, .prot = prot, .flags = MAP_SHARED });
    return a;
}

/* The host kernel unmapped [a, a+len) itself (io_destroy): close the hole
 * and forget the regions there, as munmap does. */
void mem_forget(guest_addr a, uint32_t len)
{
    len = PAGE_UP(len);
    lock();
    host_reserve(a, len);
    carve(a, a + len);
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_UNMAP, .addr = a, .len = len });
}

/* In a fork child: the host did not copy the MADV_DONTFORK regions; their
 * places in the window are reserved again and the regions forgotten. */
static void drop_dontfork(void)
{
    for (int i = 0; i < nregs;) {
        if (!(regs[i].flags & R_DONTFORK)) { i++; continue; }
        struct region r = regs[i];
        host_reserve(r.start, r.end - r.start);
        remove_at(i, 1);
        mem_notify(&(struct mem_event){ .kind = MEV_UNMAP, .addr = r.start, .len = r.end - r.start });
    }
}

/* System V shmat: the caller has attached the host segment at g2h(start);
 * record it as the shared mapping /proc/self/maps shows. */
void mem_record_shared(guest_addr start, uint32_t len, int prot, dev_t dev, ino_t ino, const char *name)
{
    struct region r = { .start = start, .end = start + PAGE_UP(len), .prot = prot & PROT_GUEST_MASK,
                        .flags = MAP_SHARED, .dev = dev, .ino = ino };
    snprintf(r.name, sizeof r.name, "%s", name);
    lock();
    insert_region(&r);
    unlock();
    mem_notify(&(struct mem_event){ .kind = MEV_SHMAT, .addr = start, .len = r.end - start, .prot = r.prot });
}

/* ---- memory events ---- */

static mem_observer observers[4];
static int n_observers;

void mem_observe(mem_observer fn)
{
    if (n_observers == (int)(sizeof observers / sizeof observers[0])) ue_fatal(70, "too many memory observers");
    observers[n_observers++] = fn;
}

void mem_notify(const struct mem_event *e)
{
    for (int k = 0; k < n_observers; k++) observers[k](e);
}

/* ---- brk ---- */

void mem_brk_init(guest_addr start)
{
    lock();
    brk_start = brk_cur = start;
    unlock();
}

guest_addr mem_brk(guest_addr newbrk)
{
    lock();
    guest_addr cur = brk_cur;
    unlock();
    if (!brk_start || newbrk < brk_start || newbrk > GUEST_TASK_SIZE) return cur;
    guest_addr newp = PAGE_UP(newbrk), oldp;
    struct mem_event moved = {0};   /* published when the break moved */

    lock();
    oldp = PAGE_UP(brk_cur);
    if (newp == oldp) {
        brk_cur = newbrk;
    } else if (newp < oldp) {
        host_reserve(newp, oldp - newp);
        carve(newp, oldp);
        brk_cur = newbrk;
        moved = (struct mem_event){ .kind = MEV_BRK, .addr = newp, .old_addr = oldp };
    } else {
        /* the kernel keeps one free page between the break and the next
         * mapping, and the guard gap below a stack (vm_start_gap) */
        int next = find_idx(oldp);
        if ((next >= nregs || start_gap(&regs[next]) >= (uint64_t)newp + GUEST_PAGE) &&
            mmap(g2h(oldp), newp - oldp, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0) != MAP_FAILED) {
            struct region r = { .start = oldp, .end = newp, .prot = PROT_READ | PROT_WRITE,
                                .flags = MAP_PRIVATE | MAP_ANONYMOUS | R_ACCOUNT, .name = "[heap]" };
            insert_region(&r);
            brk_cur = newbrk;
            moved = (struct mem_event){ .kind = MEV_BRK, .addr = oldp, .len = newp - oldp, .old_addr = oldp };
        }
    }
    cur = brk_cur;
    unlock();
    if (moved.kind == MEV_BRK) mem_notify(&moved);
    return cur;
}

/* ---- layout and grow-down regions ---- */

static uint32_t random_u32(void)
{
    uint32_t v = 0;
    if (getrandom(&v, sizeof v, 0) != sizeof v) v = (uint32_t)getpid() * 0x9e3779b9u; /* still varies */
    return v;
}

/* PF_RANDOMIZE: set unless the personality has ADDR_NO_RANDOMIZE or randomize_va_space is 0. */
static bool host_randomizes(void)
{
    int pers = personality(0xffffffff);
    if (pers != -1 && (pers & ADDR_NO_RANDOMIZE)) return false;
    return read_ulong_file("/proc/sys/kernel/randomize_va_space", 2) != 0;
}

void mem_layout_init(void)
{
    struct rlimit rl;
    uint64_t gap = getrlimit(RLIMIT_STACK, &rl) == 0 ? rl.rlim_cur : (8u << 20);
    layout_random = host_randomizes();
    /* mmap_base (arch/x86/mm/mmap.c): room for the largest stack, its random
     * offset (STACK_RND_MASK 0x7ff pages) and the guard gap, at least 128 MiB,
     * at most 5/6 of the space; then a random offset of mmap_rnd_compat_bits pages */
    uint64_t pad = (layout_random ? (uint64_t)0x7ff * GUEST_PAGE : 0) + GUEST_STACK_GUARD_GAP;
    if (gap + pad > gap) gap += pad;   /* values near RLIM_INFINITY would overflow */
    uint64_t gap_min = 128u << 20, gap_max = (uint64_t)GUEST_TASK_SIZE / 6 * 5;
    if (gap < gap_min) gap = gap_min;
    else if (gap > gap_max) gap = gap_max;
    uint64_t rnd = 0;
    if (layout_random) {
        unsigned long bits = read_ulong_file("/proc/sys/vm/mmap_rnd_compat_bits", 8);
        if (bits > 16) bits = 16;
        rnd = (uint64_t)(random_u32() & ((1u << bits) - 1)) * GUEST_PAGE;
    }
    int pers = personality(0xffffffff);
    lock();
    legacy_layout = (pers != -1 && (pers & ADDR_COMPAT_LAYOUT)) ||
                    read_ulong_file("/proc/sys/vm/legacy_va_layout", 0) != 0;
    mmap_top = PAGE_UP((guest_addr)(GUEST_TASK_SIZE - gap - rnd));
    mmap_legacy_base = TASK_UNMAPPED_BASE + (guest_addr)rnd;
    unlock();
}

bool mem_layout_random(void) { return layout_random; }

void mem_set_start_stack(guest_addr a) { start_stack = a; }

/* expand_downwards (mm/mmap.c) as a page fault below a VM_GROWSDOWN vma runs
 * it: the vma is the first one above the address, the size limit is the
 * rlimit at the time of the fault, and no check against ESP (gone since 2017). */
bool mem_grow_stack(guest_addr fault)
{
    guest_addr a = PAGE_DOWN(fault), old_start = 0;
    int prot = 0;
    bool grown = false;
    lock();
    if (atomic_load_explicit(&grow_hull, memory_order_relaxed) == HULL_STALE) hull_compute();
    int i = find_idx(fault);
    struct region *r = i < nregs ? &regs[i] : NULL;
    if (!r || r->start <= fault || !(r->flags & MAP_GROWSDOWN) || (r->flags & MAP_SHARED) ||
        !(r->flags & MAP_ANONYMOUS))
        goto out;
    if (a < mmap_min_addr && !may_map_low) goto out;
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && (uint64_t)(r->end - a) > rl.rlim_cur) goto out;
    const struct region *prev = i > 0 ? &regs[i - 1] : NULL;
    /* the guard gap counts only against an accessible, non-stack mapping below */
    if (prev && !(prev->flags & MAP_GROWSDOWN) && (prev->prot & PROT_GUEST_MASK) &&
        a - prev->end < GUEST_STACK_GUARD_GAP)
        goto out;
    if (mmap(g2h(a), r->start - a, host_prot(r->prot), MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        == MAP_FAILED)
        goto out;
    old_start = r->start;
    prot = r->prot;
    r->start = a;   /* the same region grows: its name ("[stack]") and flags carry over */
    hull_stale();
    grown = true;
out:
    unlock();
    if (grown)
        mem_notify(&(struct mem_event){ .kind = MEV_MAP, .addr = a, .len = old_start - a, .prot = prot,
                                        .flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN });
    return grown;
}

bool mem_grow_stack_for(guest_addr a)
{
    uint64_t h = atomic_load_explicit(&grow_hull, memory_order_acquire);
    if (h != HULL_STALE && (a < (uint32_t)h || a >= h >> 32)) return false;
    return mem_grow_stack(a);
}

/* ---- checked access for syscalls ---- */

/* exec-only pages are readable on x86 (the kernel's copy_from_user reads them). */
static int region_access(int prot)
{
    return (prot & PROT_EXEC) ? prot | PROT_READ : prot;
}

bool mem_ok(guest_addr a, uint32_t len, int prot)
{
    if (!len) return true;
    uint64_t end = (uint64_t)a + len, at = a;
    prot &= PROT_GUEST_MASK;
    lock();
    for (int i = find_idx(a); at < end; i++) {
        if (i >= nregs || regs[i].start > at || (region_access(regs[i].prot) & prot) != prot) {
            unlock();
            return false;
        }
        at = regs[i].end;
    }
    unlock();
    return true;
}

/* ---- naming and listing ---- */

void mem_name(guest_addr start, uint32_t len, const char *name)
{
    uint64_t end = (uint64_t)start + len;
    if (end > GUEST_TASK_SIZE) end = GUEST_TASK_SIZE;
    lock();
    split_at(start);
    split_at((guest_addr)end);
    int i = find_idx(start), j = i;
    for (; j < nregs && regs[j].start < end; j++) {
        strncpy(regs[j].name, name, sizeof regs[j].name - 1);
        regs[j].name[sizeof regs[j].name - 1] = 0;
    }
    merge_range(i, j);
    unlock();
}

const struct region *mem_next_region(guest_addr after)
{
    static __thread struct region copy;
    const struct region *ret = NULL;
    lock();
    int i = find_idx(after);
    if (i < nregs) {
        copy = regs[i];
        ret = &copy;
    }
    unlock();
    return ret;
}

bool mem_guest_writable(guest_addr a)
{
    lock();
    struct region *r = find_region(a);
    bool w = r && (r->prot & PROT_WRITE);
    unlock();
    return w;
}

/* One line as the kernel's show_map_vma prints it: the name starts at
 * column 74 (the padding a 64-bit kernel uses for every process). */
static int format_region(char *buf, size_t size, const struct region *r)
{
    char head[128];
    snprintf(head, sizeof head, "%08x-%08x %c%c%c%c %08llx %02x:%02x %llu ",
                     r->start, r->end,
                     r->prot & PROT_READ ? 'r' : '-', r->prot & PROT_WRITE ? 'w' : '-',
                     r->prot & PROT_EXEC ? 'x' : '-', r->flags & MAP_SHARED ? 's' : 'p',
                     (unsigned long long)r->offset, major(r->dev), minor(r->dev),
                     (unsigned long long)r->ino);
    if (!r->name[0]) return snprintf(buf, size, "%s\n", head);
    return snprintf(buf, size, "%-73s%s\n", head, r->name);
}

/* Like snprintf: returns the length of the whole text; when that is >= size
 * only the lines that fit were written. */
size_t mem_format_maps(char *buf, size_t size)
{
    size_t len = 0;
    bool full = false;
    char line[256];
    if (size) buf[0] = 0;
    lock();
    for (int i = 0; i < nregs; i++) {
        struct region shown = regs[i];
        /* show_map_vma names the anonymous vma holding mm->start_stack "[stack]", and no other */
        bool initial = start_stack && shown.start <= start_stack && shown.end >= start_stack;
        if (initial && !shown.name[0] && (shown.flags & (MAP_ANONYMOUS | MAP_SHARED)) == MAP_ANONYMOUS)
            strcpy(shown.name, "[stack]");
        else if (start_stack && !initial && !strcmp(shown.name, "[stack]"))
            shown.name[0] = 0;
        int n = format_region(line, sizeof line, &shown);
        if (!full && len + n < size) memcpy(buf + len, line, n + 1);
        else full = true; /* no partial lines */
        len += n;
    }
    unlock();
    return len;
}
