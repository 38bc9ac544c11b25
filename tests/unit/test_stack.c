/* src/debug/stack.c and symbols.c: i386 shared objects (stack_guest.S,
 * assembled here; stack_guest_c.c, built with gcc -m32 -O2 -g when that
 * works) are mapped into the window as ld.so would; stacks laid out by hand
 * after each function's code are unwound, and symbols and lines are
 * compared with addr2line's. */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../src/check/check.h"
#include "../../src/cpu/cpu.h"
#include "../../src/debug/stack.h"
#include "../../src/debug/symbols.h"
#include "../../src/loader/loader.h"
#include "../../src/mem/mem.h"
#include "../../src/mem/uaccess.h"
#include "unit.h"

#define ASM_BASE 0x30000000u
#define C_BASE 0x31000000u
#define STK 0x40000000u

static char tmp[] = "/tmp/ue-test-stack-XXXXXX";
static char asm_so[128], c_so[128], asm_exe[128];

/* Maps each PT_LOAD of an i386 ELF at base + vaddr (a shared object's). */
static bool map_elf(const char *path, guest_addr base)
{
    int fd = open(path, O_RDONLY);
    Elf32_Ehdr eh;
    Elf32_Phdr ph[16];
    if (fd < 0 || pread(fd, &eh, sizeof eh, 0) != sizeof eh || eh.e_phnum > 16 ||
        pread(fd, ph, eh.e_phnum * sizeof ph[0], eh.e_phoff) != (ssize_t)(eh.e_phnum * sizeof ph[0]))
        return false;
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD) continue;
        int prot = (ph[i].p_flags & PF_R ? PROT_READ : 0) | (ph[i].p_flags & PF_W ? PROT_WRITE : 0) |
                   (ph[i].p_flags & PF_X ? PROT_EXEC : 0);
        guest_addr at = base + PAGE_DOWN(ph[i].p_vaddr);
        uint32_t len = PAGE_UP(ph[i].p_vaddr + ph[i].p_filesz) - PAGE_DOWN(ph[i].p_vaddr);
        if (mem_mmap(at, len, prot, MAP_PRIVATE | MAP_FIXED, fd, PAGE_DOWN(ph[i].p_offset)) != (long)at)
            return false;
    }
    close(fd);
    return true;
}

/* A symbol's value as nm prints it (each file's table read once). */
static uint32_t nm_addr(const char *path, const char *name)
{
    static struct { char path[128], name[64]; uint32_t v; } tab[512];
    static int n;
    bool read = false;
    for (int i = 0; i < n; i++) {
        if (strcmp(tab[i].path, path)) continue;
        read = true;
        if (!strcmp(tab[i].name, name)) return tab[i].v;
    }
    if (!read) {
        char cmd[300], line[256], sym[128];
        unsigned long v;
        char t;
        snprintf(cmd, sizeof cmd, "nm %s", path);
        FILE *p = popen(cmd, "r");
        while (p && fgets(line, sizeof line, p))
            if (n < 512 && sscanf(line, "%lx %c %127s", &v, &t, sym) == 3 && strlen(sym) < 64) {
                snprintf(tab[n].path, sizeof tab[n].path, "%s", path);
                snprintf(tab[n].name, sizeof tab[n].name, "%s", sym);
                tab[n++].v = (uint32_t)v;
            }
        if (p) pclose(p);
        if (n < 512) {   /* a marker: this file was read */
            snprintf(tab[n].path, sizeof tab[n].path, "%s", path);
            tab[n].name[0] = 0;
            tab[n++].v = 0;
            return nm_addr(path, name);
        }
    }
    printf("FAIL: no symbol %s in %s\n", name, path);
    return 0;
}

/* addr2line -C -f's function and "file:line" (base name) for an address of the file. */
static void addr2line(const char *path, uint32_t a, char *fn, char *where)
{
    char cmd[300], l2[240];
    snprintf(cmd, sizeof cmd, "addr2line -C -f -e %s 0x%x", path, a);
    FILE *p = popen(cmd, "r");
    fn[0] = where[0] = 0;
    if (p && fgets(fn, 128, p) && fgets(l2, sizeof l2, p)) {
        fn[strcspn(fn, "\n")] = 0;
        l2[strcspn(l2, "\n ")] = 0;   /* drops " (discriminator N)" */
        const char *slash = strrchr(l2, '/');
        snprintf(where, 256, "%s", slash ? slash + 1 : l2);
    }
    if (p) pclose(p);
}

/* sym_lookup against addr2line at guest address a of the object at base. */
static void same_as_addr2line(const char *path, guest_addr base, guest_addr a)
{
    char fn[128], where[256], mine[300];
    struct sym_info si;
    addr2line(path, a - base, fn, where);
    sym_lookup(a, &si);
    snprintf(mine, sizeof mine, "%s %s:%d", si.fn ? si.fn : "??", si.file ? si.file : "??", si.line);
    char want[400];
    snprintf(want, sizeof want, "%s %s", fn, where);
    if (strcmp(mine, want)) {
        unit_fail++;
        printf("FAIL [%s] 0x%x: sym_lookup says \"%s\", addr2line \"%s\"\n", unit_case, a - base, mine, want);
    } else {
        unit_pass++;
    }
}

static struct cpu cpu;
static uint32_t A(const char *name) { return ASM_BASE + nm_addr(asm_so, name); }
static void put(guest_addr a, uint32_t v) { CHECK_EQ(ua_put_u32(a, v), 0); }

/* The frames of a capture, as text, for comparisons. */
static const char *frames(stack_id id)
{
    static char buf[1024];
    const guest_addr *pc;
    int n = stack_frames(id, &pc), k = 0;
    buf[0] = 0;
    for (int i = 0; i < n; i++) k += snprintf(buf + k, sizeof buf - k, "%x ", pc[i]);
    return buf;
}

static const char *want(int n, const uint32_t *pcs)
{
    static char buf[1024];
    int k = 0;
    buf[0] = 0;
    for (int i = 0; i < n; i++) k += snprintf(buf + k, sizeof buf - k, "%x ", pcs[i]);
    return buf;
}

/* outer -> top -> nocfi -> fpfunc -> mid -> leaf, each frame laid out as
 * that function's code leaves it (see stack_guest.S). */
struct layout { uint32_t esp_leaf, ebp_fp, esp_fp, esp_top; };
static struct layout build_stack(void)
{
    struct layout l;
    uint32_t e0 = STK + 0x8000;
    put(e0 - 4, A("outer_ret"));
    l.esp_top = e0 - 16;                 /* top: sub $12 */
    put(l.esp_top - 4, A("top_ret"));
    put(l.esp_top - 8, 0);               /* nocfi saves top's ebp */
    uint32_t ebp_nocfi = l.esp_top - 8;
    put(l.esp_top - 20, A("nocfi_ret")); /* nocfi: sub $8, then the call */
    put(l.esp_top - 24, ebp_nocfi);      /* fpfunc: push %ebp */
    l.ebp_fp = l.esp_top - 24;
    l.esp_fp = l.ebp_fp - 40;
    put(l.esp_fp - 4, A("fp_ret"));
    put(l.esp_fp - 8, 0x11111111);       /* mid: ebx, esi, 20 bytes */
    put(l.esp_fp - 12, 0x22222222);
    uint32_t esp_mid = l.esp_fp - 32;
    put(esp_mid - 4, A("mid_ret"));
    l.esp_leaf = esp_mid - 4;
    return l;
}

static void test_unwind(void)
{
    unit_case = "unwind";
    struct layout l = build_stack();
    cpu.r[ESP] = l.esp_leaf;
    cpu.r[EBP] = l.ebp_fp;
    uint32_t all[] = { A("leaf_body"), A("mid_ret") - 1, A("fp_ret") - 1, A("nocfi_ret") - 1,
                       A("top_ret") - 1, A("outer_ret") - 1 };
    stack_id id = stack_capture(&cpu, A("leaf_body"));
    CHECK(id != 0);
    CHECK_STR(frames(id), want(6, all));
    /* interned: the same stack, the same id */
    CHECK_EQ(stack_capture(&cpu, A("leaf_body")), id);
    const guest_addr *pcs;
    CHECK_EQ(stack_frames(id, &pcs), 6);
    CHECK_EQ(stack_frames(0, &pcs), 0);
    CHECK_EQ(stack_frames(0xfffffff0u, &pcs), 0);   /* never handed out */

    /* the common CFI forms become the cached fast rules, not expressions */
    unit_case = "rules";
    struct unwind_rule r;
    sym_unwind_rule(A("mid_ret") - 1, &r);
    CHECK(r.kind == UR_CFI && r.cfa_reg == ESP && r.cfa_off == 32);
    CHECK(r.ra == RR_AT && r.ra_off == -4 && r.ebp == RR_SAME);
    sym_unwind_rule(A("fp_ret") - 1, &r);
    CHECK(r.kind == UR_CFI && r.cfa_reg == EBP && r.cfa_off == 8);
    CHECK(r.ebp == RR_AT && r.ebp_off == -8);
    sym_unwind_rule(A("top_ret") - 1, &r);
    CHECK(r.kind == UR_CFI && r.cfa_reg == 0xff && r.cfa_expr);
    sym_unwind_rule(A("outer_ret") - 1, &r);
    CHECK(r.kind == UR_CFI && r.ra == RR_UNDEF);
    sym_unwind_rule(A("nocfi_ret") - 1, &r);
    CHECK_EQ(r.kind, UR_FP);
    sym_unwind_rule(A("nocfi"), &r);
    CHECK_EQ(r.kind, UR_ENTRY);
    sym_unwind_rule(STK, &r);
    CHECK_EQ(r.kind, UR_STOP);

    unit_case = "num_callers";
    chk_opt.num_callers = 3;
    stack_id id3 = stack_capture(&cpu, A("leaf_body"));
    CHECK(id3 != id);
    CHECK_STR(frames(id3), want(3, all));
    chk_opt.num_callers = 0;

    unit_case = "entry with CFI";
    cpu.r[ESP] = l.esp_fp - 4;           /* at mid's first instruction */
    uint32_t from_mid[] = { A("mid"), A("fp_ret") - 1, A("nocfi_ret") - 1, A("top_ret") - 1, A("outer_ret") - 1 };
    CHECK_STR(frames(stack_capture(&cpu, A("mid"))), want(5, from_mid));

    unit_case = "entry without CFI";
    cpu.r[ESP] = l.esp_top - 4;          /* at nocfi's first instruction */
    cpu.r[EBP] = 0x12345678;             /* top's ebp: not used */
    uint32_t from_nocfi[] = { A("nocfi"), A("top_ret") - 1, A("outer_ret") - 1 };
    CHECK_STR(frames(stack_capture(&cpu, A("nocfi"))), want(3, from_nocfi));

    unit_case = "garbage return address";
    build_stack();
    put(l.esp_top - 4, 0x5000);          /* nocfi's return address: not code */
    cpu.r[ESP] = l.esp_leaf;
    cpu.r[EBP] = l.ebp_fp;
    CHECK_STR(frames(stack_capture(&cpu, A("leaf_body"))), want(4, all));

    unit_case = "frame pointer below the stack";
    build_stack();
    put(l.esp_top - 24, l.esp_leaf - 64); /* fpfunc's saved ebp points below esp */
    CHECK_STR(frames(stack_capture(&cpu, A("leaf_body"))), want(4, all));

    unit_case = "unreadable stack";
    cpu.r[ESP] = 0x7000;                  /* unmapped */
    CHECK_STR(frames(stack_capture(&cpu, A("leaf_body"))), want(1, all));
    build_stack();
}

static void test_symbols(void)
{
    unit_case = "symbols";
    struct sym_info si;
    sym_lookup(A("leaf_body"), &si);
    CHECK_STR(si.fn, "leaf");
    CHECK_STR(si.file, "stack_guest.c");
    CHECK_EQ(si.line, 11);
    CHECK_STR(si.obj, asm_so);
    CHECK_EQ(si.obj_base, ASM_BASE);
    sym_lookup(A("mid_ret") - 1, &si);
    CHECK_STR(si.fn, "mid");
    CHECK_EQ(si.line, 21);                /* the call's line */
    CHECK_EQ(sym_address("fpfunc"), A("fpfunc"));
    CHECK_EQ(sym_address("no_such_function"), 0);
    sym_lookup(A("_DYNAMIC"), &si);       /* data in a page two PT_LOADs share */
    CHECK(si.fn == NULL);
    CHECK_STR(si.obj, asm_so);
    CHECK_EQ(si.obj_base, ASM_BASE);
    sym_lookup(STK, &si);                 /* anonymous memory: no object */
    CHECK(si.fn == NULL);
    sym_lookup(A("_ZN2ns3fooEi"), &si);
    if (dlopen("libstdc++.so.6", RTLD_LAZY)) CHECK_STR(si.fn, "ns::foo(int)");
    else CHECK_STR(si.fn, "_ZN2ns3fooEi");
    const char *names[] = { "leaf_body", "mid", "mid_ret", "fp_ret", "nocfi_ret", "top_ret", "outer_ret" };
    for (int i = 0; i < 7; i++) {
        same_as_addr2line(asm_so, ASM_BASE, A(names[i]));
        same_as_addr2line(asm_so, ASM_BASE, A(names[i]) + 1);
    }
}

/* sym_lookup_inlined against addr2line -i: "fn file:line" per frame. */
static void inlined_as_addr2line(const char *path, guest_addr base, guest_addr a)
{
    char cmd[300], l1[240], l2[240], want[2048] = "", mine[2048] = "";
    snprintf(cmd, sizeof cmd, "addr2line -i -C -f -e %s 0x%x", path, a - base);
    FILE *p = popen(cmd, "r");
    size_t k = 0;
    while (p && fgets(l1, sizeof l1, p) && fgets(l2, sizeof l2, p)) {
        l1[strcspn(l1, "\n")] = 0;
        l2[strcspn(l2, "\n ")] = 0;
        const char *slash = strrchr(l2, '/');
        k += snprintf(want + k, sizeof want - k, "%s %s; ", l1, slash ? slash + 1 : l2);
    }
    if (p) pclose(p);
    struct sym_info v[16];
    int n = sym_lookup_inlined(a, v, 16);
    k = 0;
    for (int i = 0; i < n; i++)
        k += snprintf(mine + k, sizeof mine - k, "%s %s:%d; ", v[i].fn ? v[i].fn : "??",
                      v[i].file ? v[i].file : "??", v[i].line);
    if (strcmp(mine, want)) {
        unit_fail++;
        printf("FAIL [%s] 0x%x: sym_lookup_inlined says \"%s\", addr2line -i \"%s\"\n", unit_case, a - base, mine, want);
    } else {
        unit_pass++;
    }
}

/* Every third byte of the -O2 C object's functions, against addr2line. */
static void test_c_object(void)
{
    unit_case = "gcc -O2 object";
    const char *fns[] = { "walk", "twice", "store", "entry" };
    for (int i = 0; i < 4; i++) {
        uint32_t a = nm_addr(c_so, fns[i]);
        CHECK_EQ(sym_address(fns[i]), C_BASE + a);
        for (uint32_t k = 0; k < 24; k += 3) same_as_addr2line(c_so, C_BASE, C_BASE + a + k);
    }
    uint32_t a = nm_addr(c_so, "inl");
    int deep = 0;
    for (uint32_t k = 0; k < 40; k++) {
        inlined_as_addr2line(c_so, C_BASE, C_BASE + a + k);
        struct sym_info v[4];
        if (sym_lookup_inlined(C_BASE + a + k, v, 4) == 3) deep++;
    }
    CHECK(deep > 0);   /* scale inlined into pair inlined into inl */
}

/* The same code linked as an ET_EXEC at its own addresses: the main
 * program, which sym_address prefers. */
static void test_exec(void)
{
    unit_case = "ET_EXEC";
    uint32_t body = nm_addr(asm_exe, "leaf_body");
    struct sym_info si;
    sym_lookup(body, &si);
    CHECK_STR(si.fn, "leaf");
    CHECK_EQ(si.line, 11);
    CHECK_STR(si.obj, asm_exe);
    CHECK_EQ(sym_address("fpfunc"), nm_addr(asm_exe, "fpfunc"));
    same_as_addr2line(asm_exe, 0, nm_addr(asm_exe, "mid_ret") - 1);
}

/* A stripped copy whose lines are in a separate file named by its
 * .gnu_debuglink, in .debug/ beside it. */
#define STRIPPED_BASE 0x32000000u
static void test_debuglink(void)
{
    unit_case = "debuglink";
    char cmd[1024], so[200];
    snprintf(so, sizeof so, "%s/stripped.so", tmp);
    snprintf(cmd, sizeof cmd, "cd %s && mkdir -p .debug && objcopy --only-keep-debug guest.so .debug/stripped.debug && "
             "objcopy --strip-debug --add-gnu-debuglink=.debug/stripped.debug guest.so stripped.so", tmp);
    if (system(cmd) || !map_elf(so, STRIPPED_BASE)) {
        unit_fail++;
        printf("FAIL [%s]: cannot make or map %s\n", unit_case, so);
        return;
    }
    struct sym_info si;
    sym_lookup(STRIPPED_BASE + nm_addr(asm_so, "leaf_body"), &si);
    CHECK_STR(si.fn, "leaf");
    CHECK_STR(si.file, "stack_guest.c");
    CHECK_EQ(si.line, 11);
    CHECK_STR(si.obj, so);
}

/* A stripped object with a build id: its debug file is found under
 * SYSROOT/usr/lib/debug/.build-id/ with --sysroot. */
#define BUILD_ID_BASE 0x33000000u
static void test_build_id_sysroot(void)
{
    unit_case = "build id under the sysroot";
    char cmd[1400], so[200], root[200], id[128] = "", line[256];
    snprintf(so, sizeof so, "%s/bid.so", tmp);
    snprintf(root, sizeof root, "%s/root", tmp);
    snprintf(cmd, sizeof cmd, "cd %s && ld -m elf_i386 -shared -Bsymbolic --build-id=sha1 -o bid_full.so guest.o && "
             "objcopy --strip-debug bid_full.so bid.so", tmp);
    FILE *p = NULL;
    if (!system(cmd)) {
        snprintf(cmd, sizeof cmd, "readelf -n %s", so);
        p = popen(cmd, "r");
    }
    while (p && fgets(line, sizeof line, p))
        if (sscanf(line, " Build ID: %127s", id) == 1) break;
    if (p) pclose(p);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/usr/lib/debug/.build-id/%.2s && objcopy --only-keep-debug %s/bid_full.so "
             "%s/usr/lib/debug/.build-id/%.2s/%s.debug", root, id, tmp, root, id, id + 2);
    if (strlen(id) < 4 || system(cmd) || !map_elf(so, BUILD_ID_BASE)) {
        unit_fail++;
        printf("FAIL [%s]: cannot make or map %s\n", unit_case, so);
        return;
    }
    ue_opt.sysroot = root;
    struct sym_info si;
    sym_lookup(BUILD_ID_BASE + nm_addr(asm_so, "leaf_body"), &si);
    ue_opt.sysroot = NULL;
    CHECK_STR(si.fn, "leaf");
    CHECK_STR(si.file, "stack_guest.c");
    CHECK_EQ(si.line, 11);
}

/* ue's own vDSO, read from guest memory. */
static void test_vdso(void)
{
    unit_case = "vdso";
    vdso_map();
    struct sym_info si;
    sym_lookup(vdso_vsyscall(), &si);
    CHECK_STR(si.fn, "__kernel_vsyscall");
    CHECK_STR(si.obj, "[vdso]");
    CHECK_EQ(si.obj_base, vdso_base);
    /* a system call from inside __kernel_vsyscall (after its int $0x80):
     * [esp] is the return address into its caller, where the stack starts
     * (the vDSO frame is left out, as Valgrind shows none) */
    unit_case = "vdso unwind";
    struct layout l = build_stack();
    put(l.esp_top - 4, A("top_ret"));
    cpu.r[ESP] = l.esp_top - 4;
    cpu.r[EBP] = 0x12345678;
    uint32_t want_pcs[] = { A("top_ret") - 1, A("outer_ret") - 1 };
    CHECK_STR(frames(stack_capture(&cpu, vdso_vsyscall() + 2)), want(2, want_pcs));

    /* a handler (leaf) returning into the vDSO's sigreturn trampolines:
     * the walk goes on at the interrupted pc (exact: mid_ret), esp and ebp
     * from the frame's sigcontext */
    for (int rt = 0; rt < 2; rt++) {
        unit_case = rt ? "rt_sigframe" : "sigframe";
        l = build_stack();
        uint32_t fr = l.esp_leaf - 0x800, uc = fr + 0x100;
        uint32_t sc = rt ? uc + 20 : fr + 8;
        for (uint32_t k = 0; k < 0x200; k += 4) ua_put_u32(fr + k, 0xdead0000 + k);   /* garbage */
        put(fr, rt ? vdso_rt_sigreturn : vdso_sigreturn);   /* the handler's return address */
        put(fr + 4, 10);                                      /* sig */
        if (rt) put(fr + 12, uc);                             /* puc */
        put(sc + 56, A("mid_ret"));                           /* eip */
        put(sc + 28, l.esp_fp - 32);                          /* esp: in mid, after its call */
        put(sc + 24, l.ebp_fp);                               /* ebp */
        cpu.r[ESP] = fr;
        cpu.r[EBP] = 0x12345678;
        uint32_t in_handler[] = { A("leaf_body"), A("mid_ret"), A("fp_ret") - 1, A("nocfi_ret") - 1,
                                  A("top_ret") - 1, A("outer_ret") - 1 };
        CHECK_STR(frames(stack_capture(&cpu, A("leaf_body"))), want(6, in_handler));
    }
}

/* The host's i386 libc (no debug info needed): .dynsym names, CFI. */
#define LIBC_BASE 0x50000000u
static void test_libc(void)
{
    const char *libc = NULL, *cands[] = { "/lib/i386-linux-gnu/libc.so.6", "/usr/lib32/libc.so.6", "/lib32/libc.so.6" };
    for (int i = 0; i < 3 && !libc; i++)
        if (!access(cands[i], R_OK)) libc = cands[i];
    if (!libc || !map_elf(libc, LIBC_BASE)) {
        printf("test_stack: no i386 libc.so.6: its checks skipped\n");
        return;
    }
    unit_case = "libc";
    char cmd[300], line[256], sym[128];
    unsigned long v = 0, size = 0, x, sz;
    char t;
    snprintf(cmd, sizeof cmd, "nm -D -S %s", libc);
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p))
        if (sscanf(line, "%lx %lx %c %127s", &x, &sz, &t, sym) == 4 && !strcmp(sym, "malloc@@GLIBC_2.0")) v = x, size = sz;
    if (p) pclose(p);
    CHECK(v != 0);
    CHECK_EQ(sym_address("malloc"), LIBC_BASE + v);
    struct sym_info si;
    sym_lookup(LIBC_BASE + v + size / 2, &si);
    CHECK_STR(si.fn, "malloc");   /* not its alias __libc_malloc */
    struct unwind_rule r;
    sym_unwind_rule(LIBC_BASE + v + size / 2, &r);
    CHECK_EQ(r.kind, UR_CFI);

    /* its separate debug file (libc6-dbg), found by build id, gives lines */
    char id[128] = "", dbg[300], fn[128], where[256];
    snprintf(cmd, sizeof cmd, "readelf -n %s", libc);
    p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p))
        if (sscanf(line, " Build ID: %127s", id) == 1) break;
    if (p) pclose(p);
    snprintf(dbg, sizeof dbg, "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
    if (id[0] && !access(dbg, R_OK)) {
        unit_case = "libc debug file";
        addr2line(dbg, v + size / 2, fn, where);
        char mine[300];
        snprintf(mine, sizeof mine, "%s:%d", si.file ? si.file : "??", si.line);
        CHECK_STR(mine, where);
    } else {
        printf("test_stack: no debug file for %s (libc6-dbg): its line checks skipped\n", libc);
    }
    mem_munmap(LIBC_BASE, 0x400000);
}

/* Threads capturing at once: each stack gets one id, whoever interns it
 * first, while both tables grow. */
#define NPC 12000
static stack_id ids[4][NPC];
static void *capture_many(void *arg)
{
    int k = (int)(intptr_t)arg;
    struct cpu c = cpu;
    for (int i = 0; i < NPC; i++) {
        int j = (i * 7 + k * 1000) % NPC;
        ids[k][j] = stack_capture(&c, STK + j);
    }
    return NULL;
}

static void test_threads(void)
{
    unit_case = "threads";
    pthread_t t[4];
    for (int k = 0; k < 4; k++) pthread_create(&t[k], NULL, capture_many, (void *)(intptr_t)k);
    for (int k = 0; k < 4; k++) pthread_join(t[k], NULL);
    int bad = 0;
    for (int j = 0; j < NPC; j++) {
        const guest_addr *pc;
        if (!ids[0][j] || stack_frames(ids[0][j], &pc) != 1 || pc[0] != STK + j) bad++;
        for (int k = 1; k < 4; k++) bad += ids[k][j] != ids[0][j];
    }
    CHECK_EQ(bad, 0);
}

/* Captures per second of a 10-deep stack (leaf, then nine frames of mid). */
static void measure(void)
{
    unit_case = "speed";
    uint32_t esp = STK + 0x4000;
    cpu.r[ESP] = esp;               /* in leaf: the return address into mid at esp */
    put(esp, A("mid_ret"));
    for (int i = 0; i < 9; i++)     /* mid's frames: 32 bytes, the return address at the top */
        put(esp + 4 + 32 * i + 28, i < 8 ? A("mid_ret") : A("outer_ret"));
    chk_opt.num_callers = 12;
    stack_id id = stack_capture(&cpu, A("leaf_body"));
    const guest_addr *pcs;
    CHECK_EQ(stack_frames(id, &pcs), 11);
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    int n = 1000000;
    guest_addr pc = A("leaf_body");
    int same = 0;
    for (int i = 0; i < n; i++) same += stack_capture(&cpu, pc) == id;
    CHECK_EQ(same, n);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("stack_capture: %d frames, %.0f ns each (%.1f million/s)\n", 11, s / n * 1e9, n / s / 1e6);
    chk_opt.num_callers = 0;
}

/* Code unmapped: the memory event makes the unwinder forget its cached rules. */
static void test_forget(void)
{
    unit_case = "forget";
    struct layout l = build_stack();
    guest_addr body = A("leaf_body");
    cpu.r[ESP] = l.esp_leaf;
    cpu.r[EBP] = l.ebp_fp;
    const guest_addr *pcs;
    CHECK_EQ(stack_frames(stack_capture(&cpu, body), &pcs), 6);
    CHECK_EQ(mem_munmap(ASM_BASE, 0x10000), 0);
    CHECK_EQ(stack_frames(stack_capture(&cpu, body), &pcs), 1);   /* not code any more */
}

int main(void)
{
    mem_init();
    fault_init();   /* the fault-safe reads of guest stacks need the host handler */
    stack_init();
    if (!mkdtemp(tmp)) ue_fatal(70, "mkdtemp");
    char src[256], cmd[1024];
    snprintf(src, sizeof src, "%s", __FILE__);
    *strrchr(src, '/') = 0;
    snprintf(asm_so, sizeof asm_so, "%s/guest.so", tmp);
    snprintf(cmd, sizeof cmd, "cd %s && as --32 -o %s/guest.o stack_guest.S && "
             "ld -m elf_i386 -shared -Bsymbolic -o %s %s/guest.o", src, tmp, asm_so, tmp);
    if (system(cmd)) ue_fatal(70, "cannot assemble %s/stack_guest.S", src);
    if (!map_elf(asm_so, ASM_BASE)) ue_fatal(70, "cannot map %s", asm_so);
    if (mem_mmap(STK, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != STK)
        ue_fatal(70, "cannot map the stack");

    test_unwind();
    test_symbols();
    snprintf(c_so, sizeof c_so, "%s/guest_c.so", tmp);
    snprintf(cmd, sizeof cmd, "gcc -m32 -O2 -g -fPIC -shared -nostdlib -o %s %s/stack_guest_c.c 2>/dev/null",
             c_so, src);
    if (!system(cmd) && map_elf(c_so, C_BASE)) test_c_object();
    else printf("test_stack: gcc -m32 cannot build %s/stack_guest_c.c: its comparison skipped\n", src);
    snprintf(asm_exe, sizeof asm_exe, "%s/guest_exe", tmp);
    snprintf(cmd, sizeof cmd, "ld -m elf_i386 -e outer -o %s %s/guest.o", asm_exe, tmp);
    if (system(cmd) || !map_elf(asm_exe, 0)) ue_fatal(70, "cannot link or map %s", asm_exe);
    test_exec();
    test_libc();
    test_vdso();
    test_debuglink();
    test_build_id_sysroot();
    test_threads();
    measure();
    test_forget();

    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd)) {}
    return unit_done("stack");
}
