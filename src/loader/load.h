/* Private to the loader: what elf.c learns about a loaded image, and the
 * pieces script.c and stack.c provide. */
#ifndef UE_LOADER_LOAD_H
#define UE_LOADER_LOAD_H

#include <elf.h>
#include <limits.h>
#include <sys/types.h>

#include "loader.h"

/* i386 Linux user selectors (GDT entries 4 and 5, RPL 3). */
#define USER_CS 0x23
#define USER_DS 0x2b

/* Where an ET_DYN main program goes (the i386 layout without randomisation). */
#define PIE_BASE 0x56555000u

struct elf_image {
    guest_addr bias;        /* load address minus link address */
    guest_addr entry;       /* e_entry + bias */
    guest_addr phdr;        /* AT_PHDR */
    uint32_t phnum;
    guest_addr end;         /* page-aligned end of the highest segment (initial brk) */
    bool exec_stack;        /* PT_GNU_STACK with PF_X, or no PT_GNU_STACK */
    bool has_interp;        /* a PT_INTERP (its string may be empty) */
    char interp[PATH_MAX];  /* PT_INTERP */
    Elf32_Ehdr eh;          /* as read (zeros past the end of a short file) */
    Elf32_Phdr *ph;         /* e_phnum entries (malloc) */
    off_t file_size;
};

/* Open an executable the way execve checks it; fatal (126/127) naming shown. */
int loader_open(const char *path, const char *shown);
/* The checks execve makes before its point of no return (header, program
 * header table, PT_INTERP): fatal (126) naming shown when one fails. */
void elf_check(int fd, const char *shown, bool main_program, struct elf_image *img);
/* Map a checked image. main_program: ET_DYN goes to PIE_BASE (else top-down
 * like a library). A failure kills ue with SIGSEGV, as the kernel kills the
 * process once execve cannot return. */
void elf_map_image(int fd, const char *shown, bool main_program, struct elf_image *img);
/* One "ue: " line, then death by SIGSEGV. */
void loader_segv(const char *shown, const char *what) __attribute__((noreturn));

/* A "#!" first line, as binfmt_script reads it. Returns false when there is
 * no interpreter name; arg is "" when there is no argument. */
bool script_parse(const char *buf, size_t n, char *interp, size_t isize, char *arg, size_t asize);

/* Map the stack ("[stack]", grow-down) as setup_arg_pages leaves it: below
 * STACK_TOP (randomised with ASLR), the argument pages plus 128 KiB within
 * RLIMIT_STACK. */
void stack_map(bool exec_stack, int argc, char **argv, char **envp, const char *execfn);
/* Write strings, argv, envp and auxv like create_elf_tables; returns the ESP
 * that points at argc. */
/* What stack_build wrote, as the kernel keeps it in mm (saved_auxv,
 * arg_start/arg_end) for core dumps. */
#define STACK_AUXV_WORDS 48
extern uint32_t stack_auxv[STACK_AUXV_WORDS];
extern int stack_auxv_words;
extern guest_addr stack_arg_start, stack_arg_end;
guest_addr stack_build(int argc, char **argv, char **envp, const char *execfn,
                       const struct elf_image *exe, guest_addr interp_base);

#endif
