#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Windows backend on Linux: cross-compiles cenum with MinGW-w64 into
# ./build-mingw (warnings as errors), runs the whole CTest suite under Wine
# (each test in the private prefix of the `wine` fixture, with Xvfb, a
# private cupsd and a private fontconfig configuration), installs it, and
# runs the installed cenum.exe from its directory alone. Installs mingw-w64,
# wine and wine64 from Debian's packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="mingw-w64 wine wine64 xvfb cups-daemon cups-client fontconfig fonts-wqy-microhei
  fonts-dejavu-core cmake python3"
sh tools/need-packages.sh --label wine.sh $packages

build=build-mingw
cmake -S . -B "$build" \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64.cmake \
  -DCENUM_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j2 2>&1 |
  tee "$build/ci-test.log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ -n "${CI:-}" ] &&
  grep -Eq "\*\*\*Skipped|Not Run|SKIP:" "$build/ci-test.log"; then
  echo "wine.sh: a test was skipped; in CI every test must run" >&2
  exit 1
fi

# The installed command runs from bin/ alone: cenum.dll beside it, no
# MinGW-w64 runtime DLL needed. A throwaway prefix, never ~/.wine.
prefix=$PWD/$build/install
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for dll in $(x86_64-w64-mingw32-objdump -p "$prefix/bin/cenum.exe" \
  "$prefix/bin/cenum.dll" | sed -n 's/^\s*DLL Name: //p' | sort -u); do
  case $(echo "$dll" | tr '[:upper:]' '[:lower:]') in
  cenum.dll | kernel32.dll | user32.dll | gdi32.dll | advapi32.dll | \
    winspool.drv | dwmapi.dll | msvcrt.dll | api-ms-win-*) ;;
  *)
    echo "wine.sh: the installed cenum needs $dll, which is not installed" >&2
    exit 1
    ;;
  esac
done
export WINEPREFIX=$PWD/$build/install-wine WINEDEBUG=-all
export WINEDLLOVERRIDES='mscoree,mshtml,winemenubuilder.exe=d'
rm -rf "$WINEPREFIX"
(cd "$prefix/bin" && wine ./cenum.exe --version)
wineserver -k || true
rm -rf "$WINEPREFIX"
echo "wine.sh: the MinGW-w64 build passed under Wine"
