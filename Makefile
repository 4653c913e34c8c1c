# ringcore: `make` builds the library and header and runs the demo; `make test` runs every test.
CARGO ?= cargo
PREFIX ?= /usr/local

.PHONY: all build demo test test-rust test-nostd lint clean

all: build demo

build:
	$(CARGO) build --release --workspace

demo:
	$(CARGO) run --release -p ringcore --example demo

test: test-rust test-nostd lint

test-rust:
	$(CARGO) test --workspace

# The core crate without std or alloc must build.
test-nostd:
	$(CARGO) build -p ringcore --no-default-features
	$(CARGO) build -p ringcore --no-default-features --features alloc

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

clean:
	$(CARGO) clean
