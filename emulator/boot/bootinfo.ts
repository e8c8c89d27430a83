/**
 * The boot-information block the loader hands the kernel in RDI (README,
 * "Boot protocol"). All fields little-endian; offsets are the contract.
 */
export const BOOT_MAGIC = 0x3149423638786e65n; // "x86emuBI"-like tag: bytes 'e','n','x','8','6','B','I','1'
export const BOOT_VERSION = 1;

export const BI = {
  magic: 0x00,        // u64
  version: 0x08,      // u32
  size: 0x0c,         // u32 bytes of this block
  vcpuCount: 0x10,    // u32
  bspApicId: 0x14,    // u32
  memSize: 0x18,      // u64 RAM bytes
  mmapAddr: 0x20,     // u64 physical address of the memory map
  mmapCount: 0x28,    // u32 entries (MMAP_ENTRY bytes each)
  cmdlineAddr: 0x30,  // u64 physical address of the command line (NUL-terminated)
  cmdlineLen: 0x38,   // u32 bytes without the NUL
  modulesAddr: 0x40,  // u64 physical address of the module table
  moduleCount: 0x48,  // u32 entries (MODULE_ENTRY bytes each)
  serialPort: 0x4c,   // u16 COM1 I/O port
  exitPort: 0x4e,     // u16 exit-device I/O port
  tscHz: 0x50,        // u64 guest TSC frequency (1 instruction = 1 tick)
  freeStart: 0x58,    // u64 first free physical byte after the kernel, modules and boot data
  SIZE: 0x60,
} as const;

/** Memory-map entry: base u64, length u64, type u32, pad u32. */
export const MMAP_ENTRY = 24;
export const MMAP_USABLE = 1, MMAP_RESERVED = 2, MMAP_KERNEL = 3, MMAP_MODULE = 4, MMAP_BOOT = 5;

/** Module entry: addr u64, size u64, name address u64 (NUL-terminated), name length u32, pad u32. */
export const MODULE_ENTRY = 32;
