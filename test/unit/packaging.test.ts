// What ships and what it depends on, checked from the files: every runtime dependency is imported by src (a package
// nothing imports is dead weight in every install), no placeholder metadata, a real 128×128 PNG icon, and a
// .vscodeignore that lets neither docs nor tests into the VSIX. docs/dependencies.md says why each dependency is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
};

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Module specifiers a file imports (static `from '…'`, `import('…')`, `require('…')`). */
function importedModules(text: string): string[] {
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)];
  return specs.map((m) => m[1]!);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

test('every runtime dependency is imported by src (nothing ships unused)', async () => {
  const used = new Set<string>();
  for (const file of await sourceFiles(path.join(root, 'src'))) {
    for (const spec of importedModules(await readFile(file, 'utf8'))) used.add(packageOf(spec));
  }
  const unused = Object.keys(manifest.dependencies).filter((dep) => !used.has(dep));
  assert.deepEqual(unused, [], `runtime dependencies no file in src imports: ${unused.join(', ')}`);
});

test('docs/dependencies.md names every dependency and devDependency', async () => {
  const text = await readFile(path.join(root, 'docs/dependencies.md'), 'utf8');
  const all = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];
  const missing = all.filter((dep) => !text.includes(`\`${dep}\``));
  assert.deepEqual(missing, [], `dependencies without a recorded reason: ${missing.join(', ')}`);
});

test('package.json holds no placeholder address', async () => {
  const text = await readFile(path.join(root, 'package.json'), 'utf8');
  assert.doesNotMatch(text, /example\.(invalid|com|org|net)\b/);
});

test('the icon is a 128×128 PNG and the gallery banner has a colour and a theme', async () => {
  assert.ok(manifest.icon, 'package.json has an icon');
  const png = await readFile(path.join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR follows the 8-byte signature and the chunk's length and type: width and height, big-endian.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/);
  assert.ok(manifest.galleryBanner?.theme === 'dark' || manifest.galleryBanner?.theme === 'light');
});

test('.vscodeignore excludes everything but what it names, and names neither docs nor tests nor sources', async () => {
  const lines = (await readFile(path.join(root, '.vscodeignore'), 'utf8')).split('\n').map((l) => l.trim());
  assert.equal(lines[0], '**', 'the first rule excludes everything');
  const included = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  for (const pattern of included) {
    assert.doesNotMatch(pattern, /^(docs|test|src|out|node_modules|\.testbed)\b|^\*/, `${pattern} lets too much in`);
  }
  assert.ok(included.includes(manifest.icon!), 'the icon ships');
});
