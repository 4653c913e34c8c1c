/* The header's version macros against ringcore_version(), the errno names the header brings
 * with it, and ringcore_strerror() over every number Linux assigns. */
#include "ringcore.h"

/* Before any other include: ringcore.h alone must make -EBUSY and friends usable. */
#if !defined(EBUSY) || !defined(ENOTRECOVERABLE) || !defined(EHWPOISON)
#error "ringcore.h does not provide the errno constants its return values are compared with"
#endif

#include "check.h"

int main(void) {
  int n;

  /* Compile time and run time agree (the same build), and the encoding is the documented one. */
  CHECK_EQ(ringcore_version(), RINGCORE_VERSION);
  CHECK_EQ(ringcore_version() >> 16, RINGCORE_VERSION_MAJOR);
  CHECK_EQ((ringcore_version() >> 8) & 0xff, RINGCORE_VERSION_MINOR);
  CHECK_EQ(ringcore_version() & 0xff, RINGCORE_VERSION_PATCH);
  CHECK_EQ(RINGCORE_MAKE_VERSION(1, 2, 3), 0x010203);

  /* Every errno from 1 to 133 has a text of its own, negative or positive. */
  for (n = 1; n <= 133; n++) {
    const char *text = ringcore_strerror(-n);
    CHECK(text != NULL);
    if (strcmp(text, "unknown error") == 0 || text[0] == '\0') {
      fprintf(stderr, "errno %d has no description\n", n);
      return 1;
    }
    CHECK(strcmp(text, ringcore_strerror(n)) == 0);
  }
  /* The code a caught panic returns, and the newest numbers. */
  CHECK(strcmp(ringcore_strerror(-ENOTRECOVERABLE), "state not recoverable") == 0);
  CHECK(strcmp(ringcore_strerror(-EHWPOISON), "memory page has hardware error") == 0);
  CHECK(strcmp(ringcore_strerror(-EPROTO), "protocol error") == 0);
  CHECK(strcmp(ringcore_strerror(-EDQUOT), "disk quota exceeded") == 0);
  /* Beyond what Linux assigns. */
  CHECK(strcmp(ringcore_strerror(-134), "unknown error") == 0);
  return 0;
}
