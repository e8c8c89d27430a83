/*
 * Byte and string loops: memcpy/memset/memmove-style copies gcc vectorises
 * or turns into calls (the bare runtime provides memcpy/memset/memmove/
 * memcmp), struct copies, strlen/strcmp/strchr-style scans, reversal,
 * case mapping with a table, a CRC-32 with a table, base64, run-length
 * encoding, and an insertion sort of strings.
 */
#include "io.h"

void *memcpy(void *restrict, const void *restrict, size_t);
void *memset(void *, int, size_t);
void *memmove(void *, const void *, size_t);
int memcmp(const void *, const void *, size_t);

#define SZ 6000
static unsigned char src[SZ], dst[SZ + 64], buf[SZ * 2];
static uint32_t crctab[256];

struct rec { uint64_t id; char name[40]; int32_t vals[13]; uint32_t tag; }; /* no padding: hashed whole */
static struct rec recs[64];

static uint32_t rng = 2463534242u;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

__attribute__((noinline)) static void copy_loop(unsigned char *d, const unsigned char *s, size_t n) { for (size_t i = 0; i < n; i++) d[i] = s[i]; }
__attribute__((noinline)) static void set_loop(unsigned char *d, unsigned char v, size_t n) { for (size_t i = 0; i < n; i++) d[i] = v; }
__attribute__((noinline)) static void copy32(uint32_t *d, const uint32_t *s, size_t n) { for (size_t i = 0; i < n; i++) d[i] = s[i] + 1; }
__attribute__((noinline)) static size_t my_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
__attribute__((noinline)) static int my_strcmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}
__attribute__((noinline)) static const char *my_strchr(const char *s, int c) { for (; *s; s++) if (*s == c) return s; return 0; }
__attribute__((noinline)) static void reverse(unsigned char *p, size_t n) { for (size_t i = 0; i < n / 2; i++) { unsigned char t = p[i]; p[i] = p[n - 1 - i]; p[n - 1 - i] = t; } }
__attribute__((noinline)) static void upper(unsigned char *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = (p[i] >= 'a' && p[i] <= 'z') ? (unsigned char)(p[i] - 32) : p[i]; }
__attribute__((noinline)) static size_t count_eq(const unsigned char *p, size_t n, unsigned char c) { size_t k = 0; for (size_t i = 0; i < n; i++) k += p[i] == c; return k; }

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crctab[i] = c;
  }
}
static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = crctab[(c ^ p[i]) & 255] ^ (c >> 8);
  return ~c;
}

static size_t base64(unsigned char *out, const unsigned char *in, size_t n) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0, i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = al[v >> 18]; out[o++] = al[(v >> 12) & 63]; out[o++] = al[(v >> 6) & 63]; out[o++] = al[v & 63];
  }
  if (n - i == 1) { uint32_t v = (uint32_t)in[i] << 16; out[o++] = al[v >> 18]; out[o++] = al[(v >> 12) & 63]; out[o++] = '='; out[o++] = '='; }
  else if (n - i == 2) { uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8; out[o++] = al[v >> 18]; out[o++] = al[(v >> 12) & 63]; out[o++] = al[(v >> 6) & 63]; out[o++] = '='; }
  return o;
}

static size_t rle(unsigned char *out, const unsigned char *in, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && in[j] == in[i] && j - i < 255) j++;
    out[o++] = (unsigned char)(j - i); out[o++] = in[i];
    i = j;
  }
  return o;
}

int prog_main(void) {
  uint64_t h = FNV_INIT;
  crc_init();
  for (int i = 0; i < SZ; i++) {
    uint32_t r = next();
    src[i] = (r & 3) == 0 ? (unsigned char)(r >> 8) : (unsigned char)("the quick brown fox jumps over lazy dogs "[(r >> 8) % 41]);
  }
  io_kv("crc", crc32(src, SZ));
  /* Copies of every alignment and small length. */
  for (int off = 0; off < 16; off++)
    for (size_t n = 0; n < 80; n += 7) {
      set_loop(dst, (unsigned char)off, sizeof dst);
      copy_loop(dst + off, src + (n * 3 & 31), n);
      memcpy(dst + 32 + off, src + n, n / 2);
      memset(dst + 200 + n, 0x5a, (size_t)off * 3);
      h = fnv1a(h, dst, 400);
    }
  io_kv("copies", h);
  copy_loop(buf, src, SZ);
  memmove(buf + 5, buf, 3000);
  memmove(buf + 100, buf + 133, 2000);
  copy32((uint32_t *)(buf + 4096), (const uint32_t *)src, 1000);
  io_kv("memmove", fnv1a(FNV_INIT, buf, sizeof buf));
  /* Struct copies: gcc inlines small ones with vector moves and calls memcpy for large ones. */
  for (int k = 0; k < 64; k++) {
    recs[k].id = next(); recs[k].tag = (uint32_t)k;
    for (int j = 0; j < 39; j++) recs[k].name[j] = (char)('a' + (next() % 26));
    recs[k].name[39] = 0;
    for (int j = 0; j < 13; j++) recs[k].vals[j] = (int32_t)next();
  }
  for (int k = 1; k < 64; k++) { struct rec t = recs[k]; t.id ^= recs[k - 1].id; recs[k - 1] = t; }
  struct rec many[8];
  for (int k = 0; k < 8; k++) many[k] = recs[k * 7];
  io_kv("structs", fnv1a(fnv1a(FNV_INIT, recs, sizeof recs), many, sizeof many));
  /* Insertion sort of the names. */
  const char *ptr[64];
  for (int k = 0; k < 64; k++) ptr[k] = recs[k].name + (k % 5);
  for (int i = 1; i < 64; i++) {
    const char *p = ptr[i];
    int j = i - 1;
    while (j >= 0 && my_strcmp(ptr[j], p) > 0) { ptr[j + 1] = ptr[j]; j--; }
    ptr[j + 1] = p;
  }
  uint64_t s = 0;
  for (int k = 0; k < 64; k++) s = s * 131 + (uint64_t)(ptr[k] - recs[0].name) + my_strlen(ptr[k]);
  const char *q = my_strchr(recs[3].name, 'q');
  s ^= q ? (uint64_t)(q - recs[3].name) : 0xffff;
  io_kv("strsort", s);
  upper(buf, SZ); reverse(buf, SZ - 3);
  io_kv("upper", crc32(buf, SZ) ^ (uint64_t)count_eq(buf, SZ, 'O') << 32);
  size_t n64 = base64(buf, src, 1000);
  io_kv("base64", fnv1a(FNV_INIT, buf, n64) ^ n64);
  io_puts("b64head=");
  for (int k = 0; k < 40; k++) io_putc(buf[k]);
  io_putc('\n');
  size_t nr = rle(buf, src, SZ);
  io_kv("rle", fnv1a(FNV_INIT, buf, nr) + nr);
  io_kv("memcmp", (uint64_t)(memcmp(src, src + 1, 10) > 0) << 1 | (uint64_t)(memcmp(dst, dst, 100) == 0));
  return (int)(h & 0x3f);
}
