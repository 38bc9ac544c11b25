/* The guest's vDSO: a one-page i386 shared object (vdso.S, linked by the
 * Makefile) holding __kernel_vsyscall, the system call entry AT_SYSINFO
 * points at, and the signal-return trampolines. With AT_SYSINFO_EHDR libc
 * finds it as it finds the kernel's. It exports no time functions, so those
 * stay real system calls.
 *
 * It goes where the kernel puts the i386 vDSO (map_vdso: one un-hinted
 * mapping holding the vvar pages, then the image), with the host's own
 * vvar and vDSO sizes, so the mappings after it land at native addresses. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../mem/mem.h"
#include "loader.h"
#include "vdso_image.h"

guest_addr vdso_base, vdso_sigreturn, vdso_rt_sigreturn;

#define VVAR_MAX 4

/* The host process's [vvar...] mappings (their names and sizes; the vvar
 * layout is shared by 32- and 64-bit tasks) and its [vdso] size in pages. */
static int host_vdso_layout(char names[VVAR_MAX][64], uint32_t sizes[VVAR_MAX], uint32_t *vdso_size)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], name[64];
    unsigned long lo, hi;
    int n = 0;
    *vdso_size = GUEST_PAGE;
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %63s", &lo, &hi, name) != 3) continue;
        if (!strcmp(name, "[vdso]")) *vdso_size = (uint32_t)(hi - lo);
        else if (!strncmp(name, "[vvar", 5) && n < VVAR_MAX) {
            snprintf(names[n], sizeof names[n], "%s", name);
            sizes[n++] = (uint32_t)(hi - lo);
        }
    }
    fclose(f);
    if (*vdso_size < GUEST_PAGE || *vdso_size > 16 * GUEST_PAGE) *vdso_size = GUEST_PAGE;
    return n;
}

void vdso_map(void)
{
    _Static_assert(sizeof vdso_image <= GUEST_PAGE, "the vdso must fit one page");
    char names[VVAR_MAX][64];
    uint32_t sizes[VVAR_MAX], vdso_size, vvar_total = 0;
    int nvvar = host_vdso_layout(names, sizes, &vdso_size);
    for (int k = 0; k < nvvar; k++) vvar_total += sizes[k];
    long a = mem_mmap(0, vvar_total + vdso_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a < 0) ue_fatal(70, "cannot map the vdso page");
    guest_addr at = (guest_addr)a;
    /* the vvar pages read as zeros: ue's vDSO reads no kernel data */
    for (int k = 0; k < nvvar; k++) {
        mem_mprotect(at, sizes[k], PROT_READ);
        mem_name(at, sizes[k], names[k]);
        at += sizes[k];
    }
    memcpy(g2h(at), vdso_image, sizeof vdso_image);   /* uaccess-ok: ue's own fresh anonymous mapping */
    mem_mprotect(at, vdso_size, PROT_READ | PROT_EXEC);
    mem_name(at, vdso_size, "[vdso]");
    vdso_base = at;
    vdso_sigreturn = at + VDSO_SIGRETURN;
    vdso_rt_sigreturn = at + VDSO_RT_SIGRETURN;
}

guest_addr vdso_vsyscall(void) { return vdso_base + VDSO_VSYSCALL; }
