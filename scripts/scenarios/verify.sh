#!/usr/bin/env bash
# Check, with tcpdump -n -e -r, that each capture really shows its problem.
#   scripts/scenarios/verify.sh [name...]     (all present captures by default)
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=$(cd "$HERE/../.." && pwd)/test/fixtures/scenarios
fail=0

# at_least N REGEX: at least N lines of the current dump match
at_least() {
	local n
	n=$(grep -cE -- "$2" <<<"$DUMP")
	if ((n < $1)); then
		echo "  FAIL $NAME: want >= $1 lines matching /$2/, got $n"
		fail=1
	fi
}
none() {
	if grep -qE -- "$1" <<<"$DUMP"; then
		echo "  FAIL $NAME: unexpected /$1/"
		fail=1
	fi
}

check() {
	case $NAME in
	arp-unanswered)
		at_least 3 'Request who-has 192\.0\.2\.99 tell 192\.0\.2\.10'
		none 'Reply 192\.0\.2\.99 ' ;;
	arp-conflict)
		at_least 3 'Reply 192\.0\.2\.20 is-at 02:00:00:02:00:0a'
		at_least 3 'Reply 192\.0\.2\.20 is-at 02:00:00:02:00:0b' ;;
	arp-flip-flop)
		local seq changes
		seq=$(grep -oE 'Reply 192\.0\.2\.30 is-at [0-9a-f:]+' <<<"$DUMP" | awk '{print $4}' | uniq | wc -l)
		changes=$((seq - 1))
		((changes >= 4)) || { echo "  FAIL $NAME: only $changes MAC changes"; fail=1; } ;;
	arp-gratuitous-storm)
		at_least 200 '02:00:00:04:00:0a > ff:ff:ff:ff:ff:ff.*who-has 192\.0\.2\.40 tell 192\.0\.2\.40' ;;
	arp-failover)
		at_least 1 'Reply 192\.0\.2\.50 is-at 02:00:00:05:00:0a'
		at_least 5 '02:00:00:05:00:0b > ff:ff:ff:ff:ff:ff.*Request who-has 192\.0\.2\.50 tell 192\.0\.2\.50'
		at_least 5 '02:00:00:05:00:0b > ff:ff:ff:ff:ff:ff.*Reply 192\.0\.2\.50 is-at 02:00:00:05:00:0b' ;;
	arp-slow-reply)
		local slow
		slow=$(tcpdump -tt -n -r "$FILE" arp 2>/dev/null | awk '
			/Request who-has 192.0.2.61/ {t=$1}
			/Reply 192.0.2.61/ && t { if ($1 - t > 0.1) n++; t=0 }
			END {print n+0}')
		((slow >= 3)) || { echo "  FAIL $NAME: only $slow replies later than 100 ms"; fail=1; } ;;
	arp-proxy)
		at_least 1 'Reply 10\.99\.2\.20 is-at 02:00:00:07:00:01'
		at_least 1 'Reply 10\.99\.2\.21 is-at 02:00:00:07:00:01'
		at_least 1 'who-has 10\.99\.2\.2[01] tell 10\.99\.1\.10' ;;
	arp-sender-mismatch)
		at_least 3 '^[0-9:.]+ 02:00:00:08:00:21 > .*Reply 192\.0\.2\.80 is-at 02:00:00:08:00:22' ;;
	arp-flux)
		local ip mac
		for ip in 90 91; do
			for mac in 31 32; do
				at_least 2 "Reply 192\.0\.2\.$ip is-at 02:00:00:09:00:$mac"
			done
		done ;;
	arp-spoof)
		at_least 1 'Reply 192\.0\.2\.1 is-at 02:00:00:10:00:01'
		at_least 5 '02:00:00:10:00:66 > 02:00:00:10:00:0c.*Reply 192\.0\.2\.1 is-at 02:00:00:10:00:66'
		at_least 3 '02:00:00:10:00:0c > 02:00:00:10:00:66.*192\.0\.2\.10 > 192\.0\.2\.1:' ;;
	arp-mac-change-reset)
		at_least 1 '02:00:00:11:00:51 > 02:00:00:11:00:0c.*192\.0\.2\.100\.8080 > .*Flags \[P\.\]'
		at_least 1 '02:00:00:11:00:fa > ff:ff:ff:ff:ff:ff.*who-has 192\.0\.2\.100 tell 192\.0\.2\.100'
		at_least 1 '02:00:00:11:00:fa > 02:00:00:11:00:0c.*192\.0\.2\.100\.8080 > .*Flags \[R\]' ;;
	arp-virtual-responder)
		at_least 1 'aa:bb:cc:dd:ee:ff > .*Reply 10\.99\.2\.1 is-at aa:bb:cc:dd:ee:ff'
		at_least 1 'aa:bb:cc:dd:ee:ff > .*Reply 10\.99\.0\.1 is-at aa:bb:cc:dd:ee:ff' ;;
	arp-probe-conflict)
		at_least 3 '02:00:00:13:00:70 > ff:ff:ff:ff:ff:ff.*who-has 192\.0\.2\.120 tell 0\.0\.0\.0'
		at_least 3 '02:00:00:13:00:71 > 02:00:00:13:00:70.*Reply 192\.0\.2\.120 is-at 02:00:00:13:00:71' ;;
	arp-scan)
		local distinct
		distinct=$(grep -oE 'who-has [0-9.]+ tell 198\.51\.100\.5' <<<"$DUMP" | sort -u | wc -l)
		((distinct >= 200)) || { echo "  FAIL $NAME: only $distinct distinct targets"; fail=1; } ;;
	nd-unanswered)
		at_least 3 'neighbor solicitation, who has 2001:db8:1::99'
		none 'tgt is 2001:db8:1::99' ;;
	nd-dad-conflict)
		at_least 1 '02:00:00:16:00:0a > .* :: > ff02::1:ff00:20: ICMP6, neighbor solicitation, who has 2001:db8:1::20'
		at_least 1 '02:00:00:16:00:0b > .*2001:db8:1::20 > ff02::1: ICMP6, neighbor advertisement, tgt is 2001:db8:1::20' ;;
	nd-rogue-ra)
		at_least 2 '02:00:00:17:00:01 > .*fe80::ff:fe17:1 > .*router advertisement'
		at_least 2 '02:00:00:17:00:66 > .*fe80::ff:fe17:66 > .*router advertisement' ;;
	healthy-ipv4)
		at_least 2 '02:00:00:18:00:0a > 02:00:00:18:00:01.*Request who-has 192\.0\.2\.1 '
		none 'Reply 192\.0\.2\.1 is-at 02:00:00:18:00:0[ab]' ;;
	healthy-ipv6)
		at_least 2 ':: > ff02::1:ff.*neighbor solicitation'
		at_least 1 'router solicitation'
		at_least 1 'neighbor advertisement' ;;
	healthy-metallb-failover)
		at_least 5 'Request who-has 192\.0\.2\.50 tell 192\.0\.2\.50'
		none 'is-at 02:00:00:20:00:0[^b]' ;;
	healthy-kubevip-garp)
		at_least 6 '02:00:00:21:00:0a > ff:ff:ff:ff:ff:ff.*Reply 192\.0\.2\.150 is-at' ;;
	healthy-vrrp)
		at_least 10 '00:00:5e:00:01:33 > 01:00:5e:00:00:12.*VRRPv2'
		at_least 1 'Reply 192\.0\.2\.200 is-at 00:00:5e:00:01:33'
		none '02:00:00:22:00:0a > ' ;;
	*) echo "  (no check for $NAME)" ;;
	esac
}

names=("$@")
if ((${#names[@]} == 0)); then
	for f in "$DIR"/*.pcap; do names+=("$(basename "$f" .pcap)"); done
fi
for NAME in "${names[@]}"; do
	FILE=$DIR/$NAME.pcap
	[[ -f $FILE ]] || { echo "  FAIL $NAME: missing"; fail=1; continue; }
	DUMP=$(tcpdump -n -e -r "$FILE" 2>/dev/null)
	before=$fail
	fail=0
	check
	((fail)) || echo "  ok   $NAME ($(wc -l <<<"$DUMP") frames)"
	((fail || before)) && fail=1
done
exit $fail
