/* The guest address space: the 4 GiB window and ue's list of guest regions. */
#ifndef UE_MEM_H
#define UE_MEM_H

#include <sys/types.h>

#include "../ue.h"

#define GUEST_PAGE 4096u
/* The mask has x's width: a 32-bit mask would cut a 64-bit value's top half. */
#define PAGE_UP(x) (((x) + GUEST_PAGE - 1) & ~(__typeof__((x) + 0u))(GUEST_PAGE - 1))
#define PAGE_DOWN(x) ((x) & ~(__typeof__((x) + 0u))(GUEST_PAGE - 1))

/* Where guest mmap() without a hint starts looking (like the i386 kernel's
 * top-down layout below the stack). */
#define GUEST_STACK_TOP 0xfffe0000u  /* initial stack grows down from here */
#define GUEST_MMAP_TOP 0xf7ff0000u   /* top-down mmap area ends here */

/* Reserve the window (4 GiB + guard, PROT_NONE, NORESERVE). Fatal on failure. */
void mem_init(void);

/* Guest mmap2/munmap/mprotect/mremap/brk/madvise semantics. Return values as
 * the kernel's: a guest address, or -errno (which is < 0 as a long). prot and
 * flags are host values (PROT_*, MAP_*), which equal i386's. */
long mem_mmap(guest_addr addr, uint32_t len, int prot, int flags, int fd, uint64_t off);
int mem_munmap(guest_addr addr, uint32_t len);
int mem_mprotect(guest_addr addr, uint32_t len, int prot);
long mem_mremap(guest_addr old, uint32_t oldlen, uint32_t newlen, int flags, guest_addr newaddr);
int mem_madvise(guest_addr addr, uint32_t len, int advice);
/* The guest runs with the READ_IMPLIES_EXEC personality (no PT_GNU_STACK, or
 * inherited): later readable mappings are executable too. */
void mem_set_read_implies_exec(bool on);
void mem_brk_init(guest_addr start);       /* end of the loaded program */
guest_addr mem_brk(guest_addr newbrk);     /* kernel semantics: returns the new (or old) break */

/* Record [start, start+len) as a shared mapping the caller made itself
 * (System V shmat attaches the host segment at g2h(start) first). */
void mem_record_shared(guest_addr start, uint32_t len, int prot, dev_t dev, ino_t ino, const char *name);

/* Is every byte of [a, a+len) mapped with prot (PROT_READ/WRITE/EXEC) in
 * ue's region list? For questions about the mapping itself (mincore,
 * msync, the decoder's fetch limit); syscall buffers go through uaccess.h. */
bool mem_ok(guest_addr a, uint32_t len, int prot);

/* The region list, for /proc/self/maps and memcheck roots. */
struct region {
    guest_addr start, end;   /* [start, end) page-aligned */
    int prot;                /* guest PROT_* */
    int flags;               /* MAP_PRIVATE/MAP_SHARED/MAP_ANONYMOUS... */
    uint64_t offset;
    dev_t dev; ino_t ino;
    char name[96];           /* path, "[heap]", "[stack]", or "" */
};
/* Record a name for a region range (loader: file paths, "[stack]"). */
void mem_name(guest_addr start, uint32_t len, const char *name);
/* Iterate: returns the first region with end > after, or NULL. */
const struct region *mem_next_region(guest_addr after);
/* Is the page containing a mapped with PROT_WRITE for the guest? (fault.c uses this) */
bool mem_guest_writable(guest_addr a);
/* Print the regions in /proc/self/maps format into a buffer; returns length. */
size_t mem_format_maps(char *buf, size_t size);

#endif
