# The docs check: every relative link in README.md and docs/ resolves inside the repository
# (headings included), every C block compiles against the static library and, when it has a
# main, runs and exits 0; every file with Rust blocks is included as doctests of the core
# crate, which `make test-rust` runs (scripts/check_docs.py).
.PHONY: test-docs

test-docs: lib
	python3 scripts/check_docs.py --cc "$(CC)" --lib $(LIB_A) --libs "$(RINGCORE_NATIVE_LIBS)"

TEST_TARGETS += test-docs
