# SPDX-License-Identifier: MIT
"""The Python binding against the Xvfb of an X11 fixture (with or without
openbox): the helper's windows exactly as `cenum windows --json` reports
them, the filters, the `fields` mask, early stop, an exception inside the
callback, and Unavailable without a display.
"""
import os
import threading
import time
import unittest

import bindings_common as common
import cenum
from cenum import _native

WM = os.environ.get("CENUM_TEST_X11_WM") == "1"


class Windows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.display = common.x11_display()
        os.environ["DISPLAY"] = cls.display
        cls.helper = common.Helper(cls.display)

    @classmethod
    def tearDownClass(cls):
        cls.helper.stop()

    def mine(self, records):
        return [w for w in records if w.pid == self.helper.pid]

    def test_equal_to_the_command(self):
        # Nothing else changes the display meanwhile (the tests take its
        # lock), so both list the same windows in the same order.
        ours, theirs = common.settled(
            lambda: [w.to_json() for w in cenum.windows()],
            lambda: common.command_json("windows"))
        self.assertEqual(ours, theirs)
        self.assertGreaterEqual(
            len([w for w in ours if w["pid"] == self.helper.pid]), 14)

    def test_the_main_window(self):
        main = [w for w in cenum.windows() if w.title == common.MAIN_TITLE]
        self.assertEqual(len(main), 1)
        w = main[0]
        self.assertEqual((w.class_name, w.instance, w.pid),
                         ("CenumMain", "cenum-main", self.helper.pid))
        self.assertEqual(w.exe, os.path.realpath(
            os.environ["CENUM_TEST_X11_HELPER"]))
        self.assertEqual((w.visible, w.minimized, w.managed),
                         (True, False, WM))
        self.assertEqual(w.transient_for, 0)
        if not WM:
            self.assertEqual((w.x, w.y, w.width, w.height), (10, 20, 200, 150))
            self.assertIsNone(w.desktop)
        self.assertIsInstance(w.id, int)
        self.assertGreater(w.id, 0)

    def test_filters(self):
        visible = cenum.windows(visible=True)
        self.assertTrue(visible and all(w.visible for w in visible))
        self.assertNotIn("cenum unmapped", [w.title for w in visible])
        self.assertEqual(*common.settled(
            lambda: [w.to_json() for w in cenum.windows(visible=True)],
            lambda: common.command_json("windows", "--visible")))
        apps = cenum.windows(apps=True)
        self.assertEqual(common.MAIN_TITLE in [w.title for w in apps], WM)
        self.assertEqual(*common.settled(
            lambda: [w.to_json() for w in cenum.windows(apps=True)],
            lambda: common.command_json("windows", "--apps")))
        self.assertEqual(*common.settled(
            lambda: [w.to_json() for w in cenum.windows(backend="x11")],
            lambda: common.command_json("windows", "--backend", "x11")))
        # A backend a Linux build never has.
        with self.assertRaises(cenum.Unsupported) as caught:
            cenum.windows(backend="win32")
        self.assertEqual(caught.exception.name, "CE_E_UNSUPPORTED")
        self.assertEqual(common.command("windows", "--backend", "win32")
                         .returncode, 1)

    # What each field reads as when it is not asked for (ce_window_query.
    # fields), and the Window attributes each WindowField carries.
    UNKNOWN = {"title": "", "class_name": "", "instance": "", "pid": None,
               "exe": "", "x": 0, "y": 0, "width": 0, "height": 0,
               "desktop": None, "visible": False, "minimized": False,
               "managed": False, "transient_for": 0, "focused": False}
    CARRIES = {cenum.WindowField.TITLE: ("title",),
               cenum.WindowField.CLASS: ("class_name", "instance"),
               cenum.WindowField.PID: ("pid", "exe"),
               cenum.WindowField.GEOMETRY: ("x", "y", "width", "height"),
               cenum.WindowField.DESKTOP: ("desktop",),
               cenum.WindowField.VISIBLE: ("visible",),
               cenum.WindowField.MINIMIZED: ("minimized",),
               cenum.WindowField.MANAGED: ("managed",),
               cenum.WindowField.TRANSIENT_FOR: ("transient_for",),
               cenum.WindowField.FOCUSED: ("focused",)}

    def test_fields(self):
        # Each field alone, a switcher's first paint, and the C test's
        # other mask: the fields asked for equal the full enumeration's,
        # window by window; the others read as unknown.
        F = cenum.WindowField
        masks = list(self.CARRIES) + [F.TITLE | F.CLASS,
                                      F.PID | F.GEOMETRY | F.MINIMIZED
                                      | F.VISIBLE]
        self.assertEqual(set(self.UNKNOWN),
                         {n for names in self.CARRIES.values()
                          for n in names})
        for mask in masks:
            asked = [n for f, names in self.CARRIES.items() if f & mask
                     for n in names]

            def project(records, names=asked):
                return [(w.id, tuple(getattr(w, n) for n in names))
                        for w in records]
            masked, full = common.settled(
                lambda: project(cenum.windows(fields=mask)),
                lambda: project(cenum.windows()))
            self.assertEqual(masked, full, mask)
            records = cenum.windows(fields=mask)
            self.assertGreaterEqual(len(records), 14)
            for w in records:
                for name, unknown in self.UNKNOWN.items():
                    if name not in asked:
                        self.assertEqual(getattr(w, name), unknown,
                                         (mask, name, w))
        # The helper's own window, by what was asked.
        main = [w for w in cenum.windows(fields=F.TITLE | F.PID)
                if w.title == common.MAIN_TITLE]
        self.assertEqual(len(main), 1)
        self.assertEqual((main[0].pid, main[0].class_name),
                         (self.helper.pid, ""))

        # Attribute names say the same as the flags; the other forms agree.
        self.assertEqual(*common.settled(
            lambda: cenum.windows(fields={"title", "instance"}),
            lambda: cenum.windows(fields=F.TITLE | F.CLASS)))
        self.assertEqual(*common.settled(
            lambda: [w for w in cenum.iter_windows(fields=["x", "pid"])],
            lambda: cenum.windows(fields=F.GEOMETRY | F.PID)))
        seen = []
        self.assertTrue(cenum.enum_windows(seen.append, fields=F.TITLE))
        self.assertTrue(seen and all(w.pid is None for w in seen))

        for bad, error in (({"title", "nosuch"}, ValueError),
                           ({"id"}, ValueError), (set(), ValueError),
                           (F(0), ValueError), ("title", TypeError),
                           (3, TypeError)):
            with self.assertRaises(error, msg=repr(bad)):
                cenum.windows(fields=bad)

    def test_stop_and_exceptions(self):
        seen = []
        self.assertFalse(cenum.enum_windows(lambda w: seen.append(w) or False))
        self.assertEqual(len(seen), 1)

        def callback(w):
            raise KeyboardInterrupt  # even this one is caught and re-raised
        with self.assertRaises(KeyboardInterrupt):
            cenum.enum_windows(callback)

        before = threading.active_count()
        with cenum.iter_windows() as it:
            first = next(it)
        self.assertEqual(it.status, _native.CE_STOPPED)
        self.assertEqual(threading.active_count(), before)
        self.assertEqual(first, cenum.windows()[0])

    def test_grabbed_display(self):
        # A display grabbed by another client does not even answer the
        # connection setup: Timeout at the timeout, and a Cancel set from
        # another thread ends a long wait at once.
        self.helper.command("grab")
        try:
            start = time.monotonic()
            with self.assertRaises(cenum.Timeout) as caught:
                cenum.windows(timeout=0.3)
            self.assertLess(time.monotonic() - start, 0.3 + 2.5)
            self.assertIn("X11", caught.exception.detail)
            flag = cenum.Cancel()
            threading.Timer(0.2, flag.set).start()
            start = time.monotonic()
            with self.assertRaises(cenum.Cancelled):
                cenum.windows(timeout=20, cancel=flag)
            self.assertLess(time.monotonic() - start, 0.2 + 2.5)
        finally:
            self.helper.command("ungrab")
        self.assertTrue(cenum.windows())

    def test_no_display(self):
        try:
            os.environ["DISPLAY"] = ":999"
            with self.assertRaises(cenum.Unavailable) as caught:
                cenum.windows()
            e = caught.exception
            self.assertIn('":999"', str(e))
            self.assertEqual((e.status, e.name), (-3, "CE_E_UNAVAILABLE"))
            self.assertEqual(e.detail, str(e))
            # The iterator raises it after the (no) records before it.
            with self.assertRaises(cenum.Unavailable):
                list(cenum.iter_windows())
            del os.environ["DISPLAY"]
            with self.assertRaises(cenum.Unavailable) as caught:
                cenum.windows(timeout=1)
            self.assertIn("DISPLAY", str(caught.exception))
        finally:
            os.environ["DISPLAY"] = self.display


if __name__ == "__main__":
    common.main()
