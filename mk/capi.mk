# The C library: libringcore.a / libringcore.so, include/ringcore.h, C tests, install.
#
#   make lib            build target/release/libringcore.{a,so}
#   make header         refresh include/ringcore.h from the cbindgen output in OUT_DIR
#   make test-c         check the committed header, run c_tests/ under ASan+UBSan, then under
#                       valgrind memcheck (no ASan) for leaks
#   make test-install   install into a temporary prefix and build a program with pkg-config
#   make install        install lib, header and ringcore.pc under $(PREFIX)

CC ?= cc
LIBDIR := target/release
LIB_A := $(LIBDIR)/libringcore.a
# What a Rust staticlib needs from the system (`cargo rustc -- --print native-static-libs`).
RINGCORE_NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
C_TEST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Ic_tests
C_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
C_TEST_SRCS := $(sort $(wildcard c_tests/*.c))
C_TEST_NAMES := $(basename $(notdir $(C_TEST_SRCS)))
C_TEST_BIN := c_tests/bin
VALGRIND := valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99

TEST_TARGETS += test-c test-install

.PHONY: lib header check-header test-c test-install install perf-c perf-rust

# The cargo build that also (re)generates the header; prints the build script's OUT_DIR.
define capi_out_dir
$(CARGO) build --release -p ringcore-capi --message-format=json-render-diagnostics \
	| grep '"reason":"build-script-executed"' | grep 'ringcore-capi' \
	| sed 's/.*"out_dir":"\([^"]*\)".*/\1/' | tail -n 1
endef

lib:
	$(CARGO) build --release -p ringcore-capi

header:
	@out=$$($(capi_out_dir)); test -n "$$out" && cp "$$out/ringcore.h" include/ringcore.h \
	  && echo "include/ringcore.h refreshed from $$out"

check-header:
	@out=$$($(capi_out_dir)); test -n "$$out" \
	  && diff -u include/ringcore.h "$$out/ringcore.h" \
	  || { echo "include/ringcore.h is stale: run 'make header' and commit it"; exit 1; }

test-c: lib check-header
	@mkdir -p $(C_TEST_BIN)/asan $(C_TEST_BIN)/vg
	@for t in $(C_TEST_NAMES); do \
	  $(CC) $(C_TEST_CFLAGS) $(C_SAN) -o $(C_TEST_BIN)/asan/$$t c_tests/$$t.c $(LIB_A) \
	    $(RINGCORE_NATIVE_LIBS) || exit 1; \
	  $(CC) $(C_TEST_CFLAGS) -o $(C_TEST_BIN)/vg/$$t c_tests/$$t.c $(LIB_A) \
	    $(RINGCORE_NATIVE_LIBS) || exit 1; \
	done
	@echo "== C tests (ASan + UBSan)"
	@c_tests/run.sh $(addprefix $(C_TEST_BIN)/asan/,$(C_TEST_NAMES))
	@echo "== C tests (valgrind memcheck)"
	@RUNNER="$(VALGRIND)" c_tests/run.sh $(addprefix $(C_TEST_BIN)/vg/,$(C_TEST_NAMES))

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/libringcore.a
	install -m 755 $(LIBDIR)/libringcore.so $(DESTDIR)$(PREFIX)/lib/libringcore.so
	install -m 644 include/ringcore.h $(DESTDIR)$(PREFIX)/include/ringcore.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@NATIVE_LIBS@|$(RINGCORE_NATIVE_LIBS)|g' \
	  ringcore.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ringcore.pc

# Installs into a fresh temporary prefix, builds c_tests/install/hello.c with the flags
# pkg-config gives, statically and shared, and runs both.
test-install:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory install PREFIX="$$tmp" >/dev/null && \
	export PKG_CONFIG_PATH="$$tmp/lib/pkgconfig" && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello" c_tests/install/hello.c \
	  $$(pkg-config --cflags --libs ringcore) && \
	LD_LIBRARY_PATH="$$tmp/lib" "$$tmp/hello" && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello-static" c_tests/install/hello.c \
	  $$(pkg-config --cflags ringcore) "$$tmp/lib/libringcore.a" \
	  $$(pkg-config --static --libs-only-l ringcore | sed 's/-lringcore//') && \
	"$$tmp/hello-static" && echo "test-install: ok (pkg-config, shared and static)"

# User-space instructions per NOP of the C hot path (get_sqe, prep_nop, set_data64, one
# submit_and_wait per batch, peek_batch_cqe, cq_advance), ringcore (with the header's inline
# fast paths, and with -DRINGCORE_NO_INLINE), the liburing-compatible face (the liburing
# source of the same program built with -Iinclude/liburing-compat) against liburing
# (Debian's liburing-dev, skipped when absent), from callgrind at two sizes: the difference
# in instructions over the difference in NOPs. Not part of `make test`; needs valgrind.
PERF_SIZES := 32000 64000
perf-c: lib
	@mkdir -p $(C_TEST_BIN)/perf
	@for b in 32 1; do \
	  $(CC) -O2 -DBATCH=$$b -Iinclude -o $(C_TEST_BIN)/perf/ringcore-$$b \
	    c_tests/perf/nop_cost.c $(LIB_A) $(RINGCORE_NATIVE_LIBS) || exit 1; \
	  $(CC) -O2 -DBATCH=$$b -DRINGCORE_NO_INLINE -Iinclude \
	    -o $(C_TEST_BIN)/perf/ringcore-no-inline-$$b \
	    c_tests/perf/nop_cost.c $(LIB_A) $(RINGCORE_NATIVE_LIBS) || exit 1; \
	  libs="ringcore ringcore-no-inline"; \
	  if $(CC) -O2 -DBATCH=$$b -DUSE_LIBURING -Iinclude/liburing-compat -Iinclude \
	    -o $(C_TEST_BIN)/perf/liburing-face-$$b c_tests/perf/nop_cost.c $(LIB_A) \
	    $(RINGCORE_NATIVE_LIBS); then libs="$$libs liburing-face"; \
	  else echo "perf-c: the liburing face did not build"; exit 1; fi; \
	  if $(CC) -O2 -DBATCH=$$b -DUSE_LIBURING -o $(C_TEST_BIN)/perf/liburing-$$b \
	    c_tests/perf/nop_cost.c -luring 2>/dev/null; then libs="$$libs liburing"; \
	  else echo "SKIPPED: liburing-dev not installed, no comparison"; fi; \
	  for l in $$libs; do \
	    set -- $(PERF_SIZES); \
	    a=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	      $(C_TEST_BIN)/perf/$$l-$$b $$1 2>&1 | sed -n 's/.*Collected : //p'); \
	    z=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	      $(C_TEST_BIN)/perf/$$l-$$b $$2 2>&1 | sed -n 's/.*Collected : //p'); \
	    echo "$$l batch $$b: $$(( (z - a) * 10 / ($$2 - $$1) / 10 )).$$(( (z - a) * 10 / ($$2 - $$1) % 10 )) instructions per NOP"; \
	  done; \
	done

# The same for the Rust side (core/examples/nop_cost.rs): the raw ring at batch 32 (batch
# cursor and get_sqe) and batch 1 (peek_cqe/cqe_seen), and the safe layer (a Batch of 32, and
# 32 Submissions). Not part of `make test`; needs valgrind.
PERF_RUST_SIZES := 100000 200000
PERF_RUST := target/release/examples/nop_cost
perf-rust:
	$(CARGO) build --release -p ringcore --example nop_cost
	@for l in ring32 ring32-get ring1 batch32 safe32; do \
	  set -- $(PERF_RUST_SIZES); \
	  a=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $(PERF_RUST) $$l $$1 2>&1 \
	    | sed -n 's/.*Collected : //p'); \
	  z=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $(PERF_RUST) $$l $$2 2>&1 \
	    | sed -n 's/.*Collected : //p'); \
	  echo "$$l: $$(( (z - a) * 10 / ($$2 - $$1) / 10 )).$$(( (z - a) * 10 / ($$2 - $$1) % 10 )) instructions per NOP"; \
	done
