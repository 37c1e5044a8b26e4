#!/bin/sh
# SPDX-License-Identifier: MIT
# Quick start, step 2: runs the whole test suite: the native build in
# ./build and, where the Windows backend is present, the MinGW-w64 build
# under Wine in ./build-mingw. Exits non-zero when any test fails.
set -eu
cd "$(dirname "$0")/.."

cmake -S . -B build
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j2

if [ -x .ci/wine.sh ]; then
  .ci/wine.sh
fi
