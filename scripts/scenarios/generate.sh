#!/usr/bin/env bash
# Regenerate arpscope's kernel-made scenario captures.
#
#   sudo scripts/scenarios/generate.sh               # every scenario
#   sudo scripts/scenarios/generate.sh arp-flux ...  # only these
#
# Writes test/fixtures/scenarios/<name>.pcap and rewrites manifest.json.
# Everything runs in throw-away network namespaces named arpscope-t-*, on
# documentation/test address ranges only; all of it is removed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/test/fixtures/scenarios
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=scenarios.sh
source "$HERE/scenarios.sh"

usage() {
	echo "usage: $0 [--list] [name...]" >&2
	echo "names: ${ALL_SCENARIOS[*]}" >&2
	exit 2
}

ensure_deps() {
	local need=() pkg bin
	for pair in ip:iproute2 tcpdump:tcpdump arping:arping ping:iputils-ping \
		arp-scan:arp-scan radvd:radvd ndisc6:ndisc6 timeout:coreutils; do
		bin=${pair%%:*} pkg=${pair#*:}
		command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
	done
	/usr/bin/python3 -c 'import scapy.all' 2>/dev/null || need+=(python3-scapy)
	if ((${#need[@]})); then
		log "installing: ${need[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
	fi
}

[[ ${1:-} == --list ]] && { printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0; }
[[ ${1:-} == -h || ${1:-} == --help ]] && usage
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces)"

names=("$@")
((${#names[@]})) || names=("${ALL_SCENARIOS[@]}")
for n in "${names[@]}"; do
	declare -F "sc_${n//-/_}" >/dev/null || { log "unknown scenario: $n"; usage; }
done

ensure_deps
mkdir -p "$OUT"
SC_PID=
on_exit() {
	[[ -n $SC_PID ]] && kill "$SC_PID" 2>/dev/null
	teardown
	rm -rf "$RUN_TMP"
	rm -f "$OUT"/.*.pcap.tmp
}
trap on_exit EXIT
trap 'log interrupted; exit 130' INT TERM
teardown # leftovers of an interrupted run

failed=()
for n in "${names[@]}"; do
	log "== $n"
	tmp="$OUT/.$n.pcap.tmp"
	set +e
	(
		set -e
		"sc_${n//-/_}" "$tmp"
	) &
	SC_PID=$!
	wait "$SC_PID" # interruptible, unlike a foreground subshell
	rc=$?
	SC_PID=
	set -e
	if ((rc != 0)); then
		log "scenario $n failed (exit $rc)"
		failed+=("$n")
	fi
	teardown
	if ((rc == 0)) && [[ -s $tmp ]]; then
		mv -f "$tmp" "$OUT/$n.pcap"
		chown --reference="$ROOT" "$OUT/$n.pcap" 2>/dev/null || true
		log "$n: $(tcpdump -n -r "$OUT/$n.pcap" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT/$n.pcap") bytes"
	else
		rm -f "$tmp" # keep the previous capture, if any
		[[ " ${failed[*]} " == *" $n "* ]] || failed+=("$n")
	fi
done

/usr/bin/python3 "$HERE/py/manifest.py" "$OUT"
ok=()
for n in "${names[@]}"; do [[ " ${failed[*]} " == *" $n "* ]] || ok+=("$n"); done
if ((${#ok[@]})) && ! "$HERE/verify.sh" "${ok[@]}" >&2; then
	log "verification failed (see above)"
	exit 1
fi
if ((${#failed[@]})); then
	log "FAILED: ${failed[*]}"
	exit 1
fi
log "done"
