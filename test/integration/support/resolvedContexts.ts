// ResolvedContexts read straight from a kubeconfig file (the test bed's), as kubeconfig resolution hands them to the
// client and to temporary kubeconfigs: the raw cluster and user maps, the file and its folder.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ResolvedContext } from '../../../src/core/kubeconfig/resolved.ts';

interface Named {
  name: string;
  [k: string]: unknown;
}

export async function resolvedContext(file: string, contextName: string, rename?: string): Promise<ResolvedContext> {
  const doc = parse(await readFile(file, 'utf8')) as { clusters: Named[]; users: Named[]; contexts: Named[] };
  const ctx = doc.contexts.find((c) => c.name === contextName);
  if (!ctx) throw new Error(`${file} has no context ${contextName}`);
  const c = ctx.context as { cluster: string; user: string; namespace?: string };
  const cluster = doc.clusters.find((x) => x.name === c.cluster);
  const user = doc.users.find((x) => x.name === c.user);
  if (!cluster || !user) throw new Error(`${file}: context ${contextName} names a missing cluster or user`);
  const baseDir = path.dirname(file);
  return {
    contextName: rename ?? contextName,
    filePath: file,
    ...(c.namespace ? { namespace: c.namespace } : {}),
    cluster: { name: cluster.name, fields: cluster.cluster as Record<string, unknown>, filePath: file, baseDir },
    user: { name: user.name, fields: user.user as Record<string, unknown>, filePath: file, baseDir },
  };
}

/** The same context pointed at another server (an unreachable one, a black hole). */
export function withServer(ctx: ResolvedContext, server: string): ResolvedContext {
  return { ...ctx, cluster: { ...ctx.cluster, fields: { ...ctx.cluster.fields, server } } };
}
