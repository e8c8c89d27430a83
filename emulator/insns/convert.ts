/**
 * CBW/CWDE/CDQE and CWD/CDQ/CQO (SDM vol. 2). No flags are written.
 */
import { defineInsn } from './registry.ts';

const owner = 'convert';

// 66 98: AX := sign-extend(AL).  98: EAX := sign-extend(AX) (RAX bits 63:32 cleared).  48 98: RAX := sign-extend(EAX).
defineInsn('Cbw', { owner, exec: (c) => { const R = c.R; R[0] = (R[0] & -65536) | (((R[0] << 24) >> 24) & 0xffff); } });
defineInsn('Cwde', { owner, exec: (c) => { const R = c.R; R[0] = (R[0] << 16) >> 16; R[1] = 0; } });
defineInsn('Cdqe', { owner, exec: (c) => { const R = c.R; R[1] = R[0] >> 31; } });
// 66 99: DX := sign of AX.  99: EDX := sign of EAX (RDX bits 63:32 cleared).  48 99: RDX := sign of RAX.
defineInsn('Cwd', { owner, exec: (c) => { const R = c.R; R[4] = (R[4] & -65536) | (((R[0] << 16) >> 31) & 0xffff); } });
defineInsn('Cdq', { owner, exec: (c) => { const R = c.R; R[4] = R[0] >> 31; R[5] = 0; } });
defineInsn('Cqo', { owner, exec: (c) => { const R = c.R; R[4] = R[5] = R[1] >> 31; } });
