import { describe, expect, it } from 'vitest';
import { decodeProcAddress, parseListening } from './listening-sockets.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1524 1 00000000ede4be9f 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 88231 1 0000000012345678 100 0 0 10 0
   2: 0100007F:94D3 0100007F:1F90 06 00000000:00000000 03:00001730 00000000     0        0 0 3 000000008cef084c
   3: 0100007F:1F90 0100007F:A1FB 01 00000000:00000000 00:00000000 00000000  1000        0 88240 1 0000000087654321 20 4 30 10 -1
`;

describe('listening sockets from /proc/net/tcp', () => {
  it('keeps only LISTEN sockets, with their address and port', () => {
    expect(parseListening(TCP)).toEqual([
      { address: '0.0.0.0', port: 2024, inode: '1524' },
      { address: '127.0.0.1', port: 8080, inode: '88231' },
    ]);
  });

  it('decodes IPv6 addresses as ss prints them', () => {
    expect(decodeProcAddress('00000000000000000000000000000000')).toBe('::');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('000080FE00000000FF005002A10CAE1B')).toBe('fe80::250:ff:1bae:ca1');
  });
});
