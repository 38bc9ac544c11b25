/* ue-test: variants=s2 p2 timeout=60 */
/* A timer signal during long REP MOVSB / REP STOSD / REPE CMPSB is taken
 * between elements, as the hardware interrupts string instructions: the
 * handler sees EIP at the instruction with ECX part-way down, and the
 * instruction then resumes and completes (results checked). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#define SIZE (32u << 20)

extern char movsb_at[], stosd_at[], cmpsb_at[];
static volatile int ticks, mid_movsb, mid_stosd, mid_cmpsb;

static void on_alarm(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uint32_t eip = uc->uc_mcontext.gregs[REG_EIP], ecx = uc->uc_mcontext.gregs[REG_ECX];
    ticks++;
    if (ecx && eip == (uint32_t)movsb_at) mid_movsb++;
    if (ecx && eip == (uint32_t)stosd_at) mid_stosd++;
    if (ecx && eip == (uint32_t)cmpsb_at) mid_cmpsb++;
}

static __attribute__((noinline)) void copy(void *d, const void *s, uint32_t n)
{
    __asm__ volatile("movsb_at: rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}
static __attribute__((noinline)) void fill(void *d, uint32_t v, uint32_t n)
{
    __asm__ volatile("stosd_at: rep stosl" : "+D"(d), "+c"(n) : "a"(v) : "memory");
}
static __attribute__((noinline)) uint32_t same(const void *a, const void *b, uint32_t n)
{
    __asm__ volatile("cmpsb_at: repe cmpsb" : "+D"(a), "+S"(b), "+c"(n) : : "memory", "cc");
    return n;
}

int main(void)
{
    uint8_t *a = malloc(SIZE), *b = malloc(SIZE);
    if (!a || !b) return 1;
    for (uint32_t k = 0; k < SIZE; k++) a[k] = (uint8_t)(k * 7 + (k >> 12));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 200 }, { 0, 200 } };
    setitimer(ITIMER_REAL, &it, NULL);
    int ok = 1;
    for (int round = 0; round < 40 && !(mid_movsb && mid_stosd && mid_cmpsb); round++) {
        memset(b, 0, SIZE);
        copy(b, a, SIZE);
        ok &= memcmp(a, b, SIZE) == 0;
        ok &= same(a, b, SIZE) == 0;
        fill(b, 0x01020304u + round, SIZE / 4);
        ok &= ((uint32_t *)b)[SIZE / 4 - 1] == 0x01020304u + round && ((uint32_t *)b)[12345] == 0x01020304u + round;
    }
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    printf("results correct: %s\n", ok ? "yes" : "no");
    printf("signals taken: %s\n", ticks ? "yes" : "no");
    printf("interrupted mid-instruction: movsb %s, stosd %s, cmpsb %s\n", mid_movsb ? "yes" : "no",
           mid_stosd ? "yes" : "no", mid_cmpsb ? "yes" : "no");
    return 0;
}
