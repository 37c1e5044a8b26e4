# SPDX-License-Identifier: MIT
"""The manual (docs/cenum.1) against the command it documents.

The man page must name exactly the options `cenum --help` names (compared as
sets, so the layout of the help text may change: one usage block or one per
command, `--timeout MS` or `--timeout=MS`), every command, every JSON key the
command prints (read from its source, and from a real `cenum fonts --json`
against the private fontconfig of the `fontconfig` fixture), every exit
status and the environment variables the command reads.

usage: test_manpage.py CENUM MANPAGE TOOL_SOURCE
"""
import json
import os
import re
import subprocess
import sys

CENUM, MANPAGE, SOURCE = sys.argv[1:4]
COMMANDS = ["fonts", "printers", "windows", "watch"]
ENVIRONMENT = ["DISPLAY", "WAYLAND_DISPLAY", "CENUM_WINDOWS", "CUPS_SERVER",
               "LPDEST", "PRINTER", "FONTCONFIG_FILE"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    return subprocess.run([CENUM] + list(args), capture_output=True,
                          text=True, timeout=60)


# An option is a dash or two, then a name: "--family", "--family=NAME" and
# "-h" all count, a word with a dash inside ("case-insensitive") does not.
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z0-9-]*)")


def help_options():
    top = run("--help")
    check(top.returncode == 0, "cenum --help exits 0, not %d" % top.returncode)
    texts = [top.stdout]
    # Help of each command, where the command has one of its own.
    for command in COMMANDS:
        for flag in ("--help", "-h"):
            sub = run(command, flag)
            if sub.returncode == 0:
                texts.append(sub.stdout)
    found = set()
    for text in texts:
        found.update(OPTION.findall(text))
    return found


def section(text, name):
    """The roff source of one .Sh section."""
    match = re.search(r"^\.Sh %s\n(.*?)(?=^\.Sh |\Z)" % re.escape(name), text,
                      re.S | re.M)
    check(match is not None, "the man page has a %s section" % name)
    return match.group(1) if match else ""


def man_options(text):
    # mdoc writes an option as `Fl -json` (--json) or `Fl h` (-h).
    return {"-" + name for name in re.findall(r"\bFl (-?[a-z][a-z0-9-]*)",
                                              text)}


def item_words(text, macro):
    """The words after `.It <macro>` lines: ".It Cm x , y" gives x and y."""
    words = set()
    for line in re.findall(r"^\.It %s (.*)$" % macro, text, re.M):
        words.update(w for w in re.split(r"[\s,]+", line) if w and
                     w not in ("Cm", "Ev", "Fl", "Ar"))
    return words


def source_json_keys():
    # The keys are written by tools/records.c (the command's record writers,
    # shared with `cenum watch`) and tools/cenum.c, beside SOURCE.
    source = ""
    for name in (SOURCE, os.path.join(os.path.dirname(SOURCE), "records.c")):
        with open(name, encoding="utf-8") as f:
            source += f.read()
    keys = set(re.findall(r'json_[a-z_]+\(\s*&?\w+,\s*"([a-z_]+)"', source))
    check(len(keys) > 20, "the command's source names its JSON keys (%d "
          "found): the pattern here needs updating" % len(keys))
    return keys


def main():
    with open(MANPAGE, encoding="utf-8") as f:
        man = f.read()

    helped = help_options()
    documented = man_options(man)
    check("--help" in helped and "--json" in helped,
          "the help text names --help and --json: %s" % sorted(helped))
    # The long options as sets; a short alias (-h) the help may leave out,
    # but one it names must be in the man page too.
    helped_long = {o for o in helped if o.startswith("--")}
    documented_long = {o for o in documented if o.startswith("--")}
    check(helped_long == documented_long,
          "cenum --help and the man page list the same options; only in "
          "--help: %s; only in the man page: %s"
          % (sorted(helped_long - documented_long),
             sorted(documented_long - helped_long)))
    check(helped - helped_long <= documented,
          "the man page names the short options of --help: %s"
          % sorted(helped - helped_long - documented))

    commands = item_words(section(man, "COMMANDS"), "Cm")
    check(commands == set(COMMANDS), "the commands in the man page: %s"
          % sorted(commands))
    help_text = run("--help").stdout
    for command in COMMANDS:
        check(command in help_text, "cenum --help names %s" % command)

    keys = item_words(section(man, "JSON KEYS"), "Cm")
    wanted = source_json_keys()
    fonts = run("fonts", "--json")
    check(fonts.returncode == 0 and fonts.stdout,
          "cenum fonts --json lists the fixture's faces: %d %s"
          % (fonts.returncode, fonts.stderr))
    for line in fonts.stdout.splitlines():
        wanted.update(json.loads(line))
    check(wanted <= keys, "the man page documents every JSON key; missing: "
          "%s" % sorted(wanted - keys))

    environment = item_words(section(man, "ENVIRONMENT"), "Ev")
    check(set(ENVIRONMENT) <= environment,
          "the man page documents %s; missing: %s"
          % (ENVIRONMENT, sorted(set(ENVIRONMENT) - environment)))

    statuses = {int(n) for n in re.findall(r"^\.It (\d+)$",
                                           section(man, "EXIT STATUS"), re.M)}
    check(statuses == {0, 1, 2, 3, 4}, "exit statuses 0 to 4 in the man "
          "page: %s" % sorted(statuses))
    check(run("fonts", "--no-such-option").returncode == 2,
          "a usage error exits 2, as the man page says")

    if failures:
        print("%d failed" % len(failures), file=sys.stderr)
        return 1
    print("man page: %d options, %d JSON keys, %d variables match"
          % (len(documented), len(keys), len(environment)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
