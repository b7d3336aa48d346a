// The edits an SSH import makes to the fetched text, before anything is saved: k3s's generic `default` names become
// the name the user picked, a loopback or 0.0.0.0 server points at the host, and for each rewritten server a
// tls-server-name the live certificate holds is set when the certificate does not name the host, so TLS stays
// verified. Text in, text and a list of what changed out; the certificate names are read by the caller (infra).
import { normalizeImported, rewriteServer } from '../kubeconfig/edits.ts';
import { parseForEdit } from '../kubeconfig/textSplicer.ts';
import { parseServer } from '../kubeconfig/serverAddress.ts';
import { chooseTlsServerName, type CertificateNames } from '../kubeconfig/tlsServerName.ts';

export interface RewrittenServer {
  /** A context that uses the cluster (the one tls-server-name is set through). */
  readonly context: string;
  readonly server: string;
  /** The host the file named before the rewrite (127.0.0.1, 0.0.0.0, localhost…). */
  readonly oldHost: string;
  /** The cluster already had a tls-server-name: it is kept as is. */
  readonly hasTlsServerName: boolean;
}

export interface ImportDraft {
  readonly text: string;
  readonly summaries: readonly string[];
  readonly notes: readonly string[];
  readonly rewritten: readonly RewrittenServer[];
  /** The contexts of the imported file, after renaming. */
  readonly contexts: readonly string[];
}

type Raw = Record<string, unknown>;
const listOf = (model: Raw, key: string): Raw[] => (Array.isArray(model[key]) ? (model[key] as unknown[]).map((x) => (x && typeof x === 'object' ? (x as Raw) : {})) : []);
const inner = (e: Raw, key: string): Raw => (e[key] && typeof e[key] === 'object' ? (e[key] as Raw) : {});

/** Renames k3s's `default` entries and points local-only servers at `host`. */
export function draftImport(fetched: string, opts: { name: string; host: string }): ImportDraft {
  const result = normalizeImported(fetched, opts);
  const before = listOf(parseForEdit(fetched).model, 'clusters');
  const after = parseForEdit(result.text).model;
  const clusters = listOf(after, 'clusters');
  const contexts = listOf(after, 'contexts');
  const rewritten: RewrittenServer[] = [];
  // normalizeImported neither adds, removes nor reorders entries: index i is the same cluster before and after.
  clusters.forEach((c, i) => {
    const was = inner(before[i] ?? {}, 'cluster').server;
    const now = inner(c, 'cluster').server;
    if (typeof was !== 'string' || typeof now !== 'string' || was === now) return;
    const user = contexts.find((ctx) => inner(ctx, 'context').cluster === c.name);
    if (!user || typeof user.name !== 'string') return;
    rewritten.push({ context: user.name, server: now, oldHost: parseServer(was).host, hasTlsServerName: typeof inner(c, 'cluster')['tls-server-name'] === 'string' });
  });
  return {
    text: result.text,
    summaries: result.edits.map((e) => e.summary),
    notes: [...result.notes],
    rewritten,
    contexts: contexts.map((c) => c.name).filter((n): n is string => typeof n === 'string'),
  };
}

/**
 * Sets tls-server-name on each rewritten server whose certificate (names read from the live server, or undefined
 * when it could not be reached from here) does not name the host. Unknown names leave the server as is, with a note.
 */
export function withTlsNames(draft: ImportDraft, names: ReadonlyMap<string, CertificateNames | undefined>): ImportDraft {
  let text = draft.text;
  const summaries = [...draft.summaries];
  const notes = [...draft.notes];
  for (const r of draft.rewritten) {
    if (r.hasTlsServerName) continue;
    const certNames = names.get(r.server);
    const host = parseServer(r.server).host;
    if (!certNames) {
      notes.push(`The certificate of ${r.server} could not be read from here; if it does not name ${host}, set tls-server-name later with Rewrite Server Address…`);
      continue;
    }
    const choice = chooseTlsServerName(host, certNames, r.oldHost);
    if (!choice.needed) continue;
    if (choice.name === undefined) {
      notes.push(`The certificate of ${r.server} names no host or IP: TLS cannot be verified at ${host}`);
      continue;
    }
    const edited = rewriteServer(text, r.context, { server: r.server, tlsServerName: choice.name });
    text = edited.text;
    summaries.push(...edited.edits.map((e) => `${e.summary} (the certificate does not name ${host})`));
  }
  return { ...draft, text, summaries, notes };
}
