/* Bad accesses in hot loops: each function runs its access 200 times on
 * good memory and once on bad memory, so under ue the code generator has
 * translated it by then, and the bad access takes translated code's slow
 * path (make check runs this with UE_JIT=all, on and off). One kind of
 * access each: a read-modify-write, a push and a pop on a stack inside a
 * block, a 16-byte SSE load, an indirect call through a freed pointer, a
 * store of AH, a locked exchange-and-add, a %gs-relative load, LEAVE, and
 * an x87 load.
 * memcheck: variants=O0,O2,static
 * expect InvalidRead size=4 aux="0 bytes after a block of size 40 alloc'd" stack=rmw@RMW|main@C1 stack2=malloc|main@A
 * expect InvalidWrite size=4 aux="0 bytes after a block of size 40 alloc'd" stack=rmw@RMW|main@C1 stack2=malloc|main@A
 * expect InvalidWrite size=4 aux="4 bytes before a block of size 40 alloc'd" stack=stack_ops@PUSH stack2=malloc|main@A
 * expect InvalidRead size=4 aux="4 bytes before a block of size 40 alloc'd" stack=stack_ops@PUSH stack2=malloc|main@A
 * expect InvalidRead size=16 aux="8 bytes after a block of size 40 alloc'd" stack=sse_load@SSE|main@C3 stack2=malloc|main@A
 * expect InvalidRead size=4 aux="0 bytes inside a block of size 8 free'd" stack=call_through@CALL|main@C4 stack2=free|main@F4 stack3=malloc|main@A4
 * expect InvalidWrite size=1 aux="0 bytes after a block of size 40 alloc'd" stack=store_ah@AH|main@C5 stack2=malloc|main@A
 * expect InvalidRead size=4 aux="0 bytes after a block of size 40 alloc'd" stack=locked_add@XADD|main@C6 stack2=malloc|main@A
 * expect InvalidWrite size=4 aux="0 bytes after a block of size 40 alloc'd" stack=locked_add@XADD|main@C6 stack2=malloc|main@A
 * expect InvalidRead size=4 aux="0 bytes after a block of size 40 alloc'd" stack=gs_load@GS|main@C7 stack2=malloc|main@A
 * expect InvalidRead size=4 aux="0 bytes after a block of size 40 alloc'd" stack=leave_at@LEAVE stack2=malloc|main@A
 * expect InvalidRead size=8 aux="0 bytes after a block of size 40 alloc'd" stack=x87_load@FLD|main@C9 stack2=malloc|main@A
 */
#include "mc.h"

#define ROUNDS 200
/* the bad accesses run under a checker only: natively they would corrupt
 * the C library's heap (the native run stays the oracle for stdout) */
static int bad;

/* p[i] += 1 for i = 0..9 ROUNDS times, then once for i = 10 */
__attribute__((noipa)) int rmw(int *p)
{
    for (int r = 0; r <= ROUNDS; r++) {
        int i = r == ROUNDS && bad ? 10 : r % 10;
        __asm__ volatile("addl $1, (%0,%1,4)" ::"r"(p), "r"(i) : "memory", "cc"); /* @RMW */
    }
    return p[0];
}

/* a push and a pop with ESP in the block (at p + 8, then at p) */
__attribute__((noipa)) int stack_ops(char *p)
{
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        char *top = r == ROUNDS && bad ? p : p + 8;
        int v;
        __asm__ volatile("mov %%esp, %%esi; mov %1, %%esp; pushl $3; popl %0; mov %%esi, %%esp" /* @PUSH */
                         : "=&r"(v) : "r"(top) : "esi", "memory");
        sum += v;
    }
    return sum;
}

/* movdqu of 16 bytes at p + 16, then at p + 48 (all past the end) */
__attribute__((noipa, target("sse2"))) int sse_load(char *p)
{
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        char *q = r == ROUNDS && bad ? p + 48 : p + 16;
        int v;
        __asm__ volatile("movdqu (%1), %%xmm1; movd %%xmm1, %0" : "=r"(v) : "r"(q) : "xmm1", "memory"); /* @SSE */
        sum += v;
    }
    return sum;
}

static int one(void) { return 1; }

/* call *(%reg): the pointer's slot is read from a block, the last time a
 * freed one; the call is a block of its own (a jump's target) */
__attribute__((noipa)) int call_through(int (**good)(void), int (**freed)(void))
{
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        int (**slot)(void) = r == ROUNDS && bad ? freed : good;
        int v;
        __asm__ volatile("test %1, %1\n jnz 1f\n1: call *(%1)" /* @CALL */
                         : "=a"(v) : "r"(slot) : "ecx", "edx", "memory", "cc");
        sum += v;
    }
    return sum;
}

/* mov %ah, (p + i) for i = 0..39, then i = 40 */
__attribute__((noipa)) void store_ah(char *p)
{
    for (int r = 0; r <= ROUNDS; r++) {
        int i = r == ROUNDS && bad ? 40 : r % 40;
        __asm__ volatile("movb $7, %%ah; movb %%ah, (%0,%1)" ::"r"(p), "r"(i) : "eax", "memory"); /* @AH */
    }
}

/* lock xadd at p[i], then p[10] */
__attribute__((noipa)) int locked_add(int *p)
{
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        int i = r == ROUNDS && bad ? 10 : r % 10, v = 1;
        __asm__ volatile("lock xaddl %0, (%1,%2,4)" : "+r"(v) : "r"(p), "r"(i) : "memory", "cc"); /* @XADD */
        sum += v;
    }
    return sum;
}

/* a load through %gs (the thread pointer's segment) at p[i], then p[10] */
__attribute__((noipa)) int gs_load(int *p)
{
    unsigned gsbase;
    __asm__("movl %%gs:0, %0" : "=r"(gsbase));   /* i386 glibc: the TCB's own address, the segment's base */
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        int i = r == ROUNDS && bad ? 10 : r % 10, v;
        unsigned off = (unsigned)(p + i) - gsbase;
        __asm__ volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"(off) : "memory"); /* @GS */
        sum += v;
    }
    return sum;
}

/* LEAVE with EBP at p + 4i, then at p + 40: it loads EBP from there */
__attribute__((noipa)) int leave_at(char *p)
{
    int sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        char *fp = r == ROUNDS && bad ? p + 40 : p + 4 * (r % 10);
        int v;
        __asm__ volatile("push %%ebp; mov %%esp, %%esi; mov %1, %%ebp; leave; mov %%ebp, %0; mov %%esi, %%esp; pop %%ebp" /* @LEAVE */
                         : "=&r"(v) : "r"(fp) : "esi", "memory");
        sum += v;
    }
    return sum;
}

/* fldl of p[i] for i = 0..4, then p[5] */
__attribute__((noipa)) double x87_load(double *p)
{
    double sum = 0;
    for (int r = 0; r <= ROUNDS; r++) {
        int i = r == ROUNDS && bad ? 5 : r % 5;
        double v;
        __asm__ volatile("fldl (%1,%2,8); fstpl %0" : "=m"(v) : "r"(p), "r"(i) : "memory"); /* @FLD */
        sum += v;
    }
    return sum;
}

int main(void)
{
    mc_start();
    bad = MC_CHECKED();
    char *a = malloc(40); /* @A */
    memset(a, 0, 40);
    int total = 0;
    total += rmw((int *)a); /* @C1 */
    total += stack_ops(a); /* @C2 */
    total += sse_load(a); /* @C3 */
    /* the last call reads its pointer from a freed block (a checker's free
     * leaves the block as it was) */
    int (**good)(void) = malloc(8);
    int (**gone)(void) = malloc(8); /* @A4 */
    good[0] = gone[0] = one;
    free(gone); /* @F4 */
    total += call_through(good, gone); /* @C4 */
    store_ah(a); /* @C5 */
    total += locked_add((int *)a); /* @C6 */
    total += gs_load((int *)a); /* @C7 */
    total += leave_at(a); /* @C8 */
    total += (int)x87_load((double *)a); /* @C9 */
    printf("done %d\n", total & 0);
    free(good);
    free(a);
    return 0;
}
