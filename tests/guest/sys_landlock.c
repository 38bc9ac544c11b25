/* ue-test: variants=s2 d0 */
/* Landlock: the ABI version query, rulesets with size-versioned attrs (short,
 * long with a zero or non-zero tail, bad pointers), path-beneath and
 * net-port rules, and landlock_restrict_self in a child, whose opens are
 * then judged by the ruleset. Results with errno names. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errno_show.h"

#define NR_create 444
#define NR_add_rule 445
#define NR_restrict 446
#define VERSION_FLAG 1
#define READ_FILE (1ull << 2)
#define WRITE_FILE (1ull << 1)
#define RULE_PATH_BENEATH 1
#define RULE_NET_PORT 2
#define BIND_TCP 1ull

struct ruleset_attr { uint64_t fs, net, scoped; };
struct path_beneath { uint64_t allowed; int32_t parent_fd; } __attribute__((packed));
struct net_port { uint64_t allowed, port; };

static char *hole;

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;

    long v = syscall(NR_create, NULL, 0, VERSION_FLAG);
    printf("landlock ABI version: %s\n", v >= 1 ? "at least 1" : strerrorname_np(errno));
    if (v < 1) return 0;
    SHOW("version query with an attr", syscall(NR_create, hole, 0, VERSION_FLAG));
    SHOW("version query with a size", syscall(NR_create, NULL, 8, VERSION_FLAG));
    struct ruleset_attr a = { READ_FILE | WRITE_FILE, 0, 0 };
    SHOW("create: size 4", syscall(NR_create, &a, 4, 0));
    SHOW("create: bad pointer", syscall(NR_create, hole, 8, 0));
    SHOW("create: bad flags", syscall(NR_create, &a, 8, 0x100));
    SHOW("create: nothing handled", syscall(NR_create, &(struct ruleset_attr){ 0 }, 8, 0));
    SHOW("create: unknown access bit", syscall(NR_create, &(struct ruleset_attr){ 1ull << 60 }, 8, 0));
    char big[64];
    memset(big, 0, sizeof big);
    memcpy(big, &a, 8);
    int r = syscall(NR_create, big, sizeof big, 0);
    printf("create: 64 bytes, zero tail: %s\n", r >= 0 ? "fd" : strerrorname_np(errno));
    if (r >= 0) close(r);
    big[40] = 1;
    SHOW("create: 64 bytes, non-zero tail", syscall(NR_create, big, sizeof big, 0));
    SHOW("create: 64 bytes up to a hole", syscall(NR_create, hole - 32, 64, 0));
    int rs = syscall(NR_create, &a, 8, 0);
    printf("create: fs rights: %s\n", rs >= 0 ? "fd" : strerrorname_np(errno));

    int dir = open(".", O_PATH | O_DIRECTORY);
    struct path_beneath pb = { READ_FILE, dir };
    SHOW("add_rule path beneath", syscall(NR_add_rule, rs, RULE_PATH_BENEATH, &pb, 0));
    SHOW("add_rule bad attr", syscall(NR_add_rule, rs, RULE_PATH_BENEATH, hole, 0));
    SHOW("add_rule bad type", syscall(NR_add_rule, rs, 9, &pb, 0));
    SHOW("add_rule bad flags", syscall(NR_add_rule, rs, RULE_PATH_BENEATH, &pb, 1));
    SHOW("add_rule not a ruleset", syscall(NR_add_rule, dir, RULE_PATH_BENEATH, &pb, 0));
    struct path_beneath bad = { 1ull << 40, dir };
    SHOW("add_rule unhandled right", syscall(NR_add_rule, rs, RULE_PATH_BENEATH, &bad, 0));
    struct net_port np = { BIND_TCP, 8080 };
    SHOW("add_rule net port, net not handled", syscall(NR_add_rule, rs, RULE_NET_PORT, &np, 0));
    struct ruleset_attr an = { READ_FILE, BIND_TCP, 0 };
    int rn = syscall(NR_create, &an, 16, 0);
    printf("create: fs and net rights: %s\n", rn >= 0 ? "fd" : strerrorname_np(errno));
    if (rn >= 0) {
        SHOW("add_rule net port", syscall(NR_add_rule, rn, RULE_NET_PORT, &np, 0));
        np.port = 70000;
        SHOW("add_rule net port 70000", syscall(NR_add_rule, rn, RULE_NET_PORT, &np, 0));
        close(rn);
    }
    SHOW("restrict_self bad flags", syscall(NR_restrict, rs, 0x100));
    SHOW("restrict_self not a ruleset", syscall(NR_restrict, dir, 0));

    int fd = open("inside", O_CREAT | O_WRONLY, 0644);
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        SHOW("restrict_self", syscall(NR_restrict, rs, 0));
        fd = open("inside", O_RDONLY);
        SHOW("open inside for reading", fd);
        SHOW("open inside for writing", open("inside", O_WRONLY));
        SHOW("open .. for reading", open("..", O_RDONLY | O_DIRECTORY) >= 0 ? 0 : -1);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    unlink("inside");
    close(rs);
    close(dir);
    return 0;
}
