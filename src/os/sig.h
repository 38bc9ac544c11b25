/* Signal delivery internals shared by signal.c (queue, dispositions, masks)
 * and sigframe.c (the i386 frames). */
#ifndef UE_OS_SIG_H
#define UE_OS_SIG_H

#include "sys.h"

#define SIGBIT(s) (1ull << ((s) - 1))
#define I386_SIGINFO_SIZE 128

/* One delivery to a guest handler. */
struct sig_delivery {
    int sig;
    const uint8_t *info;                /* compat siginfo, 128 bytes */
    const struct guest_sigaction *act;
    uint64_t mask;                      /* the mask sigreturn restores */
    const struct sig_trap *trap;
};

/* Build the frame (sigframe_ia32 or rt_sigframe_ia32 with its FPU state)
 * and point the CPU at the handler. False when the stack cannot take it. */
bool sigframe_setup(struct cpu *c, const struct sig_delivery *d);
/* sigreturn (rt = false) / rt_sigreturn: registers, FPU, altstack from the
 * frame at ESP; *mask gets the saved mask unless the frame is unreadable. */
enum sigret {
    SIGRET_OK,
    SIGRET_NO_FRAME,    /* unreadable: nothing restored */
    SIGRET_BAD_FRAME,   /* registers restored, the FPU state failed (badframe) */
    SIGRET_BAD_IRET,    /* all restored; the return to user mode faults: #GP(*gp_err) */
};
enum sigret sigframe_restore(struct cpu *c, bool rt, uint64_t *mask, uint32_t *gp_err);
void sigframe_init(void);
/* The FPU registers as a core's NT_PRFPREG (fsave image) and NT_PRXFPREG (FXSAVE). */
void sigframe_fpu_regs(struct cpu *c, uint8_t fsave[108], uint8_t fx[512]);

/* core.c: a fatal signal's core dump (info: its compat siginfo). */
enum core_result {
    CORE_NONE,      /* no dump: die with RLIMIT_CORE 0 */
    CORE_WRITTEN,   /* ue wrote the guest's core: die so that the parent sees WCOREDUMP */
    CORE_HOST,      /* core_pattern is a pipe: the host kernel hands ue's core to it */
};
enum core_result core_dump(struct cpu *c, int sig, const uint8_t *info, uint64_t pending, uint64_t blocked);
/* Just before dying of sig by the host kernel: arrange that it dumps
 * nothing of ue anywhere that outlives the process, yet reports the dump. */
void core_die_prepare(enum core_result r);     /* measures the host's signal FPU frame (xsave size) */

/* signal.c, for sigframe.c: the alternate stack as the kernel keeps it */
struct i386_stack *signal_altstack_state(void);
/* sigaltstack's checks and update for a new stack at guest ESP sp: 0 or -errno */
int signal_set_altstack(const struct i386_stack *ss, uint32_t sp);

#endif
