/**
 * Value -> name tables, as tcpdump 4.99.3 prints them. Every lookup has an
 * `Unknown (n)`-style fallback supplied by the caller, as tok2str does.
 */

export type NameTable = ReadonlyMap<number, string>;

export function tok2str(table: NameTable, value: number, fallback: (v: number) => string): string {
  const s = table.get(value);
  return s === undefined ? fallback(value) : s;
}

export const hex4 = (v: number): string => v.toString(16).padStart(4, '0');

/** tcpdump's ethertype_values (print-ether.c); first entry wins on duplicates. */
export const ethertypeNames: NameTable = new Map<number, string>([
  [0x0800, 'IPv4'],
  [0x8847, 'MPLS unicast'],
  [0x8848, 'MPLS multicast'],
  [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'],
  [0x9100, '802.1Q-9100'],
  [0x88a8, '802.1Q-QinQ'],
  [0x9200, '802.1Q-9200'],
  [0x88e5, '802.1AE MACsec'],
  [0x0200, 'PUP'],
  [0x0806, 'ARP'],
  [0x8035, 'Reverse ARP'],
  [0x0600, 'NS'],
  [0x0500, 'Sprite'],
  [0x1000, 'Trail'],
  [0x6001, 'MOP DL'],
  [0x6002, 'MOP RC'],
  [0x6003, 'DN'],
  [0x6004, 'LAT'],
  [0x6007, 'SCA'],
  [0x6558, 'TEB'],
  [0x8038, 'Lanbridge'],
  [0x803c, 'DEC DNS'],
  [0x803e, 'DEC DTS'],
  [0x805b, 'VEXP'],
  [0x805c, 'VPROD'],
  [0x809b, 'Appletalk'],
  [0x80f3, 'Appletalk ARP'],
  [0x8137, 'IPX'],
  [0x880b, 'PPP'],
  [0x8808, 'MPCP'],
  [0x8809, 'Slow Protocols'],
  [0x8863, 'PPPoE D'],
  [0x8864, 'PPPoE S'],
  [0x888e, 'EAPOL'],
  [0x8899, 'Realtek protocols'],
  [0x886f, 'MS NLB heartbeat'],
  [0x8870, 'Jumbo'],
  [0x894f, 'NSH'],
  [0x9000, 'Loopback'],
  [0xfefe, 'OSI'],
  [0x00fe, 'GRE-OSI'],
  [0xabcd, 'CFM (old)'],
  [0x8902, 'CFM'],
  [0x893a, 'IEEE1905.1'],
  [0x88cc, 'LLDP'],
  [0x88ca, 'TIPC'],
  [0x0707, 'GeoNet (old)'],
  [0x8947, 'GeoNet'],
  [0x1111, 'CALM FAST'],
  [0x88a2, 'AoE'],
  [0x88f7, 'PTP'],
  [0xd28b, 'Arista Vendor Specific Protocol'],
]);

/** "ethertype ARP (0x0806)" / "ethertype Unknown (0x1234)" name part. */
export function ethertypeName(et: number): string {
  return tok2str(ethertypeNames, et, () => 'Unknown');
}

export const ETHERTYPE = {
  IP: 0x0800,
  ARP: 0x0806,
  TRAIL: 0x1000,
  REVARP: 0x8035,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  VLAN9100: 0x9100,
  VLAN9200: 0x9200,
  IPV6: 0x86dd,
} as const;

/** Hardware types (print-arp.c arphrd_values). */
export const arphrdNames: NameTable = new Map<number, string>([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
  [19, 'ATM'],
  [32, 'InfiniBand'],
]);

/** ARP operations (print-arp.c arpop_values). */
export const arpopNames: NameTable = new Map<number, string>([
  [1, 'Request'],
  [2, 'Reply'],
  [3, 'Reverse Request'],
  [4, 'Reverse Reply'],
  [8, 'Inverse Request'],
  [9, 'Inverse Reply'],
  [10, 'NACK Reply'],
]);
