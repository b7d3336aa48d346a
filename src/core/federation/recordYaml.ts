// A federation record as YAML a person reviews and commits: keys sorted at every level, lists already in the
// record's stable order, a header saying what the file is. Reading one back checks its shape and says which field
// of which file is wrong. `sameIntent` compares two records without their timestamps (a new record is stored only
// when the federation changed).
import { parse, stringify } from 'yaml';
import { RECORD_API_VERSION, RECORD_KIND, type FederationRecord } from './knownGood.ts';

const HEADER = '# Liqo federation record (Liqo Federation Explorer): peerings, ResourceSlices, NamespaceOffloadings,\n# versions and connection facts. Holds no credential. Restore with "Liqo: Return to Last Known Working State…".\n';

export function recordToYaml(record: FederationRecord): string {
  return HEADER + stringify(sortKeys(record), { sortMapEntries: true, lineWidth: 0 });
}

/** The intent only (no timestamp), as bytes: equal strings mean equal federations. */
export function intentOf(record: FederationRecord): string {
  const { takenAt: _takenAt, ...rest } = record;
  return JSON.stringify(sortKeys(rest));
}

export function sameIntent(a: FederationRecord, b: FederationRecord): boolean {
  return intentOf(a) === intentOf(b);
}

export class RecordFormatError extends Error {
  constructor(source: string, what: string) {
    super(`${source} is not a federation record: ${what}. Pick a file written by "Liqo: Save Federation State…".`);
    this.name = 'RecordFormatError';
  }
}

/** Parses and checks a record; `source` names the file in errors. */
export function recordFromYaml(text: string, source: string): FederationRecord {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new RecordFormatError(source, `the YAML does not parse (${(err as Error).message.split('\n')[0]})`);
  }
  const r = doc as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') throw new RecordFormatError(source, 'it is empty or not a map');
  if (r.kind !== RECORD_KIND) throw new RecordFormatError(source, `kind is ${JSON.stringify(r.kind)}, expected ${RECORD_KIND}`);
  if (r.apiVersion !== RECORD_API_VERSION) throw new RecordFormatError(source, `apiVersion ${JSON.stringify(r.apiVersion)} is not ${RECORD_API_VERSION}`);
  if (typeof r.takenAt !== 'string') throw new RecordFormatError(source, 'takenAt is missing');
  for (const list of ['clusters', 'contexts', 'peerings', 'offloadings'] as const) {
    if (!Array.isArray(r[list])) throw new RecordFormatError(source, `${list} is missing or not a list`);
  }
  (r.clusters as unknown[]).forEach((c, i) => need(source, c, `clusters[${i}]`, ['clusterId']));
  (r.contexts as unknown[]).forEach((c, i) => need(source, c, `contexts[${i}]`, ['name', 'server']));
  (r.peerings as unknown[]).forEach((p, i) => {
    need(source, p, `peerings[${i}]`, []);
    const q = p as Record<string, unknown>;
    need(source, q.consumer, `peerings[${i}].consumer`, ['clusterId']);
    need(source, q.provider, `peerings[${i}].provider`, ['clusterId']);
    if (!Array.isArray(q.resourceSlices)) throw new RecordFormatError(source, `peerings[${i}].resourceSlices is not a list`);
    if (typeof q.modules !== 'object' || q.modules === null) throw new RecordFormatError(source, `peerings[${i}].modules is missing`);
  });
  (r.offloadings as unknown[]).forEach((o, i) => {
    need(source, o, `offloadings[${i}]`, ['clusterId', 'namespace', 'podOffloadingStrategy', 'namespaceMappingStrategy']);
    if (!Array.isArray((o as Record<string, unknown>).clusterSelector)) throw new RecordFormatError(source, `offloadings[${i}].clusterSelector is not a list`);
  });
  return r as unknown as FederationRecord;
}

function need(source: string, v: unknown, where: string, strings: readonly string[]): void {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new RecordFormatError(source, `${where} is not a map`);
  for (const k of strings) {
    if (typeof (v as Record<string, unknown>)[k] !== 'string') throw new RecordFormatError(source, `${where}.${k} is missing`);
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}
