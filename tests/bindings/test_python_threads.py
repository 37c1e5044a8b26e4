# SPDX-License-Identifier: MIT
"""8 Python threads enumerating windows, printers and fonts at once, each
through all three forms (list, callback, iterator), against the x11
fixture's Xvfb (with the helper's windows), cupsd_main and the private
fontconfig: every call succeeds with the same records as a call alone.
"""
import os
import threading
import unittest

import bindings_common as common
import cenum

THREADS = 8
ROUNDS = 5


class Threads(unittest.TestCase):
    def test_eight_threads_at_once(self):
        os.environ["DISPLAY"] = common.x11_display()
        os.environ["CUPS_SERVER"] = common.cups_socket("main")
        helper = common.Helper(os.environ["DISPLAY"])
        try:
            expected = {"windows": cenum.windows(),
                        "printers": cenum.printers(),
                        "fonts": cenum.fonts()}
            for kind, records in expected.items():
                self.assertTrue(records, kind)
            forms = {
                "windows": (cenum.windows, cenum.enum_windows,
                            cenum.iter_windows),
                "printers": (cenum.printers, cenum.enum_printers,
                             cenum.iter_printers),
                "fonts": (cenum.fonts, cenum.enum_fonts, cenum.iter_fonts),
            }
            failures = []
            start = threading.Barrier(THREADS)

            def worker(n):
                start.wait()
                try:
                    for r in range(ROUNDS):
                        for kind, (listing, callback, iterate) in \
                                forms.items():
                            got = []
                            form = (n + r) % 3
                            if form == 0:
                                got = listing()
                            elif form == 1:
                                self.assertTrue(callback(got.append))
                            else:
                                got = list(iterate())
                            if got != expected[kind]:
                                failures.append("thread %d %s form %d: %d "
                                                "records, %d expected"
                                                % (n, kind, form, len(got),
                                                   len(expected[kind])))
                except BaseException as e:
                    failures.append("thread %d: %r" % (n, e))

            threads = [threading.Thread(target=worker, args=(n,))
                       for n in range(THREADS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=300)
                self.assertFalse(t.is_alive())
            self.assertEqual(failures, [])
        finally:
            helper.stop()


if __name__ == "__main__":
    common.main()
