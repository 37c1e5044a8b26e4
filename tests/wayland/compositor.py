# SPDX-License-Identifier: MIT
"""Starts or stops the compositor of a Wayland test fixture.

usage: compositor.py start STATE_DIR sway|weston|stub [STUB_PROGRAM]
       compositor.py stop STATE_DIR

`start` runs the compositor headless as the unprivileged user 65534 (sway
refuses to run as root) with STATE_DIR/run, owned by that user, as its
XDG_RUNTIME_DIR, waits for its sockets (and for sway, its Xwayland server),
and writes STATE_DIR/env.json: the environment a client of that session
needs (WAYLAND_DISPLAY, XDG_RUNTIME_DIR, and SWAYSOCK and DISPLAY where the
compositor has them). `stub` is the tests' own compositor (stub_compositor.c),
which runs as the calling user. A missing compositor exits 77 (skip), or 1
in CI. `stop` ends what `start` started, by its pid.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

SKIP = 77
USER = 65534


def missing(what):
    if os.environ.get("CI"):
        print("FAIL: %s is missing, and CI must not skip" % what,
              file=sys.stderr)
        sys.exit(1)
    print("SKIP: %s is missing" % what, file=sys.stderr)
    sys.exit(SKIP)


def as_user(args, run):
    """args run as the fixture's user, with nothing of our environment."""
    prefix = []
    if os.getuid() == 0:
        prefix = ["setpriv", "--reuid=%d" % USER, "--regid=%d" % USER,
                  "--clear-groups"]
    return prefix + ["env", "-i", "PATH=/usr/bin:/bin", "HOME=" + run,
                     "XDG_RUNTIME_DIR=" + run] + args


def stop(state):
    path = os.path.join(state, "compositor.pid")
    try:
        pid = int(open(path).read())
    except (OSError, ValueError):
        return
    try:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(200):
            time.sleep(0.025)
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            except ChildProcessError:
                pass
            os.kill(pid, 0)  # raises once it is gone
        else:
            os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.unlink(path)


def wait_for(what, found, proc, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    print("FAIL: no %s; the compositor's log:" % what, file=sys.stderr)
    sys.stderr.write(open(log, errors="replace").read()[-4000:])
    stop(os.path.dirname(log))
    sys.exit(1)


def start(state, kind, stub):
    stop(state)
    shutil.rmtree(state, ignore_errors=True)
    run = os.path.join(state, "run")
    os.makedirs(run)
    os.chmod(state, 0o755)
    os.chmod(run, 0o700)
    if kind != "stub" and os.getuid() == 0:
        os.chown(run, USER, USER)
    env = {"XDG_RUNTIME_DIR": run}

    if kind == "sway":
        for program in ("sway", "swaymsg", "Xwayland"):
            if not shutil.which(program):
                missing(program)
        config = os.path.join(state, "sway.conf")
        with open(config, "w") as f:
            f.write("output HEADLESS-1 resolution 1280x1024\n"
                    "xwayland enable\n")
        args = as_user(["WLR_BACKENDS=headless", "WLR_RENDERER=pixman",
                        "WLR_LIBINPUT_NO_DEVICES=1", "sway", "-c", config],
                       run)
    elif kind == "weston":
        if not shutil.which("weston"):
            missing("weston")
        if not shutil.which("Xwayland"):
            missing("Xwayland")
        args = as_user(["weston", "--backend=headless-backend.so",
                        "--socket=wayland-cenum", "--idle-time=0",
                        "--xwayland"], run)
        can_unshare = os.getuid() == 0 and subprocess.run(
            ["unshare", "--mount", "true"], stderr=subprocess.DEVNULL
        ).returncode == 0
        if can_unshare:
            # weston 10 crashes (measured: SIGSEGV) when it finds the socket
            # file of a display taken while the abstract socket is free, as
            # other test servers leave them in /tmp/.X11-unix: it gets a
            # private, empty one. Clients reach its Xwayland through the
            # abstract socket, which Xlib tries first.
            args = ["unshare", "--mount", "sh", "-c",
                    "mount -t tmpfs -o mode=1777 tmpfs /tmp/.X11-unix && "
                    "exec \"$@\"", "sh"] + args
    else:
        args = ["env", "XDG_RUNTIME_DIR=" + run, stub, "wayland-cenum"]

    log = os.path.join(state, "compositor.log")
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                            start_new_session=True, cwd=state)
    with open(os.path.join(state, "compositor.pid"), "w") as f:
        f.write("%d\n" % proc.pid)

    def socket():
        names = [os.path.basename(p) for p in glob.glob(run + "/wayland-*")
                 if not p.endswith(".lock")]
        return names[0] if names else None

    env["WAYLAND_DISPLAY"] = wait_for("Wayland socket", socket, proc, log)
    if kind == "sway":
        env["SWAYSOCK"] = wait_for(
            "sway IPC socket",
            lambda: (glob.glob(run + "/sway-ipc.*.sock") or [None])[0],
            proc, log)
        # sway gives the display of its Xwayland to the programs it starts.
        shown = os.path.join(run, "display")
        subprocess.run(["swaymsg", "-s", env["SWAYSOCK"], "exec",
                        "printf %s \"$DISPLAY\" > " + shown + ".new && mv " +
                        shown + ".new " + shown],
                       check=True, stdout=subprocess.DEVNULL,
                       env={"PATH": "/usr/bin:/bin"})
        env["DISPLAY"] = wait_for(
            "Xwayland display",
            lambda: os.path.exists(shown) and open(shown).read().strip(),
            proc, log)
    elif kind == "weston":
        def xwayland():
            for line in open(log, errors="replace"):
                if "xserver listening on display" in line:
                    return line.split()[-1]
            return None
        env["DISPLAY"] = wait_for("Xwayland display", xwayland, proc, log)
    with open(os.path.join(state, "env.json"), "w") as f:
        json.dump(env, f)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "start":
        start(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4
              else None)
    elif len(sys.argv) == 3 and sys.argv[1] == "stop":
        stop(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
