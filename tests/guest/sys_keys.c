/* ue-test: variants=s2 d0 */
/* The key management calls: add_key of a "user" key to the process and
 * thread keyrings, keyctl read/describe/update/search/revoke/unlink,
 * request_key failing, the commands with structs or iovecs (INSTANTIATE_IOV,
 * DH_COMPUTE, PKEY_QUERY) with good and bad pointers, unknown commands.
 * Only deterministic results are printed (ids as "id" or compared). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "errno_show.h"

#define KEY_SPEC_THREAD_KEYRING -1
#define KEY_SPEC_PROCESS_KEYRING -2
enum {
    GET_KEYRING_ID = 0, UPDATE = 2, REVOKE = 3, SETPERM = 5, DESCRIBE = 6, CLEAR = 7, LINK = 8,
    UNLINK = 9, SEARCH = 10, READ = 11, INSTANTIATE = 12, NEGATE = 13, SET_TIMEOUT = 15,
    GET_SECURITY = 17, INSTANTIATE_IOV = 20, INVALIDATE = 21, DH_COMPUTE = 23, PKEY_QUERY = 24,
    PKEY_ENCRYPT = 25, RESTRICT = 29, CAPABILITIES = 31,
};

static char *hole;

static long add_key(const char *type, const char *desc, const void *p, size_t n, long ring)
{
    return syscall(SYS_add_key, type, desc, p, n, ring);
}

static long keyctl(long cmd, long a, long b, long c, long d) { return syscall(SYS_keyctl, cmd, a, b, c, d); }

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;

    long id = add_key("user", "ue:test", "payload", 7, KEY_SPEC_PROCESS_KEYRING);
    printf("add_key user to the process keyring: %s\n", id > 0 ? "id" : strerrorname_np(errno));
    if (id < 0) return 0;
    SHOW("add_key unknown type", add_key("nosuchtype_ue", "d", "p", 1, KEY_SPEC_PROCESS_KEYRING));
    SHOW("add_key bad type", add_key(hole, "d", "p", 1, KEY_SPEC_PROCESS_KEYRING));
    SHOW("add_key bad description", add_key("user", hole, "p", 1, KEY_SPEC_PROCESS_KEYRING));
    SHOW("add_key bad payload", add_key("user", "d", hole, 1, KEY_SPEC_PROCESS_KEYRING));
    SHOW("add_key empty description", add_key("user", "", "p", 1, KEY_SPEC_PROCESS_KEYRING));
    SHOW("add_key bad keyring", add_key("user", "d", "p", 1, 12345678));
    SHOW("add_key payload 2 MiB", add_key("user", "d", "p", 2 << 20, KEY_SPEC_PROCESS_KEYRING));

    char buf[256];
    memset(buf, 0, sizeof buf);
    SHOW("keyctl read", keyctl(READ, id, (long)buf, sizeof buf, 0));
    printf("  %s\n", buf);
    SHOW("keyctl read short buffer", keyctl(READ, id, (long)buf, 3, 0));
    SHOW("keyctl read bad buffer", keyctl(READ, id, (long)hole, 16, 0));
    SHOW("keyctl read null buffer", keyctl(READ, id, 0, 0, 0));
    memset(buf, 0, sizeof buf);
    long n = keyctl(DESCRIBE, id, (long)buf, sizeof buf, 0);
    const char *desc = strrchr(buf, ';');
    printf("keyctl describe: %s %s\n", n > 0 ? "ok" : strerrorname_np(errno), desc ? desc : "");
    SHOW("keyctl describe bad buffer", keyctl(DESCRIBE, id, (long)hole, sizeof buf, 0));
    SHOW("keyctl update", keyctl(UPDATE, id, (long)"newer payload", 13, 0));
    SHOW("keyctl update bad payload", keyctl(UPDATE, id, (long)hole, 13, 0));
    memset(buf, 0, sizeof buf);
    SHOW("keyctl read", keyctl(READ, id, (long)buf, sizeof buf, 0));
    printf("  %s\n", buf);
    long found = keyctl(SEARCH, KEY_SPEC_PROCESS_KEYRING, (long)"user", (long)"ue:test", 0);
    printf("keyctl search finds it: %d\n", found == id);
    SHOW("keyctl search missing", keyctl(SEARCH, KEY_SPEC_PROCESS_KEYRING, (long)"user", (long)"ue:none", 0));
    SHOW("keyctl search bad type", keyctl(SEARCH, KEY_SPEC_PROCESS_KEYRING, (long)hole, (long)"ue:test", 0));
    SHOW("keyctl search bad description", keyctl(SEARCH, KEY_SPEC_PROCESS_KEYRING, (long)"user", (long)hole, 0));
    SHOW("keyctl set timeout", keyctl(SET_TIMEOUT, id, 1000, 0, 0));
    SHOW("keyctl setperm", keyctl(SETPERM, id, 0x3f3f0000, 0, 0));
    SHOW("keyctl get security bad buffer", keyctl(GET_SECURITY, id, (long)hole, 64, 0));

    long tid = keyctl(GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1, 0, 0);
    printf("thread keyring: %s\n", tid > 0 ? "id" : strerrorname_np(errno));
    SHOW("keyctl link to the thread keyring", keyctl(LINK, id, KEY_SPEC_THREAD_KEYRING, 0, 0));
    SHOW("keyctl unlink from the thread keyring", keyctl(UNLINK, id, KEY_SPEC_THREAD_KEYRING, 0, 0));
    SHOW("keyctl unlink again", keyctl(UNLINK, id, KEY_SPEC_THREAD_KEYRING, 0, 0));

    /* request_key: no key, no upcall without callout info */
    SHOW("request_key missing", syscall(SYS_request_key, "user", "ue:nosuch", NULL, 0));
    SHOW("request_key bad type", syscall(SYS_request_key, hole, "ue:nosuch", NULL, 0));
    SHOW("request_key bad description", syscall(SYS_request_key, "user", hole, NULL, 0));
    SHOW("request_key bad callout", syscall(SYS_request_key, "user", "ue:nosuch", hole, 0));

    /* the struct and iovec commands */
    struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
    SHOW("keyctl instantiate_iov without authority", keyctl(INSTANTIATE_IOV, id, (long)iov, 2, 0));
    SHOW("keyctl instantiate_iov bad iovec", keyctl(INSTANTIATE_IOV, id, (long)hole, 2, 0));
    SHOW("keyctl instantiate_iov 2000 iovecs", keyctl(INSTANTIATE_IOV, id, (long)iov, 2000, 0));
    SHOW("keyctl instantiate without authority", keyctl(INSTANTIATE, id, (long)"x", 1, 0));
    SHOW("keyctl negate without authority", keyctl(NEGATE, id, 10, 0, 0));
    int32_t dh[3] = { (int32_t)id, (int32_t)id, (int32_t)id };
    SHOW("keyctl dh_compute on user keys", keyctl(DH_COMPUTE, (long)dh, (long)buf, sizeof buf, 0));
    SHOW("keyctl dh_compute bad params", keyctl(DH_COMPUTE, (long)hole, (long)buf, sizeof buf, 0));
    SHOW("keyctl dh_compute bad kdf", keyctl(DH_COMPUTE, (long)dh, (long)buf, sizeof buf, (long)hole));
    struct { char *hash, *other; uint32_t len, spare[8]; } kdf = { "sha256", NULL, 0, { 0 } };
    SHOW("keyctl dh_compute with kdf", keyctl(DH_COMPUTE, (long)dh, (long)buf, sizeof buf, (long)&kdf));
    kdf.spare[3] = 1;
    SHOW("keyctl dh_compute kdf spare set", keyctl(DH_COMPUTE, (long)dh, (long)buf, sizeof buf, (long)&kdf));
    char q[56];
    SHOW("keyctl pkey_query on a user key", keyctl(PKEY_QUERY, id, 0, (long)"", (long)q));
    SHOW("keyctl pkey_query bad info", keyctl(PKEY_QUERY, id, 0, (long)hole, (long)q));
    uint32_t pp[10] = { (uint32_t)id, 4, 16 };
    SHOW("keyctl pkey_encrypt on a user key", keyctl(PKEY_ENCRYPT, (long)pp, (long)"enc=pkcs1", (long)"abcd", (long)buf));
    SHOW("keyctl pkey_encrypt bad params", keyctl(PKEY_ENCRYPT, (long)hole, (long)"enc=pkcs1", (long)"abcd", (long)buf));
    SHOW("keyctl restrict on a user key", keyctl(RESTRICT, id, (long)"asymmetric", (long)"builtin_trusted", 0));
    unsigned char caps[64];
    long nc = keyctl(CAPABILITIES, (long)caps, sizeof caps, 0, 0);
    printf("keyctl capabilities: %s\n", nc > 0 ? "bytes" : strerrorname_np(errno));
    SHOW("keyctl capabilities bad buffer", keyctl(CAPABILITIES, (long)hole, 8, 0, 0));
    SHOW("keyctl unknown command", keyctl(9999, 0, 0, 0, 0));

    SHOW("keyctl revoke", keyctl(REVOKE, id, 0, 0, 0));
    SHOW("keyctl read revoked", keyctl(READ, id, (long)buf, sizeof buf, 0));
    SHOW("keyctl unlink", keyctl(UNLINK, id, KEY_SPEC_PROCESS_KEYRING, 0, 0));
    SHOW("keyctl clear the process keyring", keyctl(CLEAR, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
    SHOW("keyctl invalidate a bad id", keyctl(INVALIDATE, 12345678, 0, 0, 0));
    return 0;
}
