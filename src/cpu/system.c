/* System instructions as a 32-bit Linux process sees them: CPUID, RDTSC,
 * segment registers (MOV/PUSH/POP Sreg, LDS..LSS, LAR/LSL/VERR/VERW, ARPL),
 * the descriptor-table reads UMIP makes the kernel emulate, and everything
 * that traps to the kernel in user mode (HLT, CLI, IN/OUT, INT3, BOUND...).
 * The signal each raises is what Linux sends for the CPU exception. */
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "cpu.h"
#include "vendor.h"

/* #GP and friends in user mode: Linux sends SIGSEGV with si_code SI_KERNEL. */
static void gp_fault(struct cpu *c) { cpu_raise(c, SIGSEGV, SI_KERNEL, 0); }
static void undefined(struct cpu *c, const struct insn *i) { cpu_raise_ud(c, i); }

/* Traps (INT3, INTO) report the EIP after the instruction: cpu_raise keeps
 * c->eip when no instruction is current. */
static void raise_trap(struct cpu *c, const struct insn *i, int sig)
{
    c->eip = next_eip(i);
    c->loop.cur = NULL;
    cpu_raise(c, sig, SI_KERNEL, 0);
}

/* ---- CPUID ---- */

/* Leaf 1 feature bits: only what ue implements, so glibc picks code paths we
 * run. This one table feeds CPUID and AT_HWCAP. An extension ue runs only
 * where the host has it (vendor.h) is on when the host's is. */
static const struct cpuid_feature {
    char reg;       /* 'd' = EDX, 'c' = ECX */
    uint8_t bit;
    bool on;
    const char *name;
    const bool *host;
} cpuid_features[] = {
    {'d', 0, true, "fpu", NULL},
    {'d', 4, true, "tsc", NULL},
    {'d', 8, true, "cx8", NULL},
    {'d', 15, true, "cmov", NULL},
    {'d', 19, false, "clflush", NULL},
    {'d', 23, true, "mmx", NULL},
    {'d', 24, true, "fxsr", NULL},
    {'d', 25, true, "sse", NULL},
    {'d', 26, true, "sse2", NULL},
    {'c', 0, true, "sse3", NULL},
    {'c', 9, true, "ssse3", NULL},
    {'c', 1, false, "pclmulqdq", &host_isa.pclmul},
    {'c', 19, false, "sse4_1", &host_isa.sse41},
    {'c', 20, false, "sse4_2", &host_isa.sse42},
    {'c', 22, false, "movbe", &host_isa.movbe},
    {'c', 23, false, "popcnt", &host_isa.popcnt},
    {'c', 25, false, "aes", &host_isa.aes},
    {'c', 30, false, "rdrand", &host_isa.rdrand},
};

static uint32_t cpuid_features_of(char reg)
{
    uint32_t v = 0;
    for (size_t k = 0; k < sizeof cpuid_features / sizeof cpuid_features[0]; k++)
        if (cpuid_features[k].reg == reg && (cpuid_features[k].on || (cpuid_features[k].host && *cpuid_features[k].host)))
            v |= 1u << cpuid_features[k].bit;
    return v;
}
uint32_t cpuid_feature_edx(void) { return cpuid_features_of('d'); }
uint32_t cpuid_feature_ecx(void) { return cpuid_features_of('c'); }

/* The vendor string and the family/model/stepping word are the host's (on
 * x86 hosts): glibc (2.36) reads no feature bits at all for a vendor it
 * does not know, so a vendor string of our own would hide SSE from it and
 * guests would take other paths than natively (no SSE2 string functions,
 * fesetround leaving MXCSR alone). The feature bits stay ue's own; what
 * describes the machine rather than instructions (caches, topology) is the
 * host's, so glibc sizes its copies and thresholds as natively, and so is
 * the brand string, which agrees with the host's /proc/cpuinfo that the
 * guest reads (doc/vendor.md). */
static char cpuid_vendor[12] = "GenuineIntel";
static uint32_t cpuid_signature = 6 << 8 | 15 << 4 | 1;     /* family 6, model 15, stepping 1 */
static uint32_t cpuid_max_basic = 1, cpuid_max_ext = 0x80000004;
static char cpuid_brand[48] = "ue i386 emulator";           /* where the host has none */
#define CPUID_BASIC_CAP 0x20u          /* leaves past it describe nothing ue passes on */
#define CPUID_EXT_CAP 0x80000021u
#define CPUID1_EDX_HTT (1u << 28)      /* "leaf 1 EBX[23:16] is valid": topology, not an instruction */

static void cpuid_probe_host(void)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    memcpy(cpuid_vendor, &b, 4);
    memcpy(cpuid_vendor + 4, &d, 4);
    memcpy(cpuid_vendor + 8, &c, 4);
    cpuid_max_basic = a < CPUID_BASIC_CAP ? a : CPUID_BASIC_CAP;
    if (__get_cpuid(1, &a, &b, &c, &d)) cpuid_signature = a & 0x0fff3fff;
    a = __get_cpuid_max(0x80000000, NULL);
    if (a >= 0x80000004) {
        cpuid_max_ext = a < CPUID_EXT_CAP ? a : CPUID_EXT_CAP;
        for (unsigned k = 0; k < 3; k++) {
            __get_cpuid(0x80000002 + k, &a, &b, &c, &d);
            uint32_t w[4] = { a, b, c, d };
            memcpy(cpuid_brand + 16 * k, w, 16);
        }
    }
#endif
}

/* The host's answer to a leaf (subleaf in ECX), where ue passes it on. */
static void cpuid_host(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
#if defined(__x86_64__) || defined(__i386__)
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#else
    r[0] = r[1] = r[2] = r[3] = 0;
#endif
}

HANDLER(op_cpuid)
{
    uint32_t leaf = c->r[EAX], sub = c->r[ECX], r[4] = {0, 0, 0, 0};   /* EAX, EBX, ECX, EDX */
    if (c->cpuid_faults) cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);   /* CPUID faulting: #GP(0) */
    switch (leaf) {
    case 0:
        r[0] = cpuid_max_basic;
        memcpy(&r[1], cpuid_vendor, 4);
        memcpy(&r[3], cpuid_vendor + 4, 4);
        memcpy(&r[2], cpuid_vendor + 8, 4);
        break;
    case 1:
        cpuid_host(1, 0, r);
        r[0] = cpuid_signature;
        /* EBX (CLFLUSH line, logical processors, APIC id) and HTT are the host's */
        r[2] = cpuid_feature_ecx();
        r[3] = cpuid_feature_edx() | (r[3] & CPUID1_EDX_HTT);
        break;
    case 2: case 4: case 0xb: case 0x1f:   /* cache descriptors and parameters, topology */
        if (leaf <= cpuid_max_basic) cpuid_host(leaf, sub, r);
        break;
    case 0x80000000:
        r[0] = cpuid_max_ext;
        break;
    case 0x80000002: case 0x80000003: case 0x80000004:
        memcpy(r, cpuid_brand + 16 * (leaf - 0x80000002), 16);
        break;
    case 7:   /* structured extended features: of these ue runs BMI1, BMI2, RDSEED, ADX, SHA and RDPID (where the host has them) */
        if (leaf <= cpuid_max_basic && sub == 0) {
            r[1] = (host_isa.bmi1 ? 1u << 3 : 0) | (host_isa.bmi2 ? 1u << 8 : 0) | (host_isa.rdseed ? 1u << 18 : 0)
                   | (host_isa.adx ? 1u << 19 : 0) | (host_isa.sha ? 1u << 29 : 0);
            r[2] = host_isa.rdpid ? 1u << 22 : 0;
        }
        break;
    case 0x80000001:   /* extended features: LZCNT (ABM) and RDTSCP where the host has them */
        if (leaf <= cpuid_max_ext) {
            r[2] = host_isa.lzcnt ? 1u << 5 : 0;
            r[3] = host_isa.rdtscp ? 1u << 27 : 0;
        }
        break;
    case 0x80000005: case 0x80000006: case 0x8000001d: case 0x8000001e:   /* AMD caches, topology */
        if (leaf <= cpuid_max_ext) cpuid_host(leaf, sub, r);
        break;
    case 0x80000008:
        if (leaf <= cpuid_max_ext) cpuid_host(leaf, sub, r);
        r[1] = 0;   /* EBX: instruction features (CLZERO, WBNOINVD...); EAX sizes and ECX core count stay */
        break;
    default:
        /* every other leaf (0xd, 0x14...) lists features: none of them are
         * implemented. Intel answers unknown leaves with the highest basic
         * leaf's data; zeros say "nothing here". */
        break;
    }
    c->r[EAX] = r[0];
    c->r[EBX] = r[1];
    c->r[ECX] = r[2];
    c->r[EDX] = r[3];
}

/* ---- time stamp counter ---- */
static uint64_t host_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
#endif
}

HANDLER(op_rdtsc)
{
    if (c->tsc_sigsegv) cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);   /* CR4.TSD: #GP(0) */
    uint64_t t = host_tsc();
    c->r[EAX] = (uint32_t)t;
    c->r[EDX] = (uint32_t)(t >> 32);
}

/* RDTSCP (0F 01 F9): the TSC and IA32_TSC_AUX, which Linux loads with the
 * CPU and node numbers: the host's, read on the host thread that runs this
 * guest thread, as the guest's getcpu sees it. The rest of 0F 01 /7:
 * INVLPG (memory) is privileged, the other register forms #UD. */
HANDLER(op_0f01_7)
{
    if (!i->mod3) gp_fault(c);
    if (i->rm != 1 || !host_isa.rdtscp) undefined(c, i);
    if (c->tsc_sigsegv) cpu_raise_err(c, SIGSEGV, SI_KERNEL, 13, 0);   /* CR4.TSD: #GP(0) */
#if defined(__x86_64__) || defined(__i386__)
    unsigned aux;
    uint64_t t = __builtin_ia32_rdtscp(&aux);
    c->r[EAX] = (uint32_t)t;
    c->r[EDX] = (uint32_t)(t >> 32);
    c->r[ECX] = aux;
#endif
}

/* RDRAND and RDSEED (0F C7 /6, /7, register forms) run the host's own
 * instruction, retries and all: CF says whether it gave a value, and the
 * other arithmetic flags are cleared. F3 0F C7 /7 is RDPID: TSC_AUX as
 * RDTSCP gives it. */
static void random_into(struct cpu *c, const struct insn *i, bool seed)
{
#if defined(__x86_64__) || defined(__i386__)
    uint32_t v = 0;
    uint8_t ok;
    if (i->opsize16) {
        uint16_t w;
        if (seed) __asm__ volatile("rdseed %0; setc %1" : "=r"(w), "=qm"(ok) : : "cc");
        else __asm__ volatile("rdrand %0; setc %1" : "=r"(w), "=qm"(ok) : : "cc");
        set_r16(c, i->rm, w);
    } else {
        if (seed) __asm__ volatile("rdseed %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        else __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        c->r[i->rm] = v;
    }
    flags_set(c, ok ? F_CF : 0, F_ARITH);
#endif
}
HANDLER(op_rdrand)
{
    if (!host_isa.rdrand || i->rep) undefined(c, i);
    random_into(c, i, false);
}
HANDLER(op_rdseed_rdpid)
{
    if (i->rep == REP_F3) {
        if (!host_isa.rdpid) undefined(c, i);
#if defined(__x86_64__)
        uint64_t aux;
        __asm__ volatile("rdpid %0" : "=r"(aux));
        c->r[i->rm] = (uint32_t)aux;
#elif defined(__i386__)
        uint32_t aux;
        __asm__ volatile("rdpid %0" : "=r"(aux));
        c->r[i->rm] = aux;
#endif
        return;
    }
    if (!host_isa.rdseed || i->rep) undefined(c, i);
    random_into(c, i, true);
}

/* ---- descriptors ----
 * The GDT holds what set_thread_area stored (struct user_desc fields), the
 * LDT (src/os/ldt.c) what modify_ldt stored, as hardware descriptors;
 * selectors 0x23 and 0x2b are the flat user code and data segments of a
 * 32-bit process on x86-64 Linux. */
enum {   /* user_desc bit fields, packed as the kernel's (seg_desc.flags) */
    UD_SEG_32BIT = 1 << 0, UD_CONTENTS_SHIFT = 1, UD_READ_EXEC_ONLY = 1 << 3,
    UD_LIMIT_IN_PAGES = 1 << 4, UD_SEG_NOT_PRESENT = 1 << 5, UD_USEABLE = 1 << 6,
};
#define GDT_USER_CS 4
#define GDT_USER_DS 5

/* Descriptor word 2 (SDM vol.3 3.4.5) fields. */
#define DESC_TYPE(hi) (((hi) >> 8) & 0xf)
#define DESC_S (1u << 12)
#define DESC_P (1u << 15)
#define DESC_L (1u << 21)
#define DESC_D (1u << 22)
#define DESC_G (1u << 23)
#define TYPE_CODE 8u
#define TYPE_RW 2u        /* data: writable; code: readable */
#define TYPE_CONFORMING 4u
#define TYPE_EXPAND_DOWN 4u

struct descriptor {
    uint32_t hi;          /* the second dword: type, S, DPL, P, AVL, D, G, limit 19:16 */
    uint32_t base, limit; /* limit in bytes, G applied */
};

/* x86-64 Linux's GDT slots user code can load besides the TLS ones:
 * the 64-bit user code segment, and the CPU/node segment (its limit is
 * the CPU and node number, arch/x86/kernel/cpu/common.c setup_getcpu). */
#define GDT_USER64_CS 6
#define GDT_CPUNODE 15

/* The descriptor sel names, the GDT's built as the kernel's fill_ldt()
 * builds them; false for a null selector or an empty or absent slot. */
static bool descriptor_of(const struct cpu *c, uint16_t sel, struct descriptor *d)
{
    unsigned idx = sel >> 3;
    if (sel & 4) {
        uint64_t raw;
        if (!ldt_desc(idx, &raw)) return false;
        uint32_t lo = (uint32_t)raw;
        d->hi = (uint32_t)(raw >> 32);
        d->base = lo >> 16 | (d->hi & 0xff) << 16 | (d->hi & 0xff000000);
        d->limit = (lo & 0xffff) | (d->hi & 0xf0000);
        if (d->hi & DESC_G) d->limit = d->limit << 12 | 0xfff;
        return true;
    }
    if (idx == 0) return false;
    if ((idx == GDT_USER_CS || idx == GDT_USER_DS || idx == GDT_USER64_CS) && !c->gdt[idx].used) {
        d->hi = idx == GDT_USER_CS ? 0x00cffb00 : idx == GDT_USER_DS ? 0x00cff300 : 0x00affb00; /* flat, DPL 3 */
        d->base = 0;
        d->limit = 0xffffffff;
        return true;
    }
    if (idx == GDT_CPUNODE && !c->gdt[idx].used) {
        unsigned cpu = 0, node = 0;
        syscall(SYS_getcpu, &cpu, &node, NULL);
        d->limit = (node << 12 | cpu) & 0xfffff;
        d->hi = 0x0040f500 | (d->limit & 0xf0000);   /* read-only expand-down data, DPL 3, 32-bit */
        d->base = 0;
        return true;
    }
    if (idx >= 16 || !c->gdt[idx].used) return false;
    const struct seg_desc *s = &c->gdt[idx];
    uint32_t f = s->flags;
    uint32_t type = 1 /* accessed */ | ((f >> UD_CONTENTS_SHIFT) & 3) << 2 | (f & UD_READ_EXEC_ONLY ? 0 : TYPE_RW);
    d->hi = type << 8 | DESC_S | 3u << 13 | (f & UD_SEG_NOT_PRESENT ? 0 : DESC_P) | (s->limit & 0xf0000)
          | (f & UD_USEABLE ? 1u << 20 : 0) | (f & UD_SEG_32BIT ? DESC_D : 0)
          | (f & UD_LIMIT_IN_PAGES ? DESC_G : 0);
    d->base = s->base;
    d->limit = s->limit & 0xfffff;
    if (f & UD_LIMIT_IN_PAGES) d->limit = d->limit << 12 | 0xfff;
    return true;
}

static bool desc_readable(const struct descriptor *d)
{
    return !(DESC_TYPE(d->hi) & TYPE_CODE) || (DESC_TYPE(d->hi) & TYPE_RW);
}
static bool desc_writable(const struct descriptor *d)
{
    return (DESC_TYPE(d->hi) & (TYPE_CODE | TYPE_RW)) == TYPE_RW;
}

/* Segment-load checks of SDM vol.2 "MOV—Move" at CPL 3 (every descriptor
 * user space can make has DPL 3). Failures carry the selector as error
 * code (EXT and IDT clear): #GP 13 -> SIGSEGV, not present #NP 11 (#SS 12
 * for SS) -> SIGBUS, all with si_code SI_KERNEL as Linux sends them. */
/* The exception loading sel into sreg raises (0 if none): trapno, with
 * *err its error code and *d the descriptor (hi 0 for a null selector). */
static int sreg_check(const struct cpu *c, int sreg, uint16_t sel, uint32_t *err, struct descriptor *d)
{
    *d = (struct descriptor){0, 0, 0};
    *err = sel & 0xfffc;
    if ((sel & 0xfffc) == 0) {               /* null selector: unusable, but loadable except into SS */
        *err = 0;
        return sreg == SEG_SS ? 13 : 0;
    }
    if (!descriptor_of(c, sel, d) || !(d->hi & DESC_S) || ((d->hi >> 13) & 3) != 3) return 13;
    if (sreg == SEG_SS ? (sel & 3) != 3 || !desc_writable(d) : !desc_readable(d)) return 13;
    if (!(d->hi & DESC_P)) return sreg == SEG_SS ? 12 : 11;
    return 0;
}

/* The segment register's selector and the descriptor's base and limit: a
 * DS, ES or SS that is null or not a flat 4 GiB segment makes the run
 * loop check limits (SEGM_DATA). */
static void sreg_set(struct cpu *c, int sreg, uint16_t sel, const struct descriptor *d)
{
    c->sreg[sreg] = sel;
    c->segbase[sreg] = d->base;
    c->seglimit[sreg] = d->limit;
    uint8_t kind = !d->hi ? SK_NULL : DESC_TYPE(d->hi) & TYPE_CODE ? (d->limit == 0xffffffff ? SK_FLAT : SK_LIMIT)
                 : DESC_TYPE(d->hi) & TYPE_EXPAND_DOWN ? (d->hi & DESC_D ? SK_DOWN32 : SK_DOWN16)
                 : d->limit == 0xffffffff ? SK_FLAT : SK_LIMIT;
    c->seg_kind[sreg] = kind | (kind != SK_NULL && !desc_writable(d) ? SK_READONLY : 0);
    bool data = c->seg_kind[SEG_DS] | c->seg_kind[SEG_ES] | c->seg_kind[SEG_SS];
    c->seg_mode = (c->seg_mode & ~SEGM_DATA) | (data ? SEGM_DATA : 0);
}

void load_sreg(struct cpu *c, int sreg, uint16_t sel)
{
    uint32_t err;
    struct descriptor d;
    int trap = sreg_check(c, sreg, sel, &err, &d);
    if (trap) cpu_raise_err(c, trap == 13 ? SIGSEGV : SIGBUS, SI_KERNEL, trap, err);
    sreg_set(c, sreg, sel, &d);
}

bool load_sreg_ok(struct cpu *c, int sreg, uint16_t sel)
{
    uint32_t err;
    struct descriptor d;
    if (sreg_check(c, sreg, sel, &err, &d)) return false;
    sreg_set(c, sreg, sel, &d);
    return true;
}

/* The CS of a far JMP/CALL (ret false) or RETF/IRET (ret true) at CPL 3
 * (SDM vol.2 JMP, CALL, RET, IRET; protected mode, same privilege): #GP
 * with the selector unless it names a DPL 3 code segment (conforming or
 * not: every user descriptor has DPL 3; a return also needs RPL 3), #NP
 * when not present, then #GP(0) for an offset past its limit. The 64-bit
 * code segment (long mode from compatibility mode) ue cannot run: #GP
 * with its selector. Returns the trap number (0: none) and *err. */
static int cs_check(const struct cpu *c, uint16_t sel, uint32_t off, bool ret, struct descriptor *d, uint32_t *err)
{
    *err = sel & 0xfffc;
    if (!*err) return 13;
    if (!descriptor_of(c, sel, d) || !(d->hi & DESC_S) || !(DESC_TYPE(d->hi) & TYPE_CODE)
        || ((d->hi >> 13) & 3) != 3 || (ret && (sel & 3) != 3))
        return 13;
    if (!(d->hi & DESC_P)) return 11;
    if (d->hi & DESC_L) return 13;
    if (off > d->limit) { *err = 0; return 13; }
    return 0;
}

static void cs_set(struct cpu *c, uint16_t sel, const struct descriptor *d, uint32_t off)
{
    c->sreg[SEG_CS] = sel | 3;   /* RPL becomes the CPL */
    c->segbase[SEG_CS] = d->base;
    c->seglimit[SEG_CS] = d->limit;
    c->seg_mode = (c->seg_mode & SEGM_DATA) | (d->base || d->limit != 0xffffffff ? SEGM_CS : 0)
                | (d->hi & DESC_D ? 0 : SEGM_CS16);
    c->eip = off;
}

static void cs_check_raise(struct cpu *c, uint16_t sel, uint32_t off, bool ret, struct descriptor *d)
{
    uint32_t err;
    int trap = cs_check(c, sel, off, ret, d, &err);
    if (trap) cpu_raise_err(c, trap == 13 ? SIGSEGV : SIGBUS, SI_KERNEL, trap, err);
}

void far_cs_check(struct cpu *c, uint16_t sel, uint32_t off)
{
    struct descriptor d;
    cs_check_raise(c, sel, off, false, &d);
}

void far_cs_load(struct cpu *c, uint16_t sel, uint32_t off, bool ret)
{
    struct descriptor d;
    cs_check_raise(c, sel, off, ret, &d);
    cs_set(c, sel, &d, off);
}

bool far_cs_load_ok(struct cpu *c, uint16_t sel, uint32_t off)
{
    struct descriptor d;
    uint32_t err;
    if (cs_check(c, sel, off, true, &d, &err)) return false;
    cs_set(c, sel, &d, off);
    return true;
}

void cs_load_flat(struct cpu *c)
{
    c->sreg[SEG_CS] = GDT_USER_CS << 3 | 3;
    c->segbase[SEG_CS] = 0;
    c->seg_mode &= SEGM_DATA;
    c->seglimit[SEG_CS] = 0xffffffff;
}

/* MOV r/m16, Sreg: a register destination gets the selector zero-extended
 * (P6 and later), memory always 16 bits. */
HANDLER(op_mov_rm_sreg)
{
    if (i->reg > SEG_GS) undefined(c, i);
    uint16_t sel = c->sreg[i->reg];
    if (i->mod3 && !i->opsize16) c->r[i->rm] = sel;
    else store_rm16(c, i, sel);
}

/* Loads of DS, ES and SS end their block (D_END): an LDT segment there
 * makes the run loop check limits from the next instruction on (cpu.h
 * SEGM_DATA). */
static void op_mov_sreg_rm(struct cpu *c, const struct insn *i)
{
    if (i->reg > SEG_GS || i->reg == SEG_CS) undefined(c, i);
    load_sreg(c, i->reg, load_rm16(c, i));
    c->eip = next_eip(i);
}

/* PUSH Sreg with 32-bit operand size zero-extends the selector or writes
 * 16 bits over the old slot, as the host does (vendor.c); POP Sreg loads
 * before ESP moves so a faulting load can be re-run. */
static void push_sreg(struct cpu *c, const struct insn *i, int s)
{
    if (i->opsize16) push16(c, c->sreg[s]);
    else if (host_facts.push_sreg_zero_extends) push32(c, c->sreg[s]);
    else {
        guest_addr a = c->r[ESP] - 4 + c->segbase[SEG_SS];
        st_probe(a, 4);   /* the whole slot faults as a 32-bit push would */
        st16(a, c->sreg[s]);
        c->r[ESP] -= 4;
    }
}
static void pop_sreg(struct cpu *c, const struct insn *i, int s)
{
    guest_addr a = c->r[ESP] + c->segbase[SEG_SS];
    uint32_t v = i->opsize16 ? ld16(a) : ld32(a);
    __asm__("" : "+r"(v));   /* the whole slot is read (a page fault past its first half comes first) */
    load_sreg(c, s, (uint16_t)v);
    c->r[ESP] += i->opsize16 ? 2 : 4;
}
#define SREG_PUSH(name, S) \
    HANDLER(op_push_##name) { push_sreg(c, i, S); }
#define SREG_POP(name, S) \
    HANDLER(op_pop_##name) { pop_sreg(c, i, S); }
#define SREG_POP_END(name, S) \
    static void op_pop_##name(struct cpu *c, const struct insn *i) { pop_sreg(c, i, S); c->eip = next_eip(i); }
SREG_PUSH(es, SEG_ES) SREG_POP_END(es, SEG_ES)
SREG_PUSH(cs, SEG_CS)                       /* no POP CS: 0F is the escape byte */
SREG_PUSH(ss, SEG_SS) SREG_POP_END(ss, SEG_SS)
SREG_PUSH(ds, SEG_DS) SREG_POP_END(ds, SEG_DS)
SREG_PUSH(fs, SEG_FS) SREG_POP(fs, SEG_FS)
SREG_PUSH(gs, SEG_GS) SREG_POP(gs, SEG_GS)

/* LDS/LES/LFS/LGS/LSS r, m16:32 (m16:16): offset first, selector after it. */
static void load_far_pointer(struct cpu *c, const struct insn *i, int s)
{
    guest_addr a = ea(c, i);
    uint32_t off = i->opsize16 ? ld16(a) : ld32(a);
    uint16_t sel = ld16(a + (i->opsize16 ? 2 : 4));
    load_sreg(c, s, sel);
    if (i->opsize16) set_r16(c, i->reg, (uint16_t)off);
    else c->r[i->reg] = off;
}
static void op_les(struct cpu *c, const struct insn *i) { load_far_pointer(c, i, SEG_ES); c->eip = next_eip(i); }
static void op_lds(struct cpu *c, const struct insn *i) { load_far_pointer(c, i, SEG_DS); c->eip = next_eip(i); }
static void op_lss(struct cpu *c, const struct insn *i) { load_far_pointer(c, i, SEG_SS); c->eip = next_eip(i); }
HANDLER(op_lfs) { load_far_pointer(c, i, SEG_FS); }
HANDLER(op_lgs) { load_far_pointer(c, i, SEG_GS); }

/* ---- LAR, LSL, VERR, VERW: ZF says whether the selector passed ---- */
static void set_zf(struct cpu *c, bool z) { flags_set(c, z ? F_ZF : 0, F_ZF); }

/* Usable by LAR/LSL/VERR/VERW at CPL 3 (all user descriptors have DPL 3, so
 * the privilege check passes for any RPL); not-present ones pass too. */
static bool desc_visible(const struct cpu *c, uint16_t sel, struct descriptor *d)
{
    return descriptor_of(c, sel, d) && (d->hi & DESC_S);
}

HANDLER(op_lar)
{
    struct descriptor d;
    bool ok = desc_visible(c, load_rm16(c, i), &d);
    if (ok && i->opsize16) set_r16(c, i->reg, (uint16_t)(d.hi & 0xff00));
    else if (ok) c->r[i->reg] = d.hi & 0x00ffff00;
    set_zf(c, ok);
}

HANDLER(op_lsl)
{
    struct descriptor d;
    bool ok = desc_visible(c, load_rm16(c, i), &d);
    if (ok && i->opsize16) set_r16(c, i->reg, (uint16_t)d.limit);
    else if (ok) c->r[i->reg] = d.limit;
    set_zf(c, ok);
}

HANDLER(op_verr)
{
    struct descriptor d;
    set_zf(c, desc_visible(c, load_rm16(c, i), &d) && desc_readable(&d));
}

HANDLER(op_verw)
{
    struct descriptor d;
    set_zf(c, desc_visible(c, load_rm16(c, i), &d) && desc_writable(&d));
}

/* ARPL r/m16, r16: raise the destination selector's RPL to the source's. */
HANDLER(op_arpl)
{
    uint16_t dst = load_rm16(c, i), src = get_r16(c, i->reg);
    bool raise = (dst & 3) < (src & 3);
    if (raise) store_rm16(c, i, (uint16_t)((dst & ~3) | (src & 3)));
    set_zf(c, raise);
}

/* ---- SGDT, SIDT, SMSW, SLDT, STR: the values Linux's UMIP emulation
 * (arch/x86/kernel/umip.c) gives a 32-bit process; checked on a UMIP host ---- */
#define UMIP_GDT_BASE 0xfffe0000u
#define UMIP_IDT_BASE 0xffff0000u
#define UMIP_CR0 0x80050033u      /* PG AM WP NE ET MP PE */
#define UMIP_TR 0x40u
#define UMIP_LDTR 0u

static void store_table_register(struct cpu *c, const struct insn *i, uint32_t base)
{
    guest_addr a = ea(c, i);
    st16(a, 0);                   /* limit */
    st32(a + 2, base);            /* 32-bit base with either operand size */
}
HANDLER(op_sgdt) { store_table_register(c, i, UMIP_GDT_BASE); }
HANDLER(op_sidt) { store_table_register(c, i, UMIP_IDT_BASE); }

/* A 16-bit system value to r/m16: 32-bit registers get all of value32. */
static void store_system_word(struct cpu *c, const struct insn *i, uint32_t value32)
{
    if (i->mod3 && !i->opsize16) c->r[i->rm] = value32;
    else store_rm16(c, i, (uint16_t)value32);
}
HANDLER(op_smsw) { store_system_word(c, i, UMIP_CR0); }
HANDLER(op_sldt) { store_system_word(c, i, UMIP_LDTR); }
HANDLER(op_str) { store_system_word(c, i, UMIP_TR); }

/* ---- what user mode may not do ---- */
HANDLER(op_privileged) { gp_fault(c); }
HANDLER(op_ud2) { undefined(c, i); }
HANDLER(op_int3) { raise_trap(c, i, SIGTRAP); }
/* INT1 (ICEBP): #DB with no DR6 reason, which Linux sends as SIGTRAP
 * TRAP_BRKPT; the EIP after it, or at it where the host's hypervisor
 * re-injects it as a fault (vendor.c). */
HANDLER(op_int1)
{
    c->eip = host_facts.int1_eip_after ? next_eip(i) : i->eip;
    c->loop.cur = NULL;
    cpu_raise_trap(c, SIGTRAP, TRAP_BRKPT, c->eip, 1);
}
HANDLER(op_into)
{
    if (flags_get(c) & F_OF) {
        c->eip = next_eip(i);
        c->loop.cur = NULL;
        cpu_raise_trap(c, SIGSEGV, SI_KERNEL, 0, 4);   /* #OF */
    }
}

/* BOUND r, m: #BR (SIGSEGV from Linux) when the signed index is outside
 * [lower, upper]. */
HANDLER(op_bound)
{
    guest_addr a = ea(c, i);
    int32_t idx, lo, hi;
    if (i->opsize16) {
        idx = (int16_t)get_r16(c, i->reg);
        lo = (int16_t)ld16(a);
        hi = (int16_t)ld16(a + 2);
    } else {
        idx = (int32_t)c->r[i->reg];
        lo = (int32_t)ld32(a);
        hi = (int32_t)ld32(a + 4);
    }
    if (idx < lo || idx > hi) cpu_raise_trap(c, SIGSEGV, SI_KERNEL, 0, 5);   /* #BR */
}

void ops_register_system(void)
{
    cpuid_probe_host();
    op_set(optab0f, 0xA2, op_cpuid, NULL, 0);
    op_set(optab0f, 0x31, op_rdtsc, NULL, 0);

    op_set(optab, 0x8C, op_mov_rm_sreg, NULL, D_MODRM | D_MSTORE | D_SZ(SZ_2));
    op_set(optab, 0x8E, op_mov_sreg_rm, NULL, D_MODRM | D_END | D_SZ(SZ_2));
    op_set(optab, 0x06, op_push_es, NULL, 0);
    op_set(optab, 0x07, op_pop_es, NULL, D_END);
    op_set(optab, 0x0E, op_push_cs, NULL, 0);
    op_set(optab, 0x16, op_push_ss, NULL, 0);
    op_set(optab, 0x17, op_pop_ss, NULL, D_END);
    op_set(optab, 0x1E, op_push_ds, NULL, 0);
    op_set(optab, 0x1F, op_pop_ds, NULL, D_END);
    op_set(optab0f, 0xA0, op_push_fs, NULL, 0);
    op_set(optab0f, 0xA1, op_pop_fs, NULL, 0);
    op_set(optab0f, 0xA8, op_push_gs, NULL, 0);
    op_set(optab0f, 0xA9, op_pop_gs, NULL, 0);
    op_set(optab, 0xC4, op_les, NULL, D_MODRM | D_MEMONLY | D_END | D_SZ(SZ_FAR));
    op_set(optab, 0xC5, op_lds, NULL, D_MODRM | D_MEMONLY | D_END | D_SZ(SZ_FAR));
    op_set(optab0f, 0xB2, op_lss, NULL, D_MODRM | D_MEMONLY | D_END | D_SZ(SZ_FAR));
    op_set(optab0f, 0xB4, op_lfs, NULL, D_MODRM | D_MEMONLY | D_SZ(SZ_FAR));
    op_set(optab0f, 0xB5, op_lgs, NULL, D_MODRM | D_MEMONLY | D_SZ(SZ_FAR));
    op_set(optab0f, 0x02, op_lar, NULL, D_MODRM | D_SZ(SZ_2));
    op_set(optab0f, 0x03, op_lsl, NULL, D_MODRM | D_SZ(SZ_2));
    op_set(optab, 0x63, op_arpl, NULL, D_MODRM | D_MRMW | D_SZ(SZ_2));

    /* 0F 00 and 0F 01: descriptor tables; mod3 forms of 0F 01 /0-/3 and /7
     * are other instructions (VMCALL, MONITOR, XGETBV, RDTSCP...) we lack */
    op_set_group(optab0f, 0x00, 0, op_sldt, NULL, D_MSTORE | D_SZ(SZ_2));
    op_set_group(optab0f, 0x00, 1, op_str, NULL, D_MSTORE | D_SZ(SZ_2));
    op_set_group(optab0f, 0x00, 2, op_privileged, NULL, 0);   /* LLDT */
    op_set_group(optab0f, 0x00, 3, op_privileged, NULL, 0);   /* LTR */
    op_set_group(optab0f, 0x00, 4, op_verr, NULL, D_SZ(SZ_2));
    op_set_group(optab0f, 0x00, 5, op_verw, NULL, D_SZ(SZ_2));
    op_set_group(optab0f, 0x01, 0, op_sgdt, NULL, D_MEMONLY | D_MSTORE | D_SZ(SZ_6));
    op_set_group(optab0f, 0x01, 1, op_sidt, NULL, D_MEMONLY | D_MSTORE | D_SZ(SZ_6));
    op_set_group(optab0f, 0x01, 2, op_privileged, NULL, D_MEMONLY);   /* LGDT */
    op_set_group(optab0f, 0x01, 3, op_privileged, NULL, D_MEMONLY);   /* LIDT */
    op_set_group(optab0f, 0x01, 4, op_smsw, NULL, D_MSTORE | D_SZ(SZ_2));
    op_set_group(optab0f, 0x01, 6, op_privileged, NULL, 0);           /* LMSW */
    op_set_group(optab0f, 0x01, 7, op_0f01_7, NULL, D_MNONE);        /* INVLPG (privileged), RDTSCP */
    op_set_group(optab0f, 0xC7, 6, op_rdrand, NULL, D_REGONLY | D_FL_WRITE);
    op_set_group(optab0f, 0xC7, 7, op_rdseed_rdpid, NULL, D_REGONLY);

    /* privileged instructions: #GP at CPL 3 */
    static const uint8_t priv[] = {0xF4 /* HLT */, 0xFA /* CLI */, 0xFB /* STI */,
                                   0xEC, 0xED, 0xEE, 0xEF /* IN/OUT with DX */};
    for (size_t k = 0; k < sizeof priv; k++) op_set(optab, priv[k], op_privileged, NULL, 0);
    for (int op = 0xE4; op <= 0xE7; op++) op_set(optab, op, op_privileged, NULL, D_IMM8);  /* IN/OUT imm8 */
    static const uint8_t priv0f[] = {0x06 /* CLTS */, 0x08 /* INVD */, 0x09 /* WBINVD */,
                                     0x30 /* WRMSR */, 0x32 /* RDMSR */, 0x33 /* RDPMC */,
                                     0x35 /* SYSEXIT */};
    for (size_t k = 0; k < sizeof priv0f; k++) op_set(optab0f, priv0f[k], op_privileged, NULL, 0);
    for (int op = 0x20; op <= 0x23; op++) op_set(optab0f, op, op_privileged, NULL, D_MODRM);  /* MOV CR/DR */

    op_set(optab0f, 0x0B, op_ud2, NULL, 0);
    op_set(optab, 0xCC, op_int3, NULL, 0);
    op_set(optab, 0xF1, op_int1, NULL, 0);
    op_set(optab, 0xCE, op_into, NULL, 0);
    op_set(optab, 0x62, op_bound, NULL, D_MODRM | D_MEMONLY | D_SZ(SZ_2V));
}
