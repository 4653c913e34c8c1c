# Builds liburing's test programs for one column of c_tests/liburing_suite/run.sh, with the
# flags of liburing's own test/Makefile (the feature macros come from liburing's ./configure:
# config-host.h, and config-host.mak for the warning switches). Run with `make -k`: a test
# that does not build is left without a binary, its compiler output in $(LOGS)/<test>.log.
#
#   TESTDIR   the test sources (helpers.c, helpers.h, <test>.c / <test>.cc)
#   BIN       where <test>.t and helpers.o go
#   LOGS      where <test>.log and helpers.log go
#   TESTS     the tests to build
#   CONFIG    liburing's configured tree (config-host.h, config-host.mak)
#   INCS      include flags that pick the liburing to build against
#   LIBS      what the programs link with; LIBDEPS, files they are rebuilt after

include $(CONFIG)/config-host.mak

CPPFLAGS := -D_GNU_SOURCE -D__SANE_USERSPACE_TYPES__ $(INCS) -include $(CONFIG)/config-host.h
XCFLAGS := -Wno-unused-parameter -Wno-sign-compare
ifdef CONFIG_HAVE_STRINGOP_OVERFLOW
XCFLAGS += -Wstringop-overflow=0
endif
ifdef CONFIG_HAVE_ARRAY_BOUNDS
XCFLAGS += -Warray-bounds=0
endif
CFLAGS := -g -O3 -Wall -Wextra $(XCFLAGS) -DLIBURING_BUILD_TEST
CXXFLAGS := -g -O3 -Wall -Wextra $(XCFLAGS) -std=c++11 -DLIBURING_BUILD_TEST

.DELETE_ON_ERROR:
.PHONY: all
all: $(addprefix $(BIN)/,$(addsuffix .t,$(TESTS)))

$(BIN)/helpers.o: $(TESTDIR)/helpers.c $(CONFIG)/config-host.h
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MD -c -o $@ $< >$(LOGS)/helpers.log 2>&1

$(BIN)/%.t: $(TESTDIR)/%.c $(BIN)/helpers.o $(LIBDEPS)
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MD -o $@ $< $(BIN)/helpers.o $(LIBS) >$(LOGS)/$*.log 2>&1

$(BIN)/%.t: $(TESTDIR)/%.cc $(BIN)/helpers.o $(LIBDEPS)
	@$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MD -o $@ $< $(BIN)/helpers.o $(LIBS) >$(LOGS)/$*.log 2>&1

-include $(wildcard $(BIN)/*.d)
