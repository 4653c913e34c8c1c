# The std layer (files, sockets, stdio): its tests and lints with the optional futures-io
# feature on (the workspace-wide targets build the default features only).

.PHONY: test-stdio

test-stdio:
	$(CARGO) test -p ringcore --features futures-io --test std_fs --test std_net --test std_cancel --test std_stdio --test std_futures_io
	$(CARGO) clippy -p ringcore --features futures-io --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p ringcore --features futures-io --no-deps

TEST_TARGETS += test-stdio
