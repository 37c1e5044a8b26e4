# SPDX-License-Identifier: MIT
"""The cenum command on Windows, as a user runs it: a window another program
made, with its title and pid; the printers; fonts without duplicates;
`cenum watch windows --json` telling of a window another program makes and
closes, and (on Windows) ending with status 0 on Ctrl+Break.

Under Wine (CENUM_TEST_WINE set) the programs run through the emulator
wine-run.sh in the fixture's prefix, the printers are the fixture cupsd's
queues and the fonts the private fontconfig configuration's faces. On
Windows, the printers and fonts Windows has.

usage: test_win32_cli.py [--emulator WRAPPER] CENUM_EXE MAKE_WINDOW_EXE
"""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

args = sys.argv[1:]
emulator = []
if args[:1] == ["--emulator"]:
    emulator = [args[1]]
    args = args[2:]
CENUM, MAKE_WINDOW = args
WINE = os.environ.get("CENUM_TEST_WINE") is not None
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*argv):
    return subprocess.run(emulator + [CENUM] + list(argv), capture_output=True,
                          timeout=120)


def json_lines(out):
    return [json.loads(line, strict=True)
            for line in out.decode("utf-8").splitlines()]


def test_windows():
    token = "cli-%d" % os.getpid()
    helper = subprocess.Popen(emulator + [MAKE_WINDOW, token],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        line = helper.stdout.readline().decode("ascii").split()
        check(len(line) == 2, "make_window printed its pid and window")
        if len(line) != 2:
            return
        pid, hwnd = int(line[0]), int(line[1])
        title = "cenum Pr\u00fcfung \u2713 " + token
        r = run("windows", "--json")
        check(r.returncode == 0, "windows --json exit %d: %r"
              % (r.returncode, r.stderr))
        mine = [w for w in json_lines(r.stdout) if w["id"] == hwnd]
        check(len(mine) == 1, "the helper's window is listed once")
        if mine:
            w = mine[0]
            check(w["title"] == title, "title %r" % w["title"])
            check(w["pid"] == pid, "pid %r, expected %d" % (w["pid"], pid))
            check(w["class"] == "CenumMakeWindow", "class %r" % w["class"])
            check(w["exe"].lower().endswith("win32_make_window.exe"),
                  "exe %r" % w["exe"])
            check(w["visible"] is True and w["instance"] == ""
                  and w["desktop"] is None, "fields %r" % w)
        r = run("windows", "--json", "--apps")
        check(r.returncode == 0 and
              any(w["id"] == hwnd for w in json_lines(r.stdout)),
              "the helper's window is an app")
    finally:
        helper.stdin.close()
        helper.wait(timeout=60)


def test_printers():
    r = run("printers", "--json", "--timeout", "60000")
    check(r.returncode == 0, "printers --json exit %d: %r"
          % (r.returncode, r.stderr))
    printers = {p["name"]: p for p in json_lines(r.stdout)}
    if WINE:
        want = {"cenum-wine-a": ("Wine queue A \u2713", "Room 101"),
                "cenum-wine-b": ("Wine queue B", "Labor f\u00fcr Drucker")}
        for name, (info, location) in want.items():
            p = printers.get(name)
            check(p is not None, "queue %s listed: %r" % (name, list(printers)))
            if p:
                check(p["info"] == info and p["location"] == location,
                      "%s: info %r location %r" % (name, p["info"],
                                                   p["location"]))
    else:
        check("Microsoft Print to PDF" in printers,
              "Microsoft Print to PDF listed: %r" % list(printers))
    check(sum(p["default"] for p in printers.values()) <= 1, "one default")


def test_fonts():
    r = run("fonts", "--json")
    check(r.returncode == 0, "fonts --json exit %d" % r.returncode)
    fonts = json_lines(r.stdout)
    pairs = [(f["family"], f["style"]) for f in fonts]
    check(len(fonts) > 0, "some fonts")
    check(len(pairs) == len(set(pairs)), "no (family, style) twice")
    family = "DejaVu Sans Mono" if WINE else "Courier New"
    r = run("fonts", "--json", "--family", family.upper(), "--monospace")
    faces = json_lines(r.stdout)
    check(r.returncode == 0 and len(faces) == (2 if WINE else 4)
          and all(f["family"] == family and f["monospace"] for f in faces),
          "--family %s --monospace: %r" % (family, faces))


def watch_lines(proc, lines):
    for line in proc.stdout:
        lines.put(json.loads(line.decode("utf-8"), strict=True))
    lines.put(None)


def wait_line(lines, want, seconds=30):
    """The first line for which want(line) holds, within `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=max(0.1, end - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        if want(line):
            return line
    return None


def make_window(token):
    helper = subprocess.Popen(emulator + [MAKE_WINDOW, token],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = helper.stdout.readline().decode("ascii").split()
    check(len(line) == 2, "make_window printed its pid and window")
    return helper, (int(line[1]) if len(line) == 2 else 0)


def test_watch():
    # On Windows its own process group, so that Ctrl+Break reaches it alone.
    flags = 0 if WINE else subprocess.CREATE_NEW_PROCESS_GROUP
    watch = subprocess.Popen(emulator + [CENUM, "watch", "windows", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             creationflags=flags)
    lines = queue.Queue()
    threading.Thread(target=watch_lines, args=(watch, lines),
                     daemon=True).start()
    helpers = []
    try:
        token = "watch-%d" % os.getpid()
        helper, hwnd = make_window(token)
        helpers.append(helper)
        added = wait_line(lines, lambda l: l["id"] == hwnd)
        check(added is not None and added["change"] == "added"
              and added["title"] == "cenum Pr\u00fcfung \u2713 " + token
              and added["class"] == "CenumMakeWindow",
              "watch: the helper's window added: %r" % added)
        helper.stdin.close()
        helper.wait(timeout=60)
        if WINE:
            # Wine 8 raises no EVENT_OBJECT_DESTROY: the close is told with
            # the next window created (docs/watch.md).
            helper, _ = make_window(token + "-next")
            helpers.append(helper)
        removed = wait_line(lines, lambda l: l["id"] == hwnd)
        check(removed is not None and removed["change"] == "removed",
              "watch: the helper's window removed: %r" % removed)
    finally:
        for helper in helpers:
            if not helper.stdin.closed:
                helper.stdin.close()
            helper.wait(timeout=60)
        if WINE:
            # Wine turns no signal into a console control event for a
            # program without a Wine console, so the handler cannot be
            # reached from here: the watch is ended from outside.
            watch.kill()
            watch.wait(timeout=60)
        else:
            try:
                watch.send_signal(signal.CTRL_BREAK_EVENT)
                watch.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired) as e:
                check(False, "watch: Ctrl+Break: %r" % e)
                watch.kill()
                watch.wait()
            check(watch.returncode == 0, "watch: Ctrl+Break exit %r: %r"
                  % (watch.returncode, watch.stderr.read()))


for test in [test_windows, test_printers, test_fonts, test_watch]:
    test()
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
