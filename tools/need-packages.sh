#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages named on the command line that are not yet
# installed, with sudo when not root; does nothing when all are there. The
# one place where cenum's scripts (the quick start, CI, the Wine build, the
# benchmarks) install what they need.
#
#   sh tools/need-packages.sh [--no-recommends] [--label NAME] PACKAGE...
set -eu

recommends=""
label="need-packages"
while [ $# -gt 0 ]; do
  case "$1" in
  --no-recommends) recommends="--no-install-recommends" ;;
  --label) label="$2"; shift ;;
  *) break ;;
  esac
  shift
done

missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
    grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -n "$missing" ] || exit 0

echo "$label: installing$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
# Progress goes to stderr, so a caller's standard output stays its own.
$sudo apt-get update >&2
$sudo env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y $recommends $missing >&2
