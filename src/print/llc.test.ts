import { describe, expect, it } from 'vitest';
import { showLink as show } from '../../test/link-harness.js';


const E = 'ffffffffffff 020000000002';

// Each row: frame (Ethernet, 802.3 length field), -e, and tcpdump 4.99.3's text for it.
const CASES: readonly (readonly [string, string, boolean, string])[] = [
  ["SNAP with an Ethernet OUI hands the ethertype on", `${E} 0024 aaaa03 000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002`, false, "ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  ["SNAP with an unknown ethertype: addresses, SNAP header, dump", `${E} 0024 aaaa03 000000 1234 0102`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff SNAP, ethertype Unknown (0x1234), length 2: \n\t0x0000:  aaaa 0300 0000 1234 0102                 .......4.."],
  ["the same with -e", `${E} 0024 aaaa03 000000 1234 0102`, true, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, 802.3, length 10: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype Unknown (0x1234), length 2: \n\t0x0000:  aaaa 0300 0000 1234 0102                 .......4.."],
  ["STP config BPDU", `${E} 0026 424203 0000 00 00 81 8000001122334455 00000004 8000aabbccddeeff 8002 0120 1400 0200 0f00`, false, "STP 802.1d, Config, Flags [Topology change, Topology change ACK], bridge-id 8000.aa:bb:cc:dd:ee:ff.8002, length 35"],
  ["STP config BPDU, -v", `${E} 0026 424203 0000 00 00 81 8000001122334455 00000004 8000aabbccddeeff 8002 0120 1400 0200 0f00`, false, "STP 802.1d, Config, Flags [Topology change, Topology change ACK], bridge-id 8000.aa:bb:cc:dd:ee:ff.8002, length 35\n\tmessage-age 1.12s, max-age 20.00s, hello-time 2.00s, forwarding-delay 15.00s\n\troot-id 8000.00:11:22:33:44:55, root-pathcost 4"],
  ["STP with -e", `${E} 0026 424203 0000 00 00 81 8000001122334455 00000004 8000aabbccddeeff 8002 0120 1400 0200 0f00`, true, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [Topology change, Topology change ACK], bridge-id 8000.aa:bb:cc:dd:ee:ff.8002, length 35"],
  ["bridged BPDU shorter than a config BPDU is invalid", `${E} 0026 aaaa03 0080c2 000e 0000 00 00 81 8000001122334455 00000004 8000aabbccddeeff 8002 0120 1400 0200 0f00`, false, "STP 802.1d, Config (invalid)"],
  ["NetBEUI UI frame (no SMB printer in tcpdump 4.99.3 builds either)", `${E} 0026 f0f0 03 ffff`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff NetBeui Unnumbered, ui, Flags [Command], length 5\n\t0x0000:  f0f0 03ff ff                             ....."],
  ["U frame: test, response", `${E} 0026 0405 e3 ffff`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff SNA Unnumbered, test, Flags [Response], length 5\n\t0x0000:  0405 e3ff ff                             ....."],
  ["U frame with -e: final", `${E} 0026 0405 f3 ffff`, true, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, 802.3, length 5: LLC, dsap SNA (0x04) Individual, ssap SNA (0x04) Response, ctrl 0xf3: Unnumbered, test, Flags [Final], length 5\n\t0x0000:  0405 f3ff ff                             ....."],
  ["XID with format identifier", `${E} 0026 0001 af 81 0102`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff Null Unnumbered, xid, Flags [Response], length 6: 01 02"],
  ["XID cut short", `${E} 0026 0001 bf 81`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff Null Unnumbered, xid, Flags [Final], length 4 [|llc]\n\t0x0000:  81                                       ."],
  ["S frame: reject", `${E} 0026 0405 0900 00`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff SNA Supervisory, Reject, rcv seq 0, Flags [Response], length 5"],
  ["S frame: unknown supervisory function", `${E} 0026 0405 0d01 00`, false, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff SNA Supervisory, ?, rcv seq 0, Flags [Final], length 5"],
  ["I frame with -e (2-byte little-endian control)", `${E} 0026 0405 3a47 00`, true, "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, 802.3, length 5: LLC, dsap SNA (0x04) Individual, ssap SNA (0x04) Response, ctrl 0x473a: Information, send seq 29, rcv seq 35, Flags [Final], length 5\n\t0x0000:  0405 3a47 00                             ..:G."],
  ["MSTP BPDU too short", `${E} 0026 4242 03 0000 03 00`, false, "STP 802.1s, Config (invalid)"],
  ["RSTP BPDU too short", `${E} 0026 4242 03 0000 02 02`, false, "STP 802.1w, Rapid STP (invalid)"],
  ["unknown STP protocol id", `${E} 0026 4242 03 0001`, false, " (invalid)"],
  ["cut SNAP header", `${E} 0026 aaaa03 0000`, false, " [|snap]"],
];

describe('LLC / SNAP / STP (print-llc.c, print-stp.c)', () => {
  for (const [name, hex, eflag, expected] of CASES) {
    it(name, () => {
      expect(show(1, hex, eflag, undefined, /-v/.test(name) ? 1 : 0)).toBe(expected);
    });
  }
});
