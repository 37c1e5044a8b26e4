# SPDX-License-Identifier: MIT
"""Prints what libwnck (the library behind the Xfce and MATE task lists)
says about every window it lists on $DISPLAY, one JSON object a line:
{"xid", "skip_tasklist", "minimized", "transient"}.

Run with a Python that has python3-gi and gir1.2-wnck-3.0 (Debian's
/usr/bin/python3).
"""
import json
import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Wnck", "3.0")
from gi.repository import Gdk, Wnck  # noqa: E402


def main():
    Gdk.init([])
    screen = Wnck.Screen.get_default()
    if screen is None:
        print("libwnck: no screen", file=sys.stderr)
        sys.exit(1)
    screen.force_update()
    for w in screen.get_windows():
        transient = w.get_transient()
        print(json.dumps({
            "xid": w.get_xid(),
            "skip_tasklist": bool(w.is_skip_tasklist()),
            "minimized": bool(w.is_minimized()),
            "transient": transient.get_xid() if transient else 0,
        }))


if __name__ == "__main__":
    main()
