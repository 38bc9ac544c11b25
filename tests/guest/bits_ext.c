/* ue-test: variants=s2 d0 */
/* POPCNT, TZCNT/LZCNT (F3 before BSF/BSR), MOVBE, CRC32 and ADCX/ADOX:
 * results and defined flags for edge values, each run under a SIGILL
 * catcher, as ue runs them only where the host has them (a host without
 * LZCNT runs F3 0F BD as BSR, without MOVBE raises #UD). CPUID's bits for
 * them must say what happens. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static void on_ill(int sig) { (void)sig; siglongjmp(jb, 1); }
static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

#define TRY(name, ...)                                   \
    do {                                                 \
        if (sigsetjmp(jb, 1)) { printf(" %s SIGILL", name); break; } \
        __VA_ARGS__;                                     \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_ill;
    sigaction(SIGILL, &sa, NULL);
    uint32_t r[4], max;
    cpuid(0, r);
    max = r[0];
    cpuid(1, r);
    int popcnt = r[2] >> 23 & 1, movbe = r[2] >> 22 & 1, adx = 0, lzcnt = 0;
    if (max >= 7) { cpuid(7, r); adx = r[1] >> 19 & 1; }
    cpuid(0x80000000, r);
    if (r[0] >= 0x80000001) { cpuid(0x80000001, r); lzcnt = r[2] >> 5 & 1; }

    static const uint32_t vals[] = {0, 1, 0x80000000u, 0x00f0f000u, 0xffffffffu, 0x10000, 0x8000, 0x7fff0001};
    for (unsigned k = 0; k < sizeof vals / sizeof vals[0]; k++) {
        volatile uint32_t v = vals[k];
        printf("%08x:", v);
        TRY("popcnt", {
            uint32_t p; uint16_t p16;
            uint32_t f;
            __asm__ volatile("popcnt %2,%0; pushf; pop %1" : "=r"(p), "=r"(f) : "r"(v) : "cc");
            __asm__ volatile("popcntw %1,%0" : "=r"(p16) : "r"((uint16_t)v) : "cc");
            printf(" popcnt %u %u f %03x", p, p16, f & 0x8d5);
        });
        TRY("tzcnt", {
            uint32_t t = 7; uint16_t t16 = 7;
            uint32_t f;
            __asm__ volatile("tzcnt %2,%0; pushf; pop %1" : "+r"(t), "=r"(f) : "r"(v) : "cc");
            __asm__ volatile("tzcntw %1,%0" : "+r"(t16) : "r"((uint16_t)v) : "cc");
            printf(" tz %u %u zf %u", t, t16, f >> 6 & 1);
            if (v) printf(" cf %u", f & 1);   /* BSF leaves CF undefined */
        });
        TRY("lzcnt", {
            uint32_t l = 7; uint16_t l16 = 7;
            uint32_t f;
            __asm__ volatile("lzcnt %2,%0; pushf; pop %1" : "+r"(l), "=r"(f) : "r"(v) : "cc");
            __asm__ volatile("lzcntw %1,%0" : "+r"(l16) : "r"((uint16_t)v) : "cc");
            printf(" lz %u %u zf %u", l, l16, f >> 6 & 1);
            if (lzcnt) printf(" cf %u", f & 1);
        });
        TRY("movbe", {
            uint32_t m = v, be; uint16_t m16 = (uint16_t)v, be16;
            __asm__ volatile("movbe %1,%0" : "=r"(be) : "m"(m));
            __asm__ volatile("movbe %1,%0" : "=m"(m) : "r"(v + 1));
            __asm__ volatile("movbew %1,%0" : "=r"(be16) : "m"(m16));
            printf(" movbe %08x %08x %04x", be, m, be16);
        });
        TRY("crc32", {
            uint32_t crc = 0xffffffff;
            __asm__ volatile("crc32l %1,%0" : "+r"(crc) : "r"(v));
            __asm__ volatile("crc32b %1,%0" : "+r"(crc) : "q"((uint8_t)v));
            __asm__ volatile("crc32w %1,%0" : "+r"(crc) : "r"((uint16_t)v));
            volatile uint32_t mem = v ^ 0x5a5a5a5a;
            __asm__ volatile("crc32l %1,%0" : "+r"(crc) : "m"(mem));
            printf(" crc %08x", crc);
        });
        TRY("adx", {
            uint32_t a = v, o = v, fa, fo;
            __asm__ volatile("stc; adcx %2,%0; pushf; pop %1" : "+r"(a), "=r"(fa) : "r"(v) : "cc");
            __asm__ volatile("test %0,%0; adox %2,%0; pushf; pop %1" : "+r"(o), "=r"(fo) : "r"(v) : "cc");
            printf(" adcx %08x cf %u adox %08x of %u", a, fa & 1, o, fo >> 11 & 1);
        });
        printf("\n");
    }
    printf("cpuid: popcnt %d movbe %d adx %d lzcnt %d\n", popcnt, movbe, adx, lzcnt);
    return 0;
}
