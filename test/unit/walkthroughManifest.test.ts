// package.json's "Federate two clusters" walkthrough against the code that ticks it: one step per milestone, in
// order, each completed by the context key the extension sets (no onCommand:, which ticks on Cancel too), each
// step's command links naming declared commands, each picture a file that ships in the VSIX and stays small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { MILESTONES, WALKTHROUGH_ID, milestoneContextKey } from '../../src/core/walkthrough/milestones.ts';

const root = path.resolve(import.meta.dirname, '../..');
interface Step {
  id: string;
  description: string;
  media: { image?: string; altText?: string };
  completionEvents?: string[];
}
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[]; viewsWelcome: { contents: string }[] };
};
const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
/** Each picture may weigh this much at most: the VSIX carries all of them. */
const MAX_IMAGE_BYTES = 100_000;

test('one walkthrough, "Federate two clusters", one step per milestone in order, each ticked by its context key', () => {
  assert.ok(walkthrough, `contributes.walkthroughs has ${WALKTHROUGH_ID}`);
  assert.equal(walkthrough.title, 'Federate two clusters');
  assert.deepEqual(
    walkthrough.steps.map((s) => s.completionEvents),
    MILESTONES.map((m) => [`onContext:${milestoneContextKey(m)}`]),
  );
});

test('every step runs a declared command from its description, and the welcome view links the walkthrough', () => {
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  // VS Code's own focus command for the view, generated from contributes.views
  declared.add('liqo.federation.focus');
  for (const step of walkthrough!.steps) {
    const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0, `${step.id} has a command link`);
    for (const id of links) assert.ok(declared.has(id), `${step.id} links ${id}, which package.json does not declare`);
  }
  assert.ok(manifest.contributes.viewsWelcome.some((w) => w.contents.includes('(command:liqo.walkthrough.open)')));
});

test('every step has its own picture: a PNG that ships (.vscodeignore) and stays small', async () => {
  const shipped = (await readFile(path.join(root, '.vscodeignore'), 'utf8')).split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim());
  const images = walkthrough!.steps.map((s) => s.media.image ?? '');
  assert.equal(new Set(images).size, images.length, 'one picture per step');
  for (const step of walkthrough!.steps) {
    const image = step.media.image ?? '';
    assert.match(image, /^media\/walkthrough\/[a-z-]+\.png$/, step.id);
    assert.ok((step.media.altText ?? '').length > 20, `${step.id} describes its picture`);
    assert.ok(shipped.some((pattern) => path.matchesGlob(image, pattern)), `${image} is let into the VSIX`);
    const bytes = await readFile(path.join(root, image));
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', image);
    const { size } = await stat(path.join(root, image));
    assert.ok(size <= MAX_IMAGE_BYTES, `${image} is ${size} bytes (at most ${MAX_IMAGE_BYTES})`);
  }
});
