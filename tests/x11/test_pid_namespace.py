# SPDX-License-Identifier: MIT
"""The pid of a window names the process in the caller's pid namespace, or
is -1, when the X server and the caller do not share one (issue 12, item 4):

- the server outside, the caller and the client inside a pid namespace of
  their own (a container or sandbox on a desktop): the server's X-Resource
  pid is its own view, so the client's _NET_WM_PID with WM_CLIENT_MACHINE
  this host gives the pid, as the caller's `ps` shows it;
- the server inside a pid namespace of its own (an X server in a
  container), the caller and the client outside: the same rule.

Either way a window whose WM_CLIENT_MACHINE names another host has pid -1
and no exe. Needs `unshare --pid`, as root or in a user namespace (fails in
CI without it, skips elsewhere).

usage: test_pid_namespace.py CENUM [--inside]
Environment: CENUM_TEST_X11_STATE (the x11 fixture), CENUM_TEST_X11_HELPER.
"""
import json
import os
import subprocess
import sys
import tempfile

from fixture import check, display, finish, missing
import xserver

CENUM = sys.argv[1]
HELPER = os.environ["CENUM_TEST_X11_HELPER"]
MAIN_TITLE = "Grüße — 日本 ✓"


def check_pids(env, where):
    """Starts the helper here and checks the pids cenum gives its windows."""
    helper = subprocess.Popen([HELPER, "serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=env)
    try:
        line = helper.stdout.readline().decode()
        if not check(line.startswith("ready"), "%s: helper ready" % where):
            return
        # What the helper's own getpid() says: our namespace's view.
        check(int(line.split()[1]) == helper.pid,
              "%s: the helper runs in our pid namespace" % where)
        r = subprocess.run([CENUM, "windows", "--json"], capture_output=True,
                           env=env, timeout=60)
        check(r.returncode == 0, "%s: cenum exit %d %r"
              % (where, r.returncode, r.stderr))
        records = [json.loads(l) for l in r.stdout.decode().splitlines()]
        by_title = {x["title"]: x for x in records}
        main = by_title.get(MAIN_TITLE)
        if check(main is not None, "%s: the main window" % where):
            check(main["pid"] == helper.pid,
                  "%s: main pid %r, the helper is %d"
                  % (where, main["pid"], helper.pid))
            check(main["exe"] == os.path.realpath(HELPER),
                  "%s: main exe %r" % (where, main["exe"]))
        other = by_title.get("Café naïve")  # WM_CLIENT_MACHINE elsewhere
        if check(other is not None, "%s: the latin1 window" % where):
            check(other["pid"] is None and other["exe"] == "",
                  "%s: another host's window: pid %r exe %r"
                  % (where, other["pid"], other["exe"]))
    finally:
        helper.stdin.write(b"quit\n")
        helper.stdin.close()
        helper.wait(timeout=30)


def main():
    env = dict(os.environ)
    if "--inside" in sys.argv:
        check_pids(env, "caller in a pid namespace")
        finish()
        return
    env["DISPLAY"] = display()
    unshare = xserver.pid_namespace_command()
    if unshare is None:
        missing("pid namespaces (unshare --pid, as root or in a user "
                "namespace)")

    # The server outside; the caller and its client inside.
    r = subprocess.run(unshare + [sys.executable, os.path.abspath(__file__),
                                  CENUM, "--inside"], env=env, timeout=120)
    check(r.returncode == 0, "the run inside a pid namespace failed")

    # The server inside a namespace of its own; the caller and client here.
    with tempfile.TemporaryDirectory() as state:
        xserver.start(state, HELPER, None, pid_namespace=True)
        try:
            env["DISPLAY"] = open(os.path.join(state, "display")).read().strip()
            check_pids(env, "server in a pid namespace")
        finally:
            xserver.stop(state)
    finish()


main()
