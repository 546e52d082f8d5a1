/**
 * `tpot verify shadow` (docs/OPERATIONS.md, "Health checks"): is the shadow graph cached, and is it
 * in the latest analysis? Numbered checks, each with the command that fixes a failure.
 */
import type { Check } from '../checks.js';
import type { Db } from '../db/database.js';
import { shadowGraphCounts } from '../db/shadow-report.js';
import { errorMessage } from '../errors.js';
import { loadSnapshot } from '../graph/snapshot.js';

export function verifyShadow(db: Db, dataDir: string): Check[] {
  const { accounts, edges, placeholders, dangling, lastWrite } = shadowGraphCounts(db);
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
          : `${dangling} edges point at accounts missing from shadow_account (an interrupted manual edit?): ` +
            'npx tpot enrich --no-skip-if-ever-scraped on their seeds',
    },
  ];
  let snapshot;
  try {
    snapshot = loadSnapshot(dataDir);
  } catch (error) {
    // it names the command that writes one
    checks.push({ name: 'Shadow accounts in the latest analysis', ok: false, detail: errorMessage(error) });
    return checks;
  }
  const { manifest, nodes, edges: edgeTable } = snapshot;
  // Arrow's toArray() is untyped: the shadow column is booleans (or 0/1).
  const trues = (values: unknown) => Array.prototype.filter.call((values as ArrayLike<unknown>) ?? [], Boolean).length;
  const shadowNodes = trues(nodes.getChild('shadow')?.toArray());
  const shadowEdges = trues(edgeTable.getChild('shadow')?.toArray());
  const included = manifest.parameters.include_shadow;
  checks.push(
    {
      name: 'Shadow accounts in the latest analysis',
      ok: accounts === 0 || (included && shadowNodes > 0),
      detail: !included
        ? `the snapshot of ${manifest.generated_at} UTC was written without them: ` +
          'npx tpot snapshot refresh (shadow is included by default)'
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
          : `snapshot ${manifest.generated_at} UTC, shadow edges written until ${lastWrite} UTC: ` +
            'npx tpot snapshot refresh',
    },
  );
  return checks;
}
