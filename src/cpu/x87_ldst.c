/* x87 data movement: FLD/FILD/FBLD and constants, FST/FIST/FISTTP/FBSTP,
 * register moves (FLD/FST st(i), FXCH, FCMOVcc), FFREE(P), FINCSTP/FDECSTP.
 * Conversions run on the host; 80-bit moves are byte copies, as hardware
 * (no exceptions for m80 loads and stores). */
#include "x87.h"
#include "vendor.h"

/* The register a push writes: NULL after a stack overflow (the indefinite
 * has been pushed then, as the masked response). */
static inline long double *push_or_overflow(struct x87_state *f)
{
    int pn = (f->top - 1) & 7;
    if (likely(x87_empty(f, pn))) return x87_push_slot(f);
    x87_st_copy(x87_push_slot(f), X87_INDEFINITE);
    x87_overflow(f);
    return NULL;
}

/* ---- loads ---- */
#define LOAD_MEM(name, OPC, REG, type, load)                                    \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        uint32_t off;                                                           \
        x87_begin(c, i);                                                        \
        type m = load(x87_ea(c, i, &off));                                      \
        x87_note_mem(c, i, off);                                                \
        long double *d = push_or_overflow(f);                                   \
        if (likely(d)) x87_flags(f, xb_load_mem(OPC, REG, &m, d), SW_C1);       \
        /* set only around x87_end: a faulting load must not leave it set */  \
        x87_load_keeps_on_de = (OPC == 0xd9 || OPC == 0xdd) && x87_host.denormal_load_completes; \
        x87_end(c);                                                             \
        x87_load_keeps_on_de = false;                                           \
    }
LOAD_MEM(op_fld_m32, 0xd9, 0, uint32_t, ld32)
LOAD_MEM(op_fld_m64, 0xdd, 0, uint64_t, ld64)
LOAD_MEM(op_fild_m16, 0xdf, 0, uint16_t, ld16)
LOAD_MEM(op_fild_m32, 0xdb, 0, uint32_t, ld32)
LOAD_MEM(op_fild_m64, 0xdf, 5, uint64_t, ld64)
LOAD_MEM(op_fbld, 0xdf, 4, struct m80, ld80)

HANDLER(op_fld_m80)
{
    struct x87_state *f = &c->fpu;
    uint32_t off;
    x87_begin(c, i);
    struct m80 m = ld80(x87_ea(c, i, &off));
    x87_note_mem(c, i, off);
    long double *d = push_or_overflow(f);
    if (likely(d)) {
        memcpy(d, m.b, 10);
        f->sw &= ~SW_C1;
    }
    x87_end(c);
}

/* D9 E8..EE: FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (the host
 * rounds them by the guest's rounding control) */
#define LOAD_CONST(name, MODRM)                                                 \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        x87_begin(c, i);                                                        \
        x87_note(c, i);                                                         \
        long double *d = push_or_overflow(f);                                   \
        if (likely(d)) {                                                        \
            xb_load_const(MODRM, d);                                            \
            f->sw &= ~SW_C1;                                                    \
        }                                                                       \
        x87_end(c);                                                             \
    }
LOAD_CONST(op_fld1, 0xe8)
LOAD_CONST(op_fldl2t, 0xe9)
LOAD_CONST(op_fldl2e, 0xea)
LOAD_CONST(op_fldpi, 0xeb)
LOAD_CONST(op_fldlg2, 0xec)
LOAD_CONST(op_fldln2, 0xed)
LOAD_CONST(op_fldz, 0xee)

/* D9 C0+i: push a copy of st(i) */
HANDLER(op_fld_sti)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int ps = (f->top + i->rm) & 7;
    if (unlikely(x87_empty(f, ps))) {   /* underflow wins over overflow */
        x87_st_copy(x87_push_slot(f), X87_INDEFINITE);
        x87_underflow(f);
    } else {
        long double v;
        x87_st_copy(&v, &f->st[ps]);
        long double *d = push_or_overflow(f);
        if (likely(d)) {
            x87_st_copy(d, &v);
            f->sw &= ~SW_C1;
        }
    }
    x87_end(c);
}

/* A store after a pending unmasked exception: on hosts where its page
 * fault outranks the #MF (vendor.c), the address is checked first. */
static inline void x87_store_pending(struct cpu *c, const struct insn *i, int size)
{
    if (likely(host_facts.x87_pending_before_store_fault)) return;
    x87_sync(c);
    uint32_t off;
    if (c->fpu.sw & ~c->fpu.cw & SW_EXC) st_probe(x87_ea(c, i, &off), size);
}

/* ---- stores: convert on the host into a buffer, then write guest memory
 * before any state changes, so a faulting store can be re-run. An unmasked
 * exception leaves memory untouched. ---- */
#define STORE_MEM(name, OPC, REG, type, store, POP)                             \
    HANDLER(name)                       \
    {                                                                           \
        struct x87_state *f = &c->fpu;                                          \
        uint32_t off;                                                           \
        x87_store_pending(c, i, sizeof(type));                                  \
        x87_begin(c, i);                                                        \
        guest_addr a = x87_ea(c, i, &off);                                      \
        int p0 = f->top;                                                        \
        bool empty = x87_empty(f, p0);                                          \
        type m;                                                                 \
        uint16_t hsw = xb_store_mem(OPC, REG, empty ? X87_INDEFINITE : &f->st[p0], &m); \
        if (unlikely(empty)) hsw = (hsw & ~SW_C1) | SW_IE | SW_SF;              \
        /* unmasked IE, DE, OE, UE: no store and no pop */                     \
        bool fault = hsw & ~f->cw & (SW_EXC & ~SW_PE);                          \
        if (likely(!fault)) store(a, m);                                        \
        else if (host_facts.x87_store_fault_first) st_probe(a, sizeof m);       \
        x87_note_mem(c, i, off);                                                \
        x87_flags(f, hsw, SW_C1);                                               \
        f->sw |= hsw & SW_SF;                                                   \
        if (POP && !fault) x87_pop(f);                                          \
        x87_end(c);                                                             \
    }
static inline void st80m(guest_addr a, struct m80 v) { st80(a, v.b); }
STORE_MEM(op_fst_m32, 0xd9, 3, uint32_t, st32, 0)
STORE_MEM(op_fstp_m32, 0xd9, 3, uint32_t, st32, 1)
STORE_MEM(op_fst_m64, 0xdd, 3, uint64_t, st64, 0)
STORE_MEM(op_fstp_m64, 0xdd, 3, uint64_t, st64, 1)
STORE_MEM(op_fist_m16, 0xdf, 3, uint16_t, st16, 0)
STORE_MEM(op_fistp_m16, 0xdf, 3, uint16_t, st16, 1)
STORE_MEM(op_fist_m32, 0xdb, 3, uint32_t, st32, 0)
STORE_MEM(op_fistp_m32, 0xdb, 3, uint32_t, st32, 1)
STORE_MEM(op_fistp_m64, 0xdf, 7, uint64_t, st64, 1)
STORE_MEM(op_fisttp_m16, 0xdf, 1, uint16_t, st16, 1)
STORE_MEM(op_fisttp_m32, 0xdb, 1, uint32_t, st32, 1)
STORE_MEM(op_fisttp_m64, 0xdd, 1, uint64_t, st64, 1)
STORE_MEM(op_fbstp, 0xdf, 6, struct m80, st80m, 1)

HANDLER(op_fstp_m80)
{
    struct x87_state *f = &c->fpu;
    uint32_t off;
    x87_store_pending(c, i, 10);
    x87_begin(c, i);
    guest_addr a = x87_ea(c, i, &off);
    int p0 = f->top;
    bool empty = x87_empty(f, p0);
    if (likely(!empty) || (f->cw & SW_IE)) st80(a, empty ? X87_INDEFINITE : &f->st[p0]);
    else if (host_facts.x87_store_fault_first) st_probe(a, 10);   /* the host's order of #PF and the unmasked #IS */
    x87_note_mem(c, i, off);
    if (unlikely(empty)) x87_underflow(f);
    else f->sw &= ~SW_C1;
    x87_pop(f);
    x87_end(c);
}

/* DD D0+i FST st(i); DD D8+i FSTP st(i) (aliases D9 D8+i, DF D0+i, DF D8+i) */
static void store_sti(struct cpu *c, const struct insn *i, bool pop)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int p0 = f->top, pi = (p0 + i->rm) & 7;
    if (likely(!x87_empty(f, p0))) {
        x87_st_copy(&f->st[pi], &f->st[p0]);
        f->sw &= ~SW_C1;
    } else {
        x87_st_copy(&f->st[pi], X87_INDEFINITE);
        x87_underflow(f);
    }
    x87_set_valid(f, pi);
    if (pop) x87_pop(f);
    x87_end(c);
}
HANDLER(op_fst_sti) { store_sti(c, i, false); }
HANDLER(op_fstp_sti) { store_sti(c, i, true); }

/* D9 C8+i FXCH (aliases DD C8+i, DF C8+i): an empty side becomes the
 * indefinite before the exchange. */
HANDLER(op_fxch)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int p0 = f->top, pi = (p0 + i->rm) & 7;
    f->sw &= ~SW_C1;
    if (unlikely(x87_empty(f, p0) || x87_empty(f, pi))) {
        if (x87_empty(f, p0)) x87_st_copy(&f->st[p0], X87_INDEFINITE);
        if (x87_empty(f, pi)) x87_st_copy(&f->st[pi], X87_INDEFINITE);
        x87_set_valid(f, p0);
        x87_set_valid(f, pi);
        x87_underflow(f);
    }
    long double t;
    x87_st_copy(&t, &f->st[p0]);
    x87_st_copy(&f->st[p0], &f->st[pi]);
    x87_st_copy(&f->st[pi], &t);
    x87_end(c);
}

/* DA/DB C0..DF: FCMOVcc st0, st(i). An empty operand faults whatever the
 * condition, leaving the indefinite in st0. */
static void fcmov(struct cpu *c, const struct insn *i, int cc)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    int p0 = f->top, pi = (p0 + i->rm) & 7;
    if (likely(!x87_empty(f, p0) && !x87_empty(f, pi))) {
        if (cond_true(c, cc)) x87_st_copy(&f->st[p0], &f->st[pi]);
    } else {
        x87_st_copy(&f->st[p0], X87_INDEFINITE);
        x87_set_valid(f, p0);
        x87_underflow(f);
    }
    x87_end(c);
}
HANDLER(op_fcmovb) { fcmov(c, i, 0x2); }
HANDLER(op_fcmove) { fcmov(c, i, 0x4); }
HANDLER(op_fcmovbe) { fcmov(c, i, 0x6); }
HANDLER(op_fcmovu) { fcmov(c, i, 0xa); }
HANDLER(op_fcmovnb) { fcmov(c, i, 0x3); }
HANDLER(op_fcmovne) { fcmov(c, i, 0x5); }
HANDLER(op_fcmovnbe) { fcmov(c, i, 0x7); }
HANDLER(op_fcmovnu) { fcmov(c, i, 0xb); }

/* DD C0+i FFREE; DF C0+i FFREEP (free st(i), then pop) */
HANDLER(op_ffree)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    f->tw |= 1u << ((f->top + i->rm) & 7);
    f->sw &= ~SW_C1;
    x87_end(c);
}
HANDLER(op_ffreep)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    f->tw |= 1u << ((f->top + i->rm) & 7);
    f->sw &= ~SW_C1;
    x87_pop(f);
    x87_end(c);
}

HANDLER(op_fincstp)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    f->top = (f->top + 1) & 7;
    f->sw &= ~SW_C1;
    x87_end(c);
}
HANDLER(op_fdecstp)
{
    struct x87_state *f = &c->fpu;
    x87_begin(c, i);
    x87_note(c, i);
    f->top = (f->top - 1) & 7;
    f->sw &= ~SW_C1;
    x87_end(c);
}

static void set_reg8(int op, int reg, op_fn fn)
{
    for (int rm = 0; rm < 8; rm++) x87_reg_ops[op & 7][(reg << 3) | rm] = fn;
}
static void set_reg1(int op, int modrm, op_fn fn) { x87_reg_ops[op & 7][modrm & 63] = fn; }

void x87_register_ldst(void)
{
    x87_mem_ops[1][0] = op_fld_m32;
    x87_mem_ops[1][2] = op_fst_m32;
    x87_mem_ops[1][3] = op_fstp_m32;
    x87_mem_ops[3][0] = op_fild_m32;
    x87_mem_ops[3][1] = op_fisttp_m32;
    x87_mem_ops[3][2] = op_fist_m32;
    x87_mem_ops[3][3] = op_fistp_m32;
    x87_mem_ops[3][5] = op_fld_m80;
    x87_mem_ops[3][7] = op_fstp_m80;
    x87_mem_ops[5][0] = op_fld_m64;
    x87_mem_ops[5][1] = op_fisttp_m64;
    x87_mem_ops[5][2] = op_fst_m64;
    x87_mem_ops[5][3] = op_fstp_m64;
    x87_mem_ops[7][0] = op_fild_m16;
    x87_mem_ops[7][1] = op_fisttp_m16;
    x87_mem_ops[7][2] = op_fist_m16;
    x87_mem_ops[7][3] = op_fistp_m16;
    x87_mem_ops[7][4] = op_fbld;
    x87_mem_ops[7][5] = op_fild_m64;
    x87_mem_ops[7][6] = op_fbstp;
    x87_mem_ops[7][7] = op_fistp_m64;

    set_reg8(0xd9, 0, op_fld_sti);
    set_reg8(0xd9, 1, op_fxch);
    set_reg8(0xd9, 3, op_fstp_sti);   /* FSTP1 */
    set_reg1(0xd9, 0xe8, op_fld1);
    set_reg1(0xd9, 0xe9, op_fldl2t);
    set_reg1(0xd9, 0xea, op_fldl2e);
    set_reg1(0xd9, 0xeb, op_fldpi);
    set_reg1(0xd9, 0xec, op_fldlg2);
    set_reg1(0xd9, 0xed, op_fldln2);
    set_reg1(0xd9, 0xee, op_fldz);
    set_reg1(0xd9, 0xf6, op_fdecstp);
    set_reg1(0xd9, 0xf7, op_fincstp);
    set_reg8(0xda, 0, op_fcmovb);
    set_reg8(0xda, 1, op_fcmove);
    set_reg8(0xda, 2, op_fcmovbe);
    set_reg8(0xda, 3, op_fcmovu);
    set_reg8(0xdb, 0, op_fcmovnb);
    set_reg8(0xdb, 1, op_fcmovne);
    set_reg8(0xdb, 2, op_fcmovnbe);
    set_reg8(0xdb, 3, op_fcmovnu);
    set_reg8(0xdd, 0, op_ffree);
    set_reg8(0xdd, 1, op_fxch);       /* FXCH4 */
    set_reg8(0xdd, 2, op_fst_sti);
    set_reg8(0xdd, 3, op_fstp_sti);
    set_reg8(0xdf, 0, op_ffreep);
    set_reg8(0xdf, 1, op_fxch);       /* FXCH7 */
    set_reg8(0xdf, 2, op_fstp_sti);   /* FSTP8 */
    set_reg8(0xdf, 3, op_fstp_sti);   /* FSTP9 */
}
