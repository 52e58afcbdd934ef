import { describe, expect, it } from 'vitest';
import { parseOui } from './oui.js';

describe('parseOui', () => {
  it("reads Wireshark's manuf lines: the long name when there is one", () => {
    const t = parseOui(
      [
        '# comment',
        '00:00:0C\tCisco\tCisco Systems, Inc',
        '00:00:0D\tFibronic',
        '00:1B:C5:00:00:00/36\tConverging\tConverging Systems Inc.',
        'fc:ff:aa\tLowerHex\tLower-case hex digits',
        '',
        '00:00:0E\t\t',
      ].join('\n'),
    );
    expect([...t]).toEqual([
      [0x00000c, 'Cisco Systems, Inc'],
      [0x00000d, 'Fibronic'],
      [0xfcffaa, 'Lower-case hex digits'],
    ]);
  });

  it("reads the IEEE oui.txt layout, CRLF line ends included", () => {
    const t = parseOui(
      [
        'OUI/MA-L                                                    Organization',
        'company_id                                                  Organization',
        '00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp.',
        '002272     (base 16)\t\tAmerican Micro-Fuel Device Corp.',
        '\t\t\t\t2181 Buchanan Loop',
        '08-00-27   (hex)\t\tPCS Systemtechnik GmbH',
      ].join('\r\n'),
    );
    expect([...t]).toEqual([
      [0x002272, 'American Micro-Fuel Device Corp.'],
      [0x080027, 'PCS Systemtechnik GmbH'],
    ]);
  });
});
