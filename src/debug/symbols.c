/* The loaded objects of the guest, seen through elfutils: symbols (ELF
 * .symtab/.dynsym, also from separate debug files found by build id), source
 * lines (DWARF) and unwind rules (CFI). Objects are found from ue's region
 * list at the moment of a question, never at capture time. libdw is not
 * thread-safe: one lock covers every call into it. */
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cpu/cpu.h"
#include "../loader/loader.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "stack.h"
#include "symbols.h"

/* elfutils is loaded by stack_init under --memcheck (dlopen), not when ue
 * starts: plain runs pay nothing for it (linked, it cost about 1 ms per exec). */
#define LIBDW_FNS(X) X(elf_version) X(elf_begin) X(elf_cntl) X(elf_end) X(elf_kind) X(elf_memory) \
    X(elf_nextscn) X(elf_getdata) X(elf_strptr) X(elf_getshdrstrndx) X(elf_getphdrnum) \
    X(gelf_getshdr) X(gelf_getsym) X(gelf_getehdr) X(gelf_getphdr) X(dwarf_begin_elf) \
    X(dwarf_getcfi_elf) X(dwarf_getcfi) X(dwarf_cfi_addrframe) X(dwarf_frame_cfa) X(dwarf_frame_info) \
    X(dwarf_frame_register) X(dwarf_addrdie) X(dwarf_getsrc_die) X(dwarf_linesrc) X(dwarf_lineno) \
    X(dwarf_getscopes) X(dwarf_getscopes_die) X(dwarf_tag) X(dwarf_attr) X(dwarf_attr_integrate) X(dwarf_formudata) \
    X(dwarf_formstring) X(dwarf_getsrcfiles) X(dwarf_filesrc) X(dwelf_elf_gnu_build_id) \
    X(dwelf_elf_gnu_debuglink)
#define DL_PTR(f) static __typeof__(f) *dl_##f;
LIBDW_FNS(DL_PTR)

static bool libdw_ready(void)   /* sym_lock held */
{
    static int state;   /* 0 untried, 1 loaded, -1 missing */
    if (!state) {
        void *h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
        state = h ? 1 : -1;
#define DL_SYM(f) if (h && !(dl_##f = (__typeof__(f) *)dlsym(h, #f))) state = -1;
        LIBDW_FNS(DL_SYM)
        if (state < 0) ue_warn("no usable libdw.so.1 (elfutils): guest stacks have no symbols, lines or CFI");
        else dl_elf_version(EV_CURRENT);
    }
    return state > 0;
}
#define elf_version dl_elf_version
#define elf_begin dl_elf_begin
#define elf_cntl dl_elf_cntl
#define elf_end dl_elf_end
#define elf_kind dl_elf_kind
#define elf_memory dl_elf_memory
#define elf_nextscn dl_elf_nextscn
#define elf_getdata dl_elf_getdata
#define elf_strptr dl_elf_strptr
#define elf_getshdrstrndx dl_elf_getshdrstrndx
#define elf_getphdrnum dl_elf_getphdrnum
#define gelf_getshdr dl_gelf_getshdr
#define gelf_getsym dl_gelf_getsym
#define gelf_getehdr dl_gelf_getehdr
#define gelf_getphdr dl_gelf_getphdr
#define dwarf_begin_elf dl_dwarf_begin_elf
#define dwarf_getcfi_elf dl_dwarf_getcfi_elf
#define dwarf_getcfi dl_dwarf_getcfi
#define dwarf_cfi_addrframe dl_dwarf_cfi_addrframe
#define dwarf_frame_cfa dl_dwarf_frame_cfa
#define dwarf_frame_info dl_dwarf_frame_info
#define dwarf_frame_register dl_dwarf_frame_register
#define dwarf_addrdie dl_dwarf_addrdie
#define dwarf_getsrc_die dl_dwarf_getsrc_die
#define dwarf_linesrc dl_dwarf_linesrc
#define dwarf_lineno dl_dwarf_lineno
#define dwarf_getscopes dl_dwarf_getscopes
#define dwarf_getscopes_die dl_dwarf_getscopes_die
#define dwarf_tag dl_dwarf_tag
#define dwarf_attr dl_dwarf_attr
#define dwarf_attr_integrate dl_dwarf_attr_integrate
#define dwarf_formudata dl_dwarf_formudata
#define dwarf_formstring dl_dwarf_formstring
#define dwarf_getsrcfiles dl_dwarf_getsrcfiles
#define dwarf_filesrc dl_dwarf_filesrc
#define dwelf_elf_gnu_build_id dl_dwelf_elf_gnu_build_id
#define dwelf_elf_gnu_debuglink dl_dwelf_elf_gnu_debuglink

static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;
static void sym_lock_take(void) { pthread_mutex_lock(&sym_lock); }
static void sym_lock_drop(void) { pthread_mutex_unlock(&sym_lock); }
static void sym_at_fork(void) { pthread_atfork(sym_lock_take, sym_lock_drop, sym_lock_drop); }
static pthread_once_t sym_fork_once = PTHREAD_ONCE_INIT;
/* Every entry takes the lock here (a fork must not leave it held). */
static void lock(void)
{
    pthread_once(&sym_fork_once, sym_at_fork);
    pthread_mutex_lock(&sym_lock);
}
/* Bumped when code changes under cached answers (sym_lookup's cache). */
static _Atomic uint32_t sym_generation;

/* ---- object files (one per file, by device and inode) ---- */

struct fsym { uint32_t addr, size; const char *name; };

struct seg { uint32_t vaddr, off, len; bool exec; };   /* a PT_LOAD's pages */

struct objfile {
    struct objfile *next;
    dev_t dev; ino_t ino;
    char *path;              /* the host path opened (region names are host paths) */
    Elf *elf, *dbg_elf;      /* the object, and its separate debug file if any */
    Dwarf *dw;               /* lines (from the debug file when there is one) */
    Dwarf_CFI *eh_cfi, *dbg_cfi;
    uint32_t load_off, load_vaddr; /* the first PT_LOAD, page-aligned */
    uint32_t img_end;        /* highest PT_LOAD vaddr + memsz */
    struct seg seg[16];
    int nseg;
    struct fsym *syms;       /* FUNC symbols sorted by address */
    int nsyms;
    bool main_prog;          /* ET_EXEC (sym_address asks it first) */
};
static struct objfile *files;

/* One mapping of an object file at a load bias. */
struct object {
    struct objfile *f;
    uint32_t bias;           /* guest address = file vaddr + bias */
    guest_addr lo, hi;       /* the image's extent */
    int prot;                /* the region asked about */
};

/* Extents of the objects found so far, read without a lock by the memory
 * observer (packed lo | (uint64_t)hi << 32). */
#define MAX_RANGES 512
static _Atomic uint64_t obj_ranges[MAX_RANGES];
static _Atomic int n_ranges;

static void note_range(guest_addr lo, guest_addr hi)
{
    uint64_t v = lo | (uint64_t)hi << 32;
    int n = atomic_load(&n_ranges);
    for (int i = 0; i < n; i++)
        if (atomic_load(&obj_ranges[i]) == v) return;
    if (n < MAX_RANGES) {
        atomic_store(&obj_ranges[n], v);
        atomic_store(&n_ranges, n + 1);
    }
}

static int underscores(const char *s)
{
    int n = 0;
    while (s[n] == '_') n++;
    return n;
}

/* Sorted by address; among aliases the preferred name first: sized, then
 * as Valgrind picks (unversioned, fewest leading underscores, shortest,
 * alphabetical), so glibc's malloc is "malloc", not "__libc_malloc". */
static int fsym_cmp(const void *a, const void *b)
{
    const struct fsym *x = a, *y = b;
    if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
    if (!x->size != !y->size) return x->size ? -1 : 1;
    bool vx = strchr(x->name, '@'), vy = strchr(y->name, '@');
    if (vx != vy) return vx ? 1 : -1;
    int ux = underscores(x->name), uy = underscores(y->name);
    if (ux != uy) return ux - uy;
    size_t lx = strlen(x->name), ly = strlen(y->name);
    if (lx != ly) return lx < ly ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* FUNC symbols of the first table of type in elf. */
static bool read_symbols(struct objfile *f, Elf *elf, Elf32_Word type)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize) continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d) continue;
        size_t n = sh.sh_size / sh.sh_entsize;
        struct fsym *v = malloc((n ? n : 1) * sizeof *v);
        if (!v) return false;
        int k = 0;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s)) continue;
            int t = GELF_ST_TYPE(s.st_info);
            if ((t != STT_FUNC && t != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF || !s.st_value) continue;
            const char *name = elf_strptr(elf, sh.sh_link, s.st_name);
            if (!name || !*name) continue;
            v[k++] = (struct fsym){ (uint32_t)s.st_value, (uint32_t)s.st_size, name };
        }
        qsort(v, k, sizeof *v, fsym_cmp);
        f->syms = v;
        f->nsyms = k;
        return true;
    }
    return false;
}

/* An ELF file opened for reading: mapped by libelf, fd closed again so the
 * guest's next descriptor numbers stay what they would be natively. */
static Elf *open_elf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (e && elf_cntl(e, ELF_C_FDREAD) != 0) {
        elf_end(e);
        e = NULL;
    }
    close(fd);
    if (e && elf_kind(e) != ELF_K_ELF) {
        elf_end(e);
        e = NULL;
    }
    return e;
}

/* A path under the sysroot first, then as it is. */
static Elf *open_debug(const char *path)
{
    char buf[PATH_MAX];
    const char *p = sysroot_path(path, buf, sizeof buf);
    Elf *e = open_elf(p);
    if (!e && p != path) e = open_elf(path);
    return e;
}

/* The separate debug file: /usr/lib/debug/.build-id/xx/rest.debug, else
 * the .gnu_debuglink name beside the object, in .debug/ or /usr/lib/debug/DIR. */
static Elf *find_debug_file(struct objfile *f)
{
    const void *id;
    ssize_t n = dwelf_elf_gnu_build_id(f->elf, &id);
    if (n > 1 && n <= 64) {
        char p[200];
        int k = snprintf(p, sizeof p, "/usr/lib/debug/.build-id/%02x/", ((const uint8_t *)id)[0]);
        for (ssize_t i = 1; i < n; i++) k += snprintf(p + k, sizeof p - k, "%02x", ((const uint8_t *)id)[i]);
        snprintf(p + k, sizeof p - k, ".debug");
        Elf *e = open_debug(p);
        if (e) return e;
    }
    GElf_Word crc;
    const char *link = dwelf_elf_gnu_debuglink(f->elf, &crc);
    if (!link || strchr(link, '/')) return NULL;
    char dir[PATH_MAX], p[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", f->path);
    char *slash = strrchr(dir, '/');
    if (!slash) return NULL;
    *slash = 0;
    /* /usr/lib/debug/DIR is the guest's: under the sysroot when DIR is */
    const char *gdir = dir;
    size_t sl = ue_opt.sysroot ? strlen(ue_opt.sysroot) : 0;
    if (sl && !strncmp(dir, ue_opt.sysroot, sl) && dir[sl] == '/') gdir = dir + sl;
    Elf *e = NULL;
    if (snprintf(p, sizeof p, "%s/.debug/%s", dir, link) < (int)sizeof p) e = open_elf(p);
    if (!e && snprintf(p, sizeof p, "/usr/lib/debug%s/%s", gdir, link) < (int)sizeof p) e = open_debug(p);
    return e;
}

static bool has_section(Elf *elf, const char *name)
{
    size_t shstr;
    if (elf_getshdrstrndx(elf, &shstr) < 0) return false;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        const char *n;
        if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
            (n = elf_strptr(elf, shstr, sh.sh_name)) && !strcmp(n, name))
            return true;
    }
    return false;
}

/* Reads the program headers and the rest; false when not an i386 ELF. */
static bool load_objfile(struct objfile *f)
{
    GElf_Ehdr eh;
    if (!gelf_getehdr(f->elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_machine != EM_386)
        return false;
    size_t nph;
    if (elf_getphdrnum(f->elf, &nph) < 0) return false;
    bool first = true;
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD) continue;
        if (first) {
            f->load_off = PAGE_DOWN((uint32_t)ph.p_offset);
            f->load_vaddr = PAGE_DOWN((uint32_t)ph.p_vaddr);
            first = false;
        }
        if (f->nseg < 16)
            f->seg[f->nseg++] = (struct seg){ PAGE_DOWN((uint32_t)ph.p_vaddr), PAGE_DOWN((uint32_t)ph.p_offset),
                                              PAGE_UP((uint32_t)(ph.p_vaddr + ph.p_filesz)) - PAGE_DOWN((uint32_t)ph.p_vaddr),
                                              (ph.p_flags & PF_X) != 0 };
        if (ph.p_vaddr + ph.p_memsz > f->img_end) f->img_end = (uint32_t)(ph.p_vaddr + ph.p_memsz);
    }
    if (first) return false;
    f->main_prog = eh.e_type == ET_EXEC;
    if (f->path) f->dbg_elf = find_debug_file(f);
    Elf *dwelf = f->dbg_elf && has_section(f->dbg_elf, ".debug_info") ? f->dbg_elf : f->elf;
    f->dw = dwarf_begin_elf(dwelf, DWARF_C_READ, NULL);
    f->eh_cfi = dwarf_getcfi_elf(f->elf);
    if (f->dw) f->dbg_cfi = dwarf_getcfi(f->dw);
    if (!(f->dbg_elf && read_symbols(f, f->dbg_elf, SHT_SYMTAB)) && !read_symbols(f, f->elf, SHT_SYMTAB))
        read_symbols(f, f->elf, SHT_DYNSYM);
    return true;
}

/* The object file behind region r (lock held), or NULL. */
static struct objfile *get_objfile(const struct region *r)
{
    bool vdso = !strcmp(r->name, "[vdso]");
    dev_t dev = vdso ? 0 : r->dev;
    ino_t ino = vdso ? 0 : r->ino;
    for (struct objfile *f = files; f; f = f->next)
        if (f->dev == dev && f->ino == ino && (vdso == !f->path)) return f->elf ? f : NULL;
    if (!libdw_ready()) return NULL;
    struct objfile *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->dev = dev;
    f->ino = ino;
    f->next = files;
    files = f;
    if (vdso) {
        /* ue's own vDSO: read from guest memory once */
        uint32_t len = r->end - r->start;
        char *img = malloc(len);
        if (img && !ua_read(img, r->start, len)) f->elf = elf_memory(img, len);
    } else {
        char buf[PATH_MAX];
        const char *cand[2] = { r->name, sysroot_path(r->name, buf, sizeof buf) };
        for (int i = 0; i < 2 && !f->elf; i++) {
            struct stat st;
            if (stat(cand[i], &st) < 0 || st.st_dev != dev || st.st_ino != ino) continue;
            f->path = strdup(cand[i]);
            f->elf = open_elf(cand[i]);
        }
    }
    if (f->elf && !load_objfile(f)) {
        elf_end(f->elf);
        f->elf = NULL;
    }
    return f->elf ? f : NULL;
}

/* The object containing pc, and its region's protection (lock held).
 * False when pc is in no region; o->f is NULL when the region is no object. */
static bool find_object(guest_addr pc, struct object *o)
{
    *o = (struct object){0};
    const struct region *q = mem_next_region(pc);
    if (!q || q->start > pc) return false;
    struct region r = *q;
    o->prot = r.prot;
    if (r.name[0] != '/' && strcmp(r.name, "[vdso]")) return true;
    struct objfile *f = get_objfile(&r);
    if (!f) return true;
    /* the bias from the region itself: the PT_LOAD its file offset lies in
     * (the executable one when two share a page), else from the mapping of
     * the first PT_LOAD below it */
    guest_addr start = 0;
    bool found = false;
    uint32_t bias = 0;
    int n = 0;
    for (int i = 0; i < f->nseg && f->path; i++) {
        const struct seg *sg = &f->seg[i];
        if (r.offset < sg->off || r.offset - sg->off >= sg->len || sg->exec != !!(r.prot & PROT_EXEC)) continue;
        uint32_t b = r.start - (sg->vaddr + (uint32_t)(r.offset - sg->off));
        if (n++ && b != bias) n = 99;
        bias = b;
    }
    if (n == 1) {
        start = bias + f->load_vaddr;
        found = true;
    } else {
        for (q = mem_next_region(0); q && q->start <= r.start; q = mem_next_region(q->end))
            if (q->dev == r.dev && q->ino == r.ino && !strcmp(q->name, r.name) &&
                (q->offset == f->load_off || !f->path)) {
                start = q->start;
                found = true;
            }
    }
    if (!found) return true;
    o->f = f;
    o->bias = start - f->load_vaddr;
    o->lo = start;
    o->hi = f->img_end + o->bias;
    if (o->hi <= pc) o->hi = r.end;
    note_range(o->lo, o->hi);
    return true;
}

/* ---- symbols ---- */

static const struct fsym *find_fsym(const struct objfile *f, uint32_t a)
{
    int lo = 0, hi = f->nsyms;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (f->syms[mid].addr <= a) lo = mid + 1;
        else hi = mid;
    }
    if (!lo) return NULL;
    /* the first of the aliases at that address (the preferred one) */
    int i = lo - 1;
    uint32_t at = f->syms[i].addr;
    while (i > 0 && f->syms[i - 1].addr == at) i--;
    const struct fsym *s = &f->syms[i];
    if (s->size && a - s->addr >= s->size) return NULL;
    return s;
}

/* __cxa_demangle from libstdc++ when the host has it (no build dependency). */
static const char *demangle(const char *name)
{
    typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);
    static demangle_fn fn;
    static bool tried;
    if (strncmp(name, "_Z", 2)) return name;
    if (!tried) {
        tried = true;
        void *h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
        if (h) fn = (demangle_fn)dlsym(h, "__cxa_demangle");
    }
    int st = -1;
    char *d = fn ? fn(name, NULL, NULL, &st) : NULL;
    return d && !st ? d : name;
}

static void set_path(struct sym_info *out, const char *src)
{
    const char *slash = strrchr(src, '/');
    out->file = strdup(slash ? slash + 1 : src);
    out->dir = slash ? strndup(src, slash - src) : NULL;
}

#define MAX_INLINE 16

/* The functions inlined at a (the CU's scopes, innermost first): v[0] is
 * base with the innermost inlined function's name, each next one the
 * function it was inlined into, at the line of that call; the last keeps
 * base's (symbol table) name. Returns how many (1: nothing inlined). */
static int inlined_at(Dwarf_Die *cu, uint32_t a, const struct sym_info *base, struct sym_info *v)
{
    Dwarf_Die *sc = NULL;
    int ns = dwarf_getscopes(cu, a, &sc), n = 1;
    Dwarf_Files *files = NULL;
    size_t nfiles = 0;
    v[0] = *base;
    if (ns > 0 && dwarf_getsrcfiles(cu, &files, &nfiles) < 0) files = NULL;
    for (int i = 0; i < ns && n < MAX_INLINE; i++) {
        int tag = dwarf_tag(&sc[i]);
        if (tag == DW_TAG_subprogram) break;
        if (tag != DW_TAG_inlined_subroutine) continue;

        Dwarf_Attribute at;
        const char *name = dwarf_formstring(dwarf_attr_integrate(&sc[i], DW_AT_name, &at));
        v[n - 1].fn = name ? demangle(name) : NULL;
        Dwarf_Word cf = 0, cl = 0;
        if (dwarf_formudata(dwarf_attr(&sc[i], DW_AT_call_file, &at), &cf) < 0) cf = ~(Dwarf_Word)0;
        if (dwarf_formudata(dwarf_attr(&sc[i], DW_AT_call_line, &at), &cl) < 0) cl = 0;
        v[n] = *base;
        v[n].file = v[n].dir = NULL;
        v[n].line = (int)cl;
        const char *src = files && cf < nfiles ? dwarf_filesrc(files, cf, NULL, NULL) : NULL;
        if (src) set_path(&v[n], src);
        n++;
        /* what follows an inlined instance in sc is its abstract origin's
         * scope; the caller is among the scopes around the instance itself */
        Dwarf_Die *up = NULL;
        int nu = dwarf_getscopes_die(&sc[i], &up);
        if (nu <= 0) break;
        free(sc);
        sc = up;
        ns = nu;
        i = 0;   /* up[0] is the instance */
    }
    free(sc);
    return n;
}

/* out: the symbol-table function and the line of pc; *inl: the inlined
 * frames when there are any (else NULL). */
static void lookup_locked(guest_addr pc, struct sym_info *out, struct sym_info **inl, int *n_inl)
{
    struct object o;
    *out = (struct sym_info){0};
    *inl = NULL;
    *n_inl = 0;
    if (!find_object(pc, &o) || !o.f) {
        const struct region *q = mem_next_region(pc);
        if (q && q->start <= pc && q->name[0]) out->obj = strdup(q->name);
        return;
    }
    struct objfile *f = o.f;
    uint32_t a = pc - o.bias;
    out->obj = f->path ? f->path : "[vdso]";
    out->obj_base = o.lo;
    const struct fsym *s = find_fsym(f, a);
    if (s) out->fn = demangle(s->name);
    Dwarf_Die cu;
    if (!f->dw || !dwarf_addrdie(f->dw, a, &cu)) return;
    Dwarf_Line *l = dwarf_getsrc_die(&cu, a);
    int line;
    const char *src = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
    if (src && !dwarf_lineno(l, &line)) {
        out->line = line;
        set_path(out, src);
    }
    struct sym_info v[MAX_INLINE];
    int n = inlined_at(&cu, a, out, v);
    if (n > 1 && (*inl = malloc(n * sizeof v[0]))) {
        memcpy(*inl, v, n * sizeof v[0]);
        *n_inl = n;
    }
}

/* Answers by PC (reports ask about the same frames again and again). */
struct sym_entry {
    guest_addr pc;
    struct sym_info info;
    struct sym_info *inl;   /* inlined frames, or NULL */
    int n_inl;
    struct sym_entry *next;
};
#define SYM_HASH 4096
static struct sym_entry *sym_cache[SYM_HASH];
static uint32_t sym_cache_gen;

/* The entry for pc (lock held), or NULL when out of memory. */
static struct sym_entry *sym_entry(guest_addr pc)
{
    uint32_t gen = atomic_load(&sym_generation);
    if (gen != sym_cache_gen) {   /* the entries go; their strings live on */
        for (int i = 0; i < SYM_HASH; i++)
            for (struct sym_entry *e = sym_cache[i], *next; e; e = next) {
                next = e->next;
                free(e->inl);
                free(e);
            }
        memset(sym_cache, 0, sizeof sym_cache);
        sym_cache_gen = gen;
    }
    struct sym_entry **b = &sym_cache[(pc * 2654435761u) >> 20 & (SYM_HASH - 1)];
    struct sym_entry *e;
    for (e = *b; e && e->pc != pc; e = e->next) {}
    if (!e && (e = calloc(1, sizeof *e))) {
        e->pc = pc;
        lookup_locked(pc, &e->info, &e->inl, &e->n_inl);
        e->next = *b;
        *b = e;
    }
    return e;
}

void sym_lookup(guest_addr pc, struct sym_info *out)
{
    lock();
    struct sym_entry *e = sym_entry(pc);
    *out = e ? e->info : (struct sym_info){0};
    pthread_mutex_unlock(&sym_lock);
}

int sym_lookup_inlined(guest_addr pc, struct sym_info *out, int max)
{
    int n = 0;
    lock();
    struct sym_entry *e = sym_entry(pc);
    if (e && e->n_inl)
        for (; n < e->n_inl && n < max; n++) out[n] = e->inl[n];
    else if (e && max > 0)
        out[n++] = e->info;
    pthread_mutex_unlock(&sym_lock);
    return n;
}

static guest_addr address_in(const struct objfile *f, const char *name)
{
    for (int i = 0; i < f->nsyms; i++)
        if (!strcmp(f->syms[i].name, name)) return f->syms[i].addr;
    return 0;
}

guest_addr sym_address(const char *name)
{
    guest_addr found = 0, other = 0, after = 0;
    bool first = true;
    lock();
    /* the objects mapped now: the main program (ET_EXEC, else the lowest) first */
    for (const struct region *q; !found && (q = mem_next_region(after));) {
        struct region r = *q;   /* find_object reuses the iterator's copy */
        after = r.end;
        struct object o;
        if (!(r.prot & PROT_EXEC) || r.name[0] != '/' || !find_object(r.start, &o) || !o.f) continue;
        guest_addr a = address_in(o.f, name);
        if (a && (o.f->main_prog || first)) found = a + o.bias;
        else if (a && !other) other = a + o.bias;
        first = false;
    }
    pthread_mutex_unlock(&sym_lock);
    return found ? found : other;
}

/* ---- unwind rules ---- */

static const struct unwind_expr *copy_expr(const Dwarf_Op *ops, size_t n)
{
    struct unwind_expr *e = malloc(sizeof *e + n * sizeof e->op[0]);
    if (!e) return NULL;
    e->n = (int)n;
    e->value = n && ops[n - 1].atom == DW_OP_stack_value;
    if (e->value) e->n--;
    for (size_t i = 0; i < (size_t)e->n; i++) e->op[i] = (struct unwind_op){ ops[i].atom, ops[i].number, ops[i].number2 };
    return e;
}

/* A register's rule from libdw's answer. */
static uint8_t reg_rule(Dwarf_Frame *fr, int regno, int32_t *off, const struct unwind_expr **expr)
{
    Dwarf_Op mem[3], *ops;
    size_t n;
    if (dwarf_frame_register(fr, regno, mem, &ops, &n) < 0) return RR_UNDEF;
    if (!n) return ops ? RR_UNDEF : RR_SAME;
    bool value = ops[n - 1].atom == DW_OP_stack_value;
    size_t m = n - value;
    if (m >= 1 && m <= 2 && ops[0].atom == DW_OP_call_frame_cfa &&
        (m == 1 || ops[1].atom == DW_OP_plus_uconst || ops[1].atom == DW_OP_constu || ops[1].atom == DW_OP_consts)) {
        if (m == 2 && ops[1].atom != DW_OP_plus_uconst) goto general; /* needs a DW_OP_plus after */
        *off = m == 2 ? (int32_t)ops[1].number : 0;
        return value ? RR_VAL : RR_AT;
    }
general:
    *expr = copy_expr(ops, n);
    return *expr ? RR_EXPR : RR_UNDEF;
}

static bool is_entry(const struct objfile *f, uint32_t a)
{
    const struct fsym *s = find_fsym(f, a);
    return s && s->addr == a;
}

void sym_unwind_rule(guest_addr pc, struct unwind_rule *r)
{
    *r = (struct unwind_rule){ .kind = UR_STOP };
    lock();
    struct object o;
    if (!find_object(pc, &o) || !(o.prot & PROT_EXEC)) goto out;
    r->kind = UR_FP;
    if (!o.f) goto out;
    uint32_t a = pc - o.bias;
    Dwarf_CFI *cfi[2] = { o.f->eh_cfi, o.f->dbg_cfi };
    Dwarf_Frame *fr = NULL;
    for (int i = 0; i < 2 && !fr; i++)
        if (cfi[i] && dwarf_cfi_addrframe(cfi[i], a, &fr) < 0) fr = NULL;
    if (!fr) {
        /* ue's vDSO has no CFI; its __kernel_vsyscall is "int $0x80; ret",
         * so [esp] is the return address all through it */
        const struct fsym *s = find_fsym(o.f, a);
        if (is_entry(o.f, a) || (!o.f->path && s && !strcmp(s->name, "__kernel_vsyscall"))) r->kind = UR_ENTRY;
        goto out;
    }
    Dwarf_Op *ops;
    size_t n;
    if (dwarf_frame_cfa(fr, &ops, &n) == 0 && n) {
        r->kind = UR_CFI;
        if (n == 1 && ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg0 + 8) {
            r->cfa_reg = ops[0].atom - DW_OP_breg0;
            r->cfa_off = (int32_t)ops[0].number;
        } else if (n == 1 && ops[0].atom == DW_OP_bregx && ops[0].number <= 8) {
            r->cfa_reg = (uint8_t)ops[0].number;
            r->cfa_off = (int32_t)ops[0].number2;
        } else {
            r->cfa_reg = 0xff;
            r->cfa_expr = copy_expr(ops, n);
            if (!r->cfa_expr) r->kind = UR_FP;
        }
        bool sig = false;
        if (dwarf_frame_info(fr, NULL, NULL, &sig) >= 0) r->signal = sig;
        r->ra = reg_rule(fr, 8, &r->ra_off, &r->ra_expr);
        r->ebp = reg_rule(fr, EBP, &r->ebp_off, &r->ebp_expr);
    }
    free(fr);
out:
    pthread_mutex_unlock(&sym_lock);
}

/* ---- staying true when code goes away ---- */

static bool overlaps_object(guest_addr a, uint32_t len)
{
    uint64_t end = (uint64_t)a + len;
    int n = atomic_load(&n_ranges);
    for (int i = 0; i < n; i++) {
        uint64_t v = atomic_load(&obj_ranges[i]);
        if ((uint32_t)v < end && (v >> 32) > a) return true;
    }
    return false;
}

/* A memory observer: answers cached by PC go stale where an object is
 * unmapped or replaced, and where code appears (a cached "not code").
 * Called with the memory box's lock possibly held: takes no lock of ours
 * but the rule cache's (never held around a memory call). */
static void sym_mem_event(const struct mem_event *e)
{
    guest_addr a = e->addr;
    uint32_t len = e->len;
    bool stale;
    switch (e->kind) {
    case MEV_MAP: case MEV_PROTECT: case MEV_SHMAT:
        stale = (e->prot & PROT_EXEC) || overlaps_object(a, len);
        break;
    case MEV_UNMAP:
        stale = overlaps_object(a, len);
        break;
    case MEV_MREMAP:   /* the old place, and the new one below */
        stale = overlaps_object(e->old_addr, e->old_len) || overlaps_object(a, len);
        if (stale) stack_forget_code(e->old_addr, e->old_len);
        break;
    default:
        stale = false;
    }
    if (!stale) return;
    atomic_fetch_add(&sym_generation, 1);
    stack_forget_code(a, len);
}

void stack_init(void)
{
    static bool done;
    if (done) return;
    done = true;
    mem_observe(sym_mem_event);
    /* now, while ue has file descriptors to spare: a guest that uses up
     * its fds must not leave the checker without symbols later */
    pthread_mutex_lock(&sym_lock);
    libdw_ready();
    pthread_mutex_unlock(&sym_lock);
}
