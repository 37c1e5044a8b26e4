# SPDX-License-Identifier: MIT
"""N toplevels from one Wayland client (GTK 3, GDK_BACKEND=wayland), for the
Wayland benchmark.

usage: wayland_windows.py N

Prints "ready" once all N windows are mapped; runs until terminated.
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402


def main():
    n = int(sys.argv[1])
    GLib.set_prgname("org.cenum.bench")
    mapped = [0]

    def on_map(widget, event):
        mapped[0] += 1
        if mapped[0] == n:
            print("ready", flush=True)
        return False

    for i in range(n):
        w = Gtk.Window(title="bench window %d" % i)
        w.set_default_size(64, 48)
        w.connect("map-event", on_map)
        w.show()
    Gtk.main()


if __name__ == "__main__":
    main()
