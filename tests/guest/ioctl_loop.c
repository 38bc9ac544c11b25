/* ue-test: variants=s2 d0 */
/* A loop device from an i386 program: LOOP_CTL_GET_FREE, LOOP_CONFIGURE
 * (struct loop_config), LOOP_GET_STATUS64, the old LOOP_GET_STATUS/
 * LOOP_SET_STATUS (compat_loop_info: 16-bit dev_t, 4-byte longs), the block
 * ioctls (BLKGETSIZE's unsigned long is 4 bytes, BLKBSZGET an int, HDIO_GETGEO
 * a compat struct), LOOP_CLR_FD; then LOOP_SET_FD + LOOP_SET_STATUS64. Only
 * outcomes and deterministic fields are printed; without /dev/loop-control
 * or the right to use it, what happens is printed instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/loop.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "include/errno_show.h"

#define IMG "ioctl_loop.img"

static int number;

/* A free loop device, open, and attached to img by LOOP_CONFIGURE (cfg) or
 * LOOP_SET_FD (cfg NULL): another program (the test's other variant) may
 * take the same free device first, so EBUSY means another try. The result
 * of the attach, or -1 without a device; *dev is the open device. */
static int attach(int ctl, int img, struct loop_config *cfg, int *dev)
{
    for (int tries = 0; tries < 20; tries++) {
        int n = ioctl(ctl, LOOP_CTL_GET_FREE);
        if (n < 0) { printf("LOOP_CTL_GET_FREE %s\n", strerrorname_np(errno)); return -1; }
        char path[64];
        snprintf(path, sizeof path, "/dev/loop%d", n);
        number = n;
        *dev = open(path, O_RDWR);
        if (*dev < 0 && (errno == ENOENT || errno == ENXIO)) continue;
        if (*dev < 0) { printf("open loop: %s\n", strerrorname_np(errno)); return -1; }
        int r = cfg ? ioctl(*dev, LOOP_CONFIGURE, cfg) : ioctl(*dev, LOOP_SET_FD, img);
        if (r == 0 || errno != EBUSY) return r;
        close(*dev);
    }
    printf("no free loop device\n");
    return -1;
}

static void status64(int dev, const char *what)
{
    struct loop_info64 i;
    memset(&i, 0x5a, sizeof i);
    int r = ioctl(dev, LOOP_GET_STATUS64, &i);
    if (r) { printf("%s: GET_STATUS64 %s\n", what, strerrorname_np(errno)); return; }
    printf("%s: flags %#x name \"%s\" offset %llu sizelimit %llu\n", what, i.lo_flags, (char *)i.lo_file_name,
           (unsigned long long)i.lo_offset, (unsigned long long)i.lo_sizelimit);
}

static void blk(int dev)
{
    uint32_t words[3] = { 0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a };
    int r = ioctl(dev, BLKGETSIZE, words);
    printf("BLKGETSIZE %d sectors %u next word untouched %d\n", r, words[0], words[1] == 0x5a5a5a5a);
    uint64_t size64 = 0;
    r = ioctl(dev, BLKGETSIZE64, &size64);
    printf("BLKGETSIZE64 %d %llu\n", r, (unsigned long long)size64);
    int v = -1;
    r = ioctl(dev, BLKSSZGET, &v);
    printf("BLKSSZGET %d %d\n", r, v);
    words[1] = 0x5a5a5a5a;
    r = ioctl(dev, BLKBSZGET, words);
    /* the soft block size depends on the device's history: only its shape */
    printf("BLKBSZGET %d power of two >= 512 %d next word untouched %d\n", r,
           words[0] >= 512 && !(words[0] & (words[0] - 1)), words[1] == 0x5a5a5a5a);
    r = ioctl(dev, BLKPBSZGET, &v);
    printf("BLKPBSZGET %d %d\n", r, v);
    r = ioctl(dev, BLKIOMIN, &v);
    printf("BLKIOMIN %d %d\n", r, v);
    r = ioctl(dev, BLKIOOPT, &v);
    printf("BLKIOOPT %d %d\n", r, v);
    r = ioctl(dev, BLKROGET, &v);
    printf("BLKROGET %d %d\n", r, v);
    unsigned short sect = 0;
    r = ioctl(dev, BLKSECTGET, &sect);
    printf("BLKSECTGET %d nonzero %d\n", r, sect != 0);
    SHOW("BLKFLSBUF", ioctl(dev, BLKFLSBUF, 0));
    struct hd_geometry g;
    memset(&g, 0x5a, sizeof g);
    r = ioctl(dev, HDIO_GETGEO, &g);
    printf("HDIO_GETGEO %d %s heads %d sectors %d cylinders %d start %lu\n", r, r ? strerrorname_np(errno) : "",
           g.heads, g.sectors, g.cylinders, g.start);
    SHOW("BLKGETSIZE64 bad pointer", ioctl(dev, BLKGETSIZE64, (void *)16));
    SHOW("BLKGETSIZE bad pointer", ioctl(dev, BLKGETSIZE, (void *)16));
}

int main(void)
{
    int img = open(IMG, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (img < 0 || ftruncate(img, 1 << 20)) { printf("image: %s\n", strerrorname_np(errno)); return 0; }
    int ctl = open("/dev/loop-control", O_RDWR);
    if (ctl < 0) { printf("/dev/loop-control: %s\n", strerrorname_np(errno)); goto out; }
    SHOW("LOOP_GET_STATUS64 on loop-control", ioctl(ctl, LOOP_GET_STATUS64, &(struct loop_info64){ 0 }));

    struct loop_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.fd = img;
    cfg.info.lo_offset = 4096;
    cfg.info.lo_sizelimit = 512 * 1024;
    cfg.info.lo_flags = LO_FLAGS_READ_ONLY;
    strcpy((char *)cfg.info.lo_file_name, "configured-name");
    int dev = -1;
    errno = 0;
    int r = attach(ctl, img, &cfg, &dev);
    printf("LOOP_CONFIGURE %d %s\n", r, r ? strerrorname_np(errno) : "");
    if (r) goto out_dev;
    status64(dev, "configured");
    blk(dev);

    struct loop_info old;
    memset(&old, 0x5a, sizeof old);
    r = ioctl(dev, LOOP_GET_STATUS, &old);
    printf("LOOP_GET_STATUS %d %s flags %#x offset %d name \"%s\" init %lu %lu\n", r, r ? strerrorname_np(errno) : "",
           old.lo_flags, old.lo_offset, old.lo_name, old.lo_init[0], old.lo_init[1]);
    SHOW("LOOP_GET_STATUS NULL", ioctl(dev, LOOP_GET_STATUS, NULL));
    SHOW("LOOP_GET_STATUS bad pointer", ioctl(dev, LOOP_GET_STATUS, (void *)16));
    if (r == 0) {
        old.lo_offset = 8192;
        strcpy(old.lo_name, "renamed-by-old-call");
        SHOW("LOOP_SET_STATUS", ioctl(dev, LOOP_SET_STATUS, &old));
        status64(dev, "after LOOP_SET_STATUS");
    }
    SHOW("LOOP_SET_STATUS bad pointer", ioctl(dev, LOOP_SET_STATUS, (void *)16));
    SHOW("LOOP_SET_CAPACITY", ioctl(dev, LOOP_SET_CAPACITY, 0));
    SHOW("LOOP_SET_BLOCK_SIZE 1024", ioctl(dev, LOOP_SET_BLOCK_SIZE, 1024));
    SHOW("LOOP_SET_BLOCK_SIZE 1000", ioctl(dev, LOOP_SET_BLOCK_SIZE, 1000));
    int ssz = 0;
    ioctl(dev, BLKSSZGET, &ssz);
    printf("BLKSSZGET after 1024: %d\n", ssz);
    SHOW("LOOP_SET_DIRECT_IO 0", ioctl(dev, LOOP_SET_DIRECT_IO, 0));
    SHOW("LOOP_CONFIGURE bound", ioctl(dev, LOOP_CONFIGURE, &cfg));
    SHOW("LOOP_CLR_FD", ioctl(dev, LOOP_CLR_FD, 0));
    SHOW("LOOP_CLR_FD again", ioctl(dev, LOOP_CLR_FD, 0));
    close(dev);   /* with the device open, the detach completes at the last close */

    /* the older way: LOOP_SET_FD then LOOP_SET_STATUS64 */
    r = attach(ctl, img, NULL, &dev);
    printf("LOOP_SET_FD %d %s\n", r, r ? strerrorname_np(errno) : "");
    if (r == 0) {
        struct loop_info64 i;
        memset(&i, 0, sizeof i);
        i.lo_offset = 512;
        i.lo_flags = LO_FLAGS_AUTOCLEAR;
        strcpy((char *)i.lo_file_name, "set-by-status64");
        SHOW("LOOP_SET_STATUS64", ioctl(dev, LOOP_SET_STATUS64, &i));
        status64(dev, "after LOOP_SET_STATUS64");
        uint64_t size64 = 0;
        ioctl(dev, BLKGETSIZE64, &size64);
        printf("BLKGETSIZE64 %llu\n", (unsigned long long)size64);
        SHOW("LOOP_CLR_FD", ioctl(dev, LOOP_CLR_FD, 0));
    }
    /* no device is made or removed here: one that exists, one that does not */
    SHOW("LOOP_CTL_ADD existing", ioctl(ctl, LOOP_CTL_ADD, number));
    SHOW("LOOP_CTL_REMOVE absent", ioctl(ctl, LOOP_CTL_REMOVE, 1 << 20));
out_dev:
    if (dev >= 0) close(dev);
out:
    if (ctl >= 0) close(ctl);
    close(img);
    unlink(IMG);
    return 0;
}
