// Kubeconfig files as people have them, on real files: a dangling symlink (dotfiles not checked out yet) is written
// through, a bind-mounted single file (dev containers; a real `mount --bind` where the machine allows it) is
// rewritten in place and verified, credentials end 0600 whatever mode the file had, a symlinked kubeconfig's target
// is watched, two processes sharing the backup ring lose no undo entry, and an undone import names the list entry
// to drop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, link, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { BackupRing } from '../../src/infra/kubeconfig/backupRing.ts';
import { needsInPlaceWrite, writeInPlace } from '../../src/infra/kubeconfig/atomicWrite.ts';
import { KubeconfigWatcher } from '../../src/infra/kubeconfig/watchFiles.ts';
import { privateDir } from './support/programFixtures.ts';

let dir: string;
let remove: () => Promise<void>;
let n = 0;

before(async () => {
  ({ dir, remove } = await privateDir('liqo-layouts-'));
});
after(async () => remove());

const kubeconfig = (name: string): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster: {server: https://127.0.0.1:6443}\ncontexts:\n- name: ${name}\n  context: {cluster: ${name}, user: ${name}}\nusers:\n- name: ${name}\n  user: {token: dG9r}\n`;

async function fresh(): Promise<{ base: string; writer: KubeconfigWriter; backups: string }> {
  const base = path.join(dir, `case-${++n}`);
  const backups = path.join(base, 'storage', 'backups');
  await mkdir(base, { recursive: true });
  return { base, writer: new KubeconfigWriter(backups, 100), backups };
}

test('a dangling symlink is written through: the link stays, the file it names is created 0600, undo removes it', async () => {
  const { base, writer } = await fresh();
  await mkdir(path.join(base, 'dotfiles'));
  await mkdir(path.join(base, 'kube'));
  const link = path.join(base, 'kube', 'config');
  const target = path.join(base, 'dotfiles', 'kubeconfig');
  await symlink('../dotfiles/kubeconfig', link);
  await writer.write(await readSnapshot(link), kubeconfig('new'), 'Extract new');
  assert.ok((await lstat(link)).isSymbolicLink(), 'the link was replaced by a regular file');
  assert.equal(await readlink(link), '../dotfiles/kubeconfig');
  assert.equal(await readFile(target, 'utf8'), kubeconfig('new'));
  assert.equal((await stat(target)).mode & 0o777, 0o600);
  await writer.undoLast();
  assert.ok((await lstat(link)).isSymbolicLink());
  await assert.rejects(stat(target), /ENOENT/);
});

test('credentials end 0600 in an existing 0644 file (Extract over it); a file without users keeps its mode', async () => {
  const { base, writer } = await fresh();
  const file = path.join(base, 'target.kubeconfig');
  await writeFile(file, 'apiVersion: v1\nkind: Config\n');
  await chmod(file, 0o644);
  const out = await writer.write(await readSnapshot(file), kubeconfig('lab'), 'Extract lab');
  assert.equal((await stat(file)).mode & 0o777, 0o600, 'a file holding a token was left readable by others');
  assert.equal(out.mode & 0o777, 0o600);
  const plain = path.join(base, 'clusters-only.yaml');
  await writeFile(plain, 'apiVersion: v1\nkind: Config\n');
  await chmod(plain, 0o644);
  await writer.write(await readSnapshot(plain), 'apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: https://127.0.0.1:1}\n', 'add cluster');
  assert.equal((await stat(plain)).mode & 0o777, 0o644);
  await writer.undoLast();
  await writer.undoLast();
  assert.equal((await stat(file)).mode & 0o777, 0o644, 'undo puts the mode back with the content');
});

/** `mount --bind src dst`, or the reason it cannot be done here. */
function bindMount(src: string, dst: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const r = spawnSync('mount', ['--bind', src, dst], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `mount --bind failed: ${(r.stderr || r.error?.message || '').trim()}`;
}

test('a bind-mounted single file is rewritten in place, verified, 0600, backed up, and the outcome says so', async (t) => {
  const { base, writer } = await fresh();
  const host = path.join(base, 'host-config');
  const mounted = path.join(base, 'container-home', '.kube', 'config');
  await mkdir(path.dirname(mounted), { recursive: true });
  await writeFile(host, kubeconfig('lab'), { mode: 0o644 });
  await chmod(host, 0o644);
  await writeFile(mounted, '');
  const why = bindMount(host, mounted);
  if (why) {
    t.skip(`bind mounts are not allowed here (${why})`);
    return;
  }
  try {
    const snap = await readSnapshot(mounted);
    const out = await writer.write(snap, kubeconfig('renamed'), 'Rename lab');
    assert.equal(out.method, 'in-place');
    assert.equal(await readFile(mounted, 'utf8'), kubeconfig('renamed'));
    assert.equal(await readFile(host, 'utf8'), kubeconfig('renamed'), 'the host side sees the change: the mount still holds');
    assert.equal((await stat(host)).mode & 0o777, 0o600);
    assert.equal(await readFile(out.backup.backup!, 'utf8'), kubeconfig('lab'));
    const shorter = 'apiVersion: v1\nkind: Config\n';
    await writer.write(await readSnapshot(mounted), shorter, 'shrink');
    assert.equal(await readFile(mounted, 'utf8'), shorter, 'a shorter content leaves no tail of the old one');
    await writer.undoLast();
    await writer.undoLast();
    assert.equal(await readFile(mounted, 'utf8'), kubeconfig('lab'));
  } finally {
    spawnSync('umount', [mounted]);
  }
});

test('the in-place path (taken on EBUSY/EXDEV, runs without root): same inode, shorter content truncated, 0600, verified', async () => {
  const { base } = await fresh();
  const file = path.join(base, 'inode.yaml');
  const other = path.join(base, 'hardlink.yaml'); // a second name for the inode, as a bind mount's source would be
  await writeFile(file, kubeconfig('a-long-name-first'), { mode: 0o644 });
  await chmod(file, 0o644);
  await link(file, other);
  const ino = (await stat(file)).ino;
  await writeInPlace(file, kubeconfig('b'), 0o600);
  assert.equal((await stat(file)).ino, ino);
  assert.equal(await readFile(other, 'utf8'), kubeconfig('b'));
  assert.equal((await stat(other)).mode & 0o777, 0o600);
  assert.ok(needsInPlaceWrite(Object.assign(new Error('busy'), { code: 'EBUSY' })));
  assert.ok(needsInPlaceWrite(Object.assign(new Error('cross'), { code: 'EXDEV' })));
  assert.ok(!needsInPlaceWrite(Object.assign(new Error('denied'), { code: 'EACCES' })));
});

/** Resolves when `fire` was called, or false after `ms`. */
function firedWithin(watcher: { fired: Promise<void> }, ms: number): Promise<boolean> {
  return Promise.race([watcher.fired.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

function watching(files: string[]): { w: KubeconfigWatcher; fired: Promise<void> } {
  let resolve: () => void = () => undefined;
  const fired = new Promise<void>((r) => (resolve = r));
  const w = new KubeconfigWatcher(() => resolve(), 20);
  w.watch(files);
  return { w, fired };
}

test('a symlinked kubeconfig: an edit of its target and a write through the link both reload', async () => {
  const { base, writer } = await fresh();
  await mkdir(path.join(base, 'dotfiles'));
  await mkdir(path.join(base, 'kube'));
  const target = path.join(base, 'dotfiles', 'kubeconfig');
  const link = path.join(base, 'kube', 'config');
  await writeFile(target, kubeconfig('lab'), { mode: 0o600 });
  await symlink(target, link);
  const outside = watching([link]);
  try {
    await writeFile(target, kubeconfig('edited-in-dotfiles'));
    assert.ok(await firedWithin(outside, 10_000), 'an edit of the link target did not reload');
  } finally {
    outside.w.close();
  }
  const own = watching([link]);
  try {
    await writer.write(await readSnapshot(link), kubeconfig('renamed'), 'Rename');
    assert.ok(await firedWithin(own, 10_000), "the extension's own write through the link did not reload");
  } finally {
    own.w.close();
  }
});

// A child process: N writes to its own file through a writer on the shared ring, each started at the same moment.
const CHILD = `
import { KubeconfigWriter, readSnapshot } from ${JSON.stringify(path.resolve('src/infra/kubeconfig/writer.ts'))};
const [backups, file, count, startAt, tag = ''] = process.argv.slice(2);
const writer = new KubeconfigWriter(backups, 1000);
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
for (let i = 1; i <= Number(count); i++) {
  // As a user would: when the other window saved the file first, read it again and redo the edit.
  for (;;) {
    const snap = await readSnapshot(file);
    try {
      await writer.write(snap, snap.text + '# ' + tag + i + '\\n', file + ' #' + tag + i);
      break;
    } catch (err) {
      if (err.code !== 'changed-meanwhile') throw err;
    }
  }
}
`;

function runChild(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

test('two processes saving at once share the backup ring: every change gets its own id and entry, and all undo', { timeout: 120_000 }, async () => {
  const { base, writer, backups } = await fresh();
  const script = path.join(base, 'child.mts');
  await writeFile(script, CHILD);
  const files = [path.join(base, 'a.yaml'), path.join(base, 'b.yaml')];
  for (const f of files) await writeFile(f, kubeconfig(path.basename(f, '.yaml')), { mode: 0o600 });
  const count = 15;
  const startAt = String(Date.now() + 1500);
  await Promise.all(files.map((f) => runChild(script, [backups, f, String(count), startAt])));
  const entries = await new BackupRing(backups).entries();
  assert.equal(entries.length, 2 * count, `undo entries lost: ${entries.length} of ${2 * count} kept`);
  assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'two changes took the same id');
  for (const f of files) assert.deepEqual(entries.filter((e) => e.file === f).map((e) => e.label), Array.from({ length: count }, (_, i) => `${f} #${i + 1}`));
  for (let i = 0; i < 2 * count; i++) await writer.undoLast();
  for (const f of files) assert.equal(await readFile(f, 'utf8'), kubeconfig(path.basename(f, '.yaml')));
});

test('two processes editing the same file at once: no edit is lost, each refused one is redone, every undo entry kept', { timeout: 120_000 }, async () => {
  const { base, backups } = await fresh();
  const script = path.join(base, 'child.mts');
  await writeFile(script, CHILD);
  const file = path.join(base, 'shared.yaml');
  await writeFile(file, kubeconfig('shared'), { mode: 0o600 });
  const count = 10;
  const startAt = String(Date.now() + 1500);
  await Promise.all(['a', 'b'].map((tag) => runChild(script, [backups, file, String(count), startAt, tag])));
  const text = await readFile(file, 'utf8');
  for (const tag of ['a', 'b']) for (let i = 1; i <= count; i++) assert.ok(text.includes(`# ${tag}${i}\n`), `the edit ${tag}${i} was lost`);
  const entries = await new BackupRing(backups).entries();
  assert.equal(entries.length, 2 * count);
  const writer = new KubeconfigWriter(backups, 100);
  for (let i = 0; i < 2 * count; i++) await writer.undoLast();
  assert.equal(await readFile(file, 'utf8'), kubeconfig('shared'));
});

test('a stale lock left by a dead process is broken; one held by a live process makes the writer wait', async () => {
  const { base, writer, backups } = await fresh();
  const file = path.join(base, 'c.yaml');
  await writeFile(file, kubeconfig('c'), { mode: 0o600 });
  await mkdir(backups, { recursive: true });
  const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
  await writeFile(path.join(backups, 'ring.lock'), JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), token: 'dead' }));
  await writer.write(await readSnapshot(file), kubeconfig('c2'), 'after a crash');
  assert.equal(await readFile(file, 'utf8'), kubeconfig('c2'));
  await writeFile(path.join(backups, 'ring.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), token: 'live' }));
  let done = false;
  const pending = writer.undoLast().then(() => (done = true));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(done, false, 'the writer went ahead while another holder had the lock');
  const { unlink } = await import('node:fs/promises');
  await unlink(path.join(backups, 'ring.lock'));
  await pending;
  assert.equal(await readFile(file, 'utf8'), kubeconfig('c'));
});

test('an undo entry restores one window\'s change by id, not whatever another window saved after it', async () => {
  const { base, writer } = await fresh();
  const mine = path.join(base, 'mine.yaml');
  const theirs = path.join(base, 'theirs.yaml');
  await writeFile(mine, kubeconfig('mine'), { mode: 0o600 });
  await writeFile(theirs, kubeconfig('theirs'), { mode: 0o600 });
  const out = await writer.write(await readSnapshot(mine), kubeconfig('mine2'), 'mine');
  await new KubeconfigWriter(path.dirname(out.backup.backup!), 100).write(await readSnapshot(theirs), kubeconfig('theirs2'), 'theirs');
  await writer.undo(out.backup.id);
  assert.equal(await readFile(mine, 'utf8'), kubeconfig('mine'));
  assert.equal(await readFile(theirs, 'utf8'), kubeconfig('theirs2'), "the other window's change was reverted");
});

test('a change to two files (a KUBECONFIG list) is one undo step; an import records the list entry undo removes', async () => {
  const { base, writer } = await fresh();
  const a = path.join(base, 'a.yaml');
  const b = path.join(base, 'b.yaml');
  await writeFile(a, kubeconfig('a'), { mode: 0o600 });
  await writeFile(b, kubeconfig('b'), { mode: 0o600 });
  await writer.writeAll([{ snapshot: await readSnapshot(a), text: kubeconfig('a2') }, { snapshot: await readSnapshot(b), text: kubeconfig('b2') }], 'rename across the list');
  const undone = await writer.undoLast();
  assert.equal(undone.label, 'rename across the list');
  assert.equal(await readFile(a, 'utf8'), kubeconfig('a'));
  assert.equal(await readFile(b, 'utf8'), kubeconfig('b'));
  assert.equal((await writer.changes()).length, 0);
  const imported = path.join(base, 'imported.yaml');
  await writer.write(await readSnapshot(imported), kubeconfig('host'), 'Import host', { listEntry: imported });
  const back = await writer.undoLast();
  assert.equal(back.listEntry, imported, 'the undone import does not say which liqo.kubeconfigs entry to remove');
  await assert.rejects(stat(imported), /ENOENT/);
});
