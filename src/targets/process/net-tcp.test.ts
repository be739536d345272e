import { describe, expect, it } from 'vitest';
import { listeningInodes, parseProcNetTcp } from './net-tcp.js';

// captured from a real host (trailing spaces and all), trimmed to a few lines
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1524 1 00000000ede4be9f 100 0 0 10 0                      
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 88231 1 0000000012345678 100 0 0 10 0                      
   2: 0100007F:94D3 0100007F:1F90 06 00000000:00000000 03:00001730 00000000     0        0 0 3 000000008cef084c                                      
   3: 0100007F:1F90 0100007F:A1FB 01 00000000:00000000 00:00000000 00000000  1000        0 88240 1 0000000087654321 20 4 30 10 -1                    
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99120 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99121 1 0000000000000000 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
  it('reads port, state and inode from every socket line and skips the header', () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { localPort: 2024, state: '0A', inode: '1524' },
      { localPort: 8080, state: '0A', inode: '88231' },
      { localPort: 38099, state: '06', inode: '0' },
      { localPort: 8080, state: '01', inode: '88240' },
    ]);
  });

  it('reads IPv6 lines the same way', () => {
    expect(parseProcNetTcp(TCP6)).toEqual([
      { localPort: 8080, state: '0A', inode: '99120' },
      { localPort: 80, state: '0A', inode: '99121' },
    ]);
  });

  it('skips malformed lines instead of throwing', () => {
    expect(parseProcNetTcp('garbage\n  7: nonsense\n\n')).toEqual([]);
  });
});

describe('listeningInodes', () => {
  it('keeps only LISTEN sockets on the port, not connections to or from it', () => {
    expect([...listeningInodes(parseProcNetTcp(TCP), 8080)]).toEqual(['88231']);
  });

  it('finds nothing on a port nobody listens on', () => {
    expect(listeningInodes(parseProcNetTcp(TCP), 38099).size).toBe(0);
  });

  it('combines IPv4 and IPv6 listeners', () => {
    const all = [...parseProcNetTcp(TCP), ...parseProcNetTcp(TCP6)];
    expect([...listeningInodes(all, 8080)].sort()).toEqual(['88231', '99120']);
  });
});
