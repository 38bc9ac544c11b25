/* Shifts and rotates: ROL ROR RCL RCR SHL SHR SAL SAR (groups C0 C1 D0-D3),
 * SHLD and SHRD. Counts are masked to 5 bits; a masked count of 0 changes
 * nothing, not even flags (SDM vol.2 "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR"). */
#include "cpu.h"
#include "sizes.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

/* The result of one shift and how it changes the flags. */
struct shift_out {
    uint32_t r;
    uint32_t lop, la, lb;       /* lazy flags (lop != LF_NONE) ... */
    uint32_t fbits, fmask;      /* ... or direct flag bits */
};

static inline uint32_t shift_count(const struct cpu *c, const struct insn *i)
{
    if ((i->op & 0xfe) == 0xc0) return i->imm & 31;
    return (i->op & 2) ? (c->r[ECX] & 31) : 1;
}

/* n is in 1..31 */
static inline void shift_calc(struct cpu *c, int kind, int sz, uint32_t a, uint32_t n, struct shift_out *o)
{
    int bits = 8 << sz;
    uint32_t m = size_mask(sz), sign = size_sign(sz);
    o->lop = LF_NONE;
    o->fmask = 0;
    switch (kind) {
    case SH_ROL: {
        uint32_t k = n & (bits - 1);
        uint32_t r = k ? ((a << k) | (a >> (bits - k))) & m : a;
        uint32_t cf = r & 1;
        o->r = r;
        o->fbits = cf | ((!!(r & sign) ^ cf) ? F_OF : 0);
        o->fmask = F_CF | F_OF;
        break;
    }
    case SH_ROR: {
        uint32_t k = n & (bits - 1);
        uint32_t r = k ? ((a >> k) | (a << (bits - k))) & m : a;
        uint32_t msb = !!(r & sign), msb1 = !!(r & (sign >> 1));
        o->r = r;
        o->fbits = msb | ((msb ^ msb1) ? F_OF : 0);
        o->fmask = F_CF | F_OF;
        break;
    }
    case SH_RCL: {
        uint32_t k = sz == 2 ? n : n % (bits + 1);
        uint64_t cf = flag_cf(c);
        uint64_t v = ((uint64_t)cf << bits) | a;   /* bits+1 wide */
        if (k) v = ((v << k) | (v >> (bits + 1 - k))) & ((2ull << bits) - 1);
        uint32_t r = v & m, ncf = (v >> bits) & 1;
        o->r = r;
        o->fbits = ncf | ((!!(r & sign) ^ ncf) ? F_OF : 0);
        o->fmask = F_CF | F_OF;
        break;
    }
    case SH_RCR: {
        uint32_t k = sz == 2 ? n : n % (bits + 1);
        uint64_t cf = flag_cf(c);
        uint32_t of = !!(a & sign) ^ (uint32_t)cf;  /* from the operand before rotating */
        uint64_t v = ((uint64_t)cf << bits) | a;
        if (k) v = ((v >> k) | (v << (bits + 1 - k))) & ((2ull << bits) - 1);
        uint32_t r = v & m, ncf = (v >> bits) & 1;
        o->r = r;
        if (n != 1) of = !!(r & sign) ^ !!(r & (sign >> 1));
        o->fbits = ncf | (of ? F_OF : 0);
        o->fmask = F_CF | F_OF;
        break;
    }
    case SH_SHL: case SH_SAL:
        o->r = (uint32_t)(((uint64_t)a << n) & m);
        o->lop = LF_SHL + sz; o->la = a; o->lb = n;
        break;
    case SH_SHR:
        o->r = a >> n;
        o->lop = LF_SHR + sz; o->la = a; o->lb = n;
        break;
    default: { /* SAR */
        int32_t sa = size_sext(a, sz);
        o->r = (uint32_t)(sa >> n) & m;
        o->lop = LF_SAR + sz; o->la = (uint32_t)sa; o->lb = n;
        break;
    }
    }
}

static inline void shift_commit(struct cpu *c, const struct shift_out *o)
{
    if (o->lop != LF_NONE) set_lazy(c, o->lop, o->r, o->la, o->lb);
    else flags_set(c, o->fbits, o->fmask);
}

/* One handler per kind and size, so shift_calc's switch folds away. */
#define DEFINE_SHIFT(KIND, name, BITS, SZ)                                       \
    HANDLER(op_##name##_rm##BITS)        \
    {                                                                            \
        uint32_t n = shift_count(c, i);                                          \
        struct shift_out o;                                                      \
        if (i->mod3) {                                                           \
            if (!n) return;                                                      \
            shift_calc(c, KIND, SZ, GETR##BITS(c, i->rm), n, &o);                \
            SETR##BITS(c, i->rm, o.r);                                           \
        } else {                                                                 \
            guest_addr a = ea(c, i);                                             \
            uint32_t v = LD##BITS(a);                                            \
            if (!n) { st_probe(a, BITS / 8); return; }                           \
            shift_calc(c, KIND, SZ, v, n, &o);                                   \
            ST##BITS(a, o.r);                                                    \
        }                                                                        \
        if (!i->flags_dead) shift_commit(c, &o);                                 \
    }
#define SHIFT_KINDS(X) X(SH_ROL, rol) X(SH_ROR, ror) X(SH_RCL, rcl) X(SH_RCR, rcr) \
                       X(SH_SHL, shl) X(SH_SHR, shr) X(SH_SAR, sar)
#define DEFINE_SHIFT_SIZES(KIND, name) DEFINE_SHIFT(KIND, name, 8, 0) DEFINE_SHIFT(KIND, name, 16, 1) DEFINE_SHIFT(KIND, name, 32, 2)
SHIFT_KINDS(DEFINE_SHIFT_SIZES)

/* ---- SHLD / SHRD ---- */
static inline uint32_t dshift_flags(uint32_t r, uint32_t a, uint32_t cf, int sz)
{
    uint32_t sign = size_sign(sz), f = cf ? F_CF : 0;
    if (!__builtin_parity(r & 0xff)) f |= F_PF;
    if (!(r & size_mask(sz))) f |= F_ZF;
    if (r & sign) f |= F_SF;
    if ((r ^ a) & sign) f |= F_OF;
    return f;
}

static inline uint32_t dshift32(uint32_t a, uint32_t b, uint32_t n, bool left, uint32_t *flags)
{
    uint32_t r, cf;
    if (left) { r = (a << n) | (b >> (32 - n)); cf = (a >> (32 - n)) & 1; }
    else { r = (a >> n) | (b << (32 - n)); cf = (a >> (n - 1)) & 1; }
    *flags = dshift_flags(r, a, cf, 2);
    return r;
}

/* 16-bit with counts above 16 is undefined; this follows the operand
 * concatenation a:b:a that Intel parts shift. */
static inline uint32_t dshift16(uint32_t a, uint32_t b, uint32_t n, bool left, uint32_t *flags)
{
    uint32_t r, cf;
    uint64_t t;
    if (left) {
        t = ((uint64_t)a << 32) | ((uint64_t)b << 16) | a;   /* 48 bits a:b:a */
        r = (uint32_t)((t << n) >> 32) & 0xffff;
        cf = (t >> (48 - n)) & 1;
    } else {
        t = a | ((uint64_t)b << 16) | ((uint64_t)a << 32);
        r = (uint32_t)(t >> n) & 0xffff;
        cf = (t >> (n - 1)) & 1;
    }
    *flags = dshift_flags(r, a, cf, 1);
    return r;
}

static inline uint32_t dshift_count(const struct cpu *c, const struct insn *i)
{
    return ((i->op & 1) ? c->r[ECX] : i->imm) & 31;   /* A5/AD use CL, A4/AC imm8 */
}

#define DEFINE_DSHIFT(BITS)                                                      \
    HANDLER(op_dshift_rm##BITS)          \
    {                                                                            \
        uint32_t n = dshift_count(c, i), f;                                      \
        bool left = i->op < 0xa8;                                                \
        uint32_t b = GETR##BITS(c, i->reg);                                      \
        if (i->mod3) {                                                           \
            if (!n) return;                                                      \
            SETR##BITS(c, i->rm, dshift##BITS(GETR##BITS(c, i->rm), b, n, left, &f)); \
        } else {                                                                 \
            guest_addr a = ea(c, i);                                             \
            uint32_t v = LD##BITS(a);                                            \
            if (!n) { st_probe(a, BITS / 8); return; }                           \
            ST##BITS(a, dshift##BITS(v, b, n, left, &f));                        \
        }                                                                        \
        if (!i->flags_dead) flags_set(c, f, F_ARITH);                            \
    }
DEFINE_DSHIFT(16)
DEFINE_DSHIFT(32)

void ops_register_shift(void)
{
    static const int group_ops[] = {0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3};
    static const op_fn by_kind[8][3] = {
        {op_rol_rm8, op_rol_rm16, op_rol_rm32}, {op_ror_rm8, op_ror_rm16, op_ror_rm32},
        {op_rcl_rm8, op_rcl_rm16, op_rcl_rm32}, {op_rcr_rm8, op_rcr_rm16, op_rcr_rm32},
        {op_shl_rm8, op_shl_rm16, op_shl_rm32}, {op_shr_rm8, op_shr_rm16, op_shr_rm32},
        {op_shl_rm8, op_shl_rm16, op_shl_rm32}, {op_sar_rm8, op_sar_rm16, op_sar_rm32},
    };
    for (int g = 0; g < 6; g++) {
        int op = group_ops[g];
        uint32_t imm = ((op & 0xfe) == 0xc0 ? D_IMM8 : 0) | D_MRMW | D_NOFAULT | D_SZ(op & 1 ? SZ_V : SZ_1);
        for (int reg = 0; reg < 8; reg++) {
            /* RCL/RCR read CF; the others write flags only for a non-zero count */
            uint32_t fl = (reg == SH_RCL || reg == SH_RCR) ? 0 : D_FL_PARTIAL;
            if (op & 1) op_set_group(optab, op, reg, by_kind[reg][2], by_kind[reg][1], imm | fl);
            else op_set_group(optab, op, reg, by_kind[reg][0], NULL, imm | fl);
        }
    }
    const uint32_t dsh = D_MODRM | D_FL_PARTIAL | D_MRMW | D_NOFAULT | D_SZ(SZ_V);
    op_set(optab0f, 0xA4, op_dshift_rm32, op_dshift_rm16, dsh | D_IMM8);
    op_set(optab0f, 0xA5, op_dshift_rm32, op_dshift_rm16, dsh);
    op_set(optab0f, 0xAC, op_dshift_rm32, op_dshift_rm16, dsh | D_IMM8);
    op_set(optab0f, 0xAD, op_dshift_rm32, op_dshift_rm16, dsh);
}
