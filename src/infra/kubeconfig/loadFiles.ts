// Reads the kubeconfig sources from disk: expands folders listed in settings, parses each file, and records why a
// file could not be used. Never writes.
import { readFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { KubeconfigSource } from '../../core/kubeconfig/sources.ts';
import { isKubeconfigCandidate } from '../../core/kubeconfig/sources.ts';
import type { LoadedFile } from '../../core/kubeconfig/clusters.ts';
import { parseKubeconfig } from '../../core/kubeconfig/parse.ts';

/** A loaded file plus its text, which sessions need to build their own client configuration. */
export interface LoadedKubeconfig extends LoadedFile {
  readonly text?: string;
}

/** Kubeconfigs larger than this are certainly not kubeconfigs (and would stall the parser). */
const MAX_BYTES = 8 * 1024 * 1024;

export async function expandSources(sources: readonly KubeconfigSource[]): Promise<KubeconfigSource[]> {
  const out: KubeconfigSource[] = [];
  const seen = new Set<string>();
  const push = (s: KubeconfigSource): void => {
    if (!seen.has(s.path)) {
      seen.add(s.path);
      out.push(s);
    }
  };
  for (const s of sources) {
    if (s.origin !== 'setting') {
      push(s);
      continue;
    }
    const st = await stat(s.path).catch(() => undefined);
    if (st?.isDirectory()) {
      const names = (await readdir(s.path).catch(() => [] as string[])).filter(isKubeconfigCandidate).sort();
      for (const name of names) {
        const p = path.join(s.path, name);
        const fst = await stat(p).catch(() => undefined);
        if (fst?.isFile()) push({ path: p, origin: 'setting' });
      }
    } else {
      push(s);
    }
  }
  return out;
}

export async function loadKubeconfig(source: KubeconfigSource): Promise<LoadedKubeconfig> {
  let text: string;
  try {
    const st = await stat(source.path);
    if (st.isDirectory()) return { ...source, state: { kind: 'unreadable', message: 'is a folder with no kubeconfig files' } };
    if (st.size > MAX_BYTES) return { ...source, state: { kind: 'unreadable', message: `is ${Math.round(st.size / 1048576)} MiB: too large to be a kubeconfig` } };
    text = await readFile(source.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ...source, state: { kind: 'missing' } };
    if (code === 'EACCES' || code === 'EPERM') return { ...source, state: { kind: 'unreadable', message: 'permission denied: check the file mode and owner' } };
    return { ...source, state: { kind: 'unreadable', message: (err as Error).message } };
  }
  const parsed = parseKubeconfig(text);
  if (!parsed.ok) return { ...source, state: { kind: 'malformed', error: parsed.error } };
  return { ...source, state: { kind: 'ok', config: parsed.config }, text };
}

export async function loadKubeconfigs(sources: readonly KubeconfigSource[]): Promise<LoadedKubeconfig[]> {
  const expanded = await expandSources(sources);
  return Promise.all(expanded.map(loadKubeconfig));
}
