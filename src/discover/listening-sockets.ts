/** Every TCP socket in LISTEN on this host's network namespace, with its address (from /proc/net/tcp{,6}). */
import { readFile } from 'node:fs/promises';

export interface ListeningSocket {
  /** `127.0.0.1`, `0.0.0.0`, `::`, `::1` */
  address: string;
  port: number;
  inode: string;
}

/** `0100007F` → `127.0.0.1`; 32 hex digits → an IPv6 address (the kernel writes each 32-bit word in host order). */
export function decodeProcAddress(hex: string): string {
  const bytes = (word: string) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16));
  if (hex.length === 8) return bytes(hex).join('.');
  const words = (hex.match(/.{8}/g) ?? []).flatMap(bytes);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((words[i] ?? 0) << 8) | (words[i + 1] ?? 0)).toString(16));
  const v4 = groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff';
  if (v4) return `${words[12]}.${words[13]}.${words[14]}.${words[15]}`;
  // the URL parser prints IPv6 in its canonical short form (`::1`, `fd00::5`)
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Parses one /proc/net/tcp{,6} table, keeping only sockets in LISTEN that have an owner. */
export function parseListening(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !/^\d+:$/.test(fields[0] as string)) continue;
    const [addressHex, portHex] = (fields[1] as string).split(':');
    if (!addressHex || !portHex || (fields[3] as string).toUpperCase() !== '0A' || fields[9] === '0') continue;
    out.push({ address: decodeProcAddress(addressHex), port: parseInt(portHex, 16), inode: fields[9] as string });
  }
  return out;
}

export async function listeningSockets(): Promise<ListeningSocket[]> {
  const read = (path: string) => readFile(path, 'utf8').then(parseListening, () => []);
  return (await Promise.all([read('/proc/net/tcp'), read('/proc/net/tcp6')])).flat();
}
