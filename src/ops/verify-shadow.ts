/**
 * `tpot verify shadow` (docs/OPERATIONS.md, "Health checks"): is the shadow graph cached, and is it
 * in the latest analysis? Numbered checks, each with the command that fixes a failure.
 */
import type { Check } from '../checks.js';
import type { Db } from '../db/database.js';
import { loadSnapshot } from '../graph/snapshot.js';

export function verifyShadow(db: Db, dataDir: string): Check[] {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const accounts = count('SELECT COUNT(*) FROM shadow_account');
  const edges = count('SELECT COUNT(*) FROM shadow_edge');
  const placeholders = count("SELECT COUNT(*) FROM shadow_account WHERE account_id LIKE 'shadow:%'");
  const dangling = count(
    `SELECT COUNT(*) FROM shadow_edge e WHERE NOT EXISTS (SELECT 1 FROM shadow_account a WHERE a.account_id = e.source_id)
        OR NOT EXISTS (SELECT 1 FROM shadow_account a WHERE a.account_id = e.target_id)`,
  );
  const lastWrite = db.prepare('SELECT MAX(fetched_at) FROM shadow_edge').pluck().get() as string | null;
  const checks: Check[] = [
    {
      name: 'Shadow accounts cached',
      ok: accounts > 0,
      detail:
        accounts > 0
          ? `${accounts} accounts (${placeholders} still keyed shadow:<handle>, merged once their id is read)`
          : 'none: npx tpot enrich --seeds <handles>',
    },
    {
      name: 'Shadow edges cached',
      ok: edges > 0,
      detail:
        edges > 0
          ? `${edges} edges, last written ${lastWrite} UTC`
          : 'none: npx tpot enrich reads the lists of its seeds',
    },
    {
      name: 'Every shadow edge has both accounts',
      ok: dangling === 0,
      detail:
        dangling === 0
          ? 'yes'
          : `${dangling} edges point at accounts missing from shadow_account (an interrupted manual edit?): npx tpot enrich --no-skip-if-ever-scraped on their seeds`,
    },
  ];
  let snapshot;
  try {
    snapshot = loadSnapshot(dataDir);
  } catch (error) {
    checks.push({ name: 'Shadow accounts in the latest analysis', ok: false, detail: (error as Error).message }); // it names the command that writes one
    return checks;
  }
  const { manifest, nodes, edges: edgeTable } = snapshot;
  const trues = (values: ArrayLike<unknown>) => Array.prototype.filter.call(values, Boolean).length;
  const shadowNodes = trues(nodes.getChild('shadow')?.toArray() ?? []);
  const shadowEdges = trues(edgeTable.getChild('shadow')?.toArray() ?? []);
  const included = manifest.parameters.include_shadow;
  checks.push(
    {
      name: 'Shadow accounts in the latest analysis',
      ok: accounts === 0 || (included && shadowNodes > 0),
      detail: !included
        ? `the snapshot of ${manifest.generated_at} UTC was written without them: npx tpot snapshot refresh (shadow is included by default)`
        : `${shadowNodes} of ${manifest.counts.nodes} nodes are known only from enrichment`,
    },
    {
      name: 'Shadow edges in the latest analysis',
      ok: edges === 0 || (included && shadowEdges > 0),
      detail: `${shadowEdges} of ${manifest.counts.edges} edges are known only from enrichment`,
    },
    {
      name: 'The analysis is newer than the last enrichment',
      ok: lastWrite === null || manifest.generated_at >= lastWrite,
      detail:
        lastWrite === null || manifest.generated_at >= lastWrite
          ? `snapshot ${manifest.generated_at} UTC`
          : `snapshot ${manifest.generated_at} UTC, shadow edges written until ${lastWrite} UTC: npx tpot snapshot refresh`,
    },
  );
  return checks;
}
