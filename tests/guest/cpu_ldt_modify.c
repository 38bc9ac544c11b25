/* ue-test: variants=s2 d0 */
/* modify_ldt (i386 syscall 123): read (func 0) before and after writes, the
 * old-mode write (1: AVL cleared, base and limit 0 clear the entry,
 * contents 3 refused) and the new-mode one (0x11), read_default (2), an
 * unknown func; the kernel's checks on the user_desc (entry number,
 * contents 3, LDT_empty and the old mode's base/limit 0 clearing) and on
 * bytecount, and bad pointers. The LDT is per process: a thread sees the
 * entries another wrote, a forked child a copy. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct ud {   /* struct user_desc */
    uint32_t entry, base, limit, flags;
};
#define F_32 1u
#define F_CONTENTS(c) ((uint32_t)(c) << 1)
#define F_RO 8u
#define F_PAGES 0x10u
#define F_NP 0x20u
#define F_USE 0x40u

static long mldt(int func, void *p, unsigned long n)
{
    errno = 0;
    long r = syscall(SYS_modify_ldt, func, p, n);
    return r < 0 ? -errno : r;
}

static long wr(int func, uint32_t e, uint32_t base, uint32_t limit, uint32_t flags)
{
    struct ud u = {e, base, limit, flags};
    return mldt(func, &u, sizeof u);
}

static uint64_t buf[8192 + 16];

/* reads n bytes and shows the result and the non-zero descriptors */
static void show(const char *what, unsigned long n)
{
    memset(buf, 0xa5, sizeof buf);
    long r = mldt(0, buf, n);
    printf("%s: read(%lu) = %ld:", what, n, r);
    for (unsigned k = 0; k < 8192 + 16 && k * 8 < (r > 0 ? (unsigned long)r + 16 : 16); k++)   /* 2 past the end */
        if (buf[k]) printf(" [%u]=%016llx", k, (unsigned long long)buf[k]);
    printf("\n");
}

static void *thread_fn(void *arg)
{
    (void)arg;
    printf("thread write 7: %ld\n", wr(1, 7, 0x7000, 0x77, F_32));
    return NULL;
}

int main(void)
{
    show("empty", 64);
    printf("read_default 0: %ld\n", mldt(2, buf, 0));
    memset(buf, 0xa5, 256);
    printf("read_default 200: %ld (%llx %llx %llx)\n", mldt(2, buf, 200), (unsigned long long)buf[0],
           (unsigned long long)buf[15], (unsigned long long)buf[16]);
    printf("func 3: %ld, func 0x10: %ld, func -1: %ld\n", mldt(3, buf, 16), mldt(0x10, buf, 16), mldt(-1, buf, 16));

    /* writes of each kind */
    printf("data rw 32: %ld\n", wr(1, 0, 0x12345678, 0xabcde, F_32 | F_PAGES));
    printf("data ro 16: %ld\n", wr(1, 1, 0x1000, 0xffff, F_RO));
    printf("expand-down: %ld\n", wr(1, 2, 0x2000, 0x0fff, F_32 | F_CONTENTS(1)));
    printf("code 32: %ld\n", wr(1, 3, 0, 0xfffff, F_32 | F_PAGES | F_CONTENTS(2)));
    printf("code 16 xo: %ld\n", wr(1, 4, 0x10000, 0xffff, F_CONTENTS(2) | F_RO));
    printf("conforming present: %ld\n", wr(1, 5, 0, 0xfff, F_32 | F_CONTENTS(3)));
    printf("conforming np: %ld\n", wr(1, 5, 0, 0xfff, F_32 | F_CONTENTS(3) | F_NP));
    printf("useable np: %ld\n", wr(1, 6, 0xdeadbeef, 0x12345, F_USE | F_NP | F_32));
    printf("lm bit: %ld\n", wr(1, 9, 0x100, 0x200, F_32 | 0x80 | 0x100));
    printf("all zero: %ld\n", wr(1, 10, 0, 0, 0));
    show("after writes", 128);
    show("short", 20);
    show("zero", 0);

    /* clearing: LDT_empty, and old mode with base and limit 0 */
    printf("empty desc: %ld\n", wr(1, 1, 0, 0, F_RO | F_NP));
    printf("new mode useable: %ld\n", wr(0x11, 2, 0x3000, 0x10, F_32 | F_USE));
    printf("new mode conforming np: %ld\n", wr(0x11, 11, 0, 0x10, F_32 | F_CONTENTS(3) | F_NP));
    printf("new mode conforming present: %ld\n", wr(0x11, 13, 0, 0x10, F_32 | F_CONTENTS(3)));
    printf("new mode zero base/limit: %ld\n", wr(0x11, 6, 0, 0, F_32 | F_CONTENTS(2)));
    printf("new mode all zero: %ld\n", wr(0x11, 14, 0, 0, 0));
    printf("old mode empty-ish: %ld\n", wr(1, 12, 0, 0, F_RO | F_NP | F_USE));
    printf("new mode empty: %ld\n", wr(0x11, 15, 0, 0, F_RO | F_NP));
    show("after clears", 128);

    /* errors */
    struct ud u = {20, 0x100, 0x100, F_32};
    printf("bytecount 15: %ld, 17: %ld, 0: %ld\n", mldt(1, &u, 15), mldt(1, &u, 17), mldt(1, &u, 0));
    printf("entry 8191: %ld, 8192: %ld, -1: %ld\n", wr(1, 8191, 1, 1, F_32), wr(1, 8192, 1, 1, F_32),
           wr(1, 0xffffffffu, 1, 1, F_32));
    printf("bad pointer write: %ld, old: %ld\n", mldt(1, (void *)16, 16), mldt(0x11, (void *)16, 16));
    printf("bad pointer + bad size: %ld\n", mldt(1, (void *)16, 15));
    printf("bad pointer read: %ld, read 0 bytes: %ld\n", mldt(0, (void *)16, 64), mldt(0, (void *)16, 0));
    printf("bad pointer read_default: %ld\n", mldt(2, (void *)16, 64));
    memset(buf, 0xa5, sizeof buf);
    long r = mldt(0, buf, 1u << 20);
    printf("read 1 MiB: %ld last %016llx next %016llx\n", r, (unsigned long long)buf[8191],
           (unsigned long long)buf[8192]);
    printf("entry 8191 cleared: %ld\n", wr(1, 8191, 0, 0, F_RO | F_NP));
    show("after 8191 cleared", 16);
    r = mldt(0, buf, 1u << 20);
    printf("size stays: %ld\n", r);

    /* threads share it, a child has a copy */
    pthread_t t;
    pthread_create(&t, NULL, thread_fn, NULL);
    pthread_join(t, NULL);
    show("after thread", 64);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child write 8: %ld\n", wr(1, 8, 0x8000, 0x88, F_32));
        show("child", 80);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("parent after child", 80);
    return 0;
}
