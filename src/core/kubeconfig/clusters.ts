// Turns the loaded kubeconfig files into the list of clusters the tree shows: one entry per context as kubectl
// resolves them (resolve.ts: KUBECONFIG is one merged config, other files are each their own), with stable ids and
// the file name added to the description wherever the same context name appears twice. Beside the rows, the
// resolved context of each usable row (secrets included) in a Map that stays out of the tree and the logs.
import * as path from 'node:path';
import type { AuthKind, Kubeconfig, ParseFailure } from './parse.ts';
import type { SourceOrigin } from './sources.ts';
import type { ResolvedContext } from './resolved.ts';
import { resolveContexts, type ConfigFile } from './resolve.ts';

export { duplicateContextError } from './resolve.ts';

export type FileState =
  | { readonly kind: 'ok'; readonly config: Kubeconfig }
  | { readonly kind: 'malformed'; readonly error: ParseFailure }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly message: string };

export interface LoadedFile {
  readonly path: string;
  readonly origin: SourceOrigin;
  readonly state: FileState;
}

export interface ClusterEntry {
  /** Stable across reloads: file path + context name (+ index when a file repeats a name). */
  readonly id: string;
  readonly contextName: string;
  readonly filePath: string;
  readonly clusterName: string;
  readonly userName: string;
  readonly server: string;
  readonly namespace?: string;
  readonly auth: AuthKind;
  readonly execCommand?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  /** True when another row (another config, or a repeat in the same file) has a context with the same name. */
  readonly nameIsDuplicated: boolean;
  readonly isCurrentContext: boolean;
  /** Set when the context itself is unusable (dangling cluster or user reference). */
  readonly configError?: string;
}

export interface FileProblem {
  readonly id: string;
  readonly filePath: string;
  readonly origin: SourceOrigin;
  readonly message: string;
  readonly line?: number;
}

export interface ClusterList {
  readonly clusters: readonly ClusterEntry[];
  readonly problems: readonly FileProblem[];
  /** By entry id, for every row without a configError. Holds secrets: never logged or shown. */
  readonly resolved: ReadonlyMap<string, ResolvedContext>;
}

export function clusterEntryId(filePath: string, contextName: string, index = 0): string {
  return index === 0 ? `${filePath}#${contextName}` : `${filePath}#${contextName}#${index}`;
}

export function buildClusterList(files: readonly LoadedFile[]): ClusterList {
  const problems: FileProblem[] = [];
  const usable: ConfigFile[] = [];
  for (const f of files) {
    const st = f.state;
    if (st.kind === 'missing') {
      // kubectl silently skips missing KUBECONFIG entries and a missing ~/.kube/config; an explicit setting is
      // something the user asked for, so a missing one is reported.
      if (f.origin === 'setting') problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: 'file or folder not found' });
    } else if (st.kind === 'unreadable') {
      problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: st.message });
    } else if (st.kind === 'malformed') {
      problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: st.error.message, ...(st.error.line ? { line: st.error.line } : {}) });
    } else {
      usable.push({ path: f.path, origin: f.origin, config: st.config });
    }
  }
  const resolutions = resolveContexts(usable);
  const nameCount = new Map<string, number>();
  for (const r of resolutions) nameCount.set(r.context.name, (nameCount.get(r.context.name) ?? 0) + 1);
  const resolved = new Map<string, ResolvedContext>();
  const clusters = resolutions.map((r): ClusterEntry => {
    const { context: ctx, cluster, user } = r;
    const id = clusterEntryId(r.filePath, ctx.name, r.index);
    if (r.resolved) resolved.set(id, r.resolved);
    return {
      id,
      contextName: ctx.name,
      filePath: r.filePath,
      clusterName: ctx.cluster,
      userName: ctx.user,
      server: cluster?.server ?? '',
      auth: user?.auth ?? 'none',
      insecureSkipTlsVerify: cluster?.insecureSkipTlsVerify ?? false,
      nameIsDuplicated: (nameCount.get(ctx.name) ?? 0) > 1,
      isCurrentContext: r.isCurrentContext,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      ...(user?.execCommand ? { execCommand: user.execCommand } : {}),
      ...(cluster?.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
      ...(r.configError ? { configError: r.configError } : {}),
    };
  });
  return { clusters, problems, resolved };
}

/** The short name shown beside a duplicated context name: the file's base name, or more of its path if needed. */
export function fileLabel(filePath: string, all: readonly string[]): string {
  const base = path.basename(filePath);
  const clash = all.some((p) => p !== filePath && path.basename(p) === base);
  if (!clash) return base;
  return path.join(path.basename(path.dirname(filePath)), base);
}
