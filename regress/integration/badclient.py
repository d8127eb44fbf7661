#!/usr/bin/python3
"""badclient.py - misbehaving SSH clients for the integration tests (standard library only).

  badclient.py garbage PORT           send garbage instead of a version line
  badclient.py hugelen PORT           a valid version line, then a packet length of 0xfffffff0
  badclient.py version PORT LINE      send LINE (plus CR LF) as the version line
  badclient.py silent PORT            connect, read the server's version line, never speak
  badclient.py many PORT N            open N connections at once, never speak on any
  badclient.py prelines PORT          lines before the version line; the server must answer
                                      with its KEXINIT (exit 0) and not drop the connection
  badclient.py proxy PORT FLIP_AT PORTFILE
                                      relay one TCP connection to 127.0.0.1:PORT, flipping the
                                      client-to-server byte at offset FLIP_AT (-1: never);
                                      the listening port is written to PORTFILE

Every mode but proxy then waits up to --timeout seconds (default 15) for the server to close
the connection(s) and prints one line of key=value results, for example
  closed=1 seconds=3.01 banner=SSH-2.0-OpenSSH_9.2p1
Exit status: 0 when the server closed every connection in time, 1 when not, 2 when the
connection could not be made.
"""

import os
import selectors
import socket
import sys
import time

HOST = "127.0.0.1"


def connect(port, timeout=10.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_line(sock, limit=8192, timeout=10.0):
    """The server's version line (without CR LF), or '' if none came in time."""
    sock.settimeout(timeout)
    buf = b""
    try:
        while b"\n" not in buf and len(buf) < limit:
            chunk = sock.recv(1)
            if not chunk:
                break
            buf += chunk
    except (socket.timeout, OSError):
        pass
    return buf.decode("ascii", "replace").strip()


def wait_closed(sock, timeout):
    """Seconds until the peer closed (EOF or reset), or None if still open after timeout."""
    start = time.monotonic()
    deadline = start + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return None
        except OSError:  # ECONNRESET and friends: closed
            return time.monotonic() - start
        if not data:
            return time.monotonic() - start


def send_all(sock, data):
    """Send, tolerating a server that closes early (that is allowed)."""
    try:
        sock.sendall(data)
    except OSError:
        pass


def report(closed, seconds, **extra):
    fields = ["closed=%d" % (1 if closed else 0), "seconds=%.2f" % seconds]
    fields += ["%s=%s" % (k, str(v).replace(" ", "_")) for k, v in extra.items()]
    print(" ".join(fields), flush=True)
    return 0 if closed else 1


def mode_garbage(port, timeout):
    s = connect(port)
    banner = read_line(s)
    junk = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" + os.urandom(4096) + b"\r\n"
    send_all(s, junk)
    t = wait_closed(s, timeout)
    return report(t is not None, t if t is not None else timeout, banner=banner or "-")


def mode_hugelen(port, timeout):
    s = connect(port)
    banner = read_line(s)
    send_all(s, b"SSH-2.0-badclient_0.1\r\n")
    # packet_length 0xfffffff0 followed by enough bytes for a first cipher block.
    send_all(s, b"\xff\xff\xff\xf0" + b"\x0a" + b"\x00" * 27)
    t = wait_closed(s, timeout)
    return report(t is not None, t if t is not None else timeout, banner=banner or "-")


def mode_version(port, line, timeout):
    s = connect(port)
    banner = read_line(s)
    send_all(s, line.encode("ascii") + b"\r\n")
    t = wait_closed(s, timeout)
    return report(t is not None, t if t is not None else timeout, banner=banner or "-")


def mode_prelines(port, timeout):
    """Lines before the version line (RFC 4253 4.2 allows a peer to send
    them first): the server must go on to its KEXINIT.  Exit 0 when the
    first binary packet the server sends is a KEXINIT (type 20)."""
    s = connect(port)
    banner = read_line(s)
    send_all(s, b"a line before the version\r\nanother one\r\n"
             b"SSH-2.0-prelines_test\r\n")
    s.settimeout(timeout)
    head = b""
    while len(head) < 6:
        chunk = s.recv(6 - len(head))
        if not chunk:
            print("closed_before_kexinit banner=%s" % (banner or "-"))
            return 1
        head += chunk
    msg = head[5]
    print("first_message=%d banner=%s" % (msg, banner or "-"), flush=True)
    s.close()
    return 0 if msg == 20 else 1


def mode_silent(port, timeout):
    start = time.monotonic()
    s = connect(port)
    banner = read_line(s)
    t = wait_closed(s, timeout)
    total = time.monotonic() - start
    return report(t is not None, total, banner=banner or "-")


def mode_many(port, n, timeout):
    socks = []
    start = time.monotonic()
    for _ in range(n):
        try:
            socks.append(connect(port))
        except OSError as e:
            print("connected=%d error=%s" % (len(socks), e), flush=True)
            return 2
    print("opened=%d seconds=%.2f" % (len(socks), time.monotonic() - start), flush=True)
    sel = selectors.DefaultSelector()
    state = {}
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        state[s] = {"data": b"", "closed": None}
    deadline = start + timeout
    while any(v["closed"] is None for v in state.values()):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(left):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                state[s]["data"] += data
            else:
                state[s]["closed"] = time.monotonic() - start
                sel.unregister(s)
    banners = sum(1 for v in state.values() if v["data"].startswith(b"SSH-"))
    closed = [v["closed"] for v in state.values() if v["closed"] is not None]
    print("banners=%d closed=%d of=%d last_close=%.2f" %
          (banners, len(closed), n, max(closed) if closed else -1), flush=True)
    return 0 if len(closed) == n else 1


def mode_proxy(port, flip_at, portfile, timeout):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((HOST, 0))
    lst.listen(1)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lst.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    lst.settimeout(timeout)
    try:
        client, _ = lst.accept()
    except socket.timeout:
        print("proxy: no client", flush=True)
        return 1
    server = connect(port)
    c2s = s2c = 0
    flipped = False
    sel = selectors.DefaultSelector()
    sel.register(client, selectors.EVENT_READ, server)
    sel.register(server, selectors.EVENT_READ, client)
    open_ends = 2
    while open_ends:
        events = sel.select(timeout)
        if not events:
            break
        for key, _ in events:
            src, dst = key.fileobj, key.data
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(src)
                open_ends -= 1
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            if src is client:
                if not flipped and 0 <= flip_at < c2s + len(data):
                    i = flip_at - c2s
                    data = data[:i] + bytes([data[i] ^ 0x55]) + data[i + 1:]
                    flipped = True
                c2s += len(data)
            else:
                s2c += len(data)
            try:
                dst.sendall(data)
            except OSError:
                pass
    print("c2s=%d s2c=%d flipped=%d" % (c2s, s2c, 1 if flipped else 0), flush=True)
    return 0


def main(argv):
    timeout = 15.0
    if len(argv) > 2 and argv[1] == "--timeout":
        timeout = float(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    mode, port = argv[1], int(argv[2])
    try:
        if mode == "garbage":
            return mode_garbage(port, timeout)
        if mode == "hugelen":
            return mode_hugelen(port, timeout)
        if mode == "version":
            return mode_version(port, argv[3], timeout)
        if mode == "silent":
            return mode_silent(port, timeout)
        if mode == "prelines":
            return mode_prelines(port, timeout)
        if mode == "many":
            return mode_many(port, int(argv[3]), timeout)
        if mode == "proxy":
            return mode_proxy(port, int(argv[3]), argv[4], timeout)
    except OSError as e:
        print("error=%s" % str(e).replace(" ", "_"), flush=True)
        return 2
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
