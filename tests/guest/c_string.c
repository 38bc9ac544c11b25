/* ue-test: variants=all */
/* glibc string functions at every alignment and many lengths (these pick
 * optimised versions through CPUID, so they exercise SIMD paths if ue
 * advertises them): strlen memcpy memmove memset memcmp strcmp strncmp strchr
 * strrchr memchr strstr strcpy strcat strspn strcspn, with results folded
 * into checksums printed per function. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char a[600], b[600];

static void fill(char *p, int n, int salt)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)('a' + (i * 7 + salt) % 26);
}

int main(void)
{
    uint32_t h_len = 0, h_cpy = 0, h_move = 0, h_set = 0, h_cmp = 0, h_scmp = 0, h_chr = 0, h_rchr = 0, h_mchr = 0,
             h_str = 0, h_spn = 0, h_ncmp = 0;
    for (int al = 0; al < 16; al++)
        for (int len = 0; len < 300; len += (len < 40 ? 1 : 13)) {
            fill(a, sizeof a, 0);
            a[al + len] = 0;
            h_len = h_len * 31 + strlen(a + al);

            fill(b, sizeof b, 3);
            memcpy(b + (al * 3) % 16, a + al, len);
            for (int i = 0; i < 600; i++)
                h_cpy = h_cpy * 3 + (uint8_t)b[i];

            fill(b, sizeof b, 5);
            memmove(b + al + 5, b + al, len);
            memmove(b + al, b + al + 3, len);
            for (int i = 0; i < 600; i++)
                h_move = h_move * 3 + (uint8_t)b[i];

            memset(b + al, al * 11, len);
            for (int i = 0; i < 600; i++)
                h_set = h_set * 3 + (uint8_t)b[i];

            fill(b, sizeof b, 0);
            b[al + len] = 0;
            if (len > 0)
                b[al + len - 1] ^= (al & 1) ? 1 : 0;
            int c1 = memcmp(a + al, b + al, len);
            h_cmp = h_cmp * 7 + (c1 > 0) - (c1 < 0) + 1;
            int c2 = strcmp(a + al, b + al);
            h_scmp = h_scmp * 7 + (c2 > 0) - (c2 < 0) + 1;
            int c3 = strncmp(a + al, b + al, len / 2 + 1);
            h_ncmp = h_ncmp * 7 + (c3 > 0) - (c3 < 0) + 1;

            char *p = strchr(a + al, 'q');
            h_chr = h_chr * 31 + (p ? (uint32_t)(p - a) : 999);
            p = strchr(a + al, 0);
            h_chr = h_chr * 31 + (uint32_t)(p - a);
            p = strrchr(a + al, 'q');
            h_rchr = h_rchr * 31 + (p ? (uint32_t)(p - a) : 999);
            p = memchr(a + al, 'z', len);
            h_mchr = h_mchr * 31 + (p ? (uint32_t)(p - a) : 999);
            p = strstr(a + al, "hov");
            h_str = h_str * 31 + (p ? (uint32_t)(p - a) : 999);
            h_spn = h_spn * 31 + strspn(a + al, "abchijopqvwx") + 7 * strcspn(a + al, "z");
        }
    printf("strlen %08x\nmemcpy %08x\nmemmove %08x\nmemset %08x\nmemcmp %08x\nstrcmp %08x\nstrncmp %08x\n", h_len, h_cpy,
           h_move, h_set, h_cmp, h_scmp, h_ncmp);
    printf("strchr %08x\nstrrchr %08x\nmemchr %08x\nstrstr %08x\nstrspn %08x\n", h_chr, h_rchr, h_mchr, h_str, h_spn);
    char buf[64] = "start";
    strcat(buf, "-middle");
    strncat(buf, "-endXXXX", 4);
    printf("strcat: %s\n", buf);
    strcpy(buf, "copy");
    printf("strcpy: %s %zu\n", buf, strlen(buf));
    printf("strdup: %s\n", strdup("duplicate"));
    char tok[] = "a,b,,c;d";
    char *save, *t = strtok_r(tok, ",;", &save);
    printf("strtok:");
    while (t) {
        printf(" [%s]", t);
        t = strtok_r(NULL, ",;", &save);
    }
    printf("\n");
    /* large copies */
    static char big1[1 << 20], big2[1 << 20];
    fill(big1, sizeof big1, 9);
    uint32_t hb = 0;
    for (int off = 0; off < 8; off++) {
        memcpy(big2 + off, big1 + 7 - off, sizeof big1 - 16);
        hb = hb * 31 + (uint8_t)big2[500000 + off] + (memcmp(big2 + off, big1 + 7 - off, sizeof big1 - 16) == 0);
    }
    printf("big memcpy %08x\n", hb);
    return 0;
}
