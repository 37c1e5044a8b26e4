# SPDX-License-Identifier: MIT
"""Runs the C# binding's test program (TestCenum.exe, built with mcs) and
the EnumWindows example with mono inside the fixtures' servers, and
compares what the binding read with the cenum command's --json and with the
C compiler's layout of <cenum.h>.

usage: test_dotnet.py fonts|windows|printers|threads MONO TEST_EXE [EXAMPLE]

Mono runs without LANG or any LC_* variable, as on a fresh Debian 12
machine (no locale: the console's encoding is ASCII), with the library's
directory in LD_LIBRARY_PATH (the dllmap names libcenum.so.0).
"""
import json
import os
import subprocess
import sys
import unittest

import bindings_common as common

MODE, MONO, TEST_EXE = sys.argv[1:4]
EXAMPLE = sys.argv[4] if len(sys.argv) > 4 else None
del sys.argv[1:]


def mono_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k != "LANG" and not k.startswith("LC_")}
    env["LD_LIBRARY_PATH"] = os.path.dirname(os.environ["CENUM_LIBRARY"])
    env.update(extra)
    return env


def mono(*args, env=None, check=True, program=None):
    r = subprocess.run([MONO, program or TEST_EXE] + list(args),
                       capture_output=True, env=env or mono_env(),
                       timeout=300)
    if check and r.returncode != 0:
        raise AssertionError("mono %s: exit %d\n%s" % (
            " ".join(args), r.returncode, r.stderr.decode("utf-8", "replace")))
    return r


def mono_json(*args, env=None):
    out = mono(*args, env=env).stdout.decode("utf-8")
    return [json.loads(line, strict=True) for line in out.splitlines()]


class DotNet(unittest.TestCase):
    def error(self, kind, *args, **env):
        [answer] = mono_json("error", kind, *args, env=mono_env(**env))
        self.assertEqual(answer["message"], answer["detail"])
        return answer

    def test_fonts(self):
        [layout] = mono_json("layout")
        self.assertEqual(layout, common.layout())
        for args in ((), ("--family", "dejavu sans mono"), ("--monospace",)):
            got = mono_json("list", "fonts", *args)
            self.assertEqual(got, common.command_json("fonts", *args), args)
        self.assertEqual(len(mono_json("list", "fonts")), 6)
        mono("checks", "fonts")

    def test_windows(self):
        display = common.x11_display()
        env = dict(os.environ, DISPLAY=display)
        helper = common.Helper(display)
        try:
            for args in ((), ("--visible",), ("--apps",)):
                got, want = common.settled(
                    lambda: mono_json("list", "windows", *args,
                                      env=mono_env(DISPLAY=display)),
                    lambda: common.command_json("windows", *args, env=env))
                self.assertEqual(got, want, args)
            # Grabbed: the display does not answer; the call ends at its
            # timeout, or when its token is cancelled.
            helper.command("grab")
            try:
                e = self.error("windows", "300", DISPLAY=display)
                [c] = mono_json("cancel", "windows",
                                env=mono_env(DISPLAY=display))
            finally:
                helper.command("ungrab")
            self.assertEqual((e["status"], e["name"]), (-4, "CE_E_TIMEOUT"))
            self.assertLess(e["elapsed_ms"], 300 + 2500)
            self.assertLess(c["elapsed_ms"], 300 + 2500)
            mono("checks", "windows",
                 env=mono_env(DISPLAY=display, HELPER_PID=str(helper.pid)))
            ids = [w["id"] for w in common.command_json("windows", env=env)]
            out = mono(program=EXAMPLE, env=mono_env(DISPLAY=display))
            lines = out.stdout.decode("ascii").splitlines()
            self.assertEqual([line for line in lines
                              if line.startswith("Window handle is ")],
                             ["Window handle is %d" % i for i in ids])
            self.assertEqual(len([line for line in lines
                                  if line.startswith("Window ") and
                                  " is " in line and "handle" not in line]),
                             len(ids))
        finally:
            helper.stop()
        e = self.error("windows", DISPLAY=":999")
        self.assertEqual((e["status"], e["name"]), (-3, "CE_E_UNAVAILABLE"))
        self.assertIn('":999"', e["detail"])
        # The example reports the failure and exits 1.
        r = mono(program=EXAMPLE, env=mono_env(DISPLAY=":999"), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'":999"', r.stderr)

    def test_printers(self):
        main = common.cups_socket("main")
        env = mono_env(CUPS_SERVER=main)
        self.assertEqual(mono_json("list", "printers", env=env),
                         common.command_json("printers", env=dict(
                             os.environ, CUPS_SERVER=main)))
        mono("checks", "printers", env=env)

        fake = os.path.join(os.environ["CENUM_TEST_CUPS_DIR"], "fake")
        os.makedirs(fake, exist_ok=True)
        nobody = os.path.join(fake, "dotnet-nobody.sock")
        if os.path.exists(nobody):
            os.unlink(nobody)
        e = self.error("printers", CUPS_SERVER=nobody)
        self.assertEqual((e["status"], e["name"]), (-3, "CE_E_UNAVAILABLE"))
        self.assertIn(nobody, e["detail"])

        hung = common.HungServer(os.path.join(fake, "dotnet-hung.sock"))
        try:
            e = self.error("printers", "800", CUPS_SERVER=hung.path)
        finally:
            hung.close()
        self.assertEqual((e["status"], e["name"]), (-4, "CE_E_TIMEOUT"))
        self.assertGreaterEqual(e["elapsed_ms"], 750)
        self.assertLess(e["elapsed_ms"], 800 + 2000)

        hung = common.HungServer(os.path.join(fake, "dotnet-cancel.sock"))
        try:
            [c] = mono_json("cancel", "printers",
                            env=mono_env(CUPS_SERVER=hung.path))
        finally:
            hung.close()
        self.assertGreaterEqual(c["elapsed_ms"], 250)
        self.assertLess(c["elapsed_ms"], 300 + 2000)
        self.assertTrue(c["detail"].startswith("CUPS: "), c)

        e = self.error("printers", CUPS_SERVER=common.cups_socket("denied"))
        self.assertEqual((e["status"], e["name"]), (-7, "CE_E_BACKEND"))
        self.assertIn("HTTP 401 (Unauthorized)", e["detail"])

    def test_threads(self):
        display = common.x11_display()
        helper = common.Helper(display)
        try:
            mono("threads", env=mono_env(
                DISPLAY=display, CUPS_SERVER=common.cups_socket("main")))
        finally:
            helper.stop()


if __name__ == "__main__":
    # One mode per CTest test, in the fixtures that mode needs.
    suite = unittest.TestSuite([DotNet("test_" + MODE)])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        sys.exit(1)
    sys.exit(common.SKIP if result.skipped else 0)
