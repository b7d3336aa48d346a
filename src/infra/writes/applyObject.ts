// Every write the extension makes to a cluster goes through here: server-side apply with our field manager
// (`liqo-vscode`), a dry run first so a refusal (validation, admission webhooks, RBAC) arrives before anything
// changed, and deletes the same way. An admission webhook's refusal names the webhook and its reason; any other 403
// is turned into a sentence naming the verb and the resource RBAC refused; the API server's own message is kept for
// everything else.
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';

export const FIELD_MANAGER = 'liqo-vscode';

/** What an API path names, for messages: `namespaceoffloadings.offloading.liqo.io "offloading" in namespace kubeflow`. */
export function describePath(apiPath: string): { resource: string; name?: string; namespace?: string } {
  const parts = apiPath.split('?')[0]!.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let i = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : 0;
  const group = parts[0] === 'apis' ? parts[1] : '';
  let namespace: string | undefined;
  if (parts[i] === 'namespaces' && parts.length > i + 2) {
    namespace = parts[i + 1];
    i += 2;
  }
  const plural = parts[i] ?? 'objects';
  const name = parts[i + 1];
  return { resource: group ? `${plural}.${group}` : plural, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
}

/** The write failed; `message` is for the user as it is. */
export class WriteRefused extends Error {
  readonly status: number | undefined;
  readonly dryRun: boolean;
  constructor(message: string, status: number | undefined, dryRun: boolean) {
    super(message);
    this.name = 'WriteRefused';
    this.status = status;
    this.dryRun = dryRun;
  }
}

/** An admission webhook's denial, as the API server words it (`admission webhook "x" denied the request: why`). */
export function admissionDenial(message: string): { webhook: string; reason: string } | undefined {
  const m = /admission webhook "([^"]+)" denied the request:?\s*([\s\S]*)$/.exec(message);
  return m ? { webhook: m[1]!, reason: m[2]!.trim() || 'no reason given' } : undefined;
}

function explain(e: unknown, verb: string, apiPath: string, server: string, dryRun: boolean): Error {
  if (!(e instanceof KubeApiError)) return e instanceof Error ? e : new Error(String(e));
  const d = describePath(apiPath);
  const what = `${d.resource}${d.name ? ` "${d.name}"` : ''}${d.namespace ? ` in namespace ${d.namespace}` : ''}`;
  const webhook = admissionDenial(e.message);
  if (webhook) {
    return new WriteRefused(`The admission webhook "${webhook.webhook}" refused to ${verb} ${what} on ${server}${dryRun ? ' (dry run: nothing was changed)' : ''}: ${webhook.reason}`, e.status, dryRun);
  }
  if (e.status === 403) {
    return new WriteRefused(
      `Not allowed: RBAC refused to ${verb} ${what} on ${server}. Ask the cluster admin for "${verb}" on ${d.resource}${d.namespace ? ` in ${d.namespace}` : ''}, or use a context with that right. (${e.message})`,
      403,
      dryRun,
    );
  }
  if (e.status !== undefined) return new WriteRefused(`The API server refused to ${verb} ${what}${dryRun ? ' (dry run: nothing was changed)' : ''}: ${e.message}`, e.status, dryRun);
  return new WriteRefused(`Could not ${verb} ${what}: ${server} did not answer (${e.code ?? e.message}).`, undefined, dryRun);
}

export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** Take over fields another manager owns (only where the user asked for it). */
  readonly force?: boolean;
  /** Skip the dry run (for kinds whose dry run has side effects in admission; none of ours). */
  readonly skipDryRun?: boolean;
}

/** Dry-run, then apply for real; returns the object as stored. */
export async function applyObject<T = unknown>(client: ClusterClient, apiPath: string, object: unknown, o: WriteOptions = {}): Promise<T> {
  const base = { fieldManager: FIELD_MANAGER, ...(o.force ? { force: true } : {}), ...(o.signal ? { signal: o.signal } : {}) };
  if (!o.skipDryRun) {
    try {
      await client.apply(apiPath, object, { ...base, dryRun: true });
    } catch (e) {
      throw explain(e, 'patch', apiPath, client.server, true);
    }
  }
  try {
    return await client.apply<T>(apiPath, object, base);
  } catch (e) {
    throw explain(e, 'patch', apiPath, client.server, false);
  }
}

/** Dry-run, then delete; a 404 counts as done (someone else deleted it first). */
export async function deleteObject(client: ClusterClient, apiPath: string, o: { signal?: AbortSignal; propagationPolicy?: 'Foreground' | 'Background' } = {}): Promise<void> {
  const base = { ...(o.signal ? { signal: o.signal } : {}), ...(o.propagationPolicy ? { propagationPolicy: o.propagationPolicy } : {}) };
  for (const dryRun of [true, false]) {
    try {
      await client.delete(apiPath, { ...base, dryRun });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return;
      throw explain(e, 'delete', apiPath, client.server, dryRun);
    }
  }
}

/**
 * Asks the API server to validate an object without storing it and returns its refusal message, if any (the
 * service-CIDR probe: a Service with an out-of-range clusterIP is refused with the valid range in the message).
 */
export async function dryRunRefusal(client: ClusterClient, apiPath: string, object: unknown, signal?: AbortSignal): Promise<string | undefined> {
  try {
    await client.apply(apiPath, object, { fieldManager: FIELD_MANAGER, dryRun: true, ...(signal ? { signal } : {}) });
    return undefined;
  } catch (e) {
    if (e instanceof KubeApiError && e.status !== undefined && e.status !== 403) return e.message;
    throw explain(e, 'create', apiPath, client.server, true);
  }
}
