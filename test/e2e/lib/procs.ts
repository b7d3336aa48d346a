// Process hygiene for the harness: servers start detached (their own process group) and are ended as a group;
// every process the harness starts carries an owner mark in its environment, so anything that escaped its group
// (a child that called setsid) is still found through /proc and ended. Nothing else on the machine is touched.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { openSync, readdirSync, readFileSync, closeSync } from 'node:fs';

/** Environment variable that marks every process the harness starts: LIQO_E2E_OWNER=<run id>. */
export const OWNER_VAR = 'LIQO_E2E_OWNER';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and captures its output (for short commands: packaging, extension installs). */
export function runCommand(cmd: string, args: string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          stderr += `\n[harness] timed out after ${options.timeoutMs} ms; killing process group ${child.pid}\n`;
          killGroupNow(child.pid);
        }, options.timeoutMs)
      : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      killGroupNow(child.pid); // whatever the command left in its group goes with it
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Starts a long-running process detached (own process group), its output appended to logFile. */
export function spawnDetached(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd?: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroupNow(pgid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ends a whole process group: SIGTERM, then SIGKILL after graceMs if anything in it is still alive. */
export async function killGroup(pgid: number | undefined, graceMs = 3000): Promise<void> {
  if (!pgid || !groupAlive(pgid)) return;
  killGroupNow(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(100);
  }
  killGroupNow(pgid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard && groupAlive(pgid)) await sleep(50);
}

/** Pids of live processes whose environment has OWNER_VAR=owner (or, with prefix, starts with owner). Linux only. */
export function markedProcesses(owner: string, prefix = false): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    for (const kv of environ.split('\0')) {
      if (!kv.startsWith(`${OWNER_VAR}=`)) continue;
      const value = kv.slice(OWNER_VAR.length + 1);
      if (prefix ? value.startsWith(owner) : value === owner) found.push(pid);
      break;
    }
  }
  return found;
}

/** SIGKILLs every process marked with this owner (escapees included); returns the pids it had to end. */
export async function sweepMarked(owner: string, prefix = false): Promise<number[]> {
  const leftovers = markedProcesses(owner, prefix);
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  if (leftovers.length > 0) await sleep(200);
  return leftovers;
}
