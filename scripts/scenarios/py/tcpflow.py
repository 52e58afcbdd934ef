#!/usr/bin/python3
"""Tiny TCP flow for the mac-change-reset scenario (standard library only).

server ADDR PORT: accept connections, echo every line back.
client ADDR PORT: send --count short lines --interval seconds apart, reading
the echo; stops (and says so on stderr) when the connection is reset.
Both are bounded by --timeout / --count.
"""
import argparse
import socket
import sys
import threading
import time

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["server", "client"])
p.add_argument("addr")
p.add_argument("port", type=int)
p.add_argument("--count", type=int, default=20)
p.add_argument("--interval", type=float, default=0.5)
p.add_argument("--timeout", type=float, default=20)
a = p.parse_args()

if a.mode == "server":
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.addr, a.port))
    srv.listen(4)
    srv.settimeout(a.timeout)

    def echo(conn):
        conn.settimeout(a.timeout)
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass
        finally:
            conn.close()

    end = time.monotonic() + a.timeout
    while time.monotonic() < end:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            break
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
    sys.exit(0)

s = socket.create_connection((a.addr, a.port), timeout=3)
s.settimeout(2)
for n in range(min(a.count, 200)):
    try:
        s.sendall(b"line %d\n" % n)
        s.recv(4096)
    except (ConnectionResetError, BrokenPipeError) as e:
        print("connection reset after %d lines: %s" % (n, e), file=sys.stderr)
        sys.exit(1)
    except socket.timeout:
        pass
    time.sleep(a.interval)
s.close()
