#!/usr/bin/env bash
# Runs govmomi's own govc test suite (govc/test at the v0.56.0 tag: upstream code, kept
# outside this repository) against the kit's vcsim and govc, one bats file at a time, and
# prints pass/fail/skip per file. `make govc-suite GOVC_TEST=...` calls it (README.md here).
#
#   govc-suite.sh SUITE_DIR BIN_DIR RESULTS_DIR FILE...    (FILE: a bats file without .bats)
#
# The suite starts vcsim itself; VCSIM_LAB_EXTENSION in the environment (false: stock vcsim)
# is the default of our vcsim's -lab-extension. Each file is bounded by FILE_TIMEOUT seconds,
# each test by BATS_TEST_TIMEOUT seconds.
set -u

suite=$(cd "$1" && pwd) bin=$(cd "$2" && pwd) results=$3
shift 3
[ -f "$suite/test_helper.bash" ] || { echo "$suite is not govc/test (no test_helper.bash)" >&2; exit 2; }
bats=$suite/vendor/github.com/bats-core/bats-core/bin/bats
mkdir -p "$results"
results=$(cd "$results" && pwd)

# test_helper.bash puts $GOPATH/bin (else `go env GOPATH`/bin) first on PATH: point GOPATH
# at a folder whose bin is ours, so no other vcsim or govc is ever picked up.
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
ln -s "$bin" "$gopath/bin"
if command -v go >/dev/null; then export GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}"; fi
export GOPATH=$gopath PATH="$bin:$PATH" USER="${USER:-$(id -un)}"
# A test that waits for good fails alone after BATS_TEST_TIMEOUT seconds (bats' own timeout).
export BATS_TEST_TIMEOUT="${BATS_TEST_TIMEOUT:-180}"
# With the extension, every host starts with vMotion on vmk0 (as a vCenter cluster set up
# for vMotion): the suite tests govc, and its tests move running VMs and evacuate hosts.
export VCSIM_HOST_PROFILE="${VCSIM_HOST_PROFILE:-$(cd "$(dirname "$0")" && pwd)/govc-suite-hosts.json}"

printf '%-24s %5s %5s %5s %5s %7s\n' file tests pass fail skip seconds
rm -f "$results"/*.tap
failed=0 total_t=0 total_p=0 total_f=0 total_s=0 started=$SECONDS
for name in "$@"; do
    tap=$results/$name.tap
    t0=$SECONDS
    (cd "$suite" && timeout -s KILL "${FILE_TIMEOUT:-1200}" "$bats" -t "$name.bats") >"$tap" 2>&1
    rc=$?
    tests=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -1)
    skip=$(grep -c '^ok .* # skip' "$tap")
    pass=$(( $(grep -c '^ok ' "$tap") - skip ))
    fail=$(grep -c '^not ok ' "$tap")
    [ -n "$tests" ] || tests=0
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=$(( tests - pass - skip )); [ "$fail" -gt 0 ] || fail=1; fi
    [ "$fail" -eq 0 ] || failed=1
    printf '%-24s %5s %5s %5s %5s %7s\n' "$name" "$tests" "$pass" "$fail" "$skip" $(( SECONDS - t0 ))
    total_t=$(( total_t + tests )) total_p=$(( total_p + pass )) total_f=$(( total_f + fail )) total_s=$(( total_s + skip ))
done
printf '%-24s %5s %5s %5s %5s %7s\n' total "$total_t" "$total_p" "$total_f" "$total_s" $(( SECONDS - started ))
if [ "$failed" -ne 0 ]; then
    echo "Failures (details in $results/<file>.tap):"
    grep -H '^not ok ' "$results"/*.tap | sed "s|^$results/||"
fi
exit "$failed"
