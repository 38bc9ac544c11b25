/* Compiled by test_stack.c with gcc -m32 -O2 -g into a shared object: its
 * symbols and lines are compared with addr2line's. */
#define NOINLINE __attribute__((noinline))

int sink;

NOINLINE int walk(const int *p, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += p[i] * (i + 1);
    return s;
}

NOINLINE int twice(const int *p, int n)
{
    int a = walk(p, n);
    int b = walk(p + 1, n - 1);
    return a ^ b;
}

NOINLINE void store(int v)
{
    sink = v;
}

int entry(int n)
{
    int buf[16];
    for (int i = 0; i < 16; i++)
        buf[i] = i * n;
    int r = twice(buf, n < 16 ? n : 16);
    store(r);
    return r + 1;
}

/* Inlined twice over: sym_lookup_inlined against addr2line -i. */
static inline __attribute__((always_inline)) int scale(const int *p)
{
    sink += p[0];
    return p[1] * 3;
}

static inline __attribute__((always_inline)) int pair(const int *p)
{
    return scale(p) + scale(p + 2);
}

NOINLINE int inl(const int *p)
{
    return pair(p) * 2;
}
