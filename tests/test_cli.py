"""The cenum command: usage errors, exit codes, JSON Lines and plain output.

Runs against the private fontconfig configuration of the `fontconfig`
fixture (FONTCONFIG_FILE, CENUM_TEST_FONT_DIR) and, for the comparison with
fc-list, against the machine's own configuration.

usage: test_cli.py CENUM [EMULATOR...]
"""
import json
import os
import shutil
import subprocess
import sys

CENUM = sys.argv[1:]
FONT_KEYS = ["family", "style", "fullname", "postscript_name", "path", "index",
             "weight", "width", "slant", "monospace", "scalable", "format"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args, env=None):
    return subprocess.run(CENUM + list(args), capture_output=True, env=env,
                          timeout=60)


def json_lines(out):
    """Parses JSON Lines strictly: UTF-8, one object per line, no raw control
    characters inside strings."""
    text = out.decode("utf-8")  # raises on invalid UTF-8
    records = []
    for line in text.splitlines():
        records.append(json.loads(line, strict=True))
    return records


def test_usage():
    r = run("--help")
    check(r.returncode == 0 and b"usage: cenum fonts" in r.stdout, "--help")
    r = run("--version")
    check(r.returncode == 0 and r.stdout.startswith(b"cenum "), "--version")
    for args, needle in [((), b"fonts, printers or windows"),
                         (("colours",), b"unknown command 'colours'"),
                         (("fonts", "--bogus"), b"unknown option '--bogus'"),
                         (("fonts", "--visible"), b"unknown option '--visible'"),
                         (("fonts", "--family"), b"--family needs a value"),
                         (("printers", "--timeout", "soon"), b"'soon'"),
                         (("printers", "--timeout", "-5"), b"'-5'")]:
        r = run(*args)
        check(r.returncode == 2, "exit 2 for %r, got %d" % (args, r.returncode))
        check(needle in r.stderr, "%r: stderr %r lacks %r" % (args, r.stderr, needle))
        check(r.stdout == b"", "%r wrote to stdout" % (args,))


def test_fonts_json():
    r = run("fonts", "--json")
    check(r.returncode == 0, "fonts --json exit %d" % r.returncode)
    records = json_lines(r.stdout)
    check(len(records) == 6, "6 faces, got %d" % len(records))
    for rec in records:
        check(list(rec.keys()) == FONT_KEYS, "keys %r" % list(rec.keys()))
    font_dir = os.environ["CENUM_TEST_FONT_DIR"]
    files = sorted(os.path.join(font_dir, f) for f in os.listdir(font_dir))
    check(sorted(rec["path"] for rec in records) == files, "paths")
    mono = [rec for rec in records if rec["family"] == "DejaVu Sans Mono"
            and rec["style"] == "Bold"]
    check(len(mono) == 1 and mono[0]["weight"] == 700
          and mono[0]["monospace"] is True and mono[0]["slant"] == "roman"
          and mono[0]["postscript_name"] == "DejaVuSansMono-Bold"
          and mono[0]["format"] == "TrueType" and mono[0]["index"] == 0,
          "DejaVu Sans Mono Bold fields: %r" % mono)

    r = run("fonts", "--json", "--family", "dejavu sans mono")
    check(r.returncode == 0 and len(json_lines(r.stdout)) == 2, "--family")
    r = run("fonts", "--json", "--monospace")
    recs = json_lines(r.stdout)
    check(r.returncode == 0 and len(recs) == 2
          and all(rec["monospace"] for rec in recs), "--monospace")
    r = run("fonts", "--json", "--family", "No Such Family")
    check(r.returncode == 0 and r.stdout == b"", "nothing found is exit 0")


def test_fonts_plain():
    r = run("fonts")
    lines = r.stdout.decode("utf-8").splitlines()
    check(r.returncode == 0 and len(lines) == 7, "plain: header and 6 rows")
    check(lines[0].split()[:3] == ["FAMILY", "STYLE", "WEIGHT"], "header")
    check(sum("DejaVu Sans Mono" in line for line in lines) == 2, "rows")


def test_fonts_unavailable():
    env = dict(os.environ, FONTCONFIG_FILE="/nonexistent/cenum/fonts.conf")
    r = run("fonts", "--json", env=env)
    check(r.returncode == 3, "broken config exits 3, got %d" % r.returncode)
    check(r.stdout == b"", "broken config prints no records")
    check(b"cenum: fonts: service unavailable: fontconfig: " in r.stderr
          and b"/nonexistent/cenum/fonts.conf" in r.stderr,
          "broken config message: %r" % r.stderr)
    # The detail quotes outside text (here the file name): a terminal escape
    # in it is shown, never sent.
    env["FONTCONFIG_FILE"] = "/nonexistent/\x1b[31mred/fonts.conf"
    r = run("fonts", env=env)
    check(r.returncode == 3, "hostile config name exits 3")
    check(b"\x1b" not in r.stderr and b"/nonexistent/\\e[31mred/" in r.stderr,
          "escape in the detail is shown as text: %r" % r.stderr)


def test_same_faces_as_fc_list():
    """On the machine's own configuration, the same (path, index) faces as
    fc-list."""
    fc_list = shutil.which("fc-list")
    check(fc_list is not None, "fc-list is installed (package fontconfig)")
    if fc_list is None or len(CENUM) > 1:
        return  # under an emulator the fonts are the emulator's, not fc-list's
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    ours = run("fonts", "--json", env=env)
    theirs = subprocess.run([fc_list, "--format", "%{file}:%{index}\n"],
                            capture_output=True, env=env, timeout=60)
    a = sorted("%s:%d" % (r["path"], r["index"]) for r in json_lines(ours.stdout))
    b = sorted(theirs.stdout.decode("utf-8").splitlines())
    check(len(a) > 0, "the machine has fonts")
    check(a == b, "cenum and fc-list disagree: %d vs %d faces" % (len(a), len(b)))


def fc_pattern_value(text):
    """`text` as a value in a fontconfig pattern (fc-list :family=VALUE)."""
    return "".join("\\" + c if c in "\\-:,=" else c for c in text)


def test_family_as_fc_list():
    """--family selects exactly the faces fc-list :family=... lists, with
    other case and blanks, under the same private configuration."""
    fc_list = shutil.which("fc-list")
    check(fc_list is not None, "fc-list is installed (package fontconfig)")
    if fc_list is None or len(CENUM) > 1:
        return  # under an emulator GDI matches, not fontconfig
    for family in ["DejaVuSans", " DejaVu Sans", "dejavu  sans  mono",
                   "DEJAVUSERIF", "DejaVu-Sans", "DejaVu\tSans", "Deja"]:
        ours = run("fonts", "--json", "--family=" + family)
        theirs = subprocess.run(
            [fc_list, "--format", "%{file}:%{index}\n",
             ":family=" + fc_pattern_value(family)],
            capture_output=True, timeout=60)
        a = sorted("%s:%d" % (r["path"], r["index"])
                   for r in json_lines(ours.stdout))
        b = sorted(theirs.stdout.decode("utf-8").splitlines())
        check(ours.returncode == 0 and a == b,
              "--family %r: cenum %r, fc-list %r" % (family, a, b))
        if family in ("DejaVuSans", " DejaVu Sans"):
            check(len(a) == 2, "--family %r gives the 2 DejaVu Sans faces"
                  % family)


for test in [test_usage, test_fonts_json, test_fonts_plain, test_family_as_fc_list,
             test_fonts_unavailable, test_same_faces_as_fc_list]:
    test()
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
