/* ue-test: variants=s2 d0 */
/* msync checks its flags (unknown bits, MS_ASYNC with MS_SYNC) and the
 * alignment before the range: EINVAL before ENOMEM (mm/msync.c); a zero
 * length is 0 anywhere. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
static void t(const char *w, long a, long l, long f) { long r = syscall(SYS_msync, a, l, f); printf("%-32s %ld %s\n", w, r, r < 0 ? strerror(errno) : ""); }
int main(void)
{
    char *p = mmap(0, 0x4000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 0x2000, 0x2000);
    long a = (long)p;
    t("bad flags, unmapped part", a, 0x8000, 0x2000);
    t("bad flags, misaligned", a + 1, 0x1000, 0x2000);
    t("async|sync, unmapped", a + 0x2000, 0x1000, MS_ASYNC | MS_SYNC);
    t("misaligned", a + 1, 0x1000, MS_SYNC);
    t("unmapped part", a, 0x8000, MS_SYNC);
    t("zero length unmapped", a + 0x2000, 0, MS_SYNC);
    t("mapped", a, 0x2000, MS_ASYNC);
    t("past 4G", 0xfffff000, 0x2000, MS_SYNC);
    return 0;
}
