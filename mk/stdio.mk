# The std layer (files, sockets, stdio, timers): its tests and lints with the optional futures-io and
# tokio features on (the workspace-wide targets build the default features only). With
# `tokio`, the std tests run again: inside a tokio runtime they then pick the TokioDriver.

.PHONY: test-stdio

STDIO_TESTS := --test std_fs --test std_fs_ops --test std_time --test std_net --test std_udp \
  --test std_cancel --test std_stdio --test std_futures_io

test-stdio:
	$(CARGO) test -p ringcore --features futures-io $(STDIO_TESTS)
	$(CARGO) test -p ringcore --features futures-io,tokio $(STDIO_TESTS) --test tokio_driver \
	  --test local_elsewhere
	$(CARGO) test -p ringcore --features futures-io,tokio --doc
	$(CARGO) clippy -p ringcore --features futures-io,tokio --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p ringcore --features futures-io,tokio --no-deps

TEST_TARGETS += test-stdio
