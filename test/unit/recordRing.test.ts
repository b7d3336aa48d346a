// The ring of known-good records on a real temporary folder: files 0600 in a 0700 folder, nothing written while
// the federation is unchanged, the oldest dropped beyond the ring's size, newest first when read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { federationsOf, observeFederation, type FederationRecord } from '../../src/core/federation/knownGood.ts';
import { RecordRing } from '../../src/infra/federation/recordRing.ts';
import { threeClusters } from './federationFixtures.ts';

const base = (() => {
  const f = threeClusters();
  return observeFederation(f, federationsOf(f)[0] ?? [], '2026-12-06T12:00:00.000Z').record;
})();
const at = (r: FederationRecord, minute: number, cpu?: string): FederationRecord => ({
  ...r,
  takenAt: `2026-12-06T12:${String(minute).padStart(2, '0')}:00.000Z`,
  ...(cpu ? { peerings: r.peerings.map((p, i) => (i === 0 ? { ...p, resourceSlices: p.resourceSlices.map((s) => ({ ...s, resources: { ...s.resources, cpu } })) } : p)) } : {}),
});

test('records are written 0600 in a 0700 folder, only when the federation changed, the ring keeps the newest N', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ring-'));
  try {
    const dir = path.join(root, 'records');
    const ring = new RecordRing(dir, 2);
    const first = await ring.add(at(base, 0));
    assert.ok(first);
    assert.equal((await stat(first)).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal(await ring.add(at(base, 1)), undefined, 'same intent, later time: nothing written');
    await ring.add(at(base, 2, '5'));
    await ring.add(at(base, 3, '6'));
    await writeFile(path.join(dir, 'notes.txt'), 'not a record');
    const names = (await readdir(dir)).filter((n) => n.startsWith('record-'));
    assert.equal(names.length, 2);
    const list = await ring.list();
    assert.deepEqual(list.map((s) => s.record.takenAt), ['2026-12-06T12:03:00.000Z', '2026-12-06T12:02:00.000Z']);
    assert.equal((await ring.latest(['b']))?.record.peerings[0]?.resourceSlices[0]?.resources.cpu, '6');
    assert.equal(await ring.latest(['zz']), undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
