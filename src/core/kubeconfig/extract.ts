// Builds a self-contained kubeconfig for one context (what `liqoctl peer --remote-kubeconfig` wants): the context,
// its cluster and its user, with certificate and token files embedded. Reading those files is infra's job: it asks
// fileReferences() which paths to read and passes their contents (base64) in.
import { KubeconfigEditError } from './editError.ts';
import { contextWithRefs } from './entries.ts';
import { TextSplicer } from './textSplicer.ts';
import { stringifyForKubectl } from './yaml11Scalar.ts';

export interface FileReference {
  readonly kind: 'cluster' | 'user';
  /** The kubeconfig field naming the file (e.g. certificate-authority). */
  readonly field: string;
  /** As written in the kubeconfig; relative paths are relative to the kubeconfig's folder. */
  readonly path: string;
}

const FLATTEN: Record<'cluster' | 'user', Record<string, string>> = {
  cluster: { 'certificate-authority': 'certificate-authority-data' },
  user: { 'client-certificate': 'client-certificate-data', 'client-key': 'client-key-data', tokenFile: 'token' },
};

/** The files a context's cluster and user refer to, which extractContext needs the contents of. */
export function fileReferences(text: string, contextName: string): FileReference[] {
  const s = new TextSplicer(text);
  const { cluster, user } = contextWithRefs(s, contextName);
  const out: FileReference[] = [];
  for (const [kind, entry] of [['cluster', cluster], ['user', user]] as const) {
    if (!entry) continue;
    for (const [field, dataField] of Object.entries(FLATTEN[kind])) {
      const p = entry.body[field];
      if (typeof p === 'string' && p !== '' && entry.body[dataField] === undefined) out.push({ kind, field, path: p });
    }
  }
  return out;
}

export interface Extracted {
  readonly text: string;
  readonly notes: readonly string[];
}

/**
 * The new file's text. `files` maps each referenced path (as written) to its contents in base64. The new file's
 * current-context is the extracted context, so tools given this file use it.
 */
export function extractContext(text: string, contextName: string, files: ReadonlyMap<string, string>): Extracted {
  const s = new TextSplicer(text);
  const { context, cluster, user } = contextWithRefs(s, contextName);
  const notes: string[] = [];
  const flatten = (kind: 'cluster' | 'user', body: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      const dataField = FLATTEN[kind][k];
      if (dataField === undefined) {
        out[k] = structuredClone(v);
        continue;
      }
      if (body[dataField] !== undefined || typeof v !== 'string' || v === '') continue;
      const content = files.get(v);
      if (content === undefined) {
        throw new KubeconfigEditError('missing-file-content', `The ${kind} of context "${contextName}" refers to ${k} "${v}", which could not be read; fix the path or embed the data`);
      }
      out[dataField] = dataField === 'token' ? atob(content).trim() : content;
    }
    return out;
  };
  const clusters = [{ ...structuredClone(cluster.data), cluster: flatten('cluster', cluster.body) }];
  const users = user ? [{ ...structuredClone(user.data), user: flatten('user', user.body) }] : [];
  const exec = user?.body.exec as { command?: unknown } | undefined;
  if (exec && typeof exec.command === 'string') notes.push(`user "${user?.name ?? ''}" runs the program "${exec.command}" to log in: whoever uses this file needs it too`);
  if (user?.body['auth-provider'] !== undefined) notes.push(`user "${user.name ?? ''}" uses an auth-provider: whoever uses this file needs it too`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    clusters,
    contexts: [structuredClone(context.data)],
    users,
  };
  return { text: stringifyForKubectl(doc), notes };
}
