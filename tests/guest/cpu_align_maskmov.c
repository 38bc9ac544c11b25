/* ue-test: variants=s2 p2; cflags=-msse2 */
/* EFLAGS.AC and MASKMOVDQU: which destination offsets raise #AC (SIGBUS)
 * before the masked store; the host decides (AMD checks 8-byte alignment). */
#include <stdio.h>
#include <signal.h>
#include <setjmp.h>
#include <string.h>
static sigjmp_buf jb;
static void h(int s){ siglongjmp(jb, s); }
static char buf[64] __attribute__((aligned(64)));
int main(void){
  signal(SIGBUS, h); signal(SIGSEGV, h);
  for (int off = 0; off < 16; off++) {
    int s = sigsetjmp(jb, 1);
    if (!s) {
      char *p = buf + 16 + off;
      __asm__ volatile(
        "pushf; orl $0x40000, (%%esp); popf\n\t"
        "pcmpeqb %%xmm1, %%xmm1\n\t"
        "maskmovdqu %%xmm1, %%xmm0\n\t"
        "pushf; andl $~0x40000, (%%esp); popf\n\t" :: "D"(p) : "memory", "xmm0", "xmm1");
      printf("off %2d: ok\n", off);
    } else {
      __asm__ volatile("pushf; andl $~0x40000, (%%esp); popf" ::: "memory");
      printf("off %2d: sig %d\n", off, s);
    }
  }
  return 0;
}
