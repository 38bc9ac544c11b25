/* ue-test: variants=s2 p2 */
/* LOCK-prefixed read-modify-write from two threads at once must not lose
 * updates: LOCK INC, LOCK ADD, LOCK XADD, LOCK CMPXCHG loops, XCHG (implicitly
 * locked) as a spinlock, LOCK BTS/BTR; also __atomic builtins. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define N 50000
static volatile uint32_t c_inc, c_add, c_xadd, c_cas, c_spin, c_guarded, spin;
static volatile uint16_t c_inc16;
static volatile uint8_t c_add8;
static volatile uint32_t bits[2];
static uint64_t c64;

static void *work(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < N; i++) {
        asm volatile("lock incl %0" : "+m"(c_inc) : : "cc");
        asm volatile("lock addl $3, %0" : "+m"(c_add) : : "cc");
        asm volatile("lock incw %0" : "+m"(c_inc16) : : "cc");
        asm volatile("lock addb $1, %0" : "+m"(c_add8) : : "cc");
        uint32_t one = 1;
        asm volatile("lock xaddl %0, %1" : "+r"(one), "+m"(c_xadd) : : "cc");
        uint32_t old = c_cas, nw;
        do {
            nw = old + 2;
        } while (!__atomic_compare_exchange_n(&c_cas, &old, nw, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
        /* xchg spinlock around a plain increment */
        uint32_t v;
        do {
            v = 1;
            asm volatile("xchgl %0, %1" : "+r"(v), "+m"(spin) : : "memory");
        } while (v);
        c_guarded++;
        asm volatile("movl $0, %0" : "=m"(spin) : : "memory");
        __atomic_fetch_add(&c64, 0x100000001ull, __ATOMIC_SEQ_CST);
        /* each thread flips its own bit with lock bts/btr in a shared word */
        asm volatile("lock btsl %1, %0" : "+m"(bits[0]) : "r"(id) : "cc");
        asm volatile("lock btrl %1, %0" : "+m"(bits[0]) : "r"(id) : "cc");
        asm volatile("lock btsl %1, %0" : "+m"(bits[0]) : "r"(id + 8) : "cc");
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, (void *)(intptr_t)i);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("inc=%u add=%u inc16=%u add8=%u xadd=%u cas=%u guarded=%u c64=%016llx bits=%08x\n", c_inc, c_add,
           c_inc16, c_add8, c_xadd, c_cas, c_guarded, (unsigned long long)c64, bits[0]);
    return 0;
}
