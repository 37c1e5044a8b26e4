#!/bin/sh
# SPDX-License-Identifier: MIT
# cenum's benchmarks, in one command:
#
#   bench/run.sh [--quick|--full] [--kinds windows,printers,fonts,wayland] [--out FILE]
#
# Builds cenum and the benchmark programs in Release mode (in $BENCH_BUILD,
# default ./build-bench), installs the tools it compares against when they
# are missing (wmctrl, xdotool, and fonts-noto-core and fonts-noto-cjk for
# the large font set; with sudo when not root), starts its own Xvfb with
# openbox, a private cupsd and private fontconfig configurations, and prints
# Markdown tables. --quick (the default) takes about a minute; --full takes
# the sizes of issue 6 (up to 5,000 windows and queues) and tens of minutes.
# Timings never make it fail: it fails only when it cannot build or run.
set -eu
cd "$(dirname "$0")/.."
build="${BENCH_BUILD:-build-bench}"

# What the benchmark compares against, beyond the project's own packages.
PACKAGES="wmctrl xdotool fonts-noto-core fonts-noto-cjk cups-daemon
  cups-client libcups2-dev xvfb openbox libx11-dev fontconfig
  libfontconfig-dev python3 cmake sway xwayland libwayland-dev libwayland-bin
  python3-gi gir1.2-gtk-3.0"
sh tools/need-packages.sh --no-recommends --label bench $PACKAGES

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCENUM_BUILD_BENCH=ON \
  >/dev/null
cmake --build "$build" -j"$(nproc)" --target cenum_tool bench_runcmd bench_xdelay \
  bench_spawn_windows bench_windows bench_printers bench_floor_printers \
  bench_fonts >/dev/null

exec python3 bench/run.py --build "$build" "$@"
