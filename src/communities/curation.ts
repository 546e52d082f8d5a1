/**
 * Curation as the commands use it (docs/OPERATIONS.md, "Curating communities"): accounts named by
 * handle or id resolved through the graph's id ↔ handle lookup, and the curation file read and
 * written. A handle that does not resolve is reported by name; nothing is written then, except on
 * import, where the communities are imported without the unknown handles and those are listed.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../atomic-file.js';
import { AccountNames, resolveAccounts } from '../db/account-names.js';
import type { Db } from '../db/database.js';
import { CommunityStore, type ImportResult } from '../db/community-store.js';
import { TpotError, UsageError } from '../errors.js';
import { parseCurationFile, serialiseCurationFile } from './curation-file.js';

/** The account ids of `refs` (handles or ids), or an error naming every one that is invalid or unknown. */
export function resolveSeedAccounts(db: Db, refs: readonly string[]): string[] {
  const { found, unknown, invalid } = resolveAccounts(db, [...refs]);
  if (invalid.length > 0)
    throw new UsageError(
      `Not a handle or an account id: ${invalid.map((r) => JSON.stringify(r)).join(', ')} ` +
        '(a handle is 1–15 letters, digits or underscores; an id is digits).',
    );
  if (unknown.length > 0)
    throw new TpotError('input', `Not in the graph: ${unknown.join(', ')}. Nothing was changed.`, {
      hint: 'A seed must be an account the cache knows (imported, synced, enriched or followed by one that is).',
    });
  return found.map((f) => f.accountId);
}

export interface ImportReport extends ImportResult {
  /** Seeds of the file that named no known account: not imported. */
  unknown: { community: string; ref: string }[];
}

/** `tpot communities import FILE`. */
export function importCurationFile(db: Db, path: string, actor = 'cli'): ImportReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TpotError('missing', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
      cause: error,
    });
  }
  const file = parseCurationFile(text, path);
  const unknown: ImportReport['unknown'] = [];
  const refs = file.communities.flatMap((c) => c.seeds);
  const { found, unknown: unknownRefs, invalid } = resolveAccounts(db, refs);
  const idOf = new Map(found.map((f) => [f.ref, f.accountId]));
  const missing = new Set([...unknownRefs, ...invalid]);
  const entries = file.communities.map((community) => ({
    short: community.short,
    name: community.name,
    color: community.color,
    description: community.description,
    seedIds: community.seeds.flatMap((ref) => {
      if (missing.has(ref)) {
        unknown.push({ community: community.short, ref });
        return [];
      }
      return [idOf.get(ref)!];
    }),
  }));
  const result = new CommunityStore(db, actor).replaceFromFile(entries, { actor });
  return { ...result, unknown };
}

/** `tpot communities export FILE`: seeds by handle where one is known, by id otherwise. Written atomically. */
export function exportCurationFile(db: Db, path: string): { communities: number; seeds: number } {
  const store = new CommunityStore(db);
  const state = store.currentState();
  const names = new AccountNames(db).lookup(state.seeds.map((s) => s.accountId));
  const text = serialiseCurationFile({
    communities: store.list().map((community) => ({
      short: community.short,
      name: community.name,
      color: community.color,
      description: community.description,
      seeds: state.seeds
        .filter((seed) => seed.communityId === community.id)
        .map((seed) => names.get(seed.accountId)?.username ?? seed.accountId),
    })),
  });
  writeFileAtomically(path, text);
  return { communities: state.communities.length, seeds: state.seeds.length };
}
