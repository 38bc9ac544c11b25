/* The user-access API of src/mem/uaccess.c: exact counts at the first bad
 * byte (unmapped, read-only, a file mapping past EOF, the top of the 4 GiB
 * space), strings with getname's ENAMETOOLONG/EFAULT, cmpxchg, clear, a
 * locked buffer judged by the host kernel, and copies racing munmap in
 * another thread. ue must survive every one of them. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/cpu/cpu.h"
#include "../../src/mem/mem.h"
#include "../../src/mem/uaccess.h"
#include "unit.h"

#define A 0x20000000u
#define P GUEST_PAGE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static char buf[3 * 4096];

static void test_copies(void)
{
    unit_case = "copies";
    /* [A, A+2P) rw, [A+2P, A+3P) unmapped, [A+3P, A+4P) read-only */
    CHECK_EQ(mem_mmap(A, 2 * P, RW, ANON, -1, 0), A);
    CHECK_EQ(mem_mmap(A + 3 * P, P, PROT_READ, ANON, -1, 0), A + 3 * P);
    memset(buf, 'x', sizeof buf);
    CHECK_EQ(ua_write_partial(A, buf, 2 * P), 0);
    CHECK_EQ(ua_write_partial(A + 2 * P - 5, buf, 12), 7);     /* 5 written, 7 not */
    CHECK_EQ(ua_read_partial(buf, A + 2 * P - 5, 12), 7);
    CHECK_EQ(ua_read(buf, A + 2 * P - 5, 5), 0);
    CHECK_EQ(ua_read(buf, A + 2 * P - 5, 6), -EFAULT);
    CHECK_EQ(ua_read_partial(buf, A + 3 * P, 16), 0);          /* read-only reads */
    CHECK_EQ(ua_write_partial(A + 3 * P, buf, 16), 16);        /* and does not write */
    CHECK_EQ(ua_write(A + 3 * P, buf, 1), -EFAULT);
    CHECK_EQ(ua_read_partial(buf, 0, 8), 8);                   /* page 0 */
    CHECK_EQ(ua_read_partial(buf, 0, 0), 0);                   /* nothing to do: any address */
    /* the top of the space: the guard after the window faults, never ue's memory */
    CHECK_EQ(ua_read_partial(buf, 0xfffffff0u, 64), 64);
    CHECK_EQ(ua_write_partial(0xfffffff0u, buf, 0xffffffffu), 0xffffffffu);
    CHECK_EQ(ua_read_partial(buf, A, (size_t)1 << 33), (size_t)1 << 33);   /* beyond the guard: refused */
    CHECK_EQ(ua_clear_partial(A + 2 * P - 3, 10), 7);
    uint32_t v = 1;
    CHECK_EQ(ua_read(&v, A + 2 * P - 4, 4), 0);
    CHECK_EQ(v, 0x78u);                                         /* one 'x', then the three cleared */
    CHECK_EQ(ua_put_u32(A + 16, 0x12345678u), 0);
    CHECK_EQ(ua_get_u32(A + 16, &v), 0);
    CHECK_EQ(v, 0x12345678u);
    mem_munmap(A, 4 * P);
}

static void test_past_eof(void)
{
    unit_case = "file mapping past EOF";
    char name[] = "/tmp/ue-unit-uaccess-XXXXXX";
    int fd = mkstemp(name);
    CHECK(fd >= 0);
    unlink(name);
    CHECK_EQ(ftruncate(fd, P), 0);
    CHECK_EQ(mem_mmap(A, 2 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0), A);
    /* the second page has no file behind it: SIGBUS on the host, EFAULT here */
    CHECK_EQ(ua_write_partial(A + P - 2, "abcd", 4), 2);
    CHECK_EQ(ua_read_partial(buf, A + P - 2, 4), 2);
    CHECK_EQ(ua_clear_partial(A + P, 4), 4);
    uint32_t old;
    CHECK_EQ(ua_cmpxchg_u32(A + P, 0, 1, &old), -EFAULT);
    CHECK_EQ(ua_strncpy(buf, A + P, 16), -EFAULT);
    char c[2];
    CHECK_EQ(pread(fd, c, 2, P - 2), 2);
    CHECK(c[0] == 'a' && c[1] == 'b');
    mem_munmap(A, 2 * P);
    close(fd);
}

static void test_strings(void)
{
    unit_case = "strings";
    CHECK_EQ(mem_mmap(A, 2 * P, RW, ANON, -1, 0), A);
    char s[64];
    CHECK_EQ(ua_write(A, "hello", 6), 0);
    CHECK_EQ(ua_strncpy(s, A, sizeof s), 5);
    CHECK_STR(s, "hello");
    CHECK_EQ(ua_strncpy(s, A, 6), 5);                  /* the NUL is the last byte that fits */
    CHECK_EQ(ua_strncpy(s, A, 5), -ENAMETOOLONG);      /* no NUL within size bytes */
    CHECK_EQ(ua_strncpy(s, A + 5, sizeof s), 0);
    /* a string running into the unmapped page: EFAULT; ending just before it: fine */
    memset(buf, 'y', P);
    CHECK_EQ(ua_write(A + P, buf, P), 0);
    CHECK_EQ(ua_strncpy(s, A + 2 * P - 8, sizeof s), -EFAULT);
    CHECK_EQ(ua_put_u32(A + 2 * P - 4, 0x00797979u), 0);
    CHECK_EQ(ua_strncpy(s, A + 2 * P - 8, sizeof s), 7);
    /* 4096 bytes without a NUL before the hole: too long wins over the fault */
    char *big = malloc(4096);
    CHECK_EQ(ua_write(A + P - 4, "zzzz", 4), 0);
    CHECK_EQ(ua_put_u32(A + 2 * P - 4, 0x79797979u), 0);
    CHECK_EQ(ua_strncpy(big, A + P - 4, 4096), -ENAMETOOLONG);
    CHECK_EQ(ua_strncpy(s, 0xfffffffcu, sizeof s), -EFAULT);
    free(big);
    mem_munmap(A, 2 * P);
}

static void test_cmpxchg(void)
{
    unit_case = "cmpxchg";
    CHECK_EQ(mem_mmap(A, P, RW, ANON, -1, 0), A);
    CHECK_EQ(mem_mmap(A + P, P, PROT_READ, ANON, -1, 0), A + P);
    uint32_t old = 7;
    CHECK_EQ(ua_cmpxchg_u32(A, 0, 5, &old), 0);
    CHECK_EQ(old, 0);
    CHECK_EQ(ua_cmpxchg_u32(A, 0, 6, &old), 0);      /* mismatch: unchanged, the value found */
    CHECK_EQ(old, 5);
    CHECK_EQ(ua_cmpxchg_u32(A + 2, 0, 6, &old), -EINVAL);
    CHECK_EQ(ua_cmpxchg_u32(A + P, 0, 6, &old), -EFAULT);       /* read-only */
    CHECK_EQ(ua_cmpxchg_u32(A + 2 * P, 0, 6, &old), -EFAULT);   /* unmapped */
    mem_munmap(A, 2 * P);
}

static void test_lock(void)
{
    unit_case = "lock";
    /* a pipe read into a buffer ending 4 bytes before a hole: the host kernel
     * says EFAULT and keeps the data, as the i386 kernel would */
    CHECK_EQ(mem_mmap(A, P, RW, ANON, -1, 0), A);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(write(p[1], "0123456789", 10), 10);
    CHECK_EQ(read(p[0], ua_lock(A + P - 4, 10, UA_OUT), 10), -1);
    CHECK_EQ(errno, EFAULT);
    CHECK_EQ(read(p[0], ua_lock(A, 10, UA_OUT), 10), 10);
    CHECK_EQ(ua_read(buf, A, 10), 0);
    CHECK(!memcmp(buf, "0123456789", 10));
    /* past the top of the space, with a length the guard must absorb */
    CHECK_EQ(write(p[1], "ab", 2), 2);
    CHECK_EQ(read(p[0], ua_lock(0xfffff000u, 0xffffffffu, UA_OUT), 0xffffffffu), -1);
    CHECK_EQ(errno, EFAULT);
    close(p[0]);
    close(p[1]);
    mem_munmap(A, P);
}

/* Copies racing munmap/mmap of the same page in another thread. */
static volatile int racing = 1;
static void *flipper(void *arg)
{
    (void)arg;
    while (racing) {
        mmap(g2h(A), P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
        mmap(g2h(A), P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    }
    return NULL;
}

static void test_race(void)
{
    unit_case = "race with munmap";
    CHECK_EQ(mem_mmap(A, P, RW, ANON, -1, 0), A);
    pthread_t t;
    pthread_create(&t, NULL, flipper, NULL);
    int bad = 0, ok = 0, faulted = 0;
    for (int k = 0; k < 200000; k++) {
        size_t r = (k & 1) ? ua_read_partial(buf, A, 256) : ua_write_partial(A, buf, 256);
        if (r == 0) ok++;
        else if (r <= 256) faulted++;
        else bad++;
    }
    racing = 0;
    pthread_join(t, NULL);
    CHECK_EQ(bad, 0);
    CHECK(ok + faulted == 200000);
    mem_munmap(A, P);
}

int main(void)
{
    mem_init();
    fault_init();
    test_copies();
    test_past_eof();
    test_strings();
    test_cmpxchg();
    test_lock();
    test_race();
    return unit_done("uaccess");
}
