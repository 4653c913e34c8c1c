# The soak tests by hand: `make soak` runs the safe-layer echo soak (core/tests/soak.rs) and the
# C callback-layer soak (c_tests/soak.c) for SOAK_SECONDS each. `make test` runs both briefly:
# the Rust one for 20 s within test-rust, the C one for 4 s under ASan and under valgrind
# within test-c. SOAK_SEED=<hex> replays a run whose seed was printed.
SOAK_SECONDS ?= 300

.PHONY: soak

soak: lib
	SOAK_SECONDS=$(SOAK_SECONDS) $(CARGO) test --release -p ringcore --test soak -- --nocapture
	$(CC) $(C_TEST_CFLAGS) -O2 -o $(C_TEST_BIN)/soak c_tests/soak.c $(LIB_A) $(RINGCORE_NATIVE_LIBS)
	SOAK_SECONDS=$(SOAK_SECONDS) $(C_TEST_BIN)/soak
