#!/bin/sh
# The Wine tests' fixture: one private Wine prefix for the whole test run,
# with the servers Wine talks to, all under DIR in the build tree:
#   - Xvfb, for Wine's windows (DISPLAY);
#   - a private cupsd (tests/cups/cupsd.sh) with the queues the printer tests
#     look for, for Wine's winspool (CUPS_SERVER);
#   - the private fontconfig configuration of the fontconfig fixture, for
#     Wine's GDI (FONTCONFIG_FILE);
#   - a persistent wineserver (wineserver -p), so each test does not pay for
#     starting Wine again, with WINEDEBUG=-all, a private HOME and the
#     C.UTF-8 locale.
# DIR/env holds the variables; tests/win32/wine-run.sh, the tests' emulator,
# reads it.
#
#   wine-env.sh start DIR SOURCE_DIR FONTCONFIG_FILE
#   wine-env.sh stop DIR
set -eu

usage() {
  echo "usage: $0 start DIR SOURCE_DIR FONTCONFIG_FILE | stop DIR" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command=$1
dir=$2

# Polls `test` (a shell command) every 0.1 s for up to $2 seconds.
wait_for() {
  i=0
  until eval "$1"; do
    i=$((i + 1))
    [ $i -lt $(($2 * 10)) ] || return 1
    sleep 0.1
  done
}

kill_pid_file() {
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  rm -f "$1"
  kill "$pid" 2>/dev/null || return 0
  wait_for "! kill -0 $pid 2>/dev/null" 10 || kill -9 "$pid" 2>/dev/null || true
}

stop() {
  if [ -f "$dir/env" ]; then
    # Ends every Wine process of the prefix, then the server itself.
    (. "$dir/env" && wineserver -k) >/dev/null 2>&1 || true
  fi
  kill_pid_file "$dir/wineserver.pid"
  kill_pid_file "$dir/xvfb.pid"
  if [ -n "${source_dir:-}" ] && [ -f "$source_dir/tests/cups/cupsd.sh" ]; then
    sh "$source_dir/tests/cups/cupsd.sh" stop "$dir/cups" || true
  elif [ -f "$dir/cupsd.sh" ]; then
    sh "$dir/cupsd.sh" stop "$dir/cups" || true
  fi
  rm -f "$dir/env"
}

fail() {
  echo "$0: $1" >&2
  for log in "$dir"/*.out; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
  done
  stop
  exit 1
}

case $command in
stop)
  stop
  exit 0
  ;;
start) [ $# -eq 4 ] || usage ;;
*) usage ;;
esac
source_dir=$3
fontconfig_file=$4

for program in wine wineserver wineboot Xvfb; do
  command -v $program >/dev/null 2>&1 ||
    fail "$program not found: install wine, wine64 and xvfb"
done

# A previous run may have left servers behind in DIR.
stop
rm -rf "$dir"
mkdir -p "$dir/home" "$dir/prefix"
dir=$(cd "$dir" && pwd)

# Xvfb picks a free display and writes its number to fd 3.
setsid Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset \
  3>"$dir/display" </dev/null >"$dir/xvfb.out" 2>&1 &
echo $! >"$dir/xvfb.pid"
wait_for "[ -s '$dir/display' ]" 60 || fail "Xvfb did not start"
display=:$(tr -d '\n' <"$dir/display")

# The private cupsd and its queues; the printer tests expect exactly these
# names, descriptions and locations (tests/win32/test_win32_printers.c).
cp "$source_dir/tests/cups/cupsd.sh" "$dir/cupsd.sh" ||
  fail "tests/cups/cupsd.sh is missing"
sh "$dir/cupsd.sh" start "$dir/cups" >"$dir/cupsd-start.out" 2>&1 ||
  fail "the private cupsd did not start"
cups_server=$dir/cups/cups.sock
CUPS_SERVER=$cups_server lpadmin -p cenum-wine-a -E -v file:///dev/null \
  -D "Wine queue A ✓" -L "Room 101" >"$dir/lpadmin.out" 2>&1 ||
  fail "lpadmin failed"
CUPS_SERVER=$cups_server lpadmin -p cenum-wine-b -E -v file:///dev/null \
  -D "Wine queue B" -L "Labor für Drucker" >>"$dir/lpadmin.out" 2>&1 ||
  fail "lpadmin failed"

cat >"$dir/env" <<ENV
export WINEPREFIX='$dir/prefix'
export WINEDEBUG=-all
# No Mono, Gecko or menu entries: the tests need none, and the menu builder
# would write outside the prefix.
export WINEDLLOVERRIDES='mscoree,mshtml,winemenubuilder.exe=d'
export HOME='$dir/home'
export XDG_CONFIG_HOME='$dir/home/.config'
export XDG_DATA_HOME='$dir/home/.local/share'
export XDG_CACHE_HOME='$dir/home/.cache'
export DISPLAY='$display'
export CUPS_SERVER='$cups_server'
export FONTCONFIG_FILE='$fontconfig_file'
# Wine converts the text CUPS sends through the Unix locale's character set:
# without a UTF-8 locale (a fresh Debian has no LANG) "für" comes out as
# "fC<r". C.UTF-8 is always there in Debian's libc.
export LC_ALL=C.UTF-8
# The server's default decides; LPDEST or PRINTER set, even empty, would
# name another (an empty one names none at all, as for lp).
unset LPDEST PRINTER
ENV

# The server first, kept for the whole run (-p) and in its own session,
# then the prefix made with it.
(. "$dir/env" && exec setsid wineserver -f -p) </dev/null \
  >"$dir/wineserver.out" 2>&1 &
echo $! >"$dir/wineserver.pid"
(. "$dir/env" && timeout 300 wineboot -i) </dev/null >"$dir/wineboot.out" 2>&1 ||
  fail "wineboot -i failed"
[ -d "$dir/prefix/drive_c/windows/system32" ] || fail "wineboot made no prefix"
echo "Wine prefix ready: . $dir/env"
