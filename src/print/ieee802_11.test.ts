import { describe, expect, it } from 'vitest';
import { showLink as show } from '../../test/link-harness.js';


// Each row: link type, frame, flags, and tcpdump 4.99.3's text for it (no timestamp).
const CASES: readonly (readonly [number, string, string, string])[] = [
  [105, "0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0802 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "DA:ff:ff:ff:ff:ff:ff BSSID:02:00:00:00:00:02 SA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0800 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "DA:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 BSSID:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0803 3a01 ffffffffffff 020000000002 020000000003 1000 020000000004 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "RA:ff:ff:ff:ff:ff:ff TA:02:00:00:00:00:02 DA:02:00:00:00:00:03 SA:02:00:00:00:00:04 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0803 3a01 ffffffffffff 020000000002 020000000003 1000 020000000004 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "8801 3a01 ffffffffffff 020000000002 020000000003 1000 0000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "CF +QoS BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "3801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e", "CF Ack/Poll BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "4801 3a01 ffffffffffff 020000000002 020000000003 1000", "-e", "BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 "],
  [105, "0841 3a01 ffffffffffff 020000000002 020000000003 1000 01020340 aabbccdd", "", "Data IV:30201 Pad 0 KeyID 1"],
  [105, "0839 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "-e -v", "More Data Pwr Mgmt Retry 314us BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: Ethernet (len 6), IPv4 (len 4), Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [105, "0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03 000000 1234 0102", "", "02:00:00:00:00:02 > 02:00:00:00:00:03 SNAP, ethertype Unknown (0x1234), length 2: \n\t0x0000:  aaaa 0300 0000 1234 0102                 .......4.."],
  [105, "0801 3a01 ffffffffffff 020000000002 020000000003", "", " [|802.11]"],
  [105, "8000 0000 ffffffffffff 020000000002 020000000003 1000 0011223344556677 6400 1104 0007 6d79016e6574c8 010882848b960c121824 030106 0504 00010000", "", "Beacon (my^AnetM-H) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY"],
  [105, "8000 0000 ffffffffffff 020000000002 020000000003 1000 0011223344556677 6400 1104 0007 6d79016e6574c8 010882848b960c121824 030106", "-e", "BSSID:02:00:00:00:00:03 DA:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 Beacon (my^AnetM-H) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY"],
  [105, "4000 0000 ffffffffffff 020000000002 020000000003 1000 0004 74657374 0104 02040b16", "", "Probe Request (test) [1.0 2.0 5.5 11.0 Mbit]"],
  [105, "5000 0000 ffffffffffff 020000000002 020000000003 1000 0011223344556677 6400 0200 0004 74657374 030101", "", "Probe Response (test) CH: 1"],
  [105, "1000 0000 ffffffffffff 020000000002 020000000003 1000 1104 0000 01c0 0104 02040b16", "", "Assoc Response AID(1) : PRIVACY : Successful"],
  [105, "b000 0000 ffffffffffff 020000000002 020000000003 1000 0000 0200 0000", "", "Authentication (Open System)-2: "],
  [105, "b000 0000 ffffffffffff 020000000002 020000000003 1000 0100 0200 0000 1003 414243", "", "Authentication (Shared Key)-2 [Challenge Text] "],
  [105, "c000 0000 ffffffffffff 020000000002 020000000003 1000 0300", "", "DeAuthentication (02:00:00:00:00:02): Deauthenticated because sending STA is leaving (or has left) IBSS or ESS"],
  [105, "c000 0000 ffffffffffff 020000000002 020000000003 1000 0300", "-e", "BSSID:02:00:00:00:00:03 DA:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DeAuthentication: Deauthenticated because sending STA is leaving (or has left) IBSS or ESS"],
  [105, "a000 0000 ffffffffffff 020000000002 020000000003 1000 0800", "", "Disassociation: Disassociated because sending STA is leaving (or has left) BSS"],
  [105, "d000 0000 ffffffffffff 020000000002 020000000003 1000 0300", "", "Action (02:00:00:00:00:02): BA ADDBA Request"],
  [105, "d000 0000 ffffffffffff 020000000002 020000000003 1000 0d05", "-e", "BSSID:02:00:00:00:00:03 DA:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 Action: MeshAction MCCA Setup Reply"],
  [105, "8000 0000 ffffffffffff 020000000002 020000000003 1000 0011223344556677 6400 1104 0021 414141414141414141414141414141414141414141414141414141414141414141", "", "Beacon ESS, PRIVACY [|802.11]"],
  [105, "8000 0000 ffffffffffff 020000000002 020000000003 1000 0011", "", "Beacon [|802.11]"],
  [105, "6000 0000 ffffffffffff 020000000002 020000000003 1000 0102", "", "Unhandled Management subtype(6)"],
  [105, "b400 0000 ffffffffffff 020000000002", "", "Request-To-Send TA:02:00:00:00:00:02 "],
  [105, "b400 0000 ffffffffffff 020000000002", "-e", "RA:ff:ff:ff:ff:ff:ff TA:02:00:00:00:00:02 Request-To-Send"],
  [105, "c400 0000 ffffffffffff", "", "Clear-To-Send RA:ff:ff:ff:ff:ff:ff "],
  [105, "d400 0000 ffffffffffff", "-e", "RA:ff:ff:ff:ff:ff:ff Acknowledgment"],
  [105, "a400 0100 ffffffffffff 020000000002", "", "Power Save-Poll AID(1)"],
  [105, "8400 0000 ffffffffffff 020000000002 0400 1234", "", "BAR RA:ff:ff:ff:ff:ff:ff TA:02:00:00:00:00:02 CTL(4) SEQ(13330) "],
  [105, "4400 0000 ffffffffffff", "", "unknown 802.11 ctrl frame subtype (4)"],
  [105, "0c00 0000 ffffffffffff", "", "unknown 802.11 frame type (3)"],
  [105, "08", "", " [|802.11]"],
  [127, "0000 1200 2e480000 00 02 8509 a000 ce a1 00 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "1.0 Mb/s 2437 MHz 11b -50dBm signal antenna 161 ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [127, "0000 1200 2e480000 12 02 8509 c000 ce a1 00 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "short preamble 1.0 Mb/s 2437 MHz 11g -50dBm signal antenna 161  [|arp]"],
  [127, "0000 1a00 6f080000 0100000000000000 40 0c 6c09 8000 b0 01 00 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002 deadbeef", "-e", "1us tsft bad-fcs 6.0 Mb/s 2412 MHz -80dBm signal 1dBm noise antenna 0 BSSID:ff:ff:ff:ff:ff:ff SA:02:00:00:00:00:02 DA:02:00:00:00:00:03 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 32: Request who-has 192.168.0.2 tell 192.168.0.1, length 32"],
  [127, "0000 0d00 12000000 20 6c09 4000 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa0 0000 3000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "fhset 108 fhpat 9 Assoc Request () [|802.11]"],
  [127, "0000 1000 90100000 0a01 0000 fc 0000 0100", "", "fhset 10 fhpat 1 0 sq 252dB signal  [|802.11]"],
  [127, "0000 2000 08002000 0000 00 00 00 0000 00000000 00000000 0000 0000 00 00 0000", "", " [|802.11_radio]"],
  [127, "0000 1400 00002000 4400 04 04 22 00 00 00 01 00 0000 0000 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "User 0 MCS 2 LDPC FEC 80 MHz short GI Assoc Request () [|802.11]"],
  [127, "0000 1000 020000a0 00000080 00000000 10 00 00 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", " [|802.11_radio]Assoc Response AID(2aaa) :: Authentication rejected due to timeout waiting for next frame in sequence [|802.11]"],
  [127, "0000 1500 220000c0 00000000 00000000 ff 00 00 00 00 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "0dBm signal ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
  [127, "0000 1800 02000040 02000000 10 00 0050f2 01 0400 aabbccdd 40 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "short preamble Probe Request [|802.11]"],
  [127, "0000 0c00 00800000 ff", "", " [|802.11_radio]"],
  [127, "0000 0c00 04000080 00000080", "", " [|802.11_radio]"],
  [127, "0000 0700 00000000 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", " [|802.11_radio]"],
  [127, "0000 4000 00000000", "", " [|802.11_radio]"],
  [127, "0000 0a00 02000000 10", "", " [|802.11_radio]"],
  [127, "0000 0c00 21000000 00", "", " [|802.11_radio]"],
  [127, "0000 0e00 80000000 0000 00000000 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002", "", "0 sq ARP, Request who-has 192.168.0.2 tell 192.168.0.1, length 28"],
];

describe('IEEE 802.11 and radiotap (print-802_11.c)', () => {
  CASES.forEach(([lt, hex, flags, expected], i) => {
    it(`#${i} ${lt === 127 ? 'radiotap' : '802.11'} ${hex.slice(0, 4)} ${flags}`, () => {
      expect(show(lt, hex, flags.includes('-e'), undefined, flags.includes('-v') ? 1 : 0)).toBe(expected);
    });
  });
});
