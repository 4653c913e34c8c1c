# liburing's own test suite against the liburing face (issue 13).
#
#   make test-liburing   fetch liburing's Debian source package (once, into target/liburing/),
#                        build its 145 test programs against the system's liburing and against
#                        include/liburing-compat + libringcore.a, run both with the same
#                        timeouts, print a side-by-side table (target/liburing/report.md) and
#                        fail when a test that passes against liburing does not pass against
#                        ringcore. Skipped with a reason without liburing-dev, apt or network.
#                        LIBURING_TESTS="nop accept" runs only those; LIBURING_TIMEOUT=60 sets
#                        the per-test timeout. See c_tests/liburing_suite/run.sh.

TEST_TARGETS += test-liburing

.PHONY: test-liburing

test-liburing: lib
	@CC="$(CC)" CXX="$(CXX)" c_tests/liburing_suite/run.sh
