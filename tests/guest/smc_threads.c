/* ue-test: variants=s2 p2 timeout=120 */
/* Cross-modifying code: threads run a function on a writable code page
 * while two other threads store data on the same page (their write faults
 * race each other's invalidation) and the main thread rewrites the
 * function's immediate. Every write must land (no spurious SIGSEGV from a
 * page left read-only, no livelock) and the runners must see the last
 * value. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define WRITES 20000
#define RUNNERS 3

static uint8_t *page;
static volatile int done;

static void *writer(void *arg)
{
    int base = (int)(intptr_t)arg;
    for (int v = 0; v < WRITES * 100; v++) page[base + (v & 511)] = (uint8_t)v;
    return NULL;
}

static void *runner(void *arg)
{
    uint32_t (*fn)(void) = (uint32_t (*)(void))page;
    unsigned long calls = 0;
    uint32_t last = 0;
    while (!done || last != WRITES) {
        last = fn();
        calls++;
    }
    *(unsigned long *)arg = calls;
    return NULL;
}

int main(void)
{
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static const uint8_t code[] = {0x90, 0x90, 0x90, 0xb8, 0, 0, 0, 0, 0xc3};   /* nops; mov $imm, %eax; ret */
    memcpy(page, code, sizeof code);
    pthread_t t[RUNNERS];
    unsigned long calls[RUNNERS];
    for (int k = 0; k < RUNNERS; k++) pthread_create(&t[k], NULL, runner, &calls[k]);
    pthread_t w[2];
    for (int k = 0; k < 2; k++) pthread_create(&w[k], NULL, writer, (void *)(intptr_t)(1024 + 512 * k));
    for (uint32_t v = 1; v <= WRITES; v++) {
        __atomic_store_n((uint32_t *)(page + 4), v, __ATOMIC_RELEASE);   /* the immediate */
        page[2048 + (v & 1023)] = (uint8_t)v;                            /* data on the code page */
        if (!(v & 255)) sched_yield();
    }
    for (int k = 0; k < 2; k++) pthread_join(w[k], NULL);
    done = 1;
    int ok = 1;
    for (int k = 0; k < RUNNERS; k++) {
        pthread_join(t[k], NULL);
        ok &= calls[k] > 0;
    }
    uint32_t sum = 0;
    for (int k = 1024; k < 4096; k++) sum += page[k];
    printf("runners saw the last value: %s, data sum %u, final %u\n", ok ? "yes" : "no", sum, ((uint32_t (*)(void))page)());
    return 0;
}
