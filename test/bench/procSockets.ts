// Counts the TCP connections this process holds open to given local ports, from /proc (Linux): the sockets among
// this process's file descriptors that /proc/net/tcp{,6} lists as ESTABLISHED to that port. It sees every
// connection, whatever library opened it, so it measures the explorer and not what the explorer says of itself.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const ESTABLISHED = '01';

function ownSocketInodes(): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) out.add(m[1]);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return out;
}

/**
 * Established connections from this process, per remote port (only the ports asked for), leaving out those from
 * `exceptLocalPorts` (a benchmark's own clients, which run in this process's worker threads).
 */
export function connectionsTo(ports: readonly number[], exceptLocalPorts: ReadonlySet<number> = new Set()): Map<number, number> {
  const wanted = new Set(ports);
  const counts = new Map<number, number>(ports.map((p) => [p, 0]));
  const inodes = ownSocketInodes();
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f.length < 10 || f[3] !== ESTABLISHED || !inodes.has(f[9] ?? '')) continue;
      const port = parseInt((f[2] ?? '').split(':')[1] ?? '', 16);
      const local = parseInt((f[1] ?? '').split(':')[1] ?? '', 16);
      if (wanted.has(port) && !exceptLocalPorts.has(local)) counts.set(port, (counts.get(port) ?? 0) + 1);
    }
  }
  return counts;
}
