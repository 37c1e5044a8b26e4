# SPDX-License-Identifier: MIT
"""The Python binding against the private cupsd fixtures: the queues of
cupsd_main exactly as `cenum printers --json` reports them, early stop, and
the error classes for a refused server (nobody listens), a hung one (a
timeout) and one that answers with an error (cupsd_denied).
"""
import os
import threading
import time
import unittest

import bindings_common as common
import cenum
from cenum import _native


def printers_of(server, **query):
    """printers() of `server`, on a thread that has not read CUPS_SERVER."""
    os.environ["CUPS_SERVER"] = server
    return common.in_new_thread(lambda: cenum.printers(**query))


class Printers(unittest.TestCase):
    def test_equal_to_the_command(self):
        main = common.cups_socket("main")
        queues = printers_of(main)
        self.assertEqual([p.to_json() for p in queues],
                         common.command_json("printers",
                                             env=dict(os.environ,
                                                      CUPS_SERVER=main)))
        by_name = {p.name: p for p in queues}
        self.assertEqual(sorted(by_name), ["office", "plain", "rejecting",
                                           "shared", "stopped"])
        office = by_name["office"]
        self.assertEqual((office.info, office.location, office.make_model,
                          office.uri, office.default, office.discovered,
                          office.instance),
                         ("Büro — 3. Stock", "Gebäude B, Raum 3.14",
                          "Acme Laser 9000", "file:///dev/null", True, False,
                          ""))
        stopped = by_name["stopped"]
        self.assertEqual((stopped.state, stopped.state_message,
                          stopped.state_reasons),
                         (cenum.PrinterState.STOPPED, "Out of paper",
                          ("paused",)))
        self.assertFalse(by_name["rejecting"].accepting)
        self.assertEqual(by_name["rejecting"].state, "idle")
        self.assertTrue(by_name["shared"].shared)
        self.assertFalse(by_name["plain"].shared)
        self.assertEqual(sum(p.default for p in queues), 1)

    def test_stop(self):
        os.environ["CUPS_SERVER"] = common.cups_socket("main")

        def run():
            seen = []
            stopped = not cenum.enum_printers(
                lambda p: seen.append(p) or len(seen) < 2)
            it = cenum.iter_printers()
            first = next(it)
            it.close()
            return stopped, len(seen), first, it.status
        stopped, count, first, status = common.in_new_thread(run)
        self.assertEqual((stopped, count, status),
                         (True, 2, _native.CE_STOPPED))
        self.assertIsInstance(first, cenum.Printer)

    def test_refused(self):
        nobody = os.path.join(os.environ["CENUM_TEST_CUPS_DIR"], "fake",
                              "python-nobody.sock")
        os.makedirs(os.path.dirname(nobody), exist_ok=True)
        if os.path.exists(nobody):
            os.unlink(nobody)
        start = time.monotonic()
        with self.assertRaises(cenum.Unavailable) as caught:
            printers_of(nobody)
        self.assertLess(time.monotonic() - start, 2)
        self.assertIn(nobody, caught.exception.detail)
        self.assertTrue(caught.exception.detail.startswith("CUPS: "))

    def test_hung(self):
        hung = common.HungServer(os.path.join(
            os.environ["CENUM_TEST_CUPS_DIR"], "fake", "python-hung.sock"))
        try:
            start = time.monotonic()
            with self.assertRaises(cenum.Timeout) as caught:
                printers_of(hung.path, timeout=0.8)
            elapsed = time.monotonic() - start
        finally:
            hung.close()
        # Room above for a loaded machine, none below: the timeout is kept.
        self.assertGreaterEqual(elapsed, 0.75)
        self.assertLess(elapsed, 0.8 + 2.0)
        self.assertEqual(caught.exception.name, "CE_E_TIMEOUT")
        self.assertTrue(caught.exception.detail.startswith("CUPS: "))

    def test_cancel(self):
        hung = common.HungServer(os.path.join(
            os.environ["CENUM_TEST_CUPS_DIR"], "fake", "python-cancel.sock"))
        try:
            # A flag set from another thread ends a 30 s wait at once.
            flag = cenum.Cancel()
            threading.Timer(0.3, flag.set).start()
            start = time.monotonic()
            with self.assertRaises(cenum.Cancelled):
                printers_of(hung.path, timeout=30, cancel=flag)
            self.assertLess(time.monotonic() - start, 0.3 + 2.0)
            self.assertTrue(flag.is_set())

            # close() while the iterator waits for its first record (here
            # from another thread, the consumer being blocked in next())
            # ends the enumeration too, without an error.
            os.environ["CUPS_SERVER"] = hung.path
            it = cenum.iter_printers(timeout=30)
            threading.Timer(0.3, it.close).start()
            start = time.monotonic()
            self.assertEqual(list(it), [])
            self.assertLess(time.monotonic() - start, 0.3 + 2.0)
            self.assertEqual(it.status, cenum.CE_STOPPED)
        finally:
            hung.close()

    def test_denied(self):
        with self.assertRaises(cenum.Backend) as caught:
            printers_of(common.cups_socket("denied"))
        self.assertIn("HTTP 401 (Unauthorized)", caught.exception.detail)


if __name__ == "__main__":
    common.main()
