# The liburing-compatible face (include/liburing-compat/): header-only over libringcore.
#
#   make install               also installs the face under $(PREFIX)/include/ringcore/
#                              liburing-compat and ringcore-liburing.pc (it never touches a
#                              real liburing's <liburing.h>)
#   make test-install-liburing install into a temporary prefix and build a liburing program
#                              with `pkg-config --cflags --libs ringcore-liburing`, shared and
#                              static; check it holds no liburing symbol

FACE_DIR := include/liburing-compat
FACE_HEADERS := $(wildcard $(FACE_DIR)/*.h $(FACE_DIR)/liburing/*.h)

TEST_TARGETS += test-install-liburing

.PHONY: install-liburing-face test-install-liburing

install: install-liburing-face

install-liburing-face:
	install -d $(DESTDIR)$(PREFIX)/include/ringcore/liburing-compat/liburing \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(FACE_DIR)/liburing.h $(DESTDIR)$(PREFIX)/include/ringcore/liburing-compat/
	install -m 644 $(wildcard $(FACE_DIR)/liburing/*.h) \
	  $(DESTDIR)$(PREFIX)/include/ringcore/liburing-compat/liburing/
	sed -e 's|@PREFIX@|$(PREFIX)|g' ringcore-liburing.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ringcore-liburing.pc

# The program must link no liburing: no liburing.so among its libraries and no io_uring_*
# symbol defined outside it (the face is inline; libringcore exports ringcore_* only).
test-install-liburing:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory install PREFIX="$$tmp" >/dev/null && \
	export PKG_CONFIG_PATH="$$tmp/lib/pkgconfig" && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello" c_tests/install/hello_liburing.c \
	  $$(pkg-config --cflags --libs ringcore-liburing) -Wl,-rpath,"$$tmp/lib" && \
	"$$tmp/hello" && \
	if ldd "$$tmp/hello" | grep -q liburing; then \
	  echo "test-install-liburing: the program links liburing"; exit 1; fi && \
	$(CC) -Wall -Wextra -Werror -o "$$tmp/hello-static" c_tests/install/hello_liburing.c \
	  $$(pkg-config --cflags ringcore-liburing) "$$tmp/lib/libringcore.a" \
	  $$(pkg-config --static --libs-only-l ringcore | sed 's/-lringcore//') && \
	"$$tmp/hello-static" && \
	if nm "$$tmp/hello-static" | grep -E ' [TU] _*io_uring_' ; then \
	  echo "test-install-liburing: io_uring_* symbols in the program"; exit 1; fi && \
	if nm -D --defined-only "$$tmp/lib/libringcore.so" | grep -E ' _*io_uring_'; then \
	  echo "test-install-liburing: libringcore.so exports io_uring_* symbols"; exit 1; fi && \
	echo "test-install-liburing: ok (pkg-config ringcore-liburing, shared and static, no liburing symbols)"

# The face's ring half on the real kernel (c_tests/liburing_face/), under ASan+UBSan and
# again under valgrind memcheck, as the C tests are.
FACE_TESTS := $(basename $(notdir $(wildcard c_tests/liburing_face/*.c)))
TEST_TARGETS += test-liburing-face
.PHONY: test-liburing-face
test-liburing-face: lib
	@mkdir -p $(C_TEST_BIN)/face
	@for t in $(FACE_TESTS); do \
	  $(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror $(C_SAN) -I$(FACE_DIR) -Iinclude \
	    -o $(C_TEST_BIN)/face/$$t-asan c_tests/liburing_face/$$t.c $(LIB_A) \
	    $(RINGCORE_NATIVE_LIBS) || exit 1; \
	  $(C_TEST_BIN)/face/$$t-asan || exit 1; \
	  $(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -I$(FACE_DIR) -Iinclude \
	    -o $(C_TEST_BIN)/face/$$t-vg c_tests/liburing_face/$$t.c $(LIB_A) \
	    $(RINGCORE_NATIVE_LIBS) || exit 1; \
	  FACE_TEST_UNDER_VALGRIND=1 $(VALGRIND) $(C_TEST_BIN)/face/$$t-vg || exit 1; \
	done
