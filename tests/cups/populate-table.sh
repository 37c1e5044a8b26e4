#!/bin/sh
# SPDX-License-Identifier: MIT
# Creates the queues the table test of test_cli_printers.py reads on the
# private cupsd in DIR (started by cupsd.sh): text of every display width,
# long cells, a state message, a bidirectional override, and an instance.
#   populate-table.sh DIR
set -eu
dir=$1
export CUPS_SERVER="$dir/cups.sock"
export LC_ALL=C HOME="$dir"
[ -S "$CUPS_SERVER" ] || [ -n "${CI:-}" ] || exit 0

lpadmin -p wide -E -v file:///dev/null -D "打印机 日本語" -L "東京 オフィス 3階"
lpadmin -p emoji -E -v file:///dev/null -D "Printer 😀 ok" -L "Café"
lpadmin -p long -E -v file:///dev/null \
  -D "A description far longer than the thirty columns of its cell" \
  -L "A location longer than twenty-four columns"
lpadmin -p bidi -E -v file:///dev/null -D "evil‮txt.exe" -L "‏mark"
cupsdisable -r "紙詰まり: トレイ 2" wide

i=0
until lpstat -p wide 2>/dev/null | grep -q disabled; do
  i=$((i + 1))
  [ $i -lt 300 ] || { echo "$0: the queues did not settle" >&2; exit 1; }
  sleep 0.1
done
