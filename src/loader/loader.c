/* load_program: "#!" scripts, the main ELF, its interpreter, the stack and
 * the registers at entry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mem/mem.h"
#include "load.h"
#include "../os/os.h"

#define SCRIPT_MAX_DEPTH 5 /* the kernel allows 5 rewrites before ELOOP */

const char *loader_execfn;
struct guest_mm guest_mm;
dev_t loader_exe_dev;
ino_t loader_exe_ino;

const char *sysroot_path(const char *path, char *buf, size_t size)
{
    if (!ue_opt.sysroot || path[0] != '/') return path;
    int n = snprintf(buf, size, "%s%s", ue_opt.sysroot, path);
    if (n < 0 || (size_t)n >= size || access(buf, F_OK) < 0) return path;
    return buf;
}

/* Follow "#!" lines: *argv grows by the interpreter words, *path becomes the
 * interpreter (*shown its name for messages). Returns the fd of the ELF that
 * finally runs. */
static int resolve_scripts(const char **path, const char **shown_out, int *argc, char ***argv)
{
    static char interp[SCRIPT_MAX_DEPTH][PATH_MAX], arg[SCRIPT_MAX_DEPTH][PATH_MAX];
    static char opened[SCRIPT_MAX_DEPTH][PATH_MAX], names[SCRIPT_MAX_DEPTH][2 * PATH_MAX + 2];
    const char *shown = loader_execfn ? loader_execfn : *path, *orig = shown, *guest_name = shown;

    for (int depth = 0;; depth++) {
        int fd = loader_open(*path, shown);
        char buf[256];
        ssize_t n = pread(fd, buf, sizeof buf, 0);
        if (n < 2 || buf[0] != '#' || buf[1] != '!') {
            *shown_out = shown;
            return fd;
        }
        close(fd);
        if (depth == SCRIPT_MAX_DEPTH)
            ue_fatal(126, "%s: too many levels of #! interpreters", orig);
        if (!script_parse(buf, (size_t)n, interp[depth], PATH_MAX, arg[depth], PATH_MAX))
            ue_fatal(126, "%s: bad #! line", shown);

        /* argv becomes: interpreter, (argument), script path, argv[1..] */
        int extra = arg[depth][0] ? 2 : 1;
        char **nv = malloc((*argc + extra + 1) * sizeof *nv);
        if (!nv) ue_fatal(70, "out of memory");
        int k = 0;
        nv[k++] = interp[depth];
        if (arg[depth][0]) nv[k++] = arg[depth];
        nv[k++] = (char *)guest_name; /* the name the guest used, not the --sysroot one */
        for (int j = 1; j < *argc; j++) nv[k++] = (*argv)[j];
        nv[k] = NULL;
        *argc = k;
        *argv = nv;
        *path = sysroot_path(interp[depth], opened[depth], PATH_MAX);
        guest_name = interp[depth];
        snprintf(names[depth], sizeof names[depth], "%.4095s: %.4095s", shown, interp[depth]);
        shown = names[depth];
    }
}

/* fs/binfmt_elf.c load_elf_binary: code from the executable PT_LOADs,
 * data from the last one's start to the end of file contents. */
static void code_data_bounds(const struct elf_image *e)
{
    uint32_t start_code = ~0u, end_code = 0, start_data = 0, end_data = 0;
    for (unsigned k = 0; k < e->eh.e_phnum; k++) {
        const Elf32_Phdr *ph = &e->ph[k];
        if (ph->p_type != PT_LOAD) continue;
        uint32_t lo = ph->p_vaddr, hi = ph->p_vaddr + ph->p_filesz;
        if ((ph->p_flags & PF_X) && lo < start_code) start_code = lo;
        if (start_data < lo) start_data = lo;
        if ((ph->p_flags & PF_X) && end_code < hi) end_code = hi;
        if (end_data < hi) end_data = hi;
    }
    guest_mm.start_code = start_code + e->bias;
    guest_mm.end_code = end_code + e->bias;
    guest_mm.start_data = start_data + e->bias;
    guest_mm.end_data = end_data + e->bias;
    guest_mm.start_brk = e->end;
}

void load_program(struct cpu *c, const char *path, int argc, char **argv, char **envp)
{
    static struct elf_image exe, interp;
    char shown[2 * PATH_MAX + 2], ibuf[PATH_MAX];
    /* AT_EXECFN: the name execve was given, even for scripts */
    const char *execfn = loader_execfn ? loader_execfn : path;
    const char *name;

    int fd = resolve_scripts(&path, &name, &argc, &argv);
    /* every check that can still fail execve comes before the first mapping */
    elf_check(fd, name, true, &exe);
    struct stat st;
    if (!fstat(fd, &st)) {
        loader_exe_dev = st.st_dev;
        loader_exe_ino = st.st_ino;
    }
    int ifd = -1;
    if (exe.has_interp) {
        /* open_exec("") fails with EACCES natively (checked on the host) */
        if (!exe.interp[0]) ue_fatal(126, "%s: empty PT_INTERP: %s", name, strerror(EACCES));
        const char *ipath = sysroot_path(exe.interp, ibuf, sizeof ibuf);
        snprintf(shown, sizeof shown, "%.4095s: %.4095s", name, exe.interp);
        ifd = loader_open(ipath, shown);
        elf_check(ifd, shown, false, &interp);
    }
    mem_layout_init();
    elf_map_image(fd, name, true, &exe);
    code_data_bounds(&exe);
    close(fd);
    if (!realpath(path, ue_exe_path)) {   /* /proc/self/exe names the program, not ue */
        /* a file without a name (memfd, deleted) reached through an fd: opened
         * through that fd, which then stays open; named as its link reads */
        snprintf(ue_exe_path, sizeof ue_exe_path, "%.4095s", path);
        ssize_t n = readlink(path, ue_exe_link, sizeof ue_exe_link - 1);
        ue_exe_link[n > 0 ? n : 0] = 0;
    }
    stack_map(exe.exec_stack, argc, argv, envp, execfn);

    guest_addr interp_base = 0, entry = exe.entry;
    if (ifd >= 0) {
        elf_map_image(ifd, shown, false, &interp);
        close(ifd);
        interp_base = interp.bias;
        entry = interp.entry;
    }
    /* BAD_ADDR(elf_entry): the entry that runs first, the interpreter's when there is one */
    if (entry >= 0xffffe000u) loader_segv(ifd >= 0 ? shown : name, "entry point outside the address space");

    vdso_map();
    guest_addr sp = stack_build(argc, argv, envp, execfn, &exe, interp_base);
    mem_brk_init(exe.end);

    /* i386 ELF_PLAT_INIT: all registers 0 (EDX too: no atexit function), IF set */
    memset(c->r, 0, sizeof c->r);
    c->r[ESP] = sp;
    c->eip = entry;
    c->lf_op = LF_NONE;
    c->eflags = 0x202;
    memset(c->segbase, 0, sizeof c->segbase);
    c->sreg[SEG_CS] = USER_CS;
    c->sreg[SEG_DS] = c->sreg[SEG_ES] = c->sreg[SEG_SS] = USER_DS;
    c->sreg[SEG_FS] = c->sreg[SEG_GS] = 0;
}
