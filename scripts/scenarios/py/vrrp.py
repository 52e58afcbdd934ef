#!/usr/bin/python3
"""keepalived-style VRRPv2 master: advertisements every --advert seconds from
the virtual router MAC 00:00:5e:00:01:<vrid>, plus gratuitous ARPs for the VIP
(--garp-burst at start, then one every --garp-refresh seconds). Bounded by
--duration seconds.
"""
import argparse
import time

from scapy.all import ARP, IP, Ether, conf  # type: ignore
from scapy.layers.vrrp import VRRP  # type: ignore

p = argparse.ArgumentParser()
p.add_argument("-i", "--iface", required=True)
p.add_argument("--vrid", type=int, default=51)
p.add_argument("--src", required=True, help="real IP of the master")
p.add_argument("--vip", required=True)
p.add_argument("--advert", type=float, default=1.0)
p.add_argument("--garp-burst", type=int, default=5)
p.add_argument("--garp-refresh", type=float, default=5.0)
p.add_argument("--duration", type=float, default=20.0)
a = p.parse_args()
conf.verb = 0
vmac = "00:00:5e:00:01:%02x" % a.vrid
sock = conf.L2socket(iface=a.iface)
adv = (Ether(src=vmac, dst="01:00:5e:00:00:12") /
       IP(src=a.src, dst="224.0.0.18", ttl=255, proto=112) /
       VRRP(version=2, type=1, vrid=a.vrid, priority=150, ipcount=1,
            adv=int(a.advert), addrlist=[a.vip]))
garp = (Ether(src=vmac, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=vmac, psrc=a.vip, hwdst="ff:ff:ff:ff:ff:ff", pdst=a.vip))
start = time.monotonic()
next_adv = start
next_garp = start
burst_left = a.garp_burst
while True:
    now = time.monotonic()
    if now - start >= a.duration:
        break
    if now >= next_adv:
        sock.send(adv)
        next_adv += a.advert
    if now >= next_garp:
        sock.send(garp)
        if burst_left > 1:
            burst_left -= 1
            next_garp = now + 0.01  # keepalived sends the burst back to back
        else:
            burst_left = 0
            next_garp = now + a.garp_refresh
    time.sleep(max(0.0, min(next_adv, next_garp) - time.monotonic()))
sock.close()
