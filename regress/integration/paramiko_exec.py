#!/usr/bin/python3
"""paramiko_exec.py - run one command over SSH with paramiko, for the integration tests.

Usage: paramiko_exec.py [--cipher NAME] [--mac NAME] [--show-algs] [--corrupt-mac]
                        HOST PORT USER KEYFILE COMMAND

Connects with the private key in KEYFILE only (no agent, no ~/.ssh keys), accepts any host key,
runs COMMAND and copies its stdout and stderr. --cipher / --mac leave paramiko only that cipher /
MAC to offer (both directions). --show-algs prints one line "algs CIPHER MAC" (client to server)
to stderr after the key exchange. --corrupt-mac (a non-AEAD MAC, which is all paramiko has):
after logging in, change paramiko's outgoing MAC key, so that the next packet (the session
channel open) carries a wrong MAC; the server must drop the connection. Exit status: the
command's, or 255 if the SSH connection or authentication failed (the reason on stderr), as
ssh(1) does.

Needs Debian 12's python3-paramiko (2.12): run it with /usr/bin/python3.
"""

import argparse
import sys

import paramiko


def only(preferred, name):
    """Everything in paramiko's preference list except name (for disabled_algorithms)."""
    if name not in preferred:
        raise SystemExit("paramiko_exec: paramiko does not know %s" % name)
    return [n for n in preferred if n != name]


def corrupt_mac(t):
    """Send the next packet with a wrong MAC; 255 if the server then refuses to go on."""
    pk = t.packetizer
    key = getattr(pk, "_Packetizer__mac_key_out", None)
    if not key:
        print("paramiko_exec: cannot reach paramiko's MAC key", file=sys.stderr)
        return 2
    pk._Packetizer__mac_key_out = bytes(b ^ 0x5a for b in key)
    try:
        t.open_session(timeout=10)
    except Exception as e:  # the server's DISCONNECT, EOF or a timeout
        print("paramiko_exec: refused after a bad MAC: %s: %s" % (type(e).__name__, e),
              file=sys.stderr)
        return 255
    print("paramiko_exec: a channel opened despite the bad MAC", file=sys.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cipher")
    ap.add_argument("--mac")
    ap.add_argument("--show-algs", action="store_true")
    ap.add_argument("--corrupt-mac", action="store_true")
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("user")
    ap.add_argument("keyfile")
    ap.add_argument("command")
    a = ap.parse_args()

    disabled = {}
    if a.cipher:
        disabled["ciphers"] = only(paramiko.Transport._preferred_ciphers, a.cipher)
    if a.mac:
        disabled["macs"] = only(paramiko.Transport._preferred_macs, a.mac)

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(a.host, port=a.port, username=a.user, key_filename=a.keyfile,
                       look_for_keys=False, allow_agent=False, timeout=20,
                       banner_timeout=20, auth_timeout=20, disabled_algorithms=disabled)
    except (paramiko.SSHException, OSError) as e:
        print("paramiko_exec: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 255
    try:
        t = client.get_transport()
        if a.show_algs:
            print("algs %s %s" % (t.local_cipher, t.local_mac), file=sys.stderr)
        if a.corrupt_mac:
            return corrupt_mac(t)
        stdin, stdout, stderr = client.exec_command(a.command, timeout=60)
        stdin.close()
        out = stdout.read()
        err = stderr.read()
        status = stdout.channel.recv_exit_status()
    except (paramiko.SSHException, OSError) as e:
        print("paramiko_exec: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 255
    finally:
        client.close()
    sys.stdout.buffer.write(out)
    sys.stderr.buffer.write(err)
    return status if status >= 0 else 255


if __name__ == "__main__":
    sys.exit(main())
