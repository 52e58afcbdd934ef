# shellcheck shell=bash
# Helpers for the arpscope scenario generator. Sourced by generate.sh.
#
# Topology model: one "switch" namespace (arpscope-t-sw) holds a Linux bridge
# br0; every host is its own namespace (arpscope-t-<host>) whose eth0 is one
# end of a veth pair, the other end (p-<host>) being a bridge port. Captures
# run on br0 (promiscuous, so it sees every frame the bridge forwards) unless a
# scenario says otherwise.

NS_PREFIX=arpscope-t-
PY=/usr/bin/python3
SCN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYDIR=$SCN_DIR/py

RUN_TMP=$(mktemp -d /tmp/arpscope-scenarios.XXXXXX)
BG_PIDS=()
CAP_PID=
CAP_LOG=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ns() { echo "${NS_PREFIX}$1"; }
# nx HOST cmd... : run a command inside a host namespace
nx() { local h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }
# bg HOST cmd... : same, in the background; the pid is remembered for cleanup
bg() { local h=$1; shift; ip netns exec "$(ns "$h")" "$@" >/dev/null & BG_PIDS+=($!); }

kill_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	BG_PIDS=()
}

teardown() {
	if [[ -n $CAP_PID ]]; then
		kill -INT "$CAP_PID" 2>/dev/null || true
		wait "$CAP_PID" 2>/dev/null || true
		CAP_PID=
	fi
	kill_bg
	local n
	for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NS_PREFIX}" || true); do
		# kill anything still running in the namespace (only our own namespaces)
		local pids
		pids=$(ip netns pids "$n" 2>/dev/null || true)
		[[ -n $pids ]] && kill $pids 2>/dev/null || true
		ip netns del "$n" 2>/dev/null || true
	done
}

# mk_ns NAME [v6]: a namespace with lo up; IPv6 disabled unless "v6"
mk_ns() {
	local h=$1 v6=${2:-}
	ip netns add "$(ns "$h")"
	nx "$h" ip link set lo up
	if [[ $v6 != v6 ]]; then
		nx "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	else
		nx "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
	fi
}

# mk_switch [BRIDGE]: switch namespace with a bridge, no IP, IPv6 off, no
# multicast snooping (so every NS/RA is flooded and captured)
mk_switch() {
	local br=${1:-br0}
	ip netns list | grep -q "^$(ns sw)\b" || mk_ns sw
	nx sw ip link add "$br" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
	nx sw ip link set "$br" address 02:00:00:00:ff:00
	nx sw ip link set "$br" up
}

# mk_host NAME MAC [v6] [BRIDGE] [IFNAME]: host namespace (created if needed)
# with interface IFNAME (default eth0) plugged into BRIDGE (default br0)
mk_host() {
	local h=$1 mac=$2 v6=${3:-} br=${4:-br0} ifn=${5:-eth0}
	ip netns list | grep -q "^$(ns "$h")\b" || mk_ns "$h" "$v6"
	local port="p-${h}-${ifn}"
	port=${port:0:15}
	ip link add "$port" netns "$(ns sw)" type veth peer name "$ifn" netns "$(ns "$h")"
	nx "$h" ip link set "$ifn" address "$mac"
	[[ $v6 == v6 ]] || nx "$h" sysctl -qw "net.ipv6.conf.$ifn.disable_ipv6=1"
	nx sw sysctl -qw "net.ipv6.conf.$port.disable_ipv6=1" 2>/dev/null || true
	nx sw ip link set "$port" master "$br"
	nx sw ip link set "$port" up
	nx "$h" ip link set "$ifn" up
}

# capture_start FILE [HOST] [IFACE] [FILTER...]: tcpdump -U in HOST (default sw)
capture_start() {
	local file=$1 h=${2:-sw} ifc=${3:-br0}
	shift 3 2>/dev/null || shift $#
	rm -f "$file"
	CAP_LOG=$RUN_TMP/tcpdump.log
	: >"$CAP_LOG"
	ip netns exec "$(ns "$h")" tcpdump -i "$ifc" -U -s 262144 -w "$file" "$@" 2>"$CAP_LOG" &
	CAP_PID=$!
	local i
	for i in $(seq 1 50); do
		grep -q "listening on" "$CAP_LOG" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "listening on" "$CAP_LOG" || die "tcpdump did not start: $(cat "$CAP_LOG")"
	sleep 0.3
}

capture_stop() {
	sleep 0.5
	if [[ -n $CAP_PID ]]; then
		kill -INT "$CAP_PID" 2>/dev/null || true
		wait "$CAP_PID" 2>/dev/null || true
		CAP_PID=
	fi
	grep -E "packets (captured|dropped)" "$CAP_LOG" >&2 || true
}

# wait_dad HOST [IFACE]: wait (max 5 s) until no address on IFACE is tentative
wait_dad() {
	local h=$1 ifc=${2:-eth0} i
	for i in $(seq 1 50); do
		nx "$h" ip -6 addr show dev "$ifc" | grep -q tentative || return 0
		sleep 0.1
	done
}

# arpsend HOST args...: forge ARP frames with scapy (see py/arpsend.py)
arpsend() { local h=$1; shift; nx "$h" timeout 60 "$PY" "$PYDIR/arpsend.py" "$@"; }
