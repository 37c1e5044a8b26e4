#!/bin/sh
# SPDX-License-Identifier: MIT
# Quick start, step 1: installs the Debian 12 packages cenum needs that are
# missing (with sudo when not root), builds cenum in ./build and lists this
# machine's fonts with it. Safe to run again.
set -eu
cd "$(dirname "$0")/.."

# To build: compilers, CMake and the backends' development headers. To test:
# the real servers (Xvfb, openbox, cupsd, sway, weston, Xwayland and their
# clients foot and GTK 3), fonts-dejavu-core, fc-list, Python, MinGW-w64
# with Wine for the Windows backend (with a font collection,
# fonts-wqy-microhei, for its fonts test), and Mono and pip's build tools
# for the C# and Python bindings' tests; the reference tools and window
# managers the X11 tests compare with (xprop, wmctrl, xdotool, libwnck;
# i3, fluxbox, icewm).
PACKAGES="build-essential cmake pkgconf python3
  libfontconfig-dev fontconfig fonts-dejavu-core
  libx11-dev libx11-xcb-dev libxcb1-dev libxcb-res0-dev xvfb xauth openbox
  libcups2-dev cups-daemon cups-client
  libwayland-dev libwayland-bin sway foot weston xwayland gir1.2-gtk-3.0
  mingw-w64 wine wine64 fonts-wqy-microhei
  mono-mcs mono-runtime python3-pip python3-setuptools python3-wheel
  x11-utils wmctrl xdotool python3-gi gir1.2-wnck-3.0 i3-wm fluxbox icewm"

sh tools/need-packages.sh --label quickstart $PACKAGES

cmake -S . -B build
cmake --build build -j"$(nproc)"
./build/cenum fonts
