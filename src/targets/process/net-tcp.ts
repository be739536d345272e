/** Parses /proc/net/tcp and /proc/net/tcp6: which socket inode listens on which port. */

export interface TcpSocketEntry {
  localPort: number;
  /** kernel state in hex, `0A` is LISTEN */
  state: string;
  /** socket inode, matched against `socket:[inode]` links in /proc/<pid>/fd */
  inode: string;
}

export const TCP_LISTEN = '0A';

/** One entry per socket line; the header and malformed lines are skipped. Works for tcp and tcp6 alike. */
export function parseProcNetTcp(text: string): TcpSocketEntry[] {
  const out: TcpSocketEntry[] = [];
  for (const line of text.split('\n')) {
    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ...
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !/^\d+:$/.test(fields[0] as string)) continue;
    const local = fields[1] as string;
    const portHex = local.slice(local.lastIndexOf(':') + 1);
    const state = (fields[3] as string).toUpperCase();
    const inode = fields[9] as string;
    if (!/^[0-9A-Fa-f]{4}$/.test(portHex) || !/^\d+$/.test(inode)) continue;
    out.push({ localPort: parseInt(portHex, 16), state, inode });
  }
  return out;
}

/** Inodes of sockets in LISTEN on `port`; inode 0 means no owner (e.g. a socket being torn down). */
export function listeningInodes(entries: readonly TcpSocketEntry[], port: number): Set<string> {
  return new Set(entries.filter((e) => e.state === TCP_LISTEN && e.localPort === port && e.inode !== '0').map((e) => e.inode));
}
