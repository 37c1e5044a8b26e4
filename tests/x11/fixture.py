# SPDX-License-Identifier: MIT
"""What the Python tests of an X11 fixture share: the fixture's display, the
failed checks, and the rule that a missing tool fails in CI and skips (77)
elsewhere."""
import contextlib
import os
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def missing(what):
    """Exits: 1 in CI, which must not skip; else 77 (skip)."""
    if os.environ.get("CI"):
        print("FAIL: %s is missing, and CI must not skip" % what,
              file=sys.stderr)
        sys.exit(1)
    print("SKIP: %s is missing" % what, file=sys.stderr)
    sys.exit(77)


def display():
    """The display of the fixture named by CENUM_TEST_X11_STATE."""
    path = os.path.join(os.environ.get("CENUM_TEST_X11_STATE", "."), "display")
    try:
        return open(path).read().strip()
    except OSError:
        missing("Xvfb (the X11 fixture did not start)")


@contextlib.contextmanager
def tasks_helper(env):
    """Runs `x11_helper tasks` for the `with` block and gives the ids of its
    windows by name ({} when it did not start, which is a failed check)."""
    helper = subprocess.Popen([os.environ["CENUM_TEST_X11_HELPER"], "tasks"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=env)
    ids = {}
    try:
        line = helper.stdout.readline().decode()
        if check(line.startswith("ready"), "helper ready: %r" % line):
            for line in iter(helper.stdout.readline, b"end\n"):
                name, xid = line.decode().split()
                ids[name] = int(xid, 16)
        yield ids
    finally:
        helper.stdin.write(b"quit\n")
        helper.stdin.close()
        helper.wait(timeout=30)


def finish():
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        sys.exit(1)
