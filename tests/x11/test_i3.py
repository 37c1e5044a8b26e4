# SPDX-License-Identifier: MIT
"""`cenum windows --json` under i3, whose frames are override-redirect
children of the root (issue 12, item 3): every client is found inside its
frame, as XmuClientWindow finds it, so no "[i3 con] container around ..."
frame stands in for a client, the i3bar dock window is listed as itself, and
every window of _NET_CLIENT_LIST (xprop) is a record.

usage: test_i3.py CENUM
Environment: CENUM_TEST_X11_STATE (the x11_i3 fixture), CENUM_TEST_X11_HELPER.
"""
import json
import os
import shutil
import subprocess
import sys

from fixture import check, display, finish, missing, tasks_helper

CENUM = sys.argv[1]


def out(args, env):
    return subprocess.run(args, capture_output=True, env=env,
                          timeout=60).stdout.decode("utf-8", "replace")


def main():
    env = dict(os.environ, DISPLAY=display())
    for tool in ("xprop", "xdotool"):
        if not shutil.which(tool):
            missing(tool)
    with tasks_helper(env) as ids:
        if not ids:
            finish()
        r = subprocess.run([CENUM, "windows", "--json"], capture_output=True,
                           env=env, timeout=60)
        check(r.returncode == 0, "cenum exit %d %r" % (r.returncode, r.stderr))
        records = {x["id"]: x for x in
                   (json.loads(l) for l in r.stdout.decode().splitlines())}

        frames = [x["title"] for x in records.values()
                  if x["title"].startswith("[i3 con] container around")]
        check(not frames, "i3 frames reported in place of clients: %r"
              % frames)

        listed = out(["xprop", "-root", "_NET_CLIENT_LIST"], env)
        listed = [int(w.strip(), 16) for w in
                  listed.split("#")[1].split(",")] if "#" in listed else []
        # i3 lists every client but docks (which go to its dock area) and
        # windows it does not manage (override-redirect ones).
        unlisted = {"dock", "orframe", "orclient"}
        check(set(listed) >= {xid for name, xid in ids.items()
                              if name not in unlisted},
              "i3 lists the helper's windows: %r" % listed)
        for xid in listed:
            check(xid in records and records[xid]["managed"],
                  "listed client 0x%x is a managed record" % xid)
        for name, xid in ids.items():
            if name != "orframe":
                check(xid in records, "%s (0x%x) found" % (name, xid))

        # The dock window: the i3bar window carrying WM_STATE.
        bars = [int(w) for w in
                out(["xdotool", "search", "--class", "^i3bar$"], env).split()]
        bars = [w for w in bars if "WM_STATE(WM_STATE)" in
                out(["xprop", "-id", str(w), "WM_STATE"], env)]
        check(len(bars) == 1, "one i3bar window with WM_STATE: %r" % bars)
        for w in bars:
            r = records.get(w)
            check(r is not None and r["class"] == "i3bar" and
                  r["instance"].startswith("bar-") and r["visible"],
                  "i3bar is listed as itself: %r" % r)
    finish()


main()
