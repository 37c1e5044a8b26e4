#!/bin/sh
# SPDX-License-Identifier: MIT
# The emulator of the tests of a MinGW-w64 build: runs a Windows program
# under Wine in the environment the wine fixture made (tests/win32/
# wine-env.sh), whose file CENUM_WINE_ENV names. Without it, plain Wine.
set -eu
if [ -n "${CENUM_WINE_ENV:-}" ]; then
  if [ ! -f "$CENUM_WINE_ENV" ]; then
    echo "$0: $CENUM_WINE_ENV is missing: the fixture_wine_start test failed" >&2
    exit 1
  fi
  . "$CENUM_WINE_ENV"
fi
exec wine "$@"
