# SPDX-License-Identifier: MIT
"""Starts or stops the X server (and window manager) of an X11 test fixture.

usage: xserver.py start STATE_DIR HELPER [--wm | --wm=NAME] [--no-xres]
                        [--pid-namespace]
       xserver.py stop STATE_DIR

`start` runs Xvfb on a free display (-displayfd), each daemon in its own
session with its output in STATE_DIR, writes the display name to
STATE_DIR/display and, with --wm, starts openbox and waits until it owns the
screen (x11_helper wait-wm); --wm=NAME does the same with another window
manager: i3 (whose frames are override-redirect, with its i3bar), fluxbox
or icewm; with --no-xres, Xvfb runs without the
X-Resource extension, as some servers do; with --pid-namespace, Xvfb runs
in a pid namespace of its own (unshare, as root), as a server in a container
does. When Xvfb or openbox is missing
it exits 77 (skip), or 1 in CI. `stop` kills what `start` started.
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import time

SKIP = 77


def missing(what):
    if os.environ.get("CI"):
        print("FAIL: %s is missing, and CI must not skip" % what, file=sys.stderr)
        sys.exit(1)
    print("SKIP: %s is missing" % what, file=sys.stderr)
    sys.exit(SKIP)


def daemon(args, state, name, env=None, pass_fds=()):
    log = open(os.path.join(state, name + ".log"), "wb")
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, env=env,
                            pass_fds=pass_fds, start_new_session=True)
    with open(os.path.join(state, name + ".pid"), "w") as f:
        f.write("%d\n" % proc.pid)
    return proc


def stop(state):
    for name in ("wm", "xvfb"):
        path = os.path.join(state, name + ".pid")
        try:
            pid = int(open(path).read())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(200):
                time.sleep(0.025)
                os.kill(pid, 0)  # raises once it is gone
                try:
                    if os.waitpid(pid, os.WNOHANG)[0] == pid:
                        break
                except ChildProcessError:
                    pass
            else:
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.unlink(path)


def pid_namespace_command():
    """unshare's words for running a command in a new pid namespace (with
    /proc to match): as root plainly, else inside a user namespace of its
    own; None when the system allows neither."""
    for command in (["unshare", "--pid", "--fork", "--mount-proc"],
                    ["unshare", "--user", "--map-root-user", "--pid",
                     "--fork", "--mount-proc"]):
        if shutil.which("unshare") and subprocess.run(
                command + ["true"], capture_output=True).returncode == 0:
            return command
    return None


I3_CONFIG = """# i3 config file (v4)
font pango:monospace 8
bar {
    status_command echo cenum
}
"""


def start(state, helper, wm, xres=True, pid_namespace=False):
    """`wm` is None, "openbox" or "i3"."""
    stop(state)
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    if not shutil.which("Xvfb"):
        missing("Xvfb")
    if wm and not shutil.which(wm):
        missing(wm)

    read_end, write_end = os.pipe()
    # -noreset: an X server resets (and re-creates its socket) whenever its
    # last client leaves; a test connecting just then would be refused.
    # --kill-child: stopping unshare stops the server too.
    prefix = (pid_namespace_command() + ["--kill-child=SIGTERM"]
              if pid_namespace else [])
    xvfb = daemon(prefix + ["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                   "1280x1024x24", "-nolisten", "tcp", "-noreset"] +
                  ([] if xres else ["-extension", "X-Resource"]), state,
                  "xvfb",
                  pass_fds=(write_end,))
    os.close(write_end)
    number = b""
    deadline = time.monotonic() + 30
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 0.1)
        if ready:
            chunk = os.read(read_end, 64)
            if not chunk:
                break
            number += chunk
        if xvfb.poll() is not None:
            break
    os.close(read_end)
    if not number.strip().isdigit():
        print("Xvfb did not report a display; see %s/xvfb.log" % state,
              file=sys.stderr)
        stop(state)
        sys.exit(1)
    display = ":" + number.decode().strip()

    env = dict(os.environ, DISPLAY=display)
    if wm:
        # The window manager reads and writes its configuration under these:
        # keep it away from the user's own.
        for var in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                    "XDG_DATA_HOME", "XDG_STATE_HOME"):
            env[var] = state
        env.pop("SESSION_MANAGER", None)
        if wm == "i3":
            config = os.path.join(state, "i3.config")
            with open(config, "w") as f:
                f.write(I3_CONFIG)
            command = ["i3", "-c", config]
        elif wm == "openbox":
            command = ["openbox", "--sm-disable"]
        else:
            command = [wm]
        daemon(command, state, "wm", env=env)
        if subprocess.run([helper, "wait-wm", "30000"], env=env,
                          timeout=60).returncode != 0:
            print("%s did not start; see %s/wm.log" % (wm, state),
                  file=sys.stderr)
            stop(state)
            sys.exit(1)
    with open(os.path.join(state, "display"), "w") as f:
        f.write(display + "\n")
    print("display", display, wm or "no wm")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "start":
        options = sys.argv[4:]
        wm = "openbox" if "--wm" in options else None
        for option in options:
            if option.startswith("--wm="):
                wm = option[len("--wm="):]
        start(sys.argv[2], sys.argv[3], wm, "--no-xres" not in options,
              "--pid-namespace" in options)
    elif len(sys.argv) == 3 and sys.argv[1] == "stop":
        stop(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
