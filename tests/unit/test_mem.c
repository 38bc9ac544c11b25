/* The guest region list of src/mem/mem.c: mmap/munmap/mprotect splitting and
 * merging, file offsets across splits, mem_ok, brk, mem_format_maps. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../src/cpu/cpu.h"
#include "../../src/mem/mem.h"
#include "../../src/mem/uaccess.h"
#include "unit.h"

#define A 0x10000000u
#define P GUEST_PAGE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* The regions overlapping [lo, hi), as "start-end prot" lines. */
static const char *regions(guest_addr lo, guest_addr hi)
{
    static char buf[4096];
    size_t n = 0;
    buf[0] = 0;
    for (const struct region *r = mem_next_region(lo); r && r->start < hi; r = mem_next_region(r->end))
        n += snprintf(buf + n, sizeof buf - n, "%08x-%08x %c%c%c %llx %s\n", r->start, r->end,
                      r->prot & PROT_READ ? 'r' : '-', r->prot & PROT_WRITE ? 'w' : '-',
                      r->prot & PROT_EXEC ? 'x' : '-', (unsigned long long)r->offset, r->name);
    return buf;
}

static void clear(void)
{
    mem_munmap(A, 64 * P);
}

static void test_split_merge(void)
{
    unit_case = "split/merge";
    clear();
    CHECK_EQ(mem_mmap(A, 5 * P, RW, ANON, -1, 0), A);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10005000 rw- 0 \n");
    CHECK_EQ(mem_mprotect(A + P, P, PROT_READ), 0);
    CHECK_STR(regions(A, A + 64 * P),
              "10000000-10001000 rw- 0 \n10001000-10002000 r-- 0 \n10002000-10005000 rw- 0 \n");
    CHECK_EQ(mem_mprotect(A + P, P, RW), 0);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10005000 rw- 0 \n");
    /* a neighbour mapped separately with the same attributes merges */
    CHECK_EQ(mem_mmap(A + 5 * P, 2 * P, RW, ANON, -1, 0), A + 5 * P);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10007000 rw- 0 \n");
    /* a hole splits; munmap of nothing is fine */
    CHECK_EQ(mem_munmap(A + 2 * P, P), 0);
    CHECK_EQ(mem_munmap(A + 2 * P, P), 0);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10002000 rw- 0 \n10003000-10007000 rw- 0 \n");
    /* MAP_FIXED over the middle of a region replaces that part only */
    CHECK_EQ(mem_mmap(A + 4 * P, P, PROT_READ | PROT_EXEC, ANON, -1, 0), A + 4 * P);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10002000 rw- 0 \n10003000-10004000 rw- 0 \n"
                                      "10004000-10005000 r-x 0 \n10005000-10007000 rw- 0 \n");
    /* mprotect across a hole: the mapped prefix changes, then ENOMEM */
    CHECK_EQ(mem_mprotect(A, 4 * P, PROT_READ), -ENOMEM);
    CHECK_STR(regions(A, A + 64 * P), "10000000-10002000 r-- 0 \n10003000-10004000 rw- 0 \n"
                                      "10004000-10005000 r-x 0 \n10005000-10007000 rw- 0 \n");
    CHECK_EQ(mem_mprotect(A + 2 * P, P, PROT_READ), -ENOMEM);
    /* the argument checks */
    CHECK_EQ(mem_munmap(A + 1, P), -EINVAL);
    CHECK_EQ(mem_munmap(A, 0), -EINVAL);
    CHECK_EQ(mem_mprotect(A + 1, P, PROT_READ), -EINVAL);
    CHECK_EQ(mem_mmap(A + 1, P, RW, ANON, -1, 0), -EINVAL);
    CHECK_EQ(mem_mmap(A, 0, RW, ANON, -1, 0), -EINVAL);
    CHECK_EQ(mem_mmap(0xfffff000u, 2 * P, RW, ANON, -1, 0), -ENOMEM);
    clear();
    CHECK_STR(regions(A, A + 64 * P), "");
}

static void test_mem_ok(void)
{
    unit_case = "mem_ok";
    clear();
    mem_mmap(A, 2 * P, RW, ANON, -1, 0);
    mem_mmap(A + 2 * P, P, PROT_READ, ANON, -1, 0);
    mem_mmap(A + 3 * P, P, PROT_EXEC, ANON, -1, 0);
    mem_mmap(A + 5 * P, P, RW, ANON, -1, 0);
    CHECK(mem_ok(A, 2 * P, RW));
    CHECK(mem_ok(A + P, 2 * P, PROT_READ));       /* across two regions */
    CHECK(!mem_ok(A + P, P + 1, PROT_WRITE));     /* one byte into the read-only one */
    CHECK(mem_ok(A + 3 * P, P, PROT_READ));       /* exec-only is readable on x86 */
    CHECK(!mem_ok(A + 3 * P, P, PROT_WRITE));
    CHECK(!mem_ok(A + 4 * P - 1, 2, PROT_READ));  /* into the hole */
    CHECK(!mem_ok(A - 1, 1, PROT_READ));
    CHECK(mem_ok(A - 1, 0, PROT_READ));           /* nothing to touch */
    CHECK(!mem_ok(0xffffff00u, 0x200, PROT_READ)); /* past 4 GiB */
    CHECK(mem_guest_writable(A + P));
    CHECK(!mem_guest_writable(A + 2 * P));
    clear();
}

static void test_files(void)
{
    unit_case = "file offsets";
    clear();
    char path[] = "/tmp/ue-unit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    CHECK_EQ(ftruncate(fd, 8 * P), 0);
    CHECK_EQ(mem_mmap(A, 3 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 2 * P), A);
    CHECK_EQ(mem_mprotect(A + P, P, RW), 0);
    char want[512];
    snprintf(want, sizeof want, "10000000-10001000 r-- 2000 %s\n10001000-10002000 rw- 3000 %s\n"
             "10002000-10003000 r-- 4000 %s\n", path, path, path);
    CHECK_STR(regions(A, A + 64 * P), want);
    /* read-only again, the middle page stays apart: it was writable once
     * (the kernel's VM_ACCOUNT); the same file at a non-following offset
     * does not merge either */
    CHECK_EQ(mem_mprotect(A + P, P, PROT_READ), 0);
    CHECK_EQ(mem_mmap(A + 3 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0), A + 3 * P);
    snprintf(want, sizeof want, "10000000-10001000 r-- 2000 %s\n10001000-10002000 r-- 3000 %s\n"
             "10002000-10003000 r-- 4000 %s\n10003000-10004000 r-- 0 %s\n", path, path, path, path);
    CHECK_STR(regions(A, A + 64 * P), want);
    /* at the following offset it merges */
    CHECK_EQ(mem_mmap(A + 3 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 5 * P), A + 3 * P);
    snprintf(want, sizeof want, "10000000-10001000 r-- 2000 %s\n10001000-10002000 r-- 3000 %s\n"
             "10002000-10004000 r-- 4000 %s\n", path, path, path);
    CHECK_STR(regions(A, A + 64 * P), want);
    /* names given by the loader split regions */
    mem_name(A + 3 * P, P, "other");
    snprintf(want, sizeof want, "10000000-10001000 r-- 2000 %s\n10001000-10002000 r-- 3000 %s\n"
             "10002000-10003000 r-- 4000 %s\n10003000-10004000 r-- 5000 other\n", path, path, path);
    CHECK_STR(regions(A, A + 64 * P), want);
    close(fd);
    unlink(path);
    clear();
}

static void test_brk_maps(void)
{
    unit_case = "brk/maps";
    clear();
    mem_brk_init(A + 0x800);
    CHECK_EQ(mem_brk(0), A + 0x800);
    CHECK_EQ(mem_brk(A + 2 * P + 1), A + 2 * P + 1);
    CHECK_STR(regions(A, A + 64 * P), "10001000-10003000 rw- 0 [heap]\n");
    CHECK_EQ(mem_brk(A + 0x900), A + 0x900);
    CHECK_STR(regions(A, A + 64 * P), "");
    /* the kernel keeps a free page between the break and the next mapping */
    mem_mmap(A + 3 * P, P, PROT_READ, ANON, -1, 0);
    CHECK_EQ(mem_brk(A + 2 * P), A + 2 * P);
    CHECK_EQ(mem_brk(A + 3 * P), A + 2 * P);
    mem_brk(A + 0x800);

    unit_case = "mem_format_maps";
    clear();
    mem_mmap(A, P, PROT_READ | PROT_EXEC, ANON, -1, 0);
    mem_mmap(A + 2 * P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mem_name(A, P, "[x]");
    char buf[4096];
    size_t n = mem_format_maps(buf, sizeof buf);
    CHECK_EQ(n, strlen(buf));
    char want[512];
    snprintf(want, sizeof want, "%-73s%s\n%-73s%s\n", "10000000-10001000 r-xp 00000000 00:00 0 ", "[x]",
             "10002000-10003000 rw-s 00000000 00:01 0 ", "/dev/zero (deleted)");
    /* the shared mapping's device is the host's shmem one: compare up to it */
    CHECK(!strncmp(buf, want, 74 + 4 + 28));
    char *second = strchr(buf, '\n');
    CHECK(second && !strncmp(second + 1, "10002000-10003000 rw-s 00000000 ", 32));
    CHECK(second && strstr(second, "/dev/zero (deleted)\n"));
    /* too small: whole lines only, and the full length returned */
    char small[100];
    memset(small, 'Z', sizeof small);
    CHECK_EQ(mem_format_maps(small, sizeof small), n);
    CHECK_EQ(strlen(small), (size_t)(second + 1 - buf));
    CHECK_EQ(mem_format_maps(small, 10), n);
    CHECK_STR(small, "");
    clear();
}

/* Grow-down regions: growth to the faulting page, the rlimit from the end,
 * the guard gap against an accessible mapping (not a PROT_NONE one), and
 * searches that keep out of the gap. */
static void test_grow_down(void)
{
    unit_case = "grow-down";
    const guest_addr S = 0x30000000u, G = GUEST_STACK_GUARD_GAP;
    struct rlimit old, rl;
    getrlimit(RLIMIT_STACK, &old);
    rl = old;
    rl.rlim_cur = 16 * P;
    setrlimit(RLIMIT_STACK, &rl);
    mem_munmap(S - 8 * G, 9 * G);
    CHECK_EQ(mem_mmap(S, 2 * P, RW, ANON | MAP_GROWSDOWN, -1, 0), S);
    mem_name(S, 2 * P, "[stack]");
    CHECK(!mem_grow_stack(S + P));                      /* mapped already */
    CHECK(mem_grow_stack(S - 3 * P + 5));
    CHECK_STR(regions(S - G, S + G), "2fffd000-30002000 rw- 0 [stack]\n");
    CHECK_EQ(*(volatile uint8_t *)g2h(S - 3 * P), 0);   /* really mapped on the host */
    CHECK(!mem_grow_stack(S + 2 * P - 16 * P - 1));     /* one byte past the rlimit */
    CHECK(mem_grow_stack(S + 2 * P - 16 * P));
    CHECK_STR(regions(S - G, S + G), "2fff2000-30002000 rw- 0 [stack]\n");
    rl.rlim_cur = 8 * G;
    setrlimit(RLIMIT_STACK, &rl);
    /* an accessible mapping below: the gap above it stays free */
    guest_addr low = S - 4 * G;
    CHECK_EQ(mem_mmap(low, P, PROT_READ, ANON, -1, 0), low);
    CHECK(!mem_grow_stack(low + P + G - P));
    CHECK(mem_grow_stack(low + P + G));
    CHECK_EQ(mem_mprotect(low, P, PROT_NONE), 0);
    CHECK(mem_grow_stack(low + P));
    CHECK_STR(regions(low, S + G), "2fc00000-2fc01000 --- 0 \n2fc01000-30002000 rw- 0 [stack]\n");
    /* a hint inside the gap below a grow-down region is not taken; the search skips the gap */
    CHECK_EQ(mem_munmap(low, P), 0);
    guest_addr bottom = low + P;
    CHECK(mem_mmap(bottom - P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != (long)(bottom - P));
    CHECK_EQ(mem_mmap(bottom - G - P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), bottom - G - P);
    mem_munmap(bottom - G - P, P);
    /* PROT_GROWSDOWN: the change reaches the start of the region; EINVAL elsewhere */
    CHECK_EQ(mem_mprotect(S, P, PROT_READ | PROT_GROWSDOWN), 0);
    CHECK_STR(regions(bottom, S + G), "2fc01000-30001000 r-- 0 [stack]\n30001000-30002000 rw- 0 [stack]\n");
    CHECK_EQ(mem_mmap(A, P, RW, ANON, -1, 0), A);
    CHECK_EQ(mem_mprotect(A, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
    /* a syscall's copy below the region grows it (the copy routine's fault fixup) */
    CHECK_EQ(mem_mprotect(bottom, P, RW), 0);
    CHECK_EQ(ua_write(bottom - P - 8, "xy", 2), 0);
    CHECK_STR(regions(bottom - 2 * P, bottom + P), "2fbff000-2fc02000 rw- 0 [stack]\n");
    mem_munmap(S - 8 * G, 9 * G);
    clear();
    setrlimit(RLIMIT_STACK, &old);
}

/* Memory events: each change is published once, after it, with its range. */
static char events[1024];
static void record_event(const struct mem_event *e)
{
    static const char *const kind[] = {"map", "unmap", "protect", "brk", "mremap", "shmat", "contents"};
    size_t n = strlen(events);
    snprintf(events + n, sizeof events - n, "%s %08x+%x", kind[e->kind], e->addr, e->len);
    n = strlen(events);
    if (e->kind == MEV_MREMAP || e->kind == MEV_BRK)
        snprintf(events + n, sizeof events - n, " from %08x+%x", e->old_addr, e->old_len);
    n = strlen(events);
    if (e->kind == MEV_MAP || e->kind == MEV_PROTECT) snprintf(events + n, sizeof events - n, " prot %d", e->prot);
    strcat(events, "\n");
}

static void test_events(void)
{
    unit_case = "events";
    clear();
    mem_observe(record_event);
    events[0] = 0;
    CHECK_EQ(mem_mmap(A, 3 * P, RW, ANON, -1, 0), A);
    CHECK_EQ(mem_mprotect(A + P, P, PROT_READ), 0);
    CHECK_EQ(mem_madvise(A, P, MADV_DONTNEED), 0);
    CHECK_EQ(mem_mremap(A + 2 * P, P, 2 * P, 0, 0), A + 2 * P);
    CHECK_EQ(mem_munmap(A, 4 * P), 0);
    CHECK_EQ(mem_mmap(A + P, P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), A + P);
    CHECK_EQ(mem_mmap(A + P, P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);   /* no event */
    CHECK_STR(events, "map 10000000+3000 prot 3\n"
                      "protect 10001000+1000 prot 1\n"
                      "contents 10000000+1000\n"
                      "mremap 10002000+2000 from 10002000+1000\n"
                      "unmap 10000000+4000\n"
                      "map 10001000+1000 prot 3\n");
    clear();
    events[0] = 0;
    mem_brk_init(A + 0x800);
    mem_brk(A + 2 * P + 1);
    mem_brk(A + 0x900);
    CHECK_STR(events, "brk 10001000+2000 from 10001000+0\nbrk 10001000+0 from 10003000+0\n");
    clear();
}

int main(void)
{
    mem_init();
    fault_init();   /* copies to guest memory recover from faults there */
    test_split_merge();
    test_mem_ok();
    test_files();
    test_brk_maps();
    test_grow_down();
    test_events();
    return unit_done("mem");
}
