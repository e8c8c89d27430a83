/*
 * The tiny I/O layer shared by the native and the bare builds of every test
 * program. A program defines prog_main(); it writes its results with the
 * helpers below (which only need io_putc) and returns a status.
 *   native: native_main.c implements io_putc with stdio and calls prog_main.
 *   bare:   start.S + bare_io.c implement it with the COM1 port named in the
 *           boot-information block and exit through the exit device.
 * Both builds end the output with the line "exit=NN" (status & 0xff, hex).
 */
#ifndef X86EMU_IO_H
#define X86EMU_IO_H
#include <stddef.h>
#include <stdint.h>

void io_putc(int c);
int prog_main(void);

static inline void io_puts(const char *s) {
  while (*s) io_putc(*s++);
}

static inline void io_hexn(uint64_t v, int digits) {
  for (int k = digits - 1; k >= 0; k--) io_putc("0123456789abcdef"[(v >> (4 * k)) & 15]);
}

/* "name=<16 hex digits>\n" */
static inline void io_kv(const char *name, uint64_t v) {
  io_puts(name);
  io_putc('=');
  io_hexn(v, 16);
  io_putc('\n');
}

/* "name=<bytes in memory order, hex>\n" */
static inline void io_kbytes(const char *name, const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  io_puts(name);
  io_putc('=');
  for (size_t k = 0; k < n; k++) io_hexn(b[k], 2);
  io_putc('\n');
}

static inline void io_exit_line(int status) {
  io_puts("exit=");
  io_hexn((unsigned)status & 0xff, 2);
  io_putc('\n');
}

/* FNV-1a-style hash over a buffer, 8 bytes per step (then the tail bytes):
   the checksum every program prints for its arrays. */
typedef uint64_t __attribute__((may_alias, aligned(1))) io_u64_unaligned;
static inline uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  size_t k = 0;
  for (; k + 8 <= n; k += 8) { h ^= *(const io_u64_unaligned *)(b + k); h *= 0x100000001b3ull; h ^= h >> 29; }
  for (; k < n; k++) { h ^= b[k]; h *= 0x100000001b3ull; }
  return h;
}
#define FNV_INIT 0xcbf29ce484222325ull

#endif
