/* ue-test: variants=s2 d0 */
/* unshare, pidfd_open/pidfd_send_signal (no siginfo), kcmp: passed through as natively. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
int main(void){
  printf("unshare files %d\n", unshare(CLONE_FILES));
  printf("unshare bad %d %s\n", unshare(0x1), strerror(errno));
  pid_t p = fork(); if (!p) { pause(); _exit(0); }
  int fd = syscall(SYS_pidfd_open, p, 0);
  printf("pidfd %d\n", fd >= 0);
  printf("send %ld\n", syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
  int st; waitpid(p, &st, 0); printf("child killed by %d\n", WTERMSIG(st));
  printf("kcmp %ld\n", syscall(SYS_kcmp, getpid(), getpid(), 0 /*KCMP_FILE*/, 1, 1));
  return 0; }
