/* The x86-64 host's copy routines for the user-access API (uaccess.c).
 * Each instruction that touches guest memory has a fixup address in
 * ua_fixups: the fault handler resumes there with the registers as the
 * fault left them. rep movsb/stosb stop at the faulting byte with RCX
 * counting what is left (SDM vol. 1, 7.3.9.3: string instructions are
 * restartable), which gives the exact count moved. */
#ifndef UE_MEM_UACCESS_HOST_H
#define UE_MEM_UACCESS_HOST_H

#ifndef __x86_64__
#error "ue's user-access routines are written for x86-64 hosts"
#endif

/* size_t ua_host_copy(void *dst, const void *src, size_t n): bytes not copied */
size_t ua_host_copy(void *dst, const void *src, size_t n);
/* size_t ua_host_clear(void *dst, size_t n): bytes not cleared */
size_t ua_host_clear(void *dst, size_t n);
/* long ua_host_strncpy(char *dst, const char *src, size_t n): the index of
 * the NUL copied, n when none in n bytes, -1 on a fault */
long ua_host_strncpy(char *dst, const char *src, size_t n);
/* int ua_host_load32(const uint32_t *p, uint32_t *v): 0, or -1 on a fault */
int ua_host_load32(const void *p, uint32_t *v);
/* int ua_host_cmpxchg(uint32_t *p, uint32_t expected, uint32_t desired, uint32_t *old):
 * 0, or -1 on a fault */
int ua_host_cmpxchg(uint32_t *p, uint32_t expected, uint32_t desired, uint32_t *old);

__asm__(
    ".text\n"
    ".p2align 4\n"
    ".globl ua_host_copy\n"
    ".type ua_host_copy, @function\n"
    "ua_host_copy:\n"
    "    mov %rdx, %rcx\n"
    "ua_copy_insn:\n"
    "    rep movsb\n"
    "ua_copy_fixup:\n"
    "    mov %rcx, %rax\n"
    "    ret\n"
    ".size ua_host_copy, .-ua_host_copy\n"

    ".p2align 4\n"
    ".globl ua_host_clear\n"
    ".type ua_host_clear, @function\n"
    "ua_host_clear:\n"
    "    mov %rsi, %rcx\n"
    "    xor %eax, %eax\n"
    "ua_clear_insn:\n"
    "    rep stosb\n"
    "ua_clear_fixup:\n"
    "    mov %rcx, %rax\n"
    "    ret\n"
    ".size ua_host_clear, .-ua_host_clear\n"

    ".p2align 4\n"
    ".globl ua_host_strncpy\n"
    ".type ua_host_strncpy, @function\n"
    "ua_host_strncpy:\n"
    "    xor %eax, %eax\n"
    "1:  cmp %rdx, %rax\n"
    "    je 2f\n"
    "ua_str_insn:\n"
    "    movzbl (%rsi,%rax), %ecx\n"
    "    mov %cl, (%rdi,%rax)\n"
    "    test %cl, %cl\n"
    "    jz 2f\n"
    "    inc %rax\n"
    "    jmp 1b\n"
    "2:  ret\n"
    "ua_str_fixup:\n"
    "    mov $-1, %rax\n"
    "    ret\n"
    ".size ua_host_strncpy, .-ua_host_strncpy\n"

    ".p2align 4\n"
    ".globl ua_host_cmpxchg\n"
    ".type ua_host_cmpxchg, @function\n"
    "ua_host_cmpxchg:\n"
    "    mov %esi, %eax\n"
    "ua_cmpxchg_insn:\n"
    "    lock cmpxchg %edx, (%rdi)\n"
    "    mov %eax, (%rcx)\n"
    "    xor %eax, %eax\n"
    "    ret\n"
    "ua_cmpxchg_fixup:\n"
    "    mov $-1, %eax\n"
    "    ret\n"
    ".size ua_host_cmpxchg, .-ua_host_cmpxchg\n"

    ".p2align 4\n"
    ".globl ua_host_load32\n"
    ".type ua_host_load32, @function\n"
    "ua_host_load32:\n"
    "ua_load32_insn:\n"
    "    mov (%rdi), %eax\n"
    "    mov %eax, (%rsi)\n"
    "    xor %eax, %eax\n"
    "    ret\n"
    "ua_load32_fixup:\n"
    "    mov $-1, %eax\n"
    "    ret\n"
    ".size ua_host_load32, .-ua_host_load32\n");

extern const char ua_copy_insn[], ua_copy_fixup[], ua_clear_insn[], ua_clear_fixup[],
    ua_str_insn[], ua_str_fixup[], ua_cmpxchg_insn[], ua_cmpxchg_fixup[], ua_load32_insn[],
    ua_load32_fixup[];

/* The kernel's exception table in small: faulting instruction -> resume point. */
static const struct ua_fixup { const char *insn, *fixup; } ua_fixups[] = {
    { ua_copy_insn, ua_copy_fixup },
    { ua_clear_insn, ua_clear_fixup },
    { ua_str_insn, ua_str_fixup },
    { ua_cmpxchg_insn, ua_cmpxchg_fixup },
    { ua_load32_insn, ua_load32_fixup },
};

#endif
