// The one writer for every kubeconfig change. A change starts from a snapshot (the text the edit was computed from
// and its hash); the write is refused when the file no longer has that content, so an edit made by another program
// meanwhile is never overwritten. Writes are atomic, keep the file's mode (0600 for new files), and the previous
// content goes to a bounded ring of backups from which undoLast() restores it (itself hash-checked).
import { readFile, realpath, stat, access, unlink, constants } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256, writeAtomically } from './atomicWrite.ts';
import { BackupRing, type BackupEntry } from './backupRing.ts';

export interface KubeconfigSnapshot {
  /** The file as the user named it. */
  readonly path: string;
  /** Its content when read, or undefined when it did not exist (a new file). */
  readonly text: string | undefined;
  readonly hash: string | undefined;
}

export type KubeconfigWriteErrorCode = 'changed-meanwhile' | 'read-only' | 'unreadable' | 'write-failed' | 'nothing-to-undo' | 'backup-damaged';

export class KubeconfigWriteError extends Error {
  readonly code: KubeconfigWriteErrorCode;
  constructor(code: KubeconfigWriteErrorCode, message: string) {
    super(message);
    this.name = 'KubeconfigWriteError';
    this.code = code;
  }
}

const MAX_BYTES = 8 * 1024 * 1024;

/** Reads a kubeconfig for editing. A missing file is a snapshot of a new file. */
export async function readSnapshot(file: string): Promise<KubeconfigSnapshot> {
  const real = await realTarget(file);
  let buf: Buffer;
  try {
    const st = await stat(real);
    if (st.size > MAX_BYTES) throw new KubeconfigWriteError('unreadable', `${file} is larger than 8 MiB and is not a kubeconfig`);
    buf = await readFile(real);
  } catch (err) {
    if (err instanceof KubeconfigWriteError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { path: file, text: undefined, hash: undefined };
    throw new KubeconfigWriteError('unreadable', `${file} cannot be read (${e.code ?? e.message}); check its permissions`);
  }
  return { path: file, text: buf.toString('utf8'), hash: sha256(buf) };
}

export interface WriteOutcome {
  readonly file: string;
  readonly backup: BackupEntry;
}

export class KubeconfigWriter {
  private readonly ring: BackupRing;
  private queue: Promise<unknown> = Promise.resolve();

  /** `backupDir` must lie outside any kubeconfig folder (the extension's global storage). */
  constructor(backupDir: string, capacity = 20) {
    this.ring = new BackupRing(backupDir, capacity);
  }

  /** Writes `text` over the snapshot's file, unless the file changed since the snapshot was read. */
  write(snapshot: KubeconfigSnapshot, text: string, label: string): Promise<WriteOutcome> {
    return this.serialised(() => this.writeNow(snapshot, text, label));
  }

  /** The change undoLast() would revert. */
  async lastChange(): Promise<BackupEntry | undefined> {
    return (await this.ring.entries()).at(-1);
  }

  /** Restores the file changed last to its content before that change. */
  undoLast(): Promise<BackupEntry> {
    return this.serialised(async () => {
      const entry = (await this.ring.entries()).at(-1);
      if (!entry) throw new KubeconfigWriteError('nothing-to-undo', 'There is no kubeconfig change to undo.');
      const current = await readSnapshot(entry.file);
      if (current.hash !== entry.afterHash) {
        throw new KubeconfigWriteError('changed-meanwhile', `${entry.file} changed after "${entry.label}"; undoing it would lose those changes. Nothing was restored; edit the file by hand if needed.`);
      }
      if (!entry.backup) {
        await unlink(entry.file);
      } else {
        const before = await readFile(entry.backup).catch(() => undefined);
        if (!before || sha256(before) !== entry.beforeHash) throw new KubeconfigWriteError('backup-damaged', `The backup of ${entry.file} from ${entry.time} is missing or damaged; nothing was restored.`);
        await this.checkWritable(entry.file);
        await writeAtomically(entry.file, before, entry.mode ?? 0o600, async () => this.checkUnchanged(entry.file, entry.afterHash));
      }
      await this.ring.removeNewest();
      return entry;
    });
  }

  private async writeNow(snapshot: KubeconfigSnapshot, text: string, label: string): Promise<WriteOutcome> {
    const file = await realTarget(snapshot.path);
    const st = await stat(file).catch(() => undefined);
    await this.checkUnchanged(file, snapshot.hash, snapshot.path);
    if (st) await this.checkWritable(file, snapshot.path);
    const before = st ? await readFile(file) : undefined;
    const mode = st ? st.mode & 0o7777 : 0o600;
    const entry = await this.ring.add(file, before, st ? mode : undefined, sha256(text), label);
    try {
      await writeAtomically(file, text, mode, async () => this.checkUnchanged(file, snapshot.hash, snapshot.path));
    } catch (err) {
      await this.ring.discard(entry);
      if (err instanceof KubeconfigWriteError) throw err;
      const e = err as NodeJS.ErrnoException;
      const hint = e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' ? `the folder ${path.dirname(file)} is not writable` : (e.code ?? e.message);
      throw new KubeconfigWriteError('write-failed', `${snapshot.path} was not changed: ${hint}.`);
    }
    await this.ring.commit(entry);
    return { file, backup: entry };
  }

  private async checkUnchanged(file: string, expected: string | undefined, shown = file): Promise<void> {
    const now = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new KubeconfigWriteError('unreadable', `${shown} cannot be read (${err.code ?? err.message}); check its permissions`);
    });
    const hash = now ? sha256(now) : undefined;
    if (hash !== expected) {
      const what = expected === undefined ? 'was created by another program' : now === undefined ? 'was deleted' : 'was changed by another program';
      throw new KubeconfigWriteError('changed-meanwhile', `${shown} ${what} since it was read; nothing was written. Run the command again to start from its current content.`);
    }
  }

  private async checkWritable(file: string, shown = file): Promise<void> {
    const st = await stat(file);
    // Root may write anything, so the owner's write bit is what says "read-only" here.
    const writable = (st.mode & 0o200) !== 0 && (await access(file, constants.W_OK).then(() => true, () => false));
    if (!writable) throw new KubeconfigWriteError('read-only', `${shown} is read-only; nothing was written. Make it writable (chmod u+w) or extract the context to a new file.`);
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The file a path finally names (a symlinked ~/.kube/config is written through, not replaced). */
async function realTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    const dir = await realpath(path.dirname(file)).catch(() => path.dirname(file));
    return path.join(dir, path.basename(file));
  }
}
