#!/usr/bin/python3
"""User-space two-port relay that delays ARP replies.

The test kernel has no netem, so a slow ARP responder is emulated by relaying
frames between two veths with AF_PACKET sockets: everything is forwarded at
once except ARP replies (ethertype 0x0806, opcode 2), which are held for
--delay seconds. Bounded by --timeout seconds. Standard library only.
"""
import argparse
import heapq
import select
import socket
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

p = argparse.ArgumentParser()
p.add_argument("a")
p.add_argument("b")
p.add_argument("--delay", type=float, default=0.25)
p.add_argument("--timeout", type=float, default=30)
args = p.parse_args()


def open_sock(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


socks = {args.a: open_sock(args.a), args.b: open_sock(args.b)}
other = {args.a: socks[args.b], args.b: socks[args.a]}
by_fd = {s.fileno(): name for name, s in socks.items()}
held = []  # (release_time, seq, sock, frame)
seq = 0
end = time.monotonic() + args.timeout
while time.monotonic() < end:
    now = time.monotonic()
    wait = 0.2 if not held else max(0.0, held[0][0] - now)
    r, _, _ = select.select(list(socks.values()), [], [], min(wait, 0.2))
    for s in r:
        name = by_fd[s.fileno()]
        while True:
            try:
                frame, addr = s.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING:
                continue  # our own transmission
            is_arp_reply = (len(frame) >= 22 and frame[12:14] == b"\x08\x06"
                            and frame[20:22] == b"\x00\x02")
            if is_arp_reply:
                seq += 1
                heapq.heappush(held, (time.monotonic() + args.delay, seq, other[name], frame))
            else:
                other[name].send(frame)
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, _, out, frame = heapq.heappop(held)
        out.send(frame)
