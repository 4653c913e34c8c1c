# The liburing-compatible face (include/liburing-compat, issue 13): header-only, built with gcc.
#
#   make test-liburing-prep   differential test of the face's SQE side (preparers, recvmsg and
#                             buffer-ring inlines, ABI constants and layouts) against the system's
#                             liburing 2.3, plus a C++ compile of the face; skipped with a reason
#                             when /usr/include/liburing.h (liburing-dev) is missing

CXX ?= c++
LCOMPAT_DIR := c_tests/liburing_compat
LCOMPAT_BIN := c_tests/bin/liburing_compat
LCOMPAT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror
LCOMPAT_FACE := -Iinclude/liburing-compat -Iinclude

TEST_TARGETS += test-liburing-prep

.PHONY: test-liburing-prep

# face.c sees only the face's headers and ref.c only the system's; main.c compares them.
test-liburing-prep:
	@if [ ! -f /usr/include/liburing.h ]; then \
	  echo "test-liburing-prep: SKIPPED: /usr/include/liburing.h missing (install liburing-dev 2.3)"; \
	  exit 0; \
	fi; \
	mkdir -p $(LCOMPAT_BIN) && \
	$(CC) $(LCOMPAT_CFLAGS) $(LCOMPAT_FACE) -c $(LCOMPAT_DIR)/face.c -o $(LCOMPAT_BIN)/face.o && \
	$(CC) $(LCOMPAT_CFLAGS) -c $(LCOMPAT_DIR)/ref.c -o $(LCOMPAT_BIN)/ref.o && \
	$(CC) $(LCOMPAT_CFLAGS) -c $(LCOMPAT_DIR)/main.c -o $(LCOMPAT_BIN)/main.o && \
	$(CC) -o $(LCOMPAT_BIN)/prep_diff $(LCOMPAT_BIN)/face.o $(LCOMPAT_BIN)/ref.o \
	  $(LCOMPAT_BIN)/main.o && \
	$(CXX) -std=c++11 -fsyntax-only -Wall -Wextra -Werror $(LCOMPAT_FACE) \
	  $(LCOMPAT_DIR)/cxx_syntax.cc && \
	echo "test-liburing-prep: the face compiles as C++11" && \
	$(LCOMPAT_BIN)/prep_diff
