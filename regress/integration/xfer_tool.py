#!/usr/bin/python3
"""xfer_tool.py - helpers for the file-transfer tests (t_sftp.sh, t_scp.sh, t_xfer_container.sh).

  xfer_tool.py mktree DIR N            N small files (1..4096 random bytes each) in DIR, spread
                                       over subdirectories d00..d19, some names with spaces
  xfer_tool.py syslog PATH OUT         a syslog receiver: a Unix datagram socket at PATH (mode
                                       0666); every message is appended to OUT as a line; "ready"
                                       is written to OUT first. Runs until killed.
  xfer_tool.py sftp-raw CASE [--dir DIR] -- SSH-COMMAND...
                                       run SSH-COMMAND (an ssh that opens the sftp subsystem,
                                       `ssh ... -s user@host sftp`), speak raw SFTP on its stdin
                                       and stdout, and check how the server answers CASE (below).
                                       Prints one line; exit 0 when the answer is acceptable.
                                       DIR (default: the login directory) is where the errors
                                       and limits cases make (and remove) their files.
  xfer_tool.py extensions --user U [--dir DIR] -- SSH-COMMAND...
                                       raw SFTP as in sftp-raw: each of fstatvfs, fsync, lsetstat,
                                       expand-path, copy-data, home-directory, users-groups-by-id
                                       is advertised in VERSION with OpenSSH's version and does
                                       what OpenSSH's server does (see the x_* functions); U is
                                       the login user. Prints "NAME ok ..." or "NAME FAIL why"
                                       for each; exit 0 when all are ok. Works in a directory it
                                       makes (and removes) in DIR.
  xfer_tool.py paramiko --host H --port P --user U --key KEY [--proxy CMD] --file F --dir D
                                       paramiko's SFTPClient: put F into D (relative to the login
                                       directory; it must exist), stat, listdir, get back and
                                       compare, rename, mkdir, rmdir, remove. Prints "ok ..." or
                                       what went wrong (exit 1).

sftp-raw cases (every one starts with INIT, except before-init):
  hugelen          a packet length of 0xfffffff0: a STATUS error or the channel closed (10 s)
  truncated        an OPEN whose path string runs past the end of its packet: a STATUS error or
                   the channel closed; if the channel is still open, REALPATH "." still works
  partial-eof      half a packet, then EOF on stdin: the channel is closed (not left hanging)
  zero-length      a packet of length 0: a STATUS error or the channel closed
  unknown-type     type 250 with an id: a STATUS for it or no answer, and a REALPATH sent after
                   it gets its NAME (the server goes on; OpenSSH 9.2 needs one more request to
                   go on, see case_unknown_type)
  unknown-ext      an EXTENDED request "no-such-extension@nsshd.test": STATUS
                   SSH_FX_OP_UNSUPPORTED (8) with that id
  bad-handle       READ, CLOSE and FSTAT with a handle the server never gave: a STATUS error for
                   each, and the channel stays usable
  before-init      OPEN before INIT: a STATUS error or the channel closed
  errors           error statuses with OpenSSH's codes and messages: STAT of a missing file and
                   through a file, OPENDIR of a file: 2 "No such file"; OPEN for writing in /root:
                   3 "Permission denied"; MKDIR of an existing and RMDIR of a non-empty directory:
                   4 "Failure"; READ at the end of a file: 1 "End of file"; an unknown extension:
                   8 "Operation unsupported". Needs a writable login directory (not root).
  pipeline         256 STAT requests for "." sent at once, then read: 256 ATTRS answers, each id
                   exactly once
  limits           limits@openssh.com is advertised; its max-read-length is at least 32768; a
                   file of 2 MiB is created, written with max-write-length blocks (64 in flight),
                   read back with max-read-length reads (each answered with the full length but
                   the last), and compared; then removed. Needs a writable login directory.
"""

import hashlib
import os
import random
import select
import struct
import subprocess
import sys
import time

# ---------------------------------------------------------------------------- mktree


def mktree(d, n):
    rnd = random.Random(n)
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        sub = os.path.join(d, "d%02d" % (i % 20))
        os.makedirs(sub, exist_ok=True)
        name = ("f %04d.txt" if i % 7 == 0 else "f%04d.bin") % i
        with open(os.path.join(sub, name), "wb") as f:
            f.write(os.urandom(rnd.randint(1, 4096)))
    return 0


# ---------------------------------------------------------------------------- syslog


def syslog(path, out):
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)
    with open(out, "ab", buffering=0) as f:
        f.write(b"ready\n")
        while True:
            d = s.recv(65536)
            f.write(d.rstrip(b"\0\n").replace(b"\n", b" ") + b"\n")


# ---------------------------------------------------------------------------- raw SFTP

FXP = dict(INIT=1, VERSION=2, OPEN=3, CLOSE=4, READ=5, WRITE=6, LSTAT=7, FSTAT=8, SETSTAT=9,
           FSETSTAT=10, OPENDIR=11, READDIR=12, REMOVE=13, MKDIR=14, RMDIR=15, REALPATH=16,
           STAT=17, RENAME=18, READLINK=19, SYMLINK=20, STATUS=101, HANDLE=102, DATA=103,
           NAME=104, ATTRS=105, EXTENDED=200, EXTENDED_REPLY=201)
NAMES = {v: k for k, v in FXP.items()}
FXF_READ, FXF_WRITE, FXF_CREAT, FXF_TRUNC = 1, 2, 8, 16
WORKDIR = "."  # where the errors and limits cases make their files (sftp-raw --dir)


def u32(v):
    return struct.pack(">I", v)


def u64(v):
    return struct.pack(">Q", v)


def sstr(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def packet(ptype, body=b""):
    return u32(1 + len(body)) + bytes([ptype]) + body


class Closed(Exception):
    pass


class TimedOut(Exception):
    pass


class Chan:
    """The sftp subsystem through an ssh child process."""

    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.buf = b""
        self.eof = False

    def send(self, data):
        try:
            self.p.stdin.write(data)
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            raise Closed("the channel is closed (write failed)")

    def close_stdin(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass

    def _fill(self, deadline):
        fd = self.p.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            r, _, _ = select.select([fd], [], [], left)
            if r:
                b = os.read(fd, 65536)
                if not b:
                    self.eof = True
                    raise Closed("the channel is closed")
                self.buf += b
                return

    def recv(self, timeout=10.0):
        """One packet: (type, payload); Closed at EOF, TimedOut when nothing came."""
        deadline = time.monotonic() + timeout
        while len(self.buf) < 4:
            self._fill(deadline)
        n = struct.unpack(">I", self.buf[:4])[0]
        if n < 1 or n > 16 * 1024 * 1024:
            raise SystemExit("the server sent a packet of length %d" % n)
        while len(self.buf) < 4 + n:
            self._fill(deadline)
        pkt = self.buf[4:4 + n]
        self.buf = self.buf[4 + n:]
        return pkt[0], pkt[1:]

    def finish(self):
        self.close_stdin()
        try:
            self.p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return self.p.stderr.read().decode(errors="replace").strip()


def get_u32(b, off):
    return struct.unpack(">I", b[off:off + 4])[0], off + 4


def get_str(b, off):
    n, off = get_u32(b, off)
    if off + n > len(b):
        raise SystemExit("the server sent a string running past its packet")
    return b[off:off + n], off + n


def describe(t, payload):
    if t == FXP["STATUS"]:
        rid, off = get_u32(payload, 0)
        code, off = get_u32(payload, off)
        msg = b""
        if off < len(payload):
            msg, off = get_str(payload, off)
        return "STATUS id %d code %d '%s'" % (rid, code, msg.decode(errors="replace"))
    if len(payload) >= 4:
        return "%s id %d" % (NAMES.get(t, "type %d" % t), get_u32(payload, 0)[0])
    return NAMES.get(t, "type %d" % t)


def init(ch):
    ch.send(packet(FXP["INIT"], u32(3)))
    t, payload = ch.recv()
    if t != FXP["VERSION"]:
        raise SystemExit("INIT answered with %s, not VERSION" % describe(t, payload))
    ver, off = get_u32(payload, 0)
    exts = {}
    while off < len(payload):
        k, off = get_str(payload, off)
        v, off = get_str(payload, off)
        exts[k.decode()] = v.decode()
    return ver, exts


def status_or_closed(ch, what, timeout=10.0):
    """(True, text) when a STATUS error came or the channel closed in time."""
    try:
        t, payload = ch.recv(timeout)
    except Closed:
        return True, "%s: the channel was closed" % what
    except TimedOut:
        return False, "%s: neither a STATUS nor a close within %d s" % (what, timeout)
    d = describe(t, payload)
    if t == FXP["STATUS"] and get_u32(payload, 4)[0] != 0:
        return True, "%s: %s" % (what, d)
    return False, "%s: answered with %s (want a STATUS error or a close)" % (what, d)


def realpath_works(ch, rid):
    ch.send(packet(FXP["REALPATH"], u32(rid) + sstr(".")))
    while True:
        t, payload = ch.recv()
        if get_u32(payload, 0)[0] == rid:
            break
    if t != FXP["NAME"]:
        return False, "REALPATH . answered with %s" % describe(t, payload)
    return True, "REALPATH . answered"


def expect_status(ch, rid, what):
    t, payload = ch.recv()
    d = describe(t, payload)
    if t != FXP["STATUS"] or get_u32(payload, 0)[0] != rid:
        return False, "%s: answered with %s (want a STATUS for id %d)" % (what, d, rid)
    if get_u32(payload, 4)[0] == 0:
        return False, "%s: %s (success?)" % (what, d)
    return True, d


def case_hugelen(ch):
    init(ch)
    ch.send(u32(0xfffffff0) + bytes([FXP["OPEN"]]) + os.urandom(100))
    return status_or_closed(ch, "length 0xfffffff0")


def case_truncated(ch):
    init(ch)
    # OPEN id 5, path string length 1000 but only 3 bytes of it in the packet
    body = bytes([FXP["OPEN"]]) + u32(5) + u32(1000) + b"abc"
    ch.send(u32(len(body)) + body)
    good, text = status_or_closed(ch, "truncated OPEN")
    if not good or ch.eof:
        return good, text
    ok2, t2 = realpath_works(ch, 6)
    return ok2, text + "; then " + t2


def case_partial_eof(ch):
    init(ch)
    ch.send(u32(100) + bytes([FXP["STAT"]]) + u32(7) + b"abc")
    ch.close_stdin()
    deadline = time.monotonic() + 10
    try:
        while True:
            t, payload = ch.recv(max(0.1, deadline - time.monotonic()))
    except Closed:
        return True, "half a packet then EOF: the channel was closed"
    except TimedOut:
        return False, "half a packet then EOF: the channel still open after 10 s"


def case_zero_length(ch):
    init(ch)
    ch.send(u32(0))
    good, text = status_or_closed(ch, "length 0", timeout=5)
    if good:
        return good, text
    # No answer yet: the server may be waiting for more. A valid request must then either get
    # its answer or find the channel closed; a hang is a failure.
    try:
        ch.send(packet(FXP["REALPATH"], u32(9) + sstr(".")))
        t, payload = ch.recv()
        return True, "length 0: no answer, then %s" % describe(t, payload)
    except Closed:
        return True, "length 0: the channel was closed"
    except TimedOut:
        return False, text + "; and a REALPATH after it got nothing either"


def case_unknown_type(ch):
    init(ch)
    ch.send(packet(250, u32(7) + b"junk"))
    ch.send(packet(FXP["REALPATH"], u32(8) + sstr(".")))
    nudged = ""
    try:
        t, payload = ch.recv(3)
    except TimedOut:
        # OpenSSH's sftp-server handles one queued request per poll(2) wakeup, and an unknown
        # type sends nothing, so a request queued behind it waits for more input: nudge it.
        ch.send(packet(FXP["REALPATH"], u32(9) + sstr(".")))
        nudged = " (after one more request)"
        t, payload = ch.recv()
    rid = get_u32(payload, 0)[0]
    first = describe(t, payload)
    if t == FXP["STATUS"] and rid == 7:
        t, payload = ch.recv()
        rid = get_u32(payload, 0)[0]
    elif t == FXP["STATUS"]:
        return False, "type 250: answered %s" % first
    if t == FXP["NAME"] and rid == 8:
        return True, "type 250: %s; REALPATH answered%s" % (first, nudged)
    return False, "type 250 then REALPATH id 8: got %s" % describe(t, payload)


def case_unknown_ext(ch):
    init(ch)
    ch.send(packet(FXP["EXTENDED"], u32(9) + sstr("no-such-extension@nsshd.test") + b"xyz"))
    t, payload = ch.recv()
    d = describe(t, payload)
    if t == FXP["STATUS"] and get_u32(payload, 0)[0] == 9 and get_u32(payload, 4)[0] == 8:
        return realpath_works(ch, 10)[0], d
    return False, "unknown extension answered with %s (want STATUS id 9 code 8)" % d


def case_bad_handle(ch):
    init(ch)
    bogus = sstr(b"\xffno-such-handle")
    texts = []
    for rid, req in ((11, packet(FXP["READ"], u32(11) + bogus + u64(0) + u32(1024))),
                     (12, packet(FXP["FSTAT"], u32(12) + bogus)),
                     (13, packet(FXP["CLOSE"], u32(13) + bogus))):
        ch.send(req)
        good, d = expect_status(ch, rid, NAMES[req[4]])
        if not good:
            return False, d
        texts.append(d)
    good, d = realpath_works(ch, 14)
    return good, "; ".join(texts + [d])


def case_before_init(ch):
    ch.send(packet(FXP["OPEN"], u32(1) + sstr("x") + u32(FXF_READ) + u32(0)))
    return status_or_closed(ch, "OPEN before INIT")


def case_pipeline(ch):
    init(ch)
    n = 256
    ch.send(b"".join(packet(FXP["STAT"], u32(1000 + i) + sstr(".")) for i in range(n)))
    seen = set()
    for _ in range(n):
        t, payload = ch.recv(30)
        rid = get_u32(payload, 0)[0]
        if t != FXP["ATTRS"]:
            return False, "request %d answered with %s" % (rid, describe(t, payload))
        if rid in seen or not 1000 <= rid < 1000 + n:
            return False, "unexpected or repeated id %d" % rid
        seen.add(rid)
    return True, "%d STAT requests in flight, all answered" % n


def ext_request(ch, rid, name, body=b""):
    ch.send(packet(FXP["EXTENDED"], u32(rid) + sstr(name) + body))
    t, payload = ch.recv()
    return t, payload


def open_file(ch, rid, path, flags):
    ch.send(packet(FXP["OPEN"], u32(rid) + sstr(path) + u32(flags) + u32(4) + u32(0o600)))
    t, payload = ch.recv()
    if t != FXP["HANDLE"]:
        raise SystemExit("OPEN %s answered with %s" % (path, describe(t, payload)))
    h, _ = get_str(payload, 4)
    return h


def case_limits(ch):
    _, exts = init(ch)
    if "limits@openssh.com" not in exts:
        return False, "limits@openssh.com is not advertised (extensions: %s)" % sorted(exts)
    t, payload = ext_request(ch, 2, "limits@openssh.com")
    if t != FXP["EXTENDED_REPLY"]:
        return False, "limits@openssh.com answered with %s" % describe(t, payload)
    max_pkt, max_read, max_write, max_handles = struct.unpack(">QQQQ", payload[4:36])
    lim = "limits: packet %d read %d write %d handles %d" % (max_pkt, max_read, max_write,
                                                              max_handles)
    if max_read < 32768 or max_write < 32768 or (max_pkt and max_pkt < max_write):
        return False, lim + " (too small)"
    path = "%s/xfer-limits-%d.bin" % (WORKDIR, os.getpid())
    data = os.urandom(2 * 1024 * 1024)
    h = open_file(ch, 3, path, FXF_WRITE | FXF_CREAT | FXF_TRUNC)
    rid, off, inflight = 100, 0, 0
    while off < len(data) or inflight:
        while off < len(data) and inflight < 64:
            chunk = data[off:off + max_write]
            ch.send(packet(FXP["WRITE"], u32(rid) + sstr(h) + u64(off) + sstr(chunk)))
            rid, off, inflight = rid + 1, off + len(chunk), inflight + 1
        t, payload = ch.recv(30)
        if t != FXP["STATUS"] or get_u32(payload, 4)[0] != 0:
            return False, lim + "; WRITE answered with %s" % describe(t, payload)
        inflight -= 1
    ch.send(packet(FXP["CLOSE"], u32(rid) + sstr(h)))
    good, d = True, ""
    t, payload = ch.recv()
    if t != FXP["STATUS"] or get_u32(payload, 4)[0] != 0:
        return False, lim + "; CLOSE answered with %s" % describe(t, payload)
    h = open_file(ch, rid + 1, path, FXF_READ)
    got = b""
    short = 0
    while True:
        ch.send(packet(FXP["READ"], u32(rid + 2) + sstr(h) + u64(len(got)) + u32(max_read)))
        t, payload = ch.recv(30)
        if t == FXP["STATUS"]:
            break
        if t != FXP["DATA"]:
            return False, lim + "; READ answered with %s" % describe(t, payload)
        chunk, _ = get_str(payload, 4)
        if len(chunk) < max_read and len(got) + len(chunk) < len(data):
            short += 1
        got += chunk
    ch.send(packet(FXP["CLOSE"], u32(rid + 3) + sstr(h)))
    ch.recv()
    ch.send(packet(FXP["REMOVE"], u32(rid + 4) + sstr(path)))
    ch.recv()
    if got != data:
        return False, lim + "; read back %d bytes, not the %d written" % (len(got), len(data))
    if short:
        return False, lim + "; %d READs of max-read-length answered short" % short
    return True, lim + "; 2 MiB written and read back in blocks of those sizes"


def status_of(ch, rid, req):
    ch.send(req)
    t, payload = ch.recv()
    if t != FXP["STATUS"] or get_u32(payload, 0)[0] != rid:
        return None, describe(t, payload)
    code, off = get_u32(payload, 4)
    msg = get_str(payload, off)[0].decode(errors="replace") if off < len(payload) else ""
    return (code, msg), "code %d '%s'" % (code, msg)


def case_errors(ch):
    init(ch)
    d = "%s/xfer-errs-%d" % (WORKDIR, os.getpid())
    bad = []
    setup = [
        (packet(FXP["MKDIR"], u32(20) + sstr(d) + u32(4) + u32(0o755)), 20),
    ]
    for req, rid in setup:
        got, text = status_of(ch, rid, req)
        if got is None or got[0] != 0:
            return False, "MKDIR %s: %s" % (d, text)
    h = open_file(ch, 21, d + "/f", FXF_WRITE | FXF_CREAT | FXF_TRUNC)
    ch.send(packet(FXP["CLOSE"], u32(22) + sstr(h)))
    ch.recv()
    h = open_file(ch, 23, d + "/f", FXF_READ)
    checks = [
        ("STAT of a missing file", 2, "No such file",
         packet(FXP["STAT"], u32(30) + sstr(d + "/missing")), 30),
        ("STAT through a file", 2, "No such file",
         packet(FXP["STAT"], u32(31) + sstr(d + "/f/x")), 31),
        ("OPENDIR of a file", 2, "No such file",
         packet(FXP["OPENDIR"], u32(32) + sstr(d + "/f")), 32),
        ("OPEN for writing in /root", 3, "Permission denied",
         packet(FXP["OPEN"], u32(33) + sstr("/root/xfer-denied") + u32(FXF_WRITE | FXF_CREAT) +
                u32(0)), 33),
        ("MKDIR of an existing directory", 4, "Failure",
         packet(FXP["MKDIR"], u32(34) + sstr(d) + u32(0)), 34),
        ("RMDIR of a non-empty directory", 4, "Failure",
         packet(FXP["RMDIR"], u32(35) + sstr(d)), 35),
        ("READ at the end of a file", 1, "End of file",
         packet(FXP["READ"], u32(36) + sstr(h) + u64(0) + u32(4096)), 36),
        ("an unknown extension", 8, "Operation unsupported",
         packet(FXP["EXTENDED"], u32(37) + sstr("no-such-extension@nsshd.test")), 37),
    ]
    for what, code, msg, req, rid in checks:
        got, text = status_of(ch, rid, req)
        if got != (code, msg):
            bad.append("%s: %s (want code %d '%s')" % (what, text, code, msg))
    ch.send(packet(FXP["CLOSE"], u32(40) + sstr(h)))
    ch.recv()
    ch.send(packet(FXP["REMOVE"], u32(41) + sstr(d + "/f")))
    ch.recv()
    ch.send(packet(FXP["RMDIR"], u32(42) + sstr(d)))
    ch.recv()
    if bad:
        return False, "; ".join(bad)
    return True, "%d error statuses with OpenSSH's codes and messages" % len(checks)


# ---------------------------------------------------------------------------- extensions

ATTR_SIZE, ATTR_UIDGID, ATTR_PERM, ATTR_TIME = 1, 2, 4, 8
EXTS = [("fstatvfs", "fstatvfs@openssh.com", "2"), ("fsync", "fsync@openssh.com", "1"),
        ("lsetstat", "lsetstat@openssh.com", "1"), ("expand-path", "expand-path@openssh.com", "1"),
        ("copy-data", "copy-data", "1"), ("home-directory", "home-directory", "1"),
        ("users-groups-by-id", "users-groups-by-id@openssh.com", "1")]


class Bad(Exception):
    pass


class Ext:
    """Requests with fresh ids whose answers are checked; Bad when the answer is not the one
    wanted."""

    def __init__(self, ch, user):
        import grp
        import pwd
        self.ch, self.rid = ch, 100
        pw = pwd.getpwnam(user)
        self.user, self.uid, self.gid = user, pw.pw_uid, pw.pw_gid
        self.home = os.path.realpath(pw.pw_dir)
        self.group = grp.getgrgid(pw.pw_gid).gr_name

    def call(self, ptype, body, want=None, what=None):
        self.rid += 1
        self.ch.send(packet(ptype, u32(self.rid) + body))
        t, payload = self.ch.recv(30)
        if get_u32(payload, 0)[0] != self.rid:
            raise Bad("%s: answer for another id: %s" % (what, describe(t, payload)))
        if want is not None and t != want:
            raise Bad("%s: %s (want %s)" % (what, describe(t, payload), NAMES[want]))
        return t, payload[4:]

    def ext(self, name, body=b"", want=None, what=None):
        return self.call(FXP["EXTENDED"], sstr(name) + body, want, what or name)

    def ok(self, ptype, body, what):
        code = self.status(ptype, body, what)
        if code != 0:
            raise Bad("%s: STATUS code %d (want 0)" % (what, code))

    def status(self, ptype, body, what):
        _, p = self.call(ptype, body, FXP["STATUS"], what)
        return get_u32(p, 0)[0]

    def open(self, path, flags):
        return get_str(self.call(FXP["OPEN"], sstr(path) + u32(flags) + u32(ATTR_PERM) +
                                 u32(0o600), FXP["HANDLE"], "OPEN " + path)[1], 0)[0]

    def attrs(self, ptype, path):
        p = self.call(FXP[ptype], sstr(path), FXP["ATTRS"], "%s %s" % (ptype, path))[1]
        a, off = {}, 4
        fl = get_u32(p, 0)[0]
        if fl & ATTR_SIZE:
            a["size"], off = struct.unpack(">Q", p[off:off + 8])[0], off + 8
        for bit, names in ((ATTR_UIDGID, ("uid", "gid")), (ATTR_PERM, ("mode",)),
                           (ATTR_TIME, ("atime", "mtime"))):
            if fl & bit:
                for n in names:
                    a[n], off = get_u32(p, off)
        return a

    def name1(self, name, arg):
        p = self.ext(name, sstr(arg), FXP["NAME"], '%s "%s"' % (name, arg))[1]
        if get_u32(p, 0)[0] != 1:
            raise Bad('%s "%s": %d names (want 1)' % (name, arg, get_u32(p, 0)[0]))
        return get_str(p, 4)[0].decode(errors="replace")

    def read_all(self, h):
        got = b""
        while True:
            t, p = self.call(FXP["READ"], sstr(h) + u64(len(got)) + u32(32768), None, "READ")
            if t != FXP["DATA"]:
                return got
            got += get_str(p, 0)[0]


def statvfs_text(p):
    v = struct.unpack(">11Q", p[:88])
    bsize, frsize, blocks, bfree, bavail, files, ffree, favail, fsid, flag, namemax = v
    if not (bsize and frsize and blocks and namemax and bavail <= bfree <= blocks and
            ffree <= files and favail <= files):
        raise Bad("unlikely numbers: %s" % (v,))
    return v, "%d blocks of %d, %d free" % (blocks, frsize, bfree)


def x_fstatvfs(x, d):
    h = x.open(d + "/f", FXF_READ)
    v, text = statvfs_text(x.ext("fstatvfs@openssh.com", sstr(h), FXP["EXTENDED_REPLY"])[1])
    w, _ = statvfs_text(x.ext("statvfs@openssh.com", sstr(d), FXP["EXTENDED_REPLY"])[1])
    x.ok(FXP["CLOSE"], sstr(h), "CLOSE")
    if (v[0], v[2], v[8]) != (w[0], w[2], w[8]):
        raise Bad("fstatvfs %s differs from statvfs of the directory %s" % (v, w))
    return text + ", as statvfs@openssh.com"


def x_fsync(x, d):
    h = x.open(d + "/f", FXF_READ | FXF_WRITE)
    x.ok(FXP["WRITE"], sstr(h) + u64(0) + sstr(b"synced\n"), "WRITE")
    x.ok(FXP["EXTENDED"], sstr("fsync@openssh.com") + sstr(h), "fsync@openssh.com")
    x.ok(FXP["CLOSE"], sstr(h), "CLOSE")
    return "STATUS OK for a written handle"


def x_lsetstat(x, d):
    t, l = d + "/target", d + "/link"
    x.ok(FXP["CLOSE"], sstr(x.open(t, FXF_WRITE | FXF_CREAT)), "CLOSE")
    x.ok(FXP["SYMLINK"], sstr("target") + sstr(l), "SYMLINK")  # OpenSSH's order: target, link
    ls = "lsetstat@openssh.com"
    before = x.attrs("STAT", t)
    x.ok(FXP["EXTENDED"], sstr(ls) + sstr(l) + u32(ATTR_TIME) + u32(1000000000) * 2,
         ls + " times on the link")
    if x.attrs("LSTAT", l)["mtime"] != 1000000000:
        raise Bad("times on the link: the link's mtime is %d" % x.attrs("LSTAT", l)["mtime"])
    if x.attrs("STAT", t)["mtime"] != before["mtime"]:
        raise Bad("times on the link changed the target's mtime")
    x.ok(FXP["EXTENDED"], sstr(ls) + sstr(l) + u32(ATTR_UIDGID) + u32(x.uid) + u32(x.gid),
         ls + " owner on the link")
    # Linux has no modes for symlinks: fchmodat(AT_SYMLINK_NOFOLLOW) fails (EOPNOTSUPP),
    # which OpenSSH answers with SSH2_FX_FAILURE; the target must keep its mode.
    code = x.status(FXP["EXTENDED"], sstr(ls) + sstr(l) + u32(ATTR_PERM) + u32(0o640),
                    ls + " mode on the link")
    mode = x.attrs("STAT", t)["mode"] & 0o7777
    if code != 4 or mode != 0o600:
        raise Bad("mode 0640 on the link: code %d (want 4), target mode %04o (want 0600)" %
                  (code, mode))
    x.ok(FXP["EXTENDED"], sstr(ls) + sstr(t) + u32(ATTR_PERM) + u32(0o640),
         ls + " mode on the target")
    mode = x.attrs("STAT", t)["mode"] & 0o7777
    if mode != 0o640:
        raise Bad("mode 0640 on the file itself: now %04o" % mode)
    code = x.status(FXP["EXTENDED"], sstr(ls) + sstr(l) + u32(ATTR_SIZE) + u64(0),
                    ls + " size on the link")
    if code != 5:
        raise Bad("size on the link: code %d (want 5, SSH2_FX_BAD_MESSAGE)" % code)
    return ("times and owner set on the link itself (target untouched); mode on the link: "
            "FAILURE, on the file: set; size: BAD_MESSAGE")


def x_expand_path(x, d):
    got = [x.name1("expand-path@openssh.com", p) for p in ("~", "~/x", ".")]
    want = [x.home, x.home + "/x", x.home]
    if got != want:
        raise Bad('"~", "~/x", ".": %s (want %s)' % (got, want))
    return '"~", "~/x", "." -> %s' % ", ".join(got)


def x_copy_data(x, d):
    data = os.urandom(65536)
    src, dst = x.open(d + "/src", FXF_READ | FXF_WRITE | FXF_CREAT), \
        x.open(d + "/dst", FXF_READ | FXF_WRITE | FXF_CREAT)
    x.ok(FXP["WRITE"], sstr(src) + u64(0) + sstr(data), "WRITE")
    cd = "copy-data"
    x.ok(FXP["EXTENDED"], sstr(cd) + sstr(src) + u64(1000) + u64(20000) + sstr(dst) + u64(500),
         cd + " 20000 bytes at 1000 to 500")
    x.ok(FXP["EXTENDED"], sstr(cd) + sstr(src) + u64(60000) + u64(0) + sstr(dst) + u64(30000),
         cd + " from 60000 to the end (length 0)")
    got = x.read_all(dst)
    want = bytes(500) + data[1000:21000] + bytes(30000 - 20500) + data[60000:]
    for h in (src, dst):
        x.ok(FXP["CLOSE"], sstr(h), "CLOSE")
    if got != want:
        raise Bad("the copy has %d bytes, %s" % (
            len(got), "other bytes" if len(got) == len(want) else "want %d" % len(want)))
    return "a range and a range to EOF copied between two handles, bytes checked"


def x_home_directory(x, d):
    got = x.name1("home-directory", x.user)
    if got != x.home:
        raise Bad('"%s": %s (want %s)' % (x.user, got, x.home))
    code = x.status(FXP["EXTENDED"], sstr("home-directory") + sstr("no-such-user-nsshd"),
                    "home-directory of an unknown user")
    if code != 4:
        raise Bad("an unknown user: code %d (want 4)" % code)
    return '"%s" -> %s; an unknown user: FAILURE' % (x.user, got)


def x_users_groups_by_id(x, d):
    unknown = 0x7ffffff0
    body = sstr(b"".join(map(u32, (x.uid, 0, unknown)))) + \
        sstr(b"".join(map(u32, (x.gid, 0, unknown))))
    p = x.ext("users-groups-by-id@openssh.com", body, FXP["EXTENDED_REPLY"])[1]
    lists = []
    for _ in range(2):
        sub, p_off = get_str(p, 0)
        p, off, names = p[p_off:], 0, []
        while off < len(sub):
            n, off = get_str(sub, off)
            names.append(n.decode(errors="replace"))
        lists.append(names)
    want = [[x.user, "root", ""], [x.group, "root", ""]]
    if lists != want:
        raise Bad("uids %d,0,%d gids %d,0,%d: %s (want %s)" % (x.uid, unknown, x.gid, unknown,
                                                                lists, want))
    return "users %s, groups %s" % tuple(lists)


def extensions(user, cmd):
    """One line per extension in EXTS, "NAME ok ..." or "NAME FAIL why"; 0 when all are ok."""
    ch = Chan(cmd)
    res = {}
    try:
        _, exts = init(ch)
        x = Ext(ch, user)
        d = "%s/xfer-ext-%d" % (WORKDIR, os.getpid())
        x.ok(FXP["MKDIR"], sstr(d) + u32(0), "MKDIR " + d)
        x.ok(FXP["CLOSE"], sstr(x.open(d + "/f", FXF_WRITE | FXF_CREAT)), "CLOSE")
        for short, name, ver in EXTS:
            if exts.get(name) != ver:
                res[short] = "FAIL %s is not advertised with version %s (VERSION has %s)" % (
                    name, ver, exts)
                continue
            try:
                res[short] = "ok " + globals()["x_" + short.replace("-", "_")](x, d)
            except Bad as e:
                res[short] = "FAIL %s" % e
            except (Closed, TimedOut, SystemExit):
                raise
            except Exception as e:  # a reply this client could not take apart
                res[short] = "FAIL %s: %s" % (type(e).__name__, e)
        for f in ("f", "src", "dst", "link", "target"):
            x.status(FXP["REMOVE"], sstr(d + "/" + f), "REMOVE")
        x.status(FXP["RMDIR"], sstr(d), "RMDIR")
    except (SystemExit, Closed, Bad) as e:
        why = "FAIL %s" % e
    except TimedOut:
        why = "FAIL no answer within the time allowed"
    else:
        why = "FAIL not tried"
    err = ch.finish()
    for short, _, _ in EXTS:
        line = res.get(short, why + (" [ssh: %s]" % err.replace("\n", " ")[:300] if err else ""))
        print("%s %s" % (short, line))
    return 0 if all(res.get(s, "").startswith("ok") for s, _, _ in EXTS) else 1


CASES = {
    "errors": case_errors,
    "hugelen": case_hugelen, "truncated": case_truncated, "partial-eof": case_partial_eof,
    "zero-length": case_zero_length, "unknown-type": case_unknown_type,
    "unknown-ext": case_unknown_ext, "bad-handle": case_bad_handle,
    "before-init": case_before_init, "pipeline": case_pipeline, "limits": case_limits,
}


def sftp_raw(case, cmd):
    ch = Chan(cmd)
    try:
        good, text = CASES[case](ch)
    except SystemExit as e:
        good, text = False, "%s: %s" % (case, e)
    except Closed as e:
        good, text = False, "%s: %s" % (case, e)
    except TimedOut:
        good, text = False, "%s: no answer within the time allowed" % case
    err = ch.finish()
    if not good and err:
        text += " [ssh: %s]" % err.replace("\n", " ")[:300]
    print(text)
    return 0 if good else 1


# ---------------------------------------------------------------------------- paramiko


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def run_paramiko(a):
    import paramiko
    key = paramiko.Ed25519Key.from_private_key_file(a.key)
    cli = paramiko.SSHClient()
    cli.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    sock = paramiko.ProxyCommand(a.proxy) if a.proxy else None
    cli.connect(a.host, port=a.port, username=a.user, pkey=key, allow_agent=False,
                look_for_keys=False, timeout=20, banner_timeout=20, auth_timeout=20, sock=sock)
    t = cli.get_transport()
    steps = ["cipher %s" % t.remote_cipher]
    sftp = cli.open_sftp()
    base = os.path.basename(a.file)
    rpath = "%s/%s" % (a.dir, base)
    size = os.path.getsize(a.file)
    sftp.put(a.file, rpath)
    st = sftp.stat(rpath)
    if st.st_size != size:
        raise SystemExit("stat %s: size %d, want %d" % (rpath, st.st_size, size))
    steps.append("put+stat")
    names = sftp.listdir(a.dir)
    if base not in names:
        raise SystemExit("listdir %s: %s has no %s" % (a.dir, names, base))
    steps.append("listdir")
    back = a.file + ".paramiko-back"
    sftp.get(rpath, back)
    if sha(back) != sha(a.file):
        raise SystemExit("get %s: the copy differs from what was put" % rpath)
    os.unlink(back)
    steps.append("get")
    sftp.rename(rpath, rpath + ".renamed")
    sftp.stat(rpath + ".renamed")
    try:
        sftp.stat(rpath)
        raise SystemExit("rename: %s still there" % rpath)
    except FileNotFoundError:
        pass
    steps.append("rename")
    sftp.mkdir(a.dir + "/pdir", 0o750)
    mode = sftp.stat(a.dir + "/pdir").st_mode & 0o777
    sftp.rmdir(a.dir + "/pdir")
    steps.append("mkdir(mode %o)+rmdir" % mode)
    with sftp.open(a.dir + "/small.txt", "w") as f:
        f.write(b"hello from paramiko\n")
    with sftp.open(a.dir + "/small.txt", "r") as f:
        if f.read() != b"hello from paramiko\n":
            raise SystemExit("open/write/read: different content")
    sftp.remove(a.dir + "/small.txt")
    sftp.remove(rpath + ".renamed")
    steps.append("open/read/write+remove")
    try:
        sftp.stat(a.dir + "/no-such-file")
        raise SystemExit("stat of a missing file succeeded")
    except FileNotFoundError:
        steps.append("missing file: FileNotFoundError")
    sftp.close()
    cli.close()
    print("ok " + ", ".join(steps))
    return 0


def main():
    argv = sys.argv[1:]
    if not argv:
        raise SystemExit(__doc__)
    global WORKDIR
    cmd = argv[0]
    if cmd == "mktree":
        return mktree(argv[1], int(argv[2]))
    if cmd == "syslog":
        return syslog(argv[1], argv[2])
    if cmd == "sftp-raw":
        if len(argv) > 3 and argv[2] == "--dir":
            WORKDIR = argv[3]
            argv = argv[:2] + argv[4:]
        if len(argv) < 4 or argv[2] != "--" or argv[1] not in CASES:
            raise SystemExit("usage: sftp-raw CASE [--dir DIR] -- SSH-COMMAND... (cases: %s)" %
                             " ".join(sorted(CASES)))
        return sftp_raw(argv[1], argv[3:])
    if cmd == "extensions":
        if len(argv) > 4 and argv[3] == "--dir":
            WORKDIR = argv[4]
            argv = argv[:3] + argv[5:]
        if len(argv) < 4 or argv[1] != "--user" or argv[3] != "--":
            raise SystemExit("usage: extensions --user USER [--dir DIR] -- SSH-COMMAND...")
        return extensions(argv[2], argv[4:])
    if cmd == "paramiko":
        import argparse
        p = argparse.ArgumentParser(prog="xfer_tool.py paramiko")
        for o in ("--host", "--user", "--key", "--file", "--dir"):
            p.add_argument(o, required=True)
        p.add_argument("--port", type=int, default=22)
        p.add_argument("--proxy")
        a = p.parse_args(argv[1:])
        try:
            return run_paramiko(a)
        except SystemExit:
            raise
        except Exception as e:  # report any paramiko failure as one line
            print("paramiko: %s: %s" % (type(e).__name__, e))
            return 1
    raise SystemExit("unknown command %s" % cmd)


if __name__ == "__main__":
    sys.exit(main())
