#!/bin/sh
# SPDX-License-Identifier: MIT
# Creates the queues test_printers expects on the private cupsd in DIR
# (started by cupsd.sh). lpadmin's warnings that printer drivers are
# deprecated are expected.
#   populate.sh DIR
set -eu
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
export CUPS_SERVER="$dir/cups.sock"
# lpstat's answers are read below: untranslated, and no client.conf of the
# user's own in the way.
export LC_ALL=C HOME="$dir"
# No server (cupsd missing outside CI): the tests skip themselves.
[ -S "$CUPS_SERVER" ] || [ -n "${CI:-}" ] || exit 0

lpadmin -p office -E -v file:///dev/null -D "Büro — 3. Stock" \
  -L "Gebäude B, Raum 3.14" -P "$here/acme.ppd" -o printer-is-shared=false
lpadmin -p stopped -E -v file:///dev/null -D "Stopped queue" -L "Keller" \
  -o printer-is-shared=false
lpadmin -p rejecting -E -v file:///dev/null -D "Rejecting queue" \
  -L "Dachboden" -o printer-is-shared=false
lpadmin -p shared -E -v file:///dev/null -D "Shared queue" -L "Flur" \
  -o printer-is-shared=true
lpadmin -p plain -E -v file:///dev/null -o printer-is-shared=false
lpadmin -d office
cupsdisable -r "Out of paper" stopped
cupsreject -r "Maintenance until Monday" rejecting

# Wait until the server reports every change (they are applied at once, but
# poll rather than trust that).
i=0
until lpstat -p stopped 2>/dev/null | grep -q disabled &&
  lpstat -a rejecting 2>/dev/null | grep -q "not accepting"; do
  i=$((i + 1))
  [ $i -lt 300 ] || { echo "$0: the queues did not settle" >&2; exit 1; }
  sleep 0.1
done
