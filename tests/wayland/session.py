# SPDX-License-Identifier: MIT
"""What the Wayland tests share: their checks, the session a fixture wrote,
and clients run as the session's user."""
import json
import os
import subprocess
import sys

USER = 65534
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def finish():
    if failures:
        sys.exit(1)
    print("ok")


def load(state, name):
    """The environment compositor.py wrote for the fixture in `state`."""
    try:
        return json.load(open(os.path.join(state, "env.json")))
    except OSError:
        print("FAIL: the %s fixture did not start" % name, file=sys.stderr)
        sys.exit(1)


def as_user(args, env):
    """args as the session's user, with `env` and nothing of ours."""
    prefix = []
    if os.getuid() == 0:
        prefix = ["setpriv", "--reuid=%d" % USER, "--regid=%d" % USER,
                  "--clear-groups"]
    return prefix + ["env", "-i", "PATH=/usr/bin:/bin",
                     "HOME=" + env["XDG_RUNTIME_DIR"]] + [
        "%s=%s" % kv for kv in sorted(env.items())] + args


def client(args, env):
    """A client of the session, its stdin and stdout piped."""
    return subprocess.Popen(as_user(args, env), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)


def stop(procs):
    """Ends the clients a test started, by their pids."""
    for p in procs:
        try:
            p.stdin.close()
        except OSError:
            pass
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
