# SPDX-License-Identifier: MIT
"""`cmake --install` and `pip install` put the bindings where the README
says, and each works from there: the Python package finds the installed
library by itself (no CENUM_LIBRARY, no LD_LIBRARY_PATH), Mono the installed
assembly (MONO_PATH) and through its dllmap the installed library; `pip
install ./bindings/python --no-build-isolation --no-index` builds offline
with Debian's setuptools.

usage: test_bindings_install.py BUILD_DIR WORK_DIR SOURCE_DIR SYSTEM_PYTHON
                                [MCS MONO]
"""
import os
import shutil
import subprocess
import sys
import unittest

import bindings_common as common

BUILD, WORK, SOURCE, SYSTEM_PYTHON = sys.argv[1:5]
MONO = sys.argv[6] if len(sys.argv) > 6 else None
del sys.argv[1:]
PREFIX = os.path.join(WORK, "prefix")
PY_DIR = os.path.join(PREFIX, "lib", "python3", "dist-packages")
CLI_DIR = os.path.join(PREFIX, "lib", "cli", "cenum")
SRC_DIR = os.path.join(PREFIX, "share", "cenum", "dotnet")
PROBE = ("import cenum, os; print(os.path.realpath(cenum._lib._name)); "
         "print(len(cenum.fonts()))")


def clean_env(**extra):
    """The environment without what points at the build tree."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CENUM_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH",
                        "MONO_PATH")}
    env.update(extra)
    return env


def run(args, env=None, cwd=None):
    r = subprocess.run(args, capture_output=True, env=env, cwd=cwd,
                       timeout=300)
    if r.returncode != 0:
        raise AssertionError("%s: exit %d\n%s\n%s" % (
            " ".join(args), r.returncode, r.stdout.decode(errors="replace"),
            r.stderr.decode(errors="replace")))
    return r.stdout.decode("utf-8")


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        run(["cmake", "--install", BUILD, "--prefix", PREFIX])

    def test_files_where_the_readme_says(self):
        for path in [os.path.join(PY_DIR, "cenum", f) for f in
                     ("__init__.py", "_native.py", "_location.py",
                      "py.typed")] + \
                    [os.path.join(SRC_DIR, f) for f in
                     ("Native.cs", "Cenum.cs", "CenumSharp.csproj",
                      "CenumSharp.dll.config")] + \
                    [os.path.join(CLI_DIR, f) for f in
                     ("CenumSharp.dll", "CenumSharp.dll.config")]:
            self.assertTrue(os.path.isfile(path), path)

    def test_python_finds_the_installed_library(self):
        out = run([sys.executable, "-c", PROBE], cwd=WORK,
                  env=clean_env(PYTHONPATH=PY_DIR)).split()
        self.assertTrue(out[0].startswith(os.path.realpath(PREFIX) + os.sep),
                        out)
        self.assertEqual(out[1], "6")

    def test_mono_finds_the_installed_assembly_and_library(self):
        if not MONO:
            common.missing("mono (mono-runtime)")
        app = os.path.join(WORK, "app")
        os.makedirs(app, exist_ok=True)
        shutil.copy(os.path.join(BUILD, "tests", "bindings", "dotnet",
                                 "TestCenum.exe"), app)
        env = clean_env(MONO_PATH=CLI_DIR)
        env.pop("LANG", None)
        out = run([MONO, os.path.join(app, "TestCenum.exe"), "list", "fonts"],
                  env=env, cwd=WORK)
        self.assertEqual(len(out.splitlines()), 6)

    def test_pip_install_offline(self):
        if not os.path.exists(SYSTEM_PYTHON or ""):
            common.missing("Debian's python3")
        # A copy: pip builds in the tree it is given.
        tree = os.path.join(WORK, "python-src")
        shutil.copytree(os.path.join(SOURCE, "bindings", "python"), tree,
                        ignore=shutil.ignore_patterns("__pycache__"))
        target = os.path.join(WORK, "pip")
        run([SYSTEM_PYTHON, "-m", "pip", "install", "--no-build-isolation",
             "--no-index", "--no-cache-dir", "--quiet", "--target", target,
             tree], env=clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1"))
        self.assertTrue(os.path.isfile(os.path.join(target, "cenum",
                                                    "py.typed")))
        metadata = [d for d in os.listdir(target) if d.endswith(".dist-info")]
        self.assertEqual(metadata, ["cenum-%s.dist-info"
                                    % os.environ["CENUM_VERSION"]])
        out = run([SYSTEM_PYTHON, "-c", PROBE], cwd=WORK,
                  env=clean_env(PYTHONPATH=target,
                                CENUM_LIBRARY=os.environ["CENUM_LIBRARY"]))
        self.assertEqual(out.split()[1], "6")


if __name__ == "__main__":
    common.main()
