// Property run over generated and mutated kubeconfigs (seeded, reproducible): every edit either returns or throws its
// typed error; a returned text is valid YAML; each splice lies inside the entries the edit is about (or is a pure
// insertion), so no byte elsewhere changes; and top-level fields outside clusters/contexts/users stay equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, isMap, isSeq, isScalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { renameContext, rewriteServer, deleteContext, normalizeImported, type EditResult } from '../../src/core/kubeconfig/edits.ts';
import { planMerge, merge, collisionKey, type CollisionResolution } from '../../src/core/kubeconfig/merge.ts';
import { extractContext } from '../../src/core/kubeconfig/extract.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';
import { mulberry32, pick, generate, mutate, NAMES } from './kubeconfigGenerator.ts';

const RUNS = Number(process.env.KUBECONFIG_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.KUBECONFIG_PROPERTY_SEED ?? 20261129);

type Range = [number, number];

// The same input is read by several checks of one run: parse it once (the run is bound by YAML parsing).
let cachedText: string | undefined;
let cachedDoc: ReturnType<typeof parseDocument> | undefined;
let cachedJs: { value: unknown } | undefined;
function docOf(text: string): ReturnType<typeof parseDocument> {
  if (cachedText !== text) {
    cachedText = text;
    cachedDoc = parseDocument(text, { merge: true });
    cachedJs = undefined;
  }
  return cachedDoc!;
}
function jsOf(text: string): unknown {
  const doc = docOf(text);
  if (!cachedJs) {
    try {
      cachedJs = { value: doc.toJS() };
    } catch {
      cachedJs = { value: undefined };
    }
  }
  return cachedJs.value;
}

/** Source regions an edit may touch: whole list items (line-extended) of the named entries, whole list pairs, current-context. */
function regions(text: string, names: { context?: string[]; cluster?: string[]; user?: string[] }, allEntriesOf: string[] = []): Range[] {
  const doc = docOf(text);
  const out: Range[] = [];
  const lineStart = (p: number): number => text.lastIndexOf('\n', p - 1) + 1;
  const afterLine = (p: number): number => {
    const i = text.indexOf('\n', Math.max(0, p - 1));
    return i < 0 ? text.length : i + 1;
  };
  const root = doc.contents;
  if (!isMap(root)) return out;
  for (const pair of (root as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value as { range?: [number, number, number] } | null;
    const kr = (pair.key as { range: [number, number, number] }).range;
    if (key === 'current-context') out.push([kr[0], afterLine(v?.range?.[1] ?? kr[1])]);
    const kind = key === 'contexts' ? 'context' : key === 'clusters' ? 'cluster' : key === 'users' ? 'user' : undefined;
    if (!kind) continue;
    out.push([kr[0], kr[1] + 1]); // the key and its colon, for a list emptied to []
    if (v?.range) out.push([kr[1], afterLine(v.range[1])].map((x, j) => (j === 0 ? x : x)) as Range);
    if (!isSeq(pair.value)) continue;
    for (const item of (pair.value as YAMLSeq).items) {
      const json = (item as { toJSON?: () => unknown }).toJSON?.() as { name?: unknown } | undefined;
      const want = names[kind] ?? [];
      if (allEntriesOf.includes(kind) || (json && typeof json.name === 'string' && want.includes(json.name))) {
        const ir = (item as { range: [number, number, number] }).range;
        out.push([lineStart(ir[0]), afterLine(ir[1])]);
      }
    }
  }
  return out;
}

function listPairsOnly(text: string): Range[] {
  return regions(text, {}).filter(() => true);
}

function assertSplicesInside(input: string, res: EditResult, allowed: Range[], label: string): void {
  let rebuilt = '';
  let pos = 0;
  for (const e of res.edits) {
    assert.ok(e.start >= pos, `${label}: edits overlap`);
    rebuilt += input.slice(pos, e.start) + e.text;
    pos = e.end;
    if (e.start === e.end) continue; // a pure insertion removes no byte
    assert.ok(allowed.some(([a, b]) => e.start >= a && e.end <= b), `${label}: splice ${e.start}-${e.end} (${JSON.stringify(input.slice(e.start, e.end))}) outside the edited entries`);
  }
  rebuilt += input.slice(pos);
  assert.equal(rebuilt, res.text, `${label}: edits do not explain the output`);
  const re = parseDocument(res.text, { merge: true });
  assert.deepEqual(re.errors.map((x) => x.message), [], `${label}: output is not valid YAML`);
  const before = jsOf(input) as Record<string, unknown>;
  const after = re.toJS() as Record<string, unknown>;
  for (const k of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (['clusters', 'contexts', 'users', 'current-context'].includes(k)) continue;
    assert.deepEqual(after?.[k], before?.[k], `${label}: top-level ${k} changed`);
  }
}

function contextNames(input: string): string[] {
  const m = jsOf(input) as { contexts?: unknown } | undefined;
  return Array.isArray(m?.contexts) ? m.contexts.map((c: { name?: unknown }) => c?.name).filter((n): n is string => typeof n === 'string') : [];
}

function refsOf(input: string, ctx: string): { cluster?: string; user?: string } {
  const cfg = jsOf(input) as { contexts?: { name?: string; context?: { cluster?: string; user?: string } }[] };
  const list = Array.isArray(cfg?.contexts) ? cfg.contexts : [];
  const c = list.find((x) => x?.name === ctx)?.context;
  if (!c || typeof c !== 'object') return {};
  return { ...(typeof c.cluster === 'string' ? { cluster: c.cluster } : {}), ...(typeof c.user === 'string' ? { user: c.user } : {}) };
}

test(`property: ${RUNS} generated and mutated kubeconfigs, every edit`, () => {
  const r = mulberry32(SEED);
  const counts: Record<string, number> = {};
  for (let run = 0; run < RUNS; run++) {
    let input = generate(r);
    if (r() < 0.25) input = mutate(r, input);
    const op = pick(r, ['rename', 'rewrite', 'delete', 'normalize', 'merge', 'extract'] as const);
    const existing = contextNames(input);
    const ctx = existing.length > 0 && r() < 0.7 ? pick(r, existing) : pick(r, NAMES);
    const to = pick(r, [...NAMES, 'renamed', 'new-name']);
    const label = `run ${run} (seed ${SEED}) ${op} ${JSON.stringify(ctx)}→${JSON.stringify(to)}\n${input}`;
    try {
      const refs = refsOf(input, ctx);
      const touched = { context: [ctx, to], cluster: [refs.cluster ?? '\u0000', to], user: [refs.user ?? '\u0000', to] };
      if (op === 'rename') assertSplicesInside(input, renameContext(input, ctx, to), regions(input, touched), label);
      else if (op === 'rewrite') {
        const res = rewriteServer(input, ctx, { server: `https://127.0.0.${1 + Math.floor(r() * 3)}:${1 + Math.floor(r() * 65535)}`, tlsServerName: pick(r, ['127.0.0.5', null, undefined]) });
        assertSplicesInside(input, res, regions(input, { cluster: refs.cluster ? [refs.cluster] : [] }), label);
      } else if (op === 'delete') assertSplicesInside(input, deleteContext(input, ctx), regions(input, touched), label);
      else if (op === 'normalize') assertSplicesInside(input, normalizeImported(input, { name: to, host: '127.0.0.7' }), regions(input, { context: ['default'], user: ['default'] }, ['cluster', 'context']), label);
      else if (op === 'merge') {
        const source = generate(r);
        const plan = planMerge(input, source);
        const res = new Map<string, CollisionResolution>(plan.map((c) => [collisionKey(c.kind, c.name), r() < 0.5 ? { action: 'rename', to: c.proposedName } : { action: 'overwrite' }]));
        const overwritten = { context: plan.filter((c) => c.kind === 'context').map((c) => c.name), cluster: plan.filter((c) => c.kind === 'cluster').map((c) => c.name), user: plan.filter((c) => c.kind === 'user').map((c) => c.name) };
        assertSplicesInside(input, merge(input, source, res), [...regions(input, overwritten), ...listPairsOnly(input)], label);
      } else {
        const x = extractContext(input, ctx, new Map());
        const parsed = parseDocument(x.text);
        assert.deepEqual(parsed.errors, [], label);
        assert.equal((parsed.toJS() as { contexts: unknown[] }).contexts.length, 1, label);
      }
      counts[`${op}:ok`] = (counts[`${op}:ok`] ?? 0) + 1;
    } catch (err) {
      if (!(err instanceof KubeconfigEditError)) throw Object.assign(err as Error, { message: `${(err as Error).message}\n${label}` });
      counts[`${op}:${err.code}`] = (counts[`${op}:${err.code}`] ?? 0) + 1;
    }
  }
  // The run must exercise every edit's success path, not only its refusals.
  for (const op of ['rename', 'rewrite', 'delete', 'normalize', 'merge', 'extract']) assert.ok((counts[`${op}:ok`] ?? 0) > RUNS / 100, `${op} succeeded only ${counts[`${op}:ok`] ?? 0} times: ${JSON.stringify(counts)}`);
  process.stdout.write(`# property counts ${JSON.stringify(counts)}\n`);
});
