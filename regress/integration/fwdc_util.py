#!/usr/bin/env python3
"""fwdc_util.py - small network endpoints for t_fwd_container.sh (forwarding into containers).

Run with the host's python3, usually under `nsenter -t PID -n` so that the endpoint lives in a
container's network namespace. Addresses are "tcp HOST PORT" or "unix PATH".

  echo-server ADDR [--mode OCTAL]    echo every byte back, one thread per connection; prints
                                     "ready" on stdout once it listens (a unix socket path is
                                     replaced, then chmod'ed to --mode, default 0666)
  echo-check ADDR [--bytes N] [--conns C] [--timeout S]
                                     C connections at once, each sends N pseudo-random bytes
                                     and must read exactly the same bytes back (SHA-256);
                                     exit 0 and "ok ..." or exit 1 and "FAIL ..." on stdout
  probe ADDR [--timeout S]           exit 0 if a connection can be made, 1 if not
  relay tcp HOST PORT unix PATH      listen on HOST:PORT, copy each connection both ways to
                                     the unix socket PATH (e.g. an X server's); prints "ready"
  http-server HOST PORT DIR          serve the files of DIR over HTTP; prints "ready"
"""

import argparse
import functools
import hashlib
import http.server
import os
import socket
import stat
import sys
import threading
import time


def parse_addr(words):
    """(family, sockaddr, rest) from ["tcp", HOST, PORT, ...] or ["unix", PATH, ...]."""
    if len(words) >= 3 and words[0] == "tcp":
        return socket.AF_INET, (words[1], int(words[2])), words[3:]
    if len(words) >= 2 and words[0] == "unix":
        return socket.AF_UNIX, words[1], words[2:]
    raise SystemExit("bad address %r (want: tcp HOST PORT | unix PATH)" % (words,))


def listen(family, addr, mode=0o666):
    s = socket.socket(family, socket.SOCK_STREAM)
    if family == socket.AF_INET:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    else:
        try:
            if stat.S_ISSOCK(os.lstat(addr).st_mode):
                os.unlink(addr)
        except FileNotFoundError:
            pass
    s.bind(addr)
    if family == socket.AF_UNIX:
        os.chmod(addr, mode)
    s.listen(128)
    return s


def ready():
    sys.stdout.write("ready\n")
    sys.stdout.flush()


def serve(lsock, handler):
    while True:
        c, _ = lsock.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()


def echo_handler(c):
    try:
        while True:
            b = c.recv(262144)
            if not b:
                break
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def copy(src, dst):
    try:
        while True:
            b = src.recv(262144)
            if not b:
                break
            dst.sendall(b)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def relay_handler(path, c):
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        u.connect(path)
    except OSError:
        c.close()
        return
    t = threading.Thread(target=copy, args=(u, c), daemon=True)
    t.start()
    copy(c, u)
    t.join()
    c.close()
    u.close()


def one_check(family, addr, nbytes, timeout, idx, results):
    """Send nbytes (a random 1 MiB block, each chunk stamped with its number so that lost,
    repeated or reordered chunks show) and read them back; results[idx] = None or a reason."""
    block = bytearray(os.urandom(min(nbytes, 1 << 20) or 1))
    sent = hashlib.sha256()
    got = hashlib.sha256()
    received = [0]
    err = []
    try:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(addr)
    except OSError as e:
        results[idx] = "connect: %s" % e
        return

    def reader():
        try:
            while True:
                b = s.recv(262144)
                if not b:
                    break
                got.update(b)
                received[0] += len(b)
        except OSError as e:
            err.append("recv after %d bytes: %s" % (received[0], e))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        left, n = nbytes, 0
        while left > 0:
            chunk = block[:min(left, len(block))]
            chunk[:8] = n.to_bytes(8, "big")[:len(chunk)]
            s.sendall(chunk)
            sent.update(chunk)
            left -= len(chunk)
            n += 1
        s.shutdown(socket.SHUT_WR)
    except OSError as e:
        err.append("send: %s" % e)
    t.join(timeout + 5)
    s.close()
    if t.is_alive():
        results[idx] = "no end of stream after %d of %d bytes" % (received[0], nbytes)
    elif received[0] != nbytes:
        results[idx] = "got %d of %d bytes back%s" % (received[0], nbytes,
                                                      (" (" + "; ".join(err) + ")") if err else "")
    elif got.digest() != sent.digest():
        results[idx] = "the %d bytes came back changed" % nbytes
    else:
        results[idx] = None


def echo_check(args):
    family, addr, _ = parse_addr(args.addr)
    results = [""] * args.conns
    threads = [threading.Thread(target=one_check,
                                args=(family, addr, args.bytes, args.timeout, i, results))
               for i in range(args.conns)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    bad = [(i, r) for i, r in enumerate(results) if r is not None]
    if bad:
        print("FAIL %d of %d connections: %s" % (len(bad), args.conns,
                                                 "; ".join("#%d %s" % b for b in bad[:3])))
        return 1
    print("ok %d connection(s), %d bytes each, %.2f s" % (args.conns, args.bytes, took))
    return 0


def probe(args):
    family, addr, _ = parse_addr(args.addr)
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    try:
        s.connect(addr)
    except OSError:
        return 1
    finally:
        s.close()
    return 0


def main():
    p = argparse.ArgumentParser(description="endpoints for t_fwd_container.sh")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("echo-server")
    a.add_argument("addr", nargs="+")
    a.add_argument("--mode", default="0666")
    a = sub.add_parser("echo-check")
    a.add_argument("addr", nargs="+")
    a.add_argument("--bytes", type=int, default=4096)
    a.add_argument("--conns", type=int, default=1)
    a.add_argument("--timeout", type=float, default=30)
    a = sub.add_parser("probe")
    a.add_argument("addr", nargs="+")
    a.add_argument("--timeout", type=float, default=3)
    a = sub.add_parser("relay")
    a.add_argument("addr", nargs="+")
    a = sub.add_parser("http-server")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("dir")
    args = p.parse_args()

    if args.cmd == "echo-server":
        family, addr, _ = parse_addr(args.addr)
        s = listen(family, addr, int(args.mode, 8))
        ready()
        serve(s, echo_handler)
    elif args.cmd == "echo-check":
        return echo_check(args)
    elif args.cmd == "probe":
        return probe(args)
    elif args.cmd == "relay":
        family, addr, rest = parse_addr(args.addr)
        if family != socket.AF_INET or len(rest) != 2 or rest[0] != "unix":
            raise SystemExit("relay tcp HOST PORT unix PATH")
        s = listen(family, addr)
        ready()
        serve(s, functools.partial(relay_handler, rest[1]))
    elif args.cmd == "http-server":
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *a):
                pass
        handler = functools.partial(Quiet, directory=args.dir)
        srv = http.server.ThreadingHTTPServer((args.host, args.port), handler)
        ready()
        srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
