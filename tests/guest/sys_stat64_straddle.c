/* ue-test: variants=s2 d0 */
/* fstat64/lstat64 into a buffer that straddles a page boundary: cp_stat64
 * stores field by field, each field one store, up to the first that
 * faults. A buffer that starts on an unmapped page and runs into a
 * writable one leaves the writable bytes alone (st_dev, the first field,
 * already faults, even where its last bytes could be written); one that
 * runs from a writable page into an unmapped one gets the fields that fit
 * whole. Printed per byte: '.' kept, 'w' written (two fillings). ue wrote
 * a field's last byte first, on the writable page, then failed. Found by
 * the sys fuzzer (seed 0x30000: lstat64(path, 0x30009ffb)). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STAT64_SIZE 96

static void show(const char *what, uint8_t *buf, int k, uint8_t *win, int len, int fd)
{
    uint8_t a[STAT64_SIZE], b[STAT64_SIZE];
    long r[2];
    int e = 0;
    for (int run = 0; run < 2; run++) {
        memset(win, run ? 0x33 : 0xcc, len);
        errno = 0;
        r[run] = fd >= 0 ? syscall(SYS_fstat64, fd, buf) : syscall(SYS_lstat64, "f", buf);
        e = errno;
        memcpy(run ? b : a, win, len);
    }
    printf("%-8s %s %2d -> %ld %s: ", fd >= 0 ? "fstat64" : "lstat64", what, k, r[0], r[0] ? strerrorname_np(e) : "");
    for (int i = 0; i < len; i++) putchar(a[i] != 0xcc || b[i] != 0x33 ? 'w' : '.');
    printf("\n");
}

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    uint8_t *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fd < 0 || m == MAP_FAILED || munmap(m, 4096) || munmap(m + 2 * 4096, 4096)) return 1;
    uint8_t *page = m + 4096;   /* unmapped before and after */
    static const int ks[] = { 1, 4, 7, 8, 9, 12, 16, 20, 24, 40, 44, 48, 95 };
    for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        int k = ks[i];
        show("from a hole, writable bytes", page - (STAT64_SIZE - k), k, page, k, fd);
        show("from a hole, writable bytes", page - (STAT64_SIZE - k), k, page, k, -1);
        show("into a hole, writable bytes", page + 4096 - k, k, page + 4096 - k, k, fd);
    }
    unlink("f");
    return 0;
}
