# The scale benchmark (bench/src/bin/scale, issue 16): the cost of a request as the number of
# requests in flight grows from 1 to 102,400, for the raw ring, the safe layer and the C API's
# callback layer — instructions (callgrind), wall time and resident memory per request.
#
# `make bench` runs it in full and rewrites the plot docs/scale.png; `make test-bench` runs the
# small depths once, natively, and fails on any wrong result.
BENCH_SCALE_CAPI := target/release/ringcore-scale-capi
SCALE_PNG ?= docs/scale.png

.PHONY: bench-scale test-bench-scale bench-scale-capi

bench-scale-capi: lib
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $(BENCH_SCALE_CAPI) \
	  bench/c/scale_capi.c $(LIB_A) $(BENCH_CAPI_LIBS)

bench-scale: bench-scale-capi
	$(CARGO) run --release -p ringcore-bench --bin scale -- --png $(SCALE_PNG)

test-bench-scale: bench-scale-capi
	$(CARGO) run --release -p ringcore-bench --bin scale -- --tiny

bench: bench-scale
test-bench: test-bench-scale
