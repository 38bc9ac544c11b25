/* MMX, SSE through SSE4.2, AES-NI, PCLMULQDQ and SHA instructions from one table: the
 * encoding (mandatory prefix, 0F / 0F 38 / 0F 3A map, opcode), what the
 * ModRM.reg and ModRM.rm operands are, the memory size and alignment, and
 * immediates. Plus LDMXCSR/STMXCSR with rounding modes, FTZ/DAZ and
 * unmasked exceptions, and FISTTP for SSE3. */
#include <string.h>

#include "gen.h"

/* the ModRM.reg operand */
enum { K_MM, K_XMM, K_R32, K_R32D /* a general register written */, K_GRP /* an opcode extension */ };
/* the ModRM.rm operand */
enum { R_MM, R_XMM, R_R32, R_MMR, R_XMMR, R_MEM, R_FIXED /* the whole ModRM byte is given */ };
/* flags */
#define A16 0x01   /* 16-byte memory operands must be aligned */
#define IMM 0x02   /* an imm8 follows */
#define ST  0x04   /* rm is the destination */
#define EFL 0x08   /* ZF PF CF set, OF SF AF cleared */
#define MDI 0x10   /* stores to [EDI] (MASKMOVQ/MASKMOVDQU) */
#define NOMODRM 0x20
#define CMP 0x40   /* the imm8 is a compare predicate 0..7 */
#define STRI 0x80  /* writes ECX (PCMPxSTRI) */
#define ELEN 0x100 /* string lengths in EAX and EDX (PCMPESTRx) */

struct sop {
    const char *name;
    uint8_t set, pfx, map, op;
    uint8_t rkind, rmkind, msize;
    uint16_t flags;
    uint8_t ext;
};

#define MMX(n, o) { n, S_MMX, 0, 0, o, K_MM, R_MM, 8, 0, 0 }
#define MMXL(n, o) { n, S_MMX, 0, 0, o, K_MM, R_MM, 4, 0, 0 }            /* punpckl*: m32 */
#define XI(n, o) { n, S_SSE2, 0x66, 0, o, K_XMM, R_XMM, 16, A16, 0 }     /* SSE2 integer on xmm */
#define MMXS(n, s, o) { n, s, 0, 0, o, K_MM, R_MM, 8, 0, 0 }             /* MMX-register forms of later sets */
#define PS(n, o) { n, S_SSE, 0, 0, o, K_XMM, R_XMM, 16, A16, 0 }
#define SS(n, o) { n, S_SSE, 0xf3, 0, o, K_XMM, R_XMM, 4, 0, 0 }
#define PD(n, o) { n, S_SSE2, 0x66, 0, o, K_XMM, R_XMM, 16, A16, 0 }
#define SD(n, o) { n, S_SSE2, 0xf2, 0, o, K_XMM, R_XMM, 8, 0, 0 }
#define S3(n, p, o) { n, S_SSE3, p, 0, o, K_XMM, R_XMM, 16, A16, 0 }
#define X41(n, o, sz, f) { n, S_SSE41, 0x66, 1, o, K_XMM, R_XMM, sz, f, 0 }
#define I41(n, o, rm, sz, f) { n, S_SSE41, 0x66, 2, o, K_XMM, rm, sz, IMM | (f), 0 }
#define STR42(n, o, f) { n, S_SSE42, 0x66, 2, o, K_XMM, R_XMM, 16, IMM | EFL | (f), 0 }   /* m128 need not be aligned */
#define AES(n, o) { n, S_AES, 0x66, 1, o, K_XMM, R_XMM, 16, A16, 0 }
#define SHA(n, o) { n, S_SHA, 0, 1, o, K_XMM, R_XMM, 16, A16, 0 }   /* A16 on Intel; AMD does not check */
#define SSSE3(n, o) { n, S_SSSE3, 0, 1, o, K_MM, R_MM, 8, 0, 0 }, { n, S_SSSE3, 0x66, 1, o, K_XMM, R_XMM, 16, A16, 0 }

static const struct sop ops[] = {
    /* MMX */
    MMXL("punpcklbw", 0x60), MMXL("punpcklwd", 0x61), MMXL("punpckldq", 0x62), MMX("packsswb", 0x63),
    MMX("pcmpgtb", 0x64), MMX("pcmpgtw", 0x65), MMX("pcmpgtd", 0x66), MMX("packuswb", 0x67),
    MMX("punpckhbw", 0x68), MMX("punpckhwd", 0x69), MMX("punpckhdq", 0x6a), MMX("packssdw", 0x6b),
    MMX("movq", 0x6f), { "movq", S_MMX, 0, 0, 0x7f, K_MM, R_MM, 8, ST, 0 },
    MMX("pcmpeqb", 0x74), MMX("pcmpeqw", 0x75), MMX("pcmpeqd", 0x76),
    MMX("psrlw", 0xd1), MMX("psrld", 0xd2), MMX("psrlq", 0xd3), MMX("pmullw", 0xd5), MMX("psubusb", 0xd8),
    MMX("psubusw", 0xd9), MMX("pand", 0xdb), MMX("paddusb", 0xdc), MMX("paddusw", 0xdd), MMX("pandn", 0xdf),
    MMX("psraw", 0xe1), MMX("psrad", 0xe2), MMX("pmulhw", 0xe5), MMX("psubsb", 0xe8), MMX("psubsw", 0xe9),
    MMX("por", 0xeb), MMX("paddsb", 0xec), MMX("paddsw", 0xed), MMX("pxor", 0xef), MMX("psllw", 0xf1),
    MMX("pslld", 0xf2), MMX("psllq", 0xf3), MMX("pmaddwd", 0xf5), MMX("psubb", 0xf8), MMX("psubw", 0xf9),
    MMX("psubd", 0xfa), MMX("paddb", 0xfc), MMX("paddw", 0xfd), MMX("paddd", 0xfe),
    { "movd", S_MMX, 0, 0, 0x6e, K_MM, R_R32, 4, 0, 0 }, { "movd", S_MMX, 0, 0, 0x7e, K_MM, R_R32, 4, ST, 0 },
    { "emms", S_MMX, 0, 0, 0x77, K_MM, R_MMR, 0, NOMODRM, 0 },
    { "psrlw", S_MMX, 0, 0, 0x71, K_GRP, R_MMR, 0, IMM, 2 }, { "psraw", S_MMX, 0, 0, 0x71, K_GRP, R_MMR, 0, IMM, 4 },
    { "psllw", S_MMX, 0, 0, 0x71, K_GRP, R_MMR, 0, IMM, 6 }, { "psrld", S_MMX, 0, 0, 0x72, K_GRP, R_MMR, 0, IMM, 2 },
    { "psrad", S_MMX, 0, 0, 0x72, K_GRP, R_MMR, 0, IMM, 4 }, { "pslld", S_MMX, 0, 0, 0x72, K_GRP, R_MMR, 0, IMM, 6 },
    { "psrlq", S_MMX, 0, 0, 0x73, K_GRP, R_MMR, 0, IMM, 2 }, { "psllq", S_MMX, 0, 0, 0x73, K_GRP, R_MMR, 0, IMM, 6 },

    /* SSE: integer on MMX registers */
    { "pshufw", S_SSE, 0, 0, 0x70, K_MM, R_MM, 8, IMM, 0 }, { "pinsrw", S_SSE, 0, 0, 0xc4, K_MM, R_R32, 2, IMM, 0 },
    { "pextrw", S_SSE, 0, 0, 0xc5, K_R32D, R_MMR, 0, IMM, 0 }, { "pmovmskb", S_SSE, 0, 0, 0xd7, K_R32D, R_MMR, 0, 0, 0 },
    MMXS("pminub", S_SSE, 0xda), MMXS("pmaxub", S_SSE, 0xde), MMXS("pavgb", S_SSE, 0xe0), MMXS("pavgw", S_SSE, 0xe3),
    MMXS("pmulhuw", S_SSE, 0xe4), MMXS("pminsw", S_SSE, 0xea), MMXS("pmaxsw", S_SSE, 0xee), MMXS("psadbw", S_SSE, 0xf6),
    { "movntq", S_SSE, 0, 0, 0xe7, K_MM, R_MEM, 8, ST, 0 }, { "maskmovq", S_SSE, 0, 0, 0xf7, K_MM, R_MMR, 8, MDI, 0 },
    /* SSE: single precision */
    { "movups", S_SSE, 0, 0, 0x10, K_XMM, R_XMM, 16, 0, 0 }, { "movups", S_SSE, 0, 0, 0x11, K_XMM, R_XMM, 16, ST, 0 },
    { "movlps", S_SSE, 0, 0, 0x12, K_XMM, R_MEM, 8, 0, 0 }, { "movhlps", S_SSE, 0, 0, 0x12, K_XMM, R_XMMR, 0, 0, 0 },
    { "movlps", S_SSE, 0, 0, 0x13, K_XMM, R_MEM, 8, ST, 0 }, PS("unpcklps", 0x14), PS("unpckhps", 0x15),
    { "movhps", S_SSE, 0, 0, 0x16, K_XMM, R_MEM, 8, 0, 0 }, { "movlhps", S_SSE, 0, 0, 0x16, K_XMM, R_XMMR, 0, 0, 0 },
    { "movhps", S_SSE, 0, 0, 0x17, K_XMM, R_MEM, 8, ST, 0 }, PS("movaps", 0x28),
    { "movaps", S_SSE, 0, 0, 0x29, K_XMM, R_XMM, 16, A16 | ST, 0 },
    { "cvtpi2ps", S_SSE, 0, 0, 0x2a, K_XMM, R_MM, 8, 0, 0 }, { "movntps", S_SSE, 0, 0, 0x2b, K_XMM, R_MEM, 16, A16 | ST, 0 },
    { "cvttps2pi", S_SSE, 0, 0, 0x2c, K_MM, R_XMM, 8, 0, 0 }, { "cvtps2pi", S_SSE, 0, 0, 0x2d, K_MM, R_XMM, 8, 0, 0 },
    { "ucomiss", S_SSE, 0, 0, 0x2e, K_XMM, R_XMM, 4, EFL, 0 }, { "comiss", S_SSE, 0, 0, 0x2f, K_XMM, R_XMM, 4, EFL, 0 },
    { "movmskps", S_SSE, 0, 0, 0x50, K_R32D, R_XMMR, 0, 0, 0 },
    PS("sqrtps", 0x51), PS("rsqrtps", 0x52), PS("rcpps", 0x53), PS("andps", 0x54), PS("andnps", 0x55),
    PS("orps", 0x56), PS("xorps", 0x57), PS("addps", 0x58), PS("mulps", 0x59), PS("subps", 0x5c),
    PS("minps", 0x5d), PS("divps", 0x5e), PS("maxps", 0x5f),
    { "cmpps", S_SSE, 0, 0, 0xc2, K_XMM, R_XMM, 16, A16 | IMM | CMP, 0 }, { "shufps", S_SSE, 0, 0, 0xc6, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    { "movss", S_SSE, 0xf3, 0, 0x10, K_XMM, R_XMM, 4, 0, 0 }, { "movss", S_SSE, 0xf3, 0, 0x11, K_XMM, R_XMM, 4, ST, 0 },
    { "cvtsi2ss", S_SSE, 0xf3, 0, 0x2a, K_XMM, R_R32, 4, 0, 0 }, { "cvttss2si", S_SSE, 0xf3, 0, 0x2c, K_R32D, R_XMM, 4, 0, 0 },
    { "cvtss2si", S_SSE, 0xf3, 0, 0x2d, K_R32D, R_XMM, 4, 0, 0 },
    SS("sqrtss", 0x51), SS("rsqrtss", 0x52), SS("rcpss", 0x53), SS("addss", 0x58), SS("mulss", 0x59),
    SS("subss", 0x5c), SS("minss", 0x5d), SS("divss", 0x5e), SS("maxss", 0x5f),
    { "cmpss", S_SSE, 0xf3, 0, 0xc2, K_XMM, R_XMM, 4, IMM | CMP, 0 },
    { "prefetchnta", S_SSE, 0, 0, 0x18, K_GRP, R_MEM, 1, 0, 0 }, { "prefetcht0", S_SSE, 0, 0, 0x18, K_GRP, R_MEM, 1, 0, 1 },
    { "prefetcht1", S_SSE, 0, 0, 0x18, K_GRP, R_MEM, 1, 0, 2 }, { "prefetcht2", S_SSE, 0, 0, 0x18, K_GRP, R_MEM, 1, 0, 3 },
    { "sfence", S_SSE, 0, 0, 0xae, K_GRP, R_FIXED, 0, 0, 0xf8 },

    /* SSE2: MMX-register forms */
    MMXS("paddq", S_SSE2, 0xd4), MMXS("pmuludq", S_SSE2, 0xf4), MMXS("psubq", S_SSE2, 0xfb),
    /* SSE2: double precision */
    { "movupd", S_SSE2, 0x66, 0, 0x10, K_XMM, R_XMM, 16, 0, 0 }, { "movupd", S_SSE2, 0x66, 0, 0x11, K_XMM, R_XMM, 16, ST, 0 },
    { "movlpd", S_SSE2, 0x66, 0, 0x12, K_XMM, R_MEM, 8, 0, 0 }, { "movlpd", S_SSE2, 0x66, 0, 0x13, K_XMM, R_MEM, 8, ST, 0 },
    PD("unpcklpd", 0x14), PD("unpckhpd", 0x15),
    { "movhpd", S_SSE2, 0x66, 0, 0x16, K_XMM, R_MEM, 8, 0, 0 }, { "movhpd", S_SSE2, 0x66, 0, 0x17, K_XMM, R_MEM, 8, ST, 0 },
    PD("movapd", 0x28), { "movapd", S_SSE2, 0x66, 0, 0x29, K_XMM, R_XMM, 16, A16 | ST, 0 },
    { "cvtpi2pd", S_SSE2, 0x66, 0, 0x2a, K_XMM, R_MM, 8, 0, 0 },
    { "movntpd", S_SSE2, 0x66, 0, 0x2b, K_XMM, R_MEM, 16, A16 | ST, 0 },
    { "cvttpd2pi", S_SSE2, 0x66, 0, 0x2c, K_MM, R_XMM, 16, A16, 0 }, { "cvtpd2pi", S_SSE2, 0x66, 0, 0x2d, K_MM, R_XMM, 16, A16, 0 },
    { "ucomisd", S_SSE2, 0x66, 0, 0x2e, K_XMM, R_XMM, 8, EFL, 0 }, { "comisd", S_SSE2, 0x66, 0, 0x2f, K_XMM, R_XMM, 8, EFL, 0 },
    { "movmskpd", S_SSE2, 0x66, 0, 0x50, K_R32D, R_XMMR, 0, 0, 0 },
    PD("sqrtpd", 0x51), PD("andpd", 0x54), PD("andnpd", 0x55), PD("orpd", 0x56), PD("xorpd", 0x57),
    PD("addpd", 0x58), PD("mulpd", 0x59), PD("cvtpd2ps", 0x5a), PD("cvtps2dq", 0x5b), PD("subpd", 0x5c),
    PD("minpd", 0x5d), PD("divpd", 0x5e), PD("maxpd", 0x5f),
    { "cmppd", S_SSE2, 0x66, 0, 0xc2, K_XMM, R_XMM, 16, A16 | IMM | CMP, 0 },
    { "shufpd", S_SSE2, 0x66, 0, 0xc6, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    { "movsd", S_SSE2, 0xf2, 0, 0x10, K_XMM, R_XMM, 8, 0, 0 }, { "movsd", S_SSE2, 0xf2, 0, 0x11, K_XMM, R_XMM, 8, ST, 0 },
    { "cvtsi2sd", S_SSE2, 0xf2, 0, 0x2a, K_XMM, R_R32, 4, 0, 0 }, { "cvttsd2si", S_SSE2, 0xf2, 0, 0x2c, K_R32D, R_XMM, 8, 0, 0 },
    { "cvtsd2si", S_SSE2, 0xf2, 0, 0x2d, K_R32D, R_XMM, 8, 0, 0 },
    SD("sqrtsd", 0x51), SD("addsd", 0x58), SD("mulsd", 0x59), SD("cvtsd2ss", 0x5a), SD("subsd", 0x5c),
    SD("minsd", 0x5d), SD("divsd", 0x5e), SD("maxsd", 0x5f),
    { "cmpsd", S_SSE2, 0xf2, 0, 0xc2, K_XMM, R_XMM, 8, IMM | CMP, 0 },
    { "cvtpd2dq", S_SSE2, 0xf2, 0, 0xe6, K_XMM, R_XMM, 16, A16, 0 },
    { "pshuflw", S_SSE2, 0xf2, 0, 0x70, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    { "movdq2q", S_SSE2, 0xf2, 0, 0xd6, K_MM, R_XMMR, 0, 0, 0 },
    { "cvtss2sd", S_SSE2, 0xf3, 0, 0x5a, K_XMM, R_XMM, 4, 0, 0 },
    { "cvttps2dq", S_SSE2, 0xf3, 0, 0x5b, K_XMM, R_XMM, 16, A16, 0 },
    { "movdqu", S_SSE2, 0xf3, 0, 0x6f, K_XMM, R_XMM, 16, 0, 0 }, { "movdqu", S_SSE2, 0xf3, 0, 0x7f, K_XMM, R_XMM, 16, ST, 0 },
    { "pshufhw", S_SSE2, 0xf3, 0, 0x70, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    { "movq", S_SSE2, 0xf3, 0, 0x7e, K_XMM, R_XMM, 8, 0, 0 },
    { "movq2dq", S_SSE2, 0xf3, 0, 0xd6, K_XMM, R_MMR, 0, 0, 0 },
    { "cvtdq2pd", S_SSE2, 0xf3, 0, 0xe6, K_XMM, R_XMM, 8, 0, 0 },
    { "cvtps2pd", S_SSE2, 0, 0, 0x5a, K_XMM, R_XMM, 8, 0, 0 }, { "cvtdq2ps", S_SSE2, 0, 0, 0x5b, K_XMM, R_XMM, 16, A16, 0 },
    { "movnti", S_SSE2, 0, 0, 0xc3, K_R32, R_MEM, 4, ST, 0 },
    { "clflush", S_SSE2, 0, 0, 0xae, K_GRP, R_MEM, 1, 0, 7 },
    { "lfence", S_SSE2, 0, 0, 0xae, K_GRP, R_FIXED, 0, 0, 0xe8 }, { "mfence", S_SSE2, 0, 0, 0xae, K_GRP, R_FIXED, 0, 0, 0xf0 },
    /* SSE2: integer on xmm */
    XI("punpcklbw", 0x60), XI("punpcklwd", 0x61), XI("punpckldq", 0x62), XI("packsswb", 0x63), XI("pcmpgtb", 0x64),
    XI("pcmpgtw", 0x65), XI("pcmpgtd", 0x66), XI("packuswb", 0x67), XI("punpckhbw", 0x68), XI("punpckhwd", 0x69),
    XI("punpckhdq", 0x6a), XI("packssdw", 0x6b), XI("punpcklqdq", 0x6c), XI("punpckhqdq", 0x6d),
    { "movd", S_SSE2, 0x66, 0, 0x6e, K_XMM, R_R32, 4, 0, 0 }, XI("movdqa", 0x6f),
    { "pshufd", S_SSE2, 0x66, 0, 0x70, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    XI("pcmpeqb", 0x74), XI("pcmpeqw", 0x75), XI("pcmpeqd", 0x76),
    { "movd", S_SSE2, 0x66, 0, 0x7e, K_XMM, R_R32, 4, ST, 0 }, { "movdqa", S_SSE2, 0x66, 0, 0x7f, K_XMM, R_XMM, 16, A16 | ST, 0 },
    { "pinsrw", S_SSE2, 0x66, 0, 0xc4, K_XMM, R_R32, 2, IMM, 0 }, { "pextrw", S_SSE2, 0x66, 0, 0xc5, K_R32D, R_XMMR, 0, IMM, 0 },
    XI("psrlw", 0xd1), XI("psrld", 0xd2), XI("psrlq", 0xd3), XI("paddq", 0xd4), XI("pmullw", 0xd5),
    { "movq", S_SSE2, 0x66, 0, 0xd6, K_XMM, R_XMM, 8, ST, 0 }, { "pmovmskb", S_SSE2, 0x66, 0, 0xd7, K_R32D, R_XMMR, 0, 0, 0 },
    XI("psubusb", 0xd8), XI("psubusw", 0xd9), XI("pminub", 0xda), XI("pand", 0xdb), XI("paddusb", 0xdc),
    XI("paddusw", 0xdd), XI("pmaxub", 0xde), XI("pandn", 0xdf), XI("pavgb", 0xe0), XI("psraw", 0xe1),
    XI("psrad", 0xe2), XI("pavgw", 0xe3), XI("pmulhuw", 0xe4), XI("pmulhw", 0xe5), XI("cvttpd2dq", 0xe6),
    { "movntdq", S_SSE2, 0x66, 0, 0xe7, K_XMM, R_MEM, 16, A16 | ST, 0 },
    XI("psubsb", 0xe8), XI("psubsw", 0xe9), XI("pminsw", 0xea), XI("por", 0xeb), XI("paddsb", 0xec),
    XI("paddsw", 0xed), XI("pmaxsw", 0xee), XI("pxor", 0xef), XI("psllw", 0xf1), XI("pslld", 0xf2),
    XI("psllq", 0xf3), XI("pmuludq", 0xf4), XI("pmaddwd", 0xf5), XI("psadbw", 0xf6),
    { "maskmovdqu", S_SSE2, 0x66, 0, 0xf7, K_XMM, R_XMMR, 16, MDI, 0 },
    XI("psubb", 0xf8), XI("psubw", 0xf9), XI("psubd", 0xfa), XI("psubq", 0xfb), XI("paddb", 0xfc),
    XI("paddw", 0xfd), XI("paddd", 0xfe),
    { "psrlw", S_SSE2, 0x66, 0, 0x71, K_GRP, R_XMMR, 0, IMM, 2 }, { "psraw", S_SSE2, 0x66, 0, 0x71, K_GRP, R_XMMR, 0, IMM, 4 },
    { "psllw", S_SSE2, 0x66, 0, 0x71, K_GRP, R_XMMR, 0, IMM, 6 }, { "psrld", S_SSE2, 0x66, 0, 0x72, K_GRP, R_XMMR, 0, IMM, 2 },
    { "psrad", S_SSE2, 0x66, 0, 0x72, K_GRP, R_XMMR, 0, IMM, 4 }, { "pslld", S_SSE2, 0x66, 0, 0x72, K_GRP, R_XMMR, 0, IMM, 6 },
    { "psrlq", S_SSE2, 0x66, 0, 0x73, K_GRP, R_XMMR, 0, IMM, 2 }, { "psrldq", S_SSE2, 0x66, 0, 0x73, K_GRP, R_XMMR, 0, IMM, 3 },
    { "psllq", S_SSE2, 0x66, 0, 0x73, K_GRP, R_XMMR, 0, IMM, 6 }, { "pslldq", S_SSE2, 0x66, 0, 0x73, K_GRP, R_XMMR, 0, IMM, 7 },

    /* SSE3 */
    { "lddqu", S_SSE3, 0xf2, 0, 0xf0, K_XMM, R_MEM, 16, 0, 0 },
    { "movddup", S_SSE3, 0xf2, 0, 0x12, K_XMM, R_XMM, 8, 0, 0 },
    S3("movsldup", 0xf3, 0x12), S3("movshdup", 0xf3, 0x16), S3("addsubpd", 0x66, 0xd0), S3("addsubps", 0xf2, 0xd0),
    S3("haddpd", 0x66, 0x7c), S3("haddps", 0xf2, 0x7c), S3("hsubpd", 0x66, 0x7d), S3("hsubps", 0xf2, 0x7d),

    /* SSSE3: each in MMX and XMM form */
    SSSE3("pshufb", 0x00), SSSE3("phaddw", 0x01), SSSE3("phaddd", 0x02), SSSE3("phaddsw", 0x03),
    SSSE3("pmaddubsw", 0x04), SSSE3("phsubw", 0x05), SSSE3("phsubd", 0x06), SSSE3("phsubsw", 0x07),
    SSSE3("psignb", 0x08), SSSE3("psignw", 0x09), SSSE3("psignd", 0x0a), SSSE3("pmulhrsw", 0x0b),
    SSSE3("pabsb", 0x1c), SSSE3("pabsw", 0x1d), SSSE3("pabsd", 0x1e),
    { "palignr", S_SSSE3, 0, 2, 0x0f, K_MM, R_MM, 8, IMM, 0 }, { "palignr", S_SSSE3, 0x66, 2, 0x0f, K_XMM, R_XMM, 16, A16 | IMM, 0 },

    /* SSE4.1 (only when the host has it: fuzz.c) */
    X41("pblendvb", 0x10, 16, A16), X41("blendvps", 0x14, 16, A16), X41("blendvpd", 0x15, 16, A16),
    X41("ptest", 0x17, 16, A16 | EFL),
    X41("pmovsxbw", 0x20, 8, 0), X41("pmovsxbd", 0x21, 4, 0), X41("pmovsxbq", 0x22, 2, 0),
    X41("pmovsxwd", 0x23, 8, 0), X41("pmovsxwq", 0x24, 4, 0), X41("pmovsxdq", 0x25, 8, 0),
    X41("pmuldq", 0x28, 16, A16), X41("pcmpeqq", 0x29, 16, A16),
    { "movntdqa", S_SSE41, 0x66, 1, 0x2a, K_XMM, R_MEM, 16, A16, 0 }, X41("packusdw", 0x2b, 16, A16),
    X41("pmovzxbw", 0x30, 8, 0), X41("pmovzxbd", 0x31, 4, 0), X41("pmovzxbq", 0x32, 2, 0),
    X41("pmovzxwd", 0x33, 8, 0), X41("pmovzxwq", 0x34, 4, 0), X41("pmovzxdq", 0x35, 8, 0),
    X41("pminsb", 0x38, 16, A16), X41("pminsd", 0x39, 16, A16), X41("pminuw", 0x3a, 16, A16),
    X41("pminud", 0x3b, 16, A16), X41("pmaxsb", 0x3c, 16, A16), X41("pmaxsd", 0x3d, 16, A16),
    X41("pmaxuw", 0x3e, 16, A16), X41("pmaxud", 0x3f, 16, A16), X41("pmulld", 0x40, 16, A16),
    X41("phminposuw", 0x41, 16, A16),
    I41("roundps", 0x08, R_XMM, 16, A16), I41("roundpd", 0x09, R_XMM, 16, A16),
    I41("roundss", 0x0a, R_XMM, 4, 0), I41("roundsd", 0x0b, R_XMM, 8, 0),
    I41("blendps", 0x0c, R_XMM, 16, A16), I41("blendpd", 0x0d, R_XMM, 16, A16), I41("pblendw", 0x0e, R_XMM, 16, A16),
    I41("pextrb", 0x14, R_R32, 1, ST), I41("pextrw", 0x15, R_R32, 2, ST), I41("pextrd", 0x16, R_R32, 4, ST),
    I41("extractps", 0x17, R_R32, 4, ST), I41("pinsrb", 0x20, R_R32, 1, 0), I41("insertps", 0x21, R_XMM, 4, 0),
    I41("pinsrd", 0x22, R_R32, 4, 0),
    I41("dpps", 0x40, R_XMM, 16, A16), I41("dppd", 0x41, R_XMM, 16, A16), I41("mpsadbw", 0x42, R_XMM, 16, A16),

    /* SSE4.2 (CRC32 and POPCNT are in the int set) */
    { "pcmpgtq", S_SSE42, 0x66, 1, 0x37, K_XMM, R_XMM, 16, A16, 0 },
    STR42("pcmpestrm", 0x60, ELEN), STR42("pcmpestri", 0x61, ELEN | STRI),
    STR42("pcmpistrm", 0x62, 0), STR42("pcmpistri", 0x63, STRI),

    /* AES-NI and PCLMULQDQ */
    AES("aesimc", 0xdb), AES("aesenc", 0xdc), AES("aesenclast", 0xdd), AES("aesdec", 0xde), AES("aesdeclast", 0xdf),
    { "aeskeygenassist", S_AES, 0x66, 2, 0xdf, K_XMM, R_XMM, 16, A16 | IMM, 0 },
    { "pclmulqdq", S_AES, 0x66, 2, 0x44, K_XMM, R_XMM, 16, A16 | IMM, 0 },

    /* SHA */
    SHA("sha1nexte", 0xc8), SHA("sha1msg1", 0xc9), SHA("sha1msg2", 0xca), SHA("sha256rnds2", 0xcb),
    SHA("sha256msg1", 0xcc), SHA("sha256msg2", 0xcd),
    { "sha1rnds4", S_SHA, 0, 2, 0xcc, K_XMM, R_XMM, 16, A16 | IMM, 0 },
};
#define NOPS (sizeof ops / sizeof ops[0])

/* One instruction of the table. */
static bool simd_op(struct gen *g, const struct sop *s)
{
    struct rmop o;
    memset(&o, 0, sizeof o);
    bool mem = false;
    switch (s->rmkind) {
    case R_MEM: mem = true; break;
    case R_MM: case R_XMM: case R_R32: mem = chance(g, 40); break;
    default: break;
    }
    if (s->flags & MDI) {   /* MASKMOV stores the selected bytes at [EDI] */
        uint32_t a = FZ_WIN + rnd_below(g, FZ_DATA_END - FZ_WIN - s->msize);
        if (!emit_mov_imm(g, EDI, a)) return false;
        g->avoid_idx |= 1 << EDI;
    }
    if (s->flags & ELEN)   /* the lengths: mostly near the element counts, negative too */
        for (int r = EAX; r <= EDX; r++) {
            if (r == ECX || chance(g, 25)) continue;   /* whatever the register holds */
            uint32_t v = chance(g, 80) ? (uint32_t)((int)rnd_below(g, 41) - 20) : pick_u32(g);
            if (!emit_mov_imm(g, r, v)) return false;
            g->avoid_idx |= 1 << r;
        }
    if (mem) {
        int f = (s->flags & ST) ? M_WRITE | M_FAULT : M_READ | M_FAULT;
        if (s->flags & A16) {
            if (g->fault_ok && !g->ended && chance(g, 6)) {
                f |= M_MISALIGN;   /* #GP: the case ends there */
                g->ended = true;
            } else {
                f |= M_ALIGN;
            }
        }
        o.is_mem = 1;
        if (!pick_mem(g, &o.m, s->msize, f)) return false;
    } else if (s->rmkind == R_R32) {
        o.reg = (s->flags & ST) ? pick_dst(g, 4) : pick_src(g);
    } else {
        o.reg = rnd_below(g, 8);
    }
    struct ins *I = ins_new(g, s->set, s->name);
    if (o.is_mem && o.m.seg) ins_b(I, o.m.seg);
    if (s->pfx) ins_b(I, s->pfx);
    ins_b(I, 0x0f);
    if (s->map == 1) ins_b(I, 0x38);
    if (s->map == 2) ins_b(I, 0x3a);
    ins_b(I, s->op);
    if (s->rmkind == R_FIXED) {
        ins_b(I, s->ext);
    } else if (!(s->flags & NOMODRM)) {
        int reg = rnd_below(g, 8);
        if (s->rkind == K_GRP) reg = s->ext;
        if (s->rkind == K_R32D) reg = pick_dst(g, 4);
        if (s->rkind == K_R32) reg = pick_src(g);
        ins_modrm(I, reg, &o);
        if (s->rkind == K_R32D) I->regs_w |= 1 << reg;
    }
    if (s->flags & IMM) ins_b(I, (uint8_t)((s->flags & CMP) ? rnd_below(g, 8) : chance(g, 30) ? rnd_below(g, 20) : rnd(g)));
    if ((s->flags & ST) && s->rmkind == R_R32 && !o.is_mem) I->regs_w |= 1 << o.reg;
    if (s->flags & EFL) I->f_def = FZ_ARITH;
    if (s->flags & STRI) I->regs_w |= 1 << ECX;
    return ins_end(g, I);
}

/* LDMXCSR of a chosen value (rounding, FTZ, DAZ, masks), or STMXCSR. */
static bool simd_mxcsr(struct gen *g)
{
    struct memop m;
    bool load = chance(g, 70);
    if (!pick_mem(g, &m, 4, (load ? M_READ : M_WRITE) | M_DATA)) return false;
    if (load) {
        uint32_t v = 0x1f80 | rnd_below(g, 4) << 13;
        if (chance(g, 15)) v &= ~(0x80u << rnd_below(g, 6));   /* one exception unmasked */
        if (chance(g, 30)) v |= 0x8000;                        /* FTZ */
        if (chance(g, 30)) v |= 0x40;                          /* DAZ */
        if (chance(g, 20)) v |= rnd(g) & 0x3f;                 /* sticky flags */
        if (g->fault_ok && !g->ended && chance(g, 10)) {       /* a reserved bit: #GP */
            v |= 0x80000000u;
            g->ended = true;
        }
        if (!emit_store_imm(g, m.addr, v, 4)) return false;
    }
    struct rmop o = { .is_mem = 1, .m = m };
    struct ins *I = ins_new(g, S_SSE, load ? "ldmxcsr" : "stmxcsr");
    if (m.seg) ins_b(I, m.seg);
    ins_b(I, 0x0f);
    ins_b(I, 0xae);
    ins_modrm(I, load ? 2 : 3, &o);
    return ins_end(g, I);
}

bool gen_simd(struct gen *g, int set)
{
    if (set == S_SSE && chance(g, 6)) return simd_mxcsr(g);
    if (set == S_SSE3 && chance(g, 15)) return gen_fisttp(g);
    int n = 0;
    for (unsigned k = 0; k < NOPS; k++) n += ops[k].set == set;
    if (!n) return false;
    int count = 1 + (chance(g, 30) ? rnd_below(g, 3) : 0);
    for (int c = 0; c < count; c++) {
        int pick = rnd_below(g, n);
        for (unsigned k = 0; k < NOPS; k++)
            if (ops[k].set == set && pick-- == 0) {
                if (!simd_op(g, &ops[k])) return false;
                break;
            }
    }
    if (set == S_MMX && chance(g, 15))   /* leave MMX state: x87 code may follow */
        for (unsigned k = 0; k < NOPS; k++)
            if (ops[k].flags & NOMODRM) return simd_op(g, &ops[k]);
    return true;
}
