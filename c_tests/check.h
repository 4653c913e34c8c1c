/* A tiny test harness for the C tests: CHECK stops the program with the failing line,
 * SKIP reports a feature the kernel lacks. Exit status: 0 passed, 77 skipped, 1 failed. */
#ifndef RINGCORE_CHECK_H
#define RINGCORE_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringcore.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

/* CHECK that an int expression equals an expected value, printing both on failure. */
#define CHECK_EQ(expr, want)                                                          \
  do {                                                                                \
    long long got_ = (long long)(expr), want_ = (long long)(want);                    \
    if (got_ != want_) {                                                              \
      fprintf(stderr, "%s:%d: %s == %lld, want %lld (%s)\n", __FILE__, __LINE__,      \
              #expr, got_, want_, got_ < 0 ? ringcore_strerror((int)got_) : "");      \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

#define SKIP(...)                                                                     \
  do {                                                                                \
    printf("SKIPPED: " __VA_ARGS__);                                                  \
    printf("\n");                                                                     \
    exit(77);                                                                         \
  } while (0)

/* A ring of `entries`, or the test fails. */
static inline struct ringcore_ring *test_ring(unsigned entries) {
  struct ringcore_ring *ring = NULL;
  CHECK_EQ(ringcore_ring_new(entries, NULL, &ring), 0);
  CHECK(ring != NULL);
  return ring;
}

#endif
