// The context an SSH tunnel needs: a copy of a context's cluster pointed at the tunnel's local end (with
// tls-server-name so TLS still verifies the real server's certificate), and a context using it with the same user.
// The original context is not touched, so it works again as soon as the tunnel is not needed. Reopening a tunnel on
// another port rewrites the existing tunnel context instead of adding a second one.
import { KubeconfigEditError } from './editError.ts';
import { checkName, contextWithRefs, entriesOf, oneEntry } from './entries.ts';
import { rewriteServer } from './edits.ts';
import { parseServer } from './serverAddress.ts';
import { TextSplicer, type EditResult } from './textSplicer.ts';

export interface TunnelContextSpec {
  /** The context whose cluster the tunnel reaches. */
  readonly from: string;
  /** The name of the tunnel's context and cluster (e.g. `<from>-tunnel`). */
  readonly name: string;
  /** https://127.0.0.1:<local port>. */
  readonly server: string;
  /** A name the certificate holds; undefined when it names the local address (or the source's is kept). */
  readonly tlsServerName: string | undefined;
}

export function tunnelContextName(from: string): string {
  return `${from}-tunnel`;
}

export function addTunnelContext(text: string, spec: TunnelContextSpec): EditResult {
  checkName('context', spec.name);
  parseServer(spec.server);
  const s = new TextSplicer(text);
  const { context, cluster } = contextWithRefs(s, spec.from);
  const existing = entriesOf(s, 'context').find((c) => c.name === spec.name);
  if (existing) {
    if (existing.body.cluster !== spec.name) {
      throw new KubeconfigEditError('duplicate-name', `A context named "${spec.name}" exists and does not use cluster "${spec.name}"; rename or delete it first`);
    }
    oneEntry(s, 'cluster', spec.name, spec.name);
    const keep = typeof cluster.body['tls-server-name'] === 'string';
    return rewriteServer(text, spec.name, { server: spec.server, ...(keep ? {} : { tlsServerName: spec.tlsServerName ?? null }) });
  }
  if (entriesOf(s, 'cluster').some((c) => c.name === spec.name)) {
    throw new KubeconfigEditError('duplicate-name', `A cluster named "${spec.name}" already exists; rename or delete it first`);
  }
  const body: Record<string, unknown> = { ...structuredClone(cluster.body), server: spec.server };
  if (spec.tlsServerName !== undefined && typeof cluster.body['tls-server-name'] !== 'string') body['tls-server-name'] = spec.tlsServerName;
  s.appendItems('clusters', [{ name: spec.name, cluster: body }], `cluster "${spec.name}" added: a copy of "${cluster.name ?? ''}" at ${spec.server}${body['tls-server-name'] ? ` (tls-server-name ${String(body['tls-server-name'])})` : ''}`);
  const ctxBody: Record<string, unknown> = { ...structuredClone(context.body), cluster: spec.name };
  s.appendItems('contexts', [{ name: spec.name, context: ctxBody }], `context "${spec.name}" added: user "${String(context.body.user ?? '')}" through the tunnel`);
  return s.finish();
}
