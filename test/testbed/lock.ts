// The lock that serialises test bed operations across processes (parallel test files, an `up` in another
// terminal): .testbed/lock holds "<pid> <start time>" of its owner; a dead owner's lock is taken over.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateDir, statePaths } from './paths.ts';
import { isAlive, startTime } from './processes.ts';

const log = (msg: string) => process.stderr.write(`[testbed] ${msg}\n`);

/** Runs fn holding the lock; waits for another owner up to timeoutMs (a cold build can take that long). */
export async function withLock<T>(what: string, fn: () => Promise<T>, timeoutMs = 45 * 60_000): Promise<T> {
  fs.mkdirSync(stateDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(statePaths.lock, `${process.pid} ${startTime(process.pid) ?? ''}`, { flag: 'wx' });
      break;
    } catch (err) {
      // The state directory removed meanwhile (a teardown's last step): made again. This loop once spun for good here
      // (ENOENT on the write and on the read, retried without a pause).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') fs.mkdirSync(stateDir, { recursive: true });
      let content: string;
      try {
        content = fs.readFileSync(statePaths.lock, 'utf8');
      } catch {
        if (Date.now() > deadline) throw new Error(`testbed: could not take the lock ${statePaths.lock} before ${what}`, { cause: err });
        await sleep(10); // released meanwhile: try again at once, without spinning
        continue;
      }
      const [pidText = '0', ownerStart = ''] = content.trim().split(' ');
      const owner = Number(pidText);
      if (owner === process.pid) throw new Error(`testbed: re-entrant ${what}`);
      if (!owner || !isAlive(owner) || (ownerStart && startTime(owner) !== ownerStart)) {
        // stale: remove it unless someone else has taken it over in the meantime
        try {
          if (fs.readFileSync(statePaths.lock, 'utf8') === content) fs.rmSync(statePaths.lock, { force: true });
        } catch {
          /* already gone */
        }
        continue;
      }
      if (!announced) log(`waiting for another test bed operation (pid ${owner}) to finish before ${what}`);
      announced = true;
      if (Date.now() > deadline) throw new Error(`testbed: gave up waiting for the lock held by pid ${owner}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(statePaths.lock, { force: true });
  }
}
