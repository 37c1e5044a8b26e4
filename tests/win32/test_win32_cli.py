# SPDX-License-Identifier: MIT
"""The cenum command on Windows, as a user runs it: a window another program
made, with its title and pid; the printers; fonts without duplicates.

Under Wine (CENUM_TEST_WINE set) the programs run through the emulator
wine-run.sh in the fixture's prefix, the printers are the fixture cupsd's
queues and the fonts the private fontconfig configuration's faces. On
Windows, the printers and fonts Windows has.

usage: test_win32_cli.py [--emulator WRAPPER] CENUM_EXE MAKE_WINDOW_EXE
"""
import json
import os
import subprocess
import sys

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


for test in [test_windows, test_printers, test_fonts]:
    test()
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
