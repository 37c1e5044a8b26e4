#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every fuzz target for SECONDS (default 20) each, starting from its
# seed corpus in fuzz/corpus/<name> (copied, so the repository is not
# changed). A finding stops with a non-zero status and leaves the crashing
# input in build-fuzz/findings/.
#   fuzz/run.sh [SECONDS]        longer run: fuzz/run.sh 3600
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-20}"

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCENUM_BUILD_FUZZERS=ON \
  -DCENUM_SANITIZE=address,undefined -DCENUM_BUILD_TESTS=OFF \
  -DCENUM_BUILD_TOOLS=OFF -DCENUM_BUILD_BENCH=OFF -DCENUM_WERROR=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)"

rm -rf build-fuzz/findings
mkdir -p build-fuzz/findings
ran=0
for target in build-fuzz/fuzz/fuzz_*; do
  if [ ! -x "$target" ]; then
    echo "fuzz: no fuzz target was built" >&2
    exit 1
  fi
  name="${target##*/fuzz_}"
  work="build-fuzz/corpus/$name"
  mkdir -p "$work"
  if [ -d "fuzz/corpus/$name" ]; then
    cp -r "fuzz/corpus/$name/." "$work/"
  fi
  echo "fuzz: $name for ${seconds}s"
  log="build-fuzz/findings/$name.log"
  status=0
  "$target" -max_total_time="$seconds" -max_len=70000 -timeout=10 \
    -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/findings/$name-" "$work" >"$log" 2>&1 ||
    status=$?
  grep -E "^(#[0-9]+[[:space:]]+DONE|==[0-9]+==ERROR|SUMMARY)" "$log" || true
  if ls "build-fuzz/findings/$name-"* >/dev/null 2>&1; then
    echo "fuzz: $name found a failing input:" build-fuzz/findings/"$name"-* >&2
    exit 1
  fi
  # Anything else that stopped it early (a bad option, a crash at start).
  if [ "$status" -ne 0 ] || ! grep -Eq "^#[0-9]+[[:space:]]+DONE" "$log"; then
    echo "fuzz: $name did not run to its end (status $status); see $log" >&2
    exit 1
  fi
  rm -f "$log"
  ran=$((ran + 1))
done
echo "fuzz: $ran targets ran for ${seconds}s each"
