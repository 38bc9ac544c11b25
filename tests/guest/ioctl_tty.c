/* ue-test: variants=s2 d0 */
/* Terminal ioctls on a pseudo-terminal pair (posix_openpt): TIOCGPTN,
 * TIOCSPTLCK/TIOCGPTLCK, TIOCGPTPEER, TCGETS/TCSETS* and TCGETS2, TCGETA,
 * TIOCGWINSZ/TIOCSWINSZ, FIONREAD and TIOCOUTQ, TCFLSH, TCXONC, TCSBRK,
 * TIOCEXCL/TIOCNXCL/TIOCGEXCL, TIOCGETD/TIOCSETD, TIOCPKT/TIOCGPKT,
 * TIOCGLCKTRMIOS, TIOCSCTTY/TIOCGSID/TIOCGPGRP/TIOCNOTTY in a new session,
 * TIOCMGET/TIOCGSERIAL (not for ptys), TIOCGDEV, bad pointers. */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "include/errno_show.h"

#define BAD ((void *)16)
#define IO(what, fd, req, arg) SHOW(what, ioctl(fd, req, arg))

static void session_checks(const char *slave)
{
    /* a child in its own session makes the pty its controlling terminal */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGHUP, SIG_IGN);   /* TIOCNOTTY by a session leader hangs up its group */
        setsid();
        int fd = open(slave, O_RDWR | O_NOCTTY);
        int v = -1;
        IO("child TIOCGSID before", fd, TIOCGSID, &v);
        IO("child TIOCSCTTY", fd, TIOCSCTTY, 0);
        IO("child TIOCGSID", fd, TIOCGSID, &v);
        printf("  sid is own pid %d\n", v == getpid());
        IO("child TIOCGPGRP", fd, TIOCGPGRP, &v);
        printf("  pgrp is own pid %d\n", v == getpid());
        v = getpid();
        IO("child TIOCSPGRP own", fd, TIOCSPGRP, &v);
        v = 999999;
        IO("child TIOCSPGRP bad pgrp", fd, TIOCSPGRP, &v);
        IO("child TIOCSPGRP bad pointer", fd, TIOCSPGRP, BAD);
        IO("child TIOCNOTTY", fd, TIOCNOTTY, 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) { printf("posix_openpt: %s\n", strerrorname_np(errno)); return 0; }
    int n = -1, v;
    IO("TIOCGPTN", m, TIOCGPTN, &n);
    IO("TIOCGPTN bad pointer", m, TIOCGPTN, BAD);
    IO("TIOCGPTLCK", m, TIOCGPTLCK, &v);
    printf("  locked %d\n", v);
    int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    printf("TIOCGPTPEER while locked: %s\n", s >= 0 ? "fd" : strerrorname_np(errno));
    v = 0;
    IO("TIOCSPTLCK 0", m, TIOCSPTLCK, &v);
    IO("TIOCGPTLCK", m, TIOCGPTLCK, &v);
    printf("  locked %d\n", v);
    s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    printf("TIOCGPTPEER: %s\n", s >= 0 ? "fd" : strerrorname_np(errno));
    if (s < 0) return 0;
    char slave[64];
    snprintf(slave, sizeof slave, "/dev/pts/%d", n);

    struct termios t;
    memset(&t, 0, sizeof t);
    IO("TCGETS", s, TCGETS, &t);
    printf("  iflag %#o oflag %#o cflag %#o lflag %#o line %d VMIN %d VTIME %d VINTR %d\n", t.c_iflag, t.c_oflag,
           t.c_cflag, t.c_lflag, t.c_line, t.c_cc[VMIN], t.c_cc[VTIME], t.c_cc[VINTR]);
    t.c_lflag &= ~(ECHO | ICANON);
    t.c_cc[VMIN] = 3;
    IO("TCSETS", s, TCSETS, &t);
    IO("TCSETSW", s, TCSETSW, &t);
    IO("TCSETSF", s, TCSETSF, &t);
    memset(&t, 0, sizeof t);
    ioctl(s, TCGETS, &t);
    printf("  lflag %#o VMIN %d\n", t.c_lflag, t.c_cc[VMIN]);
    IO("TCGETS bad pointer", s, TCGETS, BAD);
    IO("TCSETS bad pointer", s, TCSETS, BAD);
    struct termios2 t2;
    memset(&t2, 0, sizeof t2);
    IO("TCGETS2", s, TCGETS2, &t2);
    printf("  lflag %#o ispeed %u ospeed %u\n", t2.c_lflag, t2.c_ispeed, t2.c_ospeed);
    IO("TCSETS2", s, TCSETS2, &t2);
    struct termio to;
    memset(&to, 0, sizeof to);
    IO("TCGETA", s, TCGETA, &to);
    printf("  lflag %#o\n", to.c_lflag);
    IO("TIOCGLCKTRMIOS", s, TIOCGLCKTRMIOS, &t);

    struct winsize ws = { 24, 80, 0, 0 };
    IO("TIOCSWINSZ", m, TIOCSWINSZ, &ws);
    memset(&ws, 0, sizeof ws);
    IO("TIOCGWINSZ", s, TIOCGWINSZ, &ws);
    printf("  %d x %d\n", ws.ws_row, ws.ws_col);
    IO("TIOCGWINSZ bad pointer", s, TIOCGWINSZ, BAD);

    write(m, "abcdef", 6);
    /* the pty moves the bytes to the slave side later, from a work queue:
     * wait for them (up to 5 s), then show what FIONREAD said */
    long r = -1;
    for (int k = 0; k < 5000; k++) {
        n = -1;
        errno = 0;
        r = ioctl(s, FIONREAD, &n);
        if (r < 0 || n >= 6) break;
        usleep(1000);
    }
    printf("FIONREAD slave: %ld %s\n  %d\n", r, r < 0 ? strerrorname_np(errno) : "", n);
    IO("TIOCOUTQ master", m, TIOCOUTQ, &n);
    IO("TCFLSH TCIFLUSH", s, TCFLSH, TCIFLUSH);
    ioctl(s, FIONREAD, &n);
    printf("  FIONREAD after flush %d\n", n);
    IO("TCFLSH bad", s, TCFLSH, 7);
    IO("TCXONC TCOOFF", s, TCXONC, TCOOFF);
    IO("TCXONC TCOON", s, TCXONC, TCOON);
    IO("TCSBRK 1", s, TCSBRK, 1);
    IO("TCSBRKP 0", s, TCSBRKP, 0);

    IO("TIOCEXCL", s, TIOCEXCL, 0);
    IO("TIOCGEXCL", s, TIOCGEXCL, &v);
    printf("  %d\n", v);
    IO("TIOCNXCL", s, TIOCNXCL, 0);
    IO("TIOCGEXCL", s, TIOCGEXCL, &v);
    printf("  %d\n", v);
    IO("TIOCGETD", s, TIOCGETD, &v);
    printf("  ldisc %d\n", v);
    v = 0;
    IO("TIOCSETD N_TTY", s, TIOCSETD, &v);
    v = 1;
    IO("TIOCPKT on", m, TIOCPKT, &v);
    IO("TIOCGPKT", m, TIOCGPKT, &v);
    printf("  %d\n", v);
    IO("TIOCGSID not controlling", s, TIOCGSID, &v);
    IO("TIOCGPGRP not controlling", s, TIOCGPGRP, &v);
    IO("TIOCMGET pty", s, TIOCMGET, &v);
    char serial[128];
    IO("TIOCGSERIAL pty", s, TIOCGSERIAL, serial);
    unsigned dev = 0;
    IO("TIOCGDEV", s, TIOCGDEV, &dev);
    IO("TIOCSTI", s, TIOCSTI, "x");
    IO("TIOCSTI bad pointer", s, TIOCSTI, BAD);
    IO("KDGKBMODE pty", s, 0x4B44, &v);
    IO("VT_GETSTATE pty", s, 0x5603, serial);
    IO("TCGETS pipe", 0, TCGETS, &t);
    session_checks(slave);
    close(s);
    close(m);
    return 0;
}
