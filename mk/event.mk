# The event layer's no_std program: build nostd-cat (no std, panic = abort, libc allocator)
# in both profiles (a debug build is where a no_std binary used to fail to link) and check
# that each copies files to stdout byte for byte.
NOSTD_CAT_BINS := nostd-cat/target/debug/nostd-cat nostd-cat/target/release/nostd-cat
NOSTD_CAT_INPUT := target/nostd-cat-input.bin

.PHONY: test-nostd-program

test-nostd-program:
	$(CARGO) fmt --manifest-path nostd-cat/Cargo.toml -- --check
	$(CARGO) clippy --release --manifest-path nostd-cat/Cargo.toml -- -D warnings
	$(CARGO) build --manifest-path nostd-cat/Cargo.toml
	$(CARGO) build --release --manifest-path nostd-cat/Cargo.toml
	mkdir -p target
	head -c 3000000 /dev/urandom > $(NOSTD_CAT_INPUT)
	: > $(NOSTD_CAT_INPUT).empty
	@for bin in $(NOSTD_CAT_BINS); do \
	  echo "== $$bin"; \
	  $$bin $(NOSTD_CAT_INPUT) > $(NOSTD_CAT_INPUT).out && \
	  cmp $(NOSTD_CAT_INPUT) $(NOSTD_CAT_INPUT).out && \
	  $$bin $(NOSTD_CAT_INPUT).empty > $(NOSTD_CAT_INPUT).empty.out && \
	  cmp $(NOSTD_CAT_INPUT).empty $(NOSTD_CAT_INPUT).empty.out && \
	  $$bin README.md | cmp README.md - && \
	  ! $$bin $(NOSTD_CAT_INPUT).missing > /dev/null 2>&1 || exit 1; \
	done
	@echo "nostd-cat (debug and release): output matches its input byte for byte"

TEST_TARGETS += test-nostd-program
