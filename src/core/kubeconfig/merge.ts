// Merges one kubeconfig's entries into another file's text: collisions are listed first (planMerge), and merge()
// applies the user's choice for each (rename the incoming entry, overwrite the target's, or keep the target's).
// The target's bytes outside the added or overwritten entries stay as they were; its current-context is untouched.
import { KubeconfigEditError } from './editError.ts';
import { entriesOf, oneEntry, checkName, uniqueName, LIST_OF, type Entry, type EntryKind } from './entries.ts';
import { TextSplicer, deepEqual, type EditResult } from './textSplicer.ts';

export interface MergeCollision {
  readonly kind: EntryKind;
  readonly name: string;
  /** The same data on both sides: nothing to decide, it is skipped unless told otherwise. */
  readonly identical: boolean;
  /** A free name for the incoming entry. */
  readonly proposedName: string;
}

export type CollisionResolution = { readonly action: 'rename'; readonly to: string } | { readonly action: 'overwrite' } | { readonly action: 'keep-target' };

export const collisionKey = (kind: EntryKind, name: string): string => `${kind}/${name}`;

const KINDS: readonly EntryKind[] = ['cluster', 'user', 'context'];

function readSource(source: string): TextSplicer {
  try {
    const s = new TextSplicer(source);
    for (const kind of KINDS) {
      const names = entriesOf(s, kind).map((e) => e.name);
      for (const n of names) {
        if (n === undefined) throw new KubeconfigEditError('not-a-kubeconfig', `An entry of "${LIST_OF[kind]}" has no name`);
        oneEntry(s, kind, n);
      }
    }
    for (const ctx of entriesOf(s, 'context')) {
      if (typeof ctx.body.cluster === 'string') oneEntry(s, 'cluster', ctx.body.cluster, ctx.name);
      if (typeof ctx.body.user === 'string' && ctx.body.user !== '') oneEntry(s, 'user', ctx.body.user, ctx.name);
    }
    return s;
  } catch (err) {
    if (err instanceof KubeconfigEditError) throw new KubeconfigEditError(err.code, `In the file to merge: ${err.message}`);
    throw err;
  }
}

/**
 * Whether an incoming entry can be dropped in favour of the target's one of the same name: the same data and, for a
 * context, the same cluster and user behind the names it holds (a second k3s or kind cluster has a context `default`
 * with the very same fields as the first, pointing at a different cluster also named `default`).
 */
function sameAsTarget(t: TextSplicer, s: TextSplicer, kind: EntryKind, existing: Entry, incoming: Entry): boolean {
  if (!deepEqual(existing.data, incoming.data)) return false;
  if (kind !== 'context') return true;
  for (const ref of ['cluster', 'user'] as const) {
    const name = incoming.body[ref];
    if (typeof name !== 'string' || name === '') continue;
    const mine = entriesOf(t, ref).filter((e) => e.name === name);
    const theirs = entriesOf(s, ref).find((e) => e.name === name);
    if (mine.length !== 1 || !theirs || !deepEqual(mine[0]!.data, theirs.data)) return false;
  }
  return true;
}

/** The names both files use, with a proposed free name for each incoming entry (clusters, then users, then contexts). */
export function planMerge(target: string, source: string): MergeCollision[] {
  const t = new TextSplicer(target);
  const s = readSource(source);
  const out: MergeCollision[] = [];
  for (const kind of KINDS) {
    const targetEntries = entriesOf(t, kind);
    const taken = new Set([...targetEntries, ...entriesOf(s, kind)].map((e) => e.name).filter((n): n is string => n !== undefined));
    for (const e of entriesOf(s, kind)) {
      const existing = targetEntries.find((x) => x.name === e.name);
      if (!existing || e.name === undefined) continue;
      const proposedName = uniqueName(e.name, taken);
      taken.add(proposedName);
      out.push({ kind, name: e.name, identical: sameAsTarget(t, s, kind, existing, e), proposedName });
    }
  }
  return out;
}

/**
 * The question flow of Merge Into: every collision that is not identical is put to `ask` (in planMerge's order), and
 * identical ones are skipped (the target's entry is kept). Undefined when the user cancelled a question.
 */
export async function askResolutions(
  plan: readonly MergeCollision[],
  ask: (collision: MergeCollision) => Promise<CollisionResolution | undefined>,
): Promise<Map<string, CollisionResolution> | undefined> {
  const resolutions = new Map<string, CollisionResolution>();
  for (const c of plan) {
    if (c.identical) continue;
    const r = await ask(c);
    if (!r) return undefined;
    resolutions.set(collisionKey(c.kind, c.name), r);
  }
  return resolutions;
}

/** Adds the source's clusters, users and contexts to the target text, resolving each collision as chosen. */
export function merge(target: string, source: string, resolutions: ReadonlyMap<string, CollisionResolution>): EditResult {
  const t = new TextSplicer(target);
  const s = readSource(source);
  const renamed: Record<EntryKind, Map<string, string>> = { context: new Map(), cluster: new Map(), user: new Map() };
  const plan: { kind: EntryKind; entry: Entry; action: 'append' | 'overwrite'; name: string; targetIndex?: number }[] = [];
  for (const kind of KINDS) {
    const targetEntries = entriesOf(t, kind);
    const taken = new Set([...targetEntries, ...entriesOf(s, kind)].map((e) => e.name));
    for (const e of entriesOf(s, kind)) {
      const name = e.name!;
      const existing = targetEntries.find((x) => x.name === name);
      if (!existing) {
        plan.push({ kind, entry: e, action: 'append', name });
        continue;
      }
      oneEntry(t, kind, name);
      const r = resolutions.get(collisionKey(kind, name)) ?? (sameAsTarget(t, s, kind, existing, e) ? { action: 'keep-target' as const } : undefined);
      if (!r) throw new KubeconfigEditError('unresolved-collision', `Both files have a ${kind} named "${name}"; choose to rename the incoming one or overwrite the existing one`);
      if (r.action === 'keep-target') continue;
      if (r.action === 'overwrite') {
        plan.push({ kind, entry: e, action: 'overwrite', name, targetIndex: existing.index });
        continue;
      }
      checkName(kind, r.to);
      if (taken.has(r.to)) throw new KubeconfigEditError('duplicate-name', `A ${kind} named "${r.to}" already exists in one of the files; pick another name`);
      taken.add(r.to);
      renamed[kind].set(name, r.to);
      plan.push({ kind, entry: e, action: 'append', name: r.to });
    }
  }
  const appended: Record<EntryKind, Record<string, unknown>[]> = { context: [], cluster: [], user: [] };
  for (const p of plan) {
    const data: Record<string, unknown> = { ...structuredClone(p.entry.data), name: p.name };
    if (p.kind === 'context') {
      const body = { ...p.entry.body };
      for (const ref of ['cluster', 'user'] as const) {
        const to = typeof body[ref] === 'string' ? renamed[ref].get(body[ref]) : undefined;
        if (to !== undefined) body[ref] = to;
      }
      data.context = body;
    }
    const what = p.name === p.entry.name ? `${p.kind} "${p.name}"` : `${p.kind} "${p.entry.name}" as "${p.name}"`;
    if (p.action === 'overwrite') t.replaceItem(LIST_OF[p.kind], p.targetIndex!, data, `${what} overwritten with the incoming one`);
    else appended[p.kind].push(data);
  }
  for (const kind of ['cluster', 'user'] as const) {
    for (const p of plan) {
      if (p.kind !== kind) continue;
      const used = plan.some((c) => c.kind === 'context' && c.entry.body[kind] === p.entry.name);
      if (!used) t.note(`${kind} "${p.name}" is added, but no context added by this merge uses it`);
    }
  }
  for (const kind of KINDS) {
    const list = appended[kind];
    if (list.length > 0) t.appendItems(LIST_OF[kind], list, `${list.length} ${LIST_OF[kind]} added: ${list.map((d) => `"${String(d.name)}"`).join(', ')}`);
  }
  return t.finish();
}
