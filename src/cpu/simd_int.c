/* MMX, SSE/SSE2 packed integer, SSSE3 and the integer moves (SDM vol.2).
 * Each operation is written once over the lanes of a union xmm_reg holding
 * n bytes: n = 8 for the MMX form (no prefix, mm registers), 16 for the XMM
 * form (66 prefix). The forms are generated from that one body; n is a
 * constant in each, so the compiler unrolls or vectorises the lane loop. */
#include "sse.h"

#define AI static inline __attribute__((always_inline))
typedef union xmm_reg xr;

AI int sat_s8(int v) { return v < -128 ? -128 : v > 127 ? 127 : v; }
AI int sat_u8(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }
AI int sat_s16(int v) { return v < -32768 ? -32768 : v > 32767 ? 32767 : v; }
AI int sat_u16(int v) { return v < 0 ? 0 : v > 65535 ? 65535 : v; }

/* ---- operand forms ---- */

/* MMX punpckl* read only 32 bits from memory (SDM: mm, mm/m32) */
static inline uint64_t mm_load_rm_lo32(struct cpu *c, const struct insn *i)
{
    if (i->mod3) return mm_get(c, i->rm);
    mmx_pending(c, i);
    return ld32(ea(c, i));
}

/* reg = op(reg, r/m): the MMX form and the XMM form (legacy SSE: an m128
 * operand must be 16-byte aligned). The source is read before the MMX state
 * changes, so a faulting load leaves the x87 state alone. */
#define FORMS(name, mm_src)                                                    \
    HANDLER(op_##name##_mm) \
    {                                                                          \
        xr s, d;                                                               \
        s.q[0] = mm_src(c, i);                                                 \
        mmx_enter(c, i);                                                          \
        d.q[0] = mm_get(c, i->reg);                                            \
        name##_lanes(&d, &s, 8);                                               \
        mm_set(c, i->reg, d.q[0]);                                             \
    }                                                                          \
    HANDLER(op_##name##_xmm)          \
    {                                                                          \
        xr s = xmm_load_arith(c, i);                                               \
        name##_lanes(&c->xmm[i->reg], &s, 16);                                 \
    }

/* An operation lane by lane: a = destination lane, b = source lane, as T. */
#define LANEWISE(name, f, T, expr)                                             \
    AI void name##_lanes(xr *d, const xr *s, int n)                            \
    {                                                                          \
        for (int k = 0; k < n / (int)sizeof d->f[0]; k++) {                    \
            T a = (T)d->f[k], b = (T)s->f[k];                                  \
            (void)a;                                                           \
            d->f[k] = (expr);                                                  \
        }                                                                      \
    }                                                                          \
    FORMS(name, mm_load_rm)

/* A result built in t from both operands, then copied (lanes move). */
#define COMBINE(name, ...)                                                     \
    AI void name##_lanes(xr *d, const xr *s, int n)                            \
    {                                                                          \
        xr t;                                                                  \
        __VA_ARGS__;                                                           \
        memcpy(d, &t, n);                                                      \
    }

/* ---- lane-wise arithmetic, compares, logic ---- */
LANEWISE(paddb, b, uint8_t, a + b)
LANEWISE(paddw, w, uint16_t, a + b)
LANEWISE(paddd, d, uint32_t, a + b)
LANEWISE(paddq, q, uint64_t, a + b)
LANEWISE(psubb, b, uint8_t, a - b)
LANEWISE(psubw, w, uint16_t, a - b)
LANEWISE(psubd, d, uint32_t, a - b)
LANEWISE(psubq, q, uint64_t, a - b)
LANEWISE(paddsb, b, int8_t, sat_s8(a + b))
LANEWISE(paddsw, w, int16_t, sat_s16(a + b))
LANEWISE(paddusb, b, uint8_t, sat_u8(a + b))
LANEWISE(paddusw, w, uint16_t, sat_u16(a + b))
LANEWISE(psubsb, b, int8_t, sat_s8(a - b))
LANEWISE(psubsw, w, int16_t, sat_s16(a - b))
LANEWISE(psubusb, b, uint8_t, sat_u8(a - b))
LANEWISE(psubusw, w, uint16_t, sat_u16(a - b))
LANEWISE(pmullw, w, uint16_t, (uint32_t)a * b)
LANEWISE(pmulhw, w, int16_t, (a * b) >> 16)
LANEWISE(pmulhuw, w, uint16_t, ((uint32_t)a * b) >> 16)
LANEWISE(pmuludq, q, uint64_t, (uint64_t)(uint32_t)a * (uint32_t)b)
LANEWISE(pcmpeqb, b, uint8_t, -(uint8_t)(a == b))
LANEWISE(pcmpeqw, w, uint16_t, -(uint16_t)(a == b))
LANEWISE(pcmpeqd, d, uint32_t, -(uint32_t)(a == b))
LANEWISE(pcmpgtb, b, int8_t, -(a > b))
LANEWISE(pcmpgtw, w, int16_t, -(a > b))
LANEWISE(pcmpgtd, d, int32_t, -(uint32_t)(a > b))
LANEWISE(pand, q, uint64_t, a & b)
LANEWISE(pandn, q, uint64_t, ~a & b)
LANEWISE(por, q, uint64_t, a | b)
LANEWISE(pxor, q, uint64_t, a ^ b)
LANEWISE(pavgb, b, uint8_t, (a + b + 1) >> 1)
LANEWISE(pavgw, w, uint16_t, (a + b + 1) >> 1)
LANEWISE(pminub, b, uint8_t, a < b ? a : b)
LANEWISE(pmaxub, b, uint8_t, a > b ? a : b)
LANEWISE(pminsw, w, int16_t, a < b ? a : b)
LANEWISE(pmaxsw, w, int16_t, a > b ? a : b)
/* SSSE3 */
LANEWISE(psignb, b, int8_t, b < 0 ? -a : b == 0 ? 0 : a)
LANEWISE(psignw, w, int16_t, b < 0 ? -a : b == 0 ? 0 : a)
LANEWISE(psignd, d, int32_t, b < 0 ? -(uint32_t)a : b == 0 ? 0 : (uint32_t)a)
LANEWISE(pabsb, b, int8_t, b < 0 ? -b : b)
LANEWISE(pabsw, w, int16_t, b < 0 ? -b : b)
LANEWISE(pabsd, d, int32_t, b < 0 ? -(uint32_t)b : (uint32_t)b)
LANEWISE(pmulhrsw, w, int16_t, ((a * b >> 14) + 1) >> 1)

/* ---- multiply-add, sum of differences ---- */
COMBINE(pmaddwd, for (int k = 0; k < n / 4; k++)
    t.d[k] = (uint32_t)((int16_t)d->w[2 * k] * (int16_t)s->w[2 * k]) +
             (uint32_t)((int16_t)d->w[2 * k + 1] * (int16_t)s->w[2 * k + 1]))
FORMS(pmaddwd, mm_load_rm)
/* unsigned bytes of the destination times signed bytes of the source */
COMBINE(pmaddubsw, for (int k = 0; k < n / 2; k++)
    t.w[k] = sat_s16(d->b[2 * k] * (int8_t)s->b[2 * k] + d->b[2 * k + 1] * (int8_t)s->b[2 * k + 1]))
FORMS(pmaddubsw, mm_load_rm)
/* each 64-bit lane: the sum of its 8 absolute byte differences, zero-extended */
COMBINE(psadbw, for (int g = 0; g < n / 8; g++) {
    unsigned sum = 0;
    for (int k = 8 * g; k < 8 * g + 8; k++) sum += d->b[k] > s->b[k] ? d->b[k] - s->b[k] : s->b[k] - d->b[k];
    t.q[g] = sum;
})
FORMS(psadbw, mm_load_rm)

/* ---- pack (destination lanes low, source lanes high, saturated) ---- */
#define PACK(name, fo, fi, Ti, sat)                                            \
    COMBINE(name, int h = n / (int)sizeof d->fi[0];                            \
            for (int k = 0; k < 2 * h; k++)                                    \
                t.fo[k] = sat(k < h ? (Ti)d->fi[k] : (Ti)s->fi[k - h]))        \
    FORMS(name, mm_load_rm)
PACK(packsswb, b, w, int16_t, sat_s8)
PACK(packssdw, w, d, int32_t, sat_s16)
PACK(packuswb, b, w, int16_t, sat_u8)

/* ---- unpack (interleave the low or high halves) ---- */
#define UNPACK(name, f, high, mm_src)                                          \
    COMBINE(name, int h = n / 2 / (int)sizeof d->f[0];                        \
            for (int k = 0; k < h; k++) {                                      \
                t.f[2 * k] = d->f[k + (high ? h : 0)];                         \
                t.f[2 * k + 1] = s->f[k + (high ? h : 0)];                     \
            })                                                                 \
    FORMS(name, mm_src)
UNPACK(punpcklbw, b, 0, mm_load_rm_lo32)
UNPACK(punpcklwd, w, 0, mm_load_rm_lo32)
UNPACK(punpckldq, d, 0, mm_load_rm_lo32)
UNPACK(punpckhbw, b, 1, mm_load_rm)
UNPACK(punpckhwd, w, 1, mm_load_rm)
UNPACK(punpckhdq, d, 1, mm_load_rm)
UNPACK(punpcklqdq, q, 0, mm_load_rm)   /* XMM form only */
UNPACK(punpckhqdq, q, 1, mm_load_rm)

/* ---- SSSE3 horizontal add/subtract: destination pairs low, source pairs high ---- */
#define HORIZ(name, f, T, expr)                                                \
    COMBINE(name, int h = n / 2 / (int)sizeof d->f[0];                        \
            for (int k = 0; k < 2 * h; k++) {                                  \
                const xr *v = k < h ? d : s;                                   \
                int j = 2 * (k < h ? k : k - h);                               \
                T a = (T)v->f[j], b = (T)v->f[j + 1];                          \
                t.f[k] = (expr);                                               \
            })                                                                 \
    FORMS(name, mm_load_rm)
HORIZ(phaddw, w, uint16_t, a + b)
HORIZ(phaddd, d, uint32_t, a + b)
HORIZ(phaddsw, w, int16_t, sat_s16(a + b))
HORIZ(phsubw, w, uint16_t, a - b)
HORIZ(phsubd, d, uint32_t, a - b)
HORIZ(phsubsw, w, int16_t, sat_s16(a - b))

/* pshufb: each source byte selects a destination byte, or zero (bit 7) */
COMBINE(pshufb, for (int k = 0; k < n; k++)
    t.b[k] = s->b[k] & 0x80 ? 0 : d->b[s->b[k] & (n - 1)])
FORMS(pshufb, mm_load_rm)

/* palignr: the destination:source concatenation shifted right by imm8 bytes */
AI void palignr_lanes(xr *d, const xr *s, int n, unsigned imm)
{
    xr t;
    for (int k = 0; k < n; k++) {
        unsigned j = imm + k;
        t.b[k] = j < (unsigned)n ? s->b[j] : j < 2u * n ? d->b[j - n] : 0;
    }
    memcpy(d, &t, n);
}
HANDLER(op_palignr_mm)
{
    xr s, d;
    s.q[0] = mm_load_rm(c, i);
    mmx_enter(c, i);
    d.q[0] = mm_get(c, i->reg);
    palignr_lanes(&d, &s, 8, i->imm);
    mm_set(c, i->reg, d.q[0]);
}
HANDLER(op_palignr_xmm)
{
    xr s = xmm_load_arith(c, i);
    palignr_lanes(&c->xmm[i->reg], &s, 16, i->imm);
}

/* ---- shifts: by mm/xmm/memory (its low 64 bits) and by imm8 (groups 71-73).
 * Logical shifts by the lane width or more give 0, arithmetic ones sign fill. */
#define SHIFT(name, f, T, arith, expr)                                         \
    AI void name##_lanes(xr *d, uint64_t cnt, int n)                           \
    {                                                                          \
        const unsigned w = 8 * sizeof d->f[0];                                 \
        if (!arith && cnt >= w) { memset(d, 0, n); return; }                  \
        unsigned sh = cnt >= w ? w - 1 : (unsigned)cnt;                        \
        for (int k = 0; k < n / (int)sizeof d->f[0]; k++) {                    \
            T a = (T)d->f[k];                                                  \
            d->f[k] = (expr);                                                  \
        }                                                                      \
    }                                                                          \
    HANDLER(op_##name##_mm) \
    {                                                                          \
        xr d;                                                                  \
        uint64_t cnt = mm_load_rm(c, i);                                       \
        mmx_enter(c, i);                                                          \
        d.q[0] = mm_get(c, i->reg);                                            \
        name##_lanes(&d, cnt, 8);                                              \
        mm_set(c, i->reg, d.q[0]);                                             \
    }                                                                          \
    HANDLER(op_##name##_xmm)          \
    {                                                                          \
        name##_lanes(&c->xmm[i->reg], xmm_load_arith(c, i).q[0], 16);              \
    }                                                                          \
    HANDLER(op_##name##_mm_imm)       \
    {                                                                          \
        xr d;                                                                  \
        mmx_enter(c, i);                                                          \
        d.q[0] = mm_get(c, i->rm);                                             \
        name##_lanes(&d, i->imm, 8);                                           \
        mm_set(c, i->rm, d.q[0]);                                              \
    }                                                                          \
    HANDLER(op_##name##_xmm_imm)      \
    {                                                                          \
        name##_lanes(&c->xmm[i->rm], i->imm, 16);                              \
    }
SHIFT(psrlw, w, uint16_t, 0, a >> sh)
SHIFT(psrld, d, uint32_t, 0, a >> sh)
SHIFT(psrlq, q, uint64_t, 0, a >> sh)
SHIFT(psllw, w, uint16_t, 0, a << sh)
SHIFT(pslld, d, uint32_t, 0, a << sh)
SHIFT(psllq, q, uint64_t, 0, a << sh)
SHIFT(psraw, w, int16_t, 1, a >> sh)
SHIFT(psrad, d, int32_t, 1, a >> sh)

/* psrldq / pslldq xmm, imm8: whole-register byte shifts (66 0F 73 /3, /7) */
HANDLER(op_psrldq)
{
    xr *d = &c->xmm[i->rm], t;
    for (unsigned k = 0; k < 16; k++) t.b[k] = k + i->imm < 16 ? d->b[k + i->imm] : 0;
    *d = t;
}
HANDLER(op_pslldq)
{
    xr *d = &c->xmm[i->rm], t;
    for (unsigned k = 0; k < 16; k++) t.b[k] = k >= i->imm ? d->b[k - i->imm] : 0;
    *d = t;
}

/* ---- shuffles by imm8 (0F 70) ---- */
HANDLER(op_pshufw)
{
    xr s, t;
    s.q[0] = mm_load_rm(c, i);
    mmx_enter(c, i);
    for (int k = 0; k < 4; k++) t.w[k] = s.w[(i->imm >> 2 * k) & 3];
    mm_set(c, i->reg, t.q[0]);
}
HANDLER(op_pshufd)
{
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    for (int k = 0; k < 4; k++) d->d[k] = s.d[(i->imm >> 2 * k) & 3];
}
HANDLER(op_pshufhw)
{
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    d->q[0] = s.q[0];
    for (int k = 0; k < 4; k++) d->w[4 + k] = s.w[4 + ((i->imm >> 2 * k) & 3)];
}
HANDLER(op_pshuflw)
{
    xr s = xmm_load_arith(c, i), *d = &c->xmm[i->reg];
    d->q[1] = s.q[1];
    for (int k = 0; k < 4; k++) d->w[k] = s.w[(i->imm >> 2 * k) & 3];
}

/* ---- word insert/extract, byte mask ---- */
HANDLER(op_pinsrw_mm)
{
    xr d;
    mmx_pending(c, i);
    uint16_t v = i->mod3 ? (uint16_t)c->r[i->rm] : ld16(ea(c, i));
    mmx_enter(c, i);
    d.q[0] = mm_get(c, i->reg);
    d.w[i->imm & 3] = v;
    mm_set(c, i->reg, d.q[0]);
}
HANDLER(op_pinsrw_xmm)
{
    c->xmm[i->reg].w[i->imm & 7] = i->mod3 ? (uint16_t)c->r[i->rm] : ld16(ea(c, i));
}
HANDLER(op_pextrw_mm)
{
    mmx_enter(c, i);
    c->r[i->reg] = (uint16_t)(mm_get(c, i->rm) >> 16 * (i->imm & 3));
}
HANDLER(op_pextrw_xmm) { c->r[i->reg] = c->xmm[i->rm].w[i->imm & 7]; }

/* the top bits of 8 bytes gathered into one byte (the multiply moves bit
 * 8j+7 to bit 56+j without carries) */
static inline uint32_t byte_signs(uint64_t v)
{
    return (uint32_t)(((v & 0x8080808080808080ull) * 0x0002040810204081ull) >> 56);
}
HANDLER(op_pmovmskb_mm)
{
    mmx_enter(c, i);
    c->r[i->reg] = byte_signs(mm_get(c, i->rm));
}
HANDLER(op_pmovmskb_xmm)
{
    const xr *s = &c->xmm[i->rm];
    c->r[i->reg] = byte_signs(s->q[0]) | byte_signs(s->q[1]) << 8;
}

/* maskmovq / maskmovdqu: the bytes of reg whose mask byte (rm) has bit 7
 * set go to DS:EDI (segment overridable; DI with 0x67) */
static void mask_store(struct cpu *c, const struct insn *i, const uint8_t *v, const uint8_t *mask, int n)
{
    uint32_t off = i->addr16 ? c->r[EDI] & 0xffff : c->r[EDI];
    guest_addr a = off + c->segbase[i->seg];
    /* MASKMOVQ's #AC (EFLAGS.AC) comes after the x87-to-MMX switch, as the
     * host shows; MASKMOVDQU's is checked before it runs (access.c) */
    if (unlikely(c->eflags & F_AC) && n == 8 && (a & 7) && (uint64_t)off + 8 <= (1ull << 32))
        cpu_raise_trap(c, SIGBUS, BUS_ADRALN, 0, 17);
    for (int k = 0; k < n; k++)
        if (mask[k] & 0x80) st8(a + k, v[k]);
}
HANDLER(op_maskmovq)
{
    xr v, m;
    mmx_enter(c, i);
    v.q[0] = mm_get(c, i->reg);
    m.q[0] = mm_get(c, i->rm);
    mask_store(c, i, v.b, m.b, 8);
}
HANDLER(op_maskmovdqu)
{
    xr v = c->xmm[i->reg], m = c->xmm[i->rm];
    mask_store(c, i, v.b, m.b, 16);
}

/* ---- moves ---- */
HANDLER(op_movd_mm_rm32)
{
    mmx_pending(c, i);
    uint32_t v = load_rm32(c, i);
    mmx_enter(c, i);
    mm_set(c, i->reg, v);
}
HANDLER(op_movd_xmm_rm32)
{
    uint32_t v = load_rm32(c, i);
    c->xmm[i->reg] = (xr){.d = {v}};
}
HANDLER(op_movd_rm32_mm)
{
    if (i->mod3) { mmx_enter(c, i); c->r[i->rm] = (uint32_t)mm_get(c, i->reg); }
    else mmx_store(c, i, ea(c, i), i->reg, 4);
}
HANDLER(op_movd_rm32_xmm) { store_rm32(c, i, c->xmm[i->reg].d[0]); }
/* F3 0F 7E: movq xmm, xmm/m64 (upper half cleared) */
HANDLER(op_movq_xmm_rm64)
{
    uint64_t v = xmm_load_rm64(c, i);
    c->xmm[i->reg] = (xr){.q = {v}};
}
/* 66 0F D6: movq xmm/m64, xmm (a register destination's upper half cleared) */
HANDLER(op_movq_rm64_xmm)
{
    if (i->mod3) c->xmm[i->rm] = (xr){.q = {c->xmm[i->reg].q[0]}};
    else st64(ea(c, i), c->xmm[i->reg].q[0]);
}
HANDLER(op_movq_mm_rm64)
{
    uint64_t v = mm_load_rm(c, i);
    mmx_enter(c, i);
    mm_set(c, i->reg, v);
}
HANDLER(op_movq_rm64_mm)
{
    if (i->mod3) {
        mmx_enter(c, i);
        mm_set(c, i->rm, mm_get(c, i->reg));
    } else {
        mmx_store(c, i, ea(c, i), i->reg, 8);
    }
}
HANDLER(op_movdqa_load) { c->xmm[i->reg] = xmm_load_a(c, i); }
HANDLER(op_movdqu_load) { c->xmm[i->reg] = xmm_load_u(c, i); }
HANDLER(op_movdqa_store) { xmm_store_a(c, i, &c->xmm[i->reg]); }
HANDLER(op_movdqu_store) { xmm_store_u(c, i, &c->xmm[i->reg]); }
/* F2 0F D6 movdq2q mm, xmm and F3 0F D6 movq2dq xmm, mm: register forms only
 * (their entry is shared with 66 0F D6, which takes memory) */
HANDLER(op_movdq2q)
{
    if (!i->mod3) cpu_raise_ud(c, i);
    mmx_enter(c, i);
    mm_set(c, i->reg, c->xmm[i->rm].q[0]);
}
HANDLER(op_movq2dq)
{
    if (!i->mod3) cpu_raise_ud(c, i);
    mmx_enter(c, i);
    c->xmm[i->reg] = (xr){.q = {mm_get(c, i->rm)}};
}
HANDLER(op_movntq) { mmx_store(c, i, ea(c, i), i->reg, 8); }
HANDLER(op_movnti) { st32(ea(c, i), c->r[i->reg]); }
/* EMMS is an MMX instruction too: TOP = 0 (SDM vol.3 12.2), then all tags empty */
HANDLER(op_emms)
{
    mmx_enter(c, i);
    x87_emms(c);
}

/* ---- registration ---- */

/* two-operand packed ops with an MMX (no prefix) and an XMM (66) form */
#define PACKED_0F(X)                                                           \
    X(0x60, punpcklbw) X(0x61, punpcklwd) X(0x62, punpckldq) X(0x63, packsswb) \
    X(0x64, pcmpgtb) X(0x65, pcmpgtw) X(0x66, pcmpgtd) X(0x67, packuswb)       \
    X(0x68, punpckhbw) X(0x69, punpckhwd) X(0x6A, punpckhdq) X(0x6B, packssdw) \
    X(0x74, pcmpeqb) X(0x75, pcmpeqw) X(0x76, pcmpeqd)                         \
    X(0xD1, psrlw) X(0xD2, psrld) X(0xD3, psrlq) X(0xD4, paddq) X(0xD5, pmullw) \
    X(0xD8, psubusb) X(0xD9, psubusw) X(0xDA, pminub) X(0xDB, pand)            \
    X(0xDC, paddusb) X(0xDD, paddusw) X(0xDE, pmaxub) X(0xDF, pandn)           \
    X(0xE0, pavgb) X(0xE1, psraw) X(0xE2, psrad) X(0xE3, pavgw)                \
    X(0xE4, pmulhuw) X(0xE5, pmulhw) X(0xE8, psubsb) X(0xE9, psubsw)           \
    X(0xEA, pminsw) X(0xEB, por) X(0xEC, paddsb) X(0xED, paddsw)               \
    X(0xEE, pmaxsw) X(0xEF, pxor) X(0xF1, psllw) X(0xF2, pslld) X(0xF3, psllq) \
    X(0xF4, pmuludq) X(0xF5, pmaddwd) X(0xF6, psadbw) X(0xF8, psubb)           \
    X(0xF9, psubw) X(0xFA, psubd) X(0xFB, psubq) X(0xFC, paddb) X(0xFD, paddw) \
    X(0xFE, paddd)
#define PACKED_0F38(X)                                                         \
    X(0x00, pshufb) X(0x01, phaddw) X(0x02, phaddd) X(0x03, phaddsw)           \
    X(0x04, pmaddubsw) X(0x05, phsubw) X(0x06, phsubd) X(0x07, phsubsw)        \
    X(0x08, psignb) X(0x09, psignw) X(0x0A, psignd) X(0x0B, pmulhrsw)          \
    X(0x1C, pabsb) X(0x1D, pabsw) X(0x1E, pabsd)

struct packed_op { uint8_t op; op_fn mm, xmm; };
#define PACKED_ENTRY(opc, name) {opc, op_##name##_mm, op_##name##_xmm},
static const struct packed_op packed_0f[] = {PACKED_0F(PACKED_ENTRY)};
static const struct packed_op packed_0f38[] = {PACKED_0F38(PACKED_ENTRY)};

/* the shift-by-imm8 groups: 0F 71 (words), 72 (dwords), 73 (qwords) */
static const struct { uint8_t op, reg; op_fn mm, xmm; } shift_imm[] = {
    {0x71, 2, op_psrlw_mm_imm, op_psrlw_xmm_imm}, {0x71, 4, op_psraw_mm_imm, op_psraw_xmm_imm},
    {0x71, 6, op_psllw_mm_imm, op_psllw_xmm_imm}, {0x72, 2, op_psrld_mm_imm, op_psrld_xmm_imm},
    {0x72, 4, op_psrad_mm_imm, op_psrad_xmm_imm}, {0x72, 6, op_pslld_mm_imm, op_pslld_xmm_imm},
    {0x73, 2, op_psrlq_mm_imm, op_psrlq_xmm_imm}, {0x73, 3, NULL, op_psrldq},
    {0x73, 6, op_psllq_mm_imm, op_psllq_xmm_imm}, {0x73, 7, NULL, op_pslldq},
};

/* the rest, by prefix: 0 none, 1 66, 2 F3, 3 F2 */
static const struct { uint8_t op, pfx; op_fn fn; uint32_t flags; } moves_0f[] = {
    {0x6E, 0, op_movd_mm_rm32, D_SZ(SZ_4)}, {0x6E, 1, op_movd_xmm_rm32, D_SZ(SZ_4)},
    {0x7E, 0, op_movd_rm32_mm, D_MSTORE | D_SZ(SZ_4)}, {0x7E, 1, op_movd_rm32_xmm, D_MSTORE | D_SZ(SZ_4)},
    {0x7E, 2, op_movq_xmm_rm64, D_SZ(SZ_8)},
    {0x6F, 0, op_movq_mm_rm64, D_SZ(SZ_8)}, {0x6F, 1, op_movdqa_load, D_SZ(SZ_16)},
    {0x6F, 2, op_movdqu_load, D_SZ(SZ_16)},
    {0x7F, 0, op_movq_rm64_mm, D_MSTORE | D_SZ(SZ_8)}, {0x7F, 1, op_movdqa_store, D_MSTORE | D_SZ(SZ_16)},
    {0x7F, 2, op_movdqu_store, D_MSTORE | D_SZ(SZ_16)},
    {0xD6, 1, op_movq_rm64_xmm, D_MSTORE | D_SZ(SZ_8)}, {0xD6, 2, op_movq2dq, D_MSTORE}, {0xD6, 3, op_movdq2q, D_MSTORE},
    {0xF0, 3, op_movdqu_load, D_MEMONLY | D_SZ(SZ_16)},                       /* lddqu */
    {0xE7, 0, op_movntq, D_MEMONLY | D_MSTORE | D_SZ(SZ_8)},
    {0xE7, 1, op_movdqa_store, D_MEMONLY | D_MSTORE | D_SZ(SZ_16)},          /* movntdq */
    {0xC3, 0, op_movnti, D_MEMONLY | D_MSTORE | D_SZ(SZ_4)},
    {0xF7, 0, op_maskmovq, D_REGONLY}, {0xF7, 1, op_maskmovdqu, D_REGONLY},
    {0x70, 0, op_pshufw, D_IMM8 | D_SZ(SZ_8)}, {0x70, 1, op_pshufd, D_IMM8 | D_SZ(SZ_16)},
    {0x70, 2, op_pshufhw, D_IMM8 | D_SZ(SZ_16)}, {0x70, 3, op_pshuflw, D_IMM8 | D_SZ(SZ_16)},
    {0xC4, 0, op_pinsrw_mm, D_IMM8 | D_SZ(SZ_2)}, {0xC4, 1, op_pinsrw_xmm, D_IMM8 | D_SZ(SZ_2)},
    {0xC5, 0, op_pextrw_mm, D_IMM8 | D_REGONLY}, {0xC5, 1, op_pextrw_xmm, D_IMM8 | D_REGONLY},
    {0xD7, 0, op_pmovmskb_mm, D_REGONLY}, {0xD7, 1, op_pmovmskb_xmm, D_REGONLY},
};

void simd_register_int(void)
{
    const uint32_t fl = D_MODRM | D_FL_NONE;
    /* MMX forms read 8 bytes (the low-half unpacks 4), SSE forms 16 */
    for (size_t k = 0; k < sizeof packed_0f / sizeof packed_0f[0]; k++) {
        int op = packed_0f[k].op;
        op_set_sse(optab0f, op, 0, packed_0f[k].mm, fl | D_SZ(op >= 0x60 && op <= 0x62 ? SZ_4 : SZ_8));
        op_set_sse(optab0f, op, 1, packed_0f[k].xmm, fl | D_SZ(SZ_16));
    }
    /* punpcklqdq / punpckhqdq have no MMX form */
    op_set_sse(optab0f, 0x6C, 1, op_punpcklqdq_xmm, fl | D_SZ(SZ_16));
    op_set_sse(optab0f, 0x6D, 1, op_punpckhqdq_xmm, fl | D_SZ(SZ_16));
    for (size_t k = 0; k < sizeof packed_0f38 / sizeof packed_0f38[0]; k++) {
        op_set_sse(optab0f38, packed_0f38[k].op, 0, packed_0f38[k].mm, fl | D_SZ(SZ_8));
        op_set_sse(optab0f38, packed_0f38[k].op, 1, packed_0f38[k].xmm, fl | D_SZ(SZ_16));
    }
    op_set_sse(optab0f3a, 0x0F, 0, op_palignr_mm, fl | D_IMM8 | D_SZ(SZ_8));
    op_set_sse(optab0f3a, 0x0F, 1, op_palignr_xmm, fl | D_IMM8 | D_SZ(SZ_16));
    for (size_t k = 0; k < sizeof shift_imm / sizeof shift_imm[0]; k++) {
        if (shift_imm[k].mm)
            op_set_group_sse(optab0f, shift_imm[k].op, shift_imm[k].reg, 0, shift_imm[k].mm, fl | D_IMM8 | D_REGONLY);
        op_set_group_sse(optab0f, shift_imm[k].op, shift_imm[k].reg, 1, shift_imm[k].xmm, fl | D_IMM8 | D_REGONLY);
    }
    for (size_t k = 0; k < sizeof moves_0f / sizeof moves_0f[0]; k++)
        op_set_sse(optab0f, moves_0f[k].op, moves_0f[k].pfx, moves_0f[k].fn, fl | moves_0f[k].flags);
    op_set_sse(optab0f, 0x77, 0, op_emms, D_FL_NONE);
    { void simd_register_sse41(void); simd_register_sse41(); }   /* simd_sse41.c */
}
