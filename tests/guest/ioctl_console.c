/* ue-test: variants=s2 d0 */
/* Console ioctls on /dev/tty0 whose i386 structs hold a pointer: GIO_UNIMAP
 * (struct unimapdesc: the count, then the entries), KDFONTOP's
 * KD_FONT_OP_GET (struct console_font_op); and KDGETMODE, KDGKBTYPE,
 * VT_GETSTATE, KDGKBMODE. Nothing is changed. Without /dev/tty0 (or on a
 * console that has no font), what happens is printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "include/errno_show.h"

int main(void)
{
    int fd = open("/dev/tty0", O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) { printf("/dev/tty0: %s\n", strerrorname_np(errno)); return 0; }
    int mode = -1;
    SHOW("KDGETMODE", ioctl(fd, KDGETMODE, &mode));
    printf("  %d\n", mode);
    char type = 0;
    SHOW("KDGKBTYPE", ioctl(fd, KDGKBTYPE, &type));
    printf("  %d\n", type);
    SHOW("KDGKBMODE", ioctl(fd, KDGKBMODE, &mode));
    struct vt_stat st;
    SHOW("VT_GETSTATE", ioctl(fd, VT_GETSTATE, &st));

    struct unimapdesc ud = { 0, NULL };
    SHOW("GIO_UNIMAP count", ioctl(fd, GIO_UNIMAP, &ud));
    unsigned count = ud.entry_ct;
    printf("  entries > 0: %d\n", count > 0);
    struct unipair *pairs = calloc(count + 2, sizeof *pairs);
    unsigned char raw[16];
    memset(raw, 0x5a, sizeof raw);
    struct unimapdesc *u = (struct unimapdesc *)raw;
    u->entry_ct = count + 2;
    u->entries = pairs;
    SHOW("GIO_UNIMAP all", ioctl(fd, GIO_UNIMAP, u));
    printf("  count same %d entries kept %d past the struct untouched %d\n", u->entry_ct == count,
           u->entries == pairs, raw[sizeof *u] == 0x5a);
    unsigned long sum = 0;
    for (unsigned k = 0; k < count; k++) sum = sum * 31 + pairs[k].unicode * 7 + pairs[k].fontpos;
    printf("  checksum %lu\n", sum);
    ud.entry_ct = 2;
    ud.entries = (struct unipair *)16;
    SHOW("GIO_UNIMAP bad entries", ioctl(fd, GIO_UNIMAP, &ud));
    SHOW("GIO_UNIMAP bad pointer", ioctl(fd, GIO_UNIMAP, (void *)16));
    free(pairs);

    static unsigned char font[64 * 1024];
    struct console_font_op op = { KD_FONT_OP_GET, 0, 32, 32, 512, font };
    int r = ioctl(fd, KDFONTOP, &op);
    printf("KDFONTOP GET %d %s", r, r ? strerrorname_np(errno) : "");
    if (r == 0) printf(" width %u height %u charcount %u data kept %d", op.width, op.height, op.charcount, op.data == font);
    printf("\n");
    SHOW("KDFONTOP bad pointer", ioctl(fd, KDFONTOP, (void *)16));
    SHOW("GIO_UNIMAP on a pipe", ioctl(0, GIO_UNIMAP, &ud));
    close(fd);
    return 0;
}
