/* ue-test: variants=s2 d0 */
/* Network-interface ioctls on lo through the i386 layouts: struct ifreq is
 * 32 bytes (40 on x86_64), struct ifconf holds a 4-byte pointer to an array
 * of them, ifr_data points to the ethtool request, SIOCGSTAMP writes an old
 * 32-bit timeval. Then what libc builds on them: if_nametoindex,
 * if_indextoname and getaddrinfo/getnameinfo of a scoped "ff02::1%lo".
 * Also FIONREAD/SIOCOUTQ on sockets, bad pointers and a non-socket fd. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "include/errno_show.h"

#define BAD ((void *)16)

static const char *addr(const struct sockaddr *sa)
{
    static char buf[64];
    if (sa->sa_family != AF_INET) { snprintf(buf, sizeof buf, "family %d", sa->sa_family); return buf; }
    return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
}

static int lo_req(int s, unsigned long req, struct ifreq *ifr)
{
    memset(ifr, 0x5a, sizeof *ifr);
    strcpy(ifr->ifr_name, "lo");
    errno = 0;
    return ioctl(s, req, ifr);
}

int main(void)
{
    printf("sizeof(struct ifreq) %zu\n", sizeof(struct ifreq));
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    int r = lo_req(s, SIOCGIFINDEX, &ifr);
    int index = ifr.ifr_ifindex;
    printf("SIOCGIFINDEX lo %d %s, same as if_nametoindex: %d\n", r, r ? strerrorname_np(errno) : "",
           index == (int)if_nametoindex("lo"));
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_ifindex = index;
    r = ioctl(s, SIOCGIFNAME, &ifr);
    printf("SIOCGIFNAME %d \"%s\"\n", r, ifr.ifr_name);
    r = lo_req(s, SIOCGIFFLAGS, &ifr);
    printf("SIOCGIFFLAGS %d up %d loopback %d running %d\n", r, !!(ifr.ifr_flags & IFF_UP),
           !!(ifr.ifr_flags & IFF_LOOPBACK), !!(ifr.ifr_flags & IFF_RUNNING));
    r = lo_req(s, SIOCGIFMTU, &ifr);
    printf("SIOCGIFMTU %d %d\n", r, ifr.ifr_mtu);
    r = lo_req(s, SIOCGIFADDR, &ifr);
    printf("SIOCGIFADDR %d %s\n", r, addr(&ifr.ifr_addr));
    r = lo_req(s, SIOCGIFNETMASK, &ifr);
    printf("SIOCGIFNETMASK %d %s\n", r, addr(&ifr.ifr_netmask));
    r = lo_req(s, SIOCGIFBRDADDR, &ifr);
    printf("SIOCGIFBRDADDR %d %s %s\n", r, r ? strerrorname_np(errno) : "", r ? "" : addr(&ifr.ifr_broadaddr));
    r = lo_req(s, SIOCGIFHWADDR, &ifr);
    printf("SIOCGIFHWADDR %d family %d (ARPHRD_LOOPBACK %d) byte0 %d\n", r, ifr.ifr_hwaddr.sa_family,
           ARPHRD_LOOPBACK, ifr.ifr_hwaddr.sa_data[0]);
    r = lo_req(s, SIOCGIFTXQLEN, &ifr);
    printf("SIOCGIFTXQLEN %d %d\n", r, ifr.ifr_qlen);
    r = lo_req(s, SIOCGIFMAP, &ifr);
    printf("SIOCGIFMAP %d start %#lx end %#lx base %d\n", r, ifr.ifr_map.mem_start, ifr.ifr_map.mem_end,
           ifr.ifr_map.base_addr);
    r = lo_req(s, SIOCGIFMETRIC, &ifr);
    printf("SIOCGIFMETRIC %d %d\n", r, ifr.ifr_metric);
    struct ethtool_value ev = { ETHTOOL_GLINK, 77 };
    lo_req(s, SIOCETHTOOL, &ifr);
    ifr.ifr_data = (char *)&ev;
    r = ioctl(s, SIOCETHTOOL, &ifr);
    printf("SIOCETHTOOL GLINK %d %s link %u, ifr_data kept %d\n", r, r ? strerrorname_np(errno) : "", ev.data,
           ifr.ifr_data == (char *)&ev);
    ifr.ifr_data = BAD;
    r = ioctl(s, SIOCETHTOOL, &ifr);
    printf("SIOCETHTOOL bad ifr_data %d %s\n", r, r ? strerrorname_np(errno) : "");
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "nosuchif0");
    SHOW("SIOCGIFINDEX nosuchif0", ioctl(s, SIOCGIFINDEX, &ifr));
    SHOW("SIOCGIFINDEX bad pointer", ioctl(s, SIOCGIFINDEX, BAD));
    SHOW("SIOCGIFINDEX on stdin (not a socket)", ioctl(0, SIOCGIFINDEX, &ifr));
    SHOW("SIOCGIFINDEX bad pointer, not a socket", ioctl(0, SIOCGIFINDEX, BAD));
    SHOW("SIOCGIFINDEX bad fd", ioctl(99, SIOCGIFINDEX, &ifr));
    lo_req(s, SIOCGIFMTU, &ifr);
    SHOW("SIOCSIFMTU lo, same mtu", ioctl(s, SIOCSIFMTU, &ifr));

    /* SIOCGIFCONF: the count, then a buffer with room for one and a half */
    struct ifconf ifc = { .ifc_len = 12345, .ifc_buf = NULL };
    r = ioctl(s, SIOCGIFCONF, &ifc);
    printf("SIOCGIFCONF NULL %d len%%32 %d nonzero %d\n", r, ifc.ifc_len % 32, ifc.ifc_len > 0);
    int total = ifc.ifc_len;
    struct ifreq reqs[64];
    memset(reqs, 0x5a, sizeof reqs);
    ifc.ifc_len = sizeof reqs[0] + 10;
    ifc.ifc_req = reqs;
    r = ioctl(s, SIOCGIFCONF, &ifc);
    printf("SIOCGIFCONF room 1.3: %d len %d; untouched after: %d\n", r, ifc.ifc_len,
           ((unsigned char *)&reqs[1])[0] == 0x5a);
    ifc.ifc_len = sizeof reqs;
    ifc.ifc_req = reqs;
    r = ioctl(s, SIOCGIFCONF, &ifc);
    int found = 0;
    for (int k = 0; r == 0 && k < ifc.ifc_len / (int)sizeof reqs[0]; k++)
        if (!strcmp(reqs[k].ifr_name, "lo")) found = printf("  lo %s\n", addr(&reqs[k].ifr_addr));
    printf("SIOCGIFCONF all %d same len %d lo found %d\n", r, ifc.ifc_len == total, found > 0);
    ifc.ifc_len = sizeof reqs;
    ifc.ifc_req = BAD;
    SHOW("SIOCGIFCONF bad buffer", ioctl(s, SIOCGIFCONF, &ifc));
    SHOW("SIOCGIFCONF bad pointer", ioctl(s, SIOCGIFCONF, BAD));
    ifc.ifc_len = -5;
    ifc.ifc_req = reqs;
    r = ioctl(s, SIOCGIFCONF, &ifc);
    printf("SIOCGIFCONF negative len %d len %d\n", r, ifc.ifc_len);
    SHOW("SIOCGIFCONF not a socket", ioctl(0, SIOCGIFCONF, &ifc));

    /* routes (struct rtentry with a 4-byte rt_dev pointer; in6_rtmsg with a
     * 4-byte long): deleting ones that do not exist in the documentation ranges */
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst, *mask = (struct sockaddr_in *)&rt.rt_genmask;
    dst->sin_family = mask->sin_family = AF_INET;
    inet_pton(AF_INET, "203.0.113.0", &dst->sin_addr);
    inet_pton(AF_INET, "255.255.255.0", &mask->sin_addr);
    rt.rt_flags = RTF_UP;
    SHOW("SIOCDELRT absent route", ioctl(s, SIOCDELRT, &rt));
    rt.rt_dev = "nosuchif0";
    SHOW("SIOCDELRT absent device", ioctl(s, SIOCDELRT, &rt));
    rt.rt_dev = "lo";
    SHOW("SIOCDELRT absent route on lo", ioctl(s, SIOCDELRT, &rt));
    rt.rt_dev = BAD;
    SHOW("SIOCDELRT bad rt_dev", ioctl(s, SIOCDELRT, &rt));
    SHOW("SIOCDELRT bad pointer", ioctl(s, SIOCDELRT, BAD));
    SHOW("SIOCDELRT not a socket", ioctl(0, SIOCDELRT, &rt));
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct in6_rtmsg r6;
    memset(&r6, 0, sizeof r6);
    inet_pton(AF_INET6, "2001:db8::", &r6.rtmsg_dst);
    r6.rtmsg_dst_len = 32;
    r6.rtmsg_flags = RTF_UP;
    r6.rtmsg_ifindex = index;
    printf("sizeof(struct in6_rtmsg) %zu\n", sizeof r6);
    SHOW("SIOCDELRT ipv6 absent route", ioctl(s6, SIOCDELRT, &r6));
    r6.rtmsg_ifindex = 99999;
    SHOW("SIOCDELRT ipv6 absent device", ioctl(s6, SIOCDELRT, &r6));
    close(s6);
    int ns = ioctl(s, SIOCGSKNS, 0);
    printf("SIOCGSKNS: %s", ns >= 0 ? "fd" : strerrorname_np(errno));
    if (ns >= 0) { printf(" type %#x", ioctl(ns, 0xb703)); close(ns); }
    printf("\n");

    /* libc on top of them */
    char name[IF_NAMESIZE];
    printf("if_nametoindex(lo) == SIOCGIFINDEX: %d\n", (int)if_nametoindex("lo") == index);
    printf("if_indextoname: %s\n", if_indextoname(index, name));
    printf("if_nametoindex(nosuchif0) %u\n", if_nametoindex("nosuchif0"));
    struct if_nameindex *ni = if_nameindex();
    int lo_listed = 0;
    for (struct if_nameindex *p = ni; p && p->if_index; p++) lo_listed |= !strcmp(p->if_name, "lo");
    printf("if_nameindex lists lo: %d\n", lo_listed);
    if_freenameindex(ni);
    struct addrinfo hints = { .ai_family = AF_INET6, .ai_flags = AI_NUMERICHOST }, *ai;
    r = getaddrinfo("ff02::1%lo", NULL, &hints, &ai);
    printf("getaddrinfo ff02::1%%lo %d %s\n", r, r ? gai_strerror(r) : "");
    if (!r) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
        char host[NI_MAXHOST];
        printf("  scope is lo's index: %d\n", sin6->sin6_scope_id == (uint32_t)index);
        r = getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
        printf("  getnameinfo %d %s\n", r, host);
        freeaddrinfo(ai);
    }

    /* sockets' own ioctls */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "hello", 5);
    int n = -1;
    SHOW("SIOCINQ unix", ioctl(sv[1], SIOCINQ, &n));
    printf("  %d\n", n);
    SHOW("SIOCOUTQ unix", ioctl(sv[0], SIOCOUTQ, &n));
    SHOW("SIOCATMARK unix", ioctl(sv[1], SIOCATMARK, &n));
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sin;
    bind(s, (struct sockaddr *)&sin, sizeof sin);
    getsockname(s, (struct sockaddr *)&sin, &sl);
    struct timeval tv;
    SHOW("SIOCGSTAMP before a packet", ioctl(s, SIOCGSTAMP, &tv));
    sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof sin);
    char c;
    recv(s, &c, 1, 0);
    int stamp[4] = { -1, -1, -1, -1 };
    r = ioctl(s, 0x8906, stamp);   /* SIOCGSTAMP_OLD: two 32-bit words */
    printf("SIOCGSTAMP %d sec>0 %d usec ok %d untouched after %d\n", r, stamp[0] > 0,
           stamp[1] >= 0 && stamp[1] < 1000000, stamp[2] == -1);
    r = ioctl(s, 0x8907, stamp);   /* SIOCGSTAMPNS_OLD */
    printf("SIOCGSTAMPNS %d sec>0 %d nsec ok %d untouched after %d\n", r, stamp[0] > 0,
           stamp[1] >= 0 && stamp[1] < 1000000000, stamp[2] == -1);
    SHOW("SIOCGSTAMP bad pointer", ioctl(s, 0x8906, BAD));
    SHOW("SIOCGSTAMP on a pipe", ioctl(0, 0x8906, stamp));
    close(sv[0]);
    close(sv[1]);
    close(s);
    return 0;
}
