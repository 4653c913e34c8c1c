# Benchmark: ringcore against liburing, the io-uring crate and tokio (bench/, issue 6).
#
# `make bench` builds and runs every implementation at full size, alternating them, and prints
# a markdown table (a few minutes; needs `apt-get install liburing-dev fio valgrind`, fio optional).
# `make test-bench` runs each implementation once at a tiny size and fails unless all of them
# produced the expected results.
BENCH_ARGS ?=

.PHONY: bench test-bench

bench:
	$(CARGO) run --release -p ringcore-bench -- $(BENCH_ARGS)

test-bench:
	$(CARGO) run --release -p ringcore-bench -- --tiny

TEST_TARGETS += test-bench
