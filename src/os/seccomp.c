/* seccomp for the guest: strict mode and classic-BPF filters, run by ue on
 * each guest system call before it is dispatched.
 *
 * A filter written for i386 numbers cannot go to the host kernel (it would
 * judge ue's own x86-64 calls), so ue keeps the filters and runs them itself
 * on the i386 struct seccomp_data (AUDIT_ARCH_I386, the i386 number, the
 * zero-extended argument registers, the address after int 0x80), with the
 * kernel's validation (net/core/filter.c bpf_check_classic, then
 * kernel/seccomp.c seccomp_check_filter) and its action precedence. ue's own
 * host calls are not filtered. Differences from the kernel: the filters are
 * the process's rather than each thread's (every thread obeys them, as after
 * SECCOMP_FILTER_FLAG_TSYNC), KILL_THREAD kills the whole process, and there are no user notifications
 * (SECCOMP_FILTER_FLAG_NEW_LISTENER is EINVAL, as on kernels before it).
 * And ue's vDSO has no time functions: clock_gettime, gettimeofday and
 * time are real calls under ue, which filters and strict mode then see. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "sys.h"

int seccomp_active;
static __thread bool strict;   /* SECCOMP_MODE_STRICT is the calling thread's */

/* ---- classic BPF ---- */

struct bpf_insn { uint16_t code; uint8_t jt, jf; uint32_t k; };

enum {
    LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07,
    W = 0x00, IMM = 0x00, ABS = 0x20, MEM = 0x60, LEN = 0x80,
    ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
    NEG = 0x80, MOD = 0x90, XOR = 0xa0,
    JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40,
    K = 0x00, X = 0x08, A = 0x10, TAX = 0x00, TXA = 0x80,
    MAXINSNS = 4096, MEMWORDS = 16, DATA_SIZE = 64,
};

static bool is_cond_jump(uint16_t code) { return (code & 0x07) == JMP && (code & 0xf0) != JA; }

/* The codes seccomp accepts (after its rewriting of the loads): a subset of
 * bpf_check_classic's, so one list serves both checks. */
static bool seccomp_code_ok(uint16_t code)
{
    switch (code) {
    case RET | K: case RET | A:
    case ALU | ADD | K: case ALU | ADD | X: case ALU | SUB | K: case ALU | SUB | X:
    case ALU | MUL | K: case ALU | MUL | X: case ALU | DIV | K: case ALU | DIV | X:
    case ALU | AND | K: case ALU | AND | X: case ALU | OR | K: case ALU | OR | X:
    case ALU | XOR | K: case ALU | XOR | X: case ALU | LSH | K: case ALU | LSH | X:
    case ALU | RSH | K: case ALU | RSH | X: case ALU | NEG:
    case LD | IMM: case LDX | IMM: case MISC | TAX: case MISC | TXA:
    case LD | MEM: case LDX | MEM: case ST: case STX:
    case JMP | JA: case JMP | JEQ | K: case JMP | JEQ | X: case JMP | JGE | K: case JMP | JGE | X:
    case JMP | JGT | K: case JMP | JGT | X: case JMP | JSET | K: case JMP | JSET | X:
    case LD | W | ABS: case LD | W | LEN: case LDX | W | LEN:
        return true;
    }
    return false;
}

/* bpf_check_classic, then seccomp_check_filter (which rewrites the LEN
 * loads). Codes the first knows and the second refuses give EINVAL either
 * way, so the first pass uses seccomp's list with MOD added. */
static int check_filter(struct bpf_insn *f, uint32_t n)
{
    for (uint32_t pc = 0; pc < n; pc++) {
        struct bpf_insn *i = &f[pc];
        uint16_t code = i->code;
        if (!seccomp_code_ok(code) && code != (ALU | MOD | K) && code != (ALU | MOD | X)) return -EINVAL;
        if ((code == (ALU | DIV | K) || code == (ALU | MOD | K)) && i->k == 0) return -EINVAL;
        if ((code == (ALU | LSH | K) || code == (ALU | RSH | K)) && i->k >= 32) return -EINVAL;
        if ((code == (LD | MEM) || code == (LDX | MEM) || code == ST || code == STX) && i->k >= MEMWORDS)
            return -EINVAL;
        if (code == (JMP | JA) && i->k >= n - pc - 1) return -EINVAL;
        if (is_cond_jump(code) && (pc + i->jt + 1 >= n || pc + i->jf + 1 >= n)) return -EINVAL;
    }
    if (f[n - 1].code != (RET | K) && f[n - 1].code != (RET | A)) return -EINVAL;
    /* check_load_and_stores: scratch memory is written before it is read on every path */
    uint16_t *masks = malloc(n * sizeof *masks), valid = 0;
    if (!masks) return -ENOMEM;
    memset(masks, 0xff, n * sizeof *masks);
    int r = 0;
    for (uint32_t pc = 0; pc < n && !r; pc++) {
        struct bpf_insn *i = &f[pc];
        valid &= masks[pc];
        if (i->code == ST || i->code == STX) valid |= (uint16_t)(1u << i->k);
        else if ((i->code == (LD | MEM) || i->code == (LDX | MEM)) && !(valid & (1u << i->k))) r = -EINVAL;
        else if (i->code == (JMP | JA)) { masks[pc + 1 + i->k] &= valid; valid = 0xffff; }
        else if (is_cond_jump(i->code)) {
            masks[pc + 1 + i->jt] &= valid;
            masks[pc + 1 + i->jf] &= valid;
            valid = 0xffff;
        }
    }
    free(masks);
    if (r) return r;
    /* seccomp_check_filter: only its codes, loads aligned inside seccomp_data */
    for (uint32_t pc = 0; pc < n; pc++) {
        struct bpf_insn *i = &f[pc];
        if (!seccomp_code_ok(i->code)) return -EINVAL;
        if (i->code == (LD | W | ABS) && (i->k >= DATA_SIZE || (i->k & 3))) return -EINVAL;
        if (i->code == (LD | W | LEN)) *i = (struct bpf_insn){ LD | IMM, 0, 0, DATA_SIZE };
        if (i->code == (LDX | W | LEN)) *i = (struct bpf_insn){ LDX | IMM, 0, 0, DATA_SIZE };
    }
    return 0;
}

static uint32_t run_filter(const struct bpf_insn *f, const uint32_t *data)
{
    uint32_t acc = 0, x = 0, mem[MEMWORDS] = { 0 };
    for (uint32_t pc = 0;; pc++) {
        const struct bpf_insn *i = &f[pc];
        uint32_t src = (i->code & X) ? x : i->k;
        switch (i->code & 0x07) {
        case LD:
            acc = (i->code & 0xe0) == ABS ? data[i->k / 4] : (i->code & 0xe0) == MEM ? mem[i->k] : i->k;
            break;
        case LDX: x = (i->code & 0xe0) == MEM ? mem[i->k] : i->k; break;
        case ST: mem[i->k] = acc; break;
        case STX: mem[i->k] = x; break;
        case ALU:
            switch (i->code & 0xf0) {
            case ADD: acc += src; break;
            case SUB: acc -= src; break;
            case MUL: acc *= src; break;
            case DIV:
                if (!src) return 0;   /* division by X = 0 ends the program with 0, as the kernel's */
                acc /= src;
                break;
            case OR: acc |= src; break;
            case AND: acc &= src; break;
            case LSH: acc <<= src & 31; break;   /* eBPF's 32-bit shifts mask the count */
            case RSH: acc >>= src & 31; break;
            case NEG: acc = -acc; break;
            case XOR: acc ^= src; break;
            }
            break;
        case JMP: {
            bool t;
            switch (i->code & 0xf0) {
            case JA: pc += i->k; continue;
            case JEQ: t = acc == src; break;
            case JGT: t = acc > src; break;
            case JGE: t = acc >= src; break;
            default: t = (acc & src) != 0; break;
            }
            pc += t ? i->jt : i->jf;
            break;
        }
        case RET: return (i->code & 0x18) == A ? acc : i->k;
        case MISC: if (i->code & TXA) acc = x; else x = acc; break;
        }
    }
}

/* ---- the process's filters, newest first ---- */

struct filter {
    struct filter *prev;
    uint32_t len;
    struct bpf_insn insns[];
};
static struct filter *filters;
static uint32_t total_insns;

#define AUDIT_ARCH_I386 0x40000003u
#define RET_KILL_PROCESS 0x80000000u
#define RET_KILL_THREAD 0x00000000u
#define RET_TRAP 0x00030000u
#define RET_ERRNO 0x00050000u
#define RET_USER_NOTIF 0x7fc00000u
#define RET_TRACE 0x7ff00000u
#define RET_LOG 0x7ffc0000u
#define RET_ALLOW 0x7fff0000u
#define ACTION(r) ((int32_t)((r) & 0xffff0000u))
#define SYS_SECCOMP 1

static void die_sigsys(void) { os_die_by_signal(SIGSYS); }

/* SECCOMP_RET_TRAP: SIGSYS with si_code SYS_SECCOMP; the call does not run
 * and EAX keeps the number (syscall_rollback). os_sync_signal fills
 * si_call_addr; si_errno, si_syscall and si_arch are written into the
 * frame's siginfo when the handler takes one. */
static void trap(struct cpu *c, uint32_t nr, uint32_t data)
{
    const struct guest_sigaction *act = signal_action(SIGSYS);
    bool siginfo = act && (act->flags & SA_SIGINFO);
    struct sig_trap t = { 0, 0, 0, false };
    os_sync_signal(c, SIGSYS, SYS_SECCOMP, c->eip, &t);
    uint32_t info;
    if (siginfo && !ua_get_u32(c->r[ESP] + 8, &info)) {
        uint32_t more[2] = { nr, AUDIT_ARCH_I386 };
        (void)ua_put_u32(info + 4, data);
        (void)ua_write(info + 16, more, sizeof more);
    }
}

bool seccomp_enter(struct cpu *c, uint32_t nr, const uint32_t *a, long *r)
{
    if (strict) {
        /* kernel/seccomp.c mode1_syscalls_32: read, write, exit, sigreturn */
        if (nr == 3 || nr == 4 || nr == 1 || nr == 119) return false;
        os_die_by_signal(SIGKILL);
    }
    struct filter *f = filters;
    if (!f) return false;
    uint32_t data[DATA_SIZE / 4] = { nr, AUDIT_ARCH_I386, c->eip, 0 };
    for (int k = 0; k < 6; k++) data[4 + 2 * k] = a[k];
    uint32_t ret = RET_ALLOW;
    for (; f; f = f->prev) {
        uint32_t cur = run_filter(f->insns, data);
        if (ACTION(cur) < ACTION(ret)) ret = cur;
    }
    uint32_t val = ret & 0xffff;
    switch (ret & 0xffff0000u) {
    case RET_ALLOW: case RET_LOG: return false;
    case RET_ERRNO: *r = -(long)(val > 4095 ? 4095 : val); return true;
    case RET_TRACE: case RET_USER_NOTIF: *r = -ENOSYS; return true;   /* no tracer, no listener */
    case RET_TRAP: trap(c, nr, val); *r = OS_NO_RESULT; return true;
    default: die_sigsys(); *r = OS_NO_RESULT; return true;   /* KILL_THREAD, KILL_PROCESS, unknown */
    }
}

int seccomp_mode_now(void) { return strict ? 1 : filters ? 2 : 0; }

/* ---- across execve (natively the filters are kept) ---- */

/* The filters, newest first, each as its length and instructions, in a
 * sealed memfd the ue that runs the new program reads (--seccomp-fd): -1
 * when there are none, -errno when they cannot be handed on. */
int seccomp_export(void)
{
    if (!filters) return -1;
    int h = fd_for_next_ue(memfd_create("ue-seccomp", MFD_ALLOW_SEALING));
    if (h < 0) return -errno;
    bool ok = true;
    for (const struct filter *f = filters; ok && f; f = f->prev) {
        size_t bytes = f->len * sizeof f->insns[0];
        ok = write(h, &f->len, 4) == 4 && write(h, f->insns, bytes) == (ssize_t)bytes;
    }
    if (!ok || fcntl(h, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK)) {
        close(h);
        return -ENOMEM;
    }
    return h;
}

/* The new ue, before the program runs: the filters the old one handed on.
 * Fails closed (false) on anything but the sealed file seccomp_export made. */
bool seccomp_import(int fd)
{
    int seals = fcntl(fd, F_GET_SEALS);
    bool ok = seals >= 0 && (seals & F_SEAL_WRITE) && lseek(fd, 0, SEEK_SET) == 0;
    struct filter **older = &filters;   /* each one read is older than the last */
    for (uint32_t len; ok && read(fd, &len, 4) == 4;) {
        ok = len && len <= MAXINSNS;
        struct filter *f = ok ? malloc(sizeof *f + len * sizeof f->insns[0]) : NULL;
        ok = f && read(fd, f->insns, len * sizeof f->insns[0]) == (ssize_t)(len * sizeof f->insns[0])
             && !check_filter(f->insns, len);
        if (!ok) { free(f); break; }
        f->len = len;
        f->prev = NULL;
        *older = f;
        older = &f->prev;
        total_insns += len + 4;
        seccomp_active = 1;
    }
    close(fd);
    return ok && filters;
}

/* ---- installing ---- */

#define FLAG_TSYNC 1u
#define FLAG_NEW_LISTENER 8u
#define FLAG_TSYNC_ESRCH 16u
#define FLAG_WAIT_KILLABLE_RECV 32u
#define FLAG_MASK 63u
#define MAX_INSNS_PER_PATH 32768u

static bool may_admin(void)
{
    struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
    uint32_t caps[6] = { 0 };
    return syscall(SYS_capget, &hdr, caps) == 0 && (caps[0] & (1u << 21));   /* CAP_SYS_ADMIN */
}

static long set_filter(uint32_t flags, guest_addr uprog)
{
    if (flags & ~FLAG_MASK) return -EINVAL;
    if ((flags & FLAG_TSYNC) && (flags & FLAG_NEW_LISTENER) && !(flags & FLAG_TSYNC_ESRCH)) return -EINVAL;
    if ((flags & FLAG_WAIT_KILLABLE_RECV) && !(flags & FLAG_NEW_LISTENER)) return -EINVAL;
    if (flags & (FLAG_NEW_LISTENER | FLAG_WAIT_KILLABLE_RECV)) return -EINVAL;   /* see the top */
    struct { uint16_t len, pad; uint32_t filter; } prog;   /* compat_sock_fprog */
    if (ua_read(&prog, uprog, sizeof prog)) return -EFAULT;
    if (prog.len == 0 || prog.len > MAXINSNS) return -EINVAL;
    if (!prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) && !may_admin()) return -EACCES;
    struct filter *f = malloc(sizeof *f + prog.len * sizeof f->insns[0]);
    if (!f) return -ENOMEM;
    f->len = prog.len;
    long r = ua_read(f->insns, prog.filter, prog.len * sizeof f->insns[0]) ? -EFAULT : check_filter(f->insns, prog.len);
    if (!r && strict) r = -EINVAL;   /* seccomp_may_assign_mode */
    /* seccomp_attach_filter: each filter counts 4 instructions more on the path */
    if (!r && total_insns + prog.len + 4 > MAX_INSNS_PER_PATH) r = -ENOMEM;
    if (r) { free(f); return r; }
    total_insns += prog.len + 4;
    f->prev = filters;
    filters = f;
    seccomp_active = 1;
    return 0;
}

enum { MODE_STRICT = 0, MODE_FILTER = 1, ACTION_AVAIL = 2, NOTIF_SIZES = 3 };

long seccomp_set(uint32_t op, uint32_t flags, guest_addr uargs)
{
    switch (op) {
    case MODE_STRICT:
        if (flags || uargs) return -EINVAL;
        if (filters) return -EINVAL;   /* seccomp_may_assign_mode */
        strict = true;
        seccomp_active = 1;
        return 0;
    case MODE_FILTER: return set_filter(flags, uargs);
    case ACTION_AVAIL: {
        if (flags) return -EINVAL;
        uint32_t action;
        if (ua_read(&action, uargs, 4)) return -EFAULT;
        switch (action) {
        case RET_KILL_PROCESS: case RET_KILL_THREAD: case RET_TRAP: case RET_ERRNO:
        case RET_TRACE: case RET_LOG: case RET_ALLOW:
            return 0;
        }
        return -EOPNOTSUPP;   /* and USER_NOTIF: ue has no listeners */
    }
    case NOTIF_SIZES:
        if (flags) return -EINVAL;
        /* struct seccomp_notif, seccomp_notif_resp and seccomp_data are fixed-width */
        return host_ret(syscall(SYS_seccomp, op, 0, ua_lock(uargs, 6, UA_OUT)));
    default: return -EINVAL;
    }
}

SYS(seccomp) { return seccomp_set(a1, a2, a3); }

/* prctl(PR_SET_SECCOMP): mode 1 strict, mode 2 a filter without flags */
long seccomp_prctl(uint32_t mode, guest_addr filter)
{
    if (mode == 1) return seccomp_set(MODE_STRICT, 0, 0);
    if (mode == 2) return seccomp_set(MODE_FILTER, 0, filter);
    return -EINVAL;
}
