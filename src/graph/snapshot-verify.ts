/**
 * `tpot snapshot verify` (docs/DATA-MODEL.md, "Snapshot files"): numbered checks of the snapshot on
 * disk — files present, manifest parses, checksums match, freshness (age, and whether the source
 * tables changed since), counts consistent with the database, the snapshot loads. Every failure
 * says how to mend it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '../checks.js';
import type { Db } from '../db/database.js';
import { sourceRowCounts } from '../db/graph-store.js';
import { ageDays } from '../time.js';
import { buildGraph } from './build.js';
import { loadSnapshot } from './snapshot.js';
import { readManifest, SNAPSHOT_FILES, snapshotAnalysis, type SnapshotManifest } from './snapshot-manifest.js';
import { errorMessage } from '../errors.js';

const REFRESH = 'run `npx tpot snapshot refresh`';

export function verifySnapshot(dir: string, db: Db | null, maxAgeDays: number, now = Date.now()): Check[] {
  const checks: Check[] = [];
  // The interaction file exists only for graphs built with interactions; the manifest's checksums cover it.
  const { interactions: _optional, ...required } = SNAPSHOT_FILES;
  const missing = Object.values(required).filter((file) => !existsSync(join(dir, file)));
  checks.push(
    missing.length === 0
      ? { name: 'Files present', ok: true, detail: `${Object.keys(required).length} files in ${dir}` }
      : { name: 'Files present', ok: false, detail: `missing ${missing.join(', ')} — ${REFRESH}` },
  );

  let manifest: SnapshotManifest | null = null;
  try {
    manifest = readManifest(dir);
    checks.push({
      name: 'Manifest parses',
      ok: true,
      detail: `generated ${manifest.generated_at} UTC, ${manifest.counts.nodes} nodes, ${manifest.counts.edges} edges`,
    });
  } catch (error) {
    checks.push({ name: 'Manifest parses', ok: false, detail: errorMessage(error) });
    return checks;
  }

  const damaged = Object.values(manifest.files).filter((entry) => {
    const path = join(dir, entry.file);
    return !existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== entry.sha256;
  });
  checks.push(
    damaged.length === 0
      ? { name: 'Checksums match', ok: true, detail: 'SHA-256 of every file as in the manifest' }
      : {
          name: 'Checksums match',
          ok: false,
          detail:
            `${damaged.map((e) => e.file).join(', ')} changed since it was written (damaged or truncated) ` +
            `— ${REFRESH}`,
        },
  );

  const age = ageDays(manifest.generated_at, now);
  if (db) {
    const current = sourceRowCounts(db);
    const changed = Object.entries(current).filter(([table, rows]) => manifest.source_row_counts[table] !== rows);
    const fresh = age < maxAgeDays && changed.length === 0;
    const what = changed
      .map(([table, rows]) => `${table} ${manifest.source_row_counts[table] ?? 0} → ${rows}`)
      .join(', ');
    checks.push({
      name: 'Freshness',
      ok: fresh,
      detail:
        `${age.toFixed(1)} days old${age >= maxAgeDays ? ` (older than ${maxAgeDays})` : ''}; ` +
        (changed.length === 0 ? 'source tables unchanged' : `source tables changed since: ${what}`) +
        (fresh ? '' : ` — ${REFRESH}`),
    });
    const { graph } = buildGraph(db, snapshotAnalysis(manifest));
    const consistent = graph.nodeCount === manifest.counts.nodes && graph.edgeCount === manifest.counts.edges;
    checks.push({
      name: 'Counts consistent with the database',
      ok: consistent,
      detail:
        `the database builds ${graph.nodeCount} nodes and ${graph.edgeCount} edges, ` +
        `the snapshot has ${manifest.counts.nodes} and ${manifest.counts.edges}` +
        (consistent ? '' : ` — ${REFRESH}`),
    });
  } else {
    checks.push({ name: 'Freshness', ok: null, detail: 'skipped: no database to compare with' });
    checks.push({ name: 'Counts consistent with the database', ok: null, detail: 'skipped: no database' });
  }

  try {
    const loaded = loadSnapshot(dir);
    checks.push({
      name: 'Snapshot loads',
      ok: true,
      detail: `${loaded.nodes.numRows} node rows, ${loaded.edges.numRows} edge rows`,
    });
  } catch (error) {
    checks.push({ name: 'Snapshot loads', ok: false, detail: errorMessage(error) });
  }
  return checks;
}
