/* ue-test: variants=s2 d0 */
/* Device ioctls whose i386 structs differ: TUN's TUNSETIFF/TUNGETIFF take
 * the 32-byte compat ifreq (tun_chr_compat_ioctl), TUNGETFEATURES,
 * TUNGETSNDBUF/TUNSETSNDBUF, TUNSETPERSIST's value argument, SIOCGIFFLAGS on
 * the tun fd; TIOCGSERIAL's struct serial_struct (60 bytes on i386) on
 * /dev/ttyS0. Without the devices or the right to use them, what happens is
 * printed. A tun interface made here is not persistent: it goes at close. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/serial.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "include/errno_show.h"

static void tun(void)
{
    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0) { printf("/dev/net/tun: %s\n", strerrorname_np(errno)); return; }
    unsigned feat = 0;
    SHOW("TUNGETFEATURES", ioctl(fd, TUNGETFEATURES, &feat));
    printf("  IFF_TUN %d IFF_NO_PI %d\n", !!(feat & IFF_TUN), !!(feat & IFF_NO_PI));
    SHOW("TUNGETIFF unattached", ioctl(fd, TUNGETIFF, &(struct ifreq){ 0 }));
    SHOW("TUNSETIFF bad pointer", ioctl(fd, TUNSETIFF, (void *)16));
    unsigned char raw[48];
    memset(raw, 0x5a, sizeof raw);
    struct ifreq *ifr = (struct ifreq *)raw;
    memset(ifr, 0, sizeof *ifr);
    strcpy(ifr->ifr_name, "uetst%d");
    ifr->ifr_flags = IFF_TUN | IFF_NO_PI;
    int r = ioctl(fd, TUNSETIFF, ifr);
    printf("TUNSETIFF %d %s name given %d past the ifreq untouched %d\n", r, r ? strerrorname_np(errno) : "",
           !strncmp(ifr->ifr_name, "uetst", 5) && ifr->ifr_name[5] >= '0' && ifr->ifr_name[5] <= '9',
           raw[sizeof *ifr] == 0x5a);
    if (r) { close(fd); return; }
    char name[IFNAMSIZ];
    memcpy(name, ifr->ifr_name, IFNAMSIZ);
    memset(ifr, 0, sizeof *ifr);
    r = ioctl(fd, TUNGETIFF, ifr);
    printf("TUNGETIFF %d same name %d flags %#x\n", r, !strcmp(ifr->ifr_name, name), ifr->ifr_flags);
    int sndbuf = 0;
    SHOW("TUNGETSNDBUF", ioctl(fd, TUNGETSNDBUF, &sndbuf));
    sndbuf = 65536;
    SHOW("TUNSETSNDBUF", ioctl(fd, TUNSETSNDBUF, &sndbuf));
    ioctl(fd, TUNGETSNDBUF, &sndbuf);
    printf("  sndbuf %d\n", sndbuf);
    SHOW("TUNSETPERSIST 0", ioctl(fd, TUNSETPERSIST, 0));
    int hdr = 0;
    SHOW("TUNGETVNETHDRSZ", ioctl(fd, TUNGETVNETHDRSZ, &hdr));
    printf("  %d\n", hdr);
    memset(ifr, 0, sizeof *ifr);
    strcpy(ifr->ifr_name, name);
    r = ioctl(fd, SIOCGIFFLAGS, ifr);
    printf("SIOCGIFFLAGS on the tun fd %d %s\n", r, r ? strerrorname_np(errno) : "");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    memset(ifr, 0, sizeof *ifr);
    strcpy(ifr->ifr_name, name);
    r = ioctl(s, SIOCGIFMTU, ifr);
    printf("SIOCGIFMTU %d mtu %d\n", r, ifr->ifr_mtu);
    close(s);
    close(fd);
}

static void serial(void)
{
    int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) { printf("/dev/ttyS0: %s\n", strerrorname_np(errno)); return; }
    unsigned char raw[128];
    memset(raw, 0x5a, sizeof raw);
    struct serial_struct *ss = (struct serial_struct *)raw;
    int r = ioctl(fd, TIOCGSERIAL, ss);
    printf("TIOCGSERIAL %d %s\n", r, r ? strerrorname_np(errno) : "");
    if (r == 0) {
        printf("  size %zu type %d line %d port %#x irq %d xmit_fifo %d baud_base %d close_delay %d closing_wait %d\n",
               sizeof *ss, ss->type, ss->line, ss->port, ss->irq, ss->xmit_fifo_size, ss->baud_base, ss->close_delay,
               ss->closing_wait);
        printf("  iomem_base %p reg_shift %d port_high %u iomap_base %#lx past the struct untouched %d\n",
               (void *)ss->iomem_base, ss->iomem_reg_shift, ss->port_high, ss->iomap_base, raw[sizeof *ss] == 0x5a);
        SHOW("TIOCSSERIAL the same", ioctl(fd, TIOCSSERIAL, ss));
    }
    SHOW("TIOCGSERIAL bad pointer", ioctl(fd, TIOCGSERIAL, (void *)16));
    SHOW("TIOCSSERIAL bad pointer", ioctl(fd, TIOCSSERIAL, (void *)16));
    int lsr = 0;
    r = ioctl(fd, TIOCSERGETLSR, &lsr);
    printf("TIOCSERGETLSR %d %s\n", r, r ? strerrorname_np(errno) : "");
    int bits = 0;
    r = ioctl(fd, TIOCMGET, &bits);
    printf("TIOCMGET %d %s\n", r, r ? strerrorname_np(errno) : "");
    close(fd);
}

int main(void)
{
    tun();
    serial();
    return 0;
}
