// Following an object whose controller writes a verdict and takes it back (Liqo's NoClusterSelected written by a
// reconcile that failed on the way, then Ready): an answer given a hold ends the follow only if it stands that long;
// a later state that changes it wins; a state that repeats it keeps its clock; the time limit reports the last state.
// Real API server (the seed-000 test bed), ConfigMaps written by kubectl as the controller.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { followObject } from '../../src/infra/operations/followObject.ts';
import { resolvedContext } from './support/resolvedContexts.ts';

const CONSUMER = 'kind-mlops-platform';
const PATH = '/api/v1/namespaces/default/configmaps';
let tb: Testbed;
let client: ClusterClient;
const names: string[] = [];
const kubectl = (...args: string[]): string => execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, ...args], { encoding: 'utf8' });

before(async () => {
  tb = await ensureTestbed('seed-000');
  client = createClusterClient(await resolvedContext(tb.kubeconfig, CONSUMER), { timeoutMs: 10_000 });
});
after(() => {
  client?.dispose();
  for (const n of names) kubectl('delete', 'configmap', '-n', 'default', n, '--ignore-not-found');
});

function configMap(verdict: string): string {
  const name = `follow-hold-${names.length}-${Date.now()}`;
  names.push(name);
  kubectl('create', 'configmap', '-n', 'default', name, `--from-literal=verdict=${verdict}`);
  return name;
}
const setVerdict = (name: string, verdict: string, extra = ''): string => kubectl('patch', 'configmap', '-n', 'default', name, '--type=merge', '-p', JSON.stringify({ data: { verdict, extra } }));
const verdictOf = (obj: unknown): string | undefined => (obj as { data?: { verdict?: string } } | undefined)?.data?.verdict;
/** 'bad' is provisional (held), 'good' is final at once; anything else means wait. */
const decide = (obj: unknown): string | undefined => {
  const v = verdictOf(obj);
  return v === 'bad' || v === 'good' ? v : undefined;
};

test('a held answer that stands ends the follow, not before its hold', async () => {
  const name = configMap('bad');
  const started = Date.now();
  const r = await followObject(client, PATH, name, decide, { holdMs: (v) => (v === 'bad' ? 1_500 : undefined), timeoutMs: 30_000 });
  assert.deepEqual(r, { settled: true, value: 'bad' });
  assert.ok(Date.now() - started >= 1_500, 'it waited out the hold');
});

test('a held answer the next state changes is not the result: the later answer is', async () => {
  const name = configMap('bad');
  const follow = followObject(client, PATH, name, decide, { holdMs: (v) => (v === 'bad' ? 20_000 : undefined), timeoutMs: 60_000 });
  await sleep(500);
  setVerdict(name, 'pending');
  await sleep(300);
  setVerdict(name, 'good');
  assert.deepEqual(await follow, { settled: true, value: 'good' });
});

test('a state that gives the held answer again keeps its clock; one that takes it back stops it', async () => {
  const name = configMap('bad');
  const started = Date.now();
  const follow = followObject(client, PATH, name, decide, { holdMs: (v) => (v === 'bad' ? 4_000 : undefined), timeoutMs: 60_000 });
  // the same verdict rewritten every 500 ms (another field changes): the hold still ends 4 s after the first
  const rewrites = (async () => {
    for (let i = 0; i < 20 && Date.now() - started < 10_000; i++) {
      await sleep(500);
      setVerdict(name, 'bad', String(i));
    }
  })();
  const r = await follow;
  assert.deepEqual(r, { settled: true, value: 'bad' });
  assert.ok(Date.now() - started < 9_000, `the rewrites did not restart the hold (${Date.now() - started} ms)`);
  await rewrites;
  // taken back within the hold, with nothing final after it: the time limit ends the follow on the last state
  const back = configMap('bad');
  const limited = followObject(client, PATH, back, decide, { holdMs: () => 3_000, timeoutMs: 2_500 });
  await sleep(500);
  setVerdict(back, 'pending');
  const ended = await limited;
  assert.equal(ended.settled, false);
  assert.equal(!ended.settled && ended.reason, 'timedOut');
  assert.equal(!ended.settled && verdictOf(ended.last), 'pending');
});

test('an abort during a hold ends the follow as aborted', async () => {
  const name = configMap('bad');
  const ac = new AbortController();
  const follow = followObject(client, PATH, name, decide, { holdMs: () => 20_000, signal: ac.signal, timeoutMs: 60_000 });
  await sleep(500);
  ac.abort();
  const r = await follow;
  assert.equal(r.settled, false);
  assert.equal(!r.settled && r.reason, 'aborted');
});
