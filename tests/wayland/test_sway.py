# SPDX-License-Identifier: MIT
"""`cenum windows` in a headless sway session, compared with
`swaymsg -t get_tree`.

The test starts real clients as the session's user: two foot terminals (one
with a non-ASCII title), a GTK 3 window with a transient dialog on Wayland,
and a GTK 3 window on Xwayland. Each must be listed exactly once with sway's
title, app_id, pid, frame (`rect`) and container id, the focused one
focused; `--backend x11` lists the Xwayland window alone; without SWAYSOCK
the fields only sway's IPC gives read as unknown; `cenum watch windows
--json` adds every window as the listing has it and removes one closed.

usage: test_sway.py CENUM STATE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import time

from session import as_user, check, client, finish, load, stop

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "watch"))
from json_lines import read_lines  # noqa: E402

CENUM, STATE = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))

FOOT_TITLE = "Grüße — 日本 ✓ \"quoted\""
CLIENTS = [
    # (title, app_id as sway reports it, command, extra environment)
    (FOOT_TITLE, "cenum.foot.one",
     ["foot", "--title", FOOT_TITLE, "--app-id", "cenum.foot.one",
      "sleep", "120"], {}),
    ("plain foot", "cenum.foot.two",
     ["foot", "--title", "plain foot", "--app-id", "cenum.foot.two",
      "sleep", "120"], {}),
    ("GTK ünïcode", "org.cenum.Gtk",
     ["python3", os.path.join(HERE, "gtk_window.py"), "org.cenum.Gtk",
      "GTK ünïcode", "GTK dialog"], {"GDK_BACKEND": "wayland"}),
    ("On Xwayland", "Gtk_window.py",
     ["python3", os.path.join(HERE, "gtk_window.py"), "cenum-x",
      "On Xwayland"], {"GDK_BACKEND": "x11"}),
]
EXPECTED_TITLES = [c[0] for c in CLIENTS] + ["GTK dialog"]


def views(s):
    """sway's views, by title: what swaymsg says."""
    out = subprocess.run(["swaymsg", "-s", s["SWAYSOCK"], "-t", "get_tree"],
                         capture_output=True, check=True, timeout=30).stdout
    found = {}

    def walk(node):
        if "pid" in node and node.get("type") in ("con", "floating_con"):
            found.setdefault(node["name"], []).append(node)
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)
    walk(json.loads(out))
    return found


def cenum(args, env, user=False):
    command = [CENUM] + args
    if user:
        command = as_user(command, env)
        env = None
    r = subprocess.run(command, capture_output=True, env=env, timeout=60)
    records = []
    if r.returncode == 0:
        records = [json.loads(line, strict=True)
                   for line in r.stdout.decode("utf-8").splitlines()]
    return r, records


def by_title(records):
    found = {}
    for record in records:
        found.setdefault(record["title"], []).append(record)
    return found


def main():
    s = load(STATE, "sway")
    base = {k: s[k] for k in ("XDG_RUNTIME_DIR", "WAYLAND_DISPLAY")}
    procs = []
    try:
        for title, app_id, command, extra in CLIENTS:
            env = dict(base, DISPLAY=s["DISPLAY"], **extra)
            procs.append(client(command, env))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            v = views(s)
            if all(t in v for t in EXPECTED_TITLES):
                break
            time.sleep(0.1)
        check(all(t in v for t in EXPECTED_TITLES),
              "sway shows every client: %r" % sorted(v))
        time.sleep(0.3)  # titles settle (foot sets its own first)
        v = views(s)

        env = dict(os.environ, SWAYSOCK=s["SWAYSOCK"], **base)
        env.pop("DISPLAY", None)
        env.pop("CENUM_WINDOWS", None)
        r, records = cenum(["windows", "--json"], env)
        check(r.returncode == 0, "windows --json exit %d: %r"
              % (r.returncode, r.stderr))
        got = by_title(records)
        for title in EXPECTED_TITLES:
            check(len(got.get(title, [])) == 1,
                  "%r listed once, got %r" % (title, got.get(title)))
        check(len(records) == sum(len(x) for x in v.values()),
              "as many records as sway has views: %d, %r"
              % (len(records), sorted(v)))
        for title, app_id, command, extra in CLIENTS + [
                ("GTK dialog", "org.cenum.Gtk", None, None)]:
            if len(got.get(title, [])) != 1 or len(v.get(title, [])) != 1:
                continue
            rec, node = got[title][0], v[title][0]
            expected_class = node["app_id"] or \
                node["window_properties"]["class"]
            check(expected_class == app_id, "%r: sway's app_id %r, "
                  "the test's %r" % (title, expected_class, app_id))
            check(rec["class"] == expected_class, "%r: class %r, sway %r"
                  % (title, rec["class"], expected_class))
            check(rec["instance"] == "", "%r: instance %r"
                  % (title, rec["instance"]))
            check(rec["id"] == node["id"], "%r: id %r, sway's container %r"
                  % (title, rec["id"], node["id"]))
            check(rec["pid"] == node["pid"], "%r: pid %r, sway %r"
                  % (title, rec["pid"], node["pid"]))
            exe = os.path.realpath("/proc/%d/exe" % node["pid"])
            check(rec["exe"] == exe, "%r: exe %r, /proc says %r"
                  % (title, rec["exe"], exe))
            rect = node["rect"]
            check([rec["x"], rec["y"], rec["width"], rec["height"]] ==
                  [rect["x"], rect["y"], rect["width"], rect["height"]],
                  "%r: frame %r, sway's rect %r" % (title, rec, rect))
            check(rec["focused"] == node["focused"], "%r: focused %r, sway %r"
                  % (title, rec["focused"], node["focused"]))
            check(rec["minimized"] is False and rec["visible"] is True and
                  rec["managed"] is True and rec["desktop"] is None,
                  "%r: states %r" % (title, rec))
            # sway 1.7 sends every toplevel's parent as null, the dialog's
            # too: transient_for can only be 0 here (the stub compositor
            # tests a parent).
            check(rec["transient_for"] == 0, "%r: transient_for %r"
                  % (title, rec["transient_for"]))
        check(sum(1 for x in records if x["focused"]) == 1,
              "one focused record: %r" % records)
        check(os.path.basename(got.get(FOOT_TITLE, [{"exe": ""}])[0]["exe"])
              == "foot", "foot's exe")

        # The same set, forced; and the ids stay for the windows' life.
        r2, again = cenum(["windows", "--json", "--backend", "wayland"],
                          dict(env, DISPLAY=s["DISPLAY"]))
        check(r2.returncode == 0 and sorted(x["id"] for x in again) ==
              sorted(x["id"] for x in records),
              "--backend wayland lists the same windows: %r" % r2.stderr)
        # A DISPLAY (Xwayland's) does not make auto choose X11.
        r2, again = cenum(["windows", "--json"], dict(env, DISPLAY=s["DISPLAY"]))
        check(sorted(x["id"] for x in again) ==
              sorted(x["id"] for x in records), "auto chooses Wayland")

        # X11, forced, as the session's user (Xwayland admits only it): the
        # Xwayland window alone among the test's.
        r2, x11 = cenum(["windows", "--json", "--backend", "x11"],
                        dict(base, DISPLAY=s["DISPLAY"]), user=True)
        check(r2.returncode == 0, "--backend x11: %r" % r2.stderr)
        mine = [x["title"] for x in x11 if x["title"] in EXPECTED_TITLES]
        check(mine == ["On Xwayland"], "X11 lists the Xwayland window only: "
              "%r" % mine)

        # Without sway's IPC: what only it gives reads as unknown.
        plain = dict(env)
        plain.pop("SWAYSOCK")
        r2, bare = cenum(["windows", "--json"], plain)
        check(r2.returncode == 0 and len(bare) == len(records),
              "without SWAYSOCK: %r" % r2.stderr)
        for rec in bare:
            check(rec["pid"] is None and rec["exe"] == "" and
                  [rec["x"], rec["y"], rec["width"], rec["height"]] ==
                  [0, 0, 0, 0] and rec["id"] > 2 ** 62,
                  "unknown without IPC: %r" % rec)
        check(sorted(x["title"] for x in bare) ==
              sorted(x["title"] for x in records), "same titles without IPC")
        # --version lists the Wayland backend as available here.
        r2 = subprocess.run([CENUM, "--version"], capture_output=True,
                            env=env, timeout=60)
        check(b"windows  wayland    available" in r2.stdout,
              "--version: %r" % r2.stdout)

        # A compositor that stops answering: bounded by the timeout.
        sway = int(open(os.path.join(STATE, "compositor.pid")).read())
        os.kill(sway, signal.SIGSTOP)
        try:
            started = time.monotonic()
            r2, _ = cenum(["windows", "--timeout", "500"], env)
            took = time.monotonic() - started
        finally:
            os.kill(sway, signal.SIGCONT)
        err = r2.stderr.decode("utf-8", "replace")
        check(r2.returncode == 4 and "did not answer" in err,
              "stopped sway: exit %d %r" % (r2.returncode, err))
        check(0.45 < took < 10, "stopped sway: %.2f s for a 500 ms timeout"
              % took)

        # `cenum watch windows --json`: first every window, as the listing
        # has it (the keys after "change" included), then a window closed.
        r, records = cenum(["windows", "--json"], env)
        watch = subprocess.Popen([CENUM, "watch", "windows", "--json"],
                                 env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            first = read_lines(watch, len(records))
            check([x["change"] for x in first] == ["added"] * len(records),
                  "watch: every window added first: %r" % first)
            check(all(list(x.keys()) == ["change"] + list(records[0].keys())
                      for x in first), "watch: the listing's keys: %r"
                  % first[:1])
            check(sorted((dict((k, v) for k, v in x.items() if k != "change")
                          for x in first), key=lambda x: x["id"]) ==
                  sorted(records, key=lambda x: x["id"]),
                  "watch: the records are the listing's: %r %r"
                  % (first, records))
            plain = got.get("plain foot", [{"id": None}])[0]["id"]
            procs[1].terminate()
            procs[1].wait(timeout=10)
            # The others are tiled anew: changed, each a whole record.
            after = []
            while not any(x["change"] == "removed" for x in after):
                more = read_lines(watch, 1)
                if not more:
                    break
                after += more
            removed = [x for x in after if x["change"] == "removed"]
            check(len(removed) == 1 and removed[0]["id"] == plain and
                  removed[0]["title"] == "plain foot",
                  "watch: the closed foot removed: %r" % after)
            check(all(x["change"] == "changed" and x["id"] != plain
                      for x in after if x not in removed),
                  "watch: the others changed: %r" % after)
        finally:
            watch.send_signal(signal.SIGTERM)
            try:
                code = watch.wait(timeout=10)
            except subprocess.TimeoutExpired:
                watch.kill()
                code = watch.wait()
        check(code == 0, "watch: exit %r on SIGTERM: %r"
              % (code, watch.stderr.read()))
    finally:
        stop(procs)
    finish()


if __name__ == "__main__":
    main()
