// Read-only contexts as policy (src/core/readOnly): patterns against context names, the exact-name entries the row
// menu adds and removes, which commands write to clusters (every command of package.json is on one side), and the
// words of a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CLUSTER_WRITING_COMMANDS,
  NON_CLUSTER_WRITING_COMMANDS,
  escapePattern,
  patternRegExp,
  readOnlyMatch,
  readOnlyReason,
  readOnlyRefusal,
  usablePatterns,
  withoutReadOnly,
  withReadOnly,
  writesToCluster,
} from '../../src/core/readOnly/readOnlyContexts.ts';
import { mulberry32 } from './seededRandom.ts';

test('globs: * any run, ? one character, case-insensitive, anchored', () => {
  assert.equal(readOnlyMatch('gke_acme_prod-eu', ['*prod*']), '*prod*');
  assert.equal(readOnlyMatch('Prod-EU', ['*prod*']), '*prod*');
  assert.equal(readOnlyMatch('production', ['prod']), undefined);
  assert.equal(readOnlyMatch('prod', ['prod']), 'prod');
  assert.equal(readOnlyMatch('stage-1', ['stage-?']), 'stage-?');
  assert.equal(readOnlyMatch('stage-10', ['stage-?']), undefined);
  assert.equal(readOnlyMatch('kind-dev', ['*prod*', 'kind-*']), 'kind-*');
  assert.equal(readOnlyMatch('kind-dev', []), undefined);
  // regex characters in a pattern are literal
  assert.equal(readOnlyMatch('a.b', ['a.b']), 'a.b');
  assert.equal(readOnlyMatch('axb', ['a.b']), undefined);
  assert.equal(readOnlyMatch('arn:aws:eks:eu-west-1:1234:cluster/prod (admin)', ['arn:aws:eks:*:cluster/prod (admin)']), 'arn:aws:eks:*:cluster/prod (admin)');
});

test('the exact-name entry wins over a wider pattern (Allow Writes says what still holds)', () => {
  assert.equal(readOnlyMatch('prod-eu', ['*prod*', 'prod-eu']), 'prod-eu');
});

test('a backslash makes the next character literal: a context named with * matches only itself', () => {
  assert.equal(escapePattern('a*b?c\\d'), 'a\\*b\\?c\\\\d');
  assert.equal(readOnlyMatch('a*b', [escapePattern('a*b')]), 'a\\*b');
  assert.equal(readOnlyMatch('axxb', [escapePattern('a*b')]), undefined);
});

test('setting values that are not lists of strings count as no pattern; blanks are dropped', () => {
  assert.deepEqual(usablePatterns(undefined), []);
  assert.deepEqual(usablePatterns('*prod*'), []);
  assert.deepEqual(usablePatterns(['*prod*', 3, null, '  ', ' stage ']), ['*prod*', 'stage']);
});

test('Mark Read-Only adds the exact name once; Allow Writes removes it and names a pattern that still holds', () => {
  assert.deepEqual(withReadOnly(['*prod*'], 'kind-a'), ['*prod*', 'kind-a']);
  assert.deepEqual(withReadOnly(['kind-a'], 'kind-a'), ['kind-a']);
  assert.deepEqual(withReadOnly([], 'we*ird'), ['we\\*ird']);
  assert.deepEqual(withoutReadOnly(['*prod*', 'kind-a'], 'kind-a'), { patterns: ['*prod*'] });
  assert.deepEqual(withoutReadOnly(['*prod*', 'prod-eu'], 'prod-eu'), { patterns: ['*prod*'], stillBy: '*prod*' });
  assert.deepEqual(withoutReadOnly(['we\\*ird'], 'we*ird'), { patterns: [] });
});

test('a refusal names the action, the context, the setting, the entry that matched and how to lift it', () => {
  const byPattern = readOnlyRefusal('Unpeer…', 'gke-prod', '*prod*');
  assert.match(byPattern, /^Unpeer… refused: context "gke-prod" is read-only/);
  assert.match(byPattern, /liqo\.readOnlyContexts has the pattern "\*prod\*"/);
  assert.match(byPattern, /Nothing was sent to the cluster/);
  assert.match(byPattern, /remove or narrow the pattern "\*prod\*" in liqo\.readOnlyContexts/);
  const byName = readOnlyRefusal('Offload Namespace…', 'kind-a', 'kind-a');
  assert.match(byName, /has its name/);
  assert.match(byName, /"Allow Writes to Context" on its row/);
  assert.match(readOnlyReason('*prod*', 'gke-prod'), /matches "\*prod\*" in liqo\.readOnlyContexts/);
  assert.match(readOnlyReason('kind-a', 'kind-a'), /its name is listed/);
});

test('every command of package.json is classified: writing to clusters, or not; never both', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { contributes: { commands: { command: string }[] } };
  const declared = new Set(pkg.contributes.commands.map((c) => c.command));
  const writing = Object.keys(CLUSTER_WRITING_COMMANDS);
  const classified = new Set([...writing, ...NON_CLUSTER_WRITING_COMMANDS]);
  assert.equal(classified.size, writing.length + NON_CLUSTER_WRITING_COMMANDS.length, 'a command is on both sides');
  assert.deepEqual([...declared].filter((c) => !classified.has(c)), [], 'declared but not classified: put it in CLUSTER_WRITING_COMMANDS or NON_CLUSTER_WRITING_COMMANDS');
  assert.deepEqual([...classified].filter((c) => !declared.has(c)), [], 'classified but not declared');
  for (const id of ['liqo.peering.peer', 'liqo.peering.unpeer', 'liqo.namespace.offload', 'liqo.namespace.unoffload', 'liqo.cluster.installLiqo', 'liqo.peering.requestResources', 'liqo.namespace.verifyOffloading', 'liqo.peering.cleanUpLeftover', 'liqo.federation.restore']) {
    assert.ok(writesToCluster(id), id);
  }
  for (const id of ['liqo.kubeconfig.renameContext', 'liqo.kubeconfig.rewriteServer', 'liqo.kubeconfig.mergeInto', 'liqo.kubeconfig.extractContext', 'liqo.kubeconfig.deleteContext']) {
    assert.ok(!writesToCluster(id), `${id} edits a kubeconfig and stays allowed`);
  }
});

test('property: a context name escaped as a pattern matches that name (any case) and no other generated name (hang detector: 2 s a case)', () => {
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);
  const rnd = mulberry32(seed);
  const alphabet = ['a', 'b', 'P', '*', '?', '\\', '.', '-', '_', ':', '/', ' ', '[', ']', '(', ')', '$', '^', 'é'];
  const name = () => Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  for (let i = 0; i < 1000; i++) {
    const a = name();
    const b = name();
    const started = Date.now();
    const re = patternRegExp(escapePattern(a));
    assert.ok(re.test(a), `seed ${seed}: ${JSON.stringify(a)} must match its own pattern`);
    assert.equal(re.test(b), a.toLowerCase() === b.toLowerCase(), `seed ${seed}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    // `*` patterns built from the name's halves match it as well (a*b covers a…b)
    const cut = Math.floor(a.length / 2);
    assert.ok(patternRegExp(`${escapePattern(a.slice(0, cut))}*${escapePattern(a.slice(cut))}`).test(a), `seed ${seed}: split ${JSON.stringify(a)}`);
    assert.ok(Date.now() - started < 2000, `seed ${seed}: case ${i} took too long`);
  }
});
