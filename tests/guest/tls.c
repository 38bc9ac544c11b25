/* ue-test: variants=all sp2 */
/* Thread-local storage through %gs: __thread variables (initialised and bss),
 * their addresses differ from a plain global's, %gs:0 holds the TCB's own
 * address, and a direct %gs-prefixed load/store matches the C view. */
#include <stdint.h>
#include <stdio.h>

__thread int tls_init = 42;
__thread int tls_zero;
__thread char tls_buf[64] = "thread-local";
int global = 7;

int main(void)
{
    printf("tls_init=%d tls_zero=%d tls_buf=%s\n", tls_init, tls_zero, tls_buf);
    tls_init += 100;
    tls_zero = -5;
    tls_buf[0] = 'T';
    printf("after: tls_init=%d tls_zero=%d tls_buf=%s\n", tls_init, tls_zero, tls_buf);
    uint32_t self;
    asm volatile("movl %%gs:0, %0" : "=r"(self));
    printf("gs:0 is a pointer to itself: %s\n", *(uint32_t *)self == self ? "yes" : "no");
    /* tls_init's offset from the thread pointer, read back through %gs. */
    int32_t off = (int32_t)((uintptr_t)&tls_init - self);
    int via_gs;
    asm volatile("movl %%gs:(%1), %0" : "=r"(via_gs) : "r"(off));
    printf("via %%gs: %d\n", via_gs);
    asm volatile("movl $1234, %%gs:(%0)" : : "r"(off) : "memory");
    printf("store via %%gs: %d\n", tls_init);
    uint16_t gs;
    asm volatile("mov %%gs, %0" : "=r"(gs));
    printf("gs selector nonzero: %s, rpl=%d\n", gs ? "yes" : "no", gs & 3);
    printf("tls and globals apart: %s\n", (void *)&tls_init != (void *)&global ? "yes" : "no");
    return 0;
}
