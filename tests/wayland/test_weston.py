# SPDX-License-Identifier: MIT
"""`cenum windows` in a headless weston session, whose compositor offers no
window list: auto and forced Wayland fail with CE_E_UNSUPPORTED (exit 1)
and a detail naming weston, the missing protocols and the way out; forced
X11 lists the Xwayland window (and cannot see the Wayland one).

usage: test_weston.py CENUM STATE_DIR
"""
import json
import os
import subprocess
import sys
import time

from session import as_user, check, client, finish, load, stop

CENUM, STATE = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
X_TITLE = "Xwayland on weston ✓"


def main():
    s = load(STATE, "weston")
    procs = [
        client(["foot", "--title", "foot on weston", "sleep", "120"], s),
        client(["python3", os.path.join(HERE, "gtk_window.py"),
                "cenum-weston", X_TITLE], dict(s, GDK_BACKEND="x11"))]
    try:
        line = procs[1].stdout.readline().decode()
        check(line.startswith("ready"), "the X client is mapped: %r" % line)

        env = dict(os.environ, **s)
        env.pop("CENUM_WINDOWS", None)
        for args in (["windows"], ["windows", "--json"],
                     ["windows", "--backend", "wayland"]):
            r = subprocess.run([CENUM] + args, capture_output=True, env=env,
                               timeout=60)
            err = r.stderr.decode("utf-8", "replace")
            check(r.returncode == 1, "%r: exit %d (CE_E_UNSUPPORTED is 1)"
                  % (args, r.returncode))
            check(r.stdout == b"", "%r: nothing listed" % args)
            for part in ("not supported", "the compositor (weston, pid ",
                         "ext_foreign_toplevel_list_v1",
                         "zwlr_foreign_toplevel_manager_v1",
                         "CE_WINDOWS_X11", "CENUM_WINDOWS=x11"):
                check(part in err, "%r: %r in %r" % (args, part, err))

        # The way out: X11, through the environment, as the session's user
        # (its Xwayland admits only that user).
        found = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not found:
            r = subprocess.run(as_user([CENUM, "windows", "--json"],
                                       dict(s, CENUM_WINDOWS="x11")),
                               capture_output=True, timeout=60)
            check(r.returncode == 0, "CENUM_WINDOWS=x11: exit %d %r"
                  % (r.returncode, r.stderr))
            records = [json.loads(l, strict=True)
                       for l in r.stdout.decode("utf-8").splitlines()]
            found = [x for x in records if x["title"] == X_TITLE]
            if not found:
                time.sleep(0.2)
        check(len(found) == 1, "the Xwayland window once: %r" % found)
        if found:
            check(found[0]["pid"] == procs[1].pid, "its pid %r, ours %d"
                  % (found[0]["pid"], procs[1].pid))
            check(found[0]["instance"] == "cenum-weston",
                  "its instance %r" % found[0]["instance"])
        check(not any(x["title"] == "foot on weston" for x in records),
              "X11 cannot see the Wayland client")
    finally:
        stop(procs)
    finish()


if __name__ == "__main__":
    main()
