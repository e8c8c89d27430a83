/**
 * The GDT layout the boot loader and the conformance runner install, the
 * same as Linux x86-64's so SYSCALL/SYSRET selectors work unchanged:
 * 0x10 kernel CS (64-bit), 0x18 kernel DS, 0x2b user DS, 0x33 user CS (64-bit),
 * 0x40 the 64-bit TSS (16 bytes).
 */
export const KERNEL_CS = 0x10, KERNEL_DS = 0x18, USER_DS = 0x2b, USER_CS = 0x33, TSS_SEL = 0x40;
/** STAR[63:48] for SYSRET (CS = +16, SS = +8) and [47:32] for SYSCALL. */
export const STAR_VALUE = (0x23n << 48n) | (BigInt(KERNEL_CS) << 32n);
export const GDT_BYTES = 0x50;
export const TSS_BYTES = 0x68;

/** Writes the GDT into `out` (GDT_BYTES long) with a TSS at linear `tssBase`. */
export function buildGdt(out: DataView, off: number, tssBase: bigint): void {
  const code64 = (dpl: number) => [0x0000ffff, 0x00af9a00 | (dpl << 13)];
  const data = (dpl: number) => [0x0000ffff, 0x00cf9200 | (dpl << 13)];
  const code32 = (dpl: number) => [0x0000ffff, 0x00cf9a00 | (dpl << 13)];
  const entries: number[][] = [[0, 0], code32(0), code64(0), data(0), code32(3), data(3), code64(3), [0, 0]];
  entries.forEach(([lo, hi], k) => { out.setUint32(off + 8 * k, lo >>> 0, true); out.setUint32(off + 8 * k + 4, hi >>> 0, true); });
  const b = tssBase, lim = TSS_BYTES - 1;
  const lo = ((Number(b & 0xffffn) << 16) | lim) >>> 0;
  const hi = ((Number((b >> 24n) & 0xffn) << 24) | 0x8900 | Number((b >> 16n) & 0xffn)) >>> 0;
  out.setUint32(off + 0x40, lo, true);
  out.setUint32(off + 0x44, hi, true);
  out.setUint32(off + 0x48, Number((b >> 32n) & 0xffffffffn), true);
  out.setUint32(off + 0x4c, 0, true);
}
