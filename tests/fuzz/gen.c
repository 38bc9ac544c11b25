/* The case generator's core: random values with the boundary cases
 * weighted in, the initial state, instruction building, the tracker of
 * undefined flags/condition bits/bytes, operand pickers, units, and laying a
 * case out for the runner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

const char *const set_names[S_NSETS] = { "int", "x87", "mmx", "sse", "sse2", "sse3", "ssse3", "sse41", "sse42", "aes", "sha",
                                             "bmi", "setup" };

/* ---- random numbers (splitmix64: a case is a pure function of its seed) ---- */

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
uint64_t case_seed(uint64_t seed, uint64_t index)
{
    return mix64(seed * 0x9e3779b97f4a7c15ull + mix64(index + 1));
}
uint32_t rnd(struct gen *g)
{
    g->rng += 0x9e3779b97f4a7c15ull;
    return (uint32_t)(mix64(g->rng) >> 16);
}
uint32_t rnd_below(struct gen *g, uint32_t n) { return n ? rnd(g) % n : 0; }
bool chance(struct gen *g, int percent) { return (int)rnd_below(g, 100) < percent; }
static uint64_t rnd64(struct gen *g) { return (uint64_t)rnd(g) << 32 | rnd(g); }

static const uint32_t u32_pool[] = {
    0, 1, 2, 3, 0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xff, 0x80, 0x7f, 0x100,
    0xffff, 0x8000, 0x7fff, 0x10000, 0xff00, 0xff80, 0xffffff80, 0xffff8000, 0x55555555, 0xaaaaaaaa,
    0x0f0f0f0f, 0x12345678, 0x00ff00ff, 0x80008000, 0x7f7f7f7f, 0x09, 0x99, 0x0a, 0x0f, 0x1f, 0x20, 0x21,
};
uint32_t pick_u32(struct gen *g)
{
    int r = rnd_below(g, 100);
    if (r < 35) return u32_pool[rnd_below(g, sizeof u32_pool / 4)];
    if (r < 50) return (uint32_t)((int)rnd_below(g, 81) - 40);
    if (r < 58) { uint32_t b = 1u << rnd_below(g, 32); return chance(g, 50) ? b : b - 1; }
    if (r < 66) return chance(g, 50) ? (uint32_t)(int8_t)rnd(g) : (uint32_t)(int16_t)rnd(g);
    if (r < 72) return rnd(g) & (chance(g, 50) ? 0xff : 0xffff);
    return rnd(g);
}

static const uint32_t f32_pool[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
    0x7f800001, 0x7fbfffff, 0xff800001, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x00000001,
    0x007fffff, 0x80000001, 0x40000000, 0x3f000000, 0x40490fdb, 0x4f000000, 0xcf000000, 0x4effffff,
    0x5f000000, 0xdf000000, 0x3fc00000, 0x4b000000, 0x3effffff, 0x3f000001, 0xc0400000, 0x47000000,
    0x46fffe00, 0xc7000100,
};
uint32_t pick_f32(struct gen *g)
{
    int r = rnd_below(g, 100);
    if (r < 45) return f32_pool[rnd_below(g, sizeof f32_pool / 4)];
    if (r < 85) return (rnd(g) & 0x80000000) | (100 + rnd_below(g, 55)) << 23 | (rnd(g) & 0x7fffff);
    if (r < 92) return (rnd(g) & 0x80000000) | (0x3f800000 + ((int)rnd_below(g, 40) << 23)) | (rnd(g) & 0x7f0000);
    return rnd(g);
}

static const uint64_t f64_pool[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
    0x7ff7ffffffffffffull, 0x7fefffffffffffffull, 0xffefffffffffffffull, 0x0010000000000000ull,
    0x0000000000000001ull, 0x000fffffffffffffull, 0x8000000000000001ull, 0x4000000000000000ull,
    0x3fe0000000000000ull, 0x400921fb54442d18ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
    0x41dfffffffc00000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x3ff8000000000000ull,
    0x4330000000000000ull, 0x3fdfffffffffffffull, 0x3fe0000000000001ull, 0x47efffffe0000000ull,
    0x36a0000000000000ull, 0x380fffffffffffffull, 0x3810000000000000ull, 0xc1e0000000200000ull,
};
uint64_t pick_f64(struct gen *g)
{
    int r = rnd_below(g, 100);
    if (r < 45) return f64_pool[rnd_below(g, sizeof f64_pool / 8)];
    if (r < 85)
        return (rnd64(g) & 0x8000000000000000ull) | (uint64_t)(1023 - 80 + rnd_below(g, 160)) << 52
               | (rnd64(g) & 0xfffffffffffffull);
    if (r < 92) /* whole numbers and halves */
        return (rnd64(g) & 0x8000000000000000ull) | (uint64_t)(1023 + rnd_below(g, 40)) << 52
               | (rnd64(g) & 0xfff0000000000ull);
    return rnd64(g);
}

static void put_f80(uint8_t out[10], uint64_t mant, uint16_t se)
{
    memcpy(out, &mant, 8);
    out[8] = (uint8_t)se;
    out[9] = (uint8_t)(se >> 8);
}
void pick_f80(struct gen *g, uint8_t out[10])
{
    uint16_t s = chance(g, 50) ? 0x8000 : 0;
    uint64_t top = 0x8000000000000000ull;
    switch (rnd_below(g, 24)) {
    case 0: put_f80(out, 0, s); break;                                      /* zero */
    case 1: put_f80(out, top, s | 0x3fff); break;                           /* one */
    case 2: put_f80(out, top, s | 0x7fff); break;                           /* infinity */
    case 3: put_f80(out, 0xc000000000000000ull | (rnd64(g) & 0xffff), s | 0x7fff); break;  /* QNaN */
    case 4: put_f80(out, top | 1 | (rnd64(g) & 0x3fffffff), s | 0x7fff); break; /* SNaN */
    case 5: put_f80(out, ~0ull, s | 0x7ffe); break;                         /* largest */
    case 6: put_f80(out, top, s | 1); break;                                /* smallest normal */
    case 7: put_f80(out, (rnd64(g) >> 1) | 1, s); break;                    /* denormal */
    case 8: put_f80(out, top | rnd64(g), s); break;                         /* pseudo-denormal */
    case 9: put_f80(out, rnd64(g) >> 1, s | (1 + rnd_below(g, 0x7ffe))); break; /* unnormal */
    case 10: put_f80(out, 0xc90fdaa22168c235ull, s | 0x4000); break;        /* pi */
    case 11: put_f80(out, top, s | (0x3fff + 63)); break;                   /* 2^63 */
    case 12: put_f80(out, ~0ull, s | (0x3fff + 62)); break;                 /* 2^63 - 1 */
    case 13: put_f80(out, top | rnd64(g) << 40, s | (0x3fff + 30 + rnd_below(g, 4))); break; /* near 2^31 */
    case 14: put_f80(out, top | rnd64(g) << 48, s | (0x3fff + 14 + rnd_below(g, 4))); break; /* near 2^15 */
    case 15: case 16: {                                                     /* small whole numbers */
        uint32_t v = rnd_below(g, 1000) + 1;
        int e = 31 - __builtin_clz(v);
        put_f80(out, (uint64_t)v << (63 - e), s | (0x3fff + e));
        break;
    }
    case 17: put_f80(out, top | rnd64(g), s | (0x3fff + 64 + rnd_below(g, 200))); break;  /* beyond 2^64 */
    case 18: put_f80(out, top | rnd64(g), s | rnd_below(g, 0x8000)); break;
    default: put_f80(out, top | rnd64(g), s | (0x3fff - 60 + rnd_below(g, 120))); break;
    }
}

/* ---- the initial state ---- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static void init_fx(struct gen *g, uint8_t *fx)
{
    memset(fx, 0, 512);
    uint16_t cw = 0x037f;
    static const uint8_t bits[5] = { 0x01, 0x04, 0x08, 0x10, 0x20 };   /* DM stays masked (gen_x87.c) */
    if (chance(g, 6)) cw &= ~bits[rnd_below(g, 5)];   /* one exception unmasked */
    else if (chance(g, 2)) cw = (cw & ~0x3d) | (rnd(g) & 0x3d);
    cw = (cw & ~0xc00) | (rnd_below(g, 4) << 10);
    int pc = rnd_below(g, 10);
    cw = (cw & ~0x300) | (pc < 6 ? 3 : pc < 8 ? 2 : pc < 9 ? 0 : 1) << 8;
    if (chance(g, 3)) cw ^= rnd(g) & 0xe0c0;   /* reserved bits */
    uint16_t sw = rnd(g) & (FZ_CALL | 0x3f);
    sw &= ~0x3f | (cw & 0x3f);                 /* no pending exception... */
    if (chance(g, 2) && (~cw & 0x3f)) sw |= (~cw & 0x3f) & -(~cw & 0x3f);   /* ...except rarely */
    if (sw & ~cw & 0x3f) sw |= 0x8080;         /* ES and B follow */
    if ((sw & 1) && chance(g, 30)) sw |= 0x40; /* SF with IE */
    sw |= rnd_below(g, 8) << 11;               /* TOP */
    put16(fx, cw);
    put16(fx + 2, sw);
    int t = rnd_below(g, 10);
    fx[4] = t < 2 ? 0 : t < 3 ? 0xff : (uint8_t)rnd(g);
    uint32_t mxcsr = 0x1f80;
    if (chance(g, 6)) mxcsr = (mxcsr & ~0x1f80) | (0x1f80 & ~(0x80u << rnd_below(g, 6)));
    mxcsr |= rnd_below(g, 4) << 13;
    if (chance(g, 25)) mxcsr |= 0x8000;        /* FTZ */
    if (chance(g, 25)) mxcsr |= 0x40;          /* DAZ */
    if (chance(g, 30)) mxcsr |= rnd(g) & 0x3f; /* sticky flags */
    put32(fx + 24, mxcsr);
    put32(fx + 28, 0xffff);
    for (int k = 0; k < 8; k++) {
        uint8_t *p = fx + 32 + 16 * k;
        if (chance(g, 25)) {                    /* an MMX-looking value */
            uint64_t m = rnd64(g);
            if (chance(g, 50)) m = (uint64_t)pick_u32(g) << 32 | pick_u32(g);
            memcpy(p, &m, 8);
            put16(p + 8, 0xffff);
        } else {
            pick_f80(g, p);
        }
    }
    for (int k = 0; k < 8; k++) {
        uint8_t *p = fx + 160 + 16 * k;
        switch (rnd_below(g, 5)) {
        case 0: for (int l = 0; l < 4; l++) put32(p + 4 * l, pick_f32(g)); break;
        case 1: for (int l = 0; l < 2; l++) { uint64_t v = pick_f64(g); memcpy(p + 8 * l, &v, 8); } break;
        case 2: for (int l = 0; l < 4; l++) put32(p + 4 * l, pick_u32(g)); break;
        case 3: for (int l = 0; l < 16; l++) p[l] = chance(g, 50) ? (uint8_t)pick_u32(g) : (uint8_t)rnd(g); break;
        default: for (int l = 0; l < 4; l++) put32(p + 4 * l, rnd(g)); break;
        }
    }
}

static void init_mem(struct gen *g, uint8_t *mem)
{
    for (uint32_t s = 0; s < FZ_WIN_SIZE; s += 16) {
        uint8_t *p = mem + s;
        switch (rnd_below(g, 9)) {
        case 0: for (int l = 0; l < 4; l++) put32(p + 4 * l, pick_f32(g)); break;
        case 1: for (int l = 0; l < 2; l++) { uint64_t v = pick_f64(g); memcpy(p + 8 * l, &v, 8); } break;
        case 2: pick_f80(g, p); put32(p + 10, rnd(g)); put16(p + 14, (uint16_t)pick_u32(g)); break;
        case 3: for (int l = 0; l < 4; l++) put32(p + 4 * l, pick_u32(g)); break;
        case 4: for (int l = 0; l < 8; l++) put16(p + 2 * l, (uint16_t)pick_u32(g)); break;
        case 5: for (int l = 0; l < 16; l++) p[l] = (uint8_t)pick_u32(g); break;
        case 6: { uint64_t v = pick_f64(g); put32(p, pick_f32(g)); put32(p + 4, pick_u32(g)); memcpy(p + 8, &v, 8); break; }
        default: for (int l = 0; l < 4; l++) put32(p + 4 * l, rnd(g)); break;
        }
    }
}

static void init_state(struct gen *g)
{
    struct fz_case *c = &g->init;
    memset(c, 0, sizeof *c);
    c->magic = FZ_MAGIC;
    static const int bases[] = { EBX, EBP, ESI, EDI };
    g->B = bases[rnd_below(g, 4)];
    for (int r = 0; r < 8; r++) c->gpr[r] = pick_u32(g);
    c->gpr[ESP] = FZ_ESP0;
    c->gpr[g->B] = FZ_BASEVAL;
    c->eflags = 0x202 | (rnd(g) & FZ_ARITH) | (chance(g, 30) ? 0x400 : 0);
    init_fx(g, c->fx);
    init_mem(g, c->mem);
}

/* ---- the tracker ---- */

void trk_init(struct trk *t, const struct fz_case *init)
{
    memset(t, 0, sizeof *t);
    t->cur.df = (init->eflags >> 10) & 1;
    t->cur.cw_known = 1;
    t->cur.cw = (uint16_t)(init->fx[0] | init->fx[1] << 8);
}

static bool poisoned(const struct trk_core *c, struct range r)
{
    for (uint32_t k = r.off; k < (uint32_t)r.off + r.len && k < FZ_WIN_SIZE; k++)
        if (c->poison[k >> 3] & (1 << (k & 7))) return true;
    return false;
}

static void merge(struct trk_core *a, const struct trk_core *b)
{
    a->f_undef |= b->f_undef;
    a->c_undef |= b->c_undef;
    if (a->df != b->df) a->df = -1;
    if (!b->cw_known || a->cw != b->cw) a->cw_known = 0;
    for (unsigned k = 0; k < sizeof a->poison; k++) a->poison[k] |= b->poison[k];
}

void trk_join(struct trk *t, const struct trk_core *snap, bool always)
{
    if (always) t->cur = *snap;
    else merge(&t->cur, snap);
}

bool trk_step(struct trk *t, const struct ins *I)
{
    if (t->dead) {   /* never runs */
        t->dead--;
        return true;
    }
    struct trk_core *c = &t->cur;
    if (I->f_read & c->f_undef) return false;
    if (I->c_read & c->c_undef) return false;
    if (I->need_df && c->df != I->need_df - 1) return false;
    for (int k = 0; k < I->nrd; k++)
        if (poisoned(c, I->rd[k])) return false;
    uint32_t fdef = I->f_def;
    if (I->fcomi && c->cw_known && (c->cw & 1)) fdef |= FZ_ZF | FZ_PF | FZ_CF;
    c->f_undef = (c->f_undef & ~fdef) | I->f_undef;
    c->c_undef = (c->c_undef & ~I->c_def) | I->c_undef;
    if (I->df == DF_CLEAR) c->df = 0;
    else if (I->df == DF_SET) c->df = 1;
    if (I->cw_op == CW_SET) {
        c->cw_known = 1;
        c->cw = I->cw_val;
    } else if (I->cw_op == CW_UNKNOWN) {
        c->cw_known = 0;
    }
    for (uint32_t k = I->poison.off; k < (uint32_t)I->poison.off + I->poison.len && k < FZ_WIN_SIZE; k++)
        c->poison[k >> 3] |= 1 << (k & 7);
    if (t->pending && --t->pending == 0) merge(c, &t->snap);
    if (I->skip) {
        if (I->jmp_always) {
            t->dead = I->skip;
        } else {
            t->snap = *c;
            t->pending = I->skip;
        }
    }
    return true;
}

/* ---- building instructions ---- */

struct ins *ins_new(struct gen *g, int set, const char *name)
{
    static struct ins overflow;
    struct ins *I = g->nins < MAXINS ? &g->ins[g->nins] : &overflow;
    memset(I, 0, sizeof *I);
    I->set = set;
    I->name = name;
    I->unit = g->nunits;
    return I;
}

void ins_b(struct ins *I, uint8_t b)
{
    if (I->len < sizeof I->b) I->b[I->len] = b;
    I->len++;
}

void ins_imm(struct ins *I, uint32_t v, int bytes)
{
    for (int k = 0; k < bytes; k++) ins_b(I, (uint8_t)(v >> 8 * k));
}

bool in_window(uint32_t a, uint32_t len)
{
    return a >= FZ_WIN && a - FZ_WIN + (uint64_t)len <= FZ_WIN_SIZE;
}

void ins_read(struct ins *I, uint32_t addr, uint32_t len)
{
    if (!len) return;
    if (addr < FZ_WIN) {   /* clip to the window */
        if (addr + len <= FZ_WIN) return;
        len -= FZ_WIN - addr;
        addr = FZ_WIN;
    }
    if (addr >= FZ_WIN + FZ_WIN_SIZE) return;
    if (addr + len > FZ_WIN + FZ_WIN_SIZE) len = FZ_WIN + FZ_WIN_SIZE - addr;
    struct range r = { (uint16_t)(addr - FZ_WIN), (uint16_t)len };
    if (I->nrd < 3) I->rd[I->nrd++] = r;
    else {   /* widen the last range */
        struct range *l = &I->rd[2];
        uint32_t lo = l->off < r.off ? l->off : r.off;
        uint32_t hi = l->off + l->len > r.off + r.len ? l->off + l->len : r.off + r.len;
        l->off = lo;
        l->len = hi - lo;
    }
}

void ins_poison(struct ins *I, uint32_t addr, uint32_t len)
{
    if (!in_window(addr, len)) return;
    I->poison.off = addr - FZ_WIN;
    I->poison.len = len;
}

void ins_modrm(struct ins *I, int reg, const struct rmop *o)
{
    if (!o->is_mem) {
        ins_b(I, 0xc0 | (reg & 7) << 3 | (o->reg & 7));
        return;
    }
    const struct memop *m = &o->m;
    ins_b(I, m->modrm | (reg & 7) << 3);
    if (m->has_sib) ins_b(I, m->sib);
    ins_imm(I, m->disp, m->disp_size);
    if (m->flags & M_READ) ins_read(I, m->addr, m->size);
}

bool ins_end(struct gen *g, struct ins *I)
{
    if (g->nins >= MAXINS - 4 || I->len > 15) return false;
    if (!trk_step(&g->t, I)) return false;
    g->nins++;
    if ((I->regs_w >> g->B) & 1 && !g->in_restore) g->b_dirty = true;
    return true;
}

bool emit_mov_imm(struct gen *g, int reg, uint32_t v)
{
    struct ins *I = ins_new(g, S_SETUP, "mov");
    ins_b(I, 0xb8 + reg);
    ins_imm(I, v, 4);
    I->regs_w = 1 << reg;
    return ins_end(g, I);
}

bool emit_store_imm(struct gen *g, uint32_t addr, uint32_t v, int size)
{
    struct ins *I = ins_new(g, S_SETUP, "mov");
    if (size == 2) ins_b(I, 0x66);
    ins_b(I, size == 1 ? 0xc6 : 0xc7);
    ins_b(I, 0x05);
    ins_imm(I, addr, 4);
    ins_imm(I, v, size == 4 ? 4 : size);
    return ins_end(g, I);
}

bool emit_define_flags(struct gen *g)
{
    struct ins *I = ins_new(g, S_SETUP, "cmp");
    int r = rnd_below(g, 3);
    if (r == 0) {                      /* cmp r32, r32 */
        ins_b(I, 0x39);
        ins_b(I, 0xc0 | rnd_below(g, 8) << 3 | rnd_below(g, 8));
    } else if (r == 1) {               /* cmp r8, imm8 */
        ins_b(I, 0x80);
        ins_b(I, 0xf8 | rnd_below(g, 8));
        ins_b(I, (uint8_t)pick_u32(g));
    } else {                           /* cmp r32, imm32 */
        ins_b(I, 0x81);
        ins_b(I, 0xf8 | rnd_below(g, 8));
        ins_imm(I, pick_u32(g), 4);
    }
    I->f_def = FZ_ARITH;
    return ins_end(g, I);
}

/* ---- operands ---- */

uint8_t reg_bit(int size, int r) { return size == 1 ? 1 << (r & 3) : 1 << r; }

int pick_dst(struct gen *g, int size)
{
    for (;;) {
        int r = rnd_below(g, 8);
        if (size != 1 && r == ESP) continue;
        if (reg_bit(size, r) & g->protect) continue;
        return r;
    }
}
int pick_src(struct gen *g) { return rnd_below(g, 8); }

static uint32_t pick_addr(struct gen *g, int size, int flags)
{
    uint32_t lo = FZ_WIN, hi = (flags & M_DATA) ? FZ_DATA_END : FZ_WIN + FZ_WIN_SIZE;
    /* keep stores away from the stack below ESP only when asked: the stack is
     * part of the window and deterministic either way */
    if (flags & M_MISALIGN) return lo + rnd_below(g, (FZ_DATA_END - lo - size) / 16) * 16 + 1 + rnd_below(g, 15);
    uint32_t align = 1;
    if (flags & M_ALIGN) align = 16;
    else if (chance(g, 60)) align = size >= 16 ? 16 : size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
    if (align == 1 && size > 1 && chance(g, 10)) return FZ_DATA_PAGE + 0x1000 - 1 - rnd_below(g, size - 1);
    uint32_t slots = (hi - lo - size) / align + 1;
    if (chance(g, 60)) /* mostly the data part, where typed values are */
        slots = (FZ_DATA_END - lo - size) / align + 1;
    return lo + rnd_below(g, slots) * align;
}

bool pick_mem(struct gen *g, struct memop *m, int size, int flags)
{
    memset(m, 0, sizeof *m);
    m->size = size;
    m->flags = flags;
    if ((flags & M_FAULT) && g->fault_ok && !g->ended && chance(g, 8)) {
        /* a store to the read-only page, or any access to the unmapped one */
        m->addr = (flags & M_WRITE) && chance(g, 50) ? FZ_RO_PAGE + rnd_below(g, 0x1000 - size)
                                                     : FZ_UNMAPPED + rnd_below(g, 64) - (chance(g, 30) ? size / 2 : 0);
        if (chance(g, 25)) {
            /* the last bytes below 4 GiB: past the segment limit (#GP, #SS through SS) or in the top page */
            m->addr = 0xffffffffu - rnd_below(g, size + 1);
            if (!(flags & M_NOSEG) && chance(g, 30)) m->seg = 0x36;
        }
        m->modrm = 0x05;
        m->disp = m->addr;
        m->disp_size = 4;
        g->ended = true;
        return true;
    }
    uint32_t a = pick_addr(g, size, flags);
    m->addr = a;
    if (!(flags & M_NOSEG) && chance(g, 8)) {
        static const uint8_t segs[] = { 0x26, 0x36, 0x3e, 0x2e };
        m->seg = segs[rnd_below(g, (flags & M_WRITE) ? 3 : 4)];
    }
    int r = rnd_below(g, 100);
    if ((g->b_dirty || g->no_base) && r >= 25 && r < 65) r = 0;   /* B is not FZ_BASEVAL now */
    if (r < 25) {                    /* [disp32] */
        m->modrm = 0x05;
        m->disp = a;
        m->disp_size = 4;
    } else if (r < 65) {             /* [B + disp] */
        int32_t d = (int32_t)(a - FZ_BASEVAL);
        bool sib = chance(g, 15);
        if (d >= -128 && d <= 127 && chance(g, 80)) {
            m->modrm = 0x40 | (sib ? 4 : g->B);
            m->disp_size = 1;
        } else if (d == 0 && g->B != EBP && chance(g, 50)) {
            m->modrm = sib ? 4 : g->B;
            m->disp_size = 0;
        } else {
            m->modrm = 0x80 | (sib ? 4 : g->B);
            m->disp_size = 4;
        }
        if (sib) {
            m->has_sib = 1;
            m->sib = rnd_below(g, 4) << 6 | 4 << 3 | g->B;   /* index 100: none */
        }
        m->disp = (uint32_t)d;
    } else if (r < 92 && !g->b_dirty && !g->no_base && !(flags & M_NOINDEX)) {   /* [B + I*s + disp], [I*s + disp32] */
        int idx;
        do idx = rnd_below(g, 8); while (idx == ESP || idx == g->B || (((g->protect | g->avoid_idx) >> idx) & 1));
        int s = rnd_below(g, 4);
        uint32_t k = chance(g, 70) ? (uint32_t)((int)rnd_below(g, 33) - 16) : rnd(g);
        if (!emit_mov_imm(g, idx, k)) return false;
        m->has_sib = 1;
        if (r < 85) {
            uint32_t d = a - FZ_BASEVAL - (k << s);
            int32_t sd = (int32_t)d;
            if (sd >= -128 && sd <= 127) {
                m->modrm = 0x44;
                m->disp_size = 1;
            } else {
                m->modrm = 0x84;
                m->disp_size = 4;
            }
            m->sib = s << 6 | idx << 3 | g->B;
            m->disp = d;
        } else {
            m->modrm = 0x04;
            m->sib = s << 6 | idx << 3 | 5;
            m->disp = a - (k << s);
            m->disp_size = 4;
        }
    } else {                         /* [ESP + disp] */
        int32_t d = (int32_t)(a - g->esp);
        m->has_sib = 1;
        m->sib = 0x24;
        m->modrm = (d >= -128 && d <= 127) ? 0x44 : 0x84;
        m->disp_size = (d >= -128 && d <= 127) ? 1 : 4;
        m->disp = (uint32_t)d;
    }
    return true;
}

bool pick_rm(struct gen *g, struct rmop *o, int size, int mem_percent, int mflags)
{
    memset(o, 0, sizeof *o);
    if (chance(g, mem_percent)) {
        o->is_mem = 1;
        return pick_mem(g, &o->m, size, mflags);
    }
    o->reg = (mflags & M_WRITE) ? pick_dst(g, size) : pick_src(g);
    return true;
}

/* ---- units and cases ---- */

static bool run_unit(struct gen *g, int set)
{
    int n0 = g->nins;
    bool ended0 = g->ended;
    struct trk t0 = g->t;
    g->b_dirty = false;
    g->no_base = false;
    g->avoid_idx = 0;
    g->esp = FZ_ESP0;
    g->cur_set = set;
    bool ok;
    switch (set) {
    case S_INT: ok = gen_int(g); break;
    case S_X87: ok = gen_x87(g); break;
    case S_BMI: ok = gen_bmi(g); break;
    default: ok = gen_simd(g, set); break;
    }
    if (ok && g->b_dirty) {
        g->in_restore = true;
        ok = emit_mov_imm(g, g->B, FZ_BASEVAL);
        g->in_restore = false;
    }
    if (!ok || g->esp != FZ_ESP0 || g->t.pending || g->t.dead || g->nins == n0) {
        g->nins = n0;
        g->t = t0;
        g->ended = ended0;
        return false;
    }
    g->nunits++;
    return true;
}

static int pick_set(struct gen *g)
{
    unsigned total = 0;
    for (int s = 0; s < S_SETUP; s++) total += g->weight[s];
    unsigned r = rnd_below(g, total);
    for (int s = 0; s < S_SETUP; s++) {
        if (r < g->weight[s]) return s;
        r -= g->weight[s];
    }
    return S_INT;
}

void gen_case(struct gen *g, uint64_t seed, uint64_t index, const unsigned weight[S_NSETS], int min_units,
              int max_units)
{
    memset(g, 0, sizeof *g);
    g->rng = case_seed(seed, index);
    for (int s = 0; s < S_NSETS; s++) {
        g->weight[s] = weight[s];
        if (weight[s]) g->sets |= 1u << s;
    }
    init_state(g);
    g->init.seed_lo = (uint32_t)seed;
    g->init.seed_hi = (uint32_t)(seed >> 32);
    g->init.index_lo = (uint32_t)index;
    g->init.index_hi = (uint32_t)(index >> 32);
    trk_init(&g->t, &g->init);
    g->esp = FZ_ESP0;
    g->fault_ok = chance(g, 8);
    int n = min_units + rnd_below(g, max_units - min_units + 1);
    if (n > MAXUNITS) n = MAXUNITS;
    for (int k = 0; k < n && !g->ended; k++)
        for (int tries = 0; tries < 12; tries++)
            if (run_unit(g, pick_set(g))) break;
}

uint32_t gen_assemble(const struct gen *g, const uint8_t *keep, uint8_t *out, uint32_t cap)
{
    static struct fz_bound bounds[MAXINS + 1];
    static struct fz_mmask masks[MAXINS];
    static uint8_t code[MAXINS * 16];
    struct trk t;
    trk_init(&t, &g->init);
    uint32_t nb = 0, nm = 0, len = 0;
    for (int k = 0; k < g->nins; k++) {
        const struct ins *I = &g->ins[k];
        if (keep && !keep[I->unit]) continue;
        bounds[nb++] = (struct fz_bound){ (uint16_t)len, t.cur.c_undef, t.cur.f_undef };
        if (!trk_step(&t, I)) return 0;
        if (I->poison.len) masks[nm++] = (struct fz_mmask){ I->poison.off, I->poison.len };
        memcpy(code + len, I->b, I->len);
        len += I->len;
    }
    if (t.pending || t.dead) return 0;
    bounds[nb++] = (struct fz_bound){ (uint16_t)len, t.cur.c_undef, t.cur.f_undef };
    uint32_t size = sizeof(struct fz_case) + nb * sizeof *bounds + nm * sizeof *masks + len;
    size = (size + 3) & ~3u;
    if (size > cap) return 0;
    struct fz_case *c = (struct fz_case *)out;
    *c = g->init;
    c->size = size;
    c->code_len = len;
    c->nbound = nb;
    c->nmask = nm;
    uint8_t *p = out + sizeof *c;
    memcpy(p, bounds, nb * sizeof *bounds);
    p += nb * sizeof *bounds;
    memcpy(p, masks, nm * sizeof *masks);
    p += nm * sizeof *masks;
    memcpy(p, code, len);
    memset(p + len, 0, size - (p + len - out));
    return size;
}
