/* ue-test: variants=s2 d0 p2 */
/* BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR, TZCNT) and BMI2 (BZHI, MULX, PDEP,
 * PEXT, RORX, SARX, SHLX, SHRX): results and defined flags (AF PF, and
 * BEXTR's SF, are undefined: masked) for edge operands in register and
 * memory forms, that BMI2 leaves the flags alone, VEX encodings the CPU
 * ignores (VEX.W, VEX.B, vvvv[3] in 32-bit mode) and those it refuses
 * (#UD: VEX.L=1, a 66/F2/F3/LOCK prefix before VEX, reserved maps, pp or
 * ModRM.reg it does not define, a vvvv it does not use but not 1111b), and
 * that C4/C5 with mod != 11b stay LES/LDS. Each case runs under a SIGILL
 * catcher: a host without BMI1/BMI2 raises #UD for them, and so does ue. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

#include "fault_catch.h"

#define ARITH 0x8d5u
#define TRY(...)                                                          \
    do {                                                                  \
        g_sig = 0;                                                        \
        if (sigsetjmp(jb, 1)) { printf(" SIG%d", g_sig); break; }         \
        __VA_ARGS__;                                                      \
    } while (0)

/* op with vvvv operand a and r/m operand b (register, then memory), from
 * flags fi; prints the result and the flags in mask */
#define BIN(insn, A, B, fi, mask)                                                                 \
    TRY({                                                                                         \
        uint32_t o, fo, m = (B), x = (A);                                                                  \
        __asm__ volatile("push %[fi]\n\tpopf\n\t" insn "\n\tpushf\n\tpop %[fo]"                  \
                         : [o] "=&r"(o), [fo] "=&r"(fo) : [a] "r"(x), [b] "r"(m), [fi] "r"(fi) : "cc"); \
        printf(" %08x/%03x", o, fo & (mask));                                                     \
        __asm__ volatile("push %[fi]\n\tpopf\n\t" insn "\n\tpushf\n\tpop %[fo]"                  \
                         : [o] "=&r"(o), [fo] "=&r"(fo) : [a] "r"(x), [b] "m"(m), [fi] "r"(fi) : "cc"); \
        printf(" m%08x/%03x", o, fo & (mask));                                                    \
    })

static const uint32_t vals[] = {0, 1, 2, 0x80000000u, 0x7fffffffu, 0xffffffffu, 0x00f0f000u, 0x12345678u,
                                0x8000, 0xfffe0000u, 0xa5a5a5a5u, 0x40000001u};
#define NV (sizeof vals / sizeof vals[0])
/* BEXTR controls (START, LEN and bits above) and BZHI indexes */
static const uint32_t ctls[] = {0, 0x0800, 0x0804, 0x1f00, 0x2000, 0x2100, 0xff00, 0x1001, 0x101f, 0x0420,
                                0x2021, 0x00ff, 0xffff, 0x201f, 0x011e, 0xabcd0810u, 0x0010, 0x1810};
static const uint32_t idxs[] = {0, 1, 7, 16, 31, 32, 33, 255, 0x100, 0x105, 0xffffff1fu, 0x80000020u};
#define N(a) (sizeof a / sizeof a[0])

static volatile uint32_t at, ecx0;   /* a raw case's instruction address; its ECX */

/* Raw bytes run with EAX=0x5a5a, ECX=ecx0, EDX=0x11: the result or the signal (at +offset). */
#define RAW(name, ...)                                                                              \
    do {                                                                                            \
        g_sig = 0;                                                                                  \
        if (!sigsetjmp(jb, 1)) {                                                                    \
            uint32_t ra;                                                                            \
            __asm__ volatile("call 2f\n2:\tpop %%eax\n\tadd $(1f-2b), %%eax\n\tmov %%eax, %[at]\n\t" \
                             "mov %[c0], %%ecx\n\tmov $0x11, %%edx\n\tmov $0x5a5a, %%eax\n"         \
                             "1:\t.byte " #__VA_ARGS__ "\n\tnop"                                    \
                             : "=a"(ra), [at] "=m"(at) : [c0] "m"(ecx0) : "ecx", "edx", "memory", "cc"); \
            printf("%-34s ok eax=%08x\n", name, ra);                                                \
        } else {                                                                                    \
            printf("%-34s sig %d code %d at %+d addr %#x\n", name, g_sig, g_code, (int)(g_eip - at), \
                   g_sig == SIGSEGV ? g_addr : 0);                                                  \
        }                                                                                           \
    } while (0)

static void cpuid7(uint32_t r[4])
{
    uint32_t max;
    __asm__ volatile("cpuid" : "=a"(max), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0), "c"(0));
    r[1] = 0;
    if (max >= 7) __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(7), "c"(0));
}

int main(void)
{
    fault_catch(fault_handler, 0, SIGILL, SIGSEGV, 0);
    uint32_t r[4];
    cpuid7(r);
    printf("cpuid: bmi1 %u bmi2 %u\n", r[1] >> 3 & 1, r[1] >> 8 & 1);

    const uint32_t fz = 0x202, f1 = 0x202 | ARITH;   /* the flags before: all clear, all set */
    for (unsigned k = 0; k < NV; k++) {
        uint32_t v = vals[k], fi = k & 1 ? f1 : fz;
        printf("%08x:\n ", v);
        printf(" andn");
        for (unsigned j = 0; j < NV; j += 3) BIN("andn %[b], %[a], %[o]", vals[j], v, fi, 0x8c1);
        printf("\n  blsi");
        BIN("blsi %[b], %[o]", 0, v, fi, 0x8c1);
        printf(" blsmsk");
        BIN("blsmsk %[b], %[o]", 0, v, fi, 0x8c1);
        printf(" blsr");
        BIN("blsr %[b], %[o]", 0, v, fi, 0x8c1);
        printf(" tzcnt");
        BIN("tzcnt %[b], %[o]", 0, v, fi, 0x041);
        printf("\n  bextr");
        for (unsigned j = 0; j < N(ctls); j++) BIN("bextr %[a], %[b], %[o]", ctls[j], v, fi, 0x841);
        printf("\n  bzhi");
        for (unsigned j = 0; j < N(idxs); j++) BIN("bzhi %[a], %[b], %[o]", idxs[j], v, fi, 0x8c1);
        /* BMI2 without flags: the flags before must come out unchanged */
        printf("\n  pdep");
        for (unsigned j = 0; j < NV; j++) BIN("pdep %[b], %[a], %[o]", vals[j], v, fi, ARITH);
        printf("\n  pext");
        for (unsigned j = 0; j < NV; j++) BIN("pext %[b], %[a], %[o]", vals[j], v, fi, ARITH);
        printf("\n  sarx");
        for (unsigned j = 0; j < N(idxs); j++) BIN("sarx %[a], %[b], %[o]", idxs[j], v, fi, ARITH);
        printf("\n  shlx");
        for (unsigned j = 0; j < N(idxs); j++) BIN("shlx %[a], %[b], %[o]", idxs[j], v, fi, ARITH);
        printf("\n  shrx");
        for (unsigned j = 0; j < N(idxs); j++) BIN("shrx %[a], %[b], %[o]", idxs[j], v, fi, ARITH);
        printf("\n  rorx");
        BIN("rorx $0, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $1, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $13, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $31, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $32, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $45, %[b], %[o]", 0, v, fi, ARITH);
        BIN("rorx $255, %[b], %[o]", 0, v, fi, ARITH);
        printf("\n  mulx");
        for (unsigned j = 0; j < NV; j += 2)
            TRY({
                uint32_t hi, lo, same, m = vals[j];
                __asm__ volatile("mulx %[b], %[lo], %[hi]" : [hi] "=&r"(hi), [lo] "=&r"(lo) : [b] "r"(m), "d"(v));
                __asm__ volatile("mulx %[b], %[s], %[s]" : [s] "=&r"(same) : [b] "m"(m), "d"(v));
                printf(" %08x:%08x %08x", hi, lo, same);
            });
        TRY({   /* EDX as source, low and high half */
            uint32_t d = v, lo;
            __asm__ volatile("mulx %%edx, %[lo], %%edx" : [lo] "=&r"(lo), "+d"(d));
            printf(" edx %08x:%08x", d, lo);
        });
        printf("\n");
    }

    /* encodings (raw bytes: EAX=0x5a5a, ECX=ecx0, EDX=0x11) */
    ecx0 = 0xf0f0;
    RAW("andn eax,eax,ecx", 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("andn vvvv=edx", 0xc4, 0xe2, 0x68, 0xf2, 0xc1);
    RAW("andn VEX.B=0 (ignored)", 0xc4, 0xc2, 0x78, 0xf2, 0xc1);
    RAW("andn vvvv[3] (ignored)", 0xc4, 0xe2, 0x28, 0xf2, 0xc1);
    RAW("andn VEX.W=1 (ignored)", 0xc4, 0xe2, 0xe8, 0xf2, 0xc1);
    RAW("2e 67 andn", 0x2e, 0x67, 0xc4, 0xe2, 0x68, 0xf2, 0xc1);
    RAW("andn VEX.L=1", 0xc4, 0xe2, 0x7c, 0xf2, 0xc1);
    RAW("andn pp=66", 0xc4, 0xe2, 0x79, 0xf2, 0xc1);
    RAW("andn pp=F2", 0xc4, 0xe2, 0x7b, 0xf2, 0xc1);
    RAW("66 andn", 0x66, 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("f2 andn", 0xf2, 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("f3 andn", 0xf3, 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("f0 andn", 0xf0, 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("66 2e andn", 0x66, 0x2e, 0xc4, 0xe2, 0x78, 0xf2, 0xc1);
    RAW("VEX.mmmmm=0", 0xc4, 0xe0, 0x78, 0xf2, 0xc1);
    RAW("VEX.mmmmm=31", 0xc4, 0xff, 0x78, 0xf2, 0xc1);
    RAW("VEX.0F f2 (2-byte VEX)", 0xc5, 0xf8, 0xf2, 0xc1);
    RAW("VEX.0F 38 f2 in map 0F", 0xc4, 0xe1, 0x78, 0xf2, 0xc1);
    RAW("blsr /1", 0xc4, 0xe2, 0x78, 0xf3, 0xc9);
    RAW("blsr L=1", 0xc4, 0xe2, 0x7c, 0xf3, 0xc9);
    RAW("0f38 f3 /0", 0xc4, 0xe2, 0x78, 0xf3, 0xc1);
    RAW("0f38 f3 /4", 0xc4, 0xe2, 0x78, 0xf3, 0xe1);
    RAW("0f38 f3 /7", 0xc4, 0xe2, 0x78, 0xf3, 0xf9);
    RAW("rorx eax,ecx,4", 0xc4, 0xe3, 0x7b, 0xf0, 0xc1, 0x04);
    RAW("rorx W=1", 0xc4, 0xe3, 0xfb, 0xf0, 0xc1, 0x04);
    RAW("rorx vvvv=1110b", 0xc4, 0xe3, 0x73, 0xf0, 0xc1, 0x04);
    RAW("rorx vvvv=0111b", 0xc4, 0xe3, 0x3b, 0xf0, 0xc1, 0x04);
    RAW("rorx L=1", 0xc4, 0xe3, 0x7f, 0xf0, 0xc1, 0x04);
    RAW("rorx pp=0", 0xc4, 0xe3, 0x78, 0xf0, 0xc1, 0x04);
    RAW("mulx eax,edx,ecx", 0xc4, 0xe2, 0x6b, 0xf6, 0xc1);
    RAW("shlx eax,ecx,ecx", 0xc4, 0xe2, 0x71, 0xf7, 0xc1);
    RAW("bzhi L=1", 0xc4, 0xe2, 0x74, 0xf5, 0xc1);
    RAW("pdep W=1", 0xc4, 0xe2, 0xf3, 0xf5, 0xc1);
    RAW("VEX.0F38 f4 (undefined)", 0xc4, 0xe2, 0x78, 0xf4, 0xc1);
    RAW("VEX then c4", 0xc4, 0xe2, 0x78, 0xc4, 0xc1);
    ecx0 = 16;   /* a memory operand at 16: a page fault at its address */
    RAW("andn eax,eax,[ecx=16]", 0xc4, 0xe2, 0x78, 0xf2, 0x01);
    RAW("bextr eax,[ecx+4],edx", 0xc4, 0xe2, 0x68, 0xf7, 0x41, 0x04);
    RAW("andn L=1 [ecx]: #UD first", 0xc4, 0xe2, 0x7c, 0xf2, 0x01);

    /* C4/C5 with mod != 11b: LES/LDS of a far pointer holding DS */
    static struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp = { 0x12345678, 0 };
    uint16_t ds;
    __asm__ volatile("mov %%ds, %0" : "=r"(ds));
    fp.sel = ds;
    ecx0 = (uint32_t)&fp;
    RAW("c4 01: les eax,[ecx]", 0xc4, 0x01);
    RAW("c5 01: lds eax,[ecx]", 0xc5, 0x01);
    RAW("c4 41 00: les eax,[ecx+0]", 0xc4, 0x41, 0x00);
    RAW("c5 81 +0: lds eax,[ecx+0]", 0xc5, 0x81, 0, 0, 0, 0);
    RAW("f3 c5 01: lds", 0xf3, 0xc5, 0x01);
    RAW("66 c4 01: les ax", 0x66, 0xc4, 0x01);
    return 0;
}
