#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cenum printers` against the private cupsd fixtures, and against a socket
nobody listens on and a server that accepts and never answers.

    test_cli_printers.py CENUM FIXTURE_DIR
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

CENUM, DIR = sys.argv[1], sys.argv[2]
failures = 0
KEYS = ["name", "info", "location", "make_model", "uri", "default", "state",
        "state_message", "state_reasons", "accepting", "shared", "discovered",
        "instance"]


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def run(server, *args, timeout=30):
    env = dict(os.environ, CUPS_SERVER=server)
    start = time.monotonic()
    p = subprocess.run([CENUM, "printers", *args], env=env, timeout=timeout,
                       capture_output=True)
    return p, time.monotonic() - start


main_sock = os.path.join(DIR, "main", "cups.sock")
if not os.path.exists(main_sock):
    msg = "the private cupsd (cups-daemon) is missing"
    if os.environ.get("CI"):
        print("FAIL:", msg, file=sys.stderr)
        sys.exit(1)
    print("SKIP:", msg, file=sys.stderr)
    sys.exit(77)

# Every queue, with exact keys and values.
p, _ = run(main_sock, "--json")
check(p.returncode == 0, "exit 0 on the main server: %r" % p.stderr)
check(p.stderr == b"", "nothing on stderr: %r" % p.stderr)
records = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
by_name = {r["name"]: r for r in records}
check(sorted(by_name) == ["office", "plain", "rejecting", "shared", "stopped"],
      "the five queues: %r" % sorted(by_name))
for r in records:
    check(list(r) == KEYS, "keys in order: %r" % list(r))
office = by_name.get("office", {})
check(office.get("info") == "Büro — 3. Stock", "office info %r" % office)
check(office.get("location") == "Gebäude B, Raum 3.14", "office location")
check(office.get("make_model") == "Acme Laser 9000", "office make_model")
check(office.get("uri") == "file:///dev/null", "office uri")
check(office.get("default") is True, "office is the default")
check(office.get("discovered") is False, "office not discovered")
stopped = by_name.get("stopped", {})
check(stopped.get("state") == "stopped", "stopped state %r" % stopped)
check(stopped.get("state_message") == "Out of paper", "stopped message")
check(stopped.get("state_reasons") == ["paused"], "stopped reasons")
rejecting = by_name.get("rejecting", {})
check(rejecting.get("accepting") is False, "rejecting refuses jobs")
check(rejecting.get("state") == "idle", "rejecting is idle")
check(by_name.get("shared", {}).get("shared") is True, "shared is shared")
check(by_name.get("plain", {}).get("shared") is False, "plain is not shared")
check(sum(r["default"] for r in records) == 1, "exactly one default")

# The table names the same queues and marks the default.
p, _ = run(main_sock)
check(p.returncode == 0, "table exit 0")
lines = p.stdout.decode("utf-8").splitlines()
check(lines and lines[0].split()[0] == "NAME", "table header")
check(any(l.startswith("*office ") for l in lines), "default marked: %r" % lines)

# Zero queues: success, no output, no message.
p, _ = run(os.path.join(DIR, "empty", "cups.sock"), "--json")
check(p.returncode == 0 and p.stdout == b"" and p.stderr == b"",
      "empty server: %r" % (p,))

# The server refuses: exit 1 and the server's answer on stderr.
p, _ = run(os.path.join(DIR, "denied", "cups.sock"), "--json")
err = p.stderr.decode("utf-8")
check(p.returncode == 1, "denied exits 1, not %d" % p.returncode)
check(err.startswith("cenum: printers: the service reported an error: CUPS: ")
      and "HTTP 401 (Unauthorized)" in err, "denied message %r" % err)

# Nobody listens: exit 3 at once, the socket named.
nobody = os.path.join(DIR, "fake", "cli-nobody.sock")
os.makedirs(os.path.dirname(nobody), exist_ok=True)
if os.path.exists(nobody):
    os.unlink(nobody)
p, elapsed = run(nobody, "--json")
err = p.stderr.decode("utf-8")
check(p.returncode == 3, "refused exits 3, not %d" % p.returncode)
check(err.startswith("cenum: printers: service unavailable: CUPS: ")
      and nobody in err, "refused message %r" % err)
check(elapsed < 2, "refused at once (%.2f s)" % elapsed)
check(p.stdout == b"", "no output when refused")

# Accepts and never answers: exit 4 after --timeout.
hung = os.path.join(DIR, "fake", "cli-hung.sock")
if os.path.exists(hung):
    os.unlink(hung)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(hung)
listener.listen(4)
held = []


def hold():
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        held.append(conn)


threading.Thread(target=hold, daemon=True).start()
p, elapsed = run(hung, "--timeout", "800")
err = p.stderr.decode("utf-8")
check(p.returncode == 4, "hung exits 4, not %d (%r)" % (p.returncode, err))
check(err.startswith("cenum: printers: timed out: CUPS: "), "hung message %r" % err)
check(0.75 <= elapsed < 0.8 + 2.0, "hung takes the timeout (%.2f s)" % elapsed)
listener.close()
for conn in held:
    conn.close()

if failures:
    print("%d check(s) failed" % failures, file=sys.stderr)
    sys.exit(1)
