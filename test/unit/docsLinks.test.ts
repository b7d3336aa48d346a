// The product page and its docs hold together: every relative link and image in README.md and docs/*.md resolves to
// a file in the repository (and a #fragment to a heading of that file), README.md stays within 12 KB, and its tables
// name every command and setting package.json declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const README = path.join(root, 'README.md');
const pages = [README, ...(await readdir(path.join(root, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => path.join(root, 'docs', f))];

/** Markdown link and image targets outside code: `[text](target)` and `![alt](target "title")`. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

test('linkTargets and headingAnchors read Markdown as GitHub does', () => {
  assert.deepEqual(linkTargets('See [a](docs/a.md#x) and ![p](media/p.png "t"), not `[c](nope.md)` or [web](https://x.test).'), ['docs/a.md#x', 'media/p.png', 'https://x.test']);
  assert.deepEqual([...headingAnchors('# Log views\n## Files and network\n## Tree\n## Tree\n### Why Is This Pod Failing?')], ['log-views', 'files-and-network', 'tree', 'tree-1', 'why-is-this-pod-failing']);
});

test('every relative link and image in README.md and docs/*.md resolves to a file (and heading)', async () => {
  const broken: string[] = [];
  for (const page of pages) {
    const text = await readFile(page, 'utf8');
    for (const target of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, command: …
      const [file = '', fragment] = target.split('#');
      const resolved = file === '' ? page : path.resolve(path.dirname(page), decodeURIComponent(file));
      const where = `${path.relative(root, page)} → ${target}`;
      if (!resolved.startsWith(root + path.sep) || !existsSync(resolved)) {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (fragment && resolved.endsWith('.md') && !headingAnchors(await readFile(resolved, 'utf8')).has(fragment)) broken.push(`${where}: no such heading`);
    }
  }
  assert.deepEqual(broken, []);
});

test('README.md is at most 12 KB', async () => {
  const size = Buffer.byteLength(await readFile(README, 'utf8'));
  assert.ok(size <= 12 * 1024, `README.md is ${size} bytes; move detail to docs/`);
});

test('the README tables name every command title and every setting package.json declares', async () => {
  const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { commands: { title: string }[]; configuration: { properties: Record<string, unknown> } };
  };
  const readme = await readFile(README, 'utf8');
  const rows = readme.split('\n').filter((l) => l.startsWith('| '));
  const firstCells = rows.map((r) => r.split('|')[1]!.trim());
  const missingCommands = manifest.contributes.commands.map((c) => c.title).filter((title) => !firstCells.some((cell) => cell.split(' / ').includes(title)));
  assert.deepEqual(missingCommands, [], 'commands missing from the README commands table');
  const missingSettings = Object.keys(manifest.contributes.configuration.properties).filter((key) => !firstCells.includes(`\`${key}\``));
  assert.deepEqual(missingSettings, [], 'settings missing from the README settings table');
});

test('the commands table is one table: no paragraph splits it', async () => {
  const readme = await readFile(README, 'utf8');
  const section = readme.split(/^## Commands$/m)[1]!.split(/^## /m)[0]!;
  const blocks = section.split(/\n\s*\n/).filter((b) => b.trimStart().startsWith('|'));
  assert.equal(blocks.length, 1, 'the commands section holds exactly one table');
});
