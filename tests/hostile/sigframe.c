/* Forged signal frames (make fuzz-sigframe): each case runs in a forked
 * child, which either corrupts its own ucontext/sigcontext from inside a
 * SIGUSR1 handler (registers, EFLAGS, segment selectors, EIP, ESP, the
 * fpstate pointer and contents, the signal mask) or builds a frame from
 * scratch and calls rt_sigreturn/sigreturn on it directly. What follows is
 * printed: the registers, x87/SSE control state and signal mask seen after
 * the return, or the fault (signal, code, address, EIP, trap number, error
 * code) reported by a handler on an alternate stack. The parent prints how
 * the child ended. Run natively and under ue by run.sh; outputs must match.
 *
 * usage: sigframe SEED COUNT [SKIP]   (SKIP: comma-separated case kinds, see enum kind)
 * Addresses that differ natively and under ue (the stack) are printed as "stack". */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>

#include "common.h"

#define AR      0x32000000u      /* page 0 RW, page 1 RO, page 2 unmapped, page 3 RW (no exec) */
#define P(a)    ((void *)(uintptr_t)(a))

enum kind { K_REGS, K_EFLAGS, K_SEG, K_EIP, K_ESP, K_FPPTR, K_FPDATA, K_MASK, K_RT_BUILT, K_OLD_BUILT, NKIND };
static const char *const kind_name[] = { "regs", "eflags", "seg", "eip", "esp", "fpptr", "fpdata", "mask",
                                         "rt_sigreturn", "sigreturn" };

/* Shared with the assembly below. */
uint32_t in_regs[8];            /* eax ebx ecx edx esi edi ebp, then esp (0: keep) */
uint32_t saved_esp, saved_gs, saved_fs, saved_ds, saved_es;
struct cap { uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags, cs, ss, ds, es, fs, gs, fcw, fsw, mxcsr, xmm0; } cap;
uint32_t cap_stack[512];
void probe(void);
void probe_after(void);
void fix_segments(void);

__asm__(
    ".text\n"
    ".globl probe\n"
    "probe:\n"
    "  pushl %ebp; pushl %ebx; pushl %esi; pushl %edi\n"
    "  movl %esp, saved_esp\n"
    "  movl in_regs+4, %ebx; movl in_regs+8, %ecx; movl in_regs+12, %edx\n"
    "  movl in_regs+16, %esi; movl in_regs+20, %edi; movl in_regs+24, %ebp\n"
    "  cmpl $0, in_regs+28; je 1f; movl in_regs+28, %esp\n"
    "1: movl in_regs, %eax\n"
    "  int $0x80\n"
    ".globl probe_after\n"
    "probe_after:\n"
    /* capture first: no stack until ESP is our own again */
    "  movl %eax, cap; movl %ebx, cap+4; movl %ecx, cap+8; movl %edx, cap+12\n"
    "  movl %esi, cap+16; movl %edi, cap+20; movl %ebp, cap+24; movl %esp, cap+28\n"
    "  movl $cap_stack+2048, %esp\n"
    "  pushfl; popl cap+32\n"
    "  pushl $0x202; popfl\n"                      /* TF, DF, AC off before C code runs */
    "  movw %cs, cap+36; movw %ss, cap+40; movw %ds, cap+44; movw %es, cap+48\n"
    "  movw %fs, cap+52; movw %gs, cap+56\n"
    "  fnstcw cap+60; fnstsw cap+64; stmxcsr cap+68; movd %xmm0, cap+72\n"
    "  call fix_segments\n"
    "  movl saved_esp, %esp\n"
    "  popl %edi; popl %esi; popl %ebx; popl %ebp\n"
    "  ret\n"
    /* the selectors glibc needs (TLS through %gs), back as they were */
    ".globl fix_segments\n"
    "fix_segments:\n"
    "  movl saved_ds, %eax; movw %ax, %ds; movw %ax, %ss\n"
    "  movl saved_es, %eax; movw %ax, %es\n"
    "  movl saved_fs, %eax; movw %ax, %fs\n"
    "  movl saved_gs, %eax; movw %ax, %gs\n"
    "  ret\n");

static int kind;
static uint32_t stack_ref;       /* an address on the real stack: near it means "stack" */

static const uint32_t bad_addrs[] = { 0, 0xfffff000, 0xffffffff, 0xc0000000, AR + 0x2000, AR + 0x3000, AR + 0x1000,
                                      AR + 0x1ffc, 0xffffe000, 0x1000 };

/* Near the real stack (which lies elsewhere natively and under ue): not printed. */
static void hexline(const char *tag, uint32_t v)
{
    int stack = v >= 0x10000 && v - stack_ref + 0x40000u < 0x80000u;
    for (unsigned i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++)
        if (v == bad_addrs[i]) stack = 0;
    if (stack) out("  %s=stack\n", tag);
    else out("  %s=%08x\n", tag, v);
}

/* A fault after the return: report it, from the alternate stack. */
static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    fix_segments();
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    out("  fault sig=%d code=%d\n", sig, si->si_code);
    hexline("addr", (uint32_t)(uintptr_t)si->si_addr);
    out("  eip=%08x\n", (unsigned)g[REG_EIP]);
    out("  trapno=%d err=%x\n", (int)g[REG_TRAPNO], (unsigned)g[REG_ERR]);
    syscall(SYS_exit_group, 100 + sig);
}

static uint32_t pick_selector(void)
{
    static const uint32_t v[] = { 0, 1, 3, 0x23, 0x2b, 0x6b, 0x73, 0xffff, 0x10, 0x18, 0x4, 0x7, 0x83 };
    uint32_t s = chance(80) ? PICK(v) : rnd() & 0xffff;
    /* Not 0x33 (the 64-bit code segment: natively a jump out of i386), 0x63 (TLS:
     * its base moves per run) or 0x7b (the per-CPU segment: its limit is the CPU number). */
    return (s | 3) == 0x33 || (s & ~3u) == 0x60 || (s & ~3u) == 0x78 ? 0x2b : s;
}

static uint32_t pick_addr(void) { return PICK(bad_addrs); }

/* The changes a case makes, chosen before the signal so the handler only applies them. */
static uint32_t set_reg[19], set_mask[19];
static uint32_t fp_ptr_mode, fp_flips, fp_off[8], fp_val[8], new_sigmask[2], mask_set;

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    for (int i = 0; i < 19; i++)
        if (set_mask[i]) g[i] = set_reg[i];
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    if (kind == K_FPDATA && fp)
        for (uint32_t i = 0; i < fp_flips; i++) {
            if (fp_off[i] & 0x80000000u) fp[fp_off[i] & 0xffff] = (uint8_t)fp_val[i];
            else memcpy(fp + fp_off[i], &fp_val[i], 4);
        }
    if (kind == K_FPPTR) {
        uint32_t v = (uint32_t)(uintptr_t)fp;
        switch (fp_ptr_mode) {
        case 0: v = 0; break;
        case 1: v += 4; break;                                   /* misaligned real state */
        case 2: v = AR + 0x100; break;                           /* garbage in RW */
        case 3: v = AR + 0x1000; break;                          /* read-only garbage */
        case 4: v = AR + 0x2000; break;                          /* unmapped */
        case 5: v = AR + 0x1f00; break;                          /* runs into the unmapped page */
        case 6: memcpy(P(AR + 0x400), fp, 1024); v = AR + 0x400; break;   /* a copy elsewhere */
        default: v = 0xfffff000; break;
        }
        uc->uc_mcontext.fpregs = P(v);
    }
    if (mask_set) memcpy(&uc->uc_sigmask, new_sigmask, 8);
}

/* Byte offsets into the i386 _fpstate: the fields a forger would pick. */
static const uint32_t fp_fields[] = {
    0, 4, 8, 108, 110,               /* legacy cw, sw, tag, status, magic (0xffff: no FXSR data) */
    112, 114, 116, 136, 140,         /* fxsave fcw, fsw, ftw, mxcsr, mxcsr_mask */
    144, 272, 576, 580, 584, 592,    /* st0, xmm0, sw_reserved: magic1, extended_size, xfeatures, xstate_size */
    624, 632, 640,                   /* xsave header: xfeatures, xcomp_bv, reserved */
};

/* A frame built from scratch: sigcontext at sc, then what follows it. */
static void build_sigcontext(uint32_t *sc)
{
    sc[0] = saved_gs; sc[1] = saved_fs; sc[2] = saved_es; sc[3] = saved_ds;
    for (int i = 4; i < 12; i++) sc[i] = chance(70) ? 0x1000 * i + 0x11 : rnd();   /* edi..eax */
    sc[7] = chance(70) ? AR + 0x3800 : pick_addr();      /* esp */
    sc[12] = rn(32); sc[13] = rnd();                     /* trapno, err: ignored */
    sc[14] = chance(80) ? (uint32_t)(uintptr_t)probe_after : pick_addr();
    uint32_t cs, ss;
    __asm__("movl %%cs, %0; movl %%ss, %1" : "=r"(cs), "=r"(ss));
    sc[15] = chance(85) ? cs : pick_selector();
    sc[16] = chance(60) ? 0x202 | (rnd() & 0x8d5) : rnd();
    sc[17] = rnd();                                      /* esp_at_signal: ignored */
    sc[18] = chance(85) ? ss : pick_selector();
    sc[19] = chance(60) ? 0 : chance(50) ? AR + 0x400 : pick_addr();   /* fpstate */
    sc[20] = chance(70) ? 0 : rnd();                     /* oldmask */
    sc[21] = rnd();                                      /* cr2 */
    if (chance(30)) sc[rn(4)] = pick_selector();
    /* A flipped byte, never in EIP (a jump back into probe re-runs the sigreturn
     * for ever) nor in the fpstate pointer (it could point into the randomized
     * native stack, mapped in one run and not in the next). */
    if (chance(20)) {
        uint32_t b = rn(80);
        b = b < 56 ? b : b < 72 ? b + 4 : b + 8;
        ((uint8_t *)sc)[b] ^= (uint8_t)rnd();
    }
}

static uint32_t pid_now;

/* Values that hold the pid (tgkill's arguments stay in ebx/ecx) differ per
 * run (only EBX and ECX of a signal-mode case hold it); only ESP may hold a stack address (a random EDI may fall near the
 * randomized native stack, so no other register is masked). */
static void regline(const char *tag, uint32_t v)
{
    int pid_reg = (!strcmp(tag, "ebx") && !set_mask[REG_EBX]) || (!strcmp(tag, "ecx") && !set_mask[REG_ECX]);
    if (pid_reg && kind != K_RT_BUILT && kind != K_OLD_BUILT && v == pid_now) out("  %s=pid\n", tag);
    else if (!strcmp(tag, "esp")) hexline(tag, v);
    else out("  %s=%08x\n", tag, v);
}

static void run_case(long idx, int k)
{
    memset(in_regs, 0, sizeof in_regs);
    memset(set_mask, 0, sizeof set_mask);
    fp_flips = 0; mask_set = 0;
    kind = k;
    pid_now = getpid();
    in_regs[4] = 0x51515151; in_regs[5] = 0xd1d1d1d1; in_regs[6] = 0xb0b0b0b0;
    in_regs[0] = SYS_tgkill; in_regs[1] = getpid(); in_regs[2] = getpid(); in_regs[3] = SIGUSR1;
    /* garbage in the arena for pointers to point at */
    for (int i = 0; i < 0x400; i++) ((uint32_t *)P(AR))[i] = rnd();
    switch (kind) {
    case K_REGS:
        for (int r = REG_EDI; r <= REG_EAX; r++)
            if (r != REG_ESP && chance(60)) { set_mask[r] = 1; set_reg[r] = rnd(); }
        break;
    case K_EFLAGS:
        set_mask[REG_EFL] = 1;
        set_reg[REG_EFL] = chance(30) ? rnd() : (rnd() & ~0x40100u) | 0x202;    /* mostly without TF and AC */
        break;
    case K_SEG: {
        static const int segs[] = { REG_GS, REG_FS, REG_ES, REG_DS, REG_CS, REG_SS };
        for (int n = 1 + rn(2); n > 0; n--) { int r = PICK(segs); set_mask[r] = 1; set_reg[r] = pick_selector(); }
        break;
    }
    case K_EIP: set_mask[REG_EIP] = 1; set_reg[REG_EIP] = pick_addr(); break;
    case K_ESP: set_mask[REG_ESP] = 1; set_reg[REG_ESP] = pick_addr(); break;
    case K_FPPTR: fp_ptr_mode = rn(8); break;
    case K_FPDATA:
        fp_flips = 1 + rn(3);
        for (uint32_t i = 0; i < fp_flips; i++) {
            fp_off[i] = chance(70) ? PICK(fp_fields) : (rn(700) | 0x80000000u);
            fp_val[i] = chance(50) ? rnd() : PICK(((uint32_t[]){ 0, 0xffff, 0xffffffff, 0x46505853, 0x1f80, 0x37f, 3, 7 }));
        }
        break;
    case K_MASK:
        mask_set = 1;
        new_sigmask[0] = rnd() & ~(1u << (SIGUSR1 - 1)); new_sigmask[1] = rnd();
        break;
    case K_RT_BUILT: case K_OLD_BUILT: {
        /* rt_sigreturn reads the frame at esp-4: ucontext at +144, sigcontext at +164, mask at +252.
         * sigreturn reads it at esp-8: sigcontext at +8, extramask at +720. */
        uint32_t f = AR + 0x3000, *fr = P(f);
        memset(fr, 0, 0x1000);
        if (kind == K_RT_BUILT) {
            build_sigcontext(P(f + 164));
            fr[63] = chance(80) ? 0 : rnd(); fr[64] = 0;         /* uc_sigmask */
            fr[36] = chance(80) ? 0 : rnd();                     /* uc_flags */
            fr[38] = 0; fr[39] = chance(80) ? 2 /* SS_DISABLE */ : rnd(); fr[40] = rnd();   /* uc_stack */
            in_regs[0] = SYS_rt_sigreturn; in_regs[7] = f + 4;
        } else {
            build_sigcontext(P(f + 8));
            fr[180] = chance(80) ? 0 : rnd();                    /* extramask */
            in_regs[0] = SYS_sigreturn; in_regs[7] = f + 8;
        }
        if (chance(10)) in_regs[7] = pick_addr();                /* the frame itself unreadable */
        break;
    }
    }
    /* what was forged, so a report reads as a reproducer */
    char what[256] = "";
    int w = 0;
    static const char *const gname[19] = { "gs", "fs", "es", "ds", "edi", "esi", "ebp", "esp", "ebx", "edx", "ecx",
                                           "eax", "trapno", "err", "eip", "cs", "eflags", "uesp", "ss" };
    for (int r = 0; r < 19; r++)
        if (set_mask[r] && w < 200) w += snprintf(what + w, sizeof what - w, " %s=%x", gname[r], set_reg[r]);
    if (kind == K_FPPTR) w += snprintf(what + w, sizeof what - w, " fpstate-mode=%u", fp_ptr_mode);
    for (uint32_t i = 0; i < fp_flips && w < 200; i++)
        w += snprintf(what + w, sizeof what - w, fp_off[i] & 0x80000000u ? " fp[%u].b=%x" : " fp[%u]=%x",
                      fp_off[i] & 0xffff, fp_off[i] & 0x80000000u ? fp_val[i] & 0xff : fp_val[i]);
    if (mask_set) w += snprintf(what + w, sizeof what - w, " mask=%08x%08x", new_sigmask[1], new_sigmask[0]);
    if (kind == K_RT_BUILT || kind == K_OLD_BUILT) {
        uint32_t *sc = P(AR + 0x3000 + (kind == K_RT_BUILT ? 164 : 8));
        w += snprintf(what + w, sizeof what - w, " esp-arg=%x sc: gs=%x fs=%x es=%x ds=%x eip=%x cs=%x eflags=%x ss=%x fpstate=%x",
                      in_regs[7], sc[0], sc[1], sc[2], sc[3], sc[14], sc[15], sc[16], sc[18], sc[19]);
    }
    out("case %ld %s%s\n", idx, kind_name[kind], what);
    probe();
    /* here only when the (forged) return came back to probe_after */
    out("  returned\n");
    static const char *const names[] = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eflags",
                                         "cs", "ss", "ds", "es", "fs", "gs", "fcw", "fsw", "mxcsr", "xmm0" };
    uint32_t *c = (uint32_t *)&cap;
    for (int i = 0; i < 19; i++) {
        uint32_t v = c[i];
        if (i >= 9 && i <= 16) v &= 0xffff;   /* selectors and x87 words: 16 bits stored */
        if (i == 8) v &= ~0x10000u;           /* RF: the kernel may leave it set on the way back */
        regline(names[i], v);
    }
    uint32_t m[2] = { 0, 0 };
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, m, 8);
    out("  mask=%08x%08x\n", m[1], m[0]);
}

int main(int argc, char **argv)
{
    if (argc < 3) { out("usage: sigframe SEED COUNT [SKIP]\n"); return 2; }
    uint64_t seed = parse_u64(argv[1]);
    long count = strtol(argv[2], NULL, 0);
    static char skip[NKIND];
    if (argc > 3)
        for (char *s = argv[3]; *s;) {
            long n = strtol(s, &s, 0);
            if (n >= 0 && n < NKIND) skip[n] = 1;
            if (*s) s++;
        }
    int allowed = 0;
    for (int k = 0; k < NKIND; k++) allowed += !skip[k];
    if (!allowed) { out("every kind is skipped\n"); return 2; }   /* the draw below would never end */
    if (mmap(P(AR), 0x4000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != P(AR)
        || munmap(P(AR + 0x2000), 0x1000) || mprotect(P(AR + 0x1000), 0x1000, PROT_READ)) {
        out("setup failed\n");
        return 2;
    }
    for (long i = 0; i < count; i++) {
        rng_seed(seed * 100003 + i);
        int k;
        do k = rn(NKIND); while (skip[k]);
        pid_t pid = fork();
        if (pid == 0) {
            int here;
            stack_ref = (uint32_t)(uintptr_t)&here;
            __asm__("movl %%gs, %0; movl %%fs, %1; movl %%ds, %2; movl %%es, %3"
                    : "=r"(saved_gs), "=r"(saved_fs), "=r"(saved_ds), "=r"(saved_es));
            static uint8_t alt[65536];
            stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
            sigaltstack(&ss, NULL);
            struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
            int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
            for (int k = 0; k < 5; k++) sigaction(fatal[k], &sa, NULL);
            struct sigaction su = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
            sigaction(SIGUSR1, &su, NULL);
            run_case(i, k);
            syscall(SYS_exit_group, 0);
        }
        int st2 = 0;
        waitpid(pid, &st2, 0);
        if (WIFEXITED(st2)) out("  exit %d\n", WEXITSTATUS(st2));
        else out("  killed by signal %d\n", WTERMSIG(st2));
    }
    out("done\n");
    return 0;
}
