#!/bin/sh
# Runs each C test program given as an argument (under $RUNNER, e.g. valgrind, when set) and
# prints one line per test and a closing line `N passed, N failed`. A test that exits 77 was
# skipped (it printed `SKIPPED: <reason>`); it counts as passed and is listed as skipped.
# A test still running after 120 s is killed and fails. Exits nonzero when any test failed.
passed=0
failed=0
skipped=0
for t in "$@"; do
  name=$(basename "$t")
  out=$(timeout 120 $RUNNER "$t" 2>&1)
  rc=$?
  case $rc in
    0) passed=$((passed + 1)); echo "ok      $name" ;;
    77) passed=$((passed + 1)); skipped=$((skipped + 1))
        echo "skipped $name: $(echo "$out" | grep 'SKIPPED' | head -n 1)" ;;
    *) failed=$((failed + 1)); echo "FAILED  $name (exit $rc)"; echo "$out" | sed 's/^/    /' ;;
  esac
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
