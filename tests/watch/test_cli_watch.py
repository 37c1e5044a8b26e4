#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cenum watch`: JSON Lines with "change" and the listing's keys, one line
per change of a private fontconfig configuration that this test changes;
exit 0 on SIGTERM and on SIGINT after closing the watch; the usual codes for
a bad usage (2) and a service that is not there (3).

usage: test_cli_watch.py CENUM TMPDIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys

from json_lines import read_lines

CENUM, TMP = sys.argv[1], sys.argv[2]
DEJAVU = "/usr/share/fonts/truetype/dejavu/"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def main():
    base = os.path.join(TMP, "cli-watch")
    shutil.rmtree(base, ignore_errors=True)
    fonts = os.path.join(base, "fonts")
    os.makedirs(fonts)
    with open(os.path.join(base, "fonts.conf"), "w") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM '
                '"urn:fontconfig:fonts.dtd">\n<fontconfig><dir>%s</dir>'
                '<cachedir>%s/cache</cachedir></fontconfig>\n' % (fonts, base))
    shutil.copy(DEJAVU + "DejaVuSans.ttf", fonts)
    env = dict(os.environ, FONTCONFIG_FILE=os.path.join(base, "fonts.conf"))

    listing = subprocess.run([CENUM, "fonts", "--json"], env=env,
                             capture_output=True, timeout=60)
    listed = [json.loads(l) for l in listing.stdout.decode().splitlines()]
    check(len(listed) == 1, "one face listed")

    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen([CENUM, "watch", "fonts", "--json"], env=env,
                                stdout=subprocess.PIPE)
        first = read_lines(proc, 1)
        check(len(first) == 1 and first[0]["change"] == "added",
              "the first line adds the face")
        if first:
            check(list(first[0].keys()) == ["change"] + list(listed[0].keys()),
                  "the keys are the listing's, after change: %s" %
                  list(first[0].keys()))
            check({k: v for k, v in first[0].items() if k != "change"} ==
                  listed[0], "the record is the listing's")
        shutil.copy(DEJAVU + "DejaVuSerif.ttf", fonts)
        added = read_lines(proc, 1)
        check(len(added) == 1 and added[0]["change"] == "added" and
              added[0]["path"] == os.path.join(fonts, "DejaVuSerif.ttf"),
              "a font copied in is added: %s" % added)
        os.unlink(os.path.join(fonts, "DejaVuSerif.ttf"))
        removed = read_lines(proc, 1)
        check(len(removed) == 1 and removed[0]["change"] == "removed" and
              removed[0]["family"] == "DejaVu Serif",
              "a font removed is removed: %s" % removed)
        proc.send_signal(sig)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = None
        check(code == 0, "exit 0 on %s, not %s" % (sig.name, code))

    bad = subprocess.run([CENUM, "watch", "sideways"], capture_output=True,
                         timeout=20)
    check(bad.returncode == 2, "an unknown kind is a usage error")
    gone = subprocess.run(
        [CENUM, "watch", "printers", "--timeout", "500"], capture_output=True,
        timeout=20, env=dict(os.environ,
                             CUPS_SERVER=os.path.join(base, "no.sock")))
    check(gone.returncode == 3, "no print server: exit 3, not %d (%s)" %
          (gone.returncode, gone.stderr))
    shutil.rmtree(base, ignore_errors=True)
    return 1 if failures else 0


sys.exit(main())
