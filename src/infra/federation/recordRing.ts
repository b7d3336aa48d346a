// The ring of known-good records in the extension's global storage: one folder, files named by time, written
// 0600 in a 0700 folder (they name servers and cluster IDs), the oldest removed beyond `size`. A record is added
// only when its intent differs from the newest one of the same federation, so a federation that stays healthy
// writes nothing.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { FederationRecord } from '../../core/federation/knownGood.ts';
import { recordFromYaml, recordToYaml, sameIntent } from '../../core/federation/recordYaml.ts';
import { writeAtomically } from '../kubeconfig/atomicWrite.ts';

export const DEFAULT_RING_SIZE = 20;
const NAME = /^record-(\d{8}T\d{6}\d{3}Z)-[a-z0-9]+\.yaml$/;

export interface StoredRecord {
  readonly file: string;
  readonly record: FederationRecord;
}

export class RecordRing {
  private readonly dir: string;
  private readonly size: number;

  constructor(dir: string, size = DEFAULT_RING_SIZE) {
    this.dir = dir;
    this.size = Math.max(1, size);
  }

  /** Every stored record, newest first; unreadable files are skipped (a half-copied folder must not stop drift). */
  async list(): Promise<StoredRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: StoredRecord[] = [];
    for (const name of names.filter((n) => NAME.test(n)).sort().reverse()) {
      const file = path.join(this.dir, name);
      try {
        out.push({ file, record: recordFromYaml(await readFile(file, 'utf8'), file) });
      } catch {
        // skipped: not ours, or damaged
      }
    }
    return out;
  }

  /** The newest record of the federation that holds any of these cluster IDs (or the newest at all). */
  async latest(clusterIds?: readonly string[]): Promise<StoredRecord | undefined> {
    const all = await this.list();
    if (!clusterIds) return all[0];
    return all.find((s) => s.record.clusters.some((c) => clusterIds.includes(c.clusterId)));
  }

  /** Stores the record unless the newest one of its federation says the same; returns the file written, if any. */
  async add(record: FederationRecord): Promise<string | undefined> {
    const ids = record.clusters.map((c) => c.clusterId);
    const last = await this.latest(ids);
    if (last && sameIntent(last.record, record)) return undefined;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const taken = new Date(record.takenAt);
    const stamp = (Number.isNaN(taken.getTime()) ? new Date() : taken).toISOString().replace(/[-:.]/g, '');
    const file = path.join(this.dir, `record-${stamp}-${slug(ids[0] ?? 'none')}.yaml`);
    await writeAtomically(file, recordToYaml(record), 0o600);
    await this.prune();
    return file;
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => NAME.test(n)).sort();
    for (const old of names.slice(0, Math.max(0, names.length - this.size))) await unlink(path.join(this.dir, old)).catch(() => undefined);
  }
}

function slug(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 24) || 'x';
}
