# SPDX-License-Identifier: MIT
"""The programs in examples/, built as a user builds them against the
installed package (find_package and pkg-config) and run against the test
fixtures, each output compared with the reference tool's view of the same
service:

- font_picker: the private fontconfig of the `fontconfig` fixture, against
  fc-list (weights converted to the OpenType scale as fontconfig does);
- printer_list: the private cupsd of `cupsd_main`, against lpstat -d, -l -p
  and -a (default first, stopped and rejecting queues marked);
- window_switcher: the x11_helper's windows on the openbox display of
  `x11_wm`, against `cenum windows --apps --json` (grouping and order),
  and the helper's known windows (its main window and dialog are in, its
  dock is not).

usage: test_examples.py BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER X11_HELPER
                        CENUM X11_STATE_DIR CUPS_SOCKET
"""
import json
import os
import shutil
import subprocess
import sys
import time

BUILD, SOURCE, WORK, CC, HELPER, CENUM, X11_STATE, CUPS = sys.argv[1:9]
EXAMPLES = ["window_switcher", "printer_list", "font_picker"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def run(args, env=None, **kwargs):
    result = subprocess.run(args, capture_output=True, env=env, timeout=300,
                            **kwargs)
    if result.returncode != 0:
        sys.exit("failed (%d): %s\n%s%s" % (
            result.returncode, " ".join(args),
            result.stdout.decode(errors="replace"),
            result.stderr.decode(errors="replace")))
    return result.stdout.decode("utf-8")


def build():
    """Both builds of every example; returns {build name: {example: path}}."""
    prefix = os.path.join(WORK, "prefix")
    run(["cmake", "--install", BUILD, "--prefix", prefix])
    cmake_dir = os.path.join(WORK, "find_package")
    run(["cmake", "-S", os.path.join(SOURCE, "examples"), "-B", cmake_dir,
         "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_C_COMPILER=" + CC])
    run(["cmake", "--build", cmake_dir])

    env = dict(os.environ)
    env["PKG_CONFIG_PATH"] = ":".join(
        os.path.join(root, d) for root, dirs, _ in os.walk(prefix)
        for d in dirs if d == "pkgconfig")
    flags = run(["pkg-config", "--cflags", "--libs", "cenum"], env=env).split()
    libdir = run(["pkg-config", "--variable=libdir", "cenum"], env=env).strip()
    pc_dir = os.path.join(WORK, "pkg-config")
    os.makedirs(pc_dir)
    for example in EXAMPLES:
        run([CC, "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
             os.path.join(SOURCE, "examples", example + ".c")] + flags +
            ["-Wl,-rpath," + libdir, "-o", os.path.join(pc_dir, example)])
    return {name: {e: os.path.join(d, e) for e in EXAMPLES}
            for name, d in (("find_package", cmake_dir),
                            ("pkg-config", pc_dir))}


# fontconfig's weight scale to OpenType's, as FcWeightToOpenType maps it:
# linear between these points.
FC_TO_OT = [(0, 100), (40, 200), (50, 300), (55, 350), (75, 380), (80, 400),
            (100, 500), (180, 600), (200, 700), (205, 800), (210, 900),
            (215, 1000)]


def opentype_weight(fc):
    for (a, oa), (b, ob) in zip(FC_TO_OT, FC_TO_OT[1:]):
        if a <= fc <= b:
            return int(oa + (fc - a) * (ob - oa) / (b - a) + 0.5)
    return -1


def expected_fonts(family=None):
    fmt = "%{family[0]}\t%{style[0]}\t%{weight}\t%{slant}\n"
    args = ["fc-list", "--format", fmt] + ([family] if family else [])
    faces = set()
    for line in run(args).splitlines():
        name, style, weight, slant = line.split("\t")
        faces.add((name, style, opentype_weight(float(weight)),
                   0 if int(slant) == 0 else 1))
    # As font_picker sorts: family, weight (unknown last), roman first,
    # style; bytes order as strcmp.
    faces = sorted(faces, key=lambda f: (f[0].encode(), f[2] % (1 << 32),
                                         f[3], f[1].encode()))
    out, last = [], None
    for name, style, weight, italic in faces:
        if name != last:
            out.append(name)
            last = name
        out.append("  %-24s %4s%s" % (style, weight if weight >= 0 else "?",
                                      " italic" if italic else ""))
    return "\n".join(out) + "\n"


def test_fonts(programs):
    want = expected_fonts()
    check(want.count("\n") > 6, "fc-list lists the fixture's faces")
    check(run([programs["font_picker"]]) == want,
          "font_picker lists fc-list's families and styles in weight order:"
          "\n%s" % want)
    family = "DejaVu Sans Mono"
    got = run([programs["font_picker"], family])
    check(got == expected_fonts(family) and got.startswith(family + "\n"),
          "font_picker %r lists that family alone: %r" % (family, got))


def lpstat(*args):
    return run(["lpstat"] + list(args), env=cups_env())


def cups_env():
    # No LPDEST or PRINTER of the developer's (lpstat reads an empty one as
    # a queue named ""), and lpoptions files of our own.
    env = dict(os.environ, CUPS_SERVER=CUPS, LC_ALL="C",
               HOME=os.path.join(WORK, "home"),
               CUPS_SERVERROOT=os.path.join(WORK, "serverroot"))
    env.pop("LPDEST", None)
    env.pop("PRINTER", None)
    return env


def test_printers(programs):
    for d in ("home", "serverroot"):
        os.makedirs(os.path.join(WORK, d), exist_ok=True)
    default = lpstat("-d").split(":")[-1].strip()
    info, stopped, reasons = {}, set(), {}
    name = None
    for line in lpstat("-l", "-p").splitlines():
        if line.startswith("printer "):
            name = line.split()[1]
            if " disabled " in line:
                stopped.add(name)
        elif line.strip().startswith("Description:"):
            info[name] = line.split(":", 1)[1].strip()
        elif name in stopped and name not in reasons and line.startswith("\t"):
            reasons[name] = line.strip()
    rejecting = {line.split()[0] for line in lpstat("-a").splitlines()
                 if "not accepting" in line}
    check(default in info and stopped and rejecting,
          "lpstat shows a default (%r), stopped %s and rejecting %s queues"
          % (default, stopped, rejecting))
    want = []
    for queue in [default] + sorted((q for q in info if q != default),
                                    key=str.encode):
        line = "%s\t%s" % (queue, info[queue])
        if queue == default:
            line += "\t[default]"
        if queue in stopped:
            line += "\t[stopped: %s]" % reasons.get(queue, "paused")
        if queue in rejecting:
            line += "\t[not accepting jobs]"
        want.append(line)
    want = "\n".join(want) + "\n"
    got = run([programs["printer_list"]], env=cups_env())
    check(got == want, "printer_list matches lpstat:\n%s\ngot:\n%s"
          % (want, got))


def test_windows(programs, cenum):
    with open(os.path.join(X11_STATE, "display")) as f:
        display = f.read().strip()
    env = dict(os.environ, DISPLAY=display)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("CENUM_WINDOWS", None)
    helper = subprocess.Popen([HELPER, "serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = helper.stdout.readline()
        if not check(line.startswith("ready"), "helper ready: %r" % line):
            return
        # The window manager may still move the focus: the example's run
        # counts only between two references that agree on it.
        for _ in range(20):
            records = [json.loads(l) for l in
                       run([cenum, "windows", "--apps", "--json"],
                           env=env).splitlines()]
            got = run([programs["window_switcher"]], env=env)
            again = [json.loads(l) for l in
                     run([cenum, "windows", "--apps", "--json"],
                         env=env).splitlines()]
            if ([r["id"] for r in records if r.get("focused")] ==
                    [r["id"] for r in again if r.get("focused")]):
                break
            time.sleep(0.25)
    finally:
        helper.stdin.write("quit\n")
        helper.stdin.close()
        helper.wait(timeout=30)

    titles = {r["title"] for r in records}
    check("Gr\u00fc\u00dfe \u2014 \u65e5\u672c \u2713" in titles and
          "cenum dialog" in titles, "the helper's main window and dialog "
          "are in the task bar list")
    # Not the skip-taskbar window as well: openbox 3.6 sometimes empties its
    # _NET_WM_STATE when it manages it (xprop shows it so for seconds after),
    # and then a task bar shows it too.
    check("cenum dock" not in titles, "the dock is not: %s"
          % [r for r in records if r["title"] == "cenum dock"])
    focused = [r["class"] for r in records if r.get("focused")]
    order = {id(r): i for i, r in enumerate(records)}
    records.sort(key=lambda r: (r["class"] not in focused,
                                r["class"].encode(), not r.get("focused"),
                                order[id(r)]))
    want, last = [], None
    for r in records:
        if r["class"] != last:
            want.append(r["class"] or "(no class)")
            last = r["class"]
        want.append("  %s 0x%08x %s" % ("*" if r.get("focused") else " ",
                                        r["id"], r["title"]))
    want = "\n".join(want) + "\n"
    check(got == want, "window_switcher groups the task bar's windows by "
          "class, focused first:\n%s\ngot:\n%s" % (want[:2000], got[:2000]))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    builds = build()
    for name, programs in builds.items():
        print("examples built with %s" % name)
        test_fonts(programs)
        test_printers(programs)
        test_windows(programs, CENUM)
    if failures:
        print("%d failed" % len(failures), file=sys.stderr)
        return 1
    print("3 examples, 2 builds: match fc-list, lpstat and cenum --json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
