/* x87 control instructions: FLDCW/FNSTCW/FNSTSW, FNCLEX/FNINIT, FNOP,
 * FWAIT, FLDENV/FNSTENV/FRSTOR/FNSAVE (protected-mode layouts, 32- and
 * 16-bit), and the 0F AE group's FXSAVE/FXRSTOR/LDMXCSR/STMXCSR.
 * Control instructions leave FIP/FOP/FDP alone; FLDCW, FLDENV and FRSTOR
 * wait for pending exceptions, the FN* forms and FXSAVE/FXRSTOR do not
 * (measured on the host). */
#include <signal.h>
#include <sys/mman.h>

#include "x87.h"
#include "sse.h"
#include "../mem/mem.h"


static inline void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }


/* FOP of the last non-control instruction: a memory form's mod bits are
 * read back from its code (instruction prefixes skipped). */
static uint16_t fop_of(const struct x87_state *f)
{
    if (!(f->fop & 0x8000)) return f->fop;
    guest_addr a = f->fip;
    for (int n = 0; n < 14 && mem_ok(a, 2, PROT_READ); n++, a++) {
        uint8_t b = ld8(a);
        switch (b) {
        case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
        case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
            continue;
        }
        if ((b & 0xf8) == 0xd8) return ((b & 7) << 8) | ld8(a + 1);
        break;
    }
    return f->fop & 0x7ff;
}
static uint16_t fcs_of(const struct x87_state *f) { return x87_host.fcs_fds_zero ? 0 : f->fcs; }
static uint16_t fds_of(const struct x87_state *f) { return x87_host.fcs_fds_zero ? 0 : f->fds; }

/* The environment (SDM vol.1 figures 8-9 and 8-10): 28 bytes, or 14 with a
 * 16-bit operand size. */
static int env_store(const struct x87_state *f, uint8_t *o, bool size16)
{
    uint16_t sw = x87_status_word(f), tw = x87_tag_word(f);
    if (size16) {
        put16(o + 0, f->cw);
        put16(o + 2, sw);
        put16(o + 4, tw);
        put16(o + 6, f->fip);
        put16(o + 8, fcs_of(f));
        put16(o + 10, f->fdp);
        put16(o + 12, fds_of(f));
        return 14;
    }
    put32(o + 0, 0xffff0000u | f->cw);
    put32(o + 4, 0xffff0000u | sw);
    put32(o + 8, 0xffff0000u | tw);
    put32(o + 12, f->fip);
    put32(o + 16, (uint32_t)fop_of(f) << 16 | fcs_of(f));
    put32(o + 20, f->fdp);
    put32(o + 24, 0xffff0000u | fds_of(f));
    return 28;
}

static void set_sw(struct x87_state *f, uint16_t sw)
{
    f->top = (sw >> 11) & 7;
    f->sw = sw & ~(0x3800 | SW_ES | SW_B);   /* ES and B follow the flags and the control word */
}

static int env_load(struct x87_state *f, const uint8_t *in, bool size16)
{
    uint16_t tw;
    f->cw = x87_cw_normalize(get16(in));
    set_sw(f, get16(in + (size16 ? 2 : 4)));
    tw = get16(in + (size16 ? 4 : 8));
    if (size16) {
        f->fip = get16(in + 6);
        f->fcs = get16(in + 8);
        f->fop = 0;
        f->fdp = get16(in + 10);
        f->fds = get16(in + 12);
    } else {
        f->fip = get32(in + 12);
        f->fcs = get16(in + 16);
        f->fop = get16(in + 18) & 0x7ff;
        f->fdp = get32(in + 20);
        f->fds = get16(in + 24);
    }
    /* only "empty" survives a load; the other tags are recomputed when read */
    f->tw = 0;
    for (int p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3) == 3) f->tw |= 1u << p;
    xb_clear_exceptions();   /* keep the host's sticky flags a subset of the guest's */
    return size16 ? 14 : 28;
}

void x87_save_fsave(struct cpu *c, uint8_t out[108])
{
    struct x87_state *f = &c->fpu;
    x87_sync(c);
    env_store(f, out, false);
    for (int k = 0; k < 8; k++) memcpy(out + 28 + 10 * k, &f->st[x87_phys(f, k)], 10);
}

void x87_load_fsave(struct cpu *c, const uint8_t in[108])
{
    struct x87_state *f = &c->fpu;
    x87_sync(c);
    env_load(f, in, false);
    for (int k = 0; k < 8; k++) memcpy(&f->st[x87_phys(f, k)], in + 28 + 10 * k, 10);
}

/* FXSAVE layout (SDM vol.1 table 10-2, 32-bit format). Bytes 288..511 are
 * not written. */
void x87_save_fxsave(struct cpu *c, uint8_t out[512])
{
    struct x87_state *f = &c->fpu;
    x87_sync(c);
    sse_mxcsr_sync(c);
    uint16_t sw = x87_status_word(f);
    bool ptrs = !x87_host.fxsave_ptrs_need_es || (sw & SW_ES);
    memset(out, 0, 288);
    put16(out + 0, f->cw);
    put16(out + 2, sw);
    out[4] = ~f->tw & 0xff;
    if (ptrs) {
        put16(out + 6, fop_of(f));
        put32(out + 8, f->fip);
        put16(out + 12, fcs_of(f));
        put32(out + 16, f->fdp);
        put16(out + 20, fds_of(f));
    }
    put32(out + 24, c->mxcsr);
    put32(out + 28, x87_host.mxcsr_mask);
    for (int k = 0; k < 8; k++) memcpy(out + 32 + 16 * k, &f->st[x87_phys(f, k)], 10);
    memcpy(out + 160, c->xmm, 128);
}

bool x87_load_fxsave(struct cpu *c, const uint8_t in[512])
{
    struct x87_state *f = &c->fpu;
    x87_sync(c);
    sse_mxcsr_sync(c);
    uint32_t mxcsr = get32(in + 24);
    if (mxcsr & ~x87_host.mxcsr_mask) return false;
    f->cw = x87_cw_normalize(get16(in));
    set_sw(f, get16(in + 2));
    f->tw = ~in[4] & 0xff;
    f->fop = get16(in + 6) & 0x7ff;
    f->fip = get32(in + 8);
    f->fcs = get16(in + 12);
    f->fdp = get32(in + 16);
    f->fds = get16(in + 20);
    c->mxcsr = mxcsr;
    for (int k = 0; k < 8; k++) memcpy(&f->st[x87_phys(f, k)], in + 32 + 16 * k, 10);
    memcpy(c->xmm, in + 160, 128);
    xb_clear_exceptions();
    return true;
}

/* ---- memory forms ---- */

HANDLER(op_fldcw)
{
    x87_check_pending(c, i);
    c->fpu.cw = x87_cw_normalize(ld16(ea(c, i)));
}
HANDLER(op_fnstcw) { st16(ea(c, i), c->fpu.cw); }
HANDLER(op_fnstsw_m16) { st16(ea(c, i), x87_status_word(&c->fpu)); }
HANDLER(op_fnstsw_ax) { set_r16(c, EAX, x87_status_word(&c->fpu)); }

/* Guest memory is copied through a buffer; writes go out before the state
 * changes so a faulting store leaves the FPU as it was. */
static void copy_out(guest_addr a, const uint8_t *buf, int n)
{
    for (int k = 0; k < n; k++) st8(a + k, buf[k]);
}
static void copy_in(uint8_t *buf, guest_addr a, int n)
{
    for (int k = 0; k < n; k++) buf[k] = ld8(a + k);
}

HANDLER(op_fnstenv)
{
    uint8_t buf[28];
    int n = env_store(&c->fpu, buf, i->opsize16);
    copy_out(ea(c, i), buf, n);
    c->fpu.cw |= SW_EXC;   /* FNSTENV then masks every exception */
}

HANDLER(op_fldenv)
{
    uint8_t buf[28];
    x87_check_pending(c, i);
    copy_in(buf, ea(c, i), i->opsize16 ? 14 : 28);
    env_load(&c->fpu, buf, i->opsize16);
}

HANDLER(op_fnsave)
{
    struct x87_state *f = &c->fpu;
    uint8_t buf[108];
    int n = env_store(f, buf, i->opsize16);
    for (int k = 0; k < 8; k++) memcpy(buf + n + 10 * k, &f->st[x87_phys(f, k)], 10);
    copy_out(ea(c, i), buf, n + 80);
    x87_reset(f);
    xb_clear_exceptions();
}

HANDLER(op_frstor)
{
    struct x87_state *f = &c->fpu;
    uint8_t buf[108];
    x87_check_pending(c, i);
    int n = i->opsize16 ? 14 : 28;
    copy_in(buf, ea(c, i), n + 80);
    env_load(f, buf, i->opsize16);
    for (int k = 0; k < 8; k++) memcpy(&f->st[x87_phys(f, k)], buf + n + 10 * k, 10);
}

/* ---- register forms ---- */

HANDLER(op_fnop)
{
    x87_begin(c, i);
    x87_note(c, i);
    x87_end(c);
}
HANDLER(op_fnclex)
{
    c->fpu.sw &= ~(SW_EXC | SW_SF | SW_ES | SW_B);
    xb_clear_exceptions();
}
HANDLER(op_fninit)
{
    x87_reset(&c->fpu);
    xb_clear_exceptions();
}
/* DB E0/E1/E4: FNENI, FNDISI, FNSETPM do nothing since the 387 */
HANDLER(op_fnop_legacy) {}

/* resident means every exception is masked: nothing can be pending */
HANDLER(op_fwait)
{
    if (x87_owner != c) x87_check_pending(c, i);
}

/* ---- 0F AE /0..3 ---- */

HANDLER(op_fxsave)
{
    guest_addr a = ea(c, i);
    uint8_t buf[512];
    if (a & 15) cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);
    x87_save_fxsave(c, buf);
    copy_out(a, buf, 288);
}
HANDLER(op_fxrstor)
{
    guest_addr a = ea(c, i);
    uint8_t buf[512];
    if (a & 15) cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);
    copy_in(buf, a, 288);
    if (!x87_load_fxsave(c, buf)) cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);
}
HANDLER(op_ldmxcsr)
{
    uint32_t v = ld32(ea(c, i));
    sse_mxcsr_sync(c);
    if (v & ~x87_host.mxcsr_mask) cpu_raise(c, SIGSEGV, SI_KERNEL_GP, 0);
    c->mxcsr = v;
}
HANDLER(op_stmxcsr) { sse_mxcsr_sync(c); st32(ea(c, i), c->mxcsr); }

void x87_register_ctl(void)
{
    x87_mem_ops[1][4] = op_fldenv;
    x87_mem_ops[1][5] = op_fldcw;
    x87_mem_ops[1][6] = op_fnstenv;
    x87_mem_ops[1][7] = op_fnstcw;
    x87_mem_ops[5][4] = op_frstor;
    x87_mem_ops[5][6] = op_fnsave;
    x87_mem_ops[5][7] = op_fnstsw_m16;
    x87_reg_ops[1][0x10] = op_fnop;
    x87_reg_ops[3][0x20] = op_fnop_legacy;
    x87_reg_ops[3][0x21] = op_fnop_legacy;
    x87_reg_ops[3][0x22] = op_fnclex;
    x87_reg_ops[3][0x23] = op_fninit;
    x87_reg_ops[3][0x24] = op_fnop_legacy;
    x87_reg_ops[7][0x20] = op_fnstsw_ax;
    op_set(optab, 0x9b, op_fwait, NULL, 0);
}

void x87_register_sse_state(void)
{
    op_set_group(optab0f, 0xae, 0, op_fxsave, NULL, D_MODRM | D_MEMONLY | D_MSTORE | D_SZ(SZ_512));
    op_set_group(optab0f, 0xae, 1, op_fxrstor, NULL, D_MODRM | D_MEMONLY | D_SZ(SZ_512));
    op_set_group(optab0f, 0xae, 2, op_ldmxcsr, NULL, D_MODRM | D_MEMONLY | D_SZ(SZ_4));
    op_set_group(optab0f, 0xae, 3, op_stmxcsr, NULL, D_MODRM | D_MEMONLY | D_MSTORE | D_SZ(SZ_4));
}
