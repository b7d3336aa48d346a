// The kubeconfig writer on real files: atomic replacement (a concurrent reader sees only whole contents), mode kept,
// backups outside the folder in a bounded ring, refusals that leave the file as it was (changed meanwhile,
// read-only), and undo (hash-checked both ways).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, readdir, stat, symlink, writeFile, lstat, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { KubeconfigWriter, KubeconfigWriteError, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { renameContext } from '../../src/core/kubeconfig/edits.ts';
import { privateDir } from './support/programFixtures.ts';

let dir: string;
let remove: () => Promise<void>;
let n = 0;

before(async () => {
  ({ dir, remove } = await privateDir('liqo-writer-'));
});
after(async () => remove());

const kubeconfig = (name: string): string => `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster: {server: https://127.0.0.61:6443}\ncontexts:\n- name: ${name}\n  context: {cluster: ${name}, user: ${name}}\nusers:\n- name: ${name}\n  user: {token: dG9r}\n`;

/** A fresh kube folder and backup folder per test. */
async function setup(mode = 0o640, capacity = 20): Promise<{ file: string; kubeDir: string; writer: KubeconfigWriter; backups: string }> {
  n++;
  const kubeDir = path.join(dir, `kube-${n}`);
  const backups = path.join(dir, `storage-${n}`, 'kubeconfig-backups');
  await mkdir(kubeDir, { recursive: true });
  const file = path.join(kubeDir, 'config');
  await writeFile(file, kubeconfig('lab'), { mode });
  await chmod(file, mode);
  return { file, kubeDir, writer: new KubeconfigWriter(backups, capacity), backups };
}

const writeError = (code: string, re: RegExp) => (e: unknown) => e instanceof KubeconfigWriteError && e.code === code && re.test(e.message);

test('a write replaces the content, leaves a file holding credentials 0600 (it was 0640), and backs up outside the folder (0600 in a 0700 folder)', async () => {
  const { file, kubeDir, writer, backups } = await setup(0o640);
  const snap = await readSnapshot(file);
  const next = renameContext(snap.text!, 'lab', 'lab-main').text;
  const out = await writer.write(snap, next, 'Rename context lab');
  assert.equal(await readFile(file, 'utf8'), next);
  // issue 18: credentials written anywhere are 0600 (a file without users keeps its mode: kubeconfigFileLayouts.test.ts)
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(kubeDir), ['config'], 'no temp or backup file beside the kubeconfig');
  assert.ok(out.backup.backup && !out.backup.backup.startsWith(kubeDir));
  assert.equal(await readFile(out.backup.backup, 'utf8'), kubeconfig('lab'));
  assert.equal((await stat(out.backup.backup)).mode & 0o777, 0o600);
  assert.equal((await stat(backups)).mode & 0o777, 0o700);
});

test('a new file is created 0600 and undo removes it again', async () => {
  const { kubeDir, writer } = await setup();
  const file = path.join(kubeDir, 'extracted.yaml');
  await writer.write(await readSnapshot(file), kubeconfig('x'), 'Extract x');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  await writer.undoLast();
  await assert.rejects(stat(file), /ENOENT/);
});

test('a file changed by another program since it was read is not written, and says to retry', async () => {
  const { file, kubeDir, writer } = await setup();
  const snap = await readSnapshot(file);
  await writeFile(file, kubeconfig('edited-elsewhere'));
  await assert.rejects(writer.write(snap, kubeconfig('ours'), 'Rename'), writeError('changed-meanwhile', /config was changed by another program since it was read; nothing was written\. Run the command again/));
  assert.equal(await readFile(file, 'utf8'), kubeconfig('edited-elsewhere'));
  assert.deepEqual(await readdir(kubeDir), ['config']);
  assert.equal(await writer.lastChange(), undefined, 'no backup entry for a refused write');
  const created = path.join(kubeDir, 'new.yaml');
  const none = await readSnapshot(created);
  await writeFile(created, 'x: 1\n');
  await assert.rejects(writer.write(none, kubeconfig('n'), 'Extract'), writeError('changed-meanwhile', /was created by another program/));
  assert.equal(await readFile(created, 'utf8'), 'x: 1\n');
});

test('a read-only file is refused with the fix, and stays as it was', async () => {
  const { file, kubeDir, writer } = await setup(0o400);
  const snap = await readSnapshot(file);
  await assert.rejects(writer.write(snap, kubeconfig('ours'), 'Rename'), writeError('read-only', /config is read-only; nothing was written\. Make it writable/));
  assert.equal(await readFile(file, 'utf8'), kubeconfig('lab'));
  assert.equal((await stat(file)).mode & 0o777, 0o400);
  assert.deepEqual(await readdir(kubeDir), ['config']);
});

test('a reader polling during many writes only ever sees a whole old or new content', async () => {
  const { file, writer } = await setup(0o600);
  const big = (c: string): string => kubeconfig('lab') + `# ${c.repeat(512 * 1024)}\n`;
  const contents = new Set([kubeconfig('lab'), big('a'), big('b')]);
  let stop = false;
  let reads = 0;
  const reader = (async () => {
    while (!stop) {
      const t = await readFile(file, 'utf8');
      assert.ok(contents.has(t), `a half-written file was seen (${t.length} bytes)`);
      reads++;
    }
  })();
  for (let i = 0; i < 12; i++) await writer.write(await readSnapshot(file), big(i % 2 ? 'a' : 'b'), `write ${i}`);
  stop = true;
  await reader;
  assert.ok(reads > 0);
});

test('the backup ring is bounded; undo walks back change by change and refuses when the file moved on', async () => {
  const { file, writer, backups } = await setup(0o600, 3);
  for (const name of ['a', 'b', 'c', 'd', 'e']) await writer.write(await readSnapshot(file), kubeconfig(name), `to ${name}`);
  assert.equal((await readdir(backups)).filter((f) => f.endsWith('.bak')).length, 3);
  assert.equal((await writer.undoLast()).label, 'to e');
  assert.equal(await readFile(file, 'utf8'), kubeconfig('d'));
  await writeFile(file, kubeconfig('hand-edit'));
  await assert.rejects(writer.undoLast(), writeError('changed-meanwhile', /changed after "to d"; undoing it would lose those changes/));
  assert.equal(await readFile(file, 'utf8'), kubeconfig('hand-edit'));
  await writeFile(file, kubeconfig('d'));
  assert.equal((await writer.undoLast()).label, 'to d');
  assert.equal(await readFile(file, 'utf8'), kubeconfig('c'));
  const last = await writer.lastChange();
  await writeFile(last!.backup!, 'tampered');
  await assert.rejects(writer.undoLast(), writeError('backup-damaged', /missing or damaged; nothing was restored/));
  assert.equal(await readFile(file, 'utf8'), kubeconfig('c'));
  await writer.undoLast().catch(() => undefined);
});

test('a symlinked kubeconfig is written through the link, which stays a link', async () => {
  const { file, kubeDir, writer } = await setup(0o600);
  const link = path.join(kubeDir, 'link-config');
  await symlink(file, link);
  await writer.write(await readSnapshot(link), kubeconfig('via-link'), 'through link');
  assert.ok((await lstat(link)).isSymbolicLink());
  assert.equal(await readFile(file, 'utf8'), kubeconfig('via-link'));
  await writer.undoLast();
  assert.equal(await readFile(file, 'utf8'), kubeconfig('lab'));
});
