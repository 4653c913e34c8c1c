#!/usr/bin/env bash
# `make test-liburing` (issue 13): liburing's own test suite, built once against the system's
# liburing and once against ringcore's liburing face, run side by side.
#
# 1. Fetches liburing's Debian source package (the version of the installed liburing-dev,
#    2.3-3 on bookworm) with `apt-get source`, from deb-src entries derived from the machine's
#    apt sources but kept in a private apt state under target/liburing/apt: the system's apt
#    configuration is not touched. Fetched and configured once, cached in target/liburing/.
#    Debian's patches are applied (dpkg-source -x); 2.3-3's one patch fixes man page typos
#    only, and Debian's build does not run the tests (its `make partcheck` only echoes).
# 2. Builds every test program of liburing's test/Makefile (test_srcs, 145 programs, with
#    helpers.c) twice, with the suite's own flags and liburing's ./configure output
#    (build.mk): against liburing-dev's <liburing.h> and liburing.a (the suite links liburing
#    statically, as its own Makefile does: some tests use internals the .so does not export),
#    and against the face (-I include/liburing-compat -I include, libringcore.a) in a copy of
#    the test directory whose ../src/syscall.h is our stand-in (syscall.h here), so that no
#    liburing code but the tests is compiled in. Every face program is checked to have taken
#    liburing.h and liburing/*.h from include/liburing-compat only, to hold no global or
#    undefined io_uring_* symbol and to link no liburing.so; any breach fails the run.
# 3. Runs each test against liburing and then against ringcore, each in a scratch directory,
#    with liburing's runtests.sh conventions (exit 0 passes, 77 skips, anything else fails;
#    `timeout -s INT -k T T`; no arguments, as runtests.sh without a config.local), and the
#    same timeout for both columns.
# 4. Prints one row per test and the totals (also written to target/liburing/report.md), and
#    fails when a test that passes against liburing does not pass against ringcore.
#
# Left out of the face column (n/a, never a regression): nolibc, which tests liburing's
# private src/lib.h (the page-size helper of its libc-free build), not an API.
#
# Environment:
#   LIBURING_TESTS="nop accept ..."  run only these tests (names as in test/, no suffix)
#   LIBURING_TIMEOUT=60              the per-test timeout in seconds (runtests.sh's is 60)
#   LIBURING_RETRIES=2               reruns of a test that passes against liburing only
#   LIBURING_JOBS=N                  parallel compiles (default: the number of CPUs)
# Logs: target/liburing/logs/{build,run}-{liburing,ringcore}/<test>.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/c_tests/liburing_suite
OUT=$ROOT/target/liburing
LIB_A=$ROOT/target/release/libringcore.a
FACE_INC=$ROOT/include/liburing-compat
NATIVE_LIBS="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc" # mk/capi.mk RINGCORE_NATIVE_LIBS
CC=${CC:-cc}
CXX=${CXX:-c++}
TIMEOUT=${LIBURING_TIMEOUT:-60}
RETRIES=${LIBURING_RETRIES:-2}
JOBS=${LIBURING_JOBS:-$(nproc 2>/dev/null || echo 2)}
# These hang against liburing 2.3 itself (seen on 6.18): they get a short timeout in both
# columns so that the run stays within CI's budget. io_uring_register (which fails two
# earlier checks anyway) waits forever on a poll of the ring's own fd; multicqes_drain waits
# forever in io_uring_wait_cqe for a completion newer kernels do not post (it counts
# multishot poll events); d4ae271dfaae passes in milliseconds unless its SQPOLL thread falls
# behind (a loaded machine): it pushes 10 reads through a 4-entry SQ, stops at the first
# io_uring_get_sqe that finds it full, and then waits for 10 completions.
HANGING="d4ae271dfaae io_uring_register multicqes_drain"
HANGING_TIMEOUT=5
NOT_API="nolibc"

skip() {
	echo "test-liburing: SKIPPED: $*"
	exit 0
}
die() {
	echo "test-liburing: FAILED: $*" >&2
	exit 1
}
in_list() { # word list...
	local w=$1
	shift
	case " $* " in *" $w "*) return 0 ;; esac
	return 1
}

# ---- 1. liburing's source -------------------------------------------------------------------

command -v dpkg-query >/dev/null 2>&1 || skip "not a Debian system (no dpkg-query)"
ver=$(dpkg-query -W -f='${db:Status-Abbrev} ${source:Version}' liburing-dev 2>/dev/null |
	sed -n 's/^ii *//p')
[ -n "$ver" ] && [ -f /usr/include/liburing.h ] ||
	skip "liburing-dev is not installed (apt-get install liburing-dev): no liburing to compare with"
LIBURING_A=$($CC -print-file-name=liburing.a)
[ -f "$LIBURING_A" ] || skip "liburing-dev has no liburing.a"
SRC=$OUT/liburing-$ver

fetch() {
	local apt=$OUT/apt dl=$OUT/dl
	command -v apt-get >/dev/null 2>&1 || { echo "no apt-get"; return 1; }
	command -v dpkg-source >/dev/null 2>&1 || { echo "no dpkg-source (apt-get install dpkg-dev)"; return 1; }
	rm -rf "$apt" "$dl" "$SRC.tmp"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/srcparts" "$dl"
	# deb-src twins of the system's Debian entries (deb822 and one-line formats).
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
			>"$apt/srcparts/debian.sources"
	fi
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"$apt/srcparts/debian.list"
	fi
	local opts=(-q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/srcparts"
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
		-o APT::Sandbox::User=root)
	apt-get "${opts[@]}" update >"$OUT/fetch.log" 2>&1 || { echo "apt-get update failed"; return 1; }
	(cd "$dl" && apt-get "${opts[@]}" source --download-only "liburing=$ver") >>"$OUT/fetch.log" 2>&1 ||
		{ echo "apt-get source liburing=$ver failed"; return 1; }
	dpkg-source -x "$dl"/liburing_*.dsc "$SRC.tmp" >>"$OUT/fetch.log" 2>&1 ||
		{ echo "dpkg-source -x failed"; return 1; }
	(cd "$SRC.tmp" && ./configure) >>"$OUT/fetch.log" 2>&1 || { echo "liburing's ./configure failed"; return 1; }
	mv "$SRC.tmp" "$SRC" && touch "$SRC/.ringcore-ready"
}

mkdir -p "$OUT"
if [ ! -f "$SRC/.ringcore-ready" ]; then
	echo "test-liburing: fetching liburing $ver's source package (once; log: target/liburing/fetch.log)"
	why=$(fetch) || skip "could not fetch liburing's source package: $why"
fi

# The suite's test list: test_srcs of its test/Makefile, run by its own make.
all_tests=$(printf 'ringcore-print-test-srcs:\n\t@echo $(test_srcs)\n' |
	make -s --no-print-directory -C "$SRC/test" -f Makefile -f - ringcore-print-test-srcs |
	tr ' ' '\n' | sed -n 's/\.cc\{0,1\}$//p' | sort -u)
[ -n "$all_tests" ] || die "no tests found in $SRC/test/Makefile"
if [ -n "${LIBURING_TESTS:-}" ]; then
	tests=""
	for t in ${LIBURING_TESTS//,/ }; do
		t=${t%.t}
		t=${t%.c}
		in_list "$t" $all_tests || die "LIBURING_TESTS: no test $t"
		tests="$tests $t"
	done
else
	tests=$all_tests
fi
face_tests=""
for t in $tests; do in_list "$t" $NOT_API || face_tests="$face_tests $t"; done

# ---- 2. The two builds ----------------------------------------------------------------------

[ -f "$LIB_A" ] || die "$LIB_A is missing (make lib)"
rm -rf "$OUT/logs"
mkdir -p "$OUT/bin/liburing" "$OUT/bin/ringcore" "$OUT/logs/build-liburing" \
	"$OUT/logs/build-ringcore" "$OUT/logs/run-liburing" "$OUT/logs/run-ringcore"

# The face's tree: a copy of the tests, with our syscall.h as their ../src/syscall.h.
FT=$OUT/face-tree
mkdir -p "$FT/test" "$FT/src"
cp -pu "$SRC"/test/*.c "$SRC"/test/*.cc "$SRC"/test/*.h "$FT/test/"
cmp -s "$HERE/syscall.h" "$FT/src/syscall.h" || cp "$HERE/syscall.h" "$FT/src/syscall.h"

build() { # column testdir incs libs libdeps tests...
	local col=$1 dir=$2 incs=$3 libs=$4 deps=$5
	shift 5
	# shellcheck disable=SC2068
	make -k -j"$JOBS" --no-print-directory -f "$HERE/build.mk" CC="$CC" CXX="$CXX" \
		CONFIG="$SRC" TESTDIR="$dir" BIN="$OUT/bin/$col" LOGS="$OUT/logs/build-$col" \
		INCS="$incs" LIBS="$libs" LIBDEPS="$deps" TESTS="$*" >"$OUT/logs/build-$col.make.log" 2>&1
	return 0
}

t0=$(date +%s)
echo "test-liburing: building $(echo $tests | wc -w) tests against liburing $ver and against the face"
build liburing "$SRC/test" "" "$LIBURING_A -lpthread" "$LIBURING_A" $tests
if [ -f "$FACE_INC/liburing.h" ]; then
	build ringcore "$FT/test" "-I$FACE_INC -I$ROOT/include" "$LIB_A $NATIVE_LIBS" \
		"$LIB_A" $face_tests
else
	for t in $face_tests; do
		echo "include/liburing-compat/liburing.h: not in this tree" >"$OUT/logs/build-ringcore/$t.log"
		rm -f "$OUT/bin/ringcore/$t.t"
	done
fi
t1=$(date +%s)

# No liburing in the face's programs: headers, symbols, shared libraries. A program may hold
# liburing's names only as the face's local (static inline) copies, never global or undefined.
LIBURING_SYMS=$OUT/liburing-symbols.txt
nm -g --defined-only "$LIBURING_A" | awk 'NF == 3 { print $3 }' | sort -u >"$LIBURING_SYMS"
[ -s "$LIBURING_SYMS" ] || die "no symbols in $LIBURING_A"
for t in helpers $face_tests; do
	bin=$OUT/bin/ringcore/$t.t
	[ "$t" = helpers ] && bin=$OUT/bin/ringcore/helpers.o
	[ -f "$bin" ] || continue
	bad=$(sed -e 's/\\$//' -e 's/^[^:]*://' "$OUT/bin/ringcore/$t.d" | tr ' ' '\n' |
		grep -E '(^|/)liburing\.h$|(^|/)liburing/[^/]*\.h$' | grep -v "^$FACE_INC/" || true)
	[ -z "$bad" ] || die "$t (face build) included a liburing header not the face's: $bad"
	[ "$t" = helpers ] && continue
	bad=$(nm -g "$bin" | awk '{ sub(/@.*/, "", $NF); print $NF }' | grep -Fxf "$LIBURING_SYMS" || true)
	[ -z "$bad" ] || die "$t (face build) holds liburing symbols (not static inline):
$bad"
	! ldd "$bin" 2>/dev/null | grep -q liburing || die "$t (face build) links liburing.so"
done

# ---- 3. Runs --------------------------------------------------------------------------------

declare -A RES FLAKY
flaky=""
RESULTS=$OUT/results.tsv
: >"$RESULTS"

run_one() { # column test timeout
	local col=$1 t=$2 tmo=$3 bin=$OUT/bin/$1/$2.t dir=$OUT/run/$1/$2 log=$OUT/logs/run-$1/$2.log
	local rc s e ms
	if [ "$col" = ringcore ] && in_list "$t" $NOT_API; then
		RES[$col.$t]="n/a"
		return
	fi
	if [ ! -x "$bin" ]; then
		RES[$col.$t]="build-fail"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	ln -s "$OUT/bin/$col/exec-target.t" "$dir/exec-target.t" # timeout.c execs ./exec-target.t
	s=$(date +%s%N)
	# (the braces' 2>/dev/null takes bash's own "Aborted" line for a test killed by a signal)
	{ (cd "$dir" && exec timeout -s INT -k "$tmo" "$tmo" "$bin") >"$log" 2>&1 </dev/null; } 2>/dev/null
	rc=$?
	e=$(date +%s%N)
	ms=$(((e - s) / 1000000))
	rm -rf "$dir"
	if [ $rc -eq 124 ] || { [ $rc -eq 137 ] && [ $ms -ge $((tmo * 1000)) ]; }; then
		RES[$col.$t]="timeout"
	elif [ $rc -eq 77 ]; then
		RES[$col.$t]="skip"
	elif [ $rc -eq 0 ]; then
		RES[$col.$t]="pass"
	else
		RES[$col.$t]="fail($rc)"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$col" "${RES[$col.$t]}" "$ms" "$tmo" >>"$RESULTS"
	RES[$col.$t.time]=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
}

cell() { # column test
	local r=${RES[$1.$2]} tm=${RES[$1.$2.time]:-}
	if [ -n "$tm" ]; then echo "$r ${tm}s"; else echo "$r"; fi
}

note() { # test: why the face's column is not a pass, in a line
	local t=$1 r=${RES[ringcore.$1]} log
	if [ -n "${FLAKY[$t]:-}" ]; then
		echo "flaky: ${FLAKY[$t]}"
		return
	fi
	case $r in
	build-fail)
		log=$OUT/logs/build-ringcore/$t.log
		if [ ! -s "$log" ] && [ ! -f "$OUT/bin/ringcore/helpers.o" ]; then
			log=$OUT/logs/build-ringcore/helpers.log
		fi
		grep -m1 -E 'error|undefined reference|not in this tree' "$log" 2>/dev/null |
			sed -e "s|$ROOT/||g" -e 's/|/\\|/g' | cut -c1-160
		;;
	fail*)
		grep -v '^$' "$OUT/logs/run-ringcore/$t.log" | head -n1 |
			sed -e "s|$ROOT/||g" -e 's/|/\\|/g' | cut -c1-160
		;;
	esac
}

REPORT=$OUT/report.md
header="| test | liburing $ver | ringcore face | note |"
{
	echo "# liburing $ver's test suite: liburing against ringcore's liburing face"
	echo
	echo "Per-test timeout ${TIMEOUT}s (${HANGING_TIMEOUT}s for: $HANGING)."
	echo
	echo "$header"
	echo "|---|---|---|---|"
} >"$REPORT"
echo
echo "$header"
echo "|---|---|---|---|"
for t in $tests; do
	tmo=$TIMEOUT
	in_list "$t" $HANGING && tmo=$HANGING_TIMEOUT
	run_one liburing "$t" "$tmo"
	run_one ringcore "$t" "$tmo"
	# A test that passes against liburing and not against ringcore runs again (up to
	# $RETRIES times): some tests are timing-sensitive (d4ae271dfaae hangs when its SQPOLL
	# thread falls behind on a loaded machine, against liburing too). A pass on a retry is
	# reported as flaky, with the first result; the failed attempts' logs are kept.
	first=${RES[ringcore.$t]}
	try=1
	while [ "${RES[liburing.$t]}" = pass ] && [ "${RES[ringcore.$t]}" != pass ] &&
		[ "${RES[ringcore.$t]}" != n/a ] && [ "${RES[ringcore.$t]}" != build-fail ] &&
		[ $try -le "$RETRIES" ]; do
		mv "$OUT/logs/run-ringcore/$t.log" "$OUT/logs/run-ringcore/$t.try$try.log"
		run_one ringcore "$t" "$tmo"
		try=$((try + 1))
	done
	if [ $try -gt 1 ] && [ "${RES[ringcore.$t]}" = pass ]; then
		FLAKY[$t]="$first, then pass on retry $((try - 1))"
		flaky="$flaky $t"
	fi
	row="| $t | $(cell liburing "$t") | $(cell ringcore "$t") | $(note "$t") |"
	echo "$row"
	echo "$row" >>"$REPORT"
done
t2=$(date +%s)

# ---- 4. Totals and regressions --------------------------------------------------------------

count() { # column kind
	local n=0 t r
	for t in $tests; do
		r=${RES[$1.$t]}
		case $2 in
		fail) [[ $r == fail* ]] && n=$((n + 1)) ;;
		*) [ "$r" = "$2" ] && n=$((n + 1)) ;;
		esac
	done
	echo $n
}
regressions=""
gains=""
for t in $tests; do
	a=${RES[liburing.$t]}
	b=${RES[ringcore.$t]}
	if [ "$a" = pass ] && [ "$b" != pass ] && [ "$b" != n/a ]; then regressions="$regressions $t"; fi
	if [ "$a" != pass ] && [ "$b" = pass ]; then gains="$gains $t"; fi
done
{
	echo
	echo "| total | liburing $ver | ringcore face |"
	echo "|---|---|---|"
	for k in pass skip fail timeout build-fail n/a; do
		echo "| $k | $(count liburing $k) | $(count ringcore $k) |"
	done
	echo
	echo "Build ${JOBS}-way parallel: $((t1 - t0))s; runs: $((t2 - t1))s."
	echo
	if [ -n "$regressions" ]; then
		echo "Regressions (pass against liburing, not against ringcore):$regressions"
	else
		echo "No regressions: every test that passes against liburing passes against ringcore."
	fi
	[ -z "$gains" ] || echo "Pass against ringcore only:$gains"
	[ -z "$flaky" ] || echo "Passed against ringcore only on a retry (flaky):$flaky"
} | tee -a "$REPORT"
echo "(report: target/liburing/report.md; logs: target/liburing/logs/)"

# liburing's example programs, as a user would try them: the same source, only the include
# flags and the library changed. The copy programs must reproduce a 3 MB file exactly.
examples_failed=""
if [ -f "$FACE_INC/liburing.h" ]; then
	ex=$OUT/examples
	mkdir -p "$ex"
	head -c 3000000 /dev/urandom >"$ex/src.bin"
	for e in io_uring-cp link-cp io_uring-test; do
		if ! $CC -O2 -D_GNU_SOURCE -I"$FACE_INC" -I"$ROOT/include" -o "$ex/$e" \
			"$SRC/examples/$e.c" "$LIB_A" $NATIVE_LIBS >"$ex/$e.log" 2>&1; then
			examples_failed="$examples_failed $e(build)"
			continue
		fi
		rm -f "$ex/dst.bin"
		case $e in
		io_uring-test) timeout 30 "$ex/$e" "$ex/src.bin" >>"$ex/$e.log" 2>&1 ;;
		*) timeout 30 "$ex/$e" "$ex/src.bin" "$ex/dst.bin" >>"$ex/$e.log" 2>&1 &&
			cmp -s "$ex/src.bin" "$ex/dst.bin" ;;
		esac || examples_failed="$examples_failed $e"
	done
	if [ -n "$examples_failed" ]; then
		echo "liburing's examples against the face: FAILED:$examples_failed (logs: $ex)"
	else
		echo "liburing's examples against the face: io_uring-cp, link-cp, io_uring-test built unchanged and ran correctly"
	fi
fi
if [ -n "$regressions" ]; then
	echo "test-liburing: FAILED: $(echo $regressions | wc -w) regressions:$regressions"
	exit 1
fi
[ -z "$examples_failed" ] || { echo "test-liburing: FAILED: examples:$examples_failed"; exit 1; }
echo "test-liburing: ok"
