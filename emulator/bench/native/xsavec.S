# The xsavec workload of `x86emu bench`, for a native run on this machine:
# XSAVEC64 + VPXORD zmm0 + VPXORD zmm16 + XRSTOR64 with RFBM = 0xe7 (x87, SSE,
# AVX, opmask, ZMM_Hi256, Hi16_ZMM) and dirty AVX-512 state.
# Must stay instruction-for-instruction identical to wlXsavec in ../workloads.ts.
# in: rdi = 64-byte aligned XSAVE area (4 KiB, zeroed), rsi = iteration count (SysV: wl_xsavec(area, n)); out: rax = checksum
        .intel_syntax noprefix
        .text
        .globl wl_xsavec
wl_xsavec:
        push    rbx
        mov     r8, rsi
        vmovdqu64 zmm0, [rip + xk0]
        vmovdqu64 zmm16, [rip + xk1]
        kmovq   k1, [rip + xk2]
        mov     eax, 0xe7
        xor     edx, edx
        test    r8, r8
        jz      2f
1:
        xsavec64 [rdi]
        vpxord  zmm0, zmm0, zmm0
        vpxord  zmm16, zmm16, zmm16
        xrstor64 [rdi]
        dec     r8
        jnz     1b
2:
        vextracti64x4 ymm1, zmm0, 1
        vpxor   ymm0, ymm0, ymm1
        vextracti64x4 ymm2, zmm16, 1
        vpxorq  ymm2, ymm2, ymm16
        vpxor   ymm0, ymm0, ymm2
        vextracti128 xmm1, ymm0, 1
        vpxor   xmm0, xmm0, xmm1
        vmovq   rax, xmm0
        vpextrq rbx, xmm0, 1
        kmovq   rcx, k1
        rol     rax, 13
        add     rax, rbx
        xor     rax, rcx
        mov     rcx, [rdi + 512]
        rol     rax, 7
        add     rax, rcx
        mov     rcx, [rdi + 520]
        xor     rax, rcx
        vzeroupper
        pop     rbx
        ret
        .section .rodata
        .balign 64
xk0:    .quad 0x0706050403020100, 0x0f0e0d0c0b0a0908, 0x1716151413121110, 0x1f1e1d1c1b1a1918
        .quad 0x2726252423222120, 0x2f2e2d2c2b2a2928, 0x3736353433323130, 0x3f3e3d3c3b3a3938
xk1:    .quad 0x1111111122222222, 0x3333333344444444, 0x5555555566666666, 0x7777777788888888
        .quad 0x99999999aaaaaaaa, 0xbbbbbbbbcccccccc, 0xddddddddeeeeeeee, 0xffffffff00000000
xk2:    .quad 0x00000000deadbeef
        .section .note.GNU-stack,"",@progbits
