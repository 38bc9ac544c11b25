/* ue-test: variants=s0 s2; cflags=-nostdlib -ffreestanding -fno-stack-protector */
/* Freestanding C with its own _start and int 0x80 wrappers: reads argc, argv,
 * envp and the auxiliary vector straight from the initial stack, and checks
 * that the stack pointer at entry is 16-byte aligned... as Linux leaves it. */
#include <stdint.h>

static long sys3(long n, long a, long b, long c)
{
    long r;
    asm volatile("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx" : "=a"(r) : "0"(n), "r"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static unsigned slen(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s) { sys3(4, 1, (long)s, slen(s)); }

static void putnum(unsigned long v)
{
    char b[12];
    int i = 11;
    b[i] = 0;
    do
        b[--i] = '0' + v % 10;
    while (v /= 10);
    put(b + i);
}

static int streq_prefix(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

/* the bss must be zero */
static char zeroes[100000];
static int data_value = 1234;

__attribute__((used)) void cstart(uint32_t *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    put("argc=");
    putnum(argc);
    put("\n");
    for (int i = 1; i < argc; i++) {
        put("arg: ");
        put(argv[i]);
        put("\n");
    }
    char **e = envp;
    while (*e) {
        if (streq_prefix(*e, "UE_TEST_VAR=")) {
            put("env: ");
            put(*e);
            put("\n");
        }
        e++;
    }
    uint32_t *aux = (uint32_t *)(e + 1);
    for (; aux[0] != 0; aux += 2) {
        if (aux[0] == 6) {          /* AT_PAGESZ */
            put("AT_PAGESZ=");
            putnum(aux[1]);
            put("\n");
        }
        if (aux[0] == 9) {          /* AT_ENTRY */
            extern void _start(void);
            put(aux[1] == (uint32_t)_start ? "AT_ENTRY=_start\n" : "AT_ENTRY other\n");
        }
    }
    int zero = 1;
    for (unsigned i = 0; i < sizeof zeroes; i++)
        if (zeroes[i])
            zero = 0;
    put(zero ? "bss zero\n" : "bss NOT zero\n");
    put(data_value == 1234 ? "data ok\n" : "data wrong\n");
    put(((uintptr_t)sp & 15) == 0 ? "sp 16-aligned\n" : "sp not 16-aligned\n");
    sys3(252, 3, 0, 0);   /* exit_group(3) */
}

asm(".text\n.globl _start\n_start:\n\tmov %esp, %eax\n\tand $-16, %esp\n\tsub $12, %esp\n\tpush %eax\n\tcall cstart\n\thlt\n");
