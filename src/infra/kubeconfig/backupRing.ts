// A bounded ring of kubeconfig backups, kept outside the kubeconfig's folder (under the extension's storage) so
// tools that read every file of a folder never see them. Each entry records the file, its content before and after
// the change (as hashes) and what the change was; backups hold secrets, so the folder is 0700 and files 0600.
// Every VS Code window shares the ring: each change and undo runs under the ring's lock file (see fileLock.ts), and
// ids come from a counter kept in the index, so two windows never take the same id or lose each other's entries.
import { mkdir, readFile, readdir, unlink, chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256, writeAtomically } from './atomicWrite.ts';
import { withFileLock } from './fileLock.ts';

export interface BackupEntry {
  readonly id: number;
  /** Entries written together (one change touching several files of a KUBECONFIG list) share the first one's id. */
  readonly group?: number;
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
  /** The liqo.kubeconfigs entry the change added (Import over SSH): undoing the change removes it again. */
  readonly listEntry?: string;
}

interface Index {
  readonly nextId: number;
  readonly entries: BackupEntry[];
}

const INDEX = 'index.json';
const LOCK = 'ring.lock';

export class BackupRing {
  private readonly dir: string;
  private readonly capacity: number;

  constructor(dir: string, capacity = 20) {
    this.dir = dir;
    this.capacity = Math.max(1, capacity);
  }

  /** Runs `fn` holding the ring's lock, shared with every other process using this folder. */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    return withFileLock(path.join(this.dir, LOCK), fn);
  }

  async entries(): Promise<BackupEntry[]> {
    return (await this.readIndex()).entries;
  }

  private async readIndex(): Promise<Index> {
    const text = await readFile(path.join(this.dir, INDEX), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '[]';
      throw err;
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { nextId: 1, entries: [] }; // a damaged index loses the undo history, never a kubeconfig
    }
    // The first format was a bare list of entries.
    const entries = (Array.isArray(parsed) ? parsed : Array.isArray((parsed as Index | null)?.entries) ? (parsed as Index).entries : []) as BackupEntry[];
    const stored = Array.isArray(parsed) ? 0 : Number((parsed as Index | null)?.nextId) || 0;
    return { nextId: Math.max(stored, ...entries.map((e) => e.id + 1), 1), entries };
  }

  /**
   * Stores the content before a change; returns the entry (not yet in the list until commit()). Call under locked():
   * the id is taken from the index's counter at once, so no other window can take it.
   */
  async add(file: string, before: Buffer | undefined, mode: number | undefined, afterHash: string, label: string, extra: Pick<BackupEntry, 'group' | 'listEntry'> = {}): Promise<BackupEntry> {
    const index = await this.readIndex();
    const id = index.nextId;
    await this.saveIndex({ nextId: id + 1, entries: index.entries });
    let backup: string | undefined;
    if (before) {
      backup = path.join(this.dir, `${String(id).padStart(6, '0')}-${path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}.bak`);
      await writeAtomically(backup, before, 0o600);
    }
    return { id, ...extra, file, backup, beforeHash: before ? sha256(before) : undefined, afterHash, mode, label, time: new Date().toISOString() };
  }

  /** Makes the entries the newest, dropping the oldest beyond capacity (a group is kept or dropped whole). */
  async commit(...added: BackupEntry[]): Promise<void> {
    const index = await this.readIndex();
    const list = [...index.entries, ...added];
    let cut = Math.max(0, list.length - this.capacity);
    while (cut > 0 && cut < list.length && list[cut]!.group !== undefined && list[cut]!.group === list[cut - 1]!.group) cut++;
    const dropped = list.splice(0, Math.min(cut, list.length - added.length));
    await this.saveIndex({ nextId: index.nextId, entries: list });
    for (const d of dropped) if (d.backup) await unlink(d.backup).catch(() => undefined);
    await this.removeStrays(list);
  }

  /** Forgets an added entry whose change did not happen. */
  async discard(entry: BackupEntry): Promise<void> {
    if (entry.backup) await unlink(entry.backup).catch(() => undefined);
  }

  /** Removes entries (after they were undone). */
  async remove(ids: ReadonlySet<number>): Promise<void> {
    const index = await this.readIndex();
    const gone = index.entries.filter((e) => ids.has(e.id));
    await this.saveIndex({ nextId: index.nextId, entries: index.entries.filter((e) => !ids.has(e.id)) });
    for (const e of gone) if (e.backup) await unlink(e.backup).catch(() => undefined);
  }

  async removeNewest(): Promise<void> {
    const last = (await this.entries()).at(-1);
    if (last) await this.remove(new Set([last.id]));
  }

  private async saveIndex(index: Index): Promise<void> {
    await writeAtomically(path.join(this.dir, INDEX), JSON.stringify(index, null, 1), 0o600);
  }

  private async removeStrays(list: readonly BackupEntry[]): Promise<void> {
    const keep = new Set(list.map((e) => e.backup && path.basename(e.backup)));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      // A .bak newer than every listed entry belongs to a change another window is making right now: keep it.
      const id = Number(name.slice(0, 6));
      const newest = list.at(-1)?.id ?? 0;
      if (name.endsWith('.bak') && !keep.has(name) && id <= newest) await unlink(path.join(this.dir, name)).catch(() => undefined);
    }
  }
}
