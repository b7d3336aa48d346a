// Resolved contexts of the test bed's kubeconfig (and edited copies of it) for tests of the ClusterClient: written
// to a private temp folder and resolved through the same loading and resolution code as the extension.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { buildClusterList } from '../../../src/core/kubeconfig/clusters.ts';
import type { ResolvedContext } from '../../../src/core/kubeconfig/resolved.ts';
import { loadKubeconfigs } from '../../../src/infra/kubeconfig/loadFiles.ts';

type Fields = Record<string, unknown>;
interface Kc {
  clusters: { name: string; cluster: Fields }[];
  users: { name: string; user: Fields }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

export interface Contexts {
  /** The context as the test bed wrote it, optionally with its cluster and user entries edited. */
  resolve(context: string, edit?: (cluster: Fields, user: Fields) => void): Promise<ResolvedContext>;
  /** The API server's host and port of a context. */
  address(context: string): { host: string; port: number };
  dispose(): Promise<void>;
}

export async function testbedContexts(kubeconfig: string): Promise<Contexts> {
  const full = parse(await readFile(kubeconfig, 'utf8')) as Kc;
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-client-'));
  let n = 0;
  const entryOf = (context: string) => {
    const ctx = full.contexts.find((c) => c.name === context);
    if (!ctx) throw new Error(`no context ${context} in ${kubeconfig}`);
    return {
      cluster: structuredClone(full.clusters.find((c) => c.name === ctx.context.cluster)!.cluster),
      user: structuredClone(full.users.find((u) => u.name === ctx.context.user)!.user),
    };
  };
  return {
    async resolve(context, edit) {
      const { cluster, user } = entryOf(context);
      edit?.(cluster, user);
      const file = path.join(dir, `kubeconfig-${n++}.yaml`);
      const text = stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster }], users: [{ name: 'u', user }], contexts: [{ name: context, context: { cluster: 'c', user: 'u' } }] });
      await writeFile(file, text, { mode: 0o600 });
      const list = buildClusterList(await loadKubeconfigs([{ path: file, origin: 'setting' }]));
      const resolved = list.resolved.get(list.clusters[0]!.id);
      if (!resolved) throw new Error(`${context}: ${list.clusters[0]?.configError ?? list.problems[0]?.message}`);
      return resolved;
    },
    address(context) {
      const u = new URL(String(entryOf(context).cluster.server));
      return { host: u.hostname, port: Number(u.port) };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
