/* System V IPC: shared memory, semaphores and message queues, both as the
 * direct calls and through the old ipc(117) multiplexer. The objects are the
 * host's; ue converts the i386 structs (32-bit longs, split time fields, the
 * old 16-bit-uid layouts) and attaches shared memory inside the guest window. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "sys.h"

#define IPC_VERSION_64 0x100  /* IPC_64: the cmd bit that asks for the ipc64 layouts */
#define SHM_EXEC_FLAG 0100000
#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif
#define GUEST_SHMLBA GUEST_PAGE

/* ---- i386 layouts ---- */

struct i386_ipc64_perm {
    int32_t key;
    uint32_t uid, gid, cuid, cgid;
    uint16_t mode, pad1;
    uint16_t seq, pad2;
    uint32_t unused1, unused2;
};
struct i386_ipc_perm {          /* the old one: 16-bit ids */
    int32_t key;
    uint16_t uid, gid, cuid, cgid, mode, seq;
};
struct i386_shmid64_ds {
    struct i386_ipc64_perm perm;
    uint32_t segsz;
    uint32_t atime, atime_high, dtime, dtime_high, ctime, ctime_high;
    int32_t cpid, lpid;
    uint32_t nattch, unused4, unused5;
};
struct i386_shmid_ds {
    struct i386_ipc_perm perm;
    int32_t segsz, atime, dtime, ctime;
    uint16_t cpid, lpid, nattch, unused;
    uint32_t unused2, unused3;
};
struct i386_semid64_ds {
    struct i386_ipc64_perm perm;
    uint32_t otime, otime_high, ctime, ctime_high;
    uint32_t nsems, unused3, unused4;
};
struct i386_semid_ds {
    struct i386_ipc_perm perm;
    int32_t otime, ctime;
    uint32_t base, pending, pending_last, undo;
    uint16_t nsems;
};
struct i386_msqid64_ds {
    struct i386_ipc64_perm perm;
    uint32_t stime, stime_high, rtime, rtime_high, ctime, ctime_high;
    uint32_t cbytes, qnum, qbytes;
    int32_t lspid, lrpid;
    uint32_t unused4, unused5;
};
struct i386_msqid_ds {
    struct i386_ipc_perm perm;
    uint32_t first, last;
    int32_t stime, rtime, ctime;
    uint32_t lcbytes, lqbytes;
    uint16_t cbytes, qnum, qbytes, lspid, lrpid;
};
struct i386_shminfo64 { uint32_t shmmax, shmmin, shmmni, shmseg, shmall, unused[4]; };
struct i386_shminfo { int32_t shmmax, shmmin, shmmni, shmseg, shmall; };
struct i386_shm_info { int32_t used_ids; uint32_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes; };
ABI_SIZE(struct i386_ipc64_perm, 36);
ABI_SIZE(struct i386_ipc_perm, 16);
ABI_SIZE(struct i386_shmid64_ds, 84);
ABI_SIZE(struct i386_shmid_ds, 48);
ABI_SIZE(struct i386_semid64_ds, 64);
ABI_SIZE(struct i386_semid_ds, 44);
ABI_SIZE(struct i386_msqid64_ds, 88);
ABI_SIZE(struct i386_msqid_ds, 56);
/* struct seminfo (10 ints) and struct msginfo (7 ints + a short) are the same on both. */

/* ---- perm conversions ---- */

static void perm64_out(struct i386_ipc64_perm *g, const struct ipc_perm *h)
{
    memset(g, 0, sizeof *g);
    g->key = h->__key;
    g->uid = h->uid; g->gid = h->gid; g->cuid = h->cuid; g->cgid = h->cgid;
    g->mode = (uint16_t)h->mode;
    g->seq = h->__seq;
}

static void perm_old_out(struct i386_ipc_perm *g, const struct ipc_perm *h)
{
    g->key = h->__key;
    g->uid = (uint16_t)uid16_out(h->uid); g->gid = (uint16_t)uid16_out(h->gid);
    g->cuid = (uint16_t)uid16_out(h->cuid); g->cgid = (uint16_t)uid16_out(h->cgid);
    g->mode = (uint16_t)h->mode;
    g->seq = h->__seq;
}

/* IPC_SET takes only uid, gid and mode from the caller. */
static int perm_in(struct ipc_perm *h, guest_addr a, int version)
{
    if (version == IPC_VERSION_64) {
        struct i386_ipc64_perm g;
        if (ua_read(&g, a, sizeof g)) return -EFAULT;
        h->uid = g.uid; h->gid = g.gid; h->mode = g.mode;
    } else {
        struct i386_ipc_perm g;
        if (ua_read(&g, a, sizeof g)) return -EFAULT;
        h->uid = uid16_in(g.uid); h->gid = uid16_in(g.gid); h->mode = g.mode;
    }
    return 0;
}

/* The direct semctl/msgctl switch on cmd without IPC_64 but hand cmd with it
 * to helpers that compare it exactly: the INFO cmds then act as IPC_INFO,
 * the STAT cmds as IPC_STAT returning the id, the rest fail. Returns the cmd
 * to run, or -1 for EINVAL; *ret_id says to return the id. */
static int direct_cmd(int cmd, int info, int stat, int stat_any, bool *ret_id)
{
    *ret_id = false;
    if (cmd < 0 || !(cmd & IPC_VERSION_64)) return cmd;
    int c = cmd & ~IPC_VERSION_64;
    if (c == IPC_INFO || c == info) return IPC_INFO;
    if (c == IPC_STAT || c == stat || c == stat_any) { *ret_id = true; return IPC_STAT; }
    return -1;
}

/* IPC_64 set: the ipc64 layouts; else the old ones. Removes the bit from *cmd. */
static int parse_version(int *cmd)
{
    if (*cmd & IPC_VERSION_64) {
        *cmd &= ~IPC_VERSION_64;
        return IPC_VERSION_64;
    }
    return 0;
}

/* ---- shared memory ---- */

SYS(shmget) { return host_ret(syscall(SYS_shmget, (int32_t)a1, (size_t)a2, (int)a3)); }

static long shm_ctl(int id, int cmd, guest_addr buf, int version)
{
    long r;
    if (id < 0 || cmd < 0) return -EINVAL;
    switch (cmd) {
    case IPC_INFO: {
        struct shminfo h;
        if ((r = host_ret(syscall(SYS_shmctl, id, cmd, &h))) < 0) return r;
        if (h.shmmax > INT32_MAX) h.shmmax = INT32_MAX;
        if (version == IPC_VERSION_64) {
            struct i386_shminfo64 g = { (uint32_t)h.shmmax, (uint32_t)h.shmmin, (uint32_t)h.shmmni,
                                        (uint32_t)h.shmseg, (uint32_t)h.shmall, {0} };
            return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
        }
        struct i386_shminfo g = { (int32_t)h.shmmax, (int32_t)h.shmmin, (int32_t)h.shmmni,
                                  (int32_t)h.shmseg, (int32_t)h.shmall };
        return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
    }
    case SHM_INFO: {
        struct shm_info h;
        if ((r = host_ret(syscall(SYS_shmctl, id, cmd, &h))) < 0) return r;
        struct i386_shm_info g = { h.used_ids, (uint32_t)h.shm_tot, (uint32_t)h.shm_rss, (uint32_t)h.shm_swp,
                                   (uint32_t)h.swap_attempts, (uint32_t)h.swap_successes };
        return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
    }
    case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY: {
        struct shmid_ds h;
        if ((r = host_ret(syscall(SYS_shmctl, id, cmd, &h))) < 0) return r;
        if (version == IPC_VERSION_64) {
            struct i386_shmid64_ds g = {0};
            perm64_out(&g.perm, &h.shm_perm);
            g.segsz = (uint32_t)h.shm_segsz;
            g.atime = (uint32_t)h.shm_atime; g.atime_high = (uint32_t)((uint64_t)h.shm_atime >> 32);
            g.dtime = (uint32_t)h.shm_dtime; g.dtime_high = (uint32_t)((uint64_t)h.shm_dtime >> 32);
            g.ctime = (uint32_t)h.shm_ctime; g.ctime_high = (uint32_t)((uint64_t)h.shm_ctime >> 32);
            g.cpid = h.shm_cpid; g.lpid = h.shm_lpid;
            g.nattch = (uint32_t)h.shm_nattch;
            return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
        }
        struct i386_shmid_ds g = {0};
        perm_old_out(&g.perm, &h.shm_perm);
        g.segsz = (int32_t)h.shm_segsz;
        g.atime = (int32_t)h.shm_atime; g.dtime = (int32_t)h.shm_dtime; g.ctime = (int32_t)h.shm_ctime;
        g.cpid = (uint16_t)h.shm_cpid; g.lpid = (uint16_t)h.shm_lpid;
        g.nattch = (uint16_t)h.shm_nattch;
        return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
    }
    case IPC_SET: {
        struct shmid_ds h = {0};
        if (perm_in(&h.shm_perm, buf, version)) return -EFAULT;
        return host_ret(syscall(SYS_shmctl, id, cmd, &h));
    }
    case IPC_RMID: case SHM_LOCK: case SHM_UNLOCK:
        return host_ret(syscall(SYS_shmctl, id, cmd, NULL));
    default:
        return -EINVAL;
    }
}

/* The direct call always uses the ipc64 layouts; the kernel's switch does not
 * mask IPC_64, so a cmd carrying it is unknown (EINVAL). */
SYS(shmctl) { return shm_ctl((int)a1, (int)a2, a3, IPC_VERSION_64); }

/* What the host's /proc/self/maps says about the mapping at host address p
 * (SysV segments show as "/SYSV<key> (deleted)" with their own dev and inode). */
static void host_map_info(void *p, dev_t *dev, ino_t *ino, char *name, size_t size)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long start;
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        unsigned maj, min;
        unsigned long long inode;
        int pos = 0;
        if (sscanf(line, "%lx-%*x %*s %*x %x:%x %llu %n", &start, &maj, &min, &inode, &pos) < 4) continue;
        if (start != (unsigned long)p) continue;
        *dev = makedev(maj, min);
        *ino = (ino_t)inode;
        line[strcspn(line, "\n")] = 0;
        snprintf(name, size, "%s", line + pos);
        break;
    }
    fclose(f);
}

/* do_shmat: the segment goes at addr (SHM_RND rounds it down), or where a
 * hint-less mmap would go; returns the guest address or -errno. */
static long shm_attach(int id, guest_addr addr, int flags)
{
    struct shmid_ds st;
    if (id < 0) return -EINVAL;
    if (addr) {
        if (addr & (GUEST_SHMLBA - 1)) {
            if (!(flags & SHM_RND)) return -EINVAL;
            addr &= ~(GUEST_SHMLBA - 1);
            if (!addr && (flags & SHM_REMAP)) return -EINVAL;
        }
    } else if (flags & SHM_REMAP) {
        return -EINVAL;
    }
    if (syscall(SYS_shmctl, id, IPC_STAT, &st) < 0) return -errno;
    if (!st.shm_segsz || st.shm_segsz > 0xffffffffu - GUEST_PAGE) return -ENOMEM;
    uint32_t len = PAGE_UP((uint32_t)st.shm_segsz);
    int prot = (flags & SHM_RDONLY) ? PROT_READ : PROT_READ | PROT_WRITE;
    if (flags & SHM_EXEC_FLAG) prot |= PROT_EXEC;

    bool reserved = false;
    if (addr) {
        if ((uint64_t)addr + len > 0xffffe000u) return -ENOMEM;
        const struct region *r = mem_next_region(addr);
        if (!(flags & SHM_REMAP) && r && r->start < (uint64_t)addr + len) return -EINVAL;
    } else {
        /* hold a range the way a hint-less mmap picks one, then attach over it */
        long a = mem_mmap(0, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (a < 0) return a;
        addr = (guest_addr)a;
        reserved = true;
    }
    int hflags = (flags & (SHM_RDONLY | SHM_EXEC_FLAG)) | SHM_REMAP;
    if (shmat(id, g2h(addr), hflags) == (void *)-1) {   /* uaccess-ok: places a mapping */
        int e = errno;
        if (reserved) mem_munmap(addr, len);
        return -e;
    }
    dev_t dev = 0;
    ino_t ino = (ino_t)id;
    char name[96];
    snprintf(name, sizeof name, "/SYSV%08x (deleted)", (unsigned)st.shm_perm.__key);
    host_map_info(g2h(addr), &dev, &ino, name, sizeof name);   /* uaccess-ok: an address to look up */
    mem_record_shared(addr, len, prot, dev, ino, name);
    return addr;
}

SYS(shmat) { return shm_attach((int)a1, a2, (int)a3); }

/* The attach starting at addr is the run of regions of the same segment
 * (mprotect may have split it); detach it and give the range back to the window. */
static long shm_detach(guest_addr addr)
{
    if (addr & (GUEST_PAGE - 1)) return -EINVAL;
    const struct region *r = mem_next_region(addr);
    if (!r || r->start != addr || !(r->flags & MAP_SHARED) || r->offset || strncmp(r->name, "/SYSV", 5))
        return -EINVAL;
    dev_t dev = r->dev;
    ino_t ino = r->ino;
    char name[sizeof r->name];
    memcpy(name, r->name, sizeof name);
    guest_addr end = r->end;
    while (end && (r = mem_next_region(end)) && r->start == end && r->dev == dev && r->ino == ino &&
           r->offset == end - addr && !strcmp(r->name, name))   /* a neighbouring attach starts at 0 */
        end = r->end;
    if (shmdt(g2h(addr)) < 0) return -errno;   /* uaccess-ok: removes a mapping */
    mem_munmap(addr, end - addr);   /* re-reserves the range, drops the regions, invalidates code */
    return 0;
}

SYS(shmdt) { return shm_detach(a1); }

/* ---- semaphores ---- */

SYS(semget) { return host_ret(syscall(SYS_semget, (int32_t)a1, (int)a2, (int)a3)); }

static long sem_count(int id)
{
    struct semid_ds st;
    if (syscall(SYS_semctl, id, 0, IPC_STAT, &st) < 0) return -errno;
    return (long)st.sem_nsems;
}

/* arg is the union semun: a value (SETVAL) or a guest pointer. */
static long sem_ctl(int id, int num, int cmd, uint32_t arg, int version)
{
    long r;
    if (id < 0) return -EINVAL;
    switch (cmd) {
    case IPC_INFO: case SEM_INFO: {
        struct seminfo h;
        if ((r = host_ret(syscall(SYS_semctl, id, num, cmd, &h))) < 0) return r;
        return ua_write(arg, &h, sizeof h) ? -EFAULT : r;
    }
    case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY: {
        struct semid_ds h;
        if ((r = host_ret(syscall(SYS_semctl, id, num, cmd, &h))) < 0) return r;
        if (version == IPC_VERSION_64) {
            struct i386_semid64_ds g = {0};
            perm64_out(&g.perm, &h.sem_perm);
            g.otime = (uint32_t)h.sem_otime; g.otime_high = (uint32_t)((uint64_t)h.sem_otime >> 32);
            g.ctime = (uint32_t)h.sem_ctime; g.ctime_high = (uint32_t)((uint64_t)h.sem_ctime >> 32);
            g.nsems = (uint32_t)h.sem_nsems;
            return ua_write(arg, &g, sizeof g) ? -EFAULT : r;
        }
        struct i386_semid_ds g = {0};
        perm_old_out(&g.perm, &h.sem_perm);
        g.otime = (int32_t)h.sem_otime; g.ctime = (int32_t)h.sem_ctime;
        g.nsems = (uint16_t)h.sem_nsems;
        return ua_write(arg, &g, sizeof g) ? -EFAULT : r;
    }
    case IPC_SET: {
        struct semid_ds h = {0};
        if (perm_in(&h.sem_perm, arg, version)) return -EFAULT;
        return host_ret(syscall(SYS_semctl, id, num, cmd, &h));
    }
    case GETALL: case SETALL: {
        /* an array of unsigned shorts on both: the host kernel checks the
         * permission, then copies nsems entries itself, as the i386 kernel does */
        enum ua_dir dir = cmd == GETALL ? UA_OUT : UA_IN;
        long n = sem_count(id);
        uint32_t len = n > 0 ? (uint32_t)n * 2 : 0;
        void *p = ua_lock(arg, len, dir);
        r = host_ret(syscall(SYS_semctl, id, num, cmd, p));
        ua_unlock(p, arg, r < 0 ? 0 : len, dir);
        return r;
    }
    case SETVAL:
        return host_ret(syscall(SYS_semctl, id, num, cmd, (long)(int32_t)arg));
    case IPC_RMID: case GETPID: case GETVAL: case GETNCNT: case GETZCNT:
        return host_ret(syscall(SYS_semctl, id, num, cmd, 0L));
    default:
        return -EINVAL;
    }
}

SYS(semctl)
{
    bool ret_id;
    int cmd = direct_cmd((int)a3, SEM_INFO, SEM_STAT, SEM_STAT_ANY, &ret_id);
    if ((int32_t)a1 < 0) return -EINVAL;
    if (cmd == -1) {
        /* IPC_SET|IPC_64 copies the perm in before semctl_down rejects it */
        struct ipc_perm h;
        bool set = ((int)a3 & ~IPC_VERSION_64) == IPC_SET;
        return set && perm_in(&h, a4, IPC_VERSION_64) ? -EFAULT : -EINVAL;
    }
    long r = sem_ctl((int)a1, (int)a2, cmd, a4, IPC_VERSION_64);
    return r >= 0 && ret_id ? (int32_t)a1 : r;
}

/* semtimedop: sembuf (3 shorts) is the same on both; the timeout is i386's
 * timespec of either width, or none. Blocks, so it goes through safe_syscall. */
static long sem_op(int id, guest_addr sops, uint32_t nsops, guest_addr timeout, int time64)
{
    struct timespec ts, *tp = NULL;
    if (timeout) {
        int e = get_timespec(timeout, &ts, time64);
        if (e) return e;
        tp = &ts;
    }
    /* struct sembuf is the same on both: the host kernel checks nsops, then copies the array once */
    uint32_t len = nsops <= 65536 ? nsops * (uint32_t)sizeof(struct sembuf) : 0;
    void *p = ua_lock(sops, len, UA_IN);
    long r = safe_syscall(SYS_semtimedop, id, (long)p, nsops, (long)tp, 0, 0);
    ua_unlock(p, sops, r < 0 ? 0 : len, UA_IN);
    return r;
}

SYS(semtimedop_time64) { return sem_op((int)a1, a2, a3, a4, 1); }

/* ---- message queues ---- */

SYS(msgget) { return host_ret(syscall(SYS_msgget, (int32_t)a1, (int)a2)); }

/* The largest message a queue can hold: a host buffer for one is never
 * larger (msgmax, read when a guest size exceeds the usual 8 KiB). */
static uint32_t msg_max(void)
{
    uint32_t max = 8192;
    FILE *f = fopen("/proc/sys/kernel/msgmax", "r");
    if (f) {
        if (fscanf(f, "%u", &max) != 1) max = 8192;
        fclose(f);
    }
    return max;
}

/* The guest's msgbuf starts with a 32-bit mtype, the host's with a 64-bit
 * one: both calls copy through a host buffer, in do_msgsnd's order (mtype
 * read, sizes, mtype >= 1, the text). */
static long msg_send(int id, guest_addr msgp, uint32_t size, int flags)
{
    int32_t mtype;
    if (ua_read(&mtype, msgp, 4)) return -EFAULT;
    if ((int32_t)size < 0 || id < 0) return -EINVAL;
    if (size > 8192 && size > msg_max()) return -EINVAL;
    if (mtype < 1) return -EINVAL;
    char *buf = malloc(sizeof(long) + (size_t)size);
    if (!buf) return -ENOMEM;
    long type = mtype;
    memcpy(buf, &type, sizeof type);
    long r = ua_read(buf + sizeof(long), msgp + 4, size) ? -EFAULT
           : safe_syscall(SYS_msgsnd, id, (long)buf, size, flags, 0, 0);
    free(buf);
    return r;
}

/* The message leaves the queue before it is stored: a bad buffer loses it
 * with EFAULT, as in compat_do_msg_fill. */
static long msg_recv(int id, guest_addr msgp, uint32_t size, int32_t type, int flags)
{
    if ((int32_t)size < 0 || id < 0) return -EINVAL;
    uint32_t room = size;
    if (room > 8192) {
        uint32_t cap = msg_max() > (1u << 20) ? msg_max() : 1u << 20;
        if (room > cap) room = cap;
    }
    char *buf = malloc(sizeof(long) + (size_t)room);
    if (!buf) return -ENOMEM;
    long r = safe_syscall(SYS_msgrcv, id, (long)buf, room, (long)type, flags, 0);
    if (r >= 0) {
        long t;
        memcpy(&t, buf, sizeof t);
        if (ua_put_u32(msgp, (uint32_t)t) || ua_write(msgp + 4, buf + sizeof(long), (size_t)r)) r = -EFAULT;
    }
    free(buf);
    return r;
}

SYS(msgsnd) { return msg_send((int)a1, a2, a3, (int)a4); }
SYS(msgrcv) { return msg_recv((int)a1, a2, a3, (int32_t)a4, (int)a5); }

static long msg_ctl(int id, int cmd, guest_addr buf, int version)
{
    long r;
    if (id < 0 || cmd < 0) return -EINVAL;
    switch (cmd) {
    case IPC_INFO: case MSG_INFO: {
        struct msginfo h;
        if ((r = host_ret(syscall(SYS_msgctl, id, cmd, &h))) < 0) return r;
        return ua_write(buf, &h, sizeof h) ? -EFAULT : r;
    }
    case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY: {
        struct msqid_ds h;
        if ((r = host_ret(syscall(SYS_msgctl, id, cmd, &h))) < 0) return r;
        if (version == IPC_VERSION_64) {
            struct i386_msqid64_ds g = {0};
            perm64_out(&g.perm, &h.msg_perm);
            g.stime = (uint32_t)h.msg_stime; g.stime_high = (uint32_t)((uint64_t)h.msg_stime >> 32);
            g.rtime = (uint32_t)h.msg_rtime; g.rtime_high = (uint32_t)((uint64_t)h.msg_rtime >> 32);
            g.ctime = (uint32_t)h.msg_ctime; g.ctime_high = (uint32_t)((uint64_t)h.msg_ctime >> 32);
            g.cbytes = (uint32_t)h.__msg_cbytes;
            g.qnum = (uint32_t)h.msg_qnum;
            g.qbytes = (uint32_t)h.msg_qbytes;
            g.lspid = h.msg_lspid; g.lrpid = h.msg_lrpid;
            return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
        }
        struct i386_msqid_ds g = {0};
        perm_old_out(&g.perm, &h.msg_perm);
        g.stime = (int32_t)h.msg_stime; g.rtime = (int32_t)h.msg_rtime; g.ctime = (int32_t)h.msg_ctime;
        g.lcbytes = (uint32_t)h.__msg_cbytes; g.lqbytes = (uint32_t)h.msg_qbytes;
        g.cbytes = (uint16_t)h.__msg_cbytes; g.qnum = (uint16_t)h.msg_qnum; g.qbytes = (uint16_t)h.msg_qbytes;
        g.lspid = (uint16_t)h.msg_lspid; g.lrpid = (uint16_t)h.msg_lrpid;
        return ua_write(buf, &g, sizeof g) ? -EFAULT : r;
    }
    case IPC_SET: {
        struct msqid_ds h = {0};
        if (perm_in(&h.msg_perm, buf, version)) return -EFAULT;
        if (version == IPC_VERSION_64) {
            uint32_t q;
            if (ua_get_u32(buf + offsetof(struct i386_msqid64_ds, qbytes), &q)) return -EFAULT;
            h.msg_qbytes = q;
        } else {
            uint16_t q;
            if (ua_read(&q, buf + offsetof(struct i386_msqid_ds, qbytes), 2)) return -EFAULT;
            h.msg_qbytes = q;
        }
        return host_ret(syscall(SYS_msgctl, id, cmd, &h));
    }
    case IPC_RMID:
        return host_ret(syscall(SYS_msgctl, id, cmd, NULL));
    default:
        return -EINVAL;
    }
}

SYS(msgctl)
{
    bool ret_id;
    int cmd = direct_cmd((int)a2, MSG_INFO, MSG_STAT, MSG_STAT_ANY, &ret_id);
    if ((int32_t)a1 < 0 || (int32_t)a2 < 0) return -EINVAL;
    if (cmd == -1) {
        /* IPC_SET|IPC_64 copies the perm and qbytes in before msgctl_down rejects it */
        struct ipc_perm h;
        uint32_t q;
        bool set = ((int)a2 & ~IPC_VERSION_64) == IPC_SET;
        return set && (perm_in(&h, a3, IPC_VERSION_64) ||
                       ua_get_u32(a3 + offsetof(struct i386_msqid64_ds, qbytes), &q)) ? -EFAULT : -EINVAL;
    }
    long r = msg_ctl((int)a1, cmd, a3, IPC_VERSION_64);
    return r >= 0 && ret_id ? (int32_t)a1 : r;
}

/* ---- ipc(call, first, second, third, ptr, fifth): the old multiplexer ---- */

enum { IPC_SEMOP = 1, IPC_SEMGET, IPC_SEMCTL, IPC_SEMTIMEDOP,
       IPC_MSGSND = 11, IPC_MSGRCV, IPC_MSGGET, IPC_MSGCTL,
       IPC_SHMAT = 21, IPC_SHMDT, IPC_SHMGET, IPC_SHMCTL };

SYS(ipc)
{
    uint32_t version = a1 >> 16, call = a1 & 0xffff;
    int first = (int)a2, second = (int)a3, cmd = (int)a4;
    guest_addr third = a4, ptr = a5;
    switch (call) {
    case IPC_SEMOP: return sem_op(first, ptr, (uint32_t)second, 0, 0);
    case IPC_SEMTIMEDOP: return sem_op(first, ptr, (uint32_t)second, a6, 0);
    case IPC_SEMGET: return host_ret(syscall(SYS_semget, first, second, (int)third));
    case IPC_SEMCTL: {
        uint32_t arg;
        if (!ptr) return -EINVAL;
        if (ua_get_u32(ptr, &arg)) return -EFAULT;
        int v = parse_version(&cmd);
        return sem_ctl(first, second, cmd, arg, v);
    }
    case IPC_MSGSND: return msg_send(first, ptr, (uint32_t)second, (int)third);
    case IPC_MSGRCV:
        if (first < 0 || second < 0) return -EINVAL;
        if (!version) {
            uint32_t kludge[2];   /* struct ipc_kludge { msgp; msgtyp; } */
            if (!ptr) return -EINVAL;
            if (ua_read(kludge, ptr, sizeof kludge)) return -EFAULT;
            return msg_recv(first, kludge[0], (uint32_t)second, (int32_t)kludge[1], (int)third);
        }
        return msg_recv(first, ptr, (uint32_t)second, (int32_t)a6, (int)third);
    case IPC_MSGGET: return host_ret(syscall(SYS_msgget, first, second));
    case IPC_MSGCTL: {
        cmd = second;
        int v = parse_version(&cmd);
        return msg_ctl(first, cmd, ptr, v);
    }
    case IPC_SHMAT: {
        if (version == 1) return -EINVAL;
        long r = shm_attach(first, ptr, second);
        if (r < 0) return r;
        return ua_put_u32(third, (uint32_t)r) ? -EFAULT : 0;
    }
    case IPC_SHMDT: return shm_detach(ptr);
    case IPC_SHMGET: return host_ret(syscall(SYS_shmget, first, (size_t)(uint32_t)second, (int)third));
    case IPC_SHMCTL: {
        cmd = second;
        int v = parse_version(&cmd);
        return shm_ctl(first, cmd, ptr, v);
    }
    default:
        return -ENOSYS;
    }
}
