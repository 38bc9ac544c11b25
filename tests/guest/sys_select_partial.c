/* ue-test: variants=s2 d0 */
/* select's result sets are stored one 32-bit word at a time (the kernel's
 * compat_put_bitmap): when a set runs into a read-only page, the words
 * before the fault are written and the word that straddles the page's end
 * is left whole (none of its bytes change), and the result is EFAULT after
 * the earlier sets were written. Found by the sys fuzzer (seed 0x9033). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct tv32 { int32_t sec, usec; };

static void show(const char *what, long r)
{
    printf("%-36s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

static void bytes(const char *what, const uint8_t *p, int n)
{
    printf("  %-10s", what);
    for (int i = 0; i < n; i++) printf(" %02x", p[i]);
    printf("\n");
}

int main(void)
{
    int p[2];
    if (pipe(p) || dup2(p[0], 10) != 10 || dup2(p[1], 11) != 11 || dup2(p[0], 6) != 6 || dup2(p[1], 7) != 7)
        return 1;
    close(p[0]);
    close(p[1]);
    /* fds 10 and 6 (read end: not writable), 11 and 7 (write end: writable) */
    const uint32_t both = 3u << 10;
    uint8_t *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 1;
    uint8_t *end = page + 4096;     /* the read-only page starts here */
    struct tv32 *tv = (struct tv32 *)page;
    uint32_t *good = (uint32_t *)(page + 64);
    uint8_t *straddle2 = end - 2, *straddle1 = end - 1, *straddle3 = end - 3;
    uint32_t *two = (uint32_t *)(end - 4);       /* n = 64: word 0 writable, word 1 read-only */

    /* the set bits as the caller wrote them, then the second page read-only */
    memcpy(straddle2, &both, 2);
    memcpy(end, (const uint8_t *)&both + 2, 2);
    if (mprotect(end, 4096, PROT_READ)) return 1;

    /* n = 16: one word, 2 bytes writable and 2 read-only */
    tv->sec = 0; tv->usec = 0;
    errno = 0;
    show("write set straddling (n=16)", syscall(SYS__newselect, 16, NULL, straddle2, NULL, tv));
    bytes("set now", straddle2, 4);

    /* the earlier sets are written before the straddling one fails */
    *good = both;
    memset(straddle3, 0, 3);
    errno = 0;
    show("good write set, except set straddling", syscall(SYS__newselect, 16, NULL, good, straddle3, tv));
    printf("  good now %#x\n", *good);
    bytes("except now", straddle3, 4);
    memset(straddle3, 0xee, 3);
    *good = both;
    errno = 0;
    show("same, except bytes 0xee", syscall(SYS__newselect, 16, NULL, good, straddle3, tv));
    printf("  good now %#x\n", *good);
    bytes("except now", straddle3, 4);

    /* one byte writable: the word at end-1 holds fds 6 and 7 */
    *straddle1 = 0xc0;
    errno = 0;
    show("write set straddling at end-1", syscall(SYS__newselect, 8, NULL, straddle1, NULL, tv));
    bytes("set now", straddle1, 4);

    /* n = 64: two words, the first writable, the second read-only (zero) */
    *two = both;
    errno = 0;
    show("write set of two words (n=64)", syscall(SYS__newselect, 64, NULL, two, NULL, tv));
    printf("  word 0 now %#x\n", *two);

    /* pselect6 stores the sets the same way */
    struct { int32_t sec, nsec; } *ts = (void *)(page + 128);
    ts->sec = 0; ts->nsec = 0;
    *two = both;
    errno = 0;
    show("pselect6 write set of two words", syscall(SYS_pselect6, 64, NULL, two, NULL, ts, NULL));
    printf("  word 0 now %#x\n", *two);
    memcpy(straddle2, &both, 2);
    errno = 0;
    show("pselect6 write set straddling", syscall(SYS_pselect6, 16, NULL, straddle2, NULL, ts, NULL));
    bytes("set now", straddle2, 4);
    return 0;
}
