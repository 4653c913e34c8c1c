# ringcore: `make` builds the library and header and runs the demo; `make test` runs every test.
#
# Each area keeps its own targets in mk/<area>.mk and adds its test targets to TEST_TARGETS.
CARGO ?= cargo
PREFIX ?= /usr/local
TEST_TARGETS := test-rust test-nostd

.PHONY: all build demo test test-rust test-nostd lint clean

all: build demo

include $(sort $(wildcard mk/*.mk))

build:
	$(CARGO) build --release --workspace

demo: build
	$(CARGO) run --release -p ringcore --example demo

# `lint` runs last, after every other test target.
test: $(TEST_TARGETS)
	$(MAKE) lint

test-rust:
	$(CARGO) test --workspace

# The core crate without std, and with alloc only, must build.
test-nostd:
	$(CARGO) build -p ringcore --no-default-features
	$(CARGO) build -p ringcore --no-default-features --features alloc

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p ringcore --no-default-features -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

clean:
	$(CARGO) clean
