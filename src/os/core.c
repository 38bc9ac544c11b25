/* Core dumps of the guest: a fatal core-dumping signal writes the core an
 * i386 process would leave (fs/coredump.c, fs/binfmt_elf.c with the compat
 * types): an ET_CORE EM_386 ELF with the notes (NT_PRSTATUS, NT_PRPSINFO,
 * NT_SIGINFO, NT_AUXV, NT_FILE, NT_PRFPREG, NT_PRXFPREG) and a PT_LOAD per
 * guest region at its guest address, named and placed by the host's
 * core_pattern, within RLIMIT_CORE. Then ue dies of the signal with the
 * host kernel dumping too, so that the parent sees WCOREDUMP, but into a
 * tmpfs of a private mount namespace that dies with the process: the
 * kernel's core of ue itself never lands anywhere.
 *
 * A core_pattern that is a pipe ("|program") is left to the host kernel:
 * the program gets ue's own (x86-64) core, as small as coredump_filter 0
 * makes it, and the parent sees WCOREDUMP as natively. Only the dumping
 * thread's registers are in the core (other threads' are not reachable
 * from it). Without CAP_SYS_ADMIN the private mount namespace needs a user
 * namespace of ue's own, which a multithreaded process cannot enter: the
 * guest's core is then written but the parent's status lacks the core flag. */
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../cpu/cpu.h"
#include "../loader/load.h"
#include "sig.h"

#define CORE_MIN 4096           /* binfmt_elf's min_coredump: one page */
#define PRSTATUS_SIZE 144       /* compat_elf_prstatus */
#define PRPSINFO_SIZE 124       /* compat_elf_prpsinfo */
#define NT_PRXFPREG_TYPE 0x46e62b7f

/* SIG_KERNEL_COREDUMP_MASK */
static bool dumps_core(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
    case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return true;
    default:
        return false;
    }
}

/* A small file of /proc/sys, its first line without the newline. */
static void read_line(const char *path, char *buf, size_t n)
{
    buf[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t r = read(fd, buf, n - 1);
    close(fd);
    buf[r > 0 ? r : 0] = 0;
    buf[strcspn(buf, "\n")] = 0;
}

/* format_corename: the pattern's specifiers for this process (pid
 * namespaces aside, ue's ids are the guest's). */
static void core_name(const char *pat, int sig, uint64_t limit, char *out, size_t n)
{
    size_t o = 0;
    bool pid_in = false;
    char comm[17] = "";
    prctl(PR_GET_NAME, comm, 0, 0, 0);
#define ADD(...) do { if (o < n) o += (size_t)snprintf(out + o, n - o, __VA_ARGS__); } while (0)
    for (const char *p = pat; *p; p++) {
        if (*p != '%') { ADD("%c", *p); continue; }
        switch (*++p) {
        case 0: p--; break;
        case '%': ADD("%%"); break;
        case 'p': pid_in = true; /* fall through */
        case 'P': ADD("%d", getpid()); break;
        case 'i': case 'I': ADD("%d", gettid()); break;
        case 'u': ADD("%u", getuid()); break;
        case 'g': ADD("%u", getgid()); break;
        case 'd': ADD("%d", prctl(PR_GET_DUMPABLE)); break;
        case 's': ADD("%d", sig); break;
        case 't': ADD("%lld", (long long)time(NULL)); break;
        case 'h': { struct utsname u; uname(&u); ADD("%s", u.nodename); break; }
        case 'e': ADD("%s", comm); break;
        case 'E':
            for (const char *e = ue_exe_path; *e; e++) ADD("%c", *e == '/' ? '!' : *e);
            break;
        case 'c': ADD("%llu", (unsigned long long)limit); break;
        default: break;   /* unknown specifiers are dropped */
        }
    }
    char uses_pid[8];
    read_line("/proc/sys/kernel/core_uses_pid", uses_pid, sizeof uses_pid);
    if (!pid_in && atoi(uses_pid)) ADD(".%d", getpid());
#undef ADD
    if (o >= n) out[n - 1] = 0;
}

/* ---- the file: written in order, cut at RLIMIT_CORE like dump_emit ---- */

struct core_out {
    int fd;
    uint64_t pos, limit;
    bool full;
};

static void emit(struct core_out *w, const void *p, size_t n)
{
    if (w->full) return;
    if (w->pos + n > w->limit) { n = w->limit - w->pos; w->full = true; }
    const char *b = p;
    while (n) {
        ssize_t r = pwrite(w->fd, b, n, (off_t)w->pos);
        if (r <= 0) { w->full = true; return; }
        b += r; n -= (size_t)r; w->pos += (uint64_t)r;
    }
}

/* a hole (dump_skip): zero pages stay sparse */
static void skip_to(struct core_out *w, uint64_t pos)
{
    if (w->full) return;
    if (pos > w->limit) { pos = w->limit; w->full = true; }
    w->pos = pos;
}

static void note(struct core_out *w, const char *name, uint32_t type, const void *desc, uint32_t size)
{
    uint32_t h[3] = { (uint32_t)strlen(name) + 1, size, type };
    static const uint8_t zero[4];
    emit(w, h, sizeof h);
    emit(w, name, h[0]);
    emit(w, zero, (4 - h[0] % 4) % 4);
    emit(w, desc, size);
    emit(w, zero, (4 - size % 4) % 4);
}

static uint32_t note_size(const char *name, uint32_t size)
{
    return 12 + ((uint32_t)strlen(name) + 1 + 3) / 4 * 4 + (size + 3) / 4 * 4;
}

/* ---- the notes' contents ---- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void put_tv(uint8_t *p, const struct timeval *tv)
{
    put32(p, (uint32_t)tv->tv_sec);
    put32(p + 4, (uint32_t)tv->tv_usec);
}

/* compat_elf_prstatus of the dumping thread, its user_regs_struct in the
 * i386 order (ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs
 * eflags esp ss) */
static void prstatus(struct cpu *c, int sig, const uint8_t *info, uint64_t pending, uint64_t blocked,
                     uint8_t *p)
{
    memset(p, 0, PRSTATUS_SIZE);
    put32(p + 0, (uint32_t)sig);
    memcpy(p + 4, info + 8, 4);     /* si_code */
    memcpy(p + 8, info + 4, 4);     /* si_errno */
    int16_t cursig = (int16_t)sig;
    memcpy(p + 12, &cursig, 2);
    put32(p + 16, (uint32_t)pending);
    put32(p + 20, (uint32_t)blocked);
    put32(p + 24, (uint32_t)gettid());
    put32(p + 28, (uint32_t)getppid());
    put32(p + 32, (uint32_t)getpgrp());
    put32(p + 36, (uint32_t)getsid(0));
    struct rusage self, kids;
    getrusage(RUSAGE_THREAD, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    put_tv(p + 40, &self.ru_utime);
    put_tv(p + 48, &self.ru_stime);
    put_tv(p + 56, &kids.ru_utime);
    put_tv(p + 64, &kids.ru_stime);
    uint32_t regs[17] = {
        c->r[EBX], c->r[ECX], c->r[EDX], c->r[ESI], c->r[EDI], c->r[EBP], c->r[EAX],
        c->sreg[SEG_DS], c->sreg[SEG_ES], c->sreg[SEG_FS], c->sreg[SEG_GS], 0xffffffffu,
        c->eip, c->sreg[SEG_CS], flags_get(c), c->r[ESP], c->sreg[SEG_SS],
    };
    memcpy(p + 72, regs, sizeof regs);
    put32(p + 140, 1);              /* pr_fpvalid */
}

/* compat_elf_prpsinfo: 16-bit ids, comm, the arguments with NULs as spaces */
static void prpsinfo(uint8_t *p)
{
    memset(p, 0, PRPSINFO_SIZE);
    p[1] = 'R';
    p[3] = (uint8_t)(int8_t)getpriority(PRIO_PROCESS, 0);
    put32(p + 4, 0x00400600u);      /* PF_SIGNALED | PF_DUMPCORE | PF_RANDOMIZE, as a dumping task has */
    uint16_t id = (uint16_t)uid16_out(getuid());
    memcpy(p + 8, &id, 2);
    id = (uint16_t)uid16_out(getgid());
    memcpy(p + 10, &id, 2);
    put32(p + 12, (uint32_t)getpid());
    put32(p + 16, (uint32_t)getppid());
    put32(p + 20, (uint32_t)getpgrp());
    put32(p + 24, (uint32_t)getsid(0));
    prctl(PR_GET_NAME, (char *)p + 28, 0, 0, 0);
    p[43] = 0;
    char args[80] = "";
    uint32_t len = stack_arg_end > stack_arg_start ? stack_arg_end - stack_arg_start : 0;
    if (len > sizeof args - 1) len = sizeof args - 1;
    if (len && !ua_read(args, stack_arg_start, len)) {
        for (uint32_t k = 0; k + 1 < len; k++)
            if (!args[k]) args[k] = ' ';
        args[len] = 0;
    }
    memcpy(p + 44, args, sizeof args);
}

/* NT_FILE: count, page size, (start, end, page offset) per file mapping, then the names */
static uint8_t *file_note(uint32_t *size)
{
    uint32_t count = 0, names = 0;
    for (const struct region *r = mem_next_region(0); r; r = mem_next_region(r->end))
        if (r->ino && r->name[0] == '/') { count++; names += (uint32_t)strlen(r->name) + 1; }
    *size = 8 + count * 12 + names;
    uint8_t *b = calloc(1, *size + 1), *q;
    if (!b) { *size = 0; return NULL; }
    put32(b, count);
    put32(b + 4, GUEST_PAGE);
    q = b + 8;
    char *nm = (char *)b + 8 + count * 12;
    uint32_t k = 0;
    for (const struct region *r = mem_next_region(0); r && k < count; r = mem_next_region(r->end)) {
        if (!(r->ino && r->name[0] == '/')) continue;
        put32(q, r->start);
        put32(q + 4, r->end);
        put32(q + 8, (uint32_t)(r->offset / GUEST_PAGE));
        q += 12;
        strcpy(nm, r->name);
        nm += strlen(r->name) + 1;
        k++;
    }
    return b;
}

/* ---- the dump ---- */

static uint32_t phdr_flags(int prot)
{
    return (prot & PROT_READ ? PF_R : 0) | (prot & PROT_WRITE ? PF_W : 0) | (prot & PROT_EXEC ? PF_X : 0);
}

static void write_core(struct core_out *w, struct cpu *c, int sig, const uint8_t *info,
                       uint64_t pending, uint64_t blocked)
{
    uint8_t prs[PRSTATUS_SIZE], prps[PRPSINFO_SIZE], fsave[108], fx[512];
    prstatus(c, sig, info, pending, blocked, prs);
    prpsinfo(prps);
    sigframe_fpu_regs(c, fsave, fx);
    uint32_t file_size;
    uint8_t *files = file_note(&file_size);
    uint32_t auxv_size = (uint32_t)stack_auxv_words * 4;

    /* one snapshot of the regions for the headers and the data (other threads run on) */
    uint32_t nseg = 0, cap = 0;
    struct region *segs = NULL;
    for (const struct region *r = mem_next_region(0); r; r = mem_next_region(r->end)) {
        if (nseg == cap) {
            struct region *n = realloc(segs, (cap = cap ? cap * 2 : 64) * sizeof *n);
            if (!n) break;
            segs = n;
        }
        segs[nseg++] = *r;
    }
    uint32_t notes = note_size("CORE", PRSTATUS_SIZE) + note_size("CORE", PRPSINFO_SIZE) +
                     note_size("CORE", I386_SIGINFO_SIZE) + note_size("CORE", auxv_size) +
                     (files ? note_size("CORE", file_size) : 0) + note_size("CORE", sizeof fsave) +
                     note_size("LINUX", sizeof fx);
    uint32_t phoff = sizeof(Elf32_Ehdr), nph = nseg + 1;
    uint32_t notes_at = phoff + nph * sizeof(Elf32_Phdr);
    uint32_t data_at = PAGE_UP(notes_at + notes);

    Elf32_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_386, .e_version = EV_CURRENT,
                      .e_phoff = phoff, .e_ehsize = sizeof eh, .e_phentsize = sizeof(Elf32_Phdr),
                      .e_phnum = (Elf32_Half)nph };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    emit(w, &eh, sizeof eh);

    Elf32_Phdr ph = { .p_type = PT_NOTE, .p_offset = notes_at, .p_filesz = notes };
    emit(w, &ph, sizeof ph);
    uint32_t off = data_at;
    for (const struct region *r = segs; r < segs + nseg; r++) {
        uint32_t size = r->end - r->start;
        ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = off, .p_vaddr = r->start,
                           .p_memsz = size, .p_flags = phdr_flags(r->prot), .p_align = GUEST_PAGE };
        ph.p_filesz = (r->prot & PROT_READ) ? size : 0;   /* unreadable: size 0, as vma_dump_size */
        off += ph.p_filesz;
        emit(w, &ph, sizeof ph);
    }

    note(w, "CORE", NT_PRSTATUS, prs, sizeof prs);
    note(w, "CORE", NT_PRPSINFO, prps, sizeof prps);
    note(w, "CORE", NT_SIGINFO, info, I386_SIGINFO_SIZE);
    note(w, "CORE", NT_AUXV, stack_auxv, auxv_size);
    if (files) note(w, "CORE", NT_FILE, files, file_size);
    free(files);
    note(w, "CORE", NT_FPREGSET, fsave, sizeof fsave);
    note(w, "LINUX", NT_PRXFPREG_TYPE, fx, sizeof fx);

    skip_to(w, data_at);
    static uint8_t page[GUEST_PAGE];
    static const uint8_t zero[GUEST_PAGE];
    for (const struct region *r = segs; r < segs + nseg && !w->full; r++) {
        if (!(r->prot & PROT_READ)) continue;
        for (guest_addr a = r->start; a < r->end && !w->full; a += GUEST_PAGE) {
            /* an unreadable page (a file mapping past its end) is a hole, as get_dump_page's NULL */
            if (ua_read(page, a, GUEST_PAGE) || !memcmp(page, zero, GUEST_PAGE)) skip_to(w, w->pos + GUEST_PAGE);
            else emit(w, page, GUEST_PAGE);
        }
    }
    free(segs);
    if (ftruncate(w->fd, (off_t)w->pos)) { /* the size is what was written */ }
}

static bool write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok;
}

/* Without CAP_SYS_ADMIN: a user namespace of our own (only for a single
 * host thread) that maps our ids to themselves, with its mount namespace. */
static bool own_user_ns(void)
{
    uid_t u = geteuid();
    gid_t g = getegid();
    char map[64];
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_FS)) return false;
    snprintf(map, sizeof map, "%u %u 1", u, u);
    if (!write_file("/proc/self/uid_map", map)) return false;
    snprintf(map, sizeof map, "%u %u 1", g, g);
    return write_file("/proc/self/setgroups", "deny") && write_file("/proc/self/gid_map", map);
}

enum core_result core_dump(struct cpu *c, int sig, const uint8_t *info, uint64_t pending, uint64_t blocked)
{
    if (!dumps_core(sig) || !c || prctl(PR_GET_DUMPABLE) != 1) return CORE_NONE;
    char pat[256];
    read_line("/proc/sys/kernel/core_pattern", pat, sizeof pat);
    if (pat[0] == '|') return CORE_HOST;
    struct rlimit rl;
    if (getrlimit(RLIMIT_CORE, &rl) || rl.rlim_cur < CORE_MIN || !pat[0]) return CORE_NONE;
    char name[PATH_BUF];
    core_name(pat, sig, rl.rlim_cur, name, sizeof name);
    unlink(name);
    struct core_out w = { open(name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_EXCL | O_LARGEFILE | O_CLOEXEC, 0600),
                          0, rl.rlim_cur, false };
    if (w.fd < 0) return CORE_NONE;
    write_core(&w, c, sig, info, pending, blocked);
    close(w.fd);
    /* the directory the kernel's own dump of ue would go to, for core_die_prepare */
    char *slash = strrchr(name, '/');
    if (!slash) {
        if (!getcwd(name, sizeof name)) return CORE_NONE;
    } else if (slash == name) {
        name[1] = 0;
    } else {
        *slash = 0;
        if (name[0] != '/') {
            char abs[PATH_BUF];
            if (!getcwd(abs, sizeof abs) || strlen(abs) + strlen(name) + 2 > sizeof abs) return CORE_NONE;
            strcat(strcat(abs, "/"), name);
            strcpy(name, abs);
        }
    }
    /* a private mount namespace for this thread, a tmpfs over that directory */
    if ((unshare(CLONE_FS | CLONE_NEWNS) && !own_user_ns()) ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
        mount("ue-core", name, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0700") || chdir(name))
        return CORE_NONE;
    return CORE_WRITTEN;
}

void core_die_prepare(enum core_result r)
{
    int fd = open("/proc/self/coredump_filter", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "0", 1) != 1) { /* the default filter then */ }
        close(fd);
    }
    if (r == CORE_HOST) return;   /* the guest's RLIMIT_CORE stays: the kernel judges it for the pipe */
    struct rlimit lim = { r == CORE_WRITTEN ? CORE_MIN : 0, 0 };
    struct rlimit cur;
    if (!getrlimit(RLIMIT_CORE, &cur)) lim.rlim_max = cur.rlim_max;
    if (lim.rlim_cur > lim.rlim_max) lim.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &lim);
}
