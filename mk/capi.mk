# The C library: libringcore.a / libringcore.so, include/ringcore.h, C tests, install.
#
#   make lib            build target/release/libringcore.{a,so}
#   make header         refresh include/ringcore.h from the cbindgen output in OUT_DIR
#   make test-c         check the committed header, run c_tests/ under ASan+UBSan, then under
#                       valgrind memcheck (no ASan) for leaks
#   make test-install   install into a temporary prefix and prove the packaging: shared link
#                       with the documented rpath, -static link, SONAME, exports, size
#   make install        install lib, header and ringcore.pc under $(PREFIX) (libdir, includedir
#                       and DESTDIR as usual); runs ldconfig when libdir is one the dynamic
#                       loader searches
#
# Release artifacts have no debug info; DEBUG_INFO=1 (make lib / make install) keeps it.

CC ?= cc
LIBDIR := target/release
LIB_A := $(LIBDIR)/libringcore.a
# What a Rust staticlib needs from the system (`cargo rustc -- --print native-static-libs`),
# less the unwinder (-lgcc_s there): the C compiler adds it by itself, libgcc_s for a dynamic
# program and libgcc_eh for a -static one, where -lgcc_s would fail (there is no libgcc_s.a).
RINGCORE_NATIVE_LIBS := -lutil -lrt -lpthread -lm -ldl -lc
# The version of the C library (the root package's), for the .so's file name and ringcore.pc.
RINGCORE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
RINGCORE_MAJOR := $(firstword $(subst ., ,$(RINGCORE_VERSION)))
libdir ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
ifdef DEBUG_INFO
export CARGO_PROFILE_RELEASE_DEBUG := $(DEBUG_INFO)
endif
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

# libringcore.so.X.Y.Z with its SONAME link libringcore.so.X and the development link
# libringcore.so; the archive without debug info unless DEBUG_INFO is set.
install: lib
	install -d $(DESTDIR)$(libdir)/pkgconfig $(DESTDIR)$(includedir)
	install -m 644 $(LIB_A) $(DESTDIR)$(libdir)/libringcore.a
	$(if $(DEBUG_INFO),,strip --strip-debug $(DESTDIR)$(libdir)/libringcore.a)
	install -m 755 $(LIBDIR)/libringcore.so $(DESTDIR)$(libdir)/libringcore.so.$(RINGCORE_VERSION)
	ln -sf libringcore.so.$(RINGCORE_VERSION) $(DESTDIR)$(libdir)/libringcore.so.$(RINGCORE_MAJOR)
	ln -sf libringcore.so.$(RINGCORE_MAJOR) $(DESTDIR)$(libdir)/libringcore.so
	install -m 644 include/ringcore.h $(DESTDIR)$(includedir)/ringcore.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@libdir@|$(libdir)|g' -e 's|@includedir@|$(includedir)|g' \
	  -e 's|@VERSION@|$(RINGCORE_VERSION)|g' -e 's|@NATIVE_LIBS@|$(RINGCORE_NATIVE_LIBS)|g' \
	  ringcore.pc.in > $(DESTDIR)$(libdir)/pkgconfig/ringcore.pc
	@if [ -n "$(DESTDIR)" ]; then exit 0; fi; \
	real=$$(realpath "$(libdir)"); searched=; \
	for d in $$(ldconfig -NXv 2>/dev/null | sed -n 's|^\(/[^:]*\):.*|\1|p'); do \
	  [ "$$(realpath "$$d" 2>/dev/null)" = "$$real" ] && searched=1; \
	done; \
	if [ -n "$$searched" ]; then echo "ldconfig"; ldconfig; \
	else echo "note: the dynamic loader does not search $(libdir); link programs with" \
	  "-Wl,-rpath,$(libdir) (see the README, \"Installing the C library\")"; fi

# Installs into a fresh temporary prefix (a private one, so no ldconfig) and proves what a C
# user relies on: the .so's SONAME and symlinks, that it exports only ringcore_* and is under
# 1 MB; a program built with `pkg-config --cflags --libs` and the README's rpath runs without
# LD_LIBRARY_PATH and loads the installed .so; the same program links with
# `pkg-config --static` and -static, and against the archive in a dynamic program.
test-install:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory install PREFIX="$$tmp" >/dev/null && \
	export PKG_CONFIG_PATH="$$tmp/lib/pkgconfig" && unset LD_LIBRARY_PATH && \
	so="$$tmp/lib/libringcore.so.$(RINGCORE_VERSION)" && \
	{ [ "$$(readlink "$$tmp/lib/libringcore.so")" = libringcore.so.$(RINGCORE_MAJOR) ] && \
	  [ "$$(readlink "$$tmp/lib/libringcore.so.$(RINGCORE_MAJOR)")" = \
	    libringcore.so.$(RINGCORE_VERSION) ] || \
	  { echo "test-install: wrong .so symlinks"; ls -l "$$tmp/lib"; exit 1; }; } && \
	{ readelf -d "$$so" | grep -q 'SONAME.*\[libringcore\.so\.$(RINGCORE_MAJOR)\]' || \
	  { echo "test-install: no SONAME libringcore.so.$(RINGCORE_MAJOR)"; exit 1; }; } && \
	exports=$$(nm -D --defined-only "$$so" | awk '{print $$3}') && \
	others=$$(echo "$$exports" | grep -v '^ringcore_' || true) && \
	{ [ -z "$$others" ] || { echo "test-install: exports besides ringcore_*:"; \
	  echo "$$others"; exit 1; }; } && \
	nexports=$$(echo "$$exports" | grep -c '^ringcore_') && \
	{ [ "$$nexports" -gt 100 ] || { echo "test-install: only $$nexports exports"; exit 1; }; } && \
	size=$$(stat -c %s "$$so") && \
	{ [ "$$size" -lt 1048576 ] || { echo "test-install: .so is $$size bytes"; exit 1; }; } && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello" c_tests/install/hello.c \
	  $$(pkg-config --cflags --libs ringcore) \
	  -Wl,-rpath,"$$(pkg-config --variable=libdir ringcore)" && \
	{ ldd "$$tmp/hello" | grep -q "libringcore.so.$(RINGCORE_MAJOR) => $$tmp/lib/" || \
	  { echo "test-install: hello does not load the installed .so"; ldd "$$tmp/hello"; \
	    exit 1; }; } && \
	"$$tmp/hello" >/dev/null && \
	$(CC) -static -Wall -Wextra -Werror -o "$$tmp/hello-static" c_tests/install/hello.c \
	  $$(pkg-config --static --cflags --libs ringcore) && \
	{ readelf -d "$$tmp/hello-static" 2>/dev/null | grep -q NEEDED && \
	  { echo "test-install: hello-static is not static"; exit 1; } || true; } && \
	"$$tmp/hello-static" >/dev/null && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello-archive" c_tests/install/hello.c \
	  $$(pkg-config --cflags ringcore) "$$tmp/lib/libringcore.a" \
	  $$(pkg-config --static --libs-only-l ringcore | sed 's/-lringcore//') && \
	"$$tmp/hello-archive" >/dev/null && \
	echo "test-install: ok (SONAME libringcore.so.$(RINGCORE_MAJOR), $$nexports exports, all" \
	  "ringcore_*, .so $$size bytes; shared with rpath, -static, archive)"

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
