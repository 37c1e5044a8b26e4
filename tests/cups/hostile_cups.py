#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile print servers for test_printers: each mode listens on DIR/MODE.sock
(and "ok" also on 127.0.0.1, its port in DIR/tcp.port), reads one HTTP
request per connection and answers it the way its name says. DIR/ready
appears once every socket listens. Every loop is bounded in count and time:
a socket accepts at most MAX_CONNECTIONS, each served for at most
CONNECTION_S seconds, and the whole server exits after LIFETIME_S seconds,
when the test that started it is gone, or when it kills it.

    hostile_cups.py DIR
"""
import gzip
import os
import socket
import struct
import sys
import threading
import time

LIFETIME_S = 600
CONNECTION_S = 20.0
MAX_CONNECTIONS = 1000  # per socket


# ------------------------------------------------------------------ IPP --

def value(tag, name, data):
    if isinstance(data, str):
        data = data.encode()
    return (bytes([tag]) + struct.pack(">H", len(name)) + name.encode() +
            struct.pack(">H", len(data)) + data)


def text(tag, name, data):
    return value(tag, name, data)


def enum(name, number):
    return value(0x23, name, struct.pack(">i", number))


def boolean(name, truth):
    return value(0x22, name, bytes([1 if truth else 0]))


def printer(name, reasons=("none",)):
    out = [bytes([0x04]),
           text(0x42, "printer-name", name),
           text(0x41, "printer-info", f"Info of {name}"),
           text(0x41, "printer-location", f"Room of {name}"),
           text(0x41, "printer-make-and-model", "Hostile Model 1"),
           text(0x45, "device-uri", "file:///dev/null"),
           enum("printer-state", 3),
           text(0x41, "printer-state-message", "")]
    for i, reason in enumerate(reasons):
        out.append(text(0x44, "" if i else "printer-state-reasons", reason))
    out += [boolean("printer-is-accepting-jobs", True),
            boolean("printer-is-shared", False),
            enum("printer-type", 4)]
    return b"".join(out)


def answer(printers):
    return b"".join([struct.pack(">HHI", 0x0200, 0x0000, 1), bytes([0x01]),
                     text(0x47, "attributes-charset", "utf-8"),
                     text(0x48, "attributes-natural-language", "en")] +
                    printers + [bytes([0x03])])


OK_BODY = answer([printer("alpha"), printer("beta", ("paused",)),
                  printer("gamma", ("toner-low", "door-open"))])


# ----------------------------------------------------------------- HTTP --

def read_request(conn):
    """The request's header and Content-Length bytes of body; False when the
    client went away first."""
    data = b""
    deadline = time.monotonic() + 5
    while b"\r\n\r\n" not in data and len(data) < 65536:
        if time.monotonic() > deadline:
            return False
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, val = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(val.strip())
    while len(rest) < length and time.monotonic() < deadline:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        rest += chunk
    return True


def response(body, extra=b"", status=b"200 OK"):
    return (b"HTTP/1.1 " + status + b"\r\nContent-Type: application/ipp\r\n"
            + extra + b"Content-Length: " + str(len(body)).encode() +
            b"\r\n\r\n" + body)


def chunked(body, sizes):
    out, at, i = [], 0, 0
    while at < len(body):
        n = sizes[i % len(sizes)]
        i += 1
        piece = body[at:at + n]
        at += n
        out.append(b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n")
    return b"".join(out) + b"0\r\nX-Trailer: yes\r\n\r\n"


def dribble(conn, data, interval, until):
    """Sends `data` one byte per `interval` seconds, until the deadline."""
    for i in range(len(data)):
        if time.monotonic() > until:
            return
        conn.sendall(data[i:i + 1])
        time.sleep(interval)


def repeat(conn, piece, interval, until, limit):
    """Sends `piece` again and again, at most `limit` times or until the
    deadline."""
    for _ in range(limit):
        if time.monotonic() > until:
            return
        conn.sendall(piece)
        if interval:
            time.sleep(interval)


def hold(until):
    while time.monotonic() < until:
        time.sleep(0.05)


def serve_one(mode, conn):
    until = time.monotonic() + CONNECTION_S
    if not read_request(conn):
        return
    if mode == "ok":
        conn.sendall(response(OK_BODY))
    elif mode == "chunked":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" +
                     chunked(OK_BODY, [1, 7, 300, 2, 4096]))
    elif mode == "toclose":
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ipp\r\n"
                     b"\r\n" + OK_BODY)
    elif mode == "headers":
        # Header lines every 10 ms, never the blank line.
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        repeat(conn, b"X-Filler: more\r\n", 0.01, until, 100000)
    elif mode == "link":
        # Long Link: headers as fast as the client takes them.
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        repeat(conn, b"Link: <http://example.invalid/" + b"a" * 4000 +
               b">\r\n", 0, until, 1000000)
    elif mode == "trickle30":
        dribble(conn, response(OK_BODY), 0.03, until)
    elif mode == "trickle100":
        dribble(conn, response(OK_BODY), 0.1, until)
    elif mode == "continue":
        repeat(conn, b"HTTP/1.1 100 Continue\r\n\r\n", 0.005, until, 100000)
    elif mode == "upgrade":
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.2,"
                     b" HTTP/1.1\r\nConnection: Upgrade\r\n\r\n")
        hold(until)
    elif mode.startswith("http"):
        status = {"http401": b"401 Unauthorized", "http403": b"403 Forbidden",
                  "http426": b"426 Upgrade Required",
                  "http301": b"301 Moved Permanently",
                  "http500": b"500 Internal Server Error"}[mode]
        conn.sendall(response(b"", b"Location: http://example.invalid/\r\n"
                              b"Upgrade: TLS/1.2, HTTP/1.1\r\n", status))
    elif mode == "gzip":
        # Many tiny printers, compressed: a small body that inflates far.
        body = answer([printer(f"p{i}") for i in range(20000)])
        conn.sendall(response(gzip.compress(body),
                              b"Content-Encoding: gzip\r\n"))
    elif mode == "cut":
        whole = response(OK_BODY)
        conn.sendall(whole[:len(whole) - len(OK_BODY) // 2])
    elif mode == "huge":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
                     b"Content-Length: 1073741824\r\n\r\n" + OK_BODY[:-1])
    elif mode == "cutchunk":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" +
                     b"%x\r\n" % (len(OK_BODY) + 1000) + OK_BODY)
    elif mode == "absurdchunk":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n"
                     b"ffffffffffffffffffffffff\r\n" + OK_BODY)
        hold(until)
    elif mode == "tiny":
        # 1.3 million one-byte attributes in 9 MB: libcups would build some
        # 300 MB of them.
        tiny = [printer("tiny"), text(0x41, "a", "x") * 1300000]
        conn.sendall(response(answer(tiny)))
    elif mode == "reasons":
        # One printer with 20,000 reasons of 1,000 bytes each.
        reasons = [f"reason-{i:05d}-" + "r" * 987 for i in range(20000)]
        conn.sendall(response(answer([printer("many", reasons)])))
    else:
        raise SystemExit(f"unknown mode {mode}")


def serve(mode, listener):
    for _ in range(MAX_CONNECTIONS):
        conn, _ = listener.accept()
        threading.Thread(target=serve_conn, args=(mode, conn),
                         daemon=True).start()


def serve_conn(mode, conn):
    try:
        serve_one(mode, conn)
    except OSError:
        pass  # the client went away: that is what it may do
    finally:
        conn.close()


MODES = ["ok", "chunked", "toclose", "headers", "link", "trickle30",
         "trickle100", "continue", "upgrade", "http401", "http403", "http426",
         "http301", "http500", "gzip", "cut", "huge", "cutchunk",
         "absurdchunk", "reasons", "tiny"]


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    for mode in MODES:
        path = os.path.join(directory, mode + ".sock")
        if os.path.exists(path):
            os.unlink(path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(16)
        threading.Thread(target=serve, args=(mode, listener),
                         daemon=True).start()
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    threading.Thread(target=serve, args=("ok", tcp), daemon=True).start()
    with open(os.path.join(directory, "tcp.port"), "w") as f:
        f.write(str(tcp.getsockname()[1]))
    with open(os.path.join(directory, "ready"), "w") as f:
        f.write("ready\n")
    # Until the lifetime is over, or the test that started it is gone.
    parent = os.getppid()
    until = time.monotonic() + LIFETIME_S
    while time.monotonic() < until and os.getppid() == parent:
        time.sleep(0.2)


if __name__ == "__main__":
    main()
