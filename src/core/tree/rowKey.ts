// Structured row identity. A row is named by a typed key — the kubeconfig entry (or file) it belongs to and the path
// of segments below it — and its id string is derived from the key, never parsed back: an EKS context name is an
// ARN with `/` in it, a file path too, so nothing may split an id to learn what it names. Each segment is
// URI-encoded, so two different keys never give the same id.

/** A row of one kubeconfig context: the cluster row itself (`path` empty) and every row below it. */
export interface ClusterRowKey {
  readonly scope: 'cluster';
  /** The kubeconfig entry id (file + context name) the row belongs to. */
  readonly entry: string;
  readonly path: readonly string[];
}

/** The row of a kubeconfig file that could not be read. */
export interface FileRowKey {
  readonly scope: 'file';
  readonly file: string;
}

export type RowKey = ClusterRowKey | FileRowKey;

export function clusterRowKey(entry: string): ClusterRowKey {
  return { scope: 'cluster', entry, path: [] };
}

export function fileRowKey(file: string): FileRowKey {
  return { scope: 'file', file };
}

export function childKey(parent: ClusterRowKey, ...segments: readonly string[]): ClusterRowKey {
  return { scope: 'cluster', entry: parent.entry, path: [...parent.path, ...segments] };
}

export function rowId(key: RowKey): string {
  if (key.scope === 'file') return `file:${encodeURIComponent(key.file)}`;
  let id = `cluster:${encodeURIComponent(key.entry)}`;
  for (const s of key.path) id += `/${encodeURIComponent(s)}`;
  return id;
}

/** The id of a cluster's own row (the id the model reports when the row or its whole subtree changed). */
export function clusterRowId(entry: string): string {
  return rowId(clusterRowKey(entry));
}

export function isClusterRow(key: RowKey): key is ClusterRowKey {
  return key.scope === 'cluster' && key.path.length === 0;
}
