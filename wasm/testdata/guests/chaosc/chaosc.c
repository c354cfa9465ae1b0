// chaosc is an Extism plug-in written in C that misbehaves on request. Reef's Wasm runtime
// tests (package wasm) use it to check that a guest that loops, hogs memory, traps or fails
// is contained. It needs no Extism header: the extism:host/env imports are declared below.
// Build (see ../../build.sh):
//
//	clang --target=wasm32-wasi -O2 -mexec-model=reactor -o chaosc.wasm chaosc.c
//
// Inputs are JSON arrays of arguments (Reef's calling convention); functions that take a
// number read the first integer in the input.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMPORT(name) __attribute__((import_module("extism:host/env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

typedef uint64_t handle;

IMPORT("input_length") extern uint64_t extism_input_length(void);
IMPORT("input_offset") extern handle extism_input_offset(void);
IMPORT("input_load_u8") extern uint8_t extism_input_load_u8(uint64_t);
IMPORT("input_load_u64") extern uint64_t extism_input_load_u64(uint64_t);
IMPORT("length_unsafe") extern uint64_t extism_length_unsafe(handle);
IMPORT("length") extern uint64_t extism_length(handle);
IMPORT("alloc") extern handle extism_alloc(uint64_t);
IMPORT("free") extern void extism_free(handle);
IMPORT("load_u8") extern uint8_t extism_load_u8(handle);
IMPORT("load_u64") extern uint64_t extism_load_u64(handle);
IMPORT("store_u8") extern void extism_store_u8(handle, uint8_t);
IMPORT("store_u64") extern void extism_store_u64(handle, uint64_t);
IMPORT("output_set") extern void extism_output_set(handle, uint64_t);
IMPORT("error_set") extern void extism_error_set(handle);
IMPORT("log_info") extern void extism_log_info(handle);

// load copies n bytes at handle h from Extism memory (what the C PDK does).
static void load(handle h, uint8_t *dst, uint64_t n) {
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v = extism_load_u64(h + i);
    memcpy(dst + i, &v, 8);
  }
  for (; i < n; i++) dst[i] = extism_load_u8(h + i);
}

// store copies n bytes into Extism memory at handle h.
static void store(handle h, const uint8_t *src, uint64_t n) {
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, src + i, 8);
    extism_store_u64(h + i, v);
  }
  for (; i < n; i++) extism_store_u8(h + i, src[i]);
}

static handle alloc_buf(const void *src, uint64_t n) {
  handle h = extism_alloc(n);
  store(h, src, n);
  return h;
}

static void output(const char *s, uint64_t n) { extism_output_set(alloc_buf(s, n), n); }

static int32_t fail_with(const char *msg) {
  extism_error_set(alloc_buf(msg, strlen(msg)));
  return 1;
}

// first_int returns the first (non-negative) integer in the input, read with
// input_load_u8 (what the Go PDK does), or def when there is none.
static int64_t first_int(int64_t def) {
  uint64_t n = extism_input_length();
  int64_t v = 0;
  int seen = 0;
  for (uint64_t i = 0; i < n; i++) {
    uint8_t c = extism_input_load_u8(i);
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      seen = 1;
    } else if (seen) {
      break;
    }
  }
  return seen ? v : def;
}

// echo returns its input unchanged. It reads the input through input_offset and load_*,
// as the C PDK does, and checks that length_unsafe and length agree with input_length.
EXPORT("echo") int32_t echo(void) {
  handle in = extism_input_offset();
  uint64_t n = extism_input_length();
  if (n > 0 && (extism_length_unsafe(in) != n || extism_length(in) != n))
    return fail_with("chaosc: input block length does not match input_length");
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf) return fail_with("chaosc: out of memory");
  load(in, buf, n);
  output((const char *)buf, n);
  free(buf);
  return 0;
}

// spin never returns.
EXPORT("spin") int32_t spin(void) {
  volatile uint64_t x = 0;
  for (;;) x++;
  return 0;
}

// hogged chains hog's blocks so the compiler cannot drop the allocations.
static void *volatile hogged;

// hog allocates (and touches) 1 MiB blocks until malloc fails, then aborts as Rust and
// most runtimes do on out-of-memory: the host sees a trap after a refused memory.grow.
EXPORT("hog") int32_t hog(void) {
  for (;;) {
    void **p = malloc(1 << 20);
    if (!p) __builtin_trap();
    memset(p, 0xAB, 1 << 20);
    *p = hogged;
    hogged = p;
  }
  return 0;
}

// trap executes unreachable.
EXPORT("trap") int32_t trap(void) { __builtin_trap(); }

// fail returns an Extism error with a message.
EXPORT("fail") int32_t fail(void) { return fail_with("chaosc: failure requested"); }

// busy busy-waits for [ms] milliseconds (default 100) on the monotonic clock and returns
// ms. The host's sleep is a no-op, so this keeps the instance's thread busy, which is what
// the parallelism tests need.
EXPORT("busy") int32_t busy(void) {
  int64_t ms = first_int(100);
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t el = (int64_t)(now.tv_sec - start.tv_sec) * 1000000000 + (now.tv_nsec - start.tv_nsec);
    if (el >= ms * 1000000) break;
  }
  char out[32];
  int n = snprintf(out, sizeof out, "%lld", (long long)ms);
  output(out, (uint64_t)n);
  return 0;
}

// raw returns text that is not JSON.
EXPORT("raw") int32_t raw(void) {
  const char *s = "plain text, not JSON";
  output(s, strlen(s));
  return 0;
}

// empty returns success with no output.
EXPORT("empty") int32_t empty(void) { return 0; }

// print writes [n] lines (default 1) to stdout, one to stderr and one to the Extism log.
EXPORT("print") int32_t print(void) {
  int64_t n = first_int(1);
  for (int64_t i = 0; i < n; i++) printf("chaosc stdout line %lld\n", (long long)i);
  fflush(stdout);
  fprintf(stderr, "chaosc stderr line\n");
  const char *msg = "chaosc log line";
  handle h = alloc_buf(msg, strlen(msg));
  extism_log_info(h);
  extism_free(h);
  output("null", 4);
  return 0;
}

// kalloc allocates 1 MiB blocks of Extism (host) memory until alloc returns 0, then fails.
EXPORT("kalloc") int32_t kalloc(void) {
  for (int i = 0; i < 1 << 20; i++) {
    if (extism_alloc(1 << 20) == 0) return fail_with("chaosc: extism alloc returned 0");
  }
  return 0;
}
