// Resolves every context of the loaded kubeconfig files to the cluster and user entries it uses, with kubectl's
// rules for the KUBECONFIG list: its files are one merged config, the first definition of a context, cluster or user
// name wins (later ones are shadowed), and a context may name a cluster or user defined in another file of the list.
// The first file that sets current-context sets it. Every other file (the default ~/.kube/config, each file from
// the liqo.kubeconfigs setting) is a config of its own. Inside one file a repeated context name is an error, as it
// is for kubectl; the first definition is used and the repeat is reported.
import * as path from 'node:path';
import type { KubeCluster, KubeContext, KubeUser, Kubeconfig } from './parse.ts';
import type { ResolvedContext, ResolvedEntry } from './resolved.ts';
import type { SourceOrigin } from './sources.ts';

export interface ConfigFile {
  readonly path: string;
  readonly origin: SourceOrigin;
  readonly config: Kubeconfig;
}

export interface ContextResolution {
  /** The file whose `contexts:` list holds this context. */
  readonly filePath: string;
  readonly context: KubeContext;
  /** 0 for the first context of this name in the file, 1 for a repeat... (keeps row ids stable). */
  readonly index: number;
  /** Descriptions (no secrets) of the cluster and user it uses, wherever they were defined. */
  readonly cluster?: KubeCluster;
  readonly user?: KubeUser;
  /** Set unless the context is unusable (then `configError` says why). */
  readonly resolved?: ResolvedContext;
  readonly configError?: string;
  readonly isCurrentContext: boolean;
}

interface Defined<T> {
  readonly file: ConfigFile;
  readonly described: T;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The files that form one config: every KUBECONFIG file together, each other file alone. Order is kept. */
export function configGroups(files: readonly ConfigFile[]): ConfigFile[][] {
  const groups: ConfigFile[][] = [];
  let merged: ConfigFile[] | undefined;
  for (const f of files) {
    if (f.origin !== 'KUBECONFIG') {
      groups.push([f]);
      continue;
    }
    if (!merged) {
      merged = [];
      groups.push(merged);
    }
    merged.push(f);
  }
  return groups;
}

/** Every context that is not shadowed by an earlier definition, in file order, resolved. */
export function resolveContexts(files: readonly ConfigFile[]): ContextResolution[] {
  const byFile = new Map<string, ContextResolution[]>();
  for (const group of configGroups(files)) {
    for (const r of resolveGroup(group)) {
      const list = byFile.get(r.filePath) ?? [];
      list.push(r);
      byFile.set(r.filePath, list);
    }
  }
  return files.flatMap((f) => byFile.get(f.path) ?? []);
}

function resolveGroup(group: readonly ConfigFile[]): ContextResolution[] {
  const clusters = new Map<string, Defined<KubeCluster>>();
  const users = new Map<string, Defined<KubeUser>>();
  for (const file of group) {
    for (const c of file.config.clusters) {
      const fields = file.config.raw.clusters.get(c.name);
      if (!clusters.has(c.name) && fields) clusters.set(c.name, { file, described: c, fields });
    }
    for (const u of file.config.users) {
      const fields = file.config.raw.users.get(u.name);
      if (!users.has(u.name) && fields) users.set(u.name, { file, described: u, fields });
    }
  }
  const currentContext = group.find((f) => f.config.currentContext)?.config.currentContext;
  const where = group.length > 1 ? 'no file in KUBECONFIG defines' : 'this file does not define';
  const out: ContextResolution[] = [];
  const winner = new Map<string, string>(); // context name → the file whose definition is used
  for (const file of group) {
    const seenInFile = new Map<string, number>();
    for (const context of file.config.contexts) {
      const index = seenInFile.get(context.name) ?? 0;
      seenInFile.set(context.name, index + 1);
      const first = winner.get(context.name);
      if (first !== undefined && first !== file.path) continue; // shadowed by an earlier file of the same config
      winner.set(context.name, file.path);
      const cluster = clusters.get(context.cluster);
      const user = context.user ? users.get(context.user) : undefined;
      let configError: string | undefined;
      if (index > 0) configError = duplicateContextError(context.name, index);
      else if (!cluster) configError = `context "${context.name}" refers to cluster "${context.cluster}", which ${where}`;
      else if (!cluster.described.server) configError = `cluster "${cluster.described.name}" has no server address`;
      else if (context.user && !user) configError = `context "${context.name}" refers to user "${context.user}", which ${where}`;
      const resolved: ResolvedContext | undefined =
        configError || !cluster
          ? undefined
          : {
              contextName: context.name,
              filePath: file.path,
              ...(context.namespace ? { namespace: context.namespace } : {}),
              cluster: entry(cluster, context.cluster),
              user: user ? entry(user, context.user) : { name: '', fields: {}, filePath: file.path, baseDir: path.dirname(file.path) },
            };
      out.push({
        filePath: file.path,
        context,
        index,
        ...(cluster ? { cluster: cluster.described } : {}),
        ...(user ? { user: user.described } : {}),
        ...(resolved ? { resolved } : {}),
        ...(configError ? { configError } : {}),
        isCurrentContext: index === 0 && currentContext === context.name,
      });
    }
  }
  return out;
}

/**
 * kubectl (and client-node) resolve a context name to its first definition in a file, so a second context of the
 * same name would silently connect as the first: it is shown as an error instead.
 */
export function duplicateContextError(contextName: string, indexInFile: number): string | undefined {
  if (indexInFile === 0) return undefined;
  return `duplicate context "${contextName}": this file defines it more than once, and kubectl uses only the first`;
}

function entry(d: Defined<unknown>, name: string): ResolvedEntry {
  return { name, fields: d.fields, filePath: d.file.path, baseDir: path.dirname(d.file.path) };
}

/** True when two resolutions would connect the same way (same server, TLS settings, credentials, namespace). */
export function sameResolvedContext(a: ResolvedContext | undefined, b: ResolvedContext | undefined): boolean {
  return sameValue(a, b);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
