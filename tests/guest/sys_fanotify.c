/* ue-test: variants=s2 d0 */
/* fanotify: fanotify_init and fanotify_mark (whose 64-bit mask travels in
 * two registers on i386: a high bit must reach the kernel), an event read
 * back through the fd with its metadata, and the errno cases. Without
 * CAP_SYS_ADMIN fanotify_init fails: the test prints that and stops. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "errno_show.h"

static char *hole;

static long mark(int fd, unsigned flags, uint64_t mask, int dfd, const char *path)
{
    return syscall(SYS_fanotify_mark, fd, flags, (uint32_t)mask, (uint32_t)(mask >> 32), dfd, path);
}

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;

    SHOW("fanotify_init bad flags", fanotify_init(0x80000000u, O_RDONLY));
    SHOW("fanotify_init bad event flags", fanotify_init(FAN_CLASS_NOTIF, O_PATH));
    int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
    if (fd < 0) {
        printf("fanotify_init: %s: skipped\n", strerrorname_np(errno));
        return 0;
    }
    printf("fanotify_init: fd\n");
    close(open("file", O_CREAT | O_WRONLY, 0644));
    SHOW("mark open and a high mask bit", mark(fd, FAN_MARK_ADD, FAN_OPEN | 1ull << 40, AT_FDCWD, "file"));
    SHOW("mark bad path", mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, hole));
    SHOW("mark bad flags", mark(fd, 0x80000000u, FAN_OPEN, AT_FDCWD, "file"));
    SHOW("mark not a fanotify fd", mark(0, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "file"));
    SHOW("mark missing file", mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "nothere"));
    SHOW("mark empty mask", mark(fd, FAN_MARK_ADD, 0, AT_FDCWD, "file"));
    SHOW("mark null path (the dirfd)", mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, NULL));
    SHOW("mark remove it", mark(fd, FAN_MARK_REMOVE, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, NULL));
    SHOW("mark open and close-write", mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "file"));
    int f = open("file", O_WRONLY);
    close(f);
    char buf[4096] __attribute__((aligned(8)));
    long n = read(fd, buf, sizeof buf);
    printf("read events: %s\n", n > 0 ? "some" : strerrorname_np(errno));
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct fanotify_event_metadata *m = (void *)p;
        printf("  len %u version %u mask %#llx fd %s pid mine %d\n", m->event_len, m->vers,
               (unsigned long long)m->mask, m->fd >= 0 ? "open" : "none", m->pid == getpid());
        if (m->fd >= 0) close(m->fd);
        if (!m->event_len) break;
        p += m->event_len;
    }
    SHOW("read again", read(fd, buf, sizeof buf));
    SHOW("read a short buffer", read(fd, buf, 4));
    SHOW("mark flush", mark(fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
    close(fd);
    unlink("file");
    return 0;
}
