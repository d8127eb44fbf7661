#!/usr/bin/env python3
"""x11_single.py - X11 forwarding with "single connection" set, which the OpenSSH
client cannot ask for: paramiko sends x11-req with single_connection=True and
the real cookie of the test's Xvfb, relays each x11 channel to Xvfb's Unix
socket, and runs two X clients one after the other in the session.  Prints
the session's output ("first=0 second=1" when only one connection was let
through).

usage: x11_single.py PORT USER KEYFILE XSOCKET COOKIE-HEX
"""
import socket
import sys
import threading

import paramiko


def pump(src, dst):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
    except (OSError, EOFError, paramiko.SSHException):
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except (OSError, AttributeError):
            try:
                dst.shutdown_write()
            except Exception:
                pass


def main(argv):
    port, user, keyfile, xsock, cookie = argv[1:6]
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=int(port), username=user,
                   key_filename=keyfile, look_for_keys=False,
                   allow_agent=False, timeout=10)

    def on_x11(chan, origin):
        x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        x.connect(xsock)
        threading.Thread(target=pump, args=(chan, x), daemon=True).start()
        threading.Thread(target=pump, args=(x, chan), daemon=True).start()

    chan = client.get_transport().open_session()
    chan.request_x11(screen_number=0, auth_protocol="MIT-MAGIC-COOKIE-1",
                     auth_cookie=cookie, single_connection=True,
                     handler=on_x11)
    chan.settimeout(30)
    chan.exec_command("xdpyinfo >/dev/null 2>&1; echo first=$?; "
                      "xdpyinfo >/dev/null 2>&1; echo second=$?")
    out = b""
    while True:
        b = chan.recv(4096)
        if not b:
            break
        out += b
    print(" ".join(out.decode(errors="replace").split()))
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
