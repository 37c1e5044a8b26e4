#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian packages: built with dpkg-buildpackage from a clean clone of
# this checkout's HEAD, checked by lintian (no error, no warning), installed
# on this machine with apt, used by a consumer through pkg-config and
# find_package, `cenum fonts` and the Python binding run, and removed again.
#
#   sh .ci/deb.sh [WORK_DIR]      (default: build-deb)
#
# DEB_BUILD_OPTIONS=nocheck: CI has run the whole suite on this tree before
# (sh tools/test.sh); running it again inside dpkg-buildpackage would only
# double its time.
set -eu
cd "$(dirname "$0")/.."
src=$PWD
work=${1:-build-deb}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

sh tools/need-packages.sh --no-recommends --label deb \
  debhelper devscripts lintian dpkg-dev dh-python

git clone --quiet "$src" "$work/cenum"
(cd "$work/cenum" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b)
lintian --fail-on error,warning --info "$work"/cenum_*.changes

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
debs="$work/libcenum0_${version}_*.deb $work/libcenum-dev_${version}_*.deb
  $work/cenum_${version}_*.deb $work/python3-cenum_${version}_*.deb"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
remove() {
  $sudo dpkg --purge python3-cenum cenum libcenum-dev libcenum0 >/dev/null ||
    true
}
trap remove EXIT
# shellcheck disable=SC2086 # the globs name the three packages
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
  --no-install-recommends $debs

# A consumer of the installed packages, as a Debian user builds one.
cmake -S tests/consumer -B "$work/find_package" >/dev/null
cmake --build "$work/find_package"
"$work/find_package/consumer_shared"
"$work/find_package/consumer_static"
cc tests/consumer/consumer.c $(pkg-config --cflags --libs cenum) \
  -o "$work/pc_shared"
"$work/pc_shared"
cc tests/consumer/consumer.c $(pkg-config --cflags --libs cenum-static) \
  -o "$work/pc_static"
"$work/pc_static"
if ldd "$work/pc_static" | grep -q libcenum; then
  echo "deb: cenum-static.pc linked libcenum.so" >&2
  exit 1
fi
ldd "$work/pc_shared" | grep 'libcenum\.so\.0 => /'

cenum --version
cenum fonts >"$work/fonts.txt"
test -s "$work/fonts.txt"
head -3 "$work/fonts.txt"
test -f /usr/share/man/man1/cenum.1.gz
# The Python binding finds the installed library by itself (not the
# checkout's: run from elsewhere, with no CENUM_LIBRARY).
(cd / && env -u CENUM_LIBRARY -u PYTHONPATH /usr/bin/python3 -c '
import cenum
faces = cenum.fonts()
assert faces and all(f.family for f in faces), faces
print("deb: python3-cenum lists", len(faces), "faces")')
echo "deb: built, lintian clean, installed, consumed, cenum fonts ran"
