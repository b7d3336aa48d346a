// How a refused write is worded: an admission webhook's denial names the webhook and its reason, not RBAC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionDenial } from '../../src/infra/writes/applyObject.ts';

test("an admission webhook's denial is found with its webhook and reason", () => {
  assert.deepEqual(admissionDenial('admission webhook "resourceslice.validate.liqo.io" denied the request: a resourceslice with the same name already exists in the cluster'), {
    webhook: 'resourceslice.validate.liqo.io',
    reason: 'a resourceslice with the same name already exists in the cluster',
  });
  assert.deepEqual(admissionDenial('admission webhook "x.example" denied the request'), { webhook: 'x.example', reason: 'no reason given' });
  assert.deepEqual(admissionDenial('admission webhook "x" denied the request: line one\nline two'), { webhook: 'x', reason: 'line one\nline two' });
});

test('other refusals are not taken for a webhook', () => {
  assert.equal(admissionDenial('namespaceoffloadings.offloading.liqo.io "offloading" is forbidden: User "viewer" cannot patch resource'), undefined);
  assert.equal(admissionDenial(''), undefined);
  assert.equal(admissionDenial('admission webhook denied'), undefined);
});

test('a long hostile message is matched in linear time', () => {
  const m = 'admission webhook "' + 'a'.repeat(200_000);
  assert.equal(admissionDenial(m), undefined);
  assert.ok(admissionDenial('admission webhook "w" denied the request: ' + ' \t'.repeat(100_000) + 'x'));
});
