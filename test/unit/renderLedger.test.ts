// The ledger of rendered rows: a row VS Code rendered in an older state is reported stale until it renders again,
// at most MAX_REFRESH_ATTEMPTS times in a row; rows that render what the model has, or that are gone, are not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_REFRESH_ATTEMPTS, RenderLedger, rowSignature } from '../../src/core/tree/renderLedger.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { clusterRowKey } from '../../src/core/tree/rowKey.ts';

function row(id: string, description: string, extra: Partial<TreeNodeView> = {}): TreeNodeView {
  return {
    key: clusterRowKey(id),
    id,
    label: id,
    description,
    ariaLabel: `${id}, ${description}`,
    contextValue: 'liqo:cluster',
    collapsible: 'collapsed',
    ...extra,
  };
}

describe('RenderLedger', () => {
  test('a row rendered "connecting…" while the model says connected is stale until it renders again', () => {
    const ledger = new RenderLedger();
    const model = new Map([['a', row('a', '127.0.0.1:6443 · connecting…')]]);
    ledger.rendering(model.get('a')!);
    assert.deepEqual(ledger.stale((id) => model.get(id)), []);
    model.set('a', row('a', '127.0.0.1:6443 · Liqo v1.0.1'));
    assert.deepEqual(ledger.stale((id) => model.get(id)), ['a']);
    assert.equal(ledger.pending, true);
    ledger.rendering(model.get('a')!);
    assert.deepEqual(ledger.stale((id) => model.get(id)), []);
    assert.equal(ledger.pending, false);
  });

  test('a row that never renders again is refreshed at most MAX_REFRESH_ATTEMPTS times, and again after a render', () => {
    const ledger = new RenderLedger();
    const model = new Map([['a', row('a', 'old')]]);
    ledger.rendering(model.get('a')!);
    model.set('a', row('a', 'new'));
    const counts: number[] = [];
    for (let i = 0; i < MAX_REFRESH_ATTEMPTS + 3; i++) counts.push(ledger.stale((id) => model.get(id)).length);
    assert.deepEqual(counts, [...Array(MAX_REFRESH_ATTEMPTS).fill(1), 0, 0, 0]);
    assert.equal(ledger.pending, false);
    ledger.rendering(row('a', 'older still'));
    assert.deepEqual(ledger.stale((id) => model.get(id)), ['a']);
  });

  test('rows the model dropped, and rows forgotten, are not reported and not kept', () => {
    const ledger = new RenderLedger();
    ledger.rendering(row('a', 'x'));
    ledger.rendering(row('b', 'x'));
    ledger.rendering(row('c', 'x'));
    ledger.forget(['b']);
    assert.deepEqual(ledger.stale((id) => (id === 'c' ? row('c', 'y') : undefined)), ['c']);
    assert.equal(ledger.size, 1);
  });

  test('every rendered field counts: label, description, tooltip, icon, context value, collapsible state, command', () => {
    const base = row('a', 'd', { tooltip: 't', icon: { id: 'pass' }, command: { command: 'liqo.x', title: 'X' } });
    const variants: Partial<TreeNodeView>[] = [
      { label: 'b' },
      { description: 'e' },
      { tooltip: 'u' },
      { ariaLabel: 'other' },
      { icon: { id: 'error' } },
      { icon: { id: 'pass', color: 'charts.red' } },
      { contextValue: 'liqo:cluster+reachable' },
      { collapsible: 'expanded' },
      { command: { command: 'liqo.y', title: 'X' } },
    ];
    for (const v of variants) assert.notEqual(rowSignature({ ...base, ...v }), rowSignature(base), JSON.stringify(v));
    assert.equal(rowSignature({ ...base }), rowSignature(base));
  });
});
