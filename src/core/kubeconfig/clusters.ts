// Turns the loaded kubeconfig files into the list of clusters the tree shows: one entry per context per file, with
// stable ids and the file name added to the description wherever the same context name appears in two files.
import * as path from 'node:path';
import type { AuthKind, Kubeconfig, ParseFailure } from './parse.ts';
import type { SourceOrigin } from './sources.ts';

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
  /** True when another file (or the same file) has a context with the same name. */
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
}

export function clusterEntryId(filePath: string, contextName: string, index = 0): string {
  return index === 0 ? `${filePath}#${contextName}` : `${filePath}#${contextName}#${index}`;
}

export function buildClusterList(files: readonly LoadedFile[]): ClusterList {
  const clusters: ClusterEntry[] = [];
  const problems: FileProblem[] = [];
  const nameCount = new Map<string, number>();
  for (const f of files) {
    if (f.state.kind === 'ok') for (const c of f.state.config.contexts) nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1);
  }
  for (const f of files) {
    const st = f.state;
    if (st.kind === 'missing') {
      // kubectl silently skips missing KUBECONFIG entries and a missing ~/.kube/config; an explicit setting is
      // something the user asked for, so a missing one is reported.
      if (f.origin === 'setting') problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: 'file or folder not found' });
      continue;
    }
    if (st.kind === 'unreadable') {
      problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: st.message });
      continue;
    }
    if (st.kind === 'malformed') {
      problems.push({ id: `problem:${f.path}`, filePath: f.path, origin: f.origin, message: st.error.message, ...(st.error.line ? { line: st.error.line } : {}) });
      continue;
    }
    const seenInFile = new Map<string, number>();
    for (const ctx of st.config.contexts) {
      const index = seenInFile.get(ctx.name) ?? 0;
      seenInFile.set(ctx.name, index + 1);
      const cluster = st.config.clusters.find((c) => c.name === ctx.cluster);
      const user = st.config.users.find((u) => u.name === ctx.user);
      let configError: string | undefined;
      if (!cluster) configError = `context "${ctx.name}" refers to cluster "${ctx.cluster}", which this file does not define`;
      else if (!cluster.server) configError = `cluster "${cluster.name}" has no server address`;
      else if (ctx.user && !user) configError = `context "${ctx.name}" refers to user "${ctx.user}", which this file does not define`;
      configError = duplicateContextError(ctx.name, index) ?? configError;
      clusters.push({
        id: clusterEntryId(f.path, ctx.name, index),
        contextName: ctx.name,
        filePath: f.path,
        clusterName: ctx.cluster,
        userName: ctx.user,
        server: cluster?.server ?? '',
        auth: user?.auth ?? 'none',
        insecureSkipTlsVerify: cluster?.insecureSkipTlsVerify ?? false,
        nameIsDuplicated: (nameCount.get(ctx.name) ?? 0) > 1,
        isCurrentContext: st.config.currentContext === ctx.name,
        ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
        ...(user?.execCommand ? { execCommand: user.execCommand } : {}),
        ...(cluster?.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
        ...(configError ? { configError } : {}),
      });
    }
  }
  return { clusters, problems };
}

/**
 * kubectl (and client-node) resolve a context name to its first definition in a file, so a second context of the
 * same name would silently connect as the first: it is shown as an error instead.
 */
export function duplicateContextError(contextName: string, indexInFile: number): string | undefined {
  if (indexInFile === 0) return undefined;
  return `duplicate context "${contextName}": this file defines it more than once, and kubectl uses only the first`;
}

/** The short name shown beside a duplicated context name: the file's base name, or more of its path if needed. */
export function fileLabel(filePath: string, all: readonly string[]): string {
  const base = path.basename(filePath);
  const clash = all.some((p) => p !== filePath && path.basename(p) === base);
  if (!clash) return base;
  return path.join(path.basename(path.dirname(filePath)), base);
}
