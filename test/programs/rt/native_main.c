/* Native build: an ordinary Linux program that prints what the bare build prints. */
#include <stdio.h>
#include "io.h"

void io_putc(int c) { putchar(c); }

int main(void) {
  int r = prog_main();
  io_exit_line(r);
  fflush(stdout);
  return r & 0xff;
}
