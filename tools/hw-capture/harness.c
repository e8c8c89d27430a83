/*
 * x86emu hardware-capture harness: runs conformance cases on this machine's
 * silicon, in Linux user mode (CPL 3), and prints what it saw.
 *
 * Input (stdin), one case per line, space-separated, numbers in hex:
 *   C <id> <rflags> <rax> <rcx> <rdx> <rbx> <rsp> <rbp> <rsi> <rdi> <r8>..<r15>
 *     <code-hex> <nregions> { <addr> <r|rw> <hex|-> <len> }...
 * Output (stdout), one line per case and run:
 *   R <id> <run> <vector> <errcode> <rip> <rflags> <16 GPRs> { <region-hex> }...
 *   E <id> <run> <reason>
 * The case's code is mapped r-x at 0x10000000, each region rw or r, rounded out
 * to 4 KiB pages and zero-filled (MAP_FIXED_NOREPLACE: a clash with the harness
 * is reported, never silently overlaid). Every case runs in a forked child, so a
 * case can scribble over anything it likes. Before the jump the x87/SSE/AVX/
 * AVX-512 state is put into its initial configuration by XRSTOR64 with
 * XSTATE_BV = 0 (FCW 0x37f, MXCSR 0x1f80, all vector and opmask registers 0),
 * then RFLAGS and all 16 GPRs (RSP included) are loaded and the code entered by
 * an indirect jump through memory. The case stops at the first signal: the
 * kernel's trap number in the signal frame is the exception vector (int3: 3,
 * with RIP moved back to the int3 byte), REG_ERR the error code.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_ADDR 0x10000000ULL
#define MAXREG 16
#define PAGE 4096ULL

uint64_t g_regs[16];           /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 (ModRM order) */
uint64_t g_rflags;
uint64_t g_entry = CODE_ADDR;
uint64_t g_xmask;
uint8_t g_xbuf[16384] __attribute__((aligned(64)));

struct region { uint64_t addr, len; int rw; uint8_t *data; };
static struct region regs_[MAXREG];
static int nregions;
static uint8_t *code;
static size_t codelen;
static char outbuf[1 << 20];

void enter_case(void) __attribute__((noreturn));
__asm__(
  ".intel_syntax noprefix\n"
  ".text\n.globl enter_case\nenter_case:\n"
  "  mov eax, dword ptr [rip+g_xmask]\n"
  "  mov edx, dword ptr [rip+g_xmask+4]\n"
  "  xrstor64 [rip+g_xbuf]\n"
  "  push qword ptr [rip+g_rflags]\n"
  "  popfq\n"
  "  mov rax, qword ptr [rip+g_regs+0]\n"
  "  mov rcx, qword ptr [rip+g_regs+8]\n"
  "  mov rdx, qword ptr [rip+g_regs+16]\n"
  "  mov rbx, qword ptr [rip+g_regs+24]\n"
  "  mov rbp, qword ptr [rip+g_regs+40]\n"
  "  mov rsi, qword ptr [rip+g_regs+48]\n"
  "  mov rdi, qword ptr [rip+g_regs+56]\n"
  "  mov r8, qword ptr [rip+g_regs+64]\n"
  "  mov r9, qword ptr [rip+g_regs+72]\n"
  "  mov r10, qword ptr [rip+g_regs+80]\n"
  "  mov r11, qword ptr [rip+g_regs+88]\n"
  "  mov r12, qword ptr [rip+g_regs+96]\n"
  "  mov r13, qword ptr [rip+g_regs+104]\n"
  "  mov r14, qword ptr [rip+g_regs+112]\n"
  "  mov r15, qword ptr [rip+g_regs+120]\n"
  "  mov rsp, qword ptr [rip+g_regs+32]\n"
  "  jmp qword ptr [rip+g_entry]\n"
  ".att_syntax prefix\n");

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uint8_t *unhex(const char *s, size_t *n) {
  size_t l = strlen(s);
  if (strcmp(s, "-") == 0) l = 0;
  uint8_t *b = calloc(l / 2 + 1, 1);
  for (size_t i = 0; i + 1 < l; i += 2) b[i / 2] = (uint8_t)(hexval(s[i]) << 4 | hexval(s[i + 1]));
  *n = l / 2;
  return b;
}

static char *put_hex(char *p, const uint8_t *b, size_t n) {
  static const char d[] = "0123456789abcdef";
  if (n == 0) { *p++ = '-'; return p; }
  for (size_t i = 0; i < n; i++) { *p++ = d[b[i] >> 4]; *p++ = d[b[i] & 15]; }
  return p;
}

static void handler(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  /* a case may have set RFLAGS.AC (POPF); Linux runs user mode with CR0.AM = 1, so clear it before touching the stack */
  __asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory", "cc");
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  uint64_t vec = (uint64_t)g[REG_TRAPNO], rip = (uint64_t)g[REG_RIP];
  if (sig == SIGTRAP && vec == 3) rip -= 1;
  uint64_t r[16] = {
    g[REG_RAX], g[REG_RCX], g[REG_RDX], g[REG_RBX], g[REG_RSP], g[REG_RBP], g[REG_RSI], g[REG_RDI],
    g[REG_R8], g[REG_R9], g[REG_R10], g[REG_R11], g[REG_R12], g[REG_R13], g[REG_R14], g[REG_R15]};
  char *p = outbuf;
  p += sprintf(p, " %lx %lx %lx %lx", (unsigned long)vec, (unsigned long)g[REG_ERR], (unsigned long)rip,
               (unsigned long)g[REG_EFL]);
  for (int i = 0; i < 16; i++) p += sprintf(p, " %lx", (unsigned long)r[i]);
  for (int i = 0; i < nregions; i++) {
    *p++ = ' ';
    p = put_hex(p, (const uint8_t *)(uintptr_t)regs_[i].addr, regs_[i].len);
  }
  *p++ = '\n';
  /* the signal number is a cross-check of the trap number */
  p += 0;
  if (write(3, outbuf, (size_t)(p - outbuf)) < 0) _exit(3);
  _exit(sig == SIGTRAP || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ? 0 : 2);
}

static int map_at(uint64_t addr, uint64_t len) {
  uint64_t lo = addr & ~(PAGE - 1), hi = (addr + len + PAGE - 1) & ~(PAGE - 1);
  if (hi == lo) hi = lo + PAGE;
  void *p = mmap((void *)(uintptr_t)lo, hi - lo, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  return p == (void *)(uintptr_t)lo ? 0 : -1;
}

static int protect(uint64_t addr, uint64_t len, int prot) {
  uint64_t lo = addr & ~(PAGE - 1), hi = (addr + len + PAGE - 1) & ~(PAGE - 1);
  if (hi == lo) hi = lo + PAGE;
  return mprotect((void *)(uintptr_t)lo, hi - lo, prot);
}

static void run_child(void) {
  static uint8_t altstack[1 << 18];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL)) _exit(10);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  int sigs[] = {SIGTRAP, SIGSEGV, SIGBUS, SIGILL, SIGFPE};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
  if (map_at(CODE_ADDR, codelen)) _exit(11);
  memcpy((void *)(uintptr_t)CODE_ADDR, code, codelen);
  if (protect(CODE_ADDR, codelen, PROT_READ | PROT_EXEC)) _exit(12);
  for (int i = 0; i < nregions; i++) {
    if (map_at(regs_[i].addr, regs_[i].len)) _exit(13);
    memcpy((void *)(uintptr_t)regs_[i].addr, regs_[i].data, regs_[i].len);
  }
  for (int i = 0; i < nregions; i++)
    if (!regs_[i].rw && protect(regs_[i].addr, regs_[i].len, PROT_READ)) _exit(14);
  alarm(2);
  enter_case();
}

static uint64_t xgetbv0(void) {
  uint32_t a, d;
  __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
  return ((uint64_t)d << 32) | a;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 1;
  memset(g_xbuf, 0, sizeof g_xbuf);
  *(uint32_t *)(g_xbuf + 24) = 0x1f80;       /* MXCSR: loaded whenever RFBM[1] or RFBM[2] is set */
  g_xmask = xgetbv0() & ~(1ULL << 9);       /* every enabled component but PKRU */
  size_t cap = 1 << 22;
  char *line = malloc(cap);
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, (int)cap, stdin)) {
    if (line[0] != 'C') continue;
    line[strcspn(line, "\n")] = 0;
    char *save = NULL, *tok = strtok_r(line, " ", &save);
    char *id = strtok_r(NULL, " ", &save);
    g_rflags = strtoull(strtok_r(NULL, " ", &save), NULL, 16);
    for (int i = 0; i < 16; i++) g_regs[i] = strtoull(strtok_r(NULL, " ", &save), NULL, 16);
    free(code);
    code = unhex(strtok_r(NULL, " ", &save), &codelen);
    for (int i = 0; i < nregions; i++) free(regs_[i].data);
    nregions = (int)strtol(strtok_r(NULL, " ", &save), NULL, 16);
    for (int i = 0; i < nregions; i++) {
      regs_[i].addr = strtoull(strtok_r(NULL, " ", &save), NULL, 16);
      regs_[i].rw = strcmp(strtok_r(NULL, " ", &save), "rw") == 0;
      size_t n;
      regs_[i].data = unhex(strtok_r(NULL, " ", &save), &n);
      regs_[i].len = strtoull(strtok_r(NULL, " ", &save), NULL, 16);
      if (n < regs_[i].len) { regs_[i].data = realloc(regs_[i].data, regs_[i].len); memset(regs_[i].data + n, 0, regs_[i].len - n); }
    }
    (void)tok;
    for (int run = 0; run < runs; run++) {
      int fds[2];
      if (pipe(fds)) { perror("pipe"); return 1; }
      fflush(stdout);
      pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        if (fds[1] != 3) { dup2(fds[1], 3); close(fds[1]); }
        run_child();
      }
      close(fds[1]);
      static char buf[1 << 20];
      size_t got = 0;
      ssize_t k;
      while ((k = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)k;
      close(fds[0]);
      buf[got] = 0;
      int st = 0;
      waitpid(pid, &st, 0);
      if (got > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) printf("R %s %d%s", id, run, buf);
      else if (WIFSIGNALED(st)) printf("E %s %d killed-by-signal-%d\n", id, run, WTERMSIG(st));
      else printf("E %s %d exit-%d\n", id, run, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
  }
  return 0;
}
