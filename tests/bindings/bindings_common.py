# SPDX-License-Identifier: MIT
"""What the bindings' tests share: the fixtures' servers, the reference
command, and a runner that turns a missing server into a skip (exit 77)
outside CI and into a failure in CI.

Environment (set by tests/bindings/CMakeLists.txt): CENUM_TOOL (the cenum
command), CENUM_LAYOUT (the layout program), CENUM_LIBRARY and PYTHONPATH
for the Python binding; the fixtures' variables as the C tests have them.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import unittest

SKIP = 77
MAIN_TITLE = "Grüße — 日本 ✓"


def missing(what):
    """A server of a fixture is not there: fail in CI, skip elsewhere."""
    if os.environ.get("CI"):
        raise AssertionError("%s is missing, and CI must not skip" % what)
    raise unittest.SkipTest("%s is missing" % what)


def command(*args, env=None, timeout=60):
    """Runs the cenum command; returns its completed process."""
    return subprocess.run([os.environ["CENUM_TOOL"]] + list(args),
                          capture_output=True, env=env, timeout=timeout)


def command_json(*args, env=None):
    """The records `cenum ARGS --json` prints, parsed strictly."""
    r = command(*(list(args) + ["--json"]), env=env)
    if r.returncode != 0:
        raise AssertionError("cenum %s --json exit %d: %r"
                             % (" ".join(args), r.returncode, r.stderr))
    return [json.loads(line, strict=True)
            for line in r.stdout.decode("utf-8").splitlines()]


def settled(ours, theirs, tries=20):
    """(ours(), theirs()) once the two agree, else the last pair.

    A window manager may still move the focus (openbox does for a moment
    after it maps a window), so two listings taken one after the other can
    differ in `focused` alone; they are compared once the display settled.
    """
    import time
    for _ in range(tries):
        a, b = ours(), theirs()
        if a == b:
            break
        time.sleep(0.2)
    return a, b


def layout():
    """The C compiler's layout of every struct of <cenum.h>."""
    out = subprocess.run([os.environ["CENUM_LAYOUT"]], capture_output=True,
                         check=True, timeout=30).stdout
    return json.loads(out)


def x11_display():
    """The display of the X11 fixture this test runs in."""
    path = os.path.join(os.environ.get("CENUM_TEST_X11_STATE", "."),
                        "display")
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        missing("the X11 fixture's Xvfb")


class Helper:
    """x11_helper serve: the windows the X11 tests look for, until stop()."""

    def __init__(self, display):
        env = dict(os.environ, DISPLAY=display)
        self.proc = subprocess.Popen(
            [os.environ["CENUM_TEST_X11_HELPER"], "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("ready"):
            self.stop()
            raise AssertionError("x11_helper not ready: %r" % line)
        self.pid = self.proc.pid

    def command(self, line):
        """One of x11_helper's commands (grab, ungrab, raise NAME, ...)."""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().decode()
        if not answer.startswith("ok"):
            raise AssertionError("x11_helper %s: %r" % (line, answer))

    def stop(self):
        try:
            self.proc.stdin.write(b"quit\n")
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


def cups_socket(name):
    """The socket of the private cupsd fixture `name` (cupsd_NAME)."""
    path = os.path.join(os.environ["CENUM_TEST_CUPS_DIR"], name, "cups.sock")
    if not os.path.exists(path):
        missing("the private cupsd %s (cups-daemon)" % name)
    return path


class HungServer:
    """A Unix socket that accepts connections and never answers."""

    def __init__(self, path):
        if os.path.exists(path):
            os.unlink(path)
        self.path = path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(8)
        self.held = []
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.listener.close()
        for conn in self.held:
            conn.close()
        os.unlink(self.path)


def in_new_thread(fn, *args):
    """Runs fn on a new thread and returns its result or raises its
    exception: libcups reads CUPS_SERVER once per thread, so a test that
    points it elsewhere runs the call on a thread that has not read it."""
    result = {}

    def run():
        try:
            result["value"] = fn(*args)
        except BaseException as e:
            result["error"] = e

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def main():
    """unittest's main, but exit 77 when a test skipped (outside CI, a
    missing server), so CTest shows it skipped rather than passed."""
    program = unittest.main(exit=False, verbosity=2)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun == 0:
        print("FAIL: no test ran", file=sys.stderr)
        sys.exit(1)
    if result.skipped:
        sys.exit(SKIP)
    sys.exit(0)
