#!/usr/bin/env python3
"""`cenum printers` against the private cupsd fixtures, and against a socket
nobody listens on and a server that accepts and never answers.

    test_cli_printers.py CENUM FIXTURE_DIR
"""
import json
import shutil
import os
import socket
import tempfile
import unicodedata
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



def display_width(text):
    """Columns a terminal gives `text` (marks and format characters none,
    East Asian wide and fullwidth characters two)."""
    width = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Mn", "Me") or (category == "Cf" and ch != "\xad"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def cells(line, widths):
    """`line` cut into cells of `widths` display columns, each followed by
    one space; the rest of the line is the last cell."""
    out, cell, used, i = [], "", 0, 0
    for width in widths:
        cell, used = "", 0
        while i < len(line) and used < width:
            cell += line[i]
            used += display_width(line[i])
            i += 1
        # Marks that belong to the cell's last character.
        while i < len(line) and display_width(line[i]) == 0 and line[i] != " ":
            cell += line[i]
            i += 1
        check(used == width, "cell %r of %r is %d columns, not %d"
              % (cell, line, used, width))
        out.append(cell)
        check(line[i:i + 1] == " ", "a space after cell %r of %r" % (cell, line))
        i += 1
    out.append(line[i:])
    return out


# The table pads every cell by display width, so each column starts at the
# same terminal column whatever the text (CJK, emoji, marks); cuts what is
# too long with "…"; escapes a bidirectional override; shows the state
# message; names an instance "queue/instance".
home = tempfile.mkdtemp()
os.makedirs(os.path.join(home, ".cups"))
with open(os.path.join(home, ".cups", "lpoptions"), "w") as f:
    f.write("Dest wide/draft sides=two-sided-long-edge\n")
env = dict(os.environ, CUPS_SERVER=os.path.join(DIR, "table", "cups.sock"),
           HOME=home)
p = subprocess.run([CENUM, "printers"], env=env, timeout=30,
                   capture_output=True)
check(p.returncode == 0, "table server: exit %d %r" % (p.returncode, p.stderr))
widths = [1 + 24, 10, 9, 30, 24]
rows = {}
for line in p.stdout.decode("utf-8").splitlines():
    row = cells(line, widths)
    rows[row[0].strip(" *")] = [c.rstrip() for c in row]
check(sorted(rows) == ["NAME", "bidi", "emoji", "long", "wide", "wide/draft"],
      "table rows %r" % sorted(rows))
check(rows.get("NAME", [])[1:] == ["STATE", "JOBS", "INFO", "LOCATION",
                                   "MESSAGE"], "table header %r" % rows.get("NAME"))
check(rows.get("wide", [])[1:] == ["stopped", "accepting", "打印机 日本語",
                                   "東京 オフィス 3階", "紙詰まり: トレイ 2"],
      "wide row %r" % rows.get("wide"))
check(rows.get("wide/draft", [])[1:] == rows.get("wide", [])[1:],
      "the instance row has its queue's fields %r" % rows.get("wide/draft"))
check(rows.get("emoji", [])[3:5] == ["Printer 😀 ok", "Café"],
      "emoji row %r" % rows.get("emoji"))
check(rows.get("long", [])[3:5] == ["A description far longer than…",
                                    "A location longer than …"],
      "long row %r" % rows.get("long"))
check(rows.get("bidi", [])[3:5] == ["evil\\u202etxt.exe", "\\u200fmark"],
      "bidi row %r" % rows.get("bidi"))
# JSON is never cut, and names the instance.
p = subprocess.run([CENUM, "printers", "--json"], env=env, timeout=30,
                   capture_output=True)
records = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
check(any(r["info"] == "A description far longer than the thirty columns of "
          "its cell" for r in records), "JSON keeps long text whole")
check([(r["name"], r["instance"]) for r in records
       if r["name"] == "wide"] == [("wide", ""), ("wide", "draft")],
      "JSON: the queue, then its instance")
shutil.rmtree(home)

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
