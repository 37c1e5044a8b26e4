# SPDX-License-Identifier: MIT
"""A GTK 3 window for the Wayland tests: a real toolkit client, on Wayland
or (with GDK_BACKEND=x11) on Xwayland.

usage: gtk_window.py APP_ID TITLE [DIALOG_TITLE]

Shows a window titled TITLE whose app_id (on X11, WM_CLASS) is APP_ID, and
with DIALOG_TITLE a dialog transient for it; prints "ready" once they are
mapped and exits when stdin closes.
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402


def main():
    app_id, title = sys.argv[1], sys.argv[2]
    GLib.set_prgname(app_id)
    window = Gtk.Window(title=title)
    window.set_default_size(300, 200)
    window.connect("destroy", Gtk.main_quit)
    shown = [window]
    if len(sys.argv) > 3:
        dialog = Gtk.Window(title=sys.argv[3])
        dialog.set_transient_for(window)
        dialog.set_default_size(200, 100)
        shown.append(dialog)
    mapped = set()

    def on_map(widget, event):
        mapped.add(widget)
        if len(mapped) == len(shown):
            print("ready", flush=True)
        return False

    for w in shown:
        w.connect("map-event", on_map)
    window.show_all()
    if len(shown) > 1:
        GLib.timeout_add(200, lambda: shown[1].show_all() and False)

    def on_stdin(channel, condition):
        Gtk.main_quit()
        return False

    GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin)
    Gtk.main()


if __name__ == "__main__":
    main()
