# SPDX-License-Identifier: MIT
"""Hostile X servers for the X11 robustness tests: each listens on 127.0.0.1
port 6000+D (so DISPLAY=127.0.0.1:D reaches it), prints D on a line of its
own once it listens, and ends by itself after --life seconds (every loop is
bounded in count and time).

usage: xhostile.py MODE [--to SOCKET] [--life S] [--after N]

MODE is one of
  silent            accept connections, read what comes, never answer
  slam              accept connections and close them at once, before
                    reading anything
  close-setup       forward to the real server at SOCKET (a Unix socket,
                    such as /tmp/.X11-unix/X5) and close the connection right
                    after the server's connection setup reply
  close-freegc      forward, and close when the client sends FreeGC (core
                    opcode 60), which XCloseDisplay sends
  close-after       forward the setup and the first N (--after) requests,
                    then close the connection
  stall             forward the setup and the first N (--after) requests,
                    then stop reading from the client and stop answering,
                    as a server grabbed by another client does
"""
import os
import select
import socket
import struct
import sys
import time

FREE_GC = 60


def listen():
    for display in range(150, 250):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # A small receive buffer (inherited by accepted connections), so a
        # stalled connection fills up after little data, as a remote
        # server's would, rather than after the megabytes loopback allows.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            s.bind(("127.0.0.1", 6000 + display))
        except OSError:
            s.close()
            continue
        s.listen(16)
        return s, display
    sys.exit("xhostile: no free port from 6150 to 6249")


class Requests:
    """Splits the client's byte stream into the setup request and then
    whole requests, to tell each request's opcode."""

    def __init__(self):
        self.buf = b""
        self.setup_done = False
        self.count = 0  # whole requests seen after the setup

    def feed(self, data):
        """Returns the opcodes of the requests completed by `data`."""
        self.buf += data
        opcodes = []
        while True:
            if not self.setup_done:
                if len(self.buf) < 12:
                    break
                order = "<" if self.buf[0:1] == b"l" else ">"
                name_len, data_len = struct.unpack(order + "HH",
                                                   self.buf[6:10])
                need = 12 + (name_len + 3) // 4 * 4 + (data_len + 3) // 4 * 4
                if len(self.buf) < need:
                    break
                self.order = order
                self.buf = self.buf[need:]
                self.setup_done = True
                continue
            if len(self.buf) < 4:
                break
            length = struct.unpack(self.order + "H", self.buf[2:4])[0] * 4
            if length == 0:  # BIG-REQUESTS: the length follows, in words
                if len(self.buf) < 8:
                    break
                length = struct.unpack(self.order + "I", self.buf[4:8])[0] * 4
            if len(self.buf) < length:
                break
            opcodes.append(self.buf[0])
            self.buf = self.buf[length:]
            self.count += 1
        return opcodes


def serve(mode, target, life, after):
    server, display = listen()
    print(display, flush=True)
    end = time.monotonic() + life
    # Each pair: [client, upstream or None, Requests, setup reply seen,
    # stalled].
    pairs = []
    while time.monotonic() < end:
        fds = [server] + [p[0] for p in pairs if not p[4]]
        fds += [p[1] for p in pairs if p[1] is not None and not p[4]]
        ready, _, _ = select.select(fds, [], [], 0.05)
        for fd in ready:
            if fd is server:
                client, _ = server.accept()
                if mode == "slam":
                    # SO_LINGER 0: the close resets the connection, so the
                    # client's next write fails (EPIPE, and SIGPIPE).
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
                    client.close()
                    continue
                upstream = None
                if mode != "silent":
                    upstream = socket.socket(socket.AF_UNIX,
                                             socket.SOCK_STREAM)
                    upstream.connect(target)
                pairs.append([client, upstream, Requests(), False, False])
                continue
            for p in list(pairs):
                client, upstream, requests = p[0], p[1], p[2]
                if fd is client:
                    data = client.recv(65536)
                    if not data:
                        close(pairs, p)
                        break
                    if upstream is None:
                        break  # silent: swallow it
                    opcodes = requests.feed(data)
                    if mode == "close-freegc" and FREE_GC in opcodes:
                        close(pairs, p)
                        break
                    if mode == "close-after" and requests.count >= after:
                        close(pairs, p)
                        break
                    upstream.sendall(data)
                    if mode == "stall" and requests.count >= after:
                        p[4] = True  # read no more from either side
                    break
                if fd is upstream:
                    data = upstream.recv(65536)
                    if not data:
                        close(pairs, p)
                        break
                    client.sendall(data)
                    if mode == "close-setup" and not p[3]:
                        p[3] = True
                        close(pairs, p)
                    break
    for p in list(pairs):
        close(pairs, p)


def close(pairs, pair):
    for s in pair[:2]:
        if s is not None:
            s.close()
    pairs.remove(pair)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    mode, target, life, after = args[0], None, 20.0, 0
    i = 1
    while i < len(args):
        if args[i] == "--to":
            target = args[i + 1]
        elif args[i] == "--life":
            life = float(args[i + 1])
        elif args[i] == "--after":
            after = int(args[i + 1])
        else:
            sys.exit("xhostile: unknown argument %r" % args[i])
        i += 2
    if mode not in ("silent", "slam", "close-setup", "close-freegc", "close-after",
                    "stall"):
        sys.exit("xhostile: unknown mode %r" % mode)
    if mode not in ("silent", "slam") and target is None:
        sys.exit("xhostile: %s needs --to SOCKET" % mode)
    serve(mode, target, life, after)


if __name__ == "__main__":
    main()
