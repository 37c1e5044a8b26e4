# SPDX-License-Identifier: MIT
"""`cenum windows` against the Xvfb of an X11 fixture: the helper's window is
listed with its exact title, pid and class, as valid JSON Lines, and a
missing display gives exit status 3 with the display named.

usage: test_cli_windows.py CENUM
Environment: CENUM_TEST_X11_STATE, CENUM_TEST_X11_HELPER, CENUM_TEST_X11_WM.
"""
import json
import os
import subprocess
import sys

from fixture import check, display, finish

CENUM = sys.argv[1]
MAIN_TITLE = "Grüße — 日本 ✓"
KEYS = ["id", "title", "class", "instance", "pid", "exe", "x", "y", "width",
        "height", "desktop", "visible", "minimized", "managed",
        "transient_for", "focused"]
def run(*args, env):
    return subprocess.run([CENUM] + list(args), capture_output=True, env=env,
                          timeout=60)


def main():
    env = dict(os.environ, DISPLAY=display())
    wm = os.environ.get("CENUM_TEST_X11_WM") == "1"
    helper = subprocess.Popen([os.environ["CENUM_TEST_X11_HELPER"], "serve"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=env)
    try:
        line = helper.stdout.readline().decode()
        check(line.startswith("ready"), "helper ready, got %r" % line)

        r = run("windows", "--json", env=env)
        check(r.returncode == 0, "windows --json exit %d: %r"
              % (r.returncode, r.stderr))
        records = [json.loads(l, strict=True)
                   for l in r.stdout.decode("utf-8").splitlines()]
        mine = [x for x in records if x["title"] == MAIN_TITLE]
        check(len(mine) == 1, "one window titled %r, got %d"
              % (MAIN_TITLE, len(mine)))
        for x in mine:
            check(list(x.keys()) == KEYS, "keys %r" % list(x.keys()))
            check(x["pid"] == helper.pid, "pid %r" % x["pid"])
            check(x["class"] == "CenumMain" and x["instance"] == "cenum-main",
                  "class %r instance %r" % (x["class"], x["instance"]))
            check(x["visible"] is True and x["minimized"] is False,
                  "visible/minimized")
            check(x["managed"] is wm, "managed %r" % x["managed"])
            if not wm:
                check((x["x"], x["y"], x["width"], x["height"])
                      == (10, 20, 200, 150), "geometry %r" % x)
                check(x["desktop"] is None, "desktop %r" % x["desktop"])

        # --fields: the fields asked are exact, the others unknown; a
        # field it does not know is a usage error.
        r = run("windows", "--json", "--fields", "title,class", env=env)
        check(r.returncode == 0, "--fields exit %d: %r"
              % (r.returncode, r.stderr))
        some = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines()]
        some = [x for x in some if x["title"] == MAIN_TITLE]
        check(len(some) == 1, "--fields: one window titled %r" % MAIN_TITLE)
        for x in some:
            check(list(x.keys()) == KEYS, "--fields keys %r" % list(x.keys()))
            check(x["class"] == "CenumMain" and x["instance"] == "cenum-main",
                  "--fields class %r" % x["class"])
            check(x["pid"] is None and x["exe"] == "" and
                  x["desktop"] is None and x["visible"] is False and
                  (x["x"], x["y"], x["width"], x["height"]) == (0, 0, 0, 0),
                  "--fields: the others unknown: %r" % x)
            check(x["id"] == mine[0]["id"], "--fields id")
        r = run("windows", "--fields", "title,colour", env=env)
        check(r.returncode == 2, "--fields colour exit %d" % r.returncode)

        # The filters reach the library.
        r = run("windows", "--json", "--apps", env=env)
        apps = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines()]
        check(r.returncode == 0, "--apps exit %d" % r.returncode)
        check(any(x["title"] == MAIN_TITLE for x in apps) is wm,
              "--apps lists the main window only with a window manager")
        r = run("windows", "--visible", "--json", env=env)
        visible = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines()]
        check(visible and all(x["visible"] for x in visible), "--visible")
        check(not any(x["title"] == "cenum unmapped" for x in visible),
              "--visible hides the unmapped window")

        # The table: exit 0, the title in it, no raw control characters.
        r = run("windows", env=env)
        check(r.returncode == 0 and MAIN_TITLE.encode() in r.stdout,
              "plain table lists the title")
    finally:
        helper.stdin.write(b"quit\n")
        helper.stdin.close()
        helper.wait(timeout=30)

    r = run("windows", env=dict(env, DISPLAY=":999"))
    check(r.returncode == 3, "DISPLAY=:999 exit %d" % r.returncode)
    check(b'":999"' in r.stderr, "stderr names the display: %r" % r.stderr)
    check(r.stdout == b"", "nothing on stdout without a display")
    no_display = dict(env)
    del no_display["DISPLAY"]
    r = run("windows", "--json", env=no_display)
    check(r.returncode == 3 and b"DISPLAY" in r.stderr,
          "no DISPLAY: exit %d, %r" % (r.returncode, r.stderr))

    finish()


main()
