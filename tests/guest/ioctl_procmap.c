/* ue-test: variants=s2 d0 p2 */
/* PROCMAP_QUERY on /proc/self/maps (Linux 6.11): the mapping covering an
 * address or the next one, permission and file filters, the name and GNU
 * build ID buffers, and the checks in the kernel's order (size, flags,
 * buffer pairs, ENOENT, ENAMETOOLONG, EFAULT). Addresses are compared with
 * the program's own, never printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "include/errno_show.h"

struct procmap_query {
    uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
enum { READ = 1, WRITE = 2, EXEC = 4, SHARED = 8, COVERING_OR_NEXT = 0x10, FILE_BACKED = 0x20 };

static int maps;
static char name[4096];
static unsigned char id[64];

static long query(struct procmap_query *q, uint64_t addr, uint64_t flags, int with_name)
{
    memset(q, 0, sizeof *q);
    q->size = sizeof *q;
    q->query_addr = addr;
    q->query_flags = flags;
    if (with_name) {
        name[0] = 0;
        q->vma_name_addr = (uintptr_t)name;
        q->vma_name_size = sizeof name;
    }
    errno = 0;
    return ioctl(maps, PROCMAP_QUERY, q);
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(void)
{
    maps = open("/proc/self/maps", O_RDONLY);
    struct procmap_query q;
    long r = query(&q, (uintptr_t)&main, 0, 1);
    printf("PROCMAP_QUERY main: %ld %s\n", r, r ? strerrorname_np(errno) : "");
    if (r) return 0;
    printf("  covers %d flags %#llx page %llu file %d name %s name_size ok %d\n",
           q.vma_start <= (uintptr_t)&main && (uintptr_t)&main < q.vma_end, (unsigned long long)q.vma_flags,
           (unsigned long long)q.vma_page_size, q.inode != 0, base(name), q.vma_name_size == strlen(name) + 1);

    char *p = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 4096, 4096);   /* two mappings with a hole */
    r = query(&q, (uintptr_t)p + 100, 0, 1);
    printf("anonymous: %ld start ok %d end ok %d flags %#llx offset %llu inode %llu dev %u:%u name_size %u\n", r,
           q.vma_start == (uintptr_t)p, q.vma_end == (uintptr_t)p + 4096, (unsigned long long)q.vma_flags,
           (unsigned long long)q.vma_offset, (unsigned long long)q.inode, q.dev_major, q.dev_minor, q.vma_name_size);
    r = query(&q, (uintptr_t)p + 4096, 0, 0);
    printf("the hole: %ld %s\n", r, r ? strerrorname_np(errno) : "");
    r = query(&q, (uintptr_t)p + 4096, COVERING_OR_NEXT, 0);
    printf("the hole, or next: %ld start is the next page %d\n", r, q.vma_start == (uintptr_t)p + 2 * 4096);
    r = query(&q, (uintptr_t)p, WRITE, 0);
    printf("writable filter: %ld %s\n", r, r ? strerrorname_np(errno) : "");
    r = query(&q, 0, COVERING_OR_NEXT | FILE_BACKED | EXEC, 1);
    printf("first executable file mapping: %ld flags %#llx offset>0 %d name %s\n", r, (unsigned long long)q.vma_flags,
           q.vma_offset > 0, base(name));
    int x = 0;
    r = query(&q, (uintptr_t)&x, 0, 1);
    printf("a stack variable: %ld flags %#llx name %s\n", r, (unsigned long long)q.vma_flags, name);
    r = query(&q, 0, 0, 0);
    printf("address 0: %ld %s\n", r, r ? strerrorname_np(errno) : "");
    r = query(&q, 0xffffffffull + 1, COVERING_OR_NEXT, 0);
    printf("above 4 GiB: %ld %s\n", r, r ? strerrorname_np(errno) : "");

    /* build ID of the program's file */
    query(&q, (uintptr_t)&main, 0, 0);
    q.build_id_addr = (uintptr_t)id;
    q.build_id_size = sizeof id;
    r = ioctl(maps, PROCMAP_QUERY, &q);
    printf("build id: %ld size %u ", r, q.build_id_size);
    for (unsigned k = 0; k < q.build_id_size && k < sizeof id; k++) printf("%02x", id[k]);   /* the same file both times */
    printf("\n");
    query(&q, (uintptr_t)&main, 0, 0);
    q.build_id_addr = (uintptr_t)id;
    q.build_id_size = 4;
    SHOW("build id too small", ioctl(maps, PROCMAP_QUERY, &q));
    query(&q, (uintptr_t)p, 0, 0);
    q.build_id_addr = (uintptr_t)id;
    q.build_id_size = sizeof id;
    r = ioctl(maps, PROCMAP_QUERY, &q);
    printf("build id of anonymous memory: %ld size %u\n", r, q.build_id_size);

    /* the checks: the name buffer's size, address, and one without the other */
    static const struct { const char *what; uint32_t size; uint64_t addr; } names[] = {
        { "name buffer too small", 3, 0 }, { "bad name buffer", sizeof name, 16 },
        { "name size without buffer", sizeof name, 1 } };
    for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++) {
        query(&q, (uintptr_t)&main, 0, 1);
        q.vma_name_size = names[k].size;
        if (names[k].addr) q.vma_name_addr = names[k].addr == 1 ? 0 : names[k].addr;
        SHOW(names[k].what, ioctl(maps, PROCMAP_QUERY, &q));
    }
    query(&q, (uintptr_t)&main, 0x40, 0);
    q.query_flags = 0x40;
    SHOW("unknown flag", ioctl(maps, PROCMAP_QUERY, &q));
    q.query_flags = 0;
    q.size = 16;
    SHOW("size 16", ioctl(maps, PROCMAP_QUERY, &q));
    q.size = 8192;
    SHOW("size 8192", ioctl(maps, PROCMAP_QUERY, &q));
    static unsigned char big[256];
    memcpy(big, &q, sizeof q);
    ((struct procmap_query *)big)->size = sizeof big;
    SHOW("size 256, zero tail", ioctl(maps, PROCMAP_QUERY, big));
    big[200] = 1;
    SHOW("size 256, nonzero tail", ioctl(maps, PROCMAP_QUERY, big));
    ((struct procmap_query *)big)->size = 24;
    SHOW("size 24 (up to query_addr)", ioctl(maps, PROCMAP_QUERY, big));
    SHOW("bad pointer", ioctl(maps, PROCMAP_QUERY, (void *)16));
    int f = open("ioctl_procmap.tmp", O_RDWR | O_CREAT, 0600);
    unlink("ioctl_procmap.tmp");
    SHOW("on a regular file", ioctl(f, PROCMAP_QUERY, &q));
    SHOW("bad fd", ioctl(99, PROCMAP_QUERY, &q));
    close(f);
    close(maps);
    return 0;
}
