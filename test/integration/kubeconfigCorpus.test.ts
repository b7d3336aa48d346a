// The kubeconfig corpus (test/unit/kubeconfigCorpus.ts) through kubectl itself: every file as it stands, every edit
// (rename, rewrite server, delete), every extract, a merge of every file into every other (as Merge Into asks), and
// undo of each edit through the real KubeconfigWriter are read by the test bed's kubectl (`config view --raw -o json`
// with KUBECONFIG set), and mean exactly the intended change. kubectl's reader is YAML 1.1: a word like `on` left
// unquoted, or an edit reaching another entry, fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { resolveBinaries } from '../testbed/binaries.ts';
import { privateDir } from './support/programFixtures.ts';
import { CORPUS } from '../unit/kubeconfigCorpus.ts';
import { editCases, extractCases, mergeCase, viewOf, type ConfigData } from '../unit/kubeconfigCorpusChecks.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { parse } from 'yaml';

const run = promisify(execFile);
let kubectlBin: string;
let dir: string;
let remove: () => Promise<void>;
let n = 0;

before(async () => {
  kubectlBin = path.join(await resolveBinaries(), 'kubectl');
  ({ dir, remove } = await privateDir('liqo-kubeconfig-corpus-'));
});
after(async () => remove());

/** What kubectl reads in `text` (written to a 0600 file named by KUBECONFIG). */
async function kubectlReads(text: string, label: string): Promise<ConfigData> {
  const file = path.join(dir, `config-${++n}`);
  await writeFile(file, text, { mode: 0o600 });
  return kubectlReadsFile(file, label);
}

async function kubectlReadsFile(file: string, label: string): Promise<ConfigData> {
  try {
    const { stdout } = await run(kubectlBin, ['config', 'view', '--raw', '-o', 'json'], { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: file }, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as ConfigData;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    assert.fail(`${label}: kubectl refused the file: ${(e.stderr ?? e.message).trim()}\n${await readFile(file, 'utf8')}`);
  }
}

/** How the edits' own inputs are listed (names only; the checks compare kubectl's readings). */
const dataOf = (text: string): ConfigData => parse(text, { merge: true }) as ConfigData;

for (const [name, text] of Object.entries(CORPUS)) {
  test(`${name}: kubectl reads the file, every edit and extract as intended, and each undo restores it`, async () => {
    const beforeView = viewOf(await kubectlReads(text, name));
    assert.ok(Object.keys(beforeView.contexts).length > 0, `${name}: kubectl sees its contexts`);
    const file = path.join(dir, `${name}.yaml`);
    await writeFile(file, text, { mode: 0o600 });
    const writer = new KubeconfigWriter(path.join(dir, `backups-${name}`));
    for (const c of editCases(text, dataOf)) {
      const label = `${name}: ${c.label}`;
      const result = c.run();
      await writer.write(await readSnapshot(file), result.text, label);
      assert.deepEqual(viewOf(await kubectlReadsFile(file, label)), c.expect(beforeView), label);
      await writer.undoLast();
      assert.equal(await readFile(file, 'utf8'), text, `${label}: undo restores every byte`);
    }
    assert.deepEqual(viewOf(await kubectlReadsFile(file, `${name} after the undos`)), beforeView);
    for (const x of extractCases(text, dataOf)) assert.deepEqual(viewOf(await kubectlReads(x.run(), `${name}: ${x.label}`)), x.expect(beforeView), `${name}: ${x.label}`);
  });
}

test('merge of every corpus file into every other: kubectl reads both files\' contexts as before', async () => {
  const views = new Map<string, ReturnType<typeof viewOf>>();
  for (const [name, text] of Object.entries(CORPUS)) views.set(name, viewOf(await kubectlReads(text, name)));
  for (const [targetName, target] of Object.entries(CORPUS)) {
    for (const [sourceName, source] of Object.entries(CORPUS)) {
      const label = `${sourceName} into ${targetName}`;
      const { result, expect } = await mergeCase(target, source);
      assert.deepEqual(viewOf(await kubectlReads(result.text, label)), expect(views.get(targetName)!, views.get(sourceName)!), label);
    }
  }
});
