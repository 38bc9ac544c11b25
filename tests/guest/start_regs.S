/* ue-test: variants=s0 s2; cflags=-nostdlib */
/* A program with its own _start and no libc: at entry EDX is 0 (no
 * function for atexit), DF is clear, ESP points at argc followed by argv[],
 * NULL, envp[], NULL.  Prints with int 0x80 write and exits 42. */
    .text
    .globl _start
_start:
    mov %edx, %ebp              /* keep EDX as it was at entry */
    pushf
    pop %esi                    /* and EFLAGS */
    mov %esp, %edi              /* EDI -> argc */

    test %ebp, %ebp
    jnz 1f
    lea msg_edx0, %ecx
    call puts
    jmp 2f
1:  lea msg_edx_set, %ecx
    call puts
2:  test $0x400, %esi
    jnz 3f
    lea msg_df0, %ecx
    call puts
3:  /* argc as one decimal digit (the harness passes fewer than 10) */
    mov (%edi), %eax
    add $'0', %eax
    mov %al, digit
    lea msg_argc, %ecx
    call puts
    /* argv[1..] one per line */
    mov (%edi), %ebx            /* argc */
    lea 8(%edi), %edi           /* argv[1] */
4:  dec %ebx
    jz 5f
    mov (%edi), %ecx
    call puts
    lea nl, %ecx
    call puts
    add $4, %edi
    jmp 4b
5:  /* argv[argc] must be NULL */
    cmpl $0, (%edi)
    jne 6f
    lea msg_null, %ecx
    call puts
6:  mov $1, %eax                /* exit(42) */
    mov $42, %ebx
    int $0x80
    hlt

/* puts: write the NUL-terminated string at ECX to stdout */
puts:
    push %ebx
    mov %ecx, %edx
7:  cmpb $0, (%edx)
    je 8f
    inc %edx
    jmp 7b
8:  sub %ecx, %edx
    mov $4, %eax
    mov $1, %ebx
    int $0x80
    pop %ebx
    ret

    .data
msg_edx0:    .asciz "edx is 0 at entry\n"
msg_edx_set: .asciz "edx is NOT 0 at entry\n"
msg_df0:     .asciz "df is clear\n"
msg_argc:    .ascii "argc="
digit:       .asciz "?\n"
msg_null:    .asciz "argv[argc] is NULL\n"
nl:          .asciz "\n"
