// What each edit of the corpus (kubeconfigCorpus.ts) should mean, stated on a reader's view of the file, so the same
// cases are checked by the unit test (the yaml package's YAML 1.1 reader) and the integration test (kubectl's own
// `config view --raw -o json`). A view maps each context name to what it resolves to: its fields, and the data of the
// cluster and user it names; so renaming an entry along with its references changes nothing but the context's name.
import assert from 'node:assert/strict';
import { renameContext, rewriteServer, deleteContext, type EditResult } from '../../src/core/kubeconfig/edits.ts';
import { planMerge, merge, askResolutions, collisionKey } from '../../src/core/kubeconfig/merge.ts';
import { extractContext } from '../../src/core/kubeconfig/extract.ts';

type Obj = Record<string, unknown>;
interface Named {
  name: string;
  [k: string]: unknown;
}
export interface ConfigData {
  clusters?: Named[] | null;
  contexts?: Named[] | null;
  users?: Named[] | null;
  'current-context'?: string;
}

export interface ContextView {
  readonly fields: Obj;
  readonly cluster: unknown;
  readonly user: unknown;
}
export interface View {
  readonly current: string | undefined;
  readonly contexts: Record<string, ContextView>;
}

const byName = (list: Named[] | null | undefined, name: unknown, field: string): unknown => (list ?? []).find((e) => e.name === name)?.[field];

export function viewOf(cfg: ConfigData): View {
  const contexts: Record<string, ContextView> = {};
  for (const c of cfg.contexts ?? []) {
    const { cluster, user, ...fields } = (c.context ?? {}) as Obj;
    contexts[c.name] = { fields, cluster: byName(cfg.clusters, cluster, 'cluster'), user: byName(cfg.users, user, 'user') };
  }
  const current = cfg['current-context'];
  return { current: current === '' ? undefined : current, contexts };
}

export interface EditCase {
  readonly label: string;
  readonly run: () => EditResult;
  /** The view the result must have, from the view of the input. */
  readonly expect: (before: View) => View;
}

const NEW_SERVER = 'https://127.0.0.42:7443';

function renamedView(before: View, from: string, to: string): View {
  const contexts = Object.fromEntries(Object.entries(before.contexts).map(([k, v]) => [k === from ? to : k, v]));
  return { current: before.current === from ? to : before.current, contexts };
}

/** Rename, rewrite server (with tls-server-name) and delete of every context of a file. */
export function editCases(text: string, dataOf: (text: string) => ConfigData): EditCase[] {
  const cfg = dataOf(text);
  const out: EditCase[] = [];
  const names = (cfg.contexts ?? []).map((c) => c.name);
  for (const ctx of names) {
    const to = `${ctx}-renamed`;
    out.push({ label: `rename ${ctx}`, run: () => renameContext(text, ctx, to), expect: (b) => renamedView(b, ctx, to) });
    out.push({ label: `rename ${ctx} to a YAML 1.1 word`, run: () => renameContext(text, ctx, names.includes('on') ? 'off' : 'on'), expect: (b) => renamedView(b, ctx, names.includes('on') ? 'off' : 'on') });
    const clusterName = byName(cfg.contexts, ctx, 'context') as Obj;
    out.push({
      label: `rewrite server of ${ctx}`,
      run: () => rewriteServer(text, ctx, { server: NEW_SERVER, tlsServerName: 'kubernetes' }),
      expect: (b) => {
        // every context whose cluster is this one (by name) sees the change; aliases elsewhere keep their value
        const target = b.contexts[ctx]!.cluster;
        const sameCluster = new Set((cfg.contexts ?? []).filter((c) => (c.context as Obj).cluster === clusterName.cluster).map((c) => c.name));
        const contexts = Object.fromEntries(
          Object.entries(b.contexts).map(([k, v]) => [k, sameCluster.has(k) ? { ...v, cluster: { ...(target as Obj), server: NEW_SERVER, 'tls-server-name': 'kubernetes' } } : v]),
        );
        return { current: b.current, contexts };
      },
    });
    out.push({
      label: `delete ${ctx}`,
      run: () => deleteContext(text, ctx),
      expect: (b) => ({ current: b.current, contexts: Object.fromEntries(Object.entries(b.contexts).filter(([k]) => k !== ctx)) }),
    });
  }
  return out;
}

/** Extract of every context: a file with that context alone, current. */
export function extractCases(text: string, dataOf: (text: string) => ConfigData): { label: string; run: () => string; expect: (before: View) => View }[] {
  return (dataOf(text).contexts ?? []).map((c) => ({
    label: `extract ${c.name}`,
    run: () => extractContext(text, c.name, new Map()).text,
    expect: (b: View) => ({ current: c.name, contexts: { [c.name]: b.contexts[c.name]! } }),
  }));
}

/**
 * Merge `source` into `target` as Merge Into does, a user taking every proposed name: the result holds the target's
 * contexts unchanged and each incoming context under its own or its new name, resolving to what it did in the source.
 */
export async function mergeCase(target: string, source: string): Promise<{ result: EditResult; expect: (targetView: View, sourceView: View) => View }> {
  const plan = planMerge(target, source);
  const resolutions = await askResolutions(plan, async (c) => ({ action: 'rename', to: c.proposedName }));
  assert.ok(resolutions);
  const result = merge(target, source, resolutions);
  const renamedContext = (name: string): string => {
    const r = resolutions.get(collisionKey('context', name));
    return r?.action === 'rename' ? r.to : name;
  };
  return {
    result,
    expect: (t, s) => {
      for (const [k, v] of Object.entries(s.contexts)) {
        // an incoming context kept under its name where the target has one: only right when both mean the same
        if (renamedContext(k) === k && k in t.contexts) assert.deepEqual(t.contexts[k], v, `the incoming context "${k}" was dropped for the target's different one`);
      }
      return { current: t.current, contexts: { ...Object.fromEntries(Object.entries(s.contexts).map(([k, v]) => [renamedContext(k), v])), ...t.contexts } };
    },
  };
}

/** Each edit lies inside the entries it is about, or only adds text; `allowed` are [start, end) ranges. */
export function assertEditsWithin(result: EditResult, allowed: readonly (readonly [number, number])[], label: string): void {
  for (const e of result.edits) {
    const inside = allowed.some(([a, b]) => e.start >= a && e.end <= b);
    assert.ok(inside || e.start === e.end, `${label}: edit "${e.summary}" at ${e.start}-${e.end} is outside the entries it concerns`);
  }
}
