# Reliability checks: the loom model of the ring protocol and a bounded fuzz smoke run.
# (The property and fault tests are ordinary integration tests and run in test-rust.)

# Loom explores every interleaving with at most this many preemptions per execution; 4 takes
# about 30 s after the build (825,405 interleavings in all); 5 and more are for runs by hand.
LOOM_MAX_PREEMPTIONS ?= 4
# Seconds of fuzzing per target in `make test` (30 keeps it under its 15 minutes with the
# soaks); longer runs by hand (see the README).
FUZZ_SECONDS ?= 30
# libFuzzer on the stable toolchain: the coverage instrumentation cargo-fuzz uses, passed to
# rustc directly. The explicit --target keeps it off build scripts.
FUZZ_TRIPLE := $(shell rustc -vV | sed -n 's/^host: //p')
FUZZ_RUST_TARGETS := ring_ops event_ops
# The C API target: a C harness built by clang with libFuzzer, ASan and UBSan, linked against
# a libringcore.a whose Rust code carries the same coverage instrumentation.
FUZZ_C_TARGETS := capi_ops
FUZZ_TARGETS := $(FUZZ_RUST_TARGETS) $(FUZZ_C_TARGETS)
FUZZ_CC ?= clang
FUZZ_C_FLAGS := -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_C_LIB := target/fuzz-capi/$(FUZZ_TRIPLE)/release/libringcore.a
# What a Rust staticlib needs from the system.
FUZZ_C_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
FUZZ_RUSTFLAGS := -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
	-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
	-Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares \
	--cfg fuzzing -Cdebug-assertions -Coverflow-checks
FUZZ_BIN := fuzz/target/$(FUZZ_TRIPLE)/release

TEST_TARGETS += test-loom test-fuzz-smoke

.PHONY: test-loom fuzz-build test-fuzz-smoke

# A separate target dir, since RUSTFLAGS changes every crate's build. The cfg is named for
# ringcore, not plain `loom`: tokio (a dev-dependency) switches to its own loom mode under
# `cfg(loom)` and fails to build. Clippy sees the model only under the cfg, so it is linted here.
test-loom:
	RUSTFLAGS="--cfg ringcore_loom" CARGO_TARGET_DIR=target/loom \
		$(CARGO) clippy -p ringcore --lib --profile test -- -D warnings
	LOOM_MAX_PREEMPTIONS=$(LOOM_MAX_PREEMPTIONS) RUSTFLAGS="--cfg ringcore_loom" \
		CARGO_TARGET_DIR=target/loom $(CARGO) test -p ringcore --lib --release ring::loom \
		-- --nocapture --test-threads 1

fuzz-build:
	cd fuzz && RUSTFLAGS="$(FUZZ_RUSTFLAGS)" $(CARGO) build --release --target $(FUZZ_TRIPLE) --bins
	RUSTFLAGS="$(FUZZ_RUSTFLAGS)" CARGO_TARGET_DIR=target/fuzz-capi \
		$(CARGO) build --release -p ringcore-capi --target $(FUZZ_TRIPLE)
	@for t in $(FUZZ_C_TARGETS); do \
		$(FUZZ_CC) $(FUZZ_C_FLAGS) -o $(FUZZ_BIN)/$$t fuzz/c/$$t.c $(FUZZ_C_LIB) $(FUZZ_C_LIBS) \
			|| exit 1; \
	done

# Each target runs FUZZ_SECONDS from the committed seed corpus (read-only; new inputs go to
# target/fuzz-corpus). A crash, or one input running over 20 s (a hang), fails the run and leaves
# the reproducer in target/fuzz-crashes.
test-fuzz-smoke: fuzz-build
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) clippy --manifest-path fuzz/Cargo.toml --release -- -D warnings
	@mkdir -p target/fuzz-crashes
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p target/fuzz-corpus/$$t; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		if ! $(FUZZ_BIN)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -print_final_stats=1 -max_len=1024 \
			-artifact_prefix=target/fuzz-crashes/$$t- \
			target/fuzz-corpus/$$t fuzz/corpus/$$t > target/fuzz-$$t.log 2>&1; then \
			tail -n 60 target/fuzz-$$t.log; echo "fuzz $$t: FAILED"; exit 1; \
		fi; \
		grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' target/fuzz-$$t.log; \
	done
