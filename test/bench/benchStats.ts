// What every benchmark shares: statistics over samples, the test bed's kubeconfig cut down to its first N contexts,
// and the forced garbage collection that makes heap readings comparable.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringify } from 'yaml';

export interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The first `n` contexts of the test bed's kubeconfig, with only their clusters and users, in a 0600 file. */
export async function subsetKubeconfig(full: Kubeconfig, n: number, dir: string): Promise<{ file: string; contexts: string[] }> {
  const contexts = full.contexts.slice(0, n);
  const clusters = new Set(contexts.map((c) => c.context.cluster));
  const users = new Set(contexts.map((c) => c.context.user));
  const doc = { ...full, clusters: full.clusters.filter((c) => clusters.has(c.name)), users: full.users.filter((u) => users.has(u.name)), contexts };
  const file = path.join(dir, `kubeconfig-${n}`);
  await writeFile(file, stringify(doc), { mode: 0o600 });
  return { file, contexts: contexts.map((c) => c.name) };
}

let gcFn: (() => void) | undefined;

/** Full garbage collection, then the heap in use (MB): the same reading before and after a phase. */
export function heapUsedMb(): number {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
