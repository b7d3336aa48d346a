// Differential run of the located block reader (parseBlockYamlLocated, what kubeconfig edits splice by) against the
// yaml package's parseDocument, over seeded generated kubeconfigs (LF and CRLF): whenever the reader reads a text,
// its nodes have parseDocument's structure, flow flags, keys and scalar values, quoting and source ranges, and every
// collection starts where parseDocument's does and ends on the same line. BLOCK_YAML_LOCATED_RUNS sets the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, isMap, isSeq, isScalar, isPair } from 'yaml';
import { parseBlockYamlLocated } from '../../src/core/kubeconfig/blockYaml.ts';
import { k3sDefault, kind, k0sAdmin, execCloud, handKept, manyContexts } from './kubeconfigShapes.ts';
import { mulberry32, generate } from './kubeconfigGenerator.ts';
import { richKubeconfig } from './kubeconfigRichGenerator.ts';

const RUNS = Number(process.env.BLOCK_YAML_LOCATED_RUNS ?? 2000);

type R = [number, number, number];
const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;
/** The last line holding content of a collection that ends at `end` (yaml's range may run past a line break). */
const lastContentLine = (text: string, end: number): number => {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  return lineOf(text, e);
};

function same(text: string, ours: unknown, theirs: unknown, path: string): void {
  if (theirs === null || (isScalar(theirs) && theirs.value === null && theirs.range && theirs.range[0] === theirs.range[1])) {
    assert.equal(ours, null, `${path}: an empty value has no node`);
    return;
  }
  const o = ours as { range: R; flow?: boolean };
  const t = theirs as { range: R; flow?: boolean };
  if (isScalar(theirs)) {
    assert.ok(isScalar(ours), `${path}: scalar`);
    // js-yaml's core schema (the reader's) keeps numbers too large to be finite as strings; yaml gives Infinity
    const value = typeof theirs.value === 'number' && !Number.isFinite(theirs.value) && typeof ours.value === 'string' ? theirs.value : ours.value;
    assert.deepEqual([value, ours.type, o.range[0], o.range[1]], [theirs.value, theirs.type, t.range[0], t.range[1]], `${path}: scalar ${JSON.stringify(text.slice(t.range[0], t.range[1]))}`);
    return;
  }
  assert.equal(isMap(ours), isMap(theirs), `${path}: map or not`);
  assert.equal(isSeq(ours), isSeq(theirs), `${path}: sequence or not`);
  assert.equal(Boolean(o.flow), Boolean(t.flow), `${path}: flow`);
  assert.equal(o.range[0], t.range[0], `${path}: start`);
  // yaml counts comment lines after a collection's last entry as its own; the reader ends at the last content
  const between = text.slice(Math.min(o.range[1], t.range[1]), Math.max(o.range[1], t.range[1]));
  assert.ok(o.range[1] <= t.range[1] && between.split('\n').every((l) => /^\s*(?:#[^\n]*)?$/.test(l)), `${path}: ends at ${o.range[1]}, parseDocument at ${t.range[1]}`);
  assert.ok(lastContentLine(text, o.range[1]) <= lastContentLine(text, t.range[1]), `${path}: last line`);
  const oi = (ours as { items: unknown[] }).items;
  const ti = (theirs as { items: unknown[] }).items;
  assert.equal(oi.length, ti.length, `${path}: item count`);
  ti.forEach((item, i) => {
    if (isPair(item)) {
      const op = oi[i];
      assert.ok(isPair(op), `${path}[${i}]: pair`);
      same(text, op.key, item.key, `${path}[${i}].key`);
      same(text, op.value, item.value, `${path}.${String((item.key as { value?: unknown }).value)}`);
    } else same(text, oi[i], item, `${path}[${i}]`);
  });
}

function check(text: string, label: string): boolean {
  const located = parseBlockYamlLocated(text);
  if (!located) return false;
  const doc = parseDocument(text, { merge: true });
  assert.equal(doc.errors.length, 0, label);
  same(text, located.contents, doc.contents, label);
  return true;
}

test('the shapes cluster tools write are located exactly as parseDocument locates them, LF and CRLF', () => {
  for (const [name, text] of Object.entries({ k3sDefault, kind, k0sAdmin, execCloud, many: manyContexts(50) })) {
    assert.ok(check(text, name), `${name} read`);
    assert.ok(check(text.replace(/\n/g, '\r\n'), `${name} CRLF`), `${name} CRLF read`);
  }
  assert.equal(parseBlockYamlLocated(handKept), undefined);
  assert.equal(parseBlockYamlLocated('a: 1\n<<: {b: 2}\n'), undefined, 'a merge key is left to the yaml package');
});

test(`${RUNS} generated kubeconfigs: whatever the located reader reads, it locates as parseDocument does`, () => {
  const r = mulberry32(20261206);
  let read = 0;
  for (let i = 0; i < RUNS; i++) {
    const text = i % 2 === 0 ? generate(r) : richKubeconfig(r);
    const variant = i % 3 === 0 ? text.replace(/\n/g, '\r\n') : text;
    if (check(variant, `run ${i}`)) read++;
  }
  assert.ok(read > RUNS / 4, `the reader read ${read} of ${RUNS}`);
});
