// The multi-step input's model: order, step count, Back with answers kept, steps skipped by earlier answers, steps
// answered by the tree row, and the result holding only the answers that count. Then a property run of random walks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StepFlow, type StepSpec } from '../../src/core/multistep/stepFlow.ts';
import { OFFLOAD_STEPS, PEER_STEPS, REQUEST_RESOURCES_STEPS, type OffloadAnswers } from '../../src/core/multistep/flows.ts';
import { mulberry32 } from './seededRandom.ts';

const where = <A extends object>(f: StepFlow<A>) => {
  const c = f.current();
  return c ? `${c.id} ${c.step}/${c.totalSteps}` : 'done';
};

describe('StepFlow', () => {
  test('asks every step in order with its number and the count', () => {
    const f = new StepFlow(PEER_STEPS);
    const seen: string[] = [];
    for (const v of ['c', 'p', 'disabled', '', '8Gi', '']) {
      seen.push(where(f));
      f.answer(v as never);
    }
    assert.deepEqual(seen, ['consumer 1/6', 'provider 2/6', 'network 3/6', 'cpu 4/6', 'memory 5/6', 'pods 6/6']);
    assert.equal(f.done, true);
    assert.deepEqual(f.result(), { consumer: 'c', provider: 'p', network: 'disabled', cpu: '', memory: '8Gi', pods: '' });
  });

  test('answers the row gave are not asked nor counted, and are in the result', () => {
    const f = new StepFlow(OFFLOAD_STEPS, { cluster: 'e1', namespace: 'shop' });
    assert.equal(where(f), 'podOffloadingStrategy 1/3');
    assert.equal(f.current()?.canGoBack, false);
    f.answer('Remote');
    f.answer('DefaultName');
    assert.equal(where(f), 'clusterSelector 3/3');
    f.answer([]);
    assert.deepEqual(f.result(), { cluster: 'e1', namespace: 'shop', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [] });
  });

  test('SelectedName adds the remote-name step and the count grows by one', () => {
    const f = new StepFlow(OFFLOAD_STEPS, { cluster: 'e1', namespace: 'shop' });
    f.answer('Remote');
    assert.equal(where(f), 'namespaceMappingStrategy 2/3');
    f.answer('SelectedName');
    assert.equal(where(f), 'remoteNamespaceName 3/4');
    f.answer('shop-remote');
    assert.equal(where(f), 'clusterSelector 4/4');
  });

  test('Back returns to the previous step with its answer kept, and forward again offers the later answers too', () => {
    const f = new StepFlow(OFFLOAD_STEPS, { cluster: 'e1', namespace: 'shop' });
    f.answer('Remote');
    f.answer('SelectedName');
    f.answer('shop-remote');
    assert.equal(f.back(), true);
    assert.equal(where(f), 'remoteNamespaceName 3/4');
    assert.equal(f.current()?.previous, 'shop-remote');
    assert.equal(f.back(), true);
    assert.equal(f.current()?.previous, 'SelectedName');
    assert.equal(f.back(), true);
    assert.equal(f.current()?.previous, 'Remote');
    assert.equal(f.back(), false, 'nothing before the first step');
    f.answer('Local');
    f.answer('SelectedName');
    assert.equal(f.current()?.previous, 'shop-remote', 'the name typed before going back is offered again');
  });

  test('a step an earlier answer now skips drops out of the count and its kept answer out of the result', () => {
    const f = new StepFlow(OFFLOAD_STEPS, { cluster: 'e1', namespace: 'shop' });
    f.answer('Remote');
    f.answer('SelectedName');
    f.answer('shop-remote');
    f.back();
    f.back();
    f.answer('EnforceSameName');
    assert.equal(where(f), 'clusterSelector 3/3');
    f.answer([]);
    const r: Partial<OffloadAnswers> = f.result();
    assert.equal('remoteNamespaceName' in r, false, JSON.stringify(r));
    assert.equal(r.namespaceMappingStrategy, 'EnforceSameName');
  });

  test('a step whose answer is kept from a walk further on counts as its answer says', () => {
    // Back from the selector to the pod strategy: the count still includes the remote-name step SelectedName added.
    const f = new StepFlow(OFFLOAD_STEPS, { cluster: 'e1', namespace: 'shop' });
    f.answer('Remote');
    f.answer('SelectedName');
    f.answer('x');
    f.back();
    f.back();
    f.back();
    assert.equal(where(f), 'podOffloadingStrategy 1/4');
  });

  test('duplicate step ids, answering a finished flow and reading an unfinished result are refused', () => {
    assert.throws(() => new StepFlow([{ id: 'a' }, { id: 'a' }] as StepSpec<{ a: string }>[]), /"a" appears twice/);
    const f = new StepFlow(REQUEST_RESOURCES_STEPS);
    assert.throws(() => f.result(), /not finished/);
    for (let i = 0; i < REQUEST_RESOURCES_STEPS.length; i++) f.answer('1');
    assert.throws(() => f.answer('1'), /no step left/);
  });

  test('property: random walks of answers and Backs keep the step model consistent', { timeout: 20_000 }, () => {
    const seed = Number(process.env.LIQO_PROPERTY_SEED ?? Date.now() % 1e9);
    console.log(`# step flow property: seed ${seed} (LIQO_PROPERTY_SEED=${seed} to run these walks again)`);
    const rnd = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const answersFor: Record<string, readonly unknown[]> = {
      podOffloadingStrategy: ['Local', 'Remote', 'LocalAndRemote'],
      namespaceMappingStrategy: ['DefaultName', 'EnforceSameName', 'SelectedName'],
      remoteNamespaceName: ['a', 'b'],
      clusterSelector: [[], [[{ key: 'k', operator: 'In', values: ['v'] }]]],
      cluster: ['e1', 'e2'],
      namespace: ['n1', 'n2'],
    };
    for (let run = 0; run < 2000; run++) {
      const given = rnd() < 0.5 ? { cluster: 'e1', namespace: 'shop' } : {};
      const f = new StepFlow(OFFLOAD_STEPS, given);
      let answered = 0;
      for (let guard = 0; !f.done; guard++) {
        assert.ok(guard < 200, `seed ${seed}: run ${run} does not end`);
        const c = f.current()!;
        const ctx = `seed ${seed} run ${run} at ${c.id}`;
        assert.equal(c.step, answered + 1, ctx);
        assert.ok(c.step <= c.totalSteps && c.totalSteps <= OFFLOAD_STEPS.length - Object.keys(given).length, ctx);
        assert.equal(c.canGoBack, answered > 0, ctx);
        assert.ok(!(c.id in given), ctx);
        if (rnd() < 0.3 && c.canGoBack) {
          f.back();
          answered--;
          continue;
        }
        f.answer(pick(answersFor[c.id]!) as never);
        answered++;
      }
      const r = f.result();
      assert.equal('remoteNamespaceName' in r, r.namespaceMappingStrategy === 'SelectedName', `seed ${seed} run ${run}: ${JSON.stringify(r)}`);
      for (const s of OFFLOAD_STEPS) if (s.id !== 'remoteNamespaceName') assert.ok(s.id in r, `seed ${seed} run ${run}: ${s.id} missing`);
      assert.equal(answered, Object.keys(r).length - Object.keys(given).length, `seed ${seed} run ${run}`);
    }
  });
});
