/* The fast x87 path: while the guest has every exception masked, its whole
 * FPU state (registers, TOP, tags, status) lives in the host FPU and each
 * guest x87 instruction runs as itself on the host: register forms are the
 * guest's own two bytes, memory forms the guest's opcode on the guest
 * address ([rdx] = gm_host_operand(ea)). Results, flags, stack faults and the status
 * word are the host's by construction, and values stay in host registers
 * between guest instructions (a round trip through memory costs ~30 cycles
 * per dependent op on current CPUs).
 *
 * The memory copy in struct x87_state is brought up to date by x87_sync()
 * (x87_state.c: FNSAVE on the host) before anything else reads it, and reloaded (FRSTOR)
 * at the next x87 instruction. Control instructions that deal in whole
 * environments (FNSTENV, FLDENV, FNSAVE, FRSTOR, FXSAVE, FXRSTOR) sync and
 * run on the memory copy; FLDCW that unmasks an exception syncs too, and
 * the memory path (x87_arith.c, x87_ldst.c, x87_ctl.c) runs from then on. */
#include <signal.h>

#include "x87.h"

/* ---- register forms: the guest's two bytes on the host ---- */

#define IS_COMI(o, m) (((o) == 0xdb || (o) == 0xdf) && (m) >= 0xe8 && (m) <= 0xf7)
#define IS_FCMOV(o, m) (((o) == 0xda || (o) == 0xdb) && (m) < 0xe0)

static inline void note_reg(struct cpu *c, const struct insn *i, uint16_t fop)
{
    struct x87_state *f = &c->fpu;
    f->fip = i->eip;
    f->fcs = c->sreg[SEG_CS];
    f->fop = fop;
}

#define XR_CLOBBER "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"
/* Every resident handler starts here: the decoder may bind it directly. */
#define RESIDENT_OR_LEAVE(c, i)                                                 \
    if (unlikely(x87_owner != (c))) {                                           \
        x87_not_resident(c, i);                                                 \
        return;                                                                 \
    }
#define RREG(OPC, MODRM)                                                        \
    HANDLER_NESTING(rr_##OPC##_##MODRM)        \
    {                                                                           \
        RESIDENT_OR_LEAVE(c, i)                                                 \
        if (IS_COMI(OPC, MODRM)) {                                              \
            uint8_t z, p, cf;                                                   \
            __asm__ volatile(".byte " #OPC ", " #MODRM "\n\tsetz %0\n\tsetp %1\n\tsetc %2" \
                             : "=q"(z), "=q"(p), "=q"(cf) : : "cc", XR_CLOBBER); \
            flags_set(c, (z ? F_ZF : 0) | (p ? F_PF : 0) | (cf ? F_CF : 0),     \
                      F_ZF | F_PF | F_CF | F_OF | F_SF | F_AF);                  \
        } else if (IS_FCMOV(OPC, MODRM)) {                                      \
            uint32_t fl = flags_get(c) << 8;  /* AH: SF ZF AF PF CF for SAHF */ \
            __asm__ volatile("sahf\n\t.byte " #OPC ", " #MODRM                  \
                             : "+a"(fl) : : "cc", XR_CLOBBER);                   \
        } else {                                                                \
            __asm__ volatile(".byte " #OPC ", " #MODRM : : : XR_CLOBBER);        \
        }                                                                       \
        note_reg(c, i, ((OPC & 7) << 8) | MODRM);                              \
    }
#define ROW(M, OPC, HI) M(OPC, HI##0) M(OPC, HI##1) M(OPC, HI##2) M(OPC, HI##3) \
    M(OPC, HI##4) M(OPC, HI##5) M(OPC, HI##6) M(OPC, HI##7) M(OPC, HI##8)       \
    M(OPC, HI##9) M(OPC, HI##a) M(OPC, HI##b) M(OPC, HI##c) M(OPC, HI##d)       \
    M(OPC, HI##e) M(OPC, HI##f)
#define ALL64(M, OPC) ROW(M, OPC, 0xc) ROW(M, OPC, 0xd) ROW(M, OPC, 0xe) ROW(M, OPC, 0xf)
#define ALL_OPS(M) ALL64(M, 0xd8) ALL64(M, 0xd9) ALL64(M, 0xda) ALL64(M, 0xdb) \
    ALL64(M, 0xdc) ALL64(M, 0xdd) ALL64(M, 0xde) ALL64(M, 0xdf)
ALL_OPS(RREG)
#define RREF(OPC, MODRM) rr_##OPC##_##MODRM,
static const op_fn rr_tab[512] = {ALL_OPS(RREF)};

/* ---- memory forms: the guest's opcode and ModRM.reg on [rdx] ---- */

#define RMEM(OPC, REG)                                                          \
    HANDLER_NESTING(rm_##OPC##_##REG)          \
    {                                                                           \
        RESIDENT_OR_LEAVE(c, i)                                                 \
        uint32_t off;                                                           \
        guest_addr a = x87_ea(c, i, &off);                                      \
        __asm__ volatile(".byte " #OPC ", (" #REG "<<3)|2"                       \
                         : : "d"(gm_host_operand(a)) : "memory", XR_CLOBBER);   \
        struct x87_state *f = &c->fpu;                                          \
        f->fip = i->eip;                                                        \
        f->fcs = c->sreg[SEG_CS];                                               \
        f->fop = (0x8000 | ((OPC & 7) << 8) | (REG << 3)) | i->rm;              \
        f->fdp = off;                                                           \
        f->fds = c->sreg[i->seg];                                               \
    }
#define MEM8(M, OPC) M(OPC, 0) M(OPC, 1) M(OPC, 2) M(OPC, 3) M(OPC, 4) M(OPC, 5) M(OPC, 6) M(OPC, 7)
#define ALL_MEM(M) MEM8(M, 0xd8) MEM8(M, 0xd9) MEM8(M, 0xda) MEM8(M, 0xdb) \
    MEM8(M, 0xdc) MEM8(M, 0xdd) MEM8(M, 0xde) MEM8(M, 0xdf)
ALL_MEM(RMEM)
#define MREF(OPC, REG) rm_##OPC##_##REG,
static const op_fn rm_tab[64] = {ALL_MEM(MREF)};

/* ---- control instructions on the host state ---- */

HANDLER_NESTING(rr_fnstsw_ax)
{
    RESIDENT_OR_LEAVE(c, i)
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=a"(sw));
    set_r16(c, EAX, sw);   /* every exception is masked here: ES and B are 0 as the host says */
}
HANDLER_NESTING(rm_fnstsw)
{
    RESIDENT_OR_LEAVE(c, i)
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=a"(sw));
    st16(ea(c, i), sw);
}
HANDLER_NESTING(rr_fnclex)
{
    RESIDENT_OR_LEAVE(c, i)
    __asm__ volatile("fnclex");
}
HANDLER_NESTING(rr_fninit)
{
    RESIDENT_OR_LEAVE(c, i)
    __asm__ volatile("fninit" : : : XR_CLOBBER);
    x87_reset(&c->fpu);
}
HANDLER_NESTING(rr_nothing) {}
HANDLER_NESTING(rm_fnstcw) { st16(ea(c, i), c->fpu.cw); }
HANDLER_NESTING(rm_fldcw)
{
    RESIDENT_OR_LEAVE(c, i)
    uint16_t cw = x87_cw_normalize(ld16(ea(c, i)));
    if ((cw & SW_EXC) == SW_EXC) {
        xb_load_cw(cw);
        c->fpu.cw = cw;
    } else {
        x87_sync(c);    /* unmasked exceptions: the memory path from now on */
        c->fpu.cw = cw;
    }
}
/* environment instructions run on the memory copy */
HANDLER_NESTING(rm_synced)
{
    x87_sync(c);
    x87_mem_ops[i->op & 7][i->reg](c, i);
}

op_fn x87_res_mem_ops[8][8];
op_fn x87_res_reg_ops[8][64];

void x87_register_resident(void)
{
    for (int o = 0; o < 8; o++) {
        for (int m = 0; m < 64; m++)
            x87_res_reg_ops[o][m] = x87_reg_ops[o][m] == x87_illegal ? x87_illegal : rr_tab[o * 64 + m];
        for (int r = 0; r < 8; r++)
            x87_res_mem_ops[o][r] = x87_mem_ops[o][r] == x87_illegal ? x87_illegal : rm_tab[o * 8 + r];
    }
    x87_res_reg_ops[7][0x20] = rr_fnstsw_ax;
    x87_res_reg_ops[3][0x20] = rr_nothing;   /* FNENI, FNDISI, FNSETPM */
    x87_res_reg_ops[3][0x21] = rr_nothing;
    x87_res_reg_ops[3][0x24] = rr_nothing;
    x87_res_reg_ops[3][0x22] = rr_fnclex;
    x87_res_reg_ops[3][0x23] = rr_fninit;
    x87_res_mem_ops[1][4] = rm_synced;       /* FLDENV */
    x87_res_mem_ops[1][5] = rm_fldcw;
    x87_res_mem_ops[1][6] = rm_synced;       /* FNSTENV */
    x87_res_mem_ops[1][7] = rm_fnstcw;
    x87_res_mem_ops[5][4] = rm_synced;       /* FRSTOR */
    x87_res_mem_ops[5][6] = rm_synced;       /* FNSAVE */
    x87_res_mem_ops[5][7] = rm_fnstsw;
}
