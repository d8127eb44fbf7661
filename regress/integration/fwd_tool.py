#!/usr/bin/env python3
"""fwd_tool.py - endpoints for the forwarding integration tests (t_forward.sh, t_agent.sh).

ADDR is tcp:HOST:PORT (PORT 0 picks a free one when serving) or unix:PATH.

  serve echo ADDR --ready FILE   threaded echo server; writes the port (or path) to FILE once
                                 it listens; runs until killed. A unix socket is made 0666 so
                                 that a test user's session can connect to it.
  line ADDR TEXT                 send TEXT and a newline, print the reply line; exit 1 when the
                                 connection closes (or times out) without one
  bulk ADDR BYTES                send BYTES random bytes (then shut down writing) while reading
                                 the echo; print "SENT-SHA256 RECEIVED-SHA256 RECEIVED-BYTES"
  para ADDR N BYTES              N connections opened first, then each sends its own BYTES and
                                 reads its echo, all at once; print "N ok" or what went wrong
  stale PATH                     leave a unix socket file at PATH that nobody listens on
  listening ADDR                 exit 0 when something accepts connections at ADDR
"""
import hashlib
import os
import socket
import sys
import threading

TIMEOUT = 30


def parse(addr):
    if addr.startswith("unix:"):
        return socket.AF_UNIX, addr[5:]
    if addr.startswith("tcp:"):
        host, _, port = addr[4:].rpartition(":")
        host = host.strip("[]")
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        return fam, (host, int(port))
    raise SystemExit("bad address %r" % addr)


def connect(addr):
    fam, sa = parse(addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(sa)
    return s


def echo_client(c):
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def serve(kind, addr, ready):
    if kind != "echo":
        raise SystemExit("unknown server kind %r" % kind)
    fam, sa = parse(addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    if fam == socket.AF_UNIX:
        try:
            os.unlink(sa)
        except FileNotFoundError:
            pass
        s.bind(sa)
        os.chmod(sa, 0o666)
        where = sa
    else:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(sa)
        where = str(s.getsockname()[1])
    s.listen(128)
    tmp = ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(where + "\n")
    os.rename(tmp, ready)
    while True:
        c, _ = s.accept()
        threading.Thread(target=echo_client, args=(c,), daemon=True).start()


def line(addr, text):
    try:
        s = connect(addr)
        s.sendall(text.encode() + b"\n")
        buf = b""
        while b"\n" not in buf:
            b = s.recv(4096)
            if not b:
                break
            buf += b
    except OSError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    out = buf.split(b"\n")[0].decode(errors="replace")
    print(out)
    return 0 if b"\n" in buf else 1


def pump(s, data_iter, h, err):
    try:
        for chunk in data_iter:
            h.update(chunk)
            s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
    except OSError as e:
        err.append("send: %s" % e)


def drain(s, h):
    n = 0
    while True:
        b = s.recv(262144)
        if not b:
            return n
        h.update(b)
        n += len(b)


def random_chunks(total, size=262144):
    left = total
    while left > 0:
        n = min(size, left)
        yield os.urandom(n)
        left -= n


def bulk(addr, nbytes):
    s = connect(addr)
    hs, hr, err = hashlib.sha256(), hashlib.sha256(), []
    t = threading.Thread(target=pump, args=(s, random_chunks(nbytes), hs, err))
    t.start()
    try:
        n = drain(s, hr)
    except OSError as e:
        err.append("recv: %s" % e)
        n = -1
    t.join()
    if err:
        print("; ".join(err), file=sys.stderr)
    print(hs.hexdigest(), hr.hexdigest(), n)
    return 0


def para(addr, n, nbytes):
    socks, errors = [], []
    for i in range(n):
        try:
            socks.append(connect(addr))
        except OSError as e:
            errors.append("connect %d: %s" % (i, e))
    if errors:
        print("; ".join(errors))
        return 1
    start = threading.Barrier(n)

    def one(i, s):
        data = (b"connection %d " % i) * (nbytes // 16) + os.urandom(nbytes % 16 + 16)
        hs, hr, err = hashlib.sha256(), hashlib.sha256(), []
        start.wait()
        t = threading.Thread(target=pump, args=(s, [data[k:k + 65536] for k in range(0, len(data), 65536)], hs, err))
        t.start()
        try:
            got = drain(s, hr)
        except OSError as e:
            err.append("recv: %s" % e)
            got = -1
        t.join()
        if err or got != len(data) or hs.digest() != hr.digest():
            errors.append("connection %d: sent %d got %d %s" % (i, len(data), got, " ".join(err)))

    threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(socks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("; ".join(errors))
        return 1
    print("%d ok" % n)
    return 0


def stale(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()  # the file stays, nothing listens
    return 0


def listening(addr):
    try:
        connect(addr).close()
        return 0
    except OSError:
        return 1


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == "serve" and len(argv) == 6 and argv[4] == "--ready":
        return serve(argv[2], argv[3], argv[5])
    if cmd == "line" and len(argv) == 4:
        return line(argv[2], argv[3])
    if cmd == "bulk" and len(argv) == 4:
        return bulk(argv[2], int(argv[3]))
    if cmd == "para" and len(argv) == 5:
        return para(argv[2], int(argv[3]), int(argv[4]))
    if cmd == "stale" and len(argv) == 3:
        return stale(argv[2])
    if cmd == "listening" and len(argv) == 3:
        return listening(argv[2])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
