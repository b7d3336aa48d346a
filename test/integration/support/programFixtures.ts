// Real programs for the process runner's and the credential providers' integration tests: small scripts written
// into a private temporary folder (sh, or Node through this very Node binary), and a way to tell from /proc that a
// process, and so no orphan, is left.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export async function privateDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, 0o700);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An executable sh script. */
export async function shScript(file: string, body: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o700 });
  return file;
}

/** An executable Node script run by the Node that runs the tests (the system node may be older). */
export async function nodeScript(file: string, body: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!${process.execPath}\n${body}\n`, { mode: 0o700 });
  return file;
}

/** Gone, or a zombie waiting to be reaped: either way it runs no more. */
export async function processGone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls `check` every 50 ms for at most `ms`; true when it held. */
export async function eventually(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pids a script wrote, one a line, once it wrote `count` of them. */
export async function pidsIn(file: string, count: number, ms = 5000): Promise<number[]> {
  let pids: number[] = [];
  const ok = await eventually(async () => {
    if (!existsSync(file)) return false;
    pids = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '').map(Number);
    return pids.length >= count;
  }, ms);
  if (!ok) throw new Error(`${file} did not list ${count} pids within ${ms} ms`);
  return pids;
}

export async function allGone(pids: readonly number[], ms: number): Promise<boolean> {
  return eventually(async () => (await Promise.all(pids.map(processGone))).every(Boolean), ms);
}

/** The promise, or a rejection after `ms`: a test of something that must end fails instead of hanging. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_res, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
