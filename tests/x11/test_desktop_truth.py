# SPDX-License-Identifier: MIT
"""`cenum windows --json` against the reference tools, on the windows of
`x11_helper tasks` (one for each rule of issue 12), under openbox, fluxbox,
icewm or no window manager:

- minimized: _NET_WM_STATE_HIDDEN under an EWMH window manager, so a window
  on another desktop and a shaded one are not minimized and an iconified
  one is (as libwnck's is_minimized says); `visible` as xwininfo says;
- --apps: libwnck's task-list rule (is_skip_tasklist), branch by branch,
  and transient_for as xprop shows WM_TRANSIENT_FOR;
- the client inside an override-redirect frame is found, as i3 needs;
- STRING text that is valid UTF-8 decodes as UTF-8 (wmctrl -lx shows it);
- focused: exactly the window of the root's _NET_ACTIVE_WINDOW (xprop), and
  it follows `wmctrl -i -a`.

usage: test_desktop_truth.py CENUM
Environment: CENUM_TEST_X11_STATE, CENUM_TEST_X11_HELPER, CENUM_TEST_X11_WM.
"""
import json
import os
import shutil
import subprocess
import sys
import time

from fixture import check, display, finish, missing, tasks_helper

CENUM = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))

# --apps under openbox, by libwnck's rule: what a task list shows.
SHOWN = ["app", "dialog", "t_root_dialog", "t_unlisted", "self_transient",
         "utility", "toolbar", "menu", "t_normal", "utility_normal",
         "notification_normal", "popup_menu", "shaded", "elsewhere",
         "iconified", "focus", "utf8", "latin1"]
SKIPPED = ["t_notype", "t_dialog", "t_utility", "t_toolbar", "t_menu",
           "desktop", "dock", "splash", "skip", "orclient"]
UTF8_CLASS = "日本語クラス"
UTF8_TITLE = "タイトル é"


def need(tool):
    if not shutil.which(tool):
        missing(tool)


def run(args, env):
    r = subprocess.run(args, capture_output=True, env=env, timeout=60)
    if r.returncode != 0:
        print("%r: exit %d: %r" % (args, r.returncode, r.stderr),
              file=sys.stderr)
    return r


def cenum(env, *args):
    r = run([CENUM, "windows", "--json"] + list(args), env)
    check(r.returncode == 0, "cenum windows --json %s" % " ".join(args))
    return {x["id"]: x for x in
            (json.loads(l) for l in r.stdout.decode("utf-8").splitlines())}


def xprop(env, window, name):
    """The value xprop prints for a property, as text after '=' or ':'."""
    r = run(["xprop"] + (["-root"] if window is None else
                         ["-id", str(window)]) + [name], env)
    out = r.stdout.decode("utf-8", "replace").strip()
    if "not found" in out or "no such atom" in out:
        return None
    return out


def window_of(text):
    """The window id in xprop's "WINDOW: window id # 0x..." output, or 0."""
    if text is None or "#" not in text:
        return 0
    return int(text.split("#")[1].split(",")[0].strip(), 16)


def wnck_python():
    """A Python with python3-gi and libwnck: this one, or Debian's."""
    for python in (sys.executable, "/usr/bin/python3"):
        if python and os.path.exists(python) and subprocess.run(
                [python, "-c", "import gi; gi.require_version('Wnck', '3.0');"
                 "from gi.repository import Wnck"],
                capture_output=True).returncode == 0:
            return python
    missing("python3-gi with gir1.2-wnck-3.0")


def wnck(env, python):
    r = run([python, os.path.join(HERE, "wnck_reference.py")], env)
    check(r.returncode == 0, "libwnck reference ran")
    return {x["xid"]: x for x in
            (json.loads(l) for l in r.stdout.decode().splitlines())}


def wait_for(what, cond, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return check(False, "timed out waiting for " + what)


def main():
    env = dict(os.environ, DISPLAY=display())
    env.pop("LANG", None)  # no UTF-8 locale needed: a fresh Debian has none
    wm = os.environ.get("CENUM_TEST_X11_WM") == "1"
    need("xprop")
    need("xwininfo")
    if wm:
        need("wmctrl")
        need("xdotool")
        python = wnck_python()
    with tasks_helper(env) as ids:
        if not ids:
            finish()
        if wm:
            act(env, ids)
        records = cenum(env)
        mine = {name: records.get(xid) for name, xid in ids.items()}
        check_search(ids, records, mine)
        check_text(env, wm, mine)
        if wm:
            check_states(env, python, ids, mine)
            check_apps(env, python, ids)
            check_transient(env, ids, mine)
            check_focus(env, ids)
        else:
            check(not any(x["focused"] for x in records.values()),
                  "without a window manager no window is focused")
            check(mine["elsewhere"] and not mine["elsewhere"]["minimized"],
                  "nothing is minimized without a window manager")
    finish()


def act(env, ids):
    """Shade, move to desktop 2, iconify and activate, as a user would."""
    run(["wmctrl", "-i", "-r", hex(ids["shaded"]), "-b", "add,shaded"], env)
    run(["wmctrl", "-i", "-r", hex(ids["elsewhere"]), "-t", "1"], env)
    run(["xdotool", "windowminimize", str(ids["iconified"])], env)
    run(["wmctrl", "-i", "-a", hex(ids["focus"])], env)
    wait_for("the shaded state", lambda: "_NET_WM_STATE_SHADED" in (
        xprop(env, ids["shaded"], "_NET_WM_STATE") or ""))
    wait_for("desktop 1", lambda: (xprop(env, ids["elsewhere"],
                                         "_NET_WM_DESKTOP") or "")
             .endswith("= 1"))
    wait_for("the iconified state", lambda: "_NET_WM_STATE_HIDDEN" in (
        xprop(env, ids["iconified"], "_NET_WM_STATE") or ""))
    wait_for("the focus", lambda: window_of(
        xprop(env, None, "_NET_ACTIVE_WINDOW")) == ids["focus"])


def check_search(ids, records, mine):
    """The client of an override-redirect frame stands for the frame."""
    r = mine["orclient"]
    if check(r is not None, "the client inside the override-redirect frame"):
        check(r["title"] == "cenum orclient", "orclient title %r" % r["title"])
        check(r["x"] == 400 and r["y"] == 400 and r["width"] == 160,
              "orclient has its frame's geometry: %r" % r)
    check(ids["orframe"] not in records,
          "the override-redirect frame is not reported beside its client")


def check_text(env, wm, mine):
    r = mine["utf8"]
    if check(r is not None, "the utf8 window"):
        check(r["class"] == UTF8_CLASS, "utf8 class %r" % r["class"])
        check(r["instance"] == "utf8-inst", "utf8 instance %r" % r["instance"])
        check(r["title"] == UTF8_TITLE, "utf8 title %r" % r["title"])
    r = mine["latin1"]
    if check(r is not None, "the latin1 window"):
        check(r["class"] == "Café" and r["instance"] == "café",
              "latin1 class %r instance %r" % (r["class"], r["instance"]))
    if wm:
        # wmctrl prints WM_CLASS's bytes as they are, "instance.class", in
        # a UTF-8 locale (Debian's libc always has C.UTF-8).
        out = run(["wmctrl", "-lx"], dict(env, LC_ALL="C.UTF-8")).stdout \
            .decode("utf-8", "replace")
        line = [l for l in out.splitlines()
                if l.startswith("0x%08x" % mine["utf8"]["id"])]
        check(line and line[0].split()[2] == "utf8-inst." + UTF8_CLASS,
              "wmctrl -lx shows %r" % line)


def check_states(env, python, ids, mine):
    """minimized as libwnck says, and as the rule says under every window
    manager; visible as xwininfo's map state of the client says (a shaded
    window stays viewable under some window managers, not under others)."""
    reference = wnck(env, python)
    expect = {"shaded": False, "elsewhere": False, "iconified": True,
              "focus": False, "app": False}
    for name, minimized in expect.items():
        r, w = mine[name], reference.get(ids[name])
        if not check(r is not None and w is not None, "%s listed" % name):
            continue
        hidden = "_NET_WM_STATE_HIDDEN" in (
            xprop(env, ids[name], "_NET_WM_STATE") or "")
        check(r["minimized"] is minimized,
              "%s minimized %r" % (name, r["minimized"]))
        check(w["minimized"] is minimized and hidden is minimized,
              "%s: libwnck says minimized %r, _NET_WM_STATE_HIDDEN %r"
              % (name, w["minimized"], hidden))
        viewable = "IsViewable" in run(["xwininfo", "-id", str(ids[name])],
                                       env).stdout.decode()
        check(r["visible"] is viewable,
              "%s visible %r, xwininfo viewable %r"
              % (name, r["visible"], viewable))
    check(not mine["iconified"]["visible"] and not mine["elsewhere"]["visible"]
          and mine["app"]["visible"], "visible: iconified, elsewhere, app")


def check_apps(env, python, ids):
    """Each branch of the rule as libwnck takes it. A window manager may
    itself set SKIP_TASKBAR (fluxbox does on toolbars and menus) or leave a
    window out of its list; then no task list shows it."""
    apps = cenum(env, "--apps")
    reference = wnck(env, python)
    listed = xprop(env, None, "_NET_CLIENT_LIST") or ""
    listed = {int(w, 16) for w in listed.split("#")[1].split(",")} \
        if "#" in listed else set()
    for name in ("app", "dialog", "utility", "utility_normal", "t_notype"):
        check(ids[name] in listed, "the window manager lists %s" % name)
    for name in SHOWN + SKIPPED:
        xid = ids[name]
        w = reference.get(xid)
        shown = w is not None and not w["skip_tasklist"]
        expected = name in SHOWN and xid in listed and \
            "SKIP_TASKBAR" not in (xprop(env, xid, "_NET_WM_STATE") or "")
        check(shown is expected,
              "libwnck %s %s" % ("shows" if shown else "skips", name))
        check((xid in apps) is shown,
              "--apps %s %s, as libwnck does"
              % ("lists" if xid in apps else "leaves out", name))


def check_transient(env, ids, mine):
    for name, r in mine.items():
        if r is None:
            continue
        expected = window_of(xprop(env, ids[name], "WM_TRANSIENT_FOR"))
        if expected == ids[name]:
            expected = 0  # transient for itself: for nothing
        check(r["transient_for"] == expected,
              "%s transient_for %r, xprop says %r"
              % (name, r["transient_for"], expected))
    check(mine["t_dialog"]["transient_for"] == ids["app"], "t_dialog's owner")


def check_focus(env, ids):
    for target in ("focus", "app"):
        run(["wmctrl", "-i", "-a", hex(ids[target])], env)
        wait_for("the focus on " + target, lambda: window_of(
            xprop(env, None, "_NET_ACTIVE_WINDOW")) == ids[target])
        active = window_of(xprop(env, None, "_NET_ACTIVE_WINDOW"))
        focused = [x["id"] for x in cenum(env).values() if x["focused"]]
        check(focused == [active] and active == ids[target],
              "focused %r, _NET_ACTIVE_WINDOW %r, activated %s %r"
              % (focused, active, target, ids[target]))


main()
