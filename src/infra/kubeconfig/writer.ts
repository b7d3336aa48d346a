// The one writer for every kubeconfig change. A change starts from a snapshot (the text the edit was computed from
// and its hash); the write is refused when the file no longer has that content, so an edit made by another program
// meanwhile is never overwritten. Writes go through symlinks (dangling ones too) to the file they name, are atomic
// where the file can be replaced and verified in-place rewrites where it cannot (a bind-mounted file), and leave a
// file holding credentials 0600. The previous content goes to a bounded ring of backups shared by every window under
// a lock, from which undo() restores it (itself hash-checked). A change to several files (one KUBECONFIG list) is
// one undo step.
import { readFile, stat, access, unlink, constants } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256, writeAtomically, writeInPlace, needsInPlaceWrite, linkTarget } from './atomicWrite.ts';
import { BackupRing, type BackupEntry } from './backupRing.ts';
import { LockBusyError } from './fileLock.ts';
import { modeForKubeconfig } from '../../core/kubeconfig/credentialMode.ts';

export interface KubeconfigSnapshot {
  /** The file as the user named it. */
  readonly path: string;
  /** Its content when read, or undefined when it did not exist (a new file). */
  readonly text: string | undefined;
  readonly hash: string | undefined;
}

export type KubeconfigWriteErrorCode = 'changed-meanwhile' | 'read-only' | 'unreadable' | 'write-failed' | 'nothing-to-undo' | 'backup-damaged' | 'busy';

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
  const real = await linkTarget(file);
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

/** How a file was written: replaced by an atomic rename, or rewritten in place (rename refused: a bind mount). */
export type WriteMethod = 'replaced' | 'in-place';

export interface WriteOutcome {
  readonly file: string;
  readonly backup: BackupEntry;
  readonly method: WriteMethod;
  /** The mode the file has now. */
  readonly mode: number;
}

export interface FileChange {
  readonly snapshot: KubeconfigSnapshot;
  readonly text: string;
}

export interface WriteOptions {
  /** The liqo.kubeconfigs entry the caller adds for this file after writing it: undo removes it again. */
  readonly listEntry?: string;
}

export class KubeconfigWriter {
  private readonly ring: BackupRing;
  private queue: Promise<unknown> = Promise.resolve();

  /** `backupDir` must lie outside any kubeconfig folder (the extension's global storage). */
  constructor(backupDir: string, capacity = 20) {
    this.ring = new BackupRing(backupDir, capacity);
  }

  /** Writes `text` over the snapshot's file, unless the file changed since the snapshot was read. */
  async write(snapshot: KubeconfigSnapshot, text: string, label: string, opts: WriteOptions = {}): Promise<WriteOutcome> {
    return (await this.writeAll([{ snapshot, text }], label, opts))[0]!;
  }

  /**
   * Writes several files as one change (one undo step): every snapshot is checked before any file is written, and a
   * failure part-way restores the files already written.
   */
  writeAll(changes: readonly FileChange[], label: string, opts: WriteOptions = {}): Promise<WriteOutcome[]> {
    return this.serialised(() => this.locked(() => this.writeNow(changes, label, opts)));
  }

  /** Every kept change, oldest first (all windows'). */
  changes(): Promise<BackupEntry[]> {
    return this.ring.entries();
  }

  /** The change undo() would revert by default: the newest of every window's changes. */
  async lastChange(): Promise<BackupEntry | undefined> {
    return (await this.ring.entries()).at(-1);
  }

  /** Restores the file changed last to its content before that change. */
  undoLast(): Promise<BackupEntry> {
    return this.undo();
  }

  /**
   * Restores the files of one change (by default the newest) to their content before it; every file is checked
   * first, so nothing is restored when one of them changed since. Returns the change's first entry.
   */
  undo(id?: number): Promise<BackupEntry> {
    return this.serialised(() => this.locked(() => this.undoNow(id)));
  }

  private async undoNow(id: number | undefined): Promise<BackupEntry> {
    const all = await this.ring.entries();
    const entry = id === undefined ? all.at(-1) : all.find((e) => e.id === id);
    if (!entry) throw new KubeconfigWriteError('nothing-to-undo', id === undefined ? 'There is no kubeconfig change to undo.' : 'That kubeconfig change was already undone, or is older than the kept backups.');
    const group = entry.group === undefined ? [entry] : all.filter((e) => e.group === entry.group);
    const befores = new Map<number, Buffer>();
    for (const e of group) {
      const current = await readSnapshot(e.file);
      if (current.hash !== e.afterHash) {
        throw new KubeconfigWriteError('changed-meanwhile', `${e.file} changed after "${e.label}"; undoing it would lose those changes. Nothing was restored; edit the file by hand if needed.`);
      }
      if (!e.backup) continue;
      const before = await readFile(e.backup).catch(() => undefined);
      if (!before || sha256(before) !== e.beforeHash) throw new KubeconfigWriteError('backup-damaged', `The backup of ${e.file} from ${e.time} is missing or damaged; nothing was restored.`);
      await this.checkWritable(e.file);
      befores.set(e.id, before);
    }
    for (const e of [...group].reverse()) {
      const before = befores.get(e.id);
      if (before === undefined) await unlink(e.file);
      // The content from before, with its mode unless it holds credentials: those are never put back wider than 0600.
      else await this.replace(e.file, before, modeForKubeconfig(before.toString('utf8'), e.mode), async () => this.checkUnchanged(e.file, e.afterHash));
    }
    await this.ring.remove(new Set(group.map((e) => e.id)));
    return group[0]!;
  }

  private async writeNow(changes: readonly FileChange[], label: string, opts: WriteOptions): Promise<WriteOutcome[]> {
    const plans: { file: string; change: FileChange; before: Buffer | undefined; oldMode: number | undefined }[] = [];
    for (const change of changes) {
      const { snapshot } = change;
      const file = await linkTarget(snapshot.path);
      const st = await stat(file).catch(() => undefined);
      await this.checkUnchanged(file, snapshot.hash, snapshot.path);
      if (st) await this.checkWritable(file, snapshot.path);
      plans.push({ file, change, before: st ? await readFile(file) : undefined, oldMode: st ? st.mode & 0o7777 : undefined });
    }
    const done: { entry: BackupEntry; outcome: WriteOutcome }[] = [];
    let group: number | undefined;
    for (const { file, change, before, oldMode } of plans) {
      const { snapshot, text } = change;
      const listEntry = opts.listEntry !== undefined && path.resolve(opts.listEntry) === path.resolve(snapshot.path) ? { listEntry: opts.listEntry } : {};
      const added = await this.ring.add(file, before, oldMode, sha256(text), label, { ...(group !== undefined ? { group } : {}), ...listEntry });
      const entry = plans.length > 1 && group === undefined ? { ...added, group: (group = added.id) } : added;
      const mode = modeForKubeconfig(text, oldMode);
      try {
        const method = await this.replace(file, text, mode, async () => this.checkUnchanged(file, snapshot.hash, snapshot.path), before !== undefined);
        done.push({ entry, outcome: { file, backup: entry, method, mode } });
      } catch (err) {
        await this.ring.discard(entry);
        if (!(err instanceof KubeconfigWriteError) && before) await this.restoreIfTouched(file, before, modeForKubeconfig(before.toString('utf8'), oldMode));
        await this.rollBack(done);
        if (err instanceof KubeconfigWriteError) throw err;
        const e = err as NodeJS.ErrnoException;
        const hint =
          e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS'
            ? `the folder ${path.dirname(file)} is not writable`
            : e.code === 'ENOENT'
              ? `the folder ${path.dirname(file)} does not exist${file !== path.resolve(snapshot.path) ? ` (${snapshot.path} is a link to ${file})` : ''}`
              : e.code === 'EVERIFY'
              ? 'rewriting it in place (it cannot be replaced: a bind mount?) did not read back as written, so its content was put back'
              : (e.code ?? e.message);
        const others = done.length > 0 ? ` The ${done.length} file${done.length === 1 ? '' : 's'} written before it ${done.length === 1 ? 'was' : 'were'} restored.` : '';
        throw new KubeconfigWriteError('write-failed', `${snapshot.path} was not changed: ${hint}.${others}`);
      }
    }
    await this.ring.commit(...done.map((d) => d.entry));
    return done.map((d) => d.outcome);
  }

  /** Puts back files already written when a later file of the same change failed. */
  private async rollBack(done: readonly { entry: BackupEntry }[]): Promise<void> {
    for (const { entry } of [...done].reverse()) {
      const before = entry.backup ? await readFile(entry.backup).catch(() => undefined) : undefined;
      if (!entry.backup) await unlink(entry.file).catch(() => undefined);
      else if (before) await this.replace(entry.file, before, modeForKubeconfig(before.toString('utf8'), entry.mode)).catch(() => undefined);
      await this.ring.discard(entry);
    }
  }

  /** Atomic replacement, or (where rename cannot replace the file: a bind mount) a verified in-place rewrite. */
  private async replace(file: string, data: string | Uint8Array, mode: number, check?: () => Promise<void>, exists = true): Promise<WriteMethod> {
    try {
      await writeAtomically(file, data, mode, check);
      return 'replaced';
    } catch (err) {
      if (!exists || !needsInPlaceWrite(err)) throw err;
    }
    await writeInPlace(file, data, mode, check);
    return 'in-place';
  }

  /** An in-place rewrite that failed part-way: put the content from before back (the backup holds it too). */
  private async restoreIfTouched(file: string, before: Buffer, mode: number): Promise<void> {
    const now = await readFile(file).catch(() => undefined);
    if (now && !now.equals(before)) await writeInPlace(file, before, mode).catch(() => undefined);
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.ring.locked(fn);
    } catch (err) {
      if (err instanceof LockBusyError) throw new KubeconfigWriteError('busy', err.message);
      throw err;
    }
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
