# SPDX-License-Identifier: MIT
"""What the Python tests of an X11 fixture share: the fixture's display, the
failed checks, and the rule that a missing tool fails in CI and skips (77)
elsewhere."""
import os
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


def finish():
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        sys.exit(1)
