#!/usr/bin/env python3
"""Sends ARP requests out of an interface at a steady rate, for watch soak
and flood benchmarks. Standard library only (an AF_PACKET socket); run it
inside a network namespace the benchmark created. Targets cycle through
--hosts addresses of 10.99.0.0/16 (a private test range), senders through
the same pool, so the analyzer sees a realistic many-host segment.

  arp-blast.py IFACE --rate 100000 --seconds 10
Prints one JSON line: {"sent": N, "seconds": S, "rate": R}.
"""
import argparse, json, socket, struct, time

ap = argparse.ArgumentParser()
ap.add_argument('iface')
ap.add_argument('--rate', type=float, default=100000)
ap.add_argument('--seconds', type=float, default=10)
ap.add_argument('--hosts', type=int, default=2000)
a = ap.parse_args()

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((a.iface, 0))
frames = []
for i in range(a.hosts):
    mac = bytes([0x02, 0x00, 0x99, (i >> 16) & 255, (i >> 8) & 255, i & 255])
    spa = socket.inet_aton('10.99.%d.%d' % ((i >> 8) & 255, i & 255))
    j = (i * 7 + 1) % a.hosts
    tpa = socket.inet_aton('10.99.%d.%d' % ((j >> 8) & 255, j & 255))
    arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mac + spa + b'\0' * 6 + tpa
    frames.append(b'\xff' * 6 + mac + b'\x08\x06' + arp + b'\0' * 18)

sent = 0
start = time.monotonic()
end = start + a.seconds
batch = max(1, int(a.rate / 1000))  # pace in 1 ms slices
n = len(frames)
while True:
    now = time.monotonic()
    if now >= end:
        break
    due = int((now - start) * a.rate)
    while sent < due:
        for _ in range(min(batch, due - sent)):
            try:
                s.send(frames[sent % n])
            except OSError:
                pass  # a full queue is a drop, counted by the receiver side
            sent += 1
    time.sleep(0.0005)
el = time.monotonic() - start
print(json.dumps({'sent': sent, 'seconds': round(el, 3), 'rate': round(sent / el)}))
