// A lock shared by every process that uses one folder (all VS Code windows share the extension's global storage,
// and so the backup ring): a lock file created with O_EXCL that records who holds it. A holder that died (its pid is
// gone on this host) or that held it far longer than any ring operation takes is stale, and its lock is broken by
// renaming the file away first, so two waiters breaking the same stale lock never remove each other's fresh one.
import { open, readFile, rename, unlink, link, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up. */
  readonly waitMs?: number;
  /** A lock older than this is stale whoever holds it (ring operations take milliseconds). */
  readonly staleMs?: number;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export class LockBusyError extends Error {
  constructor(lockFile: string, holder: string) {
    super(`Another VS Code window is changing a kubeconfig (lock ${lockFile} held by ${holder}); try again in a moment.`);
    this.name = 'LockBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string' ? (parsed as Holder) : undefined;
  } catch {
    return undefined; // being written right now, or damaged: age decides
  }
}

async function isStale(file: string, holder: Holder | undefined, staleMs: number): Promise<boolean> {
  if (holder && holder.host === hostname() && !alive(holder.pid)) return true;
  const st = await stat(file).catch(() => undefined);
  return st !== undefined && Date.now() - st.mtimeMs > staleMs;
}

/** Breaks a stale lock unless someone replaced it meanwhile (then their lock is put back). */
async function breakStale(file: string, seen: Holder | undefined): Promise<void> {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch {
    return; // gone already: someone else broke or released it
  }
  const taken = await readHolder(aside);
  if (seen && taken && taken.token !== seen.token) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Runs `fn` while holding the lock file `file` (created next to the data it guards). */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const waitMs = opts.waitMs ?? 15_000;
  const staleMs = opts.staleMs ?? 60_000;
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(12).toString('hex') };
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const fh = await open(file, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return undefined;
      throw err;
    });
    if (fh) {
      try {
        await fh.writeFile(JSON.stringify(me));
      } finally {
        await fh.close();
      }
      break;
    }
    const holder = await readHolder(file);
    if (await isStale(file, holder, staleMs)) {
      await breakStale(file, holder);
      continue;
    }
    if (Date.now() > deadline) throw new LockBusyError(file, holder ? `process ${holder.pid} on ${holder.host}` : 'another process');
    await new Promise((r) => setTimeout(r, Math.min(100, 5 + attempt * 5) + Math.random() * 10));
  }
  try {
    return await fn();
  } finally {
    const holder = await readHolder(file);
    if (holder?.token === me.token) await unlink(file).catch(() => undefined);
  }
}
