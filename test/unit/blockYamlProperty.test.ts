// Differential property run of the subset YAML reader (src/core/kubeconfig/blockYaml.ts) against js-yaml, over
// seeded generated and mutated kubeconfigs: whenever the reader returns a value it deep-equals js-yaml's
// `load(text, { schema: CORE_SCHEMA })`; it reads every generated file written in the common shapes (else it would
// be useless), and gives up on every one that uses a feature outside the subset (anchors, tags, block scalars, ...).
// BLOCK_YAML_PROPERTY_RUNS and BLOCK_YAML_PROPERTY_SEED set the run count and the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parseBlockYaml } from '../../src/core/kubeconfig/blockYaml.ts';
import { k3sDefault, kind, k0sAdmin, execCloud, handKept, manyContexts } from './kubeconfigShapes.ts';
import { mulberry32, pick, generate, mutate, type Rand } from './kubeconfigGenerator.ts';
import { exoticKubeconfig, richKubeconfig } from './kubeconfigRichGenerator.ts';

const RUNS = Number(process.env.BLOCK_YAML_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.BLOCK_YAML_PROPERTY_SEED ?? 20261130);

type Outcome = 'read' | 'gave-up';

/** The reader's outcome on `text`; when it read a value, that value must be js-yaml's. */
function differential(text: string, label: string): Outcome {
  const ours = parseBlockYaml(text);
  if (ours === undefined) return 'gave-up';
  let theirs: unknown;
  try {
    theirs = load(text, { schema: CORE_SCHEMA });
  } catch (err) {
    assert.fail(`${label}: the subset reader read a text js-yaml refuses (${(err as Error).message.split('\n')[0]})\n${text}`);
  }
  assert.deepStrictEqual(ours, theirs, `${label}: the subset reader and js-yaml disagree\n${text}`);
  return 'read';
}

const MUTATION_CHARS = [' ', ':', '#', '-', "'", '"', '\\', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '?', '%', '@', '`', '\n', '\t', '~', '0', '.', 'é', '\r', '\u2028', '---', '\n- ', ': '];

/** Character-level damage: insert, delete or replace one character, anywhere. */
function damage(r: Rand, text: string): string {
  const i = Math.floor(r() * (text.length + 1));
  const op = r();
  if (op < 0.45) return text.slice(0, i) + pick(r, MUTATION_CHARS) + text.slice(i);
  if (op < 0.7) return text.slice(0, i) + text.slice(i + 1);
  return text.slice(0, i) + pick(r, MUTATION_CHARS) + text.slice(i + 1);
}

test('the shapes cluster tools write are read, and equal js-yaml; anchors make the reader give up', () => {
  for (const [name, text] of Object.entries({ k3sDefault, kind, k0sAdmin, execCloud, many: manyContexts(300) })) {
    assert.equal(differential(text, name), 'read', `${name} was not read`);
  }
  assert.equal(parseBlockYaml(handKept), undefined, 'a file with anchors and aliases is left to js-yaml');
});

test('scalars resolve as js-yaml CORE_SCHEMA resolves them', () => {
  const forms = ['~', 'null', 'Null', 'NULL', 'nul', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'no', 'yes', 'on', '0', '-0', '+0', '012', '0o17', '0o18', '0x1F', '0X1F', '+0x1F', '-0x1', '0b101', '1_000', '1.', '1.5', '-1.5e3', '1e400', '-1e400', '.5', '+.5', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '-.nan', '99999999999999999999999', '1:20', '2026-11-30', '.', '+', 'e5', '0.', '1e', '--1'];
  for (const form of forms) {
    assert.equal(differential(`a: ${form}\n`, `scalar ${form}`), 'read', `"${form}" was not read`);
    differential(`b: [${form}, x]\nc: {k: ${form}}\n`, `flow scalar ${form}`);
    if (!form.includes(':')) differential(`${form}: key\n`, `key ${form}`);
  }
  for (const quoted of [`"\\u00e9\\x41\\t\\n\\"\\\\\\/\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ "`, `"\\U0001F600"`, `"\\ud800"`, `'it''s'`, `''`, `""`, `'#: not a comment'`]) {
    assert.equal(differential(`a: ${quoted}\n`, `quoted ${quoted}`), 'read', `${quoted} was not read`);
  }
});

test(`property: ${RUNS} generated and mutated kubeconfigs, the subset reader equals js-yaml whenever it reads`, () => {
  const r = mulberry32(SEED);
  const counts = { common: 0, commonRead: 0, exotic: 0, exoticGaveUp: 0, mutated: 0, mutatedRead: 0 };
  const exoticMissed: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const label = `run ${run} (seed ${SEED})`;
    // Half from the edit tests' generator (hand-kept layouts, odd names, anchors), half from the richer one (exec
    // plugins, escapes, numbers, comments, quoting, kubectl's and indented sequences).
    const fromEdits = r() < 0.5;
    const text = fromEdits ? generate(r) : richKubeconfig(r);
    // The edit tests' generator shares a CA by anchor and alias in some files: those must be left to js-yaml.
    const exotic = fromEdits && /[&*]ca\b/.test(text);
    const outcome = differential(text, `${label} generated`);
    if (exotic) {
      counts.exotic++;
      if (outcome === 'gave-up') counts.exoticGaveUp++;
    } else {
      counts.common++;
      if (outcome === 'read') counts.commonRead++;
      else assert.fail(`${label}: a common-shape kubeconfig was not read\n${text}`);
    }
    const special = exoticKubeconfig(r);
    counts.exotic++;
    if (differential(special.text, `${label} exotic ${special.feature}`) === 'gave-up') counts.exoticGaveUp++;
    else exoticMissed.push(special.feature);
    for (const mutated of [mutate(r, text), damage(r, text), damage(r, damage(r, special.text))]) {
      counts.mutated++;
      if (differential(mutated, `${label} mutated`) === 'read') counts.mutatedRead++;
    }
  }
  process.stdout.write(`# subset reader counts ${JSON.stringify(counts)}\n`);
  assert.deepEqual(exoticMissed, [], 'features outside the subset were read');
  assert.equal(counts.commonRead, counts.common);
  assert.equal(counts.exoticGaveUp, counts.exotic);
  // Damage often leaves a file readable (a space in a comment, a changed letter): the comparison must have run on many.
  assert.ok(counts.mutatedRead > counts.mutated / 10, `only ${counts.mutatedRead} of ${counts.mutated} mutated files were read`);
});
