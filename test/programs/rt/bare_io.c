/*
 * Bare build: the C side of the boot-protocol runtime (README, "Boot
 * protocol"). start.S calls bare_main with RDI = the boot-information block;
 * the console is the 16550 at the port in field 0x4c and the exit device the
 * port in field 0x4e. Also the memcpy/memset/memmove/memcmp that gcc may call
 * even in freestanding code (-nostdlib leaves them out).
 */
#include "io.h"

static uint16_t com1 = 0x3f8, exit_port = 0xf4;

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

void io_putc(int c) {
  while (!(inb(com1 + 5) & 0x20)) { }  /* LSR.THRE */
  outb(com1, (uint8_t)c);
}

__attribute__((noreturn)) void bare_main(const unsigned char *bi) {
  if (*(const volatile uint64_t *)bi != 0x3149423638786e65ull) outl(exit_port, 0xee); /* not our boot protocol */
  com1 = *(const volatile uint16_t *)(bi + 0x4c);
  exit_port = *(const volatile uint16_t *)(bi + 0x4e);
  int r = prog_main();
  io_exit_line(r);
  outl(exit_port, (uint32_t)r & 0xff);
  for (;;) __asm__ volatile("hlt");
}

/* Plain byte loops; the attribute keeps gcc from turning them back into calls to themselves. */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memcpy(void *restrict d, const void *restrict s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}

NO_LIBCALL void *memmove(void *d, const void *s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  if (dp < sp) while (n--) *dp++ = *sp++;
  else while (n--) dp[n] = sp[n];
  return d;
}

NO_LIBCALL void *memset(void *d, int c, size_t n) {
  unsigned char *dp = d;
  while (n--) *dp++ = (unsigned char)c;
  return d;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t k = 0; k < n; k++) if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}
