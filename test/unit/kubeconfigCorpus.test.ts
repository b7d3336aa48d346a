// Every edit of every corpus file (rename, rewrite server, delete, extract) and a merge of every file into every
// other: the result, read by a YAML 1.1 reader (as kubectl reads it), means exactly the intended change, and no edit
// touches bytes outside the entries it concerns (merge only inserts); and a property run of merges between generated
// files. test/integration/kubeconfigCorpus.test.ts runs the corpus cases through kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseDocument, isMap, isSeq, type YAMLMap } from 'yaml';
import { CORPUS } from './kubeconfigCorpus.ts';
import { isDeepStrictEqual } from 'node:util';
import { editCases, extractCases, mergeCase, viewOf, assertEditsWithin, type ConfigData, type View } from './kubeconfigCorpusChecks.ts';
import { mulberry32, generate } from './kubeconfigGenerator.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';

const read11 = (text: string): ConfigData => (parse(text, { version: '1.1', merge: true }) ?? {}) as ConfigData;

/** The ranges of the entries a context edit may touch: the context, its cluster and user, and current-context. */
function entryRanges(text: string, ctx: string): [number, number][] {
  const doc = parseDocument(text, { merge: true });
  const cfg = doc.toJS() as ConfigData;
  const context = (cfg.contexts ?? []).find((c) => c.name === ctx)?.context as { cluster?: string; user?: string } | undefined;
  const wanted: Record<string, unknown> = { contexts: ctx, clusters: context?.cluster, users: context?.user };
  const out: [number, number][] = [];
  const root = doc.contents as YAMLMap;
  for (const pair of root.items) {
    const key = String((pair.key as { value: unknown }).value);
    const value = pair.value as { range?: [number, number, number] } | null;
    if (key === 'current-context' && value?.range) out.push([(pair.key as { range: [number, number, number] }).range[0], value.range[2]]);
    if (!(key in wanted) || !isSeq(pair.value)) continue;
    const seqLength = pair.value.items.length;
    pair.value.items.forEach((item, i) => {
      const name = (cfg[key as 'contexts'] ?? [])[i]?.name;
      const r = (item as { range?: [number, number, number] }).range;
      if (name === wanted[key] && r && isMap(item)) {
        const lineStart = text.lastIndexOf('\n', r[0]) + 1;
        const next = text.indexOf('\n', r[2] - 1);
        out.push([lineStart, next < 0 ? text.length : next + 1]);
        // the last entry of a list: the list becomes `[]`, from the key's colon on
        if (seqLength === 1) out.push([(pair.key as { range: [number, number, number] }).range[1], r[2]]);
      }
    });
  }
  return out;
}

for (const [name, text] of Object.entries(CORPUS)) {
  test(`${name}: every edit means what it says and touches only its entries`, () => {
    const before = viewOf(read11(text));
    assert.ok(Object.keys(before.contexts).length > 0);
    for (const c of editCases(text, read11)) {
      const r = c.run();
      assert.deepEqual(viewOf(read11(r.text)), c.expect(before), `${name}: ${c.label}`);
      const ctx = c.label.replace(/^(rename|rewrite server of|delete) /, '').replace(/ to a YAML 1.1 word$/, '');
      const allowed = entryRanges(text, ctx);
      // an alias written out with its old value lies in another entry: it must replace just the alias
      const kept = r.edits.filter((e) => e.summary.includes('keeps its value'));
      for (const e of kept) assert.equal(text[e.start], '*', `${name}: ${c.label}: "${e.summary}" replaces an alias`);
      assertEditsWithin({ ...r, edits: r.edits.filter((e) => !kept.includes(e)) }, allowed, `${name}: ${c.label}`);
      if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(r.text), `${name}: ${c.label}: CRLF kept`);
    }
    for (const x of extractCases(text, read11)) assert.deepEqual(viewOf(read11(x.run())), x.expect(before), `${name}: ${x.label}`);
  });
}

test('merge of every corpus file into every other, as Merge Into asks: both files\' contexts resolve as before', async () => {
  for (const [targetName, target] of Object.entries(CORPUS)) {
    for (const [sourceName, source] of Object.entries(CORPUS)) {
      const label = `${sourceName} into ${targetName}`;
      const { result, expect } = await mergeCase(target, source);
      assert.deepEqual(viewOf(read11(result.text)), expect(viewOf(read11(target)), viewOf(read11(source))), label);
      for (const e of result.edits) assert.equal(e.start, e.end, `${label}: only insertions (${e.summary})`);
    }
  }
});

const MERGE_RUNS = Number(process.env.KUBECONFIG_MERGE_PROPERTY_RUNS ?? 400);
const CASE_BOUND_MS = 2000; // a hang detector, not a performance claim

test(`${MERGE_RUNS} merges of generated kubeconfigs (overlapping names), as Merge Into asks: no incoming context is lost`, async () => {
  const r = mulberry32(20261206);
  const read12 = (text: string): ConfigData => (parse(text, { merge: true }) ?? {}) as ConfigData;
  let merged = 0;
  for (let i = 0; i < MERGE_RUNS; i++) {
    const target = generate(r);
    // half the runs: a second cluster made the same way (the same names, other servers), as a second k3s or kind
    const source = i % 2 === 0 ? generate(r) : target.replace(/127\.0\.0\./g, '127.0.9.').replace(/localhost/g, '127.0.8.1');
    // only files kubectl reads as they stand: a YAML 1.1 reader and a 1.2 one agree on them
    let views: [View, View];
    try {
      views = [viewOf(read11(target)), viewOf(read11(source))];
      if (!isDeepStrictEqual(views[0], viewOf(read12(target))) || !isDeepStrictEqual(views[1], viewOf(read12(source)))) continue;
    } catch {
      continue;
    }
    const started = performance.now();
    let outcome: Awaited<ReturnType<typeof mergeCase>>;
    try {
      outcome = await mergeCase(target, source);
    } catch (err) {
      if (err instanceof KubeconfigEditError) continue; // a typed refusal (duplicate names, missing references, …)
      throw err;
    }
    assert.ok(performance.now() - started < CASE_BOUND_MS, `run ${i}: a merge took over ${CASE_BOUND_MS} ms`);
    assert.deepEqual(viewOf(read11(outcome.result.text)), outcome.expect(...views), `run ${i}\n--- target\n${target}\n--- source\n${source}`);
    merged++;
  }
  assert.ok(merged > MERGE_RUNS / 5, `only ${merged} of ${MERGE_RUNS} generated pairs were merged`);
});
