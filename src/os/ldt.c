/* modify_ldt (arch/x86/kernel/ldt.c): the process's local descriptor
 * table. Like the kernel's it belongs to the address space: every guest
 * thread (they share ue's host process) sees one table, and a forked child
 * a copy. It holds the descriptors as the hardware reads them (8 bytes
 * each), built from struct user_desc as the kernel's fill_ldt builds them;
 * the CPU (system.c) reads them through ldt_desc. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

#define LDT_ENTRIES 8192
#define LDT_ENTRY_SIZE 8

static uint64_t *ldt_table;     /* LDT_ENTRIES slots, allocated by the first write */
static uint32_t ldt_count;      /* the kernel's nr_entries: the highest slot written + 1 */
static pthread_mutex_t ldt_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ldt_once = PTHREAD_ONCE_INIT;

/* A fork while another thread writes the table must not leave the child
 * with the lock held: fork takes it first. */
static void ldt_fork_lock(void) { pthread_mutex_lock(&ldt_lock); }
static void ldt_fork_unlock(void) { pthread_mutex_unlock(&ldt_lock); }
static void ldt_atfork(void) { pthread_atfork(ldt_fork_lock, ldt_fork_unlock, ldt_fork_unlock); }
static void ldt_lock_take(void)
{
    pthread_once(&ldt_once, ldt_atfork);
    pthread_mutex_lock(&ldt_lock);
}

bool ldt_desc(uint32_t idx, uint64_t *d)
{
    uint32_t n = __atomic_load_n(&ldt_count, __ATOMIC_ACQUIRE);
    if (idx >= n) return false;
    *d = __atomic_load_n(&ldt_table[idx], __ATOMIC_RELAXED);
    return true;
}

/* func 0: the table's bytes, zeros after its end up to bytecount (at most
 * the whole table's size); 0 while the process has none. */
static long read_ldt(guest_addr p, uint32_t bytecount)
{
    ldt_lock_take();
    long r = 0;
    if (ldt_table) {
        if (bytecount > LDT_ENTRIES * LDT_ENTRY_SIZE) bytecount = LDT_ENTRIES * LDT_ENTRY_SIZE;
        uint32_t size = ldt_count * LDT_ENTRY_SIZE;
        if (size > bytecount) size = bytecount;
        if (ua_write(p, ldt_table, size) || ua_clear_partial(p + size, bytecount - size)) r = -EFAULT;
        else r = bytecount;
    }
    pthread_mutex_unlock(&ldt_lock);
    return r;
}

/* func 2: the default LDT an x86-64 kernel reports: 128 zero bytes. */
static long read_default_ldt(guest_addr p, uint32_t bytecount)
{
    if (bytecount > 128) bytecount = 128;
    return ua_clear_partial(p, bytecount) ? -EFAULT : (long)bytecount;
}

/* The descriptor fill_ldt makes: DPL 3, S set, accessed, L clear. */
static uint64_t fill_ldt(const struct i386_user_desc *u)
{
    uint32_t f = u->flags, b = u->base_addr, l = u->limit;
    uint32_t type = 1 | (f & UD_READ_EXEC_ONLY ? 0 : 2) | ((f >> UD_CONTENTS_SHIFT) & 3) << 2;
    uint32_t lo = (b & 0xffff) << 16 | (l & 0xffff);
    uint32_t hi = (b & 0xff000000) | (f & UD_LIMIT_IN_PAGES ? 1u << 23 : 0) | (f & UD_SEG_32BIT ? 1u << 22 : 0)
                | (f & UD_USEABLE ? 1u << 20 : 0) | (l & 0xf0000) | (f & UD_SEG_NOT_PRESENT ? 0 : 1u << 15)
                | 3u << 13 | 1u << 12 | type << 8 | (b >> 16 & 0xff);
    return (uint64_t)hi << 32 | lo;
}

/* func 1 (oldmode: AVL cleared, base and limit 0 clear the entry, no
 * conforming code) and func 0x11. */
static long write_ldt(guest_addr p, uint32_t bytecount, bool oldmode)
{
    struct i386_user_desc u;
    if (bytecount != sizeof u) return -EINVAL;
    if (ua_read(&u, p, sizeof u)) return -EFAULT;
    if (u.entry_number >= LDT_ENTRIES) return -EINVAL;
    uint32_t contents = (u.flags >> UD_CONTENTS_SHIFT) & 3;
    if (contents == 3 && (oldmode || !(u.flags & UD_SEG_NOT_PRESENT))) return -EINVAL;
    bool empty = u.base_addr == 0 && u.limit == 0 && (u.flags & 0x7f) == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT);
    uint64_t d = 0;
    if (!(empty || (oldmode && !u.base_addr && !u.limit))) {
        d = fill_ldt(&u);
        if (oldmode) d &= ~(1ull << 52);   /* AVL */
    }
    ldt_lock_take();
    if (!ldt_table && !(ldt_table = calloc(LDT_ENTRIES, LDT_ENTRY_SIZE))) {
        pthread_mutex_unlock(&ldt_lock);
        return -ENOMEM;
    }
    __atomic_store_n(&ldt_table[u.entry_number], d, __ATOMIC_RELAXED);
    if (u.entry_number >= ldt_count) __atomic_store_n(&ldt_count, u.entry_number + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&ldt_lock);
    return 0;
}

/* After a write the kernel reloads DS and ES where they hold LDT selectors
 * (flush_ldt's refresh_ldt_segments; one that no longer loads becomes
 * null). FS and GS keep the descriptor they loaded, as the hardware's
 * hidden part does, until a context switch reloads them. */
static void refresh_ldt_segments(struct cpu *c)
{
    static const int segs[] = { SEG_DS, SEG_ES };
    for (int k = 0; k < 2; k++)
        if ((c->sreg[segs[k]] & 4) && !load_sreg_ok(c, segs[k], c->sreg[segs[k]])) load_sreg_ok(c, segs[k], 0);
}

SYS(modify_ldt)
{
    switch ((int32_t)a1) {
    case 0: return read_ldt(a2, a3);
    case 1: case 0x11: {
        long r = write_ldt(a2, a3, a1 == 1);
        if (r == 0) refresh_ldt_segments(c);
        return r;
    }
    case 2: return read_default_ldt(a2, a3);
    default: return -ENOSYS;
    }
}
