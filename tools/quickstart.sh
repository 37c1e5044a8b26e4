#!/bin/sh
# Quick start, step 1: installs the Debian 12 packages cenum needs that are
# missing (with sudo when not root), builds cenum in ./build and lists this
# machine's fonts with it. Safe to run again.
set -eu
cd "$(dirname "$0")/.."

# To build: compilers, CMake and the backends' development headers. To test:
# the real servers (Xvfb, openbox, cupsd, sway, weston, Xwayland and their
# clients foot and GTK 3), fonts-dejavu-core, fc-list, Python,
# MinGW-w64 with Wine for the Windows backend, and Mono and pip's build
# tools for the C# and Python bindings' tests.
PACKAGES="build-essential cmake pkgconf python3
  libfontconfig-dev fontconfig fonts-dejavu-core
  libx11-dev libx11-xcb-dev libxcb1-dev libxcb-res0-dev xvfb openbox
  libcups2-dev cups-daemon cups-client
  libwayland-dev libwayland-bin sway foot weston xwayland python3-gi
  gir1.2-gtk-3.0
  mingw-w64 wine wine64
  mono-mcs mono-runtime python3-pip python3-setuptools python3-wheel"

sh tools/need-packages.sh --label quickstart $PACKAGES

cmake -S . -B build
cmake --build build -j"$(nproc)"
./build/cenum fonts
