#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cenum's benchmark driver (run it through bench/run.sh, which builds first).

Starts its own servers (Xvfb with openbox, a private cupsd, private and
machine fontconfig configurations), times `cenum` beside wmctrl, xdotool,
lpstat and fc-list on the same servers in the same run, and the in-process
benchmark programs beside the system libraries, then prints Markdown tables:
median, min and max of repeated runs, peak RSS, and the ratio cenum / other.

Every command is timed from spawn to exit with its output sent to /dev/null;
its first run also writes its output to a file, from which the records are
counted (so a tool that lists nothing cannot look fast). Peak RSS is the
child's ru_maxrss from wait4().
"""
import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

DELAY_MS = 5.0

MODES = {
    # Quick: about a minute in all. Full: the sizes of issue 6.
    "quick": dict(windows=[100], proxy=[100], nowm=[100],
                  printers=[10, 1000],
                  wayland=[100], repeat=5, budget=1.0, cap=8.0, proxy_cap=4.0),
    "full": dict(windows=[100, 1000, 5000], proxy=[100, 1000, 5000],
                 nowm=[1000],
                 printers=[10, 1000, 5000], wayland=[100, 1000],
                 repeat=11, budget=15.0, cap=120.0, proxy_cap=60.0),
}


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------- timing --

class Result:
    def __init__(self, kind, case, level, tool, command):
        self.kind, self.case, self.level = kind, case, level
        self.tool, self.command = tool, command
        self.times = []        # seconds
        self.rss_kib = 0
        self.records = None
        self.capped = False    # a run hit the time cap and was killed
        self.error = None
        self.proxy = False
        self.floor = False     # the least work the system allows (issue 17)
        # Under a window manager: the least work that reports its clients.
        self.client_floor = False

    def median(self):
        return statistics.median(self.times) if self.times else None

    def as_dict(self):
        return dict(kind=self.kind, case=self.case, level=self.level,
                    tool=self.tool, command=self.command, times=self.times,
                    rss_kib=self.rss_kib, records=self.records,
                    capped=self.capped, error=self.error, proxy=self.proxy,
                    floor=self.floor, client_floor=self.client_floor)


class Usage:
    def __init__(self, maxrss):
        self.ru_maxrss = maxrss


RUNCMD = None  # the launcher, bench_runcmd in the build directory


def run_once(argv, env, stdout, cap):
    """Runs argv to its end or to `cap` seconds through the launcher, which
    times it and reads its peak RSS (see runcmd.c for why not from here);
    returns (seconds, usage, status, capped, stderr text)."""
    with tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as report:
        status = subprocess.run(
            [RUNCMD, "--report", report.name, "--cap-ms",
             str(int(cap * 1000)), "--"] + argv, env=env, stdout=stdout,
            stderr=err, stdin=subprocess.DEVNULL).returncode
        fields = report.read().split()
        err.seek(0)
        text = err.read().decode(errors="replace")
        if status != 0 or len(fields) != 3:
            raise RuntimeError(f"runcmd failed: {text.strip()}")
        capped = fields[2] == "capped"
        return (int(fields[0]) / 1e9, Usage(int(fields[1])),
                0 if capped else int(fields[2]), capped, text)


class Contestant:
    """One command or in-process method of a case. The contestants of a case
    take turns, one run each per round, so a burst of load from elsewhere on
    the machine falls on all of them alike rather than on whichever happened
    to run at that moment."""

    def __init__(self, result, argv, env, count, mode, cap, workdir,
                 inprocess):
        self.result, self.argv, self.env, self.count = result, argv, env, count
        self.repeat, self.budget, self.cap = mode["repeat"], mode["budget"], cap
        self.workdir, self.inprocess = workdir, inprocess
        self.first = True
        self.finished = False

    def done(self):
        r = self.result
        if self.finished or r.error or r.capped or len(r.times) >= self.repeat:
            return True
        # Enough time spent: three runs, or one run longer than the budget.
        return sum(r.times) > self.budget and (len(r.times) >= 3 or
                                               r.times[0] > self.budget)

    def step(self):
        if self.inprocess:
            self.step_inprocess()
        else:
            self.step_command()

    def step_command(self):
        r = self.result
        if self.first:
            # The first run also writes the output, to count the records;
            # it counts as a run only when longer than a second (a short
            # one just warmed the page cache and fontconfig's caches).
            self.first = False
            out_path = os.path.join(self.workdir, "output.txt")
            with open(out_path, "wb") as out:
                elapsed, usage, status, capped, err = run_once(
                    self.argv, self.env, out, self.cap)
            with open(out_path, "rb") as out:
                r.records = self.count(out.read().decode(errors="replace"))
            keep = elapsed > 1.0
        else:
            with open(os.devnull, "wb") as null:
                elapsed, usage, status, capped, err = run_once(
                    self.argv, self.env, null, self.cap)
            keep = True
        r.rss_kib = max(r.rss_kib, usage.ru_maxrss)
        if capped:
            r.capped = True
            r.times.append(self.cap)
        elif status != 0:
            r.error = f"exit {status}: {err.strip()[:200]}"
        elif keep:
            r.times.append(elapsed)

    def step_inprocess(self):
        """One process: a warm-up call (counted when over a second), then
        three timed calls, or one when a call takes over 0.3 s; the program
        prints "run NS RECORDS" for each."""
        r = self.result
        before = len(r.times)
        with tempfile.TemporaryFile() as out:
            elapsed, usage, status, capped, err = run_once(
                self.argv + ["--repeat", "3", "--budget-ms", "300"], self.env,
                out, self.cap)
            out.seek(0)
            lines = out.read().decode().split("\n")
        r.rss_kib = max(r.rss_kib, usage.ru_maxrss)
        for line in lines:
            fields = line.split()
            if len(fields) == 3 and fields[0] == "run":
                r.times.append(int(fields[1]) / 1e9)
                r.records = int(fields[2])
        if capped and len(r.times) > before:
            # Runs finished before the cap: keep them, stop there.
            self.finished = True
        elif capped:
            r.capped = True
            r.times.append(self.cap)
        elif status != 0:
            r.error = f"exit {status}: {err.strip()[:200]}"


def run_rounds(contestants):
    while True:
        active = [c for c in contestants if not c.done()]
        if not active:
            return
        for c in active:
            c.step()


def count_lines(text):
    return sum(1 for line in text.split("\n") if line.strip())


# ---------------------------------------------------------------- servers --

class Servers:
    """Every daemon the run started, killed (by its own pid) at the end."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []

    def start(self, name, argv, env=None, pass_fds=(), stdout=None):
        logfile = open(os.path.join(self.workdir, f"{name}.log"), "ab")
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL,
            stdout=stdout if stdout is not None else logfile,
            stderr=logfile, pass_fds=pass_fds, start_new_session=True)
        self.processes.append((name, process))
        return process

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = [(n, p) for n, p in self.processes if p is not process]

    def stop_all(self):
        for _, process in reversed(list(self.processes)):
            self.stop(process)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def start_x(servers, bench_dir, env, wm=True):
    """Xvfb (listening on TCP too, for the proxy) with openbox unless `wm`
    is false; returns the display number, the processes and the environment
    for clients."""
    read_fd, write_fd = os.pipe()
    xvfb = servers.start("xvfb", ["Xvfb", "-displayfd", str(write_fd),
                                  "-screen", "0", "1280x1024x24",
                                  "-listen", "tcp"],
                         pass_fds=(write_fd,))
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start (see xvfb.log)")
    display = int(number)
    xenv = dict(env, DISPLAY=f":{display}")
    if not wm:
        return display, [xvfb], xenv
    wm = servers.start("openbox", ["openbox", "--sm-disable"], env=xenv)
    check = [os.path.join(bench_dir, "bench_spawn_windows"), "--wm-check"]
    wait_until(lambda: subprocess.run(check, env=xenv,
                                      stderr=subprocess.DEVNULL).returncode
               == 0, 30, "openbox")
    return display, [xvfb, wm], xenv


def start_proxy(servers, bench_dir, display, delay_ms):
    proxy = servers.start("xdelay", [os.path.join(bench_dir, "bench_xdelay"),
                                     "--to", str(6000 + display),
                                     "--delay-ms", str(delay_ms),
                                     "--display", str(display + 100)],
                          stdout=subprocess.PIPE)
    number = proxy.stdout.readline().decode().strip()
    if not number:
        raise RuntimeError("the proxy did not start (see xdelay.log)")
    return proxy, f"127.0.0.1:{number}"


def spawn_windows(servers, bench_dir, xenv, n):
    spawner = servers.start("spawn", [os.path.join(bench_dir,
                                                   "bench_spawn_windows"),
                                      str(n)],
                            env=xenv, stdout=subprocess.PIPE)
    line = spawner.stdout.readline().decode().strip()
    if line != f"ready {n}":
        raise RuntimeError(f"the window spawner failed: {line!r}")
    return spawner


CUPSD_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "tests", "cups", "cupsd.sh")


def start_cupsd(root, n, env):
    """A private cupsd with N raw queues, from the CUPS tests' fixture script
    (it writes printers.conf directly: lpadmin would take minutes for
    thousands), with the first queue made the default so that cenum's and
    lpstat's default lookups have something to find."""
    subprocess.run(["sh", CUPSD_SH, "start", root, "--queues", str(n)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    cenv = dict(env, CUPS_SERVER=os.path.join(root, "cups.sock"))
    subprocess.run(["lpadmin", "-d", "bench-00001"], env=cenv, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cenv


def stop_cupsd(root, env):
    subprocess.run(["sh", CUPSD_SH, "stop", root], env=env,
                   stdout=subprocess.DEVNULL)


# -------------------------------------------------------------- the runs --

class Bench:
    def __init__(self, args, mode):
        self.args, self.mode = args, mode
        self.build = args.build
        self.bench_dir = os.path.join(self.build, "bench")
        self.cenum = os.path.join(self.build, "cenum")
        self.results = []
        self.pending = []
        self.requests = []  # (N, method, X requests per enumeration)
        self.workdir = tempfile.mkdtemp(prefix="cenum-bench-")
        self.servers = Servers(self.workdir)
        self.env = dict(os.environ)
        for name in ("DISPLAY", "CUPS_SERVER", "FONTCONFIG_FILE"):
            self.env.pop(name, None)
        # Nothing but the default C locale: tools must not differ in what
        # they decode or translate.
        self.env["LC_ALL"] = "C.UTF-8"

    def command(self, kind, case, tool, argv, env, count=count_lines,
                cap=None, proxy=False, floor=False):
        result = Result(kind, case, "command", tool, " ".join(argv))
        result.proxy, result.floor = proxy, floor
        self.pending.append(Contestant(result, argv, env, count, self.mode,
                                       cap or self.mode["cap"], self.workdir,
                                       False))

    def inprocess(self, kind, case, tool, program, method, env, cap=None,
                  proxy=False, floor=False, client_floor=False):
        argv = [os.path.join(self.bench_dir, program), "--method", method]
        result = Result(kind, case, "in-process", tool,
                        f"{program} --method {method}")
        result.proxy, result.floor = proxy, floor
        result.client_floor = client_floor
        self.pending.append(Contestant(result, argv, env, None, self.mode,
                                       cap or self.mode["cap"], self.workdir,
                                       True))

    def run_case(self):
        """Runs the contestants queued for one case, in rounds."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        r = pending[0].result
        log(f"{r.kind} {r.case}: " + ", ".join(c.result.tool
                                               for c in pending))
        run_rounds(pending)
        for c in pending:
            self.results.append(c.result)
            self.report_progress(c.result)

    def report_progress(self, r):
        if r.error:
            log(f"  FAILED: {r.error}")
        elif r.times:
            log(f"  median {r.median() * 1000:.1f} ms over {len(r.times)}"
                f"{' (capped)' if r.capped else ''}, {r.records} records, "
                f"{r.rss_kib} KiB")

    # ------------------------------------------------------------ windows --
    def windows(self):
        m = self.mode
        sizes = sorted(set(m["windows"]) | set(m["proxy"]))
        for n in sizes:
            self.window_server(n, "", True, n in m["windows"],
                               n in m["proxy"])
        # Issue 17's goal is stated without a window manager: there every
        # root child is a client, and the floor reads the same fields.
        for n in m["nowm"]:
            self.window_server(n, "no WM, ", False, True, True)

    def window_server(self, n, prefix, wm, direct, through_proxy):
        # A fresh server for each size: openbox takes a while to forget
        # thousands of windows, and that would load the next size.
        started = []
        try:
            display, started, xenv = start_x(self.servers, self.bench_dir,
                                             self.env, wm)
            t0 = time.monotonic()
            spawner = spawn_windows(self.servers, self.bench_dir, xenv, n)
            started.append(spawner)
            log(f"windows: {n} windows {'managed by openbox' if wm else 'mapped'}"
                f" in {time.monotonic() - t0:.1f} s")
            if direct:
                self.window_case(f"{prefix}direct, N={n}", xenv, None, False)
                self.count_requests(f"{prefix}{n}", xenv)
            if through_proxy:
                # The same proxy without the delay first: what TCP and
                # the proxy cost by themselves, taken off before the
                # round trips are counted.
                proxy, address = start_proxy(self.servers, self.bench_dir,
                                             display, 0)
                started.append(proxy)
                penv = dict(xenv, DISPLAY=address)
                self.window_calibration(f"{prefix}0 ms proxy, N={n}", penv)
                proxy, address = start_proxy(self.servers, self.bench_dir,
                                             display, DELAY_MS)
                started.append(proxy)
                penv = dict(xenv, DISPLAY=address)
                self.window_case(f"{prefix}5 ms proxy, N={n}", penv,
                                 self.mode["proxy_cap"], True)
        finally:
            for process in reversed(started):
                self.servers.stop(process)

    def count_requests(self, n, env):
        """How many X requests one enumeration sends (not timed)."""
        r = subprocess.run([os.path.join(self.bench_dir, "bench_windows"),
                            "--count-requests"], env=env, capture_output=True,
                           text=True, timeout=600)
        for line in r.stdout.split("\n"):
            fields = line.split()
            if len(fields) == 3 and fields[0] == "requests":
                self.requests.append((n, fields[1], int(fields[2])))

    def window_calibration(self, case, env):
        self.command("windows", case, "cenum windows --json",
                     [self.cenum, "windows", "--json", "--timeout",
                      "600000"], env)
        if not case.startswith("no WM"):
            self.command("windows", case, "wmctrl -lpG", ["wmctrl", "-lpG"],
                         env)
        self.inprocess("windows", case, "ce_enum_windows", "bench_windows",
                       "cenum", env)
        self.inprocess("windows", case, "ce_enum_windows, fields title|class",
                       "bench_windows", "switcher", env)
        self.inprocess("windows", case, "XOpenDisplay + XCloseDisplay only",
                       "bench_windows", "connect", env)
        self.inprocess("windows", case, "floor: pipelined XCB",
                       "bench_windows", "floor", env, floor=True)
        if not case.startswith("no WM"):
            self.inprocess("windows", case, CLIENT_FLOOR, "bench_windows",
                           "floor_clients", env, client_floor=True)
        self.run_case()

    def window_case(self, case, env, cap, proxy):
        self.command("windows", case, "cenum windows --json",
                     [self.cenum, "windows", "--json", "--timeout",
                      "600000"], env, cap=cap, proxy=proxy)
        if not case.startswith("no WM"):  # wmctrl needs a window manager
            self.command("windows", case, "wmctrl -lpG", ["wmctrl", "-lpG"],
                         env, cap=cap, proxy=proxy)
        self.command("windows", case, "xdotool search --name ''",
                     ["xdotool", "search", "--name", ""], env, cap=cap,
                     proxy=proxy)
        self.inprocess("windows", case, "ce_enum_windows", "bench_windows",
                       "cenum", env, cap=cap, proxy=proxy)
        self.inprocess("windows", case, "ce_enum_windows, fields title|class",
                       "bench_windows", "switcher", env, cap=cap, proxy=proxy)
        self.inprocess("windows", case, "Xlib loop", "bench_windows", "xlib",
                       env, cap=cap, proxy=proxy)
        # The floor: what opening and closing an Xlib connection costs.
        self.inprocess("windows", case, "XOpenDisplay + XCloseDisplay only",
                       "bench_windows", "connect", env, cap=cap, proxy=proxy)
        # The least work XCB needs for the same fields (floor_windows.c).
        self.inprocess("windows", case, "floor: pipelined XCB",
                       "bench_windows", "floor", env, cap=cap, proxy=proxy,
                       floor=True)
        # Under a window manager, the least work that reports its clients
        # (floor_windows.c's floor_windows_clients).
        if not case.startswith("no WM"):
            self.inprocess("windows", case, CLIENT_FLOOR, "bench_windows",
                           "floor_clients", env, cap=cap, proxy=proxy,
                           client_floor=True)
        self.run_case()

    # ------------------------------------------------------------ wayland --
    def wayland(self):
        """Headless sway (the tests' fixture) with N floating toplevels of
        one GTK client: cenum against swaymsg -t get_tree."""
        here = os.path.dirname(os.path.abspath(__file__))
        fixture = os.path.join(here, "..", "tests", "wayland",
                               "compositor.py")
        for n in self.mode["wayland"]:
            state = os.path.join(self.workdir, f"sway-{n}")
            # sway runs as an unprivileged user, who must reach its state.
            os.chmod(self.workdir, 0o755)
            if subprocess.run([sys.executable, fixture, "start", state,
                               "sway"], timeout=120).returncode != 0:
                raise RuntimeError("headless sway did not start")
            client = None
            try:
                session = json.load(open(os.path.join(state, "env.json")))
                env = dict(self.env, **session)
                env.pop("DISPLAY")
                subprocess.run(["swaymsg", "-s", session["SWAYSOCK"],
                                "for_window [app_id=org.cenum.bench] "
                                "floating enable"], check=True,
                               stdout=subprocess.DEVNULL, timeout=30)
                user = ["setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups"] if os.getuid() == 0 else []
                t0 = time.monotonic()
                client = self.servers.start(
                    "wayland-client",
                    user + ["env", "-i", "PATH=/usr/bin:/bin",
                            "HOME=" + session["XDG_RUNTIME_DIR"],
                            "XDG_RUNTIME_DIR=" + session["XDG_RUNTIME_DIR"],
                            "WAYLAND_DISPLAY=" + session["WAYLAND_DISPLAY"],
                            "GDK_BACKEND=wayland", "python3",
                            os.path.join(here, "wayland_windows.py"), str(n)],
                    stdout=subprocess.PIPE)
                if not client.stdout.readline().startswith(b"ready"):
                    raise RuntimeError(f"the client did not map {n} windows")

                def views():
                    tree = subprocess.run(
                        ["swaymsg", "-s", session["SWAYSOCK"], "-t",
                         "get_tree"], capture_output=True, timeout=60).stdout
                    return tree.count(b'"pid": ')
                # GTK's map comes before sway's: wait for sway's views.
                wait_until(lambda: views() == n, 60, f"sway to map {n} views")
                log(f"wayland: {n} toplevels mapped in "
                    f"{time.monotonic() - t0:.1f} s")
                case = f"sway, N={n}"
                self.command("wayland", case, "cenum windows --json",
                             [self.cenum, "windows", "--json", "--timeout",
                              "600000"], env)
                self.command("wayland", case, "swaymsg -t get_tree",
                             ["swaymsg", "-t", "get_tree"], env,
                             count=lambda text: text.count('"pid": '))
                self.inprocess("wayland", case, "ce_enum_windows",
                               "bench_windows", "cenum", env)
                self.run_case()
            finally:
                if client is not None:
                    self.servers.stop(client)
                subprocess.run([sys.executable, fixture, "stop", state],
                               timeout=60)

    # ----------------------------------------------------------- printers --
    def printers(self):
        for n in self.mode["printers"]:
            root = os.path.join(self.workdir, f"cups-{n}")
            try:
                t0 = time.monotonic()
                cenv = start_cupsd(root, n, self.env)
                log(f"printers: cupsd with {n} queues ready in "
                    f"{time.monotonic() - t0:.1f} s")
                case = f"N={n}"
                self.command("printers", case, "cenum printers --json",
                             [self.cenum, "printers", "--json", "--timeout",
                              "600000"], cenv)
                self.command("printers", case, "lpstat -p", ["lpstat", "-p"],
                             cenv, count=count_lpstat_p)
                self.command("printers", case, "lpstat -p -l",
                             ["lpstat", "-p", "-l"], cenv,
                             count=count_lpstat_p)
                self.command("printers", case, "lpstat -e", ["lpstat", "-e"],
                             cenv)
                self.command("printers", case, "floor: one cupsDoRequest",
                             [os.path.join(self.bench_dir,
                                           "bench_floor_printers")], cenv,
                             floor=True)
                self.inprocess("printers", case, "ce_enum_printers",
                               "bench_printers", "cenum", cenv)
                self.inprocess("printers", case, "cupsGetDests2",
                               "bench_printers", "cupsgetdests", cenv)
                self.inprocess("printers", case, "floor: cupsDoRequest",
                               "bench_printers", "floor", cenv, floor=True)
                self.run_case()
            finally:
                stop_cupsd(root, self.env)

    # -------------------------------------------------------------- fonts --
    def fonts(self):
        sets = []
        dejavu = "/usr/share/fonts/truetype/dejavu"
        if os.path.isdir(dejavu):
            conf_dir = os.path.join(self.workdir, "fontconfig")
            os.makedirs(conf_dir, exist_ok=True)
            conf = os.path.join(conf_dir, "fonts.conf")
            with open(conf, "w") as f:
                f.write(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{dejavu}</dir>
  <cachedir>{conf_dir}/cache</cachedir>
</fontconfig>
""")
            fenv = dict(self.env, FONTCONFIG_FILE=conf)
            subprocess.run(["fc-cache"], env=fenv, check=True)
            sets.append(("DejaVu only", fenv))
        noto = any(os.path.isdir(d) for d in
                   ("/usr/share/fonts/opentype/noto",
                    "/usr/share/fonts/truetype/noto"))
        sets.append(("machine" + (", Noto included" if noto else ""),
                     self.env))

        fields = ("family style fullname postscriptname file index weight "
                  "width slant spacing scalable fontformat").split()
        fmt = "\\t".join(
            f"%{{{f}[0]}}" if f in ("family", "style", "fullname")
            else f"%{{{f}}}" for f in fields) + "\\n"
        for name, env in sets:
            self.command("fonts", name, "cenum fonts --json",
                         [self.cenum, "fonts", "--json"], env)
            self.command("fonts", name, "fc-list (same fields)",
                         ["fc-list", "--format", fmt, ":"] + fields, env)
            self.inprocess("fonts", name, "ce_enum_fonts", "bench_fonts",
                           "cenum", env)
            self.inprocess("fonts", name, "FcFontList", "bench_fonts",
                           "fcfontlist", env)
            self.run_case()


def count_lpstat_p(text):
    return sum(1 for line in text.split("\n") if line.startswith("printer "))


# ---------------------------------------------------------------- report --

def fmt_ms(seconds, capped=False):
    if seconds is None:
        return "–"
    ms = seconds * 1000
    text = f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 10 \
        else f"{ms:.2f}"
    return ("> " + text) if capped else text


def reference(results, r):
    for other in results:
        if (other.kind, other.case, other.level) == (r.kind, r.case, r.level) \
                and other.tool.startswith(("cenum", "ce_enum")):
            return other
    return None


CLIENT_FLOOR = "floor: clients' requests pipelined"


def ratio_text(ref, r):
    """cenum / other, from the medians; a capped other gives a bound."""
    if r is ref:
        return "1"
    if r.tool.startswith(("XOpenDisplay", "floor")):
        return "–"
    if ref is None or not ref.times or not r.times or ref.error or r.error:
        return "–"
    value = ref.median() / r.median()
    text = f"{value:.3f}" if value < 0.1 else f"{value:.2f}"
    return ("< " + text) if r.capped else text


def floor_text(results, r, clients=False):
    """cenum / the floor of its case and level (the clients' floor when
    `clients`), on cenum's own rows."""
    if not r.tool.startswith(("cenum", "ce_enum")) or not ok(r):
        return "–"
    for other in results:
        if (other.kind, other.case, other.level) == (r.kind, r.case,
                                                     r.level) \
                and (other.client_floor if clients else other.floor) \
                and ok(other):
            return f"{r.median() / other.median():.2f}"
    return "–"


def round_trips(results, r):
    """The round trips a run through the 5 ms proxy implies: its median
    less the same command's median through the proxy without delay (the
    cost of TCP, the proxy and the server's own work), over 5 ms. Without
    that calibration, the whole median over 5 ms (an upper bound)."""
    if not r.proxy or not r.times or r.error:
        return "–"
    base = find(results, r.kind, r.case.replace("5 ms proxy", "0 ms proxy"),
                r.tool)
    if ok(base) and not base.capped:
        trips = (r.median() - base.median()) * 1000 / DELAY_MS
        return ("> " if r.capped else "") + f"{max(trips, 0):.0f}"
    trips = r.median() * 1000 / DELAY_MS
    return ("> " if r.capped else "≤ ") + f"{trips:.0f}"


def table(results, kind):
    rows = [r for r in results if r.kind == kind]
    if not rows:
        return ""
    proxy = any(r.proxy for r in rows)
    floor = any(r.floor for r in rows)
    client_floor = any(r.client_floor for r in rows)
    head = ["Case", "Level", "Command", "Records", "Median ms", "Min ms",
            "Max ms", "Runs", "Peak RSS KiB", "cenum / this"]
    if floor:
        head.append("cenum / floor")
    if client_floor:
        head.append("cenum / clients' floor")
    if proxy:
        head.append("Round trips")
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        ref = reference(results, r)
        if r.error:
            cells = [r.case, r.level, r.tool, "–", "failed: " + r.error[:60],
                     "", "", "", "", ""]
        else:
            cells = [r.case, r.level, r.tool,
                     "–" if r.records is None else str(r.records),
                     fmt_ms(r.median(), r.capped),
                     fmt_ms(min(r.times) if r.times else None),
                     fmt_ms(max(r.times) if r.times else None, r.capped),
                     str(len(r.times)), str(r.rss_kib), ratio_text(ref, r)]
        if floor:
            cells.append("–" if r.error else floor_text(results, r))
        if client_floor:
            cells.append("–" if r.error else floor_text(results, r, True))
        if proxy:
            cells.append(round_trips(results, r))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def find(results, kind, case, tool):
    for r in results:
        if r.kind == kind and r.case == case and r.tool == tool:
            return r
    return None


def ok(r):
    return r is not None and r.times and not r.error


def targets(results, mode):
    """Issue 6's targets, judged from this run's medians."""
    out = []
    # Windows through the proxy at 1,000: at least 50 times faster.
    case = "5 ms proxy, N=1000"
    ce = find(results, "windows", case, "cenum windows --json")
    if ok(ce):
        for tool in ("wmctrl -lpG", "xdotool search --name ''"):
            other = find(results, "windows", case, tool)
            if ok(other):
                speedup = other.median() / ce.median()
                bound = ">= " if other.capped else ""
                out.append(f"- Windows, 1,000 through the 5 ms proxy, vs "
                           f"`{tool}`: cenum is {bound}{speedup:.0f}x faster "
                           f"(target >= 50x): "
                           f"{'met' if speedup >= 50 else 'MISSED'}.")
    elif "windows" in {r.kind for r in results}:
        out.append("- Windows, 1,000 through the 5 ms proxy: not measured "
                   "in this mode (run --full).")
    # Windows direct: faster than both at every N.
    direct = sorted({r.case for r in results
                     if r.kind == "windows" and r.case.startswith("direct")},
                    key=lambda c: int(c.split("=")[1]))
    for case in direct:
        ce = find(results, "windows", case, "cenum windows --json")
        for tool in ("wmctrl -lpG", "xdotool search --name ''"):
            other = find(results, "windows", case, tool)
            if ok(ce) and ok(other):
                met = ce.median() < other.median()
                partial = ""
                if tool.startswith("wmctrl") and other.records is not None \
                        and ce.records and other.records < ce.records - 11:
                    partial = (f" (wmctrl listed only {other.records} "
                               f"windows: it reads at most 1,024 entries "
                               f"of _NET_CLIENT_LIST)")
                out.append(f"- Windows, {case}, vs `{tool}`: cenum/other = "
                           f"{ce.median() / other.median():.2f} (target < 1):"
                           f" {'met' if met else 'MISSED'}{partial}.")
    # Issue 17: ce_enum_windows within 1.3x of the pipelined XCB floor.
    for case in dict.fromkeys(r.case for r in results
                              if r.kind == "windows" and r.floor):
        ce = find(results, "windows", case, "ce_enum_windows")
        floor = find(results, "windows", case, "floor: pipelined XCB")
        if ok(ce) and ok(floor) and not floor.capped:
            value = ce.median() / floor.median()
            out.append(f"- Windows in-process, {case}, vs the floor (one "
                       f"XCB connection, every request pipelined): "
                       f"cenum/floor = {value:.2f} (target <= 1.3): "
                       f"{'met' if value <= 1.3 else 'MISSED'}.")
        clients = find(results, "windows", case, CLIENT_FLOOR)
        if ok(ce) and ok(clients) and not clients.capped:
            value = ce.median() / clients.median()
            out.append(f"- Windows in-process, {case}, vs the clients' "
                       f"floor (_NET_CLIENT_LIST, then every client's "
                       f"requests pipelined): cenum/floor = {value:.2f} "
                       f"(target <= 1.3): "
                       f"{'met' if value <= 1.3 else 'MISSED'}.")
    # Printers: no slower than lpstat -p at every N.
    for case in sorted({r.case for r in results if r.kind == "printers"},
                       key=lambda c: int(c.split("=")[1])):
        ce = find(results, "printers", case, "cenum printers --json")
        other = find(results, "printers", case, "lpstat -p")
        if ok(ce) and ok(other):
            value = ce.median() / other.median()
            out.append(f"- Printers, {case}, vs `lpstat -p`: cenum/other = "
                       f"{value:.2f} (target <= 1): "
                       f"{'met' if value <= 1 else 'MISSED'}.")
        # Issue 17: within 1.3x of one cupsDoRequest.
        for level, tool in (("command", "cenum printers --json"),
                            ("in-process", "ce_enum_printers")):
            ce = find(results, "printers", case, tool)
            floor = [r for r in results if r.kind == "printers"
                     and r.case == case and r.level == level and r.floor]
            if ok(ce) and floor and ok(floor[0]):
                value = ce.median() / floor[0].median()
                out.append(f"- Printers, {case}, {level}, vs the floor (one "
                           f"CUPS-Get-Printers through cupsDoRequest): "
                           f"cenum/floor = {value:.2f} (target <= 1.3): "
                           f"{'met' if value <= 1.3 else 'MISSED'}.")
    # Fonts: within 10% of fc-list; in-process no slower than FcFontList.
    for case in [c for c in dict.fromkeys(r.case for r in results
                                          if r.kind == "fonts")]:
        ce = find(results, "fonts", case, "cenum fonts --json")
        other = find(results, "fonts", case, "fc-list (same fields)")
        if ok(ce) and ok(other):
            value = ce.median() / other.median()
            out.append(f"- Fonts, {case}, vs `fc-list`: cenum/other = "
                       f"{value:.2f} (target <= 1.10): "
                       f"{'met' if value <= 1.10 else 'MISSED'}.")
        ce = find(results, "fonts", case, "ce_enum_fonts")
        other = find(results, "fonts", case, "FcFontList")
        if ok(ce) and ok(other):
            value = ce.median() / other.median()
            out.append(f"- Fonts in-process, {case}, vs `FcFontList`: "
                       f"cenum/other = {value:.2f} (target <= 1): "
                       f"{'met' if value <= 1 else 'MISSED'}.")
    return "\n".join(out) + "\n" if out else ""


def memory_growth(results):
    """Peak RSS growth per record of cenum between the smallest and the
    largest size, which should stay flat (one stage of replies at a time)."""
    out = []
    for kind, tool, prefix in (("windows", "cenum windows --json", "direct"),
                               ("windows", "ce_enum_windows", "direct"),
                               ("printers", "cenum printers --json", "N="),
                               ("printers", "ce_enum_printers", "N=")):
        rows = [r for r in results if r.kind == kind and r.tool == tool
                and r.case.startswith(prefix) and ok(r) and r.records]
        if len(rows) < 2:
            continue
        small = min(rows, key=lambda r: r.records)
        big = max(rows, key=lambda r: r.records)
        if big.records == small.records:
            continue
        per = (big.rss_kib - small.rss_kib) * 1024 / (big.records
                                                      - small.records)
        out.append(f"- `{tool}`: peak RSS {small.rss_kib} KiB at "
                   f"{small.records} records, {big.rss_kib} KiB at "
                   f"{big.records}: {per:.0f} bytes per extra record.")
    return "\n".join(out) + "\n" if out else ""


def first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (r.stdout or r.stderr).strip().split("\n")[0]
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    debian = "?"
    if os.path.exists("/etc/debian_version"):
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    commit = first_line(["git", "-C", os.path.dirname(__file__), "describe",
                         "--always", "--dirty"])
    load = os.getloadavg()
    return (f"Machine: {os.cpu_count()} CPUs ({cpu}), "
            f"{mem_kib / 1048576:.1f} GiB RAM, Debian {debian}, Linux "
            f"{platform.release()}; load average before the run "
            f"{load[0]:.2f}.\n"
            f"cenum {commit}; {first_line(['wmctrl', '--version'])} "
            f"(wmctrl); {first_line(['xdotool', '--version'])}; "
            f"{first_line(['fc-list', '--version'])}; "
            f"CUPS {first_line(['cups-config', '--version'])}.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true",
                       help="about a minute (the default)")
    group.add_argument("--full", action="store_true",
                       help="the sizes of issue 6; tens of minutes")
    parser.add_argument("--kinds", default="windows,printers,fonts,wayland")
    parser.add_argument("--out", help="also write the Markdown report here "
                        "(and the raw figures to OUT.json)")
    parser.add_argument("--windows", help="window counts (comma-separated) "
                        "for every windows case, instead of the mode's")
    parser.add_argument("--build", required=True, help="the build directory")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (logs, configs)")
    args = parser.parse_args()
    mode_name = "full" if args.full else "quick"
    mode = dict(MODES[mode_name])
    if args.windows:
        sizes = [int(n) for n in args.windows.split(",")]
        mode.update(windows=sizes, proxy=sizes, nowm=sizes)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    for kind in kinds:
        if kind not in ("windows", "printers", "fonts", "wayland"):
            parser.error(f"unknown kind {kind!r}")

    global RUNCMD
    RUNCMD = os.path.join(args.build, "bench", "bench_runcmd")
    bench = Bench(args, mode)
    header = machine()
    started = time.monotonic()
    interrupted = False
    try:
        for kind in kinds:
            try:
                getattr(bench, kind)()
            except RuntimeError as e:
                log(f"{kind}: {e}")
                r = Result(kind, "setup", "–", kind, "")
                r.error = str(e)
                bench.results.append(r)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bench.servers.stop_all()
        if not args.keep:
            shutil.rmtree(bench.workdir, ignore_errors=True)
        else:
            log(f"work directory kept: {bench.workdir}")

    total = time.monotonic() - started
    report = [f"## Benchmark ({mode_name} mode, "
              f"{time.strftime('%Y-%m-%d')}, {total:.0f} s)\n", header]
    titles = {"windows": "Windows (Xvfb + openbox)",
              "printers": "Printers (private cupsd)",
              "fonts": "Fonts (fontconfig)",
              "wayland": "Windows on Wayland (headless sway)"}
    notes = {
        "windows": (
            "cenum and the Xlib loop report every child of the root "
            "(openbox's own 11 windows included), wmctrl the clients openbox "
            "manages (at most 1,024: it reads no more of _NET_CLIENT_LIST), "
            "xdotool every window of the tree (openbox wraps each "
            "client in a frame of about 78 windows). Round trips: the median "
            "less the same command's median through the proxy with no delay "
            "(0 ms rows), over 5 ms; \"≤\" where there is no such row, "
            "\">\" where the run hit its time cap and was killed. "
            "The floors (bench/floor_windows.c): \"pipelined XCB\" reads "
            "every root child's attributes, geometry and ten properties, "
            "all requests sent before the first reply is read (under a "
            "window manager those are the frames', so it does less than "
            "any program that reports the clients); \"clients' requests "
            "pipelined\" reads the root's _NET_CLIENT_LIST with every root "
            "child's attributes and geometry and every client's pid (one "
            "X-Resource request), then every listed client's parent, "
            "attributes and the seven properties the records need (nine "
            "through the proxy, where the server's pids are not ours), "
            "pipelined: the least a program that reports the clients must "
            "ask.\n"),
        "printers": (
            "Raw queues written into printers.conf, the first the default. "
            "`lpstat -p` and `-l` make one CUPS-Get-Printers request; "
            "cupsGetDests2 is the libcups call most programs use. The floor "
            "(bench/floor_printers.c) is one CUPS-Get-Printers request for "
            "the same 11 attributes through libcups' cupsDoRequest on a "
            "connection of its own, each attribute read once; as a command "
            "it prints one unescaped line per queue.\n"),
        "wayland": (
            "N floating toplevels of one GTK 3 client. cenum binds "
            "zwlr_foreign_toplevel_manager_v1 and asks sway's IPC for "
            "get_tree (pid and frame), so it does what swaymsg does and "
            "more.\n"),
        "fonts": (
            "fc-list prints the fields cenum's JSON has (the same FcObjectSet)"
            "; \"DejaVu only\" is a private configuration with one "
            "directory.\n"),
    }
    report.append("\n\"command\": a whole process, timed from spawn to exit"
                  ", output to /dev/null. \"in-process\": one call in a "
                  "process that made one call before (libraries loaded). "
                  "Ratios are of medians; below 1 means cenum is faster; "
                  "\"< x\" means the other hit its time cap.\n")
    for kind in kinds:
        text = table(bench.results, kind)
        if text:
            report.append(f"\n### {titles[kind]}\n\n{text}\n{notes[kind]}")
    if bench.requests:
        lines = ["| N | Method | X requests per enumeration |", "|---|---|---|"]
        for n, method, count in bench.requests:
            lines.append(f"| {n} | {method} | {count} |")
        report.append("\n### X requests (direct, counted from sequence "
                      "numbers)\n\n" + "\n".join(lines) + "\n")
    growth = memory_growth(bench.results)
    if growth:
        report.append("\n### Memory per record\n\n" + growth)
    judged = targets(bench.results, mode)
    if judged:
        report.append("\n### Targets of issues 6 and 17\n\n" + judged)
    text = "".join(report)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
        with open(args.out + ".json", "w") as f:
            json.dump([r.as_dict() for r in bench.results], f, indent=1)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
