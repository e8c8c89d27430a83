/**
 * iced `Register` → the operand numbers handlers use.
 *
 * GPRs: 0-15; the legacy high-byte registers AH, CH, DH, BH are 16-19 (bits
 * 15:8 of registers 0-3). Vector registers: 0-31 whatever their width.
 * Opmask, x87 stack, segment, control, debug and tile registers: their number.
 */
import iced from 'iced-x86';
const R = iced.Register;

export const REG_NUM = new Int8Array(256).fill(-1);
/** Width in bytes of each iced register. */
export const REG_SIZE = new Uint8Array(256);

function span(first: number, count: number, size: number, num = (k: number) => k): void {
  for (let k = 0; k < count; k++) { REG_NUM[first + k] = num(k); REG_SIZE[first + k] = size; }
}
span(R.AL, 4, 1);
span(R.AH, 4, 1, (k) => 16 + k);
span(R.SPL, 12, 1, (k) => 4 + k);
span(R.AX, 16, 2);
span(R.EAX, 16, 4);
span(R.RAX, 16, 8);
span(R.ES, 6, 2);
span(R.XMM0, 32, 16);
span(R.YMM0, 32, 32);
span(R.ZMM0, 32, 64);
span(R.K0, 8, 8);
span(R.CR0, 16, 8);
span(R.DR0, 16, 8);
span(R.ST0, 8, 10);
span(R.MM0, 8, 8);
span(R.TMM0, 8, 1024);
REG_NUM[R.RIP] = 16;
REG_NUM[R.EIP] = 16;
