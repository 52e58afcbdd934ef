#!/usr/bin/python3
"""Send hand-built ARP frames (the ones a kernel will not produce) with scapy.

Each "round" sends one frame per --op (request and/or reply); rounds are
spaced --interval seconds apart. Bounded: --count rounds, at most 1000.

Examples
  gratuitous request+reply, MetalLB style (5 rounds, 1.1 s apart):
    arpsend.py -i eth0 --ip 192.0.2.50 --mac 02:.. --op request,reply --count 5 --interval 1.1
  forged unicast reply (spoof):
    arpsend.py -i eth0 --op reply --eth-src M --sha M --spa 192.0.2.1 \
               --eth-dst V --tha V --tpa 192.0.2.10 --count 8 --interval 1
"""
import argparse
import sys
import time

from scapy.all import ARP, Ether, conf, get_if_hwaddr  # type: ignore

p = argparse.ArgumentParser()
p.add_argument("-i", "--iface", required=True)
p.add_argument("--ip", help="gratuitous shorthand: spa = tpa = IP")
p.add_argument("--mac", help="shorthand: eth-src = sha = MAC (default: iface MAC)")
p.add_argument("--op", default="request", help="comma list of request,reply")
p.add_argument("--eth-src")
p.add_argument("--eth-dst", default="ff:ff:ff:ff:ff:ff")
p.add_argument("--sha")
p.add_argument("--spa")
p.add_argument("--tha")
p.add_argument("--tpa")
p.add_argument("--count", type=int, default=1)
p.add_argument("--interval", type=float, default=1.0)
a = p.parse_args()

mac = a.mac or get_if_hwaddr(a.iface)
eth_src = a.eth_src or mac
sha = a.sha or mac
spa = a.spa or a.ip
tpa = a.tpa or a.ip
if not spa or not tpa:
    sys.exit("need --ip or --spa/--tpa")
count = max(1, min(a.count, 1000))
conf.verb = 0
sock = conf.L2socket(iface=a.iface)
frames = []
for op in a.op.split(","):
    code = {"request": 1, "reply": 2}[op]
    # RFC 5227 / Linux: gratuitous request carries a zero target MAC, a
    # gratuitous reply (MetalLB, kube-vip) repeats the sender MAC.
    tha = a.tha or ("00:00:00:00:00:00" if code == 1 else
                    (sha if a.eth_dst == "ff:ff:ff:ff:ff:ff" else a.eth_dst))
    frames.append(Ether(src=eth_src, dst=a.eth_dst) /
                  ARP(op=code, hwsrc=sha, psrc=spa, hwdst=tha, pdst=tpa))
start = time.monotonic()
for n in range(count):
    target = start + n * a.interval
    delay = target - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    for f in frames:
        sock.send(f)
sock.close()
