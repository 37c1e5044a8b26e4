# SPDX-License-Identifier: MIT
"""The Python binding against the private fontconfig configuration of the
`fontconfig` fixture (six DejaVu faces): every face equal to what `cenum
fonts --json` reports, the filters, early stop, an exception inside the
callback; the ctypes layouts against the C compiler's; the CE_HAS_FIELD
rule on a record an older library would give.
"""
import ctypes
import os
import threading
import unittest

import bindings_common as common
import cenum
from cenum import _native

NATIVE = {"ce_font": _native.Font, "ce_font_query": _native.FontQuery,
          "ce_window": _native.Window, "ce_window_query": _native.WindowQuery,
          "ce_printer": _native.Printer,
          "ce_printer_query": _native.PrinterQuery,
          "ce_backend": _native.Backend}


class Layout(unittest.TestCase):
    def test_every_struct_as_the_compiler_lays_it_out(self):
        c = common.layout()
        self.assertEqual(sorted(c), sorted(NATIVE))
        for name, struct in NATIVE.items():
            ours = {f[0]: [getattr(struct, f[0]).offset,
                           getattr(struct, f[0]).size]
                    for f in struct._fields_}
            self.assertEqual(ours, c[name]["fields"], name)
            self.assertEqual(ctypes.sizeof(struct), c[name]["sizeof"], name)

    def test_a_0_1_record_reads_its_0_2_fields_as_zero(self):
        # A 0.1 library's window: `size` ends before transient_for, and the
        # bytes after it belong to someone else (here 0xAB).
        raw = (ctypes.c_ubyte * ctypes.sizeof(_native.Window))(
            *([0xAB] * ctypes.sizeof(_native.Window)))
        old = _native.Window.transient_for.offset
        header = _native.Window.from_buffer(raw)
        header.size = old
        header.title = header.class_name = header.instance = None
        header.exe = None
        copy = _native.copy_record(_native.Window, ctypes.addressof(raw))
        self.assertEqual(copy.transient_for, 0)
        self.assertFalse(copy.focused)
        self.assertTrue(copy.visible)  # a 0.1 field is read (0xAB: true)
        w = cenum.Window._from_c(copy)
        self.assertEqual((w.transient_for, w.focused, w.title), (0, False, ""))
        # Smaller than the 0.1 fields: not a record to read at all.
        header.size = old - 1
        with self.assertRaises(ValueError):
            _native.copy_record(_native.Window, ctypes.addressof(raw))


class Fonts(unittest.TestCase):
    def test_equal_to_the_command(self):
        faces = cenum.fonts()
        self.assertEqual(len(faces), 6)
        self.assertEqual([f.to_json() for f in faces],
                         common.command_json("fonts"))
        font_dir = os.environ["CENUM_TEST_FONT_DIR"]
        self.assertEqual(sorted(f.path for f in faces),
                         sorted(os.path.join(font_dir, n)
                                for n in os.listdir(font_dir)))
        by_name = {f.postscript_name: f for f in faces}
        mono = by_name["DejaVuSansMono-Bold"]
        self.assertEqual((mono.family, mono.style, mono.weight, mono.width,
                          mono.slant, mono.monospace, mono.scalable,
                          mono.format, mono.index),
                         ("DejaVu Sans Mono", "Bold", 700, 100,
                          cenum.Slant.ROMAN, True, True, "TrueType", 0))
        for f in faces:
            self.assertEqual(f.monospace, "Mono" in f.family, f)
            self.assertTrue(f.scalable, f)
        with self.assertRaises(AttributeError):
            mono.family = "x"  # frozen

    def test_filters(self):
        mono = cenum.fonts(family="dejavu sans mono")
        self.assertEqual(sorted(f.style for f in mono), ["Bold", "Book"])
        self.assertEqual([f.to_json() for f in mono],
                         common.command_json("fonts", "--family",
                                             "dejavu sans mono"))
        self.assertEqual(sorted(f.postscript_name
                                for f in cenum.fonts(monospace=True)),
                         ["DejaVuSansMono", "DejaVuSansMono-Bold"])
        # Passed in as UTF-8 whatever the locale: a name no face has.
        self.assertEqual(cenum.fonts(family="DéjàVu Sans"), [])

    def test_collector_inside_the_callback(self):
        # The C function object the library calls must survive a full
        # collection run from inside its own callback.
        import gc
        seen = []
        self.assertTrue(cenum.enum_fonts(lambda f: seen.append(gc.collect())))
        self.assertEqual(len(seen), 6)

    def test_callback_stops(self):
        seen = []
        self.assertFalse(cenum.enum_fonts(lambda f: seen.append(f) or False))
        self.assertEqual(len(seen), 1)
        seen.clear()
        # None (no return statement) goes on.
        self.assertTrue(cenum.enum_fonts(seen.append, monospace=True))
        self.assertEqual(len(seen), 2)

    def test_exception_in_the_callback_stops_and_is_raised_after(self):
        calls = []

        class Mine(Exception):
            pass

        def callback(face):
            calls.append(face)
            if len(calls) == 2:
                raise Mine("the second face")
        try:
            cenum.enum_fonts(callback)
            self.fail("the exception was lost")
        except Mine as e:
            caught = e
        self.assertEqual(len(calls), 2)  # nothing after the exception
        self.assertEqual(str(caught), "the second face")
        # The traceback still reaches the line that raised it.
        tb = caught.__traceback__
        while tb.tb_next:
            tb = tb.tb_next
        self.assertEqual(tb.tb_frame.f_code.co_name, "callback")
        # The library is fine afterwards.
        self.assertEqual(len(cenum.fonts()), 6)

    def test_iterator_stops_early(self):
        before = threading.active_count()
        it = cenum.iter_fonts()
        first = next(it)
        self.assertIsNone(it.status)  # still running, waiting on us
        # Wait until the thread has made the next record ahead: close()
        # must not let next() hand it out afterwards.
        with it._channel.cond:
            while it._channel.slot is cenum._EMPTY:
                it._channel.cond.wait()
        it.close()
        self.assertEqual(it.status, _native.CE_STOPPED)
        self.assertEqual(threading.active_count(), before)
        self.assertEqual(first, cenum.fonts()[0])
        with self.assertRaises(StopIteration):
            next(it)
        # A `break` inside `with` stops it the same way.
        with cenum.iter_fonts() as it:
            for n, face in enumerate(it):
                if n == 2:
                    break
        self.assertEqual(it.status, _native.CE_STOPPED)
        self.assertEqual(threading.active_count(), before)
        # An iterator dropped half-way stops its thread by itself.
        it = cenum.iter_fonts()
        next(it)
        thread = it._thread
        del it
        thread.join(timeout=30)
        self.assertFalse(thread.is_alive())
        # Through to the end: CE_OK and every face.
        it = cenum.iter_fonts()
        self.assertEqual(list(it), cenum.fonts())
        self.assertEqual(it.status, _native.CE_OK)

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            cenum.fonts(timeout=0)
        with self.assertRaises(ValueError):
            cenum.windows(backend="mir")


class Library(unittest.TestCase):
    def test_version_and_backends(self):
        # The binding says the version of the library it was made with.
        self.assertEqual(cenum.version(), os.environ["CENUM_VERSION"])
        self.assertEqual(cenum.__version__, cenum.version())
        listed = cenum.backends()
        r = common.command("--version")
        lines = r.stdout.decode("utf-8").splitlines()[1:]
        self.assertEqual([(b.kind, b.name) for b in listed],
                         [tuple(line.split()[:2]) for line in lines])
        fonts = [b for b in listed if b.kind == "fonts"]
        self.assertEqual([(b.name, b.available, b.detail) for b in fonts],
                         [("fontconfig", True, "")])

    def test_error_classes(self):
        for cls, status, name in ((cenum.Invalid, -1, "CE_E_INVALID"),
                                  (cenum.Unsupported, -2, "CE_E_UNSUPPORTED"),
                                  (cenum.Unavailable, -3, "CE_E_UNAVAILABLE"),
                                  (cenum.Timeout, -4, "CE_E_TIMEOUT"),
                                  (cenum.Cancelled, -5, "CE_E_CANCELLED"),
                                  (cenum.NoMemory, -6, "CE_E_NOMEM"),
                                  (cenum.Backend, -7, "CE_E_BACKEND")):
            self.assertIs(cenum._ERRORS[status], cls)
            e = cls(status, "")
            self.assertIsInstance(e, cenum.Error)
            self.assertEqual(e.name, name)
        # What the library itself refuses: a query of size 0.
        q = _native.FontQuery()
        q.size = 0
        with self.assertRaises(cenum.Invalid) as caught:
            cenum._enumerate(cenum._lib.ce_enum_fonts_ex, q, _native.Font,
                             cenum.Font, lambda face: True)
        self.assertEqual(caught.exception.status, -1)
        self.assertEqual(str(caught.exception), caught.exception.detail or
                         "invalid argument")


if __name__ == "__main__":
    common.main()
