/* Printing cases and states for reproducers: the instructions with their
 * bytes (and objdump's disassembly), the initial state, and two final states
 * side by side with the differing fields marked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "show.h"

static const char *const gpr_names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void f80_text(const uint8_t *p, char *out, size_t n)
{
    long double v;
    memset(&v, 0, sizeof v);
    memcpy(&v, p, 10);
    uint64_t m;
    memcpy(&m, p, 8);
    snprintf(out, n, "%04x:%016llx (%.21Lg)", get16(p + 8), (unsigned long long)m, v);
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case 0: return "none";
    case 4: return "SIGILL";
    case 5: return "SIGTRAP";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 11: return "SIGSEGV";
    default: return "signal";
    }
}

void show_disasm(FILE *out, const uint8_t *code, uint32_t len, const char *tmpdir)
{
    char path[512], cmd[1024];
    snprintf(path, sizeof path, "%s/disasm.bin", tmpdir);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(code, 1, len, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "objdump -D -b binary -m i386 --adjust-vma=0x%x '%s' 2>/dev/null", FZ_CODE_BASE, path);
    FILE *p = popen(cmd, "r");
    if (!p) return;
    char line[512];
    bool body = false;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "<.data>:")) {
            body = true;
            continue;
        }
        if (body && line[0] != '\n') fprintf(out, "    %s", line);
    }
    pclose(p);
    unlink(path);
}

void show_case(FILE *out, const struct gen *g, const uint8_t *keep, const struct fz_case *c, const char *tmpdir)
{
    fprintf(out, "  instructions (offset: bytes  name [set]; the case starts at 0x%08x):\n", FZ_CODE_BASE);
    uint32_t off = 0;
    for (int k = 0; k < g->nins; k++) {
        const struct ins *I = &g->ins[k];
        if (keep && !keep[I->unit]) continue;
        char hex[64] = "";
        for (int b = 0; b < I->len; b++) snprintf(hex + 3 * b, 4, "%02x ", I->b[b]);
        fprintf(out, "    %4u: %-40s %s [%s]\n", off, hex, I->name, set_names[I->set]);
        off += I->len;
    }
    fprintf(out, "  objdump -D -b binary -m i386:\n");
    show_disasm(out, fz_code(c), c->code_len, tmpdir);
    fprintf(out, "  initial state:\n   ");
    for (int r = 0; r < 8; r++) fprintf(out, " %s=%08x", gpr_names[r], c->gpr[r]);
    fprintf(out, " eflags=%08x\n", c->eflags);
    const uint8_t *fx = c->fx;
    fprintf(out, "    fcw=%04x fsw=%04x (top %d) ftw(abridged)=%02x mxcsr=%08x\n", get16(fx), get16(fx + 2),
            (get16(fx + 2) >> 11) & 7, fx[4], get32(fx + 24));
    for (int k = 0; k < 8; k++) {
        char t[96];
        f80_text(fx + 32 + 16 * k, t, sizeof t);
        fprintf(out, "    st%d/mm%d=%s%s", k, k, t, k & 1 ? "\n" : "  ");
    }
    for (int k = 0; k < 8; k++) {
        const uint8_t *x = fx + 160 + 16 * k;
        fprintf(out, "    xmm%d=%08x:%08x:%08x:%08x%s", k, get32(x + 12), get32(x + 8), get32(x + 4), get32(x),
                k & 1 ? "\n" : "");
    }
    /* the window lines the instructions read */
    uint8_t lines[FZ_WIN_SIZE / 16] = { 0 };
    for (int k = 0; k < g->nins; k++) {
        const struct ins *I = &g->ins[k];
        if (keep && !keep[I->unit]) continue;
        for (int r = 0; r < I->nrd; r++)
            for (uint32_t b = I->rd[r].off; b < (uint32_t)I->rd[r].off + I->rd[r].len && b < FZ_WIN_SIZE; b++)
                lines[b / 16] = 1;
    }
    fprintf(out, "    memory read (initial bytes):\n");
    for (uint32_t l = 0; l < FZ_WIN_SIZE / 16; l++) {
        if (!lines[l]) continue;
        fprintf(out, "      %08x:", FZ_WIN + 16 * l);
        for (int b = 0; b < 16; b++) fprintf(out, " %02x", c->mem[16 * l + b]);
        fprintf(out, "\n");
    }
}

/* One field of two states: prints it, marks and counts a difference. */
struct cmp {
    FILE *out;
    int ndiff;
    char names[512];
};
static void field(struct cmp *k, const char *name, const char *a, const char *b)
{
    bool d = strcmp(a, b) != 0;
    if (d) {
        k->ndiff++;
        size_t l = strlen(k->names);
        if (l < sizeof k->names - 40) snprintf(k->names + l, sizeof k->names - l, "%s%s", l ? " " : "", name);
    }
    if (k->out) fprintf(k->out, "    %s %-8s %-44s %s\n", d ? "**" : "  ", name, a, d ? b : "");
}

int show_diff(FILE *out, const struct fz_case *c, struct fz_state *a, struct fz_state *b, char *names, size_t n)
{
    struct cmp k = { out, 0, "" };
    fz_mask_state(c, a);
    fz_mask_state(c, b);
    if (out) fprintf(out, "    %-11s %-44s %s\n", "field", "native", "ue (where different)");
    char x[128], y[128];
    snprintf(x, sizeof x, "%s code %d", sig_name(a->sig), a->code);
    snprintf(y, sizeof y, "%s code %d", sig_name(b->sig), b->code);
    field(&k, "signal", x, y);
    snprintf(x, sizeof x, "%u", a->eip_off);
    snprintf(y, sizeof y, "%u", b->eip_off);
    field(&k, "eip_off", x, y);
    if (a->sig || b->sig) {
        snprintf(x, sizeof x, "addr=%08x trapno=%u err=%x", a->addr, a->trapno, a->err);
        snprintf(y, sizeof y, "addr=%08x trapno=%u err=%x", b->addr, b->trapno, b->err);
        field(&k, "siginfo", x, y);
        snprintf(x, sizeof x, "cw=%08x sw=%08x tag=%08x", a->fenv[0], a->fenv[1], a->fenv[2]);
        snprintf(y, sizeof y, "cw=%08x sw=%08x tag=%08x", b->fenv[0], b->fenv[1], b->fenv[2]);
        field(&k, "fpstate", x, y);
    }
    for (int r = 0; r < 8; r++) {
        snprintf(x, sizeof x, "%08x", a->gpr[r]);
        snprintf(y, sizeof y, "%08x", b->gpr[r]);
        field(&k, gpr_names[r], x, y);
    }
    snprintf(x, sizeof x, "%08x", a->eflags);
    snprintf(y, sizeof y, "%08x", b->eflags);
    field(&k, "eflags", x, y);
    snprintf(x, sizeof x, "%04x", get16(a->fx));
    snprintf(y, sizeof y, "%04x", get16(b->fx));
    field(&k, "fcw", x, y);
    snprintf(x, sizeof x, "%04x (top %d)", get16(a->fx + 2), (get16(a->fx + 2) >> 11) & 7);
    snprintf(y, sizeof y, "%04x (top %d)", get16(b->fx + 2), (get16(b->fx + 2) >> 11) & 7);
    field(&k, "fsw", x, y);
    snprintf(x, sizeof x, "%02x", a->fx[4]);
    snprintf(y, sizeof y, "%02x", b->fx[4]);
    field(&k, "ftw", x, y);
    snprintf(x, sizeof x, "%08x", get32(a->fx + 24));
    snprintf(y, sizeof y, "%08x", get32(b->fx + 24));
    field(&k, "mxcsr", x, y);
    for (int r = 0; r < 8; r++) {
        char nm[8];
        snprintf(nm, sizeof nm, "st%d", r);
        f80_text(a->fx + 32 + 16 * r, x, sizeof x);
        f80_text(b->fx + 32 + 16 * r, y, sizeof y);
        field(&k, nm, x, y);
    }
    for (int r = 0; r < 8; r++) {
        char nm[8];
        const uint8_t *p = a->fx + 160 + 16 * r, *q = b->fx + 160 + 16 * r;
        snprintf(nm, sizeof nm, "xmm%d", r);
        snprintf(x, sizeof x, "%08x:%08x:%08x:%08x", get32(p + 12), get32(p + 8), get32(p + 4), get32(p));
        snprintf(y, sizeof y, "%08x:%08x:%08x:%08x", get32(q + 12), get32(q + 8), get32(q + 4), get32(q));
        field(&k, nm, x, y);
    }
    /* memory: only lines that differ between the two, or from the initial bytes */
    for (uint32_t l = 0; l < FZ_WIN_SIZE / 16; l++) {
        const uint8_t *p = a->mem + 16 * l, *q = b->mem + 16 * l, *i = c->mem + 16 * l;
        bool differ = memcmp(p, q, 16) != 0;
        if (!differ && (memcmp(p, i, 16) == 0 || !out)) continue;
        char nm[16];
        snprintf(nm, sizeof nm, "%08x", FZ_WIN + 16 * l);
        for (int j = 0; j < 16; j++) {
            snprintf(x + 3 * j, 4, "%02x ", p[j]);
            snprintf(y + 3 * j, 4, "%02x ", q[j]);
        }
        field(&k, nm, x, y);
    }
    for (uint32_t l = 0; l < FZ_TAIL_SIZE / 16; l++) {   /* the end of the data page: zero at the start */
        const uint8_t *p = a->tail + 16 * l, *q = b->tail + 16 * l;
        static const uint8_t zero[16];
        if (!memcmp(p, q, 16) && (!memcmp(p, zero, 16) || !out)) continue;
        char nm[16];
        snprintf(nm, sizeof nm, "%08x", FZ_TAIL + 16 * l);
        for (int j = 0; j < 16; j++) {
            snprintf(x + 3 * j, 4, "%02x ", p[j]);
            snprintf(y + 3 * j, 4, "%02x ", q[j]);
        }
        field(&k, nm, x, y);
    }
    if (names) snprintf(names, n, "%s", k.names);
    return k.ndiff;
}
