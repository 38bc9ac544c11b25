/* ue-test: variants=s2 */
/* The encodings of SSE4.2's string compares and PCMPGTQ, AES-NI,
 * PCLMULQDQ and SHA under other mandatory prefixes (66, F2, F3, none,
 * two of them) and LOCK: which run and which are #UD (SIGILL), as the
 * host decides. Each runs from a code page with EAX pointing at data. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static void on_sig(int s) { siglongjmp(jb, s); }

int main(void)
{
    signal(SIGILL, on_sig);
    signal(SIGSEGV, on_sig);
    signal(SIGBUS, on_sig);
    unsigned char *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static const char *const seqs[] = {
        "\x66\x0f\x3a\x63\xc1\x0c", "\xf3\x0f\x3a\x63\xc1\x0c", "\x66\xf3\x0f\x3a\x63\xc1\x0c", "\x66\xf2\x0f\x3a\x63\xc1\x0c",
        "\xf3\x66\x0f\x3a\x63\xc1\x0c", "\x0f\x3a\x63\xc1\x0c", "\x66\x66\x0f\x3a\x61\xc1\x0c",
        "\x0f\x38\xc8\xc1", "\x66\x0f\x38\xc8\xc1", "\xf3\x0f\x38\xc9\xc1", "\xf2\x0f\x38\xcb\xc1", "\x0f\x3a\xcc\xc1\x01",
        "\x66\x0f\x3a\xcc\xc1\x01",
        "\x66\x0f\x38\xdc\xc1", "\x0f\x38\xdc\xc1", "\xf3\x0f\x38\xdc\xc1", "\x66\xf2\x0f\x38\xdb\xc1",
        "\x66\x0f\x3a\x44\xc1\x11", "\x0f\x3a\x44\xc1\x11", "\x66\x0f\x3a\xdf\xc1\x01", "\xf2\x0f\x3a\xdf\xc1\x01",
        "\x66\x0f\x38\x37\xc1", "\x0f\x38\x37\xc1", "\xf3\x0f\x38\x37\xc1",
        "\xf0\x66\x0f\x3a\x63\x00\x0c", "\xf0\x66\x0f\x38\xdc\x00", "\xf0\x0f\x38\xc8\x00",
    };
    static const int lens[] = { 6, 6, 7, 7, 7, 5, 7, 4, 5, 5, 5, 5, 6, 5, 4, 5, 6, 6, 5, 6, 6, 5, 4, 5, 7, 6, 5 };
    static char data[16] __attribute__((aligned(16)));
    for (unsigned k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        memcpy(code, seqs[k], lens[k]);
        code[lens[k]] = 0xc3;
        int s = sigsetjmp(jb, 1);
        if (!s) __asm__ volatile("call *%0" : : "r"(code), "a"(data) : "ecx", "edx", "memory", "cc");   /* built without SSE: no xmm register is live */
        printf("%u:", k);
        for (int j = 0; j < lens[k]; j++) printf(" %02x", (unsigned char)seqs[k][j]);
        printf(" -> %d\n", s);
    }
}
