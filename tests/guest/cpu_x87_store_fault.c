/* ue-test: variants=s2 p2 */
/* x87 and MMX stores to an unmapped page, where Intel and AMD may order
 * things differently (ue probes the host, vendor.c): a store suppressed by
 * its own unmasked exception, a store after a pending unmasked exception
 * (#MF or #PF first), and whether an MMX store's page fault shows the
 * x87-to-MMX switch (TOP 0, all tags valid) done. The signal and the FPU
 * state in its frame are printed. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "fault_catch.h"

static uint8_t *none;

#define CASE(name, body, ...)                                                               \
    do {                                                                                    \
        g_sig = 0;                                                                          \
        g_sw = g_tw = g_cw = 0;                                                             \
        if (!sigsetjmp(jb, 1)) __asm__ volatile(body : : __VA_ARGS__ : "memory", "st");     \
        uint16_t sw_now;                                                                    \
        __asm__ volatile("fnstsw %0" : "=m"(sw_now));                                       \
        __asm__ volatile("fninit\n\temms");                                                 \
        printf("%-34s sig %2d code %3d addr %+d frame cw %04x sw %04x tw %04x (no signal: sw %04x)\n", \
               name, g_sig, g_code, g_sig == SIGSEGV ? (int)(g_addr - (uint32_t)none) : 0, \
               g_cw, g_sw, g_tw, g_sig ? 0 : sw_now);                                       \
    } while (0)

int main(void)
{
    fault_catch(fault_handler, 0, SIGSEGV, SIGFPE, 0);
    none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static const uint16_t cw_im = 0x37e, cw_ze = 0x37b, cw_oe = 0x377;
    static const double big = 1e30, huge = 1e300;

    CASE("fistp m32, #IA unmasked", "fninit\n\tfldcw %1\n\tfldl %2\n\tfistpl %0", "m"(*(uint32_t *)none), "m"(cw_im), "m"(big));
    CASE("fist m16, #IA unmasked", "fninit\n\tfldcw %1\n\tfldl %2\n\tfists %0", "m"(*(uint16_t *)none), "m"(cw_im), "m"(big));
    CASE("fstp m32, #O unmasked", "fninit\n\tfldcw %1\n\tfldl %2\n\tfstps %0", "m"(*(uint32_t *)none), "m"(cw_oe), "m"(huge));
    CASE("fbstp, #IA unmasked", "fninit\n\tfldcw %1\n\tfldl %2\n\tfbstp %0", "m"(*(uint8_t *)none), "m"(cw_im), "m"(huge));
    CASE("fstp m80 empty, #IS unmasked", "fninit\n\tfldcw %1\n\tfstpt %0", "m"(*(uint8_t *)none), "m"(cw_im));
    CASE("fst m32 after pending #Z", "fninit\n\tfldcw %1\n\tfld1\n\tfldz\n\tfdivrp\n\tfsts %0", "m"(*(uint32_t *)none), "m"(cw_ze));
    CASE("fistp m64 after pending #Z", "fninit\n\tfldcw %1\n\tfld1\n\tfldz\n\tfdivrp\n\tfistpll %0", "m"(*(uint64_t *)none), "m"(cw_ze));
    CASE("movq mm0 to m64", "fninit\n\tfld1\n\tmovq %%mm0, %0", "m"(*(uint64_t *)none));
    CASE("movd mm1 to m32", "fninit\n\tfld1\n\tfld1\n\tmovd %%mm1, %0", "m"(*(uint32_t *)none));
    CASE("movntq mm2 to m64", "fninit\n\tfldz\n\tmovntq %%mm2, %0", "m"(*(uint64_t *)none));
    CASE("movq mm0 after pending #Z", "fninit\n\tfldcw %1\n\tfld1\n\tfldz\n\tfdivrp\n\tmovq %%mm0, %0", "m"(*(uint64_t *)none), "m"(cw_ze));
    return 0;
}
