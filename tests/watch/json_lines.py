# SPDX-License-Identifier: MIT
"""Reading `cenum watch --json` as it runs, for the command's watch tests
(tests/watch/test_cli_watch.py, tests/wayland/test_sway.py)."""

import json
import os
import select
import time


def read_lines(proc, count, timeout=20):
    """The next `count` JSON objects `proc` prints, within `timeout`."""
    records, buffer = [], b""
    deadline = time.monotonic() + timeout
    while len(records) < count and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            records.append(json.loads(line.decode("utf-8"), strict=True))
    return records
