/* Every copy function libuealloc.so replaces, on edge cases (lengths 0 to
 * 40, every alignment, n shorter and longer than the string): the preloaded
 * run must print what glibc's functions print; no errors under a checker.
 * memcheck: variants=O0,O2
 * value errors=0
 */
#include "mc.h"
#include <wchar.h>

static unsigned long hash;

static void mix(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        hash = hash * 31 + b[i];
}

int main(void)
{
    mc_start();
    char *src = malloc(64), *dst = malloc(128);
    for (int len = 0; len <= 40; len++) {
        for (int sa = 0; sa < 4; sa++) {
            for (int da = 0; da < 4; da++) {
                memset(src, 0, 64);
                for (int i = 0; i < len; i++)
                    src[sa + i] = 'a' + (i * 7 + len) % 26;
                const char *s = src + sa;
                char *d = dst + da;
                memset(dst, '#', 128);
                hash += (char *)mempcpy(d, s, len) - d;
                memcpy(d + 50, s, len);
                mix(dst, 128);
                memset(dst, '#', 128);
                hash += stpcpy(d, s) - d;
                strcpy(d + 60, s);
                mix(dst, 128);
                for (int n = 0; n <= len + 3; n += 1 + len / 4) {
                    memset(dst, '#', 128);
                    hash += stpncpy(d, s, n) - d;
                    strncpy(d + 60, s, n);
                    mix(dst, 128);
                    strcpy(dst, "pre");
                    strncat(dst, s, n);
                    mix(dst, 128);
                    memset(dst, '#', 128);
                    char *e = memccpy(d, s, 'a' + len % 26, n);
                    hash += e ? e - d : 1000;
                    mix(dst, 128);
                }
                strcpy(dst, "x");
                strcat(dst, s);
                strcat(dst, "y");
                mix(dst, 128);
            }
        }
    }
    wchar_t ws[8] = L"wide", wd[8] = { 7, 7, 7, 7, 7, 7, 7, 7 };
    wcscpy(wd, ws);
    mix(wd, sizeof wd);
    free(src);
    free(dst);
    mc_value("errors", VALGRIND_COUNT_ERRORS);
    printf("%lx\n", hash);
    return 0;
}
