/* i386 signal frames as an x86_64 kernel builds them for 32-bit programs
 * (arch/x86/kernel/signal_32.c, asm/sigframe.h): sigframe_ia32 for plain
 * handlers, rt_sigframe_ia32 for SA_SIGINFO, each followed by the FPU state
 * (fsave-format header, then the FXSAVE/XSAVE image aligned to 64 bytes, as
 * fpu__alloc_mathframe places it). Checked byte for byte against native
 * frames on the host. */
#include <cpuid.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"
#include "../mem/uaccess.h"
#include "../cpu/x87.h"
#include "../cpu/sse.h"
#include "../loader/loader.h"

/* sigcontext_32, as 22 words */
enum {
    SC_GS, SC_FS, SC_ES, SC_DS, SC_EDI, SC_ESI, SC_EBP, SC_ESP, SC_EBX, SC_EDX, SC_ECX, SC_EAX,
    SC_TRAPNO, SC_ERR, SC_EIP, SC_CS, SC_EFLAGS, SC_ESP_AT_SIGNAL, SC_SS, SC_FPSTATE, SC_OLDMASK,
    SC_CR2, SC_WORDS
};
#define SC_SIZE (SC_WORDS * 4)

/* sigframe_ia32: pretcode, sig, sc, fpstate_unused (struct _fpstate_32), extramask, retcode */
#define FPSTATE32_SIZE 624
#define SF_SC 8
#define SF_EXTRAMASK (SF_SC + SC_SIZE + FPSTATE32_SIZE)
#define SF_RETCODE (SF_EXTRAMASK + 4)
#define SF_SIZE (SF_RETCODE + 8)
/* rt_sigframe_ia32: pretcode, sig, pinfo, puc, info, uc {flags, link, stack, mcontext, sigmask}, retcode */
#define RT_INFO 16
#define RT_UC (RT_INFO + I386_SIGINFO_SIZE)
#define UC_STACK 8
#define UC_MCONTEXT 20
#define UC_SIGMASK (UC_MCONTEXT + SC_SIZE)
#define RT_RETCODE (RT_UC + UC_SIGMASK + 8)
#define RT_SIZE (RT_RETCODE + 8)
_Static_assert(SF_SIZE == 732 && RT_SIZE == 268, "i386 frame sizes");

#define FSAVE_HDR 112          /* struct fregs_state: the 108-byte image + status, magic */
#define XSTATE_MAGIC1 0x46505853u  /* fpx_sw_bytes.magic1 */
#define XSTATE_MAGIC2 0x46505845u  /* after the XSAVE area */
#define I386_SA_RESTORER 0x04000000u
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)
#endif
#define UC_FP_XSTATE 1u
#define FIX_EFLAGS 0x50dd5u    /* AC OF DF TF SF ZF AF PF CF RF: what sigreturn may change */

/* The host kernel's signal FPU frame: XSAVE size and features, or 0 (FXSAVE only). */
static uint32_t xstate_size, xfeatures;

static void host_probe(int sig, siginfo_t *si, void *ucv)
{
    const ucontext_t *uc = ucv;
    const uint8_t *fx = (const uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t sw[5];   /* struct _fpx_sw_bytes: magic1, extended_size, xfeatures (u64), xstate_size */
    if (!fx) return;
    memcpy(sw, fx + 464, sizeof sw);
    if (sw[0] == XSTATE_MAGIC1) { xfeatures = sw[2]; xstate_size = sw[4]; }
}

/* Does the host's XRSTOR put MXCSR to its init value (0x1f80) when the SSE
 * component is to be initialized (XSTATE_BV[1] = 0), rather than load it
 * from the image whenever SSE is requested? CPUs differ (this AMD EPYC
 * does the first). The kernel restores an ia32 frame with XRSTORS where
 * the CPU has it, so the question is asked in the compacted form then. */
static bool mxcsr_init_without_sse;

static void probe_xrstor_mxcsr(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return;
    __cpuid_count(0xd, 1, a, b, c, d);
    bool compact = (a & 2) && (a & 8);   /* XSAVEC and XSAVES */
    static uint8_t area[576] __attribute__((aligned(64)));
    uint32_t saved, now;
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    memset(area, 0, sizeof area);
    __asm__ volatile("fxsave %0" : "=m"(area) : : "memory");
    uint32_t flipped = saved ^ 0x6000;   /* another rounding control: always valid */
    uint64_t bv = 1, comp = compact ? (1ull << 63) | 3 : 0;   /* FP from the image, SSE to init */
    memcpy(area + 24, &flipped, 4);
    memcpy(area + 512, &bv, 8);
    memcpy(area + 520, &comp, 8);
    __asm__ volatile("xrstor %0" : : "m"(area), "a"(3), "d"(0)
                     : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                       "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    __asm__ volatile("stmxcsr %0" : "=m"(now));
    __asm__ volatile("ldmxcsr %0" : : "m"(saved));
    mxcsr_init_without_sse = now != flipped;
}

void sigframe_init(void)
{
    probe_xrstor_mxcsr();
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = host_probe;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);
    sigset_t one, prev;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &one, &prev);
    sigaction(SIGUSR2, &sa, &old);
    raise(SIGUSR2);
    sigaction(SIGUSR2, &old, NULL);
    sigprocmask(SIG_SETMASK, &prev, NULL);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* The full tag of one register from its FXSAVE slot (SDM vol.1 8.1.7). */
static uint32_t tag_of(const uint8_t *reg)
{
    uint16_t exp = get16(reg + 8) & 0x7fff;
    uint64_t man;
    memcpy(&man, reg, 8);
    if (exp == 0x7fff) return 2;
    if (exp == 0) return man ? 2 : 1;
    return (man >> 63) ? 0 : 2;
}

/* The fsave-format header from an FXSAVE image (the x86_64 kernel's
 * convert_from_fxsr: its 64-bit FXSAVE has no selectors, so FCS is the
 * current CS and FOS the current DS). */
static void fsave_from_fxsave(uint8_t *h, const uint8_t *fx, uint16_t cs, uint16_t ds)
{
    uint32_t top = (get16(fx + 2) >> 11) & 7, tw = 0;
    for (int p = 0; p < 8; p++) {
        uint32_t t = 3;
        if (fx[4] & (1u << p)) t = tag_of(fx + 32 + 16 * ((p - top) & 7));
        tw |= t << (2 * p);
    }
    put32(h + 0, get16(fx + 0) | 0xffff0000u);
    put32(h + 4, get16(fx + 2) | 0xffff0000u);
    put32(h + 8, tw | 0xffff0000u);
    put32(h + 12, get32(fx + 8));
    put32(h + 16, cs);
    put32(h + 20, get32(fx + 16));
    put32(h + 24, ds | 0xffff0000u);
    for (int k = 0; k < 8; k++) memcpy(h + 28 + 10 * k, fx + 32 + 16 * k, 10);
    memcpy(h + 108, fx + 2, 2);                 /* status */
    h[110] = h[111] = 0;                        /* magic: X86_FXSR_MAGIC */
}

/* Fold the header's x87 environment and registers into the FXSAVE image (convert_to_fxsr). */
static void fxsave_from_fsave(uint8_t *fx, const uint8_t *h)
{
    uint32_t tw = get32(h + 8);
    uint8_t abridged = 0;
    for (int p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3) != 3) abridged |= 1u << p;
    memcpy(fx + 0, h + 0, 2);
    memcpy(fx + 2, h + 4, 2);
    fx[4] = abridged;
    uint16_t fop = (uint16_t)(get32(h + 16) >> 16);
    memcpy(fx + 6, &fop, 2);
    memcpy(fx + 8, h + 12, 4);
    memcpy(fx + 12, h + 16, 2);
    memcpy(fx + 16, h + 20, 4);
    memcpy(fx + 20, h + 24, 2);
    for (int k = 0; k < 8; k++) memcpy(fx + 32 + 16 * k, h + 28 + 10 * k, 10);
}

static uint32_t fx_area_size(void) { return xstate_size ? xstate_size + 4 : 512; }

/* Writes the FPU state for a frame whose fpstate pointer is fp; false on EFAULT. */
static bool put_fpstate(struct cpu *c, guest_addr fp)
{
    uint32_t size = fx_area_size();
    uint8_t *buf = calloc(1, FSAVE_HDR + size);   /* built in host memory, written once */
    if (!buf) return false;
    uint8_t *fx = buf + FSAVE_HDR;
    x87_save_fxsave(c, fx);
    memset(fx + 288, 0, 512 - 288);
    memset(fx + 12, 0, 4);      /* the kernel's FXSAVE64: 64-bit FIP and FDP, no selectors */
    memset(fx + 20, 0, 4);
    fsave_from_fxsave(buf, fx, c->sreg[SEG_CS], c->sreg[SEG_DS]);
    if (xstate_size) {
        put32(fx + 464, XSTATE_MAGIC1);
        put32(fx + 468, FSAVE_HDR + xstate_size + 4);   /* extended_size */
        put32(fx + 472, xfeatures);
        put32(fx + 480, xstate_size);
        put32(fx + 512, 3);                             /* xstate_bv: x87 and SSE in use */
        put32(fx + xstate_size, XSTATE_MAGIC2);
    }
    bool ok = !ua_write(fp, buf, FSAVE_HDR + size);
    free(buf);
    return ok;
}

/* The FPU state as an i386 core shows it: the 108-byte fsave image
 * (NT_PRFPREG, user_i387_ia32_struct) and the FXSAVE one (NT_PRXFPREG). */
void sigframe_fpu_regs(struct cpu *c, uint8_t fsave[108], uint8_t fx[512])
{
    uint8_t h[FSAVE_HDR];
    x87_save_fxsave(c, fx);
    fsave_from_fxsave(h, fx, c->sreg[SEG_CS], c->sreg[SEG_DS]);
    memcpy(fsave, h, 108);
}

/* __on_sig_stack: sp above the base, at most the size above it */
static bool in_altstack(const struct i386_stack *ss, uint32_t sp)
{
    return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* on_sig_stack: never with SS_AUTODISARM */
static bool on_altstack(const struct i386_stack *ss, uint32_t sp)
{
    return !(ss->ss_flags & SS_AUTODISARM) && in_altstack(ss, sp);
}

static void put_sigcontext(struct cpu *c, uint8_t *p, guest_addr fp, uint32_t oldmask,
                           const struct sig_trap *t)
{
    uint32_t w[SC_WORDS] = {
        [SC_GS] = c->sreg[SEG_GS], [SC_FS] = c->sreg[SEG_FS], [SC_ES] = c->sreg[SEG_ES],
        [SC_DS] = c->sreg[SEG_DS], [SC_EDI] = c->r[EDI], [SC_ESI] = c->r[ESI],
        [SC_EBP] = c->r[EBP], [SC_ESP] = c->r[ESP], [SC_EBX] = c->r[EBX], [SC_EDX] = c->r[EDX],
        [SC_ECX] = c->r[ECX], [SC_EAX] = c->r[EAX], [SC_TRAPNO] = t->trapno, [SC_ERR] = t->err,
        [SC_EIP] = c->eip, [SC_CS] = c->sreg[SEG_CS], [SC_EFLAGS] = (flags_get(c) & ~F_RF) | (t->fault ? F_RF : 0),
        [SC_ESP_AT_SIGNAL] = c->r[ESP], [SC_SS] = c->sreg[SEG_SS], [SC_FPSTATE] = fp,
        [SC_OLDMASK] = oldmask, [SC_CR2] = t->cr2,
    };
    memcpy(p, w, sizeof w);
}

bool sigframe_setup(struct cpu *c, const struct sig_delivery *d)
{
    const struct guest_sigaction *act = d->act;
    struct i386_stack *ss = signal_altstack_state();
    bool rt = act->flags & SA_SIGINFO;
    uint32_t sp = c->r[ESP];
    bool nested = on_altstack(ss, sp), onstack = false;
    if ((act->flags & SA_ONSTACK) && ss->ss_size && !nested) {   /* sas_ss_flags(sp) == 0 */
        sp = ss->ss_sp + ss->ss_size;
        onstack = true;
    }
    guest_addr fp = ((sp - fx_area_size()) & ~63u) - FSAVE_HDR;
    uint32_t size = rt ? RT_SIZE : SF_SIZE;
    guest_addr frame = ((fp - size + 4) & ~15u) - 4;
    if (onstack && !in_altstack(ss, frame)) return false;
    /* the frame is built over a copy of the stack bytes it covers (the
     * kernel leaves the gaps between its fields alone), then written once */
    uint8_t f[SF_SIZE > RT_SIZE ? SF_SIZE : RT_SIZE];
    if (ua_read(f, frame, size) || !put_fpstate(c, fp)) return false;

    /* no SA_RESTORER: the vDSO's trampoline, else the frame's own retcode (as the kernel) */
    guest_addr retcode = vdso_base ? (rt ? vdso_rt_sigreturn : vdso_sigreturn)
                                   : frame + (rt ? RT_RETCODE : SF_RETCODE);
    put32(f + 0, (act->flags & I386_SA_RESTORER) ? act->restorer : retcode);
    put32(f + 4, (uint32_t)d->sig);
    if (rt) {
        static const uint8_t code[8] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0 }; /* movl $rt_sigreturn,%eax; int $0x80 */
        put32(f + 8, frame + RT_INFO);
        put32(f + 12, frame + RT_UC);
        memcpy(f + RT_INFO, d->info, I386_SIGINFO_SIZE);
        uint8_t *uc = f + RT_UC;
        put32(uc + 0, xstate_size ? UC_FP_XSTATE : 0);
        put32(uc + 4, 0);
        memcpy(uc + UC_STACK, ss, 12);
        put_sigcontext(c, uc + UC_MCONTEXT, fp, (uint32_t)d->mask, d->trap);
        memcpy(uc + UC_SIGMASK, &d->mask, 8);
        memcpy(f + RT_RETCODE, code, 8);
        if (ss->ss_flags & SS_AUTODISARM) *ss = (struct i386_stack){ 0, SS_DISABLE, 0 };   /* sas_ss_reset */
    } else {
        static const uint8_t code[8] = { 0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80 }; /* popl %eax; movl $sigreturn,%eax; int $0x80 */
        put_sigcontext(c, f + SF_SC, fp, (uint32_t)d->mask, d->trap);
        memset(f + SF_SC + SC_SIZE, 0, FPSTATE32_SIZE);
        put32(f + SF_EXTRAMASK, (uint32_t)(d->mask >> 32));
        memcpy(f + SF_RETCODE, code, 8);
    }
    if (ua_write(frame, f, size)) return false;

    /* the handler's entry state (ia32_setup_rt_frame, then fpu__clear_user_states) */
    c->r[ESP] = frame;
    c->eip = act->handler;
    c->r[EAX] = (uint32_t)d->sig;
    c->r[EDX] = rt ? frame + RT_INFO : 0;
    c->r[ECX] = rt ? frame + RT_UC : 0;
    flags_set(c, 0, F_DF | F_TF | F_RF);
    if (c->sreg[SEG_DS] != 0x2b) load_sreg(c, SEG_DS, 0x2b);
    if (c->sreg[SEG_ES] != 0x2b) load_sreg(c, SEG_ES, 0x2b);
    if (c->sreg[SEG_SS] != 0x2b) load_sreg(c, SEG_SS, 0x2b);
    if (c->seg_mode & (SEGM_CS | SEGM_CS16) || c->sreg[SEG_CS] != 0x23) cs_load_flat(c);   /* __USER32_CS */
    x87_reinit(c);
    c->mxcsr = 0x1f80;
    memset(c->xmm, 0, sizeof c->xmm);
    return true;
}

/* A fresh FPU (fpu__clear_user_states): no fpstate, or one that failed. */
static void fpu_clear(struct cpu *c)
{
    x87_reinit(c);
    sse_mxcsr_sync(c);
    c->mxcsr = 0x1f80;
    memset(c->xmm, 0, sizeof c->xmm);
}

/* XSAVE state components past SSE in use in a frame: each must be readable
 * where CPUID leaf 0xd places it (copy_uabi_to_xstate). */
static bool xfeatures_readable(guest_addr fx, uint64_t xf)
{
    for (unsigned i = 2; i < 64; i++) {
        if (!(xf >> i & 1)) continue;
        unsigned a, b, cc, d;
        __cpuid_count(0xd, i, a, b, cc, d);
        uint8_t tmp[256];
        for (uint32_t off = 0; off < a; off += sizeof tmp) {
            uint32_t n = a - off < sizeof tmp ? a - off : (uint32_t)sizeof tmp;
            if (ua_read(tmp, fx + b + off, n)) return false;
        }
    }
    return true;
}

/* The FPU state at fp, judged as __fpu_restore_sig judges an ia32 frame
 * (arch/x86/kernel/fpu/signal.c): false when it cannot be read or is
 * invalid (xsave header reserved bits, unknown features, compacted
 * format, MXCSR reserved bits); the FPU is then reset. A bad magic1 or
 * magic2 only means "FXSAVE image only" (check_xstate_in_sigframe). */
static bool get_fpstate(struct cpu *c, guest_addr fp)
{
    if (!fp) {
        fpu_clear(c);
        return true;
    }
    guest_addr fxa = fp + FSAVE_HDR;
    uint8_t hdr[FSAVE_HDR], fx[512];
    uint32_t sw[12];   /* struct _fpx_sw_bytes: magic1, extended_size, xfeatures (u64), xstate_size, padding */
    uint64_t xf = 3, eff = 3;   /* FP and SSE: in the image, and restored */
    bool xsave = false;
    if (xstate_size) {
        if (ua_read(sw, fxa + 464, sizeof sw)) goto bad;
        if (sw[0] == XSTATE_MAGIC1 && sw[4] >= 512 + 64 && sw[4] <= xstate_size && sw[4] <= sw[1]) {
            uint32_t magic2;
            if (ua_read(&magic2, fxa + sw[4], 4)) goto bad;
            xsave = magic2 == XSTATE_MAGIC2;
        }
    }
    if (ua_read(hdr, fp, FSAVE_HDR)) goto bad;
    if (xsave) {
        uint8_t xh[64];   /* xstate_header: xfeatures, xcomp_bv, 48 reserved bytes */
        uint64_t xcomp;
        if (ua_read(xh, fxa + 512, sizeof xh)) goto bad;
        memcpy(&xf, xh, 8);
        memcpy(&xcomp, xh + 8, 8);
        if ((xf & ~(uint64_t)xfeatures) || xcomp) goto bad;
        for (int k = 16; k < 64; k++)
            if (xh[k]) goto bad;
        uint8_t cur[512], init[512];
        x87_save_fxsave(c, cur);
        fpu_clear(c);
        x87_save_fxsave(c, init);
        memcpy(fx, init, sizeof fx);          /* components the header leaves out: init state */
        memcpy(fx + 24, cur + 24, 4);         /* MXCSR without FP/SSE/YMM: what the kernel held */
        if (xf & 7) {
            uint32_t mx;
            if (ua_read(&mx, fxa + 24, 4)) goto bad;
            if (mx & ~x87_mxcsr_mask()) goto bad;
            memcpy(fx + 24, &mx, 4);
        }
        uint32_t mx = get32(fx + 24);
        if ((xf & 1) && ua_read(fx, fxa, 160)) goto bad;
        if ((xf & 2) && ua_read(fx + 160, fxa + 160, 256)) goto bad;
        memcpy(fx + 24, &mx, 4);
        if (!xfeatures_readable(fxa, xf)) goto bad;
        /* the header's features not in fpx_sw_bytes.xfeatures go to their
         * init state (header.xfeatures &= user_xfeatures before XRSTOR) */
        eff = xf & ((uint64_t)sw[3] << 32 | sw[2]);
        if (!(eff & 1)) {
            memcpy(fx, init, 24);
            memcpy(fx + 32, init + 32, 128);
        }
        if (!(eff & 2)) {
            memcpy(fx + 160, init + 160, 256);
            if (mxcsr_init_without_sse) memcpy(fx + 24, init + 24, 4);
        }
    } else {
        if (ua_read(fx, fxa, 512)) goto bad;
        if (get32(fx + 24) & ~x87_mxcsr_mask()) goto bad;   /* rejected on x86_64, not masked */
    }
    if (eff & 1) fxsave_from_fsave(fx, hdr);
    if (x87_load_fxsave(c, fx)) return true;
bad:
    fpu_clear(c);
    return false;
}

/* Restore the alternate stack from uc_stack (restore_altstack: do_sigaltstack,
 * errors other than EFAULT ignored). */
static void restore_altstack(struct cpu *c, const uint8_t *p)
{
    struct i386_stack n;
    memcpy(&n, p, sizeof n);
    signal_set_altstack(&n, c->r[ESP]);
}

/* A data selector from the frame, as the kernel's reload_segments and the
 * IRET back to user mode treat it: RPL forced to 3, loaded only when it
 * differs from the current one; one that does not load is replaced by the
 * null selector, and a null selector reads 0 after the IRET. */
static void reload_data_sreg(struct cpu *c, int s, uint32_t frame_sel)
{
    uint16_t sel = (uint16_t)(frame_sel | 3);
    if (sel != c->sreg[s] && !load_sreg_ok(c, s, sel)) load_sreg_ok(c, s, 0);
    if (!(c->sreg[s] & 0xfffc)) c->sreg[s] = 0;
}

/* sigreturn and rt_sigreturn as arch/x86/kernel/signal_32.c judges the
 * frame: the mask first (set_current_blocked), then ia32_restore_sigcontext
 * (registers, data selectors, the FPU state last), then the IRET back to
 * user mode, which faults with #GP(selector) on a CS or SS it cannot load. */
enum sigret sigframe_restore(struct cpu *c, bool rt, uint64_t *mask, uint32_t *gp_err)
{
    guest_addr frame = c->r[ESP] - (rt ? 4 : 8);
    uint32_t size = rt ? RT_SIZE : SF_SIZE;
    uint8_t f[SF_SIZE];
    if (ua_read(f, frame, size)) return SIGRET_NO_FRAME;
    const uint8_t *sc = f + (rt ? RT_UC + UC_MCONTEXT : SF_SC);
    uint32_t w[SC_WORDS];
    memcpy(w, sc, sizeof w);
    if (rt) memcpy(mask, f + RT_UC + UC_SIGMASK, 8);
    else *mask = (uint64_t)get32(f + SF_EXTRAMASK) << 32 | w[SC_OLDMASK];
    c->r[EDI] = w[SC_EDI]; c->r[ESI] = w[SC_ESI]; c->r[EBP] = w[SC_EBP]; c->r[ESP] = w[SC_ESP];
    c->r[EBX] = w[SC_EBX]; c->r[EDX] = w[SC_EDX]; c->r[ECX] = w[SC_ECX]; c->r[EAX] = w[SC_EAX];
    c->eip = w[SC_EIP];
    /* RF would hold off instruction breakpoints for one instruction, and is
     * then clear: nothing ue shows */
    flags_set(c, w[SC_EFLAGS], FIX_EFLAGS & ~F_RF);
    reload_data_sreg(c, SEG_GS, w[SC_GS]);
    reload_data_sreg(c, SEG_FS, w[SC_FS]);
    reload_data_sreg(c, SEG_DS, w[SC_DS]);
    reload_data_sreg(c, SEG_ES, w[SC_ES]);
    if (!get_fpstate(c, w[SC_FPSTATE])) return SIGRET_BAD_FRAME;
    if (rt) restore_altstack(c, f + RT_UC + UC_STACK);
    /* CS|3 and SS|3 go back through IRET: the flat 32-bit code segment or
     * an LDT one (system.c far_cs_load); CS is checked before SS; a null
     * selector faults with code 0 */
    uint16_t cs = (uint16_t)(w[SC_CS] | 3), ss = (uint16_t)(w[SC_SS] | 3);
    bool cs_ok = cs == c->sreg[SEG_CS] || far_cs_load_ok(c, cs, c->eip);
    if ((ss & 4) && (!cs_ok || !load_sreg_ok(c, SEG_SS, ss))) {
        *gp_err = 0;   /* an LDT SS returns through espfix64: natively #GP(0), whatever CS is */
        return SIGRET_BAD_IRET;
    }
    if (!cs_ok) {
        *gp_err = cs & 0xfffc;
        return SIGRET_BAD_IRET;
    }
    if (ss != c->sreg[SEG_SS] && !load_sreg_ok(c, SEG_SS, ss)) {
        *gp_err = ss & 0xfffc;
        return SIGRET_BAD_IRET;
    }
    return SIGRET_OK;
}
