/* Native driver for xsavec.S: ./xsavec N prints "ck=<16 hex>" like the shared bench ELF files. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
extern uint64_t wl_xsavec(void *area, uint64_t n);
static unsigned char area[4096] __attribute__((aligned(64)));
int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], 0, 10) : 0;
  printf("ck=%016llx\n", (unsigned long long)wl_xsavec(area, n));
  return 0;
}
