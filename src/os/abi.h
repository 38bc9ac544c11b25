/* i386 Linux ABI structures, described with fixed-width types.
 * Layouts follow the kernel's compat structs (include/linux/compat.h,
 * arch/x86/include/uapi/asm/stat.h, arch/x86/include/asm/compat.h): on i386 a
 * long is 4 bytes and 64-bit members are 4-byte aligned, hence the packing. */
#ifndef UE_OS_ABI_H
#define UE_OS_ABI_H

#include <stddef.h>
#include <stdint.h>

#define I386_PACKED __attribute__((packed, aligned(4)))
#define ABI_SIZE(type, n) _Static_assert(sizeof(type) == (n), #type " must be " #n " bytes")

/* ---- time ---- */
struct i386_timespec32 { int32_t tv_sec, tv_nsec; };
struct i386_timespec64 { int64_t tv_sec, tv_nsec; } I386_PACKED;     /* __kernel_timespec */
struct i386_timeval { int32_t tv_sec, tv_usec; };
struct i386_timezone { int32_t tz_minuteswest, tz_dsttime; };
struct i386_itimerval { struct i386_timeval it_interval, it_value; };
struct i386_itimerspec32 { struct i386_timespec32 it_interval, it_value; };
struct i386_itimerspec64 { struct i386_timespec64 it_interval, it_value; } I386_PACKED;
struct i386_tms { uint32_t tms_utime, tms_stime, tms_cutime, tms_cstime; };
struct i386_utimbuf { int32_t actime, modtime; };
ABI_SIZE(struct i386_timespec64, 16);
ABI_SIZE(struct i386_itimerspec64, 32);

/* ---- files ---- */
struct i386_stat {               /* struct stat of stat(106)/lstat(107)/fstat(108) */
    uint32_t st_dev, st_ino;
    uint16_t st_mode, st_nlink, st_uid, st_gid;
    uint32_t st_rdev, st_size, st_blksize, st_blocks;
    uint32_t st_atime_, st_atime_nsec, st_mtime_, st_mtime_nsec, st_ctime_, st_ctime_nsec;
    uint32_t unused4, unused5;
};
ABI_SIZE(struct i386_stat, 64);

struct i386_old_stat {           /* struct __old_kernel_stat of oldstat(18)/oldfstat(28)/oldlstat(84) */
    uint16_t st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid, st_rdev, pad;
    uint32_t st_size, st_atime_, st_mtime_, st_ctime_;
};
ABI_SIZE(struct i386_old_stat, 32);

struct i386_stat64 {
    uint64_t st_dev;
    uint8_t pad0[4];
    uint32_t st_ino32;           /* __st_ino: the low 32 bits */
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev;
    uint8_t pad3[4];
    int64_t st_size;
    uint32_t st_blksize;
    uint64_t st_blocks;
    uint32_t st_atime_, st_atime_nsec, st_mtime_, st_mtime_nsec, st_ctime_, st_ctime_nsec;
    uint64_t st_ino;
} I386_PACKED;
ABI_SIZE(struct i386_stat64, 96);
_Static_assert(offsetof(struct i386_stat64, st_size) == 44, "stat64.st_size at 44");
_Static_assert(offsetof(struct i386_stat64, st_ino) == 88, "stat64.st_ino at 88");

struct i386_statfs {
    uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};
ABI_SIZE(struct i386_statfs, 64);

struct i386_statfs64 {
    uint32_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
} I386_PACKED;
ABI_SIZE(struct i386_statfs64, 84);

struct i386_dirent {             /* getdents(141): d_name follows, d_type is the record's last byte */
    uint32_t d_ino, d_off;
    uint16_t d_reclen;
} I386_PACKED;
#define I386_DIRENT_NAME 10

struct i386_flock {
    int16_t l_type, l_whence;
    int32_t l_start, l_len, l_pid;
};
ABI_SIZE(struct i386_flock, 16);

struct i386_flock64 {
    int16_t l_type, l_whence;
    int64_t l_start, l_len;
    int32_t l_pid;
} I386_PACKED;
ABI_SIZE(struct i386_flock64, 24);

struct i386_iovec { uint32_t iov_base, iov_len; };

/* select(82) passes its five arguments in memory */
struct i386_sel_arg { uint32_t n, inp, outp, exp, tvp; };
/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; } */
struct i386_sigset_arg { uint32_t ss, ss_len; };

/* ---- memory ---- */
struct i386_mmap_arg { uint32_t addr, len, prot, flags, fd, offset; };  /* old mmap(90) */

/* ---- processes ---- */
struct i386_rlimit { uint32_t rlim_cur, rlim_max; };
#define I386_RLIM_INFINITY 0xffffffffu

struct i386_rusage {
    struct i386_timeval ru_utime, ru_stime;
    int32_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
        ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
ABI_SIZE(struct i386_rusage, 72);

struct i386_sysinfo {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char f[8];
};
ABI_SIZE(struct i386_sysinfo, 64);

struct i386_user_desc {          /* set_thread_area / get_thread_area */
    uint32_t entry_number, base_addr, limit;
    uint32_t flags;  /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1 */
};
ABI_SIZE(struct i386_user_desc, 16);
#define UD_SEG_32BIT 0x01u
#define UD_CONTENTS_SHIFT 1
#define UD_READ_EXEC_ONLY 0x08u
#define UD_LIMIT_IN_PAGES 0x10u
#define UD_SEG_NOT_PRESENT 0x20u
#define UD_USEABLE 0x40u

/* ---- signals ---- */
struct i386_sigaction {          /* rt_sigaction(174): the kernel's struct sigaction */
    uint32_t handler, flags, restorer;
    uint32_t mask[2];
};
ABI_SIZE(struct i386_sigaction, 20);

struct i386_old_sigaction {      /* sigaction(67) */
    uint32_t handler, mask, flags, restorer;
};

struct i386_stack {              /* stack_t */
    uint32_t ss_sp;
    int32_t ss_flags;
    uint32_t ss_size;
};

#endif
