/**
 * A built graph's accounts counted by where their names come from, read off the graph buildGraph
 * built: what `graphNameCounts` (db/summary.ts) must give without building it. For the tests that
 * check the two agree.
 */
import { AccountNames } from '../db/account-names.js';
import type { Db } from '../db/database.js';
import type { GraphNameCounts } from '../db/summary.js';
import type { BuiltGraph } from '../graph/build.js';

export function namesOfBuiltGraph(db: Db, built: BuiltGraph): GraphNameCounts {
  const counts: GraphNameCounts = { nodes: built.nodes.length, archive: 0, rest: 0, mention: 0, shadow: 0, unnamed: 0 };
  const ownHandle = db.prepare('SELECT username FROM archive_profiles WHERE account_id = ?').pluck();
  const byId = built.nodes.filter((node) => node.provenance === 'mentioned' || node.provenance === 'id');
  const names = new AccountNames(db).lookup(byId.map((node) => node.accountId));
  for (const node of built.nodes) {
    if (node.username === null) counts.unnamed++;
    else if (node.provenance === 'archive') counts[ownHandle.get(node.accountId) ? 'archive' : 'rest']++;
    else if (node.provenance === 'shadow') counts.shadow++;
    else {
      const source = names.get(node.accountId)!.source;
      counts[source === 'mention' ? 'mention' : source === 'shadow' ? 'shadow' : 'rest']++;
    }
  }
  return counts;
}
