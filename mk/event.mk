# The event layer's no_std program: build nostd-cat (no std, panic = abort, libc allocator)
# and check that it copies files to stdout byte for byte.
NOSTD_CAT := nostd-cat/target/release/nostd-cat
NOSTD_CAT_INPUT := target/nostd-cat-input.bin

.PHONY: test-nostd-program

test-nostd-program:
	$(CARGO) fmt --manifest-path nostd-cat/Cargo.toml -- --check
	$(CARGO) clippy --release --manifest-path nostd-cat/Cargo.toml -- -D warnings
	$(CARGO) build --release --manifest-path nostd-cat/Cargo.toml
	mkdir -p target
	head -c 3000000 /dev/urandom > $(NOSTD_CAT_INPUT)
	$(NOSTD_CAT) $(NOSTD_CAT_INPUT) > $(NOSTD_CAT_INPUT).out
	cmp $(NOSTD_CAT_INPUT) $(NOSTD_CAT_INPUT).out
	: > $(NOSTD_CAT_INPUT).empty
	$(NOSTD_CAT) $(NOSTD_CAT_INPUT).empty > $(NOSTD_CAT_INPUT).empty.out
	cmp $(NOSTD_CAT_INPUT).empty $(NOSTD_CAT_INPUT).empty.out
	$(NOSTD_CAT) README.md | cmp README.md -
	! $(NOSTD_CAT) $(NOSTD_CAT_INPUT).missing > /dev/null 2>&1
	@echo "nostd-cat: output matches its input byte for byte"

TEST_TARGETS += test-nostd-program
