/*
 * Bare build entry (README, "Boot protocol"): 64-bit, CPL 0, interrupts off,
 * RDI = boot-information block. Sets up a 1 MiB stack in .bss, enables
 * CR4.OSFXSR|OSXMMEXCPT|OSXSAVE, sets XCR0 = x87|SSE|AVX|opmask|ZMM_Hi256|
 * Hi16_ZMM (0xe7), puts the x87 and SSE control words in the state Linux
 * gives a new process (FCW 0x37f, MXCSR 0x1f80) and calls bare_main(rdi).
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	leaq stack_top(%rip), %rsp
	movq %rdi, %rbx
	movq %cr4, %rax
	orq $((1 << 9) | (1 << 10) | (1 << 18)), %rax
	movq %rax, %cr4
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl $0xe7, %eax
	xsetbv
	fninit
	ldmxcsr mxcsr_init(%rip)
	movq %rbx, %rdi
	xorl %ebp, %ebp
	call bare_main
1:	hlt
	jmp 1b
	.size _start, . - _start

	.section .rodata
	.balign 4
mxcsr_init:
	.long 0x1f80

	.section .bss
	.balign 64
stack:
	.skip 1 << 20
stack_top:
	.section .note.GNU-stack, "", @progbits
