// Replaces a file's content all at once: a temp file in the same folder (same filesystem, so rename is atomic),
// written, fsynced and given the final mode before it is renamed over the target; the folder is fsynced after, so
// a crash leaves either the old or the new content, never half of one.
import { open, rename, unlink, chmod } from 'node:fs/promises';
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
