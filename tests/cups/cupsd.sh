#!/bin/sh
# SPDX-License-Identifier: MIT
# Starts and stops a private cupsd for tests and benchmarks. It never touches
# the machine's own CUPS: everything lives in DIR, and clients reach it with
# CUPS_SERVER=DIR/cups.sock.
#
#   cupsd.sh start DIR [--queues N] [--deny-get-printers] [--tcp]
#   cupsd.sh stop DIR
#
# --queues N writes N raw queues (bench-00001 ...) into printers.conf before
# cupsd starts, which is far faster than lpadmin for thousands of queues.
# --deny-get-printers makes the policy refuse CUPS-Get-Printers (it demands
# a user nobody is), for the tests of a server that answers with an error.
# --tcp also listens on 127.0.0.1 at a free port, written to DIR/tcp.port,
# where clients may ask for TLS (cupsd makes a self-signed certificate in
# DIR/ssl).
# The daemon runs in its own session with its output in DIR/cupsd.out, so a
# CTest fixture does not wait on it; its pid is in DIR/cupsd.pid.
set -eu
# lpstat's answers are read below: untranslated, and no client.conf of the
# user's own in the way.
export LC_ALL=C HOME="${2:-.}"

usage() {
  echo "usage: $0 start DIR [--queues N] [--deny-get-printers] [--tcp] |" \
    "stop DIR" >&2
  exit 2
}

[ $# -ge 2 ] || usage
command=$1
dir=$2
shift 2

stop() {
  [ -f "$dir/cupsd.pid" ] || return 0
  pid=$(cat "$dir/cupsd.pid")
  rm -f "$dir/cupsd.pid"
  kill "$pid" 2>/dev/null || return 0
  # Poll until it is gone; after 10 s it is killed outright.
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -ge 100 ]; then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
}

case $command in
stop)
  stop
  exit 0
  ;;
start) ;;
*) usage ;;
esac

queues=0
deny=no
tcp=no
while [ $# -gt 0 ]; do
  case $1 in
  --queues)
    [ $# -ge 2 ] || usage
    queues=$2
    shift 2
    ;;
  --deny-get-printers)
    deny=yes
    shift
    ;;
  --tcp)
    tcp=yes
    shift
    ;;
  *) usage ;;
  esac
done

cupsd=$(command -v cupsd || true)
[ -n "$cupsd" ] || cupsd=/usr/sbin/cupsd
if [ ! -x "$cupsd" ]; then
  echo "$0: cupsd not found: install cups-daemon" >&2
  # Outside CI the tests that need it skip themselves (no socket); in CI a
  # missing server is a failure.
  [ -n "${CI:-}" ] && exit 1
  exit 0
fi

# A previous run may have left a daemon behind in DIR.
stop
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/spool" "$dir/cache" "$dir/state" "$dir/tmp" "$dir/log" \
  "$dir/ppd" "$dir/printers.conf" "$dir/printers.conf.O" "$dir/cups.sock"
mkdir -p "$dir/spool/tmp" "$dir/cache" "$dir/state" "$dir/tmp" "$dir/log" \
  "$dir/ppd"
# cupsd refuses a socket path longer than sun_path (108 bytes).
if [ ${#dir} -gt 95 ]; then
  echo "$0: $dir is too long for a unix socket path" >&2
  exit 1
fi

if [ $deny = yes ]; then
  # cupsd always lets local clients through Allow/Deny rules, so the refusal
  # is a user no client can authenticate as.
  get_printers_rule="  <Limit CUPS-Get-Printers>
    AuthType Basic
    Require user no-such-user-cenum
    Order deny,allow
  </Limit>"
else
  get_printers_rule=""
fi

listen_tcp=""
keychain=""
if [ $tcp = yes ]; then
  # A port nobody listens on now; cupsd binds it a moment later.
  port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
  echo "$port" >"$dir/tcp.port"
  listen_tcp="Listen 127.0.0.1:$port
ServerName localhost"
  keychain="ServerKeychain $dir/ssl"
  mkdir -p "$dir/ssl"
fi

cat >"$dir/cupsd.conf" <<CONF
Listen $dir/cups.sock
$listen_tcp
Browsing No
WebInterface No
LogLevel warn
# Write printers.conf at once, so a test sees what lpadmin changed on disk.
DirtyCleanInterval 0
MaxLogSize 0
<Policy default>
$get_printers_rule
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
CONF

cat >"$dir/cups-files.conf" <<CONF
ServerRoot $dir
RequestRoot $dir/spool
CacheDir $dir/cache
StateDir $dir/state
TempDir $dir/tmp
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
FileDevice Yes
Sandboxing Relaxed
$keychain
CONF

if [ "$queues" -gt 0 ]; then
  awk -v n="$queues" 'BEGIN {
    for (i = 1; i <= n; i++) {
      name = sprintf("bench-%05d", i)
      printf "<Printer %s>\n", name
      printf "PrinterId %d\n", i
      printf "UUID urn:uuid:00000000-0000-4000-8000-%012d\n", i
      printf "Info Benchmark queue %d\n", i
      printf "Location Rack %d\n", (i - 1) % 40 + 1
      printf "MakeModel Local Raw Printer\n"
      printf "DeviceURI file:///dev/null\n"
      printf "State Idle\nStateTime 0\nType 4\n"
      printf "Accepting Yes\nShared No\nJobSheets none none\n"
      printf "QuotaPeriod 0\nPageLimit 0\nKLimit 0\n"
      printf "OpPolicy default\nErrorPolicy stop-printer\n"
      printf "</Printer>\n"
    }
  }' >"$dir/printers.conf"
fi

# As root cupsd drops to User/Group (lp) only for filters and backends; the
# directories here belong to root, which it accepts.
setsid "$cupsd" -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" \
  </dev/null >"$dir/cupsd.out" 2>&1 &
echo $! >"$dir/cupsd.pid"

# Ready when lpstat can reach it; poll for up to 60 s (slow under load).
i=0
until CUPS_SERVER="$dir/cups.sock" lpstat -r 2>/dev/null |
  grep -q "scheduler is running"; do
  i=$((i + 1))
  if ! kill -0 "$(cat "$dir/cupsd.pid")" 2>/dev/null || [ $i -ge 600 ]; then
    echo "$0: cupsd did not start; its output and error log:" >&2
    cat "$dir/cupsd.out" "$dir/log/error_log" >&2 2>/dev/null || true
    stop
    exit 1
  fi
  sleep 0.1
done
echo "cupsd runs: CUPS_SERVER=$dir/cups.sock"
