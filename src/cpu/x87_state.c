/* The x87 state both CPU builds share (compiled once): host facts probed at
 * start-up, the host control word the memory path set last, and whether
 * this thread's host FPU holds a guest's state (the resident path of the
 * plain build, x87_resident.c), with the moves between it and memory. */
#include <cpuid.h>
#include <ucontext.h>

#include "x87.h"

__thread uint16_t x87_host_cw;
struct x87_host_facts x87_host;

void x87_probe_host(void)
{
    uint16_t saved = xb_store_cw();
    xb_load_cw(0);
    uint16_t zeros = xb_store_cw();
    xb_load_cw(0xffff);
    uint16_t ones = xb_store_cw();
    xb_load_cw(saved);
    x87_host.cw_ones = zeros;
    x87_host.cw_keep = ones & ~zeros;

    uint8_t fx[512] __attribute__((aligned(16)));
    memset(fx, 0, sizeof fx);
    __asm__ volatile("fld1\n\tfstp %%st(0)\n\tfxsave %0" : "=m"(fx) : : "st");
    uint32_t mask, fip;
    memcpy(&mask, fx + 28, 4);
    memcpy(&fip, fx + 8, 4);
    x87_host.mxcsr_mask = mask ? mask : 0xffbf;
    x87_host.fxsave_ptrs_need_es = fip == 0;

    unsigned a, b, cc, d;
    x87_host.fcs_fds_zero = __get_cpuid_count(7, 0, &a, &b, &cc, &d) && (b & (1u << 13));

    uint16_t sw;
    __asm__ volatile("fld1\n\tfchs\n\tffree %%st(0)\n\tfxam\n\tfnstsw %0\n\tfincstp" : "=a"(sw) : : "st");
    x87_host.fxam_empty_sign = sw & SW_C1;

    /* FLD of a single-precision denormal with only DM unmasked: the SDM
     * says the load does not happen; AMD parts push it anyway. */
    uint32_t denormal = 1;
    uint16_t dm_unmasked = 0x37f & ~SW_DE, tsw;
    __asm__ volatile("fninit\n\tfldcw %1\n\tflds %2\n\tfnstsw %0\n\tfninit"
                     : "=a"(tsw) : "m"(dm_unmasked), "m"(denormal) : "st");
    x87_host.denormal_load_completes = ((tsw >> 11) & 7) == 7;
    xb_load_cw(saved);
    xb_clear_exceptions();
}

uint32_t x87_mxcsr_mask(void) { return x87_host.mxcsr_mask; }

__thread struct cpu *x87_owner;

/* ---- moving the state between memory and the host FPU ---- */

void x87_enter_host(struct cpu *c)
{
    struct x87_state *f = &c->fpu;
    uint8_t img[108];
    uint16_t sw = (f->sw & ~(SW_ES | SW_B | 0x3800)) | (f->top << 11);
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++)
        tw |= (x87_empty(f, p) ? 3 : 0) << (2 * p);   /* the host recomputes the others */
    memset(img, 0, 28);
    memcpy(img + 0, &(uint16_t){f->cw | SW_EXC}, 2);
    memcpy(img + 4, &sw, 2);
    memcpy(img + 8, &tw, 2);
    for (int k = 0; k < 8; k++) memcpy(img + 28 + 10 * k, &f->st[x87_phys(f, k)], 10);
    __asm__ volatile("frstor %0" : : "m"(img) : "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)");
    x87_owner = c;
}

/* Registers, TOP, tags and status from an FNSAVE image (tags: 2 bits per
 * physical register) or an FXSAVE image (abridged tags, 16-byte slots). */
static void take_state(struct x87_state *f, uint16_t sw, uint16_t empty_mask, const uint8_t *regs, int stride)
{
    f->top = (sw >> 11) & 7;
    f->sw = sw & ~(SW_ES | SW_B | 0x3800);
    f->tw = empty_mask;
    for (int k = 0; k < 8; k++) memcpy(&f->st[x87_phys(f, k)], regs + stride * k, 10);
}

void x87_sync(struct cpu *c)
{
    if (x87_owner != c) return;
    uint8_t img[108];
    __asm__ volatile("fnsave %0" : "=m"(img) : : "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)");
    uint16_t sw, tw, empty = 0;
    memcpy(&sw, img + 4, 2);
    memcpy(&tw, img + 8, 2);
    for (int p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3) == 3) empty |= 1u << p;
    take_state(&c->fpu, sw, empty, img + 28, 10);
    x87_owner = NULL;
    x87_host_cw = 0x37f;   /* FNSAVE re-initialised the host */
}

void x87_fault_save(struct cpu *c, const void *ucontext)
{
    if (x87_owner == c) {
        const ucontext_t *uc = ucontext;
        const uint8_t *fx = (const uint8_t *)uc->uc_mcontext.fpregs;
        uint16_t sw;
        memcpy(&sw, fx + 2, 2);
        take_state(&c->fpu, sw, ~fx[4] & 0xff, fx + 32, 16);
    }
    x87_owner = NULL;
    x87_host_cw = 0;
}

void x87_reinit(struct cpu *c)
{
    x87_sync(c);
    x87_reset(&c->fpu);
}

void x87_host_lost(void)
{
    x87_owner = NULL;
    x87_host_cw = 0;
}
