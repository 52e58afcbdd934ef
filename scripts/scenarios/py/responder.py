#!/usr/bin/python3
"""Answer ARP requests for --ip with a hand-built reply (scapy).

Used where the answer must be something a kernel never sends: an Ethernet
source that differs from the ARP sender MAC. Bounded by --count replies and
--timeout seconds.
"""
import argparse
import time

from scapy.all import ARP, Ether, conf, sniff  # type: ignore

p = argparse.ArgumentParser()
p.add_argument("-i", "--iface", required=True)
p.add_argument("--ip", action="append", required=True)
p.add_argument("--eth-src", required=True)
p.add_argument("--sha", required=True)
p.add_argument("--count", type=int, default=10)
p.add_argument("--timeout", type=float, default=20)
p.add_argument("--delay", type=float, default=0.0)
a = p.parse_args()
conf.verb = 0
sock = conf.L2socket(iface=a.iface)
sent = 0


def handle(pkt):
    global sent
    if ARP not in pkt or pkt[ARP].op != 1 or pkt[ARP].pdst not in a.ip:
        return
    if pkt[Ether].src.lower() == a.eth_src.lower():
        return
    if a.delay:
        time.sleep(a.delay)
    req = pkt[ARP]
    sock.send(Ether(src=a.eth_src, dst=pkt[Ether].src) /
              ARP(op=2, hwsrc=a.sha, psrc=req.pdst, hwdst=req.hwsrc, pdst=req.psrc))
    sent += 1


sniff(iface=a.iface, filter="arp", prn=handle, store=False, timeout=a.timeout,
      stop_filter=lambda _p: sent >= a.count)
sock.close()
