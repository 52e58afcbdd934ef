# shellcheck shell=bash
# One function per capture: sc_<name with - as _> OUTFILE.
# Every address below is pinned so that regenerated captures report the same
# IPs and MACs as test/fixtures/scenarios/manifest.json (see py/manifest.py).
#
# MAC plan: 02:00:00:SS:00:HH, SS = scenario number, HH = host role
#   0a/0b = hosts A/B, 0c = client, 01 = gateway/router, 66 = attacker

ALL_SCENARIOS=(
	arp-unanswered arp-conflict arp-flip-flop arp-gratuitous-storm arp-failover
	arp-slow-reply arp-proxy arp-sender-mismatch arp-flux arp-spoof
	arp-mac-change-reset arp-virtual-responder arp-probe-conflict arp-scan
	nd-unanswered nd-dad-conflict nd-rogue-ra
	healthy-ipv4 healthy-ipv6 healthy-metallb-failover healthy-kubevip-garp healthy-vrrp
)

# direct_veth H1 IF1 MAC1 H2 IF2 MAC2: a point-to-point veth between two namespaces
direct_veth() {
	ip link add "$2" netns "$(ns "$1")" type veth peer name "$5" netns "$(ns "$4")"
	nx "$1" ip link set "$2" address "$3"
	nx "$4" ip link set "$5" address "$6"
	nx "$1" ip link set "$2" up
	nx "$4" ip link set "$5" up
}

# short NUD timers so Linux re-checks neighbours (unicast probes) within a short capture
short_nud() {
	local h=$1 ifc=${2:-eth0}
	nx "$h" sysctl -qw "net.ipv4.neigh.$ifc.base_reachable_time_ms=3000" \
		"net.ipv4.neigh.$ifc.delay_first_probe_time=1"
}
short_nud6() {
	local h=$1 ifc=${2:-eth0}
	nx "$h" sysctl -qw "net.ipv6.neigh.$ifc.base_reachable_time_ms=3000" \
		"net.ipv6.neigh.$ifc.delay_first_probe_time=1"
}

# 01 ------------------------------------------------------------------------
sc_arp_unanswered() {
	mk_switch
	mk_host a 02:00:00:01:00:0a
	nx a ip addr add 192.0.2.10/24 dev eth0
	capture_start "$1"
	# nobody has 192.0.2.99: the kernel sends mcast_solicit (3) requests per
	# resolution attempt, 1 s apart, then starts again for the next packet
	nx a timeout 10 ping -n -c 6 -i 1 -W 1 192.0.2.99 >/dev/null 2>&1 || true
	capture_stop
}

# 02 ------------------------------------------------------------------------
sc_arp_conflict() {
	mk_switch
	mk_host c 02:00:00:02:00:0c
	mk_host a 02:00:00:02:00:0a
	mk_host b 02:00:00:02:00:0b
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx a ip addr add 192.0.2.20/24 dev eth0
	nx b ip addr add 192.0.2.20/24 dev eth0 # same address: misconfiguration
	capture_start "$1"
	local i
	for i in 1 2 3; do
		nx c ip neigh flush dev eth0
		nx c timeout 5 ping -n -c 2 -i 0.5 -W 1 192.0.2.20 >/dev/null 2>&1 || true
		sleep 1
	done
	capture_stop
}

# 03 ------------------------------------------------------------------------
sc_arp_flip_flop() {
	mk_switch
	mk_host c 02:00:00:03:00:0c
	mk_host a 02:00:00:03:00:0a
	mk_host b 02:00:00:03:00:0b
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx a ip addr add 192.0.2.21/24 dev eth0
	nx b ip addr add 192.0.2.22/24 dev eth0
	capture_start "$1"
	# a flapping VIP (split-brain HA pair): the address hops A, B, A, B, A, B;
	# the client re-resolves each time and gets the other MAC
	local i owner other
	for i in 1 2 3 4 5 6; do
		if ((i % 2)); then owner=a other=b; else owner=b other=a; fi
		nx "$other" ip addr del 192.0.2.30/24 dev eth0 2>/dev/null || true
		nx "$owner" ip addr add 192.0.2.30/24 dev eth0
		nx c ip neigh flush dev eth0
		nx c timeout 4 ping -n -c 1 -W 1 192.0.2.30 >/dev/null 2>&1 || true
		sleep 0.8
	done
	capture_stop
}

# 04 ------------------------------------------------------------------------
sc_arp_gratuitous_storm() {
	mk_switch
	mk_host c 02:00:00:04:00:0c
	mk_host a 02:00:00:04:00:0a
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx a ip addr add 192.0.2.40/24 dev eth0
	capture_start "$1"
	nx c timeout 5 ping -n -c 1 -W 1 192.0.2.40 >/dev/null 2>&1 || true
	# a looping announcer: 300 gratuitous requests for one IP in 3 seconds
	arpsend a -i eth0 --ip 192.0.2.40 --op request --count 300 --interval 0.01
	capture_stop
}

# 05 ------------------------------------------------------------------------
# MetalLB layer-2 announcement: 5 rounds 1.1 s apart, each a gratuitous
# request and a gratuitous reply, broadcast
metallb_announce() { arpsend "$1" -i eth0 --ip "$2" --op request,reply --count 5 --interval 1.1; }

sc_arp_failover() {
	mk_switch
	mk_host c 02:00:00:05:00:0c
	mk_host a 02:00:00:05:00:0a
	mk_host b 02:00:00:05:00:0b
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx a ip addr add 192.0.2.31/24 dev eth0
	nx b ip addr add 192.0.2.32/24 dev eth0
	nx a ip addr add 192.0.2.50/32 dev eth0 # node A is the speaker for the VIP
	capture_start "$1"
	nx c timeout 5 ping -n -c 2 -i 0.5 -W 1 192.0.2.50 >/dev/null 2>&1 || true
	# node A dies; node B becomes the leader and announces the VIP
	nx a ip addr del 192.0.2.50/32 dev eth0
	nx b ip addr add 192.0.2.50/32 dev eth0
	bg c timeout 9 ping -n -c 14 -i 0.5 -W 1 192.0.2.50
	sleep 0.7
	metallb_announce b 192.0.2.50
	sleep 2
	kill_bg
	capture_stop
}

# 06 ------------------------------------------------------------------------
sc_arp_slow_reply() {
	# client C -- relay namespace R -- host B; R holds every ARP reply 250 ms
	mk_ns c
	mk_ns r
	mk_ns b
	direct_veth c eth0 02:00:00:06:00:0c r rc 02:00:00:06:00:f1
	direct_veth b eth0 02:00:00:06:00:0b r rb 02:00:00:06:00:f2
	nx r ip link set rc promisc on
	nx r ip link set rb promisc on
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx b ip addr add 192.0.2.61/24 dev eth0
	bg r timeout 30 "$PY" "$PYDIR/relay.py" rc rb --delay 0.25 --timeout 25
	sleep 1
	capture_start "$1" c eth0
	local i
	for i in 1 2 3 4; do
		nx c ip neigh flush dev eth0
		nx b ip neigh flush dev eth0
		nx c timeout 5 ping -n -c 2 -i 0.5 -W 2 192.0.2.61 >/dev/null 2>&1 || true
		sleep 0.5
	done
	capture_stop
	kill_bg
}

# 07 ------------------------------------------------------------------------
sc_arp_proxy() {
	mk_switch
	mk_host a 02:00:00:07:00:0a
	mk_host r 02:00:00:07:00:01 "" br0 lan0
	mk_ns d
	direct_veth r lan1 02:00:00:07:00:02 d eth0 02:00:00:07:00:0d
	nx r ip addr add 10.99.1.1/24 dev lan0
	nx r ip addr add 10.99.2.1/24 dev lan1
	nx r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.lan0.proxy_arp=1 \
		net.ipv4.neigh.lan0.proxy_delay=0
	nx d ip addr add 10.99.2.20/24 dev eth0
	nx d ip route add default via 10.99.2.1
	# the mistake: A has a /16 where its segment is a /24, so it ARPs for
	# hosts behind the router, and the router's proxy ARP answers for them
	nx a ip addr add 10.99.1.10/16 dev eth0
	capture_start "$1"
	nx a timeout 5 ping -n -c 3 -i 0.5 -W 1 10.99.2.20 >/dev/null 2>&1 || true
	nx a timeout 5 ping -n -c 2 -i 0.5 -W 1 10.99.2.21 >/dev/null 2>&1 || true
	nx a timeout 5 ping -n -c 2 -i 0.5 -W 1 10.99.1.1 >/dev/null 2>&1 || true
	capture_stop
}

# 08 ------------------------------------------------------------------------
sc_arp_sender_mismatch() {
	mk_switch
	mk_host c 02:00:00:08:00:0c
	mk_host m 02:00:00:08:00:22
	nx c ip addr add 192.0.2.10/24 dev eth0
	# M owns 192.0.2.80 on MAC :22 but its ARP answers leave through a
	# MAC-rewriting bridge: Ethernet source :21, ARP sender MAC :22.
	nx m ip addr add 192.0.2.80/24 dev eth0
	nx m sysctl -qw net.ipv4.conf.all.arp_ignore=8 net.ipv4.conf.eth0.arp_ignore=8
	bg m timeout 25 "$PY" "$PYDIR/responder.py" -i eth0 --ip 192.0.2.80 \
		--eth-src 02:00:00:08:00:21 --sha 02:00:00:08:00:22 --count 5 --timeout 20
	sleep 2
	capture_start "$1"
	local i
	for i in 1 2 3; do
		nx c ip neigh flush dev eth0
		nx c timeout 5 ping -n -c 2 -i 0.5 -W 1 192.0.2.80 >/dev/null 2>&1 || true
		sleep 0.5
	done
	capture_stop
	kill_bg
}

# 09 ------------------------------------------------------------------------
sc_arp_flux() {
	mk_switch
	mk_host c 02:00:00:09:00:0c
	mk_host m 02:00:00:09:00:31 "" br0 eth0
	mk_host m 02:00:00:09:00:32 "" br0 eth1
	nx c ip addr add 192.0.2.10/24 dev eth0
	# one multi-homed host, two NICs on one segment, default arp_ignore=0 and
	# arp_filter=0: both NICs answer for either address
	nx m ip addr add 192.0.2.90/24 dev eth0
	nx m ip addr add 192.0.2.91/24 dev eth1
	nx m sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_filter=0
	capture_start "$1"
	local i ip
	for i in 1 2; do
		for ip in 192.0.2.90 192.0.2.91; do
			nx c ip neigh flush dev eth0
			nx c timeout 5 ping -n -c 1 -W 1 "$ip" >/dev/null 2>&1 || true
			sleep 0.5
		done
	done
	capture_stop
}

# 10 ------------------------------------------------------------------------
sc_arp_spoof() {
	mk_switch
	mk_host g 02:00:00:10:00:01
	mk_host c 02:00:00:10:00:0c
	mk_host x 02:00:00:10:00:66
	nx g ip addr add 192.0.2.1/24 dev eth0
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx x ip addr add 192.0.2.66/24 dev eth0
	capture_start "$1"
	bg c timeout 14 ping -n -c 24 -i 0.5 -W 1 192.0.2.1
	sleep 2
	# arpspoof-style poisoning: unsolicited unicast replies to the victim,
	# "192.0.2.1 is-at <attacker>", once a second
	arpsend x -i eth0 --op reply --eth-src 02:00:00:10:00:66 --sha 02:00:00:10:00:66 \
		--spa 192.0.2.1 --eth-dst 02:00:00:10:00:0c --tha 02:00:00:10:00:0c \
		--tpa 192.0.2.10 --count 8 --interval 1
	sleep 3
	kill_bg
	capture_stop
}

# 11 ------------------------------------------------------------------------
sc_arp_mac_change_reset() {
	mk_switch
	mk_host c 02:00:00:11:00:0c
	mk_host s 02:00:00:11:00:51
	mk_host f 02:00:00:11:00:f0
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx s ip addr add 192.0.2.100/24 dev eth0
	# F (a misconfigured firewall) will claim 192.0.2.100 too; arp_notify=1
	# makes its kernel announce its addresses when its MAC changes
	nx f sysctl -qw net.ipv4.conf.eth0.arp_notify=1 net.ipv4.conf.all.arp_notify=1
	bg s timeout 25 "$PY" "$PYDIR/tcpflow.py" server 192.0.2.100 8080 --timeout 20
	sleep 1
	capture_start "$1"
	bg c timeout 20 "$PY" "$PYDIR/tcpflow.py" client 192.0.2.100 8080 --count 30 --interval 0.3
	sleep 3
	# F takes the address and its NIC gets the MAC :fa: the kernel's gratuitous
	# ARP moves C's entry, C's next segment reaches F, whose kernel has no such
	# connection and answers with a RST
	nx f ip addr add 192.0.2.100/24 dev eth0
	nx f ip link set eth0 address 02:00:00:11:00:fa
	sleep 5
	kill_bg
	capture_stop
}

# 12 ------------------------------------------------------------------------
sc_arp_virtual_responder() {
	mk_switch
	mk_host n 02:00:00:12:00:01 "" br0 gw0
	mk_host o aa:bb:cc:dd:ee:ff
	# N is a node's gateway interface (10.99.1.1); routes to the other nodes'
	# pod subnets point "onlink" at their gateway IPs. O answers ARP for those
	# remote gateways with Antrea's global virtual MAC aa:bb:cc:dd:ee:ff.
	nx n ip addr add 10.99.1.1/24 dev gw0
	nx n ip route add 10.99.2.0/24 via 10.99.2.1 dev gw0 onlink
	nx n ip route add 10.99.0.0/24 via 10.99.0.1 dev gw0 onlink
	short_nud n gw0
	local a
	for a in 10.99.2.1 10.99.0.1 10.99.2.34 10.99.0.5; do
		nx o ip addr add "$a/32" dev eth0
	done
	nx o ip route add 10.99.1.0/24 dev eth0
	capture_start "$1"
	bg n timeout 10 ping -n -c 16 -i 0.5 -W 1 10.99.2.34
	bg n timeout 10 ping -n -c 16 -i 0.5 -W 1 10.99.0.5
	sleep 9
	kill_bg
	capture_stop
}

# 13 ------------------------------------------------------------------------
sc_arp_probe_conflict() {
	mk_switch
	mk_host o 02:00:00:13:00:71
	mk_host p 02:00:00:13:00:70
	nx o ip addr add 192.0.2.120/24 dev eth0
	capture_start "$1"
	# P wants 192.0.2.120 and probes first (sender IP 0.0.0.0); the owner answers
	nx p timeout 6 arping -0 -c 3 -i eth0 192.0.2.120 >/dev/null 2>&1 || true
	capture_stop
}

# 14 ------------------------------------------------------------------------
sc_arp_scan() {
	mk_switch
	mk_host s 02:00:00:14:00:5c
	mk_host g 02:00:00:14:00:01
	mk_host a 02:00:00:14:00:0a
	mk_host b 02:00:00:14:00:0b
	nx s ip addr add 198.51.100.5/24 dev eth0
	nx g ip addr add 198.51.100.1/24 dev eth0
	nx a ip addr add 198.51.100.20/24 dev eth0
	nx b ip addr add 198.51.100.77/24 dev eth0
	capture_start "$1"
	nx s timeout 20 arp-scan -q -I eth0 --retry=1 --interval=5 198.51.100.0/24 >/dev/null 2>&1 || true
	capture_stop
}

# 15 ------------------------------------------------------------------------
sc_nd_unanswered() {
	mk_switch
	mk_host a 02:00:00:15:00:0a v6
	nx a sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
	nx a ip -6 addr add 2001:db8:1::10/64 dev eth0
	wait_dad a
	capture_start "$1"
	nx a timeout 10 ping -6 -n -c 6 -i 1 -W 1 2001:db8:1::99 >/dev/null 2>&1 || true
	capture_stop
}

# 16 ------------------------------------------------------------------------
sc_nd_dad_conflict() {
	mk_switch
	mk_host b 02:00:00:16:00:0b v6
	mk_host a 02:00:00:16:00:0a v6
	mk_host c 02:00:00:16:00:0c v6
	nx b ip -6 addr add 2001:db8:1::20/64 dev eth0
	nx c ip -6 addr add 2001:db8:1::30/64 dev eth0
	wait_dad a
	wait_dad b
	wait_dad c
	capture_start "$1"
	nx c timeout 4 ping -6 -n -c 2 -i 0.5 -W 1 2001:db8:1::20 >/dev/null 2>&1 || true
	# A is given the address B already uses: its DAD probe (NS from ::) is
	# answered by B's NA to all-nodes and A marks the address dadfailed
	nx a ip -6 addr add 2001:db8:1::20/64 dev eth0
	sleep 2.5
	nx a ip -6 addr show dev eth0 | grep -q dadfailed || log "WARN: A did not report dadfailed"
	capture_stop
}

# radvd in namespace H: PREFIX, extra options
start_radvd() {
	local h=$1 prefix=$2 conf pid
	conf=$RUN_TMP/radvd-$h.conf
	pid=$RUN_TMP/radvd-$h.pid
	cat >"$conf" <<-EOF
		interface eth0 {
			AdvSendAdvert on;
			MinRtrAdvInterval 3;
			MaxRtrAdvInterval 4;
			AdvDefaultLifetime 1800;
			prefix $prefix { AdvOnLink on; AdvAutonomous on; };
		};
	EOF
	nx "$h" sysctl -qw net.ipv6.conf.all.forwarding=1
	wait_dad "$h"
	bg "$h" timeout 40 radvd -n -C "$conf" -p "$pid" -m stderr -d 0
}

# 17 ------------------------------------------------------------------------
sc_nd_rogue_ra() {
	mk_switch
	mk_host r1 02:00:00:17:00:01 v6
	mk_host r2 02:00:00:17:00:66 v6
	mk_host h 02:00:00:17:00:0c v6
	wait_dad r1
	wait_dad r2
	wait_dad h
	start_radvd r1 2001:db8:1::/64
	capture_start "$1"
	sleep 5
	# a second, unexpected router starts advertising another prefix
	start_radvd r2 2001:db8:bad::/64
	# the host re-solicits (link bounce) and hears both routers
	nx h ip link set eth0 down
	nx h ip link set eth0 up
	sleep 9
	nx h ip -6 route show default >&2 || true
	kill_bg
	capture_stop
}

# 18 ------------------------------------------------------------------------
sc_healthy_ipv4() {
	mk_switch
	mk_host g 02:00:00:18:00:01
	mk_host a 02:00:00:18:00:0a
	mk_host b 02:00:00:18:00:0b
	nx g ip addr add 192.0.2.1/24 dev eth0
	nx a ip addr add 192.0.2.10/24 dev eth0
	nx b ip addr add 192.0.2.11/24 dev eth0
	short_nud a
	short_nud b
	short_nud g
	capture_start "$1"
	bg a timeout 14 ping -n -c 24 -i 0.5 -W 1 192.0.2.1
	bg b timeout 14 ping -n -c 12 -i 1 -W 1 192.0.2.10
	sleep 2
	nx a timeout 5 ping -n -c 3 -i 0.5 -W 1 192.0.2.11 >/dev/null 2>&1 || true
	sleep 11
	kill_bg
	capture_stop
}

# 19 ------------------------------------------------------------------------
sc_healthy_ipv6() {
	mk_switch
	mk_host r 02:00:00:19:00:01 v6
	start_radvd r 2001:db8:1::/64
	sleep 1
	capture_start "$1"
	# hosts come up inside the capture: link-local and global DAD probes
	# (unanswered), router solicitations answered by the one router
	mk_host a 02:00:00:19:00:0a v6
	mk_host b 02:00:00:19:00:0b v6
	short_nud6 a
	short_nud6 b
	nx a ip -6 addr add 2001:db8:1::10/64 dev eth0
	nx b ip -6 addr add 2001:db8:1::11/64 dev eth0
	sleep 3
	wait_dad a
	wait_dad b
	bg a timeout 10 ping -6 -n -c 16 -i 0.5 -W 1 2001:db8:1::11
	bg b timeout 10 ping -6 -n -c 8 -i 1 -W 1 fe80::ff:fe19:1%eth0
	sleep 9
	kill_bg
	capture_stop
}

# 20 ------------------------------------------------------------------------
sc_healthy_metallb_failover() {
	mk_switch
	mk_host c 02:00:00:20:00:0c
	mk_host b 02:00:00:20:00:0b
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx b ip addr add 192.0.2.32/24 dev eth0
	capture_start "$1"
	# node B is elected leader for the service VIP and announces it once
	nx b ip addr add 192.0.2.50/32 dev eth0
	metallb_announce b 192.0.2.50
	nx c timeout 5 ping -n -c 4 -i 0.5 -W 1 192.0.2.50 >/dev/null 2>&1 || true
	capture_stop
}

# 21 ------------------------------------------------------------------------
sc_healthy_kubevip_garp() {
	mk_switch
	mk_host c 02:00:00:21:00:0c
	mk_host l 02:00:00:21:00:0a
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx l ip addr add 192.0.2.21/24 dev eth0
	nx l ip addr add 192.0.2.150/32 dev eth0
	capture_start "$1"
	# kube-vip leader: a gratuitous ARP reply for the VIP every 3 s
	bg l timeout 25 "$PY" "$PYDIR/arpsend.py" -i eth0 --ip 192.0.2.150 --op reply \
		--tha ff:ff:ff:ff:ff:ff --count 7 --interval 3
	sleep 1
	bg c timeout 20 ping -n -c 18 -i 1 -W 1 192.0.2.150
	sleep 19
	kill_bg
	capture_stop
}

# 22 ------------------------------------------------------------------------
sc_healthy_vrrp() {
	mk_switch
	mk_host c 02:00:00:22:00:0c
	mk_host k 02:00:00:22:00:0a
	nx c ip addr add 192.0.2.10/24 dev eth0
	nx k ip addr add 192.0.2.81/24 dev eth0
	# keepalived use_vmac: a macvlan with the VRRP MAC carries the VIP;
	# arp_ignore=1 so only that interface answers for it
	nx k ip link add link eth0 name vrrp51 address 00:00:5e:00:01:33 type macvlan mode bridge
	nx k sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1
	nx k sysctl -qw net.ipv6.conf.vrrp51.disable_ipv6=1 2>/dev/null || true
	nx k sysctl -qw net.ipv4.conf.all.arp_announce=2
	nx k ip addr add 192.0.2.200/32 dev vrrp51
	nx k ip link set vrrp51 up
	# traffic sourced from the VIP leaves through the VRRP-MAC interface
	nx k ip rule add from 192.0.2.200 table 51
	nx k ip route add 192.0.2.0/24 dev vrrp51 src 192.0.2.200 table 51
	capture_start "$1"
	bg k timeout 25 "$PY" "$PYDIR/vrrp.py" -i vrrp51 --vrid 51 --src 192.0.2.81 \
		--vip 192.0.2.200 --duration 20
	sleep 2
	bg c timeout 17 ping -n -c 16 -i 1 -W 1 192.0.2.200
	sleep 18.5
	kill_bg
	capture_stop
}
