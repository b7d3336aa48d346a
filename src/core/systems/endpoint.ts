// Where another federation system's object points (an API server URL and the CA it trusts, read from a kubeconfig
// it carries), and which of the user's kubeconfig contexts that is: same server (scheme, host and port compared as
// the API client would dial them) and, when both sides carry a CA, the same CA. Credentials are never read out.
import { parseKubeconfig } from '../kubeconfig/parse.ts';
import { caDataFingerprints } from '../federation/caFingerprint.ts';

export interface Endpoint {
  readonly server: string;
  /** SHA-256 fingerprints of the CA certificates it trusts; empty when it carries none */
  readonly caFingerprints: readonly string[];
}

/** A kubeconfig context as the explorer knows it: its name, its server and its CA (fingerprints). */
export interface ContextEndpoint extends Endpoint {
  readonly context: string;
}

export type EndpointMatch =
  | { readonly kind: 'context'; readonly context: string }
  | { readonly kind: 'ca-differs'; readonly context: string }
  | { readonly kind: 'none' };

const AUTHORITY = /^(https?):\/\/(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/i;

/** `https://HOST:443/` and `https://host` are one server; anything unparsable compares as written. */
export function normalizeServer(server: string): string {
  const m = AUTHORITY.exec(server.trim());
  if (!m) return server.trim();
  const scheme = (m[1] ?? '').toLowerCase();
  const port = m[3] ?? (scheme === 'https' ? '443' : '80');
  return `${scheme}://${(m[2] ?? '').toLowerCase()}:${port}`;
}

export function matchEndpoint(target: Endpoint, contexts: readonly ContextEndpoint[]): EndpointMatch {
  const server = normalizeServer(target.server);
  const sameServer = contexts.filter((c) => normalizeServer(c.server) === server);
  const agrees = (c: ContextEndpoint) => target.caFingerprints.length === 0 || c.caFingerprints.length === 0 || c.caFingerprints.some((f) => target.caFingerprints.includes(f));
  const hit = sameServer.find(agrees);
  if (hit) return { kind: 'context', context: hit.context };
  const first = sameServer[0];
  return first ? { kind: 'ca-differs', context: first.context } : { kind: 'none' };
}

/**
 * A kubeconfig context's endpoint: its server and the fingerprints of its inline CA data (a CA file is not read
 * here, and then only the server is compared).
 */
export function endpointOfContext(context: string, server: string, caData: unknown): ContextEndpoint {
  return { context, server, caFingerprints: typeof caData === 'string' && caData.trim() !== '' ? caDataFingerprints(caData) : [] };
}

export type EndpointResult = { readonly ok: true; readonly endpoint: Endpoint; readonly contextName?: string } | { readonly ok: false; readonly problem: string };

/**
 * The endpoint a kubeconfig (text) reaches through `context` (its current context when not given). Only the
 * server and the CA are read; the user's credentials stay in the text, which is not kept.
 */
export function endpointOfKubeconfig(text: string, context?: string): EndpointResult {
  const parsed = parseKubeconfig(text);
  if (!parsed.ok) return { ok: false, problem: `its kubeconfig does not parse: ${parsed.error.message}` };
  const cfg = parsed.config;
  const ctxName = context ?? cfg.currentContext ?? (cfg.contexts.length === 1 ? cfg.contexts[0]?.name : undefined);
  const ctx = cfg.contexts.find((c) => c.name === ctxName);
  // a context asked for by name (Admiralty's kubeconfigSecret.context) must exist: the agent fails otherwise
  if (context !== undefined && !ctx) return { ok: false, problem: `its kubeconfig has no context ${context}` };
  const clusterName = ctx?.cluster ?? (cfg.clusters.length === 1 ? cfg.clusters[0]?.name : undefined);
  const cluster = cfg.clusters.find((c) => c.name === clusterName);
  if (!cluster) return { ok: false, problem: context ? `its kubeconfig has no context ${context}` : 'its kubeconfig names no current context' };
  const raw = cfg.raw.clusters.get(cluster.name) ?? {};
  const caData = raw['certificate-authority-data'];
  const fingerprints = typeof caData === 'string' ? caDataFingerprints(caData) : [];
  return { ok: true, endpoint: { server: cluster.server, caFingerprints: fingerprints }, ...(ctx ? { contextName: ctx.name } : {}) };
}

/** A Secret's value by key (`data` is base64, `stringData` is only ever seen before the server stores it). */
export function secretValue(secret: { readonly data?: Readonly<Record<string, string>>; readonly stringData?: Readonly<Record<string, string>> }, key: string): string | undefined {
  const d = secret.data?.[key];
  if (d !== undefined) return Buffer.from(d, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

