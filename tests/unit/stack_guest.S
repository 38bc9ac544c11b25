/* An i386 shared object for test_stack.c: functions whose frames the test
 * lays out by hand, with the CFI forms gcc -O2 emits (CFA = esp+N after
 * pushes and sub, CFA = ebp+8 with a frame pointer), a CFA expression (as in
 * PLT entries), a function without CFI (frame-pointer walk) and an
 * outermost one (return address undefined, like _start). Line numbers come
 * from .loc: the test compares them with addr2line. */
        .file 1 "stack_guest.c"
        .text

/* leaf(p): CFA = esp+4 throughout */
        .globl leaf
        .type leaf, @function
leaf:
        .cfi_startproc
        .loc 1 10
        movl 4(%esp), %eax
        .globl leaf_body
leaf_body:
        .loc 1 11
        movl (%eax), %eax
        ret
        .cfi_endproc
        .size leaf, .-leaf

/* mid: saves ebx and esi, 20 bytes of locals: CFA = esp+32 at its call */
        .globl mid
        .type mid, @function
mid:
        .cfi_startproc
        .loc 1 20
        pushl %ebx
        .cfi_def_cfa_offset 8
        .cfi_offset ebx, -8
        pushl %esi
        .cfi_def_cfa_offset 12
        .cfi_offset esi, -12
        subl $20, %esp
        .cfi_def_cfa_offset 32
        .loc 1 21
        movl 32(%esp), %eax
        movl %eax, (%esp)
        call leaf
        .globl mid_ret
mid_ret:
        .loc 1 22
        addl $20, %esp
        .cfi_def_cfa_offset 12
        popl %esi
        .cfi_restore esi
        .cfi_def_cfa_offset 8
        popl %ebx
        .cfi_restore ebx
        .cfi_def_cfa_offset 4
        ret
        .cfi_endproc
        .size mid, .-mid

/* fpfunc: a frame pointer, described by CFI (CFA = ebp+8) */
        .globl fpfunc
        .type fpfunc, @function
fpfunc:
        .cfi_startproc
        .loc 1 30
        pushl %ebp
        .cfi_def_cfa_offset 8
        .cfi_offset ebp, -8
        movl %esp, %ebp
        .cfi_def_cfa_register ebp
        subl $40, %esp
        .loc 1 31
        call mid
        .globl fp_ret
fp_ret:
        .loc 1 32
        leave
        .cfi_def_cfa esp, 4
        .cfi_restore ebp
        ret
        .cfi_endproc
        .size fpfunc, .-fpfunc

/* nocfi: a frame pointer and no CFI at all */
        .globl nocfi
        .type nocfi, @function
nocfi:
        .loc 1 40
        pushl %ebp
        movl %esp, %ebp
        subl $8, %esp
        .loc 1 41
        call fpfunc
        .globl nocfi_ret
nocfi_ret:
        .loc 1 42
        leave
        ret
        .size nocfi, .-nocfi

/* top: its CFA as an expression, esp + 16 (DW_OP_breg4 0; DW_OP_plus_uconst 16) */
        .globl top
        .type top, @function
top:
        .cfi_startproc
        .loc 1 50
        subl $12, %esp
        .cfi_escape 0x0f, 4, 0x74, 0x00, 0x23, 0x10
        .loc 1 51
        call nocfi
        .globl top_ret
top_ret:
        .loc 1 52
        addl $12, %esp
        .cfi_def_cfa esp, 4
        ret
        .cfi_endproc
        .size top, .-top

/* outer: the outermost frame (return address undefined) */
        .globl outer
        .type outer, @function
outer:
        .cfi_startproc
        .cfi_undefined eip
        .loc 1 60
        subl $12, %esp
        .cfi_def_cfa_offset 16
        call top
        .globl outer_ret
outer_ret:
        .loc 1 61
        hlt
        .cfi_endproc
        .size outer, .-outer

/* ns::foo(int), for the demangler */
        .globl _ZN2ns3fooEi
        .type _ZN2ns3fooEi, @function
_ZN2ns3fooEi:
        .loc 1 70
        ret
        .size _ZN2ns3fooEi, .-_ZN2ns3fooEi
