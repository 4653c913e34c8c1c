# Benchmark: ringcore against liburing, the io-uring crate and tokio (bench/, issue 6), and
# ringcore on tokio against tokio, tokio-uring and monoio (issue 14).
#
# `make bench` builds and runs every implementation at full size, alternating them, and prints
# a markdown table (a few minutes; wants `apt-get install liburing-dev valgrind fio`; a missing
# peer is reported and skipped). `make test-bench` runs each implementation once at a tiny size
# and fails unless every one produced the expected results.
BENCH_ARGS ?=
BENCH_CAPI := target/release/ringcore-bench-capi
BENCH_CAPI_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

BENCH_PEERS := tokio-uring monoio

.PHONY: bench test-bench bench-capi bench-peers

# The io_uring runtimes compared on their own runtimes (bench/peers/, a workspace apart), one
# program each, copied next to ringcore-bench. A peer that fails to build is removed and
# reported as missing by the benchmark, which still runs.
bench-peers:
	@for p in $(BENCH_PEERS); do \
	  rm -f target/release/ringcore-bench-$$p; \
	  if $(CARGO) build --release --manifest-path bench/peers/Cargo.toml \
	       --target-dir target/peers -p ringcore-bench-$$p; then \
	    mkdir -p target/release && \
	    cp target/peers/release/ringcore-bench-$$p target/release/; \
	  else \
	    echo "bench: the $$p peer did not build; it is left out"; \
	  fi; \
	done

# The C API peer, built as a C user would: the header and libringcore.a. Left out (and
# reported as missing by the benchmark) while the tree has no C header.
bench-capi:
ifneq ($(wildcard include/ringcore.h),)
	$(CARGO) build --release -p ringcore-capi
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Ibench/c -o $(BENCH_CAPI) \
	  bench/c/capi_peer.c target/release/libringcore.a $(BENCH_CAPI_LIBS)
else
	@rm -f $(BENCH_CAPI)
	@echo "bench: no include/ringcore.h, so no C API peer"
endif

bench: bench-capi bench-peers
	$(CARGO) run --release -p ringcore-bench -- $(BENCH_ARGS)

# The peers are not built here (a few minutes of compiling other runtimes): `make bench`
# builds them; a peer not built is reported as skipped.
test-bench: bench-capi
	$(CARGO) run --release -p ringcore-bench -- --tiny

TEST_TARGETS += test-bench
