/* memcheck's system-call parameter checks (src/os/syscall.c): buffers and
 * strings named by the syscall table must be addressable; the calls still
 * run as they would (fd -1: EBADF). The shadow is faked below: the 16 bytes
 * at BAD are unaddressable. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/check/check.h"
#include "../../src/cpu/cpu.h"
#include "../../src/mem/mem.h"
#include "../../src/mem/uaccess.h"
#include "../../src/os/os.h"
#include "unit.h"

#define A 0x20000000u
#define BAD (A + 0x100)

int64_t shadow_first_noaccess(guest_addr a, uint32_t len)
{
    uint64_t end = (uint64_t)a + len;
    if (end <= BAD || a >= BAD + 16) return -1;
    return a > BAD ? a : BAD;
}

static struct cpu cpu;

static long call(uint32_t nr, uint32_t b, uint32_t c, uint32_t d)
{
    cpu.r[EAX] = nr;
    cpu.r[EBX] = b;
    cpu.r[ECX] = c;
    cpu.r[EDX] = d;
    sys_int80(&cpu);
    return (int32_t)cpu.r[EAX];
}

int main(void)
{
    char log[64], opt[96], want[2048];
    mem_init();
    fault_init();
    os_init();
    unit_case = "off";
    CHECK_EQ(mem_mmap(A, GUEST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), A);
    CHECK_EQ(call(4, -1, BAD, 8), -9);                /* write: EBADF, nothing checked */
    CHECK_EQ(chk_error_count(), 0);

    unit_case = "on";
    snprintf(log, sizeof log, "/tmp/ue-unit-syscall.%d", getpid());
    snprintf(opt, sizeof opt, "--log-file=%s", log);
    CHECK_EQ(chk_option("--memcheck", NULL), 1);
    CHECK_EQ(chk_option("-q", NULL), 1);
    CHECK_EQ(chk_option(opt, NULL), 1);
    chk_init();
    CHECK_EQ(call(4, -1, BAD - 8, 8), -9);            /* just before: fine */
    CHECK_EQ(chk_error_count(), 0);
    CHECK_EQ(call(4, -1, BAD - 8, 10), -9);           /* reaches BAD */
    CHECK_EQ(call(3, -1, BAD + 4, 4), -9);            /* read's buffer (written by the kernel) */
    CHECK_EQ(call(4, -1, BAD + 16, 4), -9);           /* just after: fine */
    CHECK_EQ(chk_error_count(), 2);
    ua_write(BAD - 4, "abc", 4);
    CHECK_EQ(call(33, BAD - 4, 0, 0) < 0, 1);         /* access("abc") */
    CHECK_EQ(chk_error_count(), 2);                   /* the NUL ends it before BAD */
    ua_write(BAD - 4, "abcd", 4);
    ua_write(BAD, "e", 2);
    call(33, BAD - 4, 0, 0);                          /* access("abcde"): reads BAD */
    CHECK_EQ(chk_error_count(), 3);
    call(33, 0, 0, 0);                                /* NULL: the kernel's EFAULT, no report */
    ua_write(A + GUEST_PAGE - 3, "xyz", 3);           /* no NUL before the unmapped page */
    CHECK_EQ(call(33, A + GUEST_PAGE - 3, 0, 0), -14);
    CHECK_EQ(call(4, -1, A + GUEST_PAGE - 3, 100), -9); /* EBADF first, as natively */
    CHECK_EQ(chk_error_count(), 3);
    uint32_t iov[4] = { A + 0x10, 8, BAD + 8, 4 };    /* the second buffer is bad */
    ua_write(A + 0x40, iov, sizeof iov);
    CHECK_EQ(call(146, -1, A + 0x40, 2), -9);         /* writev */
    CHECK_EQ(call(146, -1, BAD - 8, 2), -9);          /* the array itself reaches BAD */
    CHECK_EQ(chk_error_count(), 5);
    int p = getpid();   /* the int 0x80 is at eip - 2: 0xfffffffe here, where no code is */
    snprintf(want, sizeof want,
             "==%d== Syscall param write(buf) points to unaddressable byte(s)\n"
             "==%d==    at 0xFFFFFFFE: ???\n"
             "==%d==  Address 0x%x is not stack'd, malloc'd or (recently) free'd\n==%d== \n"
             "==%d== Syscall param read(buf) points to unaddressable byte(s)\n"
             "==%d==    at 0xFFFFFFFE: ???\n"
             "==%d==  Address 0x%x is not stack'd, malloc'd or (recently) free'd\n==%d== \n"
             "==%d== Syscall param access(pathname) points to unaddressable byte(s)\n"
             "==%d==    at 0xFFFFFFFE: ???\n"
             "==%d==  Address 0x%x is not stack'd, malloc'd or (recently) free'd\n==%d== \n"
             "==%d== Syscall param writev(vector[...]) points to unaddressable byte(s)\n"
             "==%d==    at 0xFFFFFFFE: ???\n"
             "==%d==  Address 0x%x is not stack'd, malloc'd or (recently) free'd\n==%d== \n"
             "==%d== Syscall param writev(vector) points to unaddressable byte(s)\n"
             "==%d==    at 0xFFFFFFFE: ???\n"
             "==%d==  Address 0x%x is not stack'd, malloc'd or (recently) free'd\n==%d== \n",
             p, p, p, BAD, p, p, p, p, BAD + 4, p, p, p, p, BAD, p, p, p, p, BAD + 8, p, p, p, p, BAD, p);
    CHECK_STR(unit_read_file(log), want);
    unlink(log);
    return unit_done("check_syscall");
}
