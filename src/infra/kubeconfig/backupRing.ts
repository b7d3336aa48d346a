// A bounded ring of kubeconfig backups, kept outside the kubeconfig's folder (under the extension's storage) so
// tools that read every file of a folder never see them. Each entry records the file, its content before and after
// the change (as hashes) and what the change was; backups hold secrets, so the folder is 0700 and files 0600.
import { mkdir, readFile, readdir, unlink, chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256, writeAtomically } from './atomicWrite.ts';

export interface BackupEntry {
  readonly id: number;
  /** The kubeconfig that was changed (real path). */
  readonly file: string;
  /** The backup of the content before the change; undefined when the change created the file. */
  readonly backup: string | undefined;
  readonly beforeHash: string | undefined;
  readonly afterHash: string;
  /** The mode the file had before the change. */
  readonly mode: number | undefined;
  readonly label: string;
  readonly time: string;
}

const INDEX = 'index.json';

export class BackupRing {
  private readonly dir: string;
  private readonly capacity: number;

  constructor(dir: string, capacity = 20) {
    this.dir = dir;
    this.capacity = Math.max(1, capacity);
  }

  async entries(): Promise<BackupEntry[]> {
    const text = await readFile(path.join(this.dir, INDEX), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '[]';
      throw err;
    });
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? (parsed as BackupEntry[]) : [];
    } catch {
      return []; // a damaged index loses the undo history, never a kubeconfig
    }
  }

  /** Stores the content before a change; returns the entry (not yet the newest until commit()). */
  async add(file: string, before: Buffer | undefined, mode: number | undefined, afterHash: string, label: string): Promise<BackupEntry> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const list = await this.entries();
    const id = (list[list.length - 1]?.id ?? 0) + 1;
    let backup: string | undefined;
    if (before) {
      backup = path.join(this.dir, `${String(id).padStart(6, '0')}-${path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}.bak`);
      await writeAtomically(backup, before, 0o600);
    }
    return { id, file, backup, beforeHash: before ? sha256(before) : undefined, afterHash, mode, label, time: new Date().toISOString() };
  }

  /** Makes the entry the newest, dropping the oldest beyond capacity. */
  async commit(entry: BackupEntry): Promise<void> {
    const list = [...(await this.entries()), entry];
    const dropped = list.splice(0, Math.max(0, list.length - this.capacity));
    await this.saveIndex(list);
    for (const d of dropped) if (d.backup) await unlink(d.backup).catch(() => undefined);
    await this.removeStrays(list);
  }

  /** Forgets an added entry whose change did not happen. */
  async discard(entry: BackupEntry): Promise<void> {
    if (entry.backup) await unlink(entry.backup).catch(() => undefined);
  }

  async removeNewest(): Promise<void> {
    const list = await this.entries();
    const last = list.pop();
    await this.saveIndex(list);
    if (last?.backup) await unlink(last.backup).catch(() => undefined);
  }

  private async saveIndex(list: readonly BackupEntry[]): Promise<void> {
    await writeAtomically(path.join(this.dir, INDEX), JSON.stringify(list, null, 1), 0o600);
  }

  private async removeStrays(list: readonly BackupEntry[]): Promise<void> {
    const keep = new Set(list.map((e) => e.backup && path.basename(e.backup)));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name.endsWith('.bak') && !keep.has(name)) await unlink(path.join(this.dir, name)).catch(() => undefined);
    }
  }
}
