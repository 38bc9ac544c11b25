/* The guest address space: the 4 GiB window and ue's list of guest regions. */
#ifndef UE_MEM_H
#define UE_MEM_H

#include <sys/types.h>

#include "../ue.h"

#define GUEST_PAGE 4096u
/* The mask has x's width: a 32-bit mask would cut a 64-bit value's top half. */
#define PAGE_UP(x) (((x) + GUEST_PAGE - 1) & ~(__typeof__((x) + 0u))(GUEST_PAGE - 1))
#define PAGE_DOWN(x) ((x) & ~(__typeof__((x) + 0u))(GUEST_PAGE - 1))

/* The compat (i386 on x86-64) TASK_SIZE and STACK_TOP: user addresses end below this. */
#define GUEST_TASK_SIZE 0xffffe000u
/* The kernel's default stack_guard_gap (mm/mmap.c): 256 pages kept free below a stack. */
#define GUEST_STACK_GUARD_GAP (256u * GUEST_PAGE)

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
/* mlockall's MCL_FUTURE: 0 off, 1 later mmaps locked, 2 locked on fault (MCL_ONFAULT). */
void mem_set_lock_future(int mode);
/* The guest runs with the READ_IMPLIES_EXEC personality (no PT_GNU_STACK, or
 * inherited): later readable mappings are executable too. */
void mem_set_read_implies_exec(bool on);
void mem_brk_init(guest_addr start);
/* The layout of a new process (arch/x86/mm/mmap.c for a compat task): whether
 * it is randomised (no ADDR_NO_RANDOMIZE personality, randomize_va_space != 0)
 * and where top-down mmap starts (mmap_base: below the stack by the
 * RLIMIT_STACK-derived gap). Before this, mmap starts 128 MiB below the top. */
void mem_layout_init(void);
bool mem_layout_random(void);
/* A page fault at an unmapped address below a grow-down region (the stack,
 * MAP_GROWSDOWN): extend that region down to it when the kernel would
 * (within RLIMIT_STACK of its end, at least the guard gap above the
 * accessible mapping below, not under mmap_min_addr). True when grown. */
bool mem_grow_stack(guest_addr fault);
/* The same for the first byte of a syscall's buffer, cheap (no lock) when a
 * lies in no gap below a grow-down region. */
bool mem_grow_stack_for(guest_addr a);
/* mm->start_stack (the lowest argument string): /proc/self/maps names the
 * anonymous region holding it "[stack]", and only that one. */
void mem_set_start_stack(guest_addr a);       /* end of the loaded program */
guest_addr mem_brk(guest_addr newbrk);     /* kernel semantics: returns the new (or old) break */

/* Record [start, start+len) as a shared mapping the caller made itself
 * (System V shmat attaches the host segment at g2h(start) first). */
void mem_record_shared(guest_addr start, uint32_t len, int prot, dev_t dev, ino_t ino, const char *name);

/* remap_file_pages (deprecated; emulated by the kernel with a new mapping): 0 or -errno */
int mem_remap_file_pages(guest_addr start, uint32_t size, uint32_t prot, uint32_t pgoff, uint32_t flags);
/* A host mapping made by the host kernel (the aio ring) moved into the
 * window where a new mapping would go: its guest address or -errno. */
long mem_adopt(void *host, uint32_t len, int prot, const char *name);
/* The host kernel unmapped guest [a, a+len) itself: re-reserve and forget it. */
void mem_forget(guest_addr a, uint32_t len);

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
/* region.flags bit for the kernel's VM_ACCOUNT (private memory that was ever
 * writable): it keeps regions apart exactly where the kernel's maps do, and
 * tells the leak scan a relocated read-only segment (RELRO) from constants. */
#define R_ACCOUNT 0x40
/* region.flags bit for VM_DONTCOPY (madvise MADV_DONTFORK): a fork child
 * has no such region (ue re-reserves its place in the child's window). */
#define R_DONTFORK 0x80
/* Record a name for a region range (loader: file paths, "[stack]"). */
void mem_name(guest_addr start, uint32_t len, const char *name);
/* Iterate: returns the first region with end > after, or NULL. */
const struct region *mem_next_region(guest_addr after);
/* Is the page containing a mapped with PROT_WRITE for the guest? (fault.c uses this) */
bool mem_guest_writable(guest_addr a);
/* Print the regions in /proc/self/maps format into a buffer; returns length. */
size_t mem_format_maps(char *buf, size_t size);

/* Memory events. The memory box calls into nobody: it tells its observers
 * (the decoded-code cache, memcheck) what changed, after the change. */
enum mem_event_kind {
    MEV_MAP,          /* [addr, addr+len) newly mapped (mmap, also over old mappings) */
    MEV_UNMAP,        /* [addr, addr+len) unmapped */
    MEV_PROTECT,      /* [addr, addr+len) now has prot */
    MEV_BRK,          /* the break moved: grown [addr, addr+len) (len > 0) or shrunk (old_addr > addr) */
    MEV_MREMAP,       /* [old_addr, old_addr+old_len) moved or resized to [addr, addr+len) */
    MEV_SHMAT,        /* a System V segment attached at [addr, addr+len) */
    MEV_CONTENTS,     /* the contents of [addr, addr+len) changed under the mapping (madvise DONTNEED...) */
    MEV_STACK_NEW,    /* a guest thread's stack: [addr, addr+len) as clone was given it (len 0: unknown) */
    MEV_STACK_FREE,   /* a guest thread ended; its stack was at addr */
};
struct mem_event {
    enum mem_event_kind kind;
    guest_addr addr;
    uint32_t len;
    guest_addr old_addr;
    uint32_t old_len;
    int prot;
    int flags;        /* MAP_* for MEV_MAP */
    int tid;          /* MEV_STACK_*: the thread */
};
typedef void (*mem_observer)(const struct mem_event *e);
/* Subscribe (at start-up, before guest threads exist). */
void mem_observe(mem_observer fn);
/* Publish an event to every observer (the memory box, and thread start/exit). */
void mem_notify(const struct mem_event *e);

#endif
