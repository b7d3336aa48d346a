// Replaces a file's content all at once: a temp file in the same folder (same filesystem, so rename is atomic),
// written, fsynced and given the final mode before it is renamed over the target; the folder is fsynced after, so
// a crash leaves either the old or the new content, never half of one. Where a rename cannot replace the file (a
// single file bind-mounted into a dev container: EBUSY), writeInPlace rewrites it through its own inode and reads it
// back to verify; the caller has taken a backup first. linkTarget says which file a path (a symlink chain, possibly
// dangling) finally names, so writes go through links as kubectl's do.
import { open, rename, unlink, chmod, lstat, readlink, realpath, readFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export async function writeAtomically(target: string, data: string | Uint8Array, mode: number, beforeRename?: () => Promise<void>): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.liqo-${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, 'wx', mode);
  let renamed = false;
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(temp, mode); // the process umask may have narrowed it at open
    await beforeRename?.();
    await rename(temp, target);
    renamed = true;
    await syncFolder(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

async function syncFolder(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Some filesystems refuse fsync on folders; the rename itself is still atomic.
  } finally {
    await fh.close();
  }
}

/** Errors of rename() that mean "this path cannot be replaced, only rewritten" (a mount point, a busy file). */
export function needsInPlaceWrite(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EBUSY' || code === 'EXDEV';
}

/**
 * Rewrites an existing file through its own inode (the only way to change a bind-mounted file), then reads it back
 * and checks every byte. Not atomic: a crash in between can leave a mix, which is why the caller backs up first.
 */
export async function writeInPlace(target: string, data: string | Uint8Array, mode: number, beforeWrite?: () => Promise<void>): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  await beforeWrite?.();
  const fh = await open(target, 'r+');
  try {
    await fh.chmod(mode); // first: the credentials about to be written must never sit in a wider mode
    await fh.write(bytes, 0, bytes.length, 0);
    await fh.truncate(bytes.length);
    await fh.sync();
  } finally {
    await fh.close();
  }
  const back = await readFile(target);
  if (sha256(back) !== sha256(bytes)) throw Object.assign(new Error(`${target} reads back different from what was written`), { code: 'EVERIFY' });
}

/**
 * The file a path finally names: symlinks are followed one by one, so a dangling link yields the path it points at
 * (created there, as kubectl does) instead of the link being replaced by a regular file.
 */
export async function linkTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const st = await lstat(current).catch(() => undefined);
    if (!st?.isSymbolicLink()) break;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  if ((await lstat(current).catch(() => undefined))?.isSymbolicLink()) throw Object.assign(new Error(`${file}: too many levels of symbolic links`), { code: 'ELOOP' });
  const dir = await realpath(path.dirname(current)).catch(() => path.dirname(current));
  return path.join(dir, path.basename(current));
}
