#!/usr/bin/python3
"""Write test/fixtures/scenarios/manifest.json for the captures present.

The addresses are pinned by scenarios.sh, so they are constants here.
expect[].ip   : the address the finding is about
expect[].macs : every MAC the finding must name (order: as listed)
forbid_severity_at_or_above: "warning" for healthy captures (no finding may
reach warning), null when any severity is acceptable.
"""
import json
import os
import sys

W = "warning"
S = {
    "arp-unanswered": ("Host A (192.0.2.10) pings 192.0.2.99, which nobody holds: "
                       "the kernel's six broadcast requests, 1 s apart, all go unanswered.",
                       [("arp.unanswered", "192.0.2.99", ["02:00:00:01:00:0a"])], None),
    "arp-conflict": ("Hosts A and B are both configured with 192.0.2.20; each of the client's "
                     "3 resolutions (request flushed in between) gets two replies, one from each.",
                     [("arp.conflict", "192.0.2.20", ["02:00:00:02:00:0a", "02:00:00:02:00:0b"])], None),
    "arp-flip-flop": ("VIP 192.0.2.30 hops between hosts A and B six times (A,B,A,B,A,B); the client "
                      "re-resolves each time and the answering MAC alternates.",
                      [("arp.flip-flop", "192.0.2.30", ["02:00:00:03:00:0a", "02:00:00:03:00:0b"])], None),
    "arp-gratuitous-storm": ("Host A sends 300 gratuitous ARP requests for 192.0.2.40 in 3 seconds "
                             "(after one normal resolution by the client).",
                             [("arp.gratuitous-storm", "192.0.2.40", ["02:00:00:04:00:0a"])], None),
    "arp-failover": ("VIP 192.0.2.50 first answered by node A; A drops it, node B takes it and announces it "
                     "MetalLB-style (5 rounds 1.1 s apart, gratuitous request + reply). The client's pings follow B.",
                     [("arp.failover", "192.0.2.50", ["02:00:00:05:00:0a", "02:00:00:05:00:0b"])], None),
    "arp-slow-reply": ("Client and host B are joined by a user-space relay that holds every ARP reply 250 ms; "
                       "4 resolutions of 192.0.2.61, each reply ~250 ms after its request. Captured on the client.",
                       [("arp.slow-reply", "192.0.2.61", ["02:00:00:06:00:0b"])], None),
    "arp-proxy": ("Host A has 10.99.1.10/16 on a 10.99.1.0/24 segment and ARPs for 10.99.2.20 and 10.99.2.21 "
                  "behind router R; R (proxy_arp=1) answers both with its own lan0 MAC. R's own 10.99.1.1 is normal.",
                  [("arp.proxy", "10.99.2.20", ["02:00:00:07:00:01"]),
                   ("arp.proxy", "10.99.2.21", ["02:00:00:07:00:01"])], None),
    "arp-sender-mismatch": ("Replies for 192.0.2.80 carry Ethernet source 02:00:00:08:00:21 but ARP sender MAC "
                            "02:00:00:08:00:22 (a MAC-rewriting bridge in front of the owner); traffic then uses :22.",
                            [("arp.sender-mismatch", "192.0.2.80", ["02:00:00:08:00:21", "02:00:00:08:00:22"])], None),
    "arp-flux": ("One namespace with eth0 (192.0.2.90, :31) and eth1 (192.0.2.91, :32) on the same segment, "
                 "arp_ignore=0: every request for either address is answered by both NICs.",
                 [("arp.flux", "192.0.2.90", ["02:00:00:09:00:31", "02:00:00:09:00:32"]),
                  ("arp.flux", "192.0.2.91", ["02:00:00:09:00:31", "02:00:00:09:00:32"])], None),
    "arp-spoof": ("Client 192.0.2.10 pings gateway 192.0.2.1 (02:00:00:10:00:01); attacker :66 sends 8 unsolicited "
                  "unicast replies '192.0.2.1 is-at 02:00:00:10:00:66' to the client, which follows them until NUD recovers.",
                  [("arp.spoof", "192.0.2.1", ["02:00:00:10:00:01", "02:00:00:10:00:66"])], None),
    "arp-mac-change-reset": ("TCP flow client 192.0.2.10 -> 192.0.2.100:8080 (server :51). A second namespace (:fa) that "
                             "takes 192.0.2.100 mid-flow and changes its MAC with arp_notify=1; its gratuitous ARP moves the "
                             "client's entry, the next segment reaches it and its kernel answers with a TCP RST.",
                             [("arp.mac-change-reset", "192.0.2.100", ["02:00:00:11:00:51", "02:00:00:11:00:fa"])], None),
    "arp-virtual-responder": ("Node gateway 10.99.1.1 with onlink routes via 10.99.2.1 and 10.99.0.1; both are answered "
                              "by the Antrea-style global virtual MAC aa:bb:cc:dd:ee:ff (also its unicast re-checks).",
                              [("arp.virtual-responder", "10.99.2.1", ["aa:bb:cc:dd:ee:ff"]),
                               ("arp.virtual-responder", "10.99.0.1", ["aa:bb:cc:dd:ee:ff"])], None),
    "arp-probe-conflict": ("Host P probes 192.0.2.120 (RFC 5227, sender 0.0.0.0, 3 probes); the owner O answers each.",
                           [("arp.probe-conflict", "192.0.2.120", ["02:00:00:13:00:71", "02:00:00:13:00:70"])], None),
    "arp-scan": ("arp-scan from 198.51.100.5 over 198.51.100.0/24 (one retry, 5 ms apart); 3 live hosts answer.",
                 [("arp.scan", "198.51.100.5", ["02:00:00:14:00:5c"])], None),
    "nd-unanswered": ("Host A (2001:db8:1::10) pings 2001:db8:1::99, which nobody holds: multicast NS go unanswered.",
                      [("nd.unanswered", "2001:db8:1::99", ["02:00:00:15:00:0a"])], None),
    "nd-dad-conflict": ("B holds 2001:db8:1::20 (client C talks to it); A is then given the same address: A's DAD NS "
                        "from :: is answered by B's NA to ff02::1 and the kernel marks A's address dadfailed.",
                        [("nd.dad-conflict", "2001:db8:1::20", ["02:00:00:16:00:0b", "02:00:00:16:00:0a"])], None),
    "nd-rogue-ra": ("radvd on R1 (fe80::ff:fe17:1, 2001:db8:1::/64) advertises alone for 5 s, then a second radvd on "
                    "R2 (fe80::ff:fe17:66, 2001:db8:bad::/64) starts; the host re-solicits and hears both.",
                    [("nd.rogue-ra", "fe80::ff:fe17:66", ["02:00:00:17:00:01", "02:00:00:17:00:66"])], None),
    "healthy-ipv4": ("Gateway .1, hosts .10 and .11 ping each other; short NUD timers show Linux unicast re-check "
                     "requests (DELAY->PROBE) answered at once.", [], W),
    "healthy-ipv6": ("One radvd router; two hosts come up inside the capture: unanswered DAD probes, router "
                     "solicitations answered, NS/NA resolution and unicast NUD probes for ping6 traffic.", [], W),
    "healthy-metallb-failover": ("Node B becomes leader for VIP 192.0.2.50 and announces it once, MetalLB-style "
                                 "(5 rounds 1.1 s apart, request + reply); the client then resolves and pings it.", [], W),
    "healthy-kubevip-garp": ("kube-vip leader announces VIP 192.0.2.150 with a gratuitous reply every 3 s (7 in ~20 s); "
                             "a client pings the VIP throughout.", [], W),
    "healthy-vrrp": ("keepalived-style VRRP master: adverts every 1 s from 00:00:5e:00:01:33, a 5-GARP burst for VIP "
                     "192.0.2.200 then one every 5 s; the VIP's macvlan answers the client's requests.", [], W),
}

out = sys.argv[1]
entries = []
for name, (desc, expect, forbid) in S.items():
    if not os.path.exists(os.path.join(out, name + ".pcap")):
        continue
    entries.append({
        "name": name,
        "description": desc,
        "expect": [{"kind": k, "ip": ip, "macs": macs} for k, ip, macs in expect],
        "forbid_severity_at_or_above": forbid,
    })
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(entries, f, indent=2)
    f.write("\n")
print("manifest: %d captures" % len(entries), file=sys.stderr)
