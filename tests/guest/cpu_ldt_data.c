/* ue-test: variants=s2 d0 */
/* LDT data segments with a base, loaded into FS, GS, DS, ES and SS (MOV,
 * POP, LDS/LES/LFS/LGS/LSS) and used by loads, stores, string instructions
 * and the stack; 16-bit addressing through them; what a modify_ldt write
 * does to DS and ES holding LDT selectors (the kernel reloads them) and
 * what MOV from Sreg shows. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ldt_set.h"

static uint8_t area[0x4000] __attribute__((aligned(4096)));

static void fill(void)
{
    for (int k = 0; k < (int)sizeof area; k++) area[k] = (uint8_t)(k * 7 + (k >> 8));
}
static uint32_t at(uint32_t off) { uint32_t v; memcpy(&v, area + off, 4); return v; }

int main(void)
{
    uint32_t A = (uint32_t)area;
    printf("write 1: %ld\n", set_ldt(1, A + 0x100, 0xfff, 1));            /* 32-bit data at area+0x100 */
    printf("write 2: %ld\n", set_ldt(2, A + 0x2000, 0xfff, 0));           /* 16-bit data at area+0x2000 */
    printf("write 3: %ld\n", set_ldt(3, A + 0x1000, 0xfff, 1 | 8));      /* read-only */
    fill();

    /* FS and GS: loads and stores */
    uint32_t v[5];
    __asm__ volatile("mov %%gs, %%cx\n\t"
                     "mov %%ax, %%fs\n\t"
                     "mov %%dx, %%gs\n\t"
                     "mov %%fs:0x10, %%eax\n\t"
                     "mov %%eax, 0(%%edi)\n\t"
                     "mov %%gs:0x24, %%eax\n\t"
                     "mov %%eax, 4(%%edi)\n\t"
                     "movl $0x11223344, %%fs:0x40\n\t"
                     "movw $0x5566, %%gs:0x42\n\t"
                     "mov %%fs:0x3e, %%eax\n\t"
                     "mov %%eax, 8(%%edi)\n\t"
                     "mov %%fs, 12(%%edi)\n\t"
                     "mov %%gs, %%eax\n\t"
                     "mov %%eax, 16(%%edi)\n\t"
                     "mov %%cx, %%gs\n\t"
                     "mov %%ebx, %%fs"
                     : : "b"(0), "a"(SEL(1)), "d"(SEL(2)), "D"(v) : "ecx", "memory");
    printf("fs:0x10 %#x (%#x) gs:0x24 %#x (%#x) fs:0x3e %#x stored %#x %#x sel %#x %#x\n", v[0], at(0x110), v[1],
           at(0x2024), v[2], at(0x140), at(0x2040), v[3] & 0xffff, v[4]);

    /* DS and ES: a load through DS, MOVS from DS:ESI to ES:EDI, STOS, LODS,
     * CMPS; 16-bit addressing (67) through DS */
    uint32_t r[6];
    static uint32_t movs_dst;
    movs_dst = A + 0x3000;
    fill();
    __asm__ volatile("push %%ds\n\t"
                     "push %%es\n\t"
                     "mov %%bx, %%ds\n\t"
                     "mov %%dx, %%es\n\t"
                     "mov 0x8, %%eax\n\t"
                     "mov %%eax, %%es:0(%%edi)\n\t"                /* r[0] */
                     "mov $0x20, %%esi\n\t"
                     "push %%edi\n\t"
                     "mov %%es:%[dst], %%edi\n\t"
                     "mov $9, %%ecx\n\t"
                     "cld\n\t"
                     "rep movsb\n\t"
                     "mov $0xabcdef01, %%eax\n\t"
                     "stosl\n\t"
                     "mov $0x30, %%esi\n\t"
                     "lodsl\n\t"
                     "pop %%edi\n\t"
                     "mov %%eax, %%es:4(%%edi)\n\t"                /* r[1] */
                     "mov $0x204, %%esi\n\t"
                     "addr16 mov (%%si), %%eax\n\t"
                     "mov %%eax, %%es:8(%%edi)\n\t"                /* r[2] */
                     "mov %%ds, %%eax\n\t"
                     "mov %%eax, %%es:12(%%edi)\n\t"               /* r[3] */
                     "pop %%es\n\t"
                     "pop %%ds"
                     : : "b"(SEL(1)), "d"(0x2b), "D"(r), [dst] "m"(movs_dst) : "eax", "ecx", "esi", "memory");
    printf("ds:8 %#x (%#x) lods %#x (%#x) addr16 %#x (%#x) ds %#x\n", r[0], at(0x108), r[1], at(0x130), r[2],
           at(0x304), r[3]);
    printf("movs %#x %#x (%#x %#x) stos %#x\n", at(0x3000), at(0x3004), at(0x120), at(0x124), at(0x3009));

    /* ES with a base as the MOVS/STOS destination */
    fill();
    __asm__ volatile("push %%es\n\t"
                     "mov %%bx, %%es\n\t"
                     "mov $0x10, %%edi\n\t"
                     "mov $0x5a5a5a5a, %%eax\n\t"
                     "mov $3, %%ecx\n\t"
                     "rep stosl\n\t"
                     "mov $0x40, %%edi\n\t"
                     "mov $8, %%ecx\n\t"
                     "rep movsb\n\t"
                     "pop %%es"
                     : : "b"(SEL(1)), "S"(A + 0x1000) : "eax", "ecx", "edi", "memory");
    printf("es stos %#x %#x %#x movs %#x %#x\n", at(0x10f), at(0x110), at(0x11c), at(0x140), at(0x144));

    /* SS with a base: push and pop, an ESP-relative load (SS by default) */
    fill();
    static uint32_t so[4], saved_esp;
    __asm__ volatile("mov %%esp, %[sv]\n\t"
                     "mov %%bx, %%ss\n\t"
                     "mov $0x800, %%esp\n\t"
                     "pushl $0x77665544\n\t"
                     "pushw $0x1234\n\t"
                     "mov 2(%%esp), %%eax\n\t"
                     "popw %%cx\n\t"
                     "pop %%edx\n\t"
                     "push %%ss\n\t"
                     "pop %%edi\n\t"
                     "mov %%esp, %%ebx\n\t"
                     "mov $0x2b, %%cx\n\t"
                     "mov %%cx, %%ss\n\t"
                     "mov %[sv], %%esp\n\t"
                     "mov %%eax, %[o0]\n\t"
                     "mov %%edx, %[o1]\n\t"
                     "mov %%edi, %[o2]\n\t"
                     "mov %%ebx, %[o3]"
                     : [o0] "=m"(so[0]), [o1] "=m"(so[1]), [o2] "=m"(so[2]), [o3] "=m"(so[3])
                     : "b"(SEL(1)), [sv] "m"(saved_esp) : "eax", "ecx", "edx", "edi", "memory");
    printf("ss: esp load %#x pop %#x ss %#x esp %#x mem %#x %#x\n", so[0], so[1], so[2], so[3], at(0x8fa), at(0x8fc));

    /* LDS/LES/LFS/LGS/LSS from a far pointer */
    fill();
    static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp;
    fp.off = 0x44;
    fp.sel = SEL(1);
    uint32_t o[4];
    __asm__ volatile("push %%ds\n\t"
                     "push %%es\n\t"
                     "mov %%gs, %%dx\n\t"
                     "lfs %[fp], %%eax\n\t"
                     "mov %%fs:(%%eax), %%ecx\n\t"
                     "mov %%ecx, 0(%[o])\n\t"
                     "lgs %[fp], %%eax\n\t"
                     "mov %%gs:4(%%eax), %%ecx\n\t"
                     "mov %%dx, %%gs\n\t"
                     "mov %%ecx, 4(%[o])\n\t"
                     "les %[fp], %%eax\n\t"
                     "mov %%es:8(%%eax), %%ecx\n\t"
                     "mov %%ecx, 8(%[o])\n\t"
                     "lds %[fp], %%eax\n\t"
                     "mov 12(%%eax), %%ecx\n\t"
                     "pop %%es\n\t"
                     "pop %%ds\n\t"
                     "mov %%ecx, 12(%[o])\n\t"
                     "mov %%ebx, %%fs"
                     : : "b"(0), [fp] "m"(fp), [o] "D"(o) : "eax", "ecx", "edx", "memory");
    printf("lfs %#x lgs %#x les %#x lds %#x (%#x %#x %#x %#x)\n", o[0], o[1], o[2], o[3], at(0x144), at(0x148),
           at(0x14c), at(0x150));

    /* a modify_ldt write reloads DS and ES that hold LDT selectors */
    struct ud u = {1, A + 0x1800, 0xfff, 1};
    uint32_t before, after, es_after, ret;
    fill();
    __asm__ volatile("push %%ds\n\t"
                     "push %%es\n\t"
                     "mov %%dx, %%ds\n\t"
                     "mov %%dx, %%es\n\t"
                     "mov 0x20, %%edi\n\t"
                     "mov $123, %%eax\n\t"
                     "mov $0x11, %%ebx\n\t"
                     "mov $16, %%edx\n\t"
                     "int $0x80\n\t"
                     "mov 0x20, %%esi\n\t"
                     "mov %%es:0x24, %%edx\n\t"
                     "pop %%es\n\t"
                     "pop %%ds"
                     : "=a"(ret), "=D"(before), "=S"(after), "=d"(es_after)
                     : "c"(&u), "d"(SEL(1)) : "ebx", "memory");
    printf("reload: ret %d before %#x (%#x) after %#x (%#x) es %#x (%#x)\n", ret, before, at(0x120), after,
           at(0x1820), es_after, at(0x1824));

    /* a write that empties the entry DS holds: DS becomes null */
    uint16_t ds_after;
    __asm__ volatile("push %%ds\n\t"
                     "mov %%dx, %%ds\n\t"
                     "mov $123, %%eax\n\t"
                     "mov $0x11, %%ebx\n\t"
                     "mov $16, %%edx\n\t"
                     "int $0x80\n\t"
                     "mov %%ds, %%dx\n\t"
                     "pop %%ds"
                     : "=a"(ret), "=d"(ds_after)
                     : "c"(&(struct ud){1, 0, 0, 0x28}), "d"(SEL(1)) : "ebx", "memory");
    printf("emptied: ret %d ds %#x\n", ret, ds_after);
    return 0;
}
