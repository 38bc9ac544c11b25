/* ue's i386 vDSO: the system call entry and the signal return trampolines,
 * as a tiny shared object so libc can find them by symbol. */
	.text
	.globl __kernel_vsyscall
	.type __kernel_vsyscall, @function
__kernel_vsyscall:
	int $0x80
	ret
	.size __kernel_vsyscall, .-__kernel_vsyscall

	.balign 16
	.globl __kernel_sigreturn
	.type __kernel_sigreturn, @function
__kernel_sigreturn:
	popl %eax
	movl $119, %eax
	int $0x80
	.size __kernel_sigreturn, .-__kernel_sigreturn

	.balign 16
	.globl __kernel_rt_sigreturn
	.type __kernel_rt_sigreturn, @function
__kernel_rt_sigreturn:
	movl $173, %eax
	int $0x80
	.size __kernel_rt_sigreturn, .-__kernel_rt_sigreturn
