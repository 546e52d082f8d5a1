/** `tpot communities version diff` in words. */
import type { CurationDiff } from '../db/community-store.js';

export function formatDiff(diff: CurationDiff): string {
  const lines = [`${diff.from} → ${diff.to}:`];
  for (const c of diff.communities.added) lines.push(`  + community ${c.short} (${c.name})`);
  for (const c of diff.communities.removed) lines.push(`  − community ${c.short} (${c.name})`);
  for (const c of diff.communities.changed)
    for (const change of c.changes)
      lines.push(`  ~ ${c.short}: ${change.field} ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`);
  for (const s of diff.seeds.added) lines.push(`  + seed ${s.accountId} in ${s.community.short}`);
  for (const s of diff.seeds.removed) lines.push(`  − seed ${s.accountId} from ${s.community.short}`);
  for (const s of diff.seeds.moved) lines.push(`  ~ seed ${s.accountId}: ${s.from.short} → ${s.to.short}`);
  if (lines.length === 1) lines.push('  no differences');
  return lines.join('\n');
}
