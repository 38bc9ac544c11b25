/* Loading an i386 ELF program into the guest window. */
#ifndef UE_LOADER_H
#define UE_LOADER_H

#include "../cpu/cpu.h"

/* Load PROGRAM (already resolved to a path) with argv/envp into guest memory,
 * set up the initial stack and registers in *c. On a bad file it prints one
 * line naming the file and the problem and exits 126 (not executable / bad
 * format) or 127 (not found). */
void load_program(struct cpu *c, const char *path, int argc, char **argv, char **envp);
/* The name execve was given when PATH is not it (AT_EXECFN, a script's name
 * for its interpreter, messages); NULL: PATH. */
extern const char *loader_execfn;
/* The main program's file (natively the one exec made busy: ETXTBSY). */
#include <sys/types.h>
extern dev_t loader_exe_dev;
extern ino_t loader_exe_ino;

/* What the kernel keeps in mm_struct for /proc/PID/stat, cmdline, environ
 * and auxv, at guest addresses (fs/binfmt_elf.c, create_elf_tables). */
struct guest_mm {
    guest_addr start_code, end_code, start_data, end_data, start_brk, start_stack;
    guest_addr arg_start, arg_end, env_start, env_end;
    guest_addr auxv;
    uint32_t auxv_len;     /* bytes, with the AT_NULL pair */
};
extern struct guest_mm guest_mm;

/* Map a guest absolute path through --sysroot when the file exists there.
 * Returns a pointer to a static/thread buffer or the path itself. */
const char *sysroot_path(const char *path, char *buf, size_t size);

/* The vDSO stand-in (vdso.c): AT_SYSINFO entry and signal trampolines. */
extern guest_addr vdso_base, vdso_sigreturn, vdso_rt_sigreturn;
void vdso_map(void);
guest_addr vdso_vsyscall(void);   /* AT_SYSINFO */

#endif
