/* The i386 runner's way into a case and back: fz_enter loads the case's
 * whole state (FXRSTOR, EFLAGS, the eight registers) and jumps to it; every
 * case ends with a jump to fz_exit, which saves the state the case left and
 * returns from fz_enter. Flags are saved on a stack of our own so nothing
 * below the case's ESP changes. */
        .text
        .globl  fz_enter
        .type   fz_enter, @function
fz_enter:
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    %esp, fz_host_esp
        fxrstor fz_in_fx
        movl    $fz_in_eflags, %esp
        popfl
        movl    fz_in_gpr+0, %eax
        movl    fz_in_gpr+4, %ecx
        movl    fz_in_gpr+8, %edx
        movl    fz_in_gpr+12, %ebx
        movl    fz_in_gpr+20, %ebp
        movl    fz_in_gpr+24, %esi
        movl    fz_in_gpr+28, %edi
        movl    fz_in_gpr+16, %esp
        jmp     *fz_entry

        .globl  fz_exit
        .type   fz_exit, @function
fz_exit:
        movl    %eax, fz_out_gpr+0
        movl    %ecx, fz_out_gpr+4
        movl    %edx, fz_out_gpr+8
        movl    %ebx, fz_out_gpr+12
        movl    %esp, fz_out_gpr+16
        movl    %ebp, fz_out_gpr+20
        movl    %esi, fz_out_gpr+24
        movl    %edi, fz_out_gpr+28
        movl    $fz_flag_stack_top, %esp
        pushfl
        popl    fz_out_eflags
        pushl   $0                      /* EFLAGS.AC off: the runner's own code is not alignment-checked */
        popfl
        fxsave  fz_out_fx
        fninit
        ldmxcsr fz_mxcsr_default
        cld
        movl    fz_host_esp, %esp
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

        .bss
        .balign 16
        .space  64
fz_flag_stack_top:
        .section .note.GNU-stack,"",@progbits
