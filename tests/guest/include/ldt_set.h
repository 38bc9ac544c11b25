/* Writing LDT entries with modify_ldt's new mode (func 0x11), for the
 * cpu_ldt_* tests. */
#ifndef LDT_SET_H
#define LDT_SET_H

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ud { uint32_t entry, base, limit, flags; };   /* struct user_desc */

/* flags: seg_32bit 1, contents << 1, read_exec_only 8, limit_in_pages 0x10,
 * seg_not_present 0x20, useable 0x40; 0 or -1 (errno set) */
static inline long set_ldt(uint32_t e, uint32_t base, uint32_t limit, uint32_t flags)
{
    struct ud u = {e, base, limit, flags};
    return syscall(SYS_modify_ldt, 0x11, &u, sizeof u);
}

/* LDT entry e's selector, RPL 3 */
#define SEL(e) ((uint16_t)((e) << 3 | 7))

#endif
