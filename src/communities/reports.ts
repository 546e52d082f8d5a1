/**
 * What `tpot communities list|show|members` print (docs/OPERATIONS.md, "Curating communities"):
 * the curation joined with the latest propagation run, as data (`--json`) and as text.
 */
import { AccountNames } from '../db/account-names.js';
import type { Db } from '../db/database.js';
import { CommunityStore } from '../db/community-store.js';
import { bandCounts, communityMembers, latestRun, membershipOf } from '../db/membership-store.js';
import { resolveSeedAccounts } from './curation.js';
import { BANDS, emptyBandCounts, type Band } from './types.js';

export interface CommunityListing {
  run: { runId: number; engine: string; startedAt: string } | null;
  communities: {
    id: number;
    short: string;
    name: string;
    color: string;
    description: string;
    seeds: number;
    /** Members per band in the latest run (null before the first run). */
    members: Record<Band, number> | null;
  }[];
}

export function listCommunities(db: Db): CommunityListing {
  const run = latestRun(db);
  const counts = new Map<number, Record<Band, number>>();
  if (run)
    for (const { communityId, band, count } of bandCounts(db, run.runId)) {
      if (communityId === null) continue; // accounts with no top community
      const entry = counts.get(communityId) ?? emptyBandCounts();
      entry[band] = count;
      counts.set(communityId, entry);
    }
  return {
    run: run && { runId: run.runId, engine: run.engine, startedAt: run.startedAt },
    communities: new CommunityStore(db).list().map((c) => ({
      id: c.id,
      short: c.short,
      name: c.name,
      color: c.color,
      description: c.description,
      seeds: c.seedCount,
      members: run ? (counts.get(c.id) ?? emptyBandCounts()) : null,
    })),
  };
}

export function formatListing(listing: CommunityListing): string {
  if (listing.communities.length === 0)
    return 'No communities yet. Add one with: tpot communities add SHORT "Name" (or import a file).';
  const head = listing.run
    ? `Members from run ${listing.run.runId} (${listing.run.engine}, ${listing.run.startedAt} UTC).`
    : 'No propagation run yet: tpot communities propagate.';
  const rows = listing.communities.map((c) => {
    const m = c.members;
    const bands = m
      ? `${m.exemplar} exemplar, ${m.specialist} specialist, ${m.bridge} bridge, ${m.frontier} frontier`
      : '';
    return `  ${c.short.padEnd(14)} ${c.color}  ${c.name.padEnd(28)} ${String(c.seeds).padStart(4)} seeds  ${bands}`;
  });
  return [head, ...rows].join('\n');
}

export interface AccountPlacement {
  accountId: string;
  username: string | null;
  seedOf: string | null;
  note: string | null;
  tags: string[];
  run: number | null;
  community: string | null;
  band: Band | null;
  confidence: number | null;
  uncertainty: number | null;
  none: number | null;
  seedDegree: number | null;
  memberships: { short: string; name: string; weight: number }[];
}

/** `tpot communities show ACCOUNT`. */
export function showAccount(db: Db, ref: string): AccountPlacement {
  const [accountId] = resolveSeedAccounts(db, [ref]);
  const id = accountId!;
  const store = new CommunityStore(db);
  const run = latestRun(db);
  const row = run ? membershipOf(db, run.runId, id) : null;
  const byId = new Map((run?.communities ?? []).map((c) => [String(c.id), c]));
  return {
    accountId: id,
    username: new AccountNames(db).handleOf(id),
    seedOf: store.seedOf(id)?.community.short ?? null,
    note: store.note(id)?.note ?? null,
    tags: store.tags(id),
    run: run?.runId ?? null,
    community:
      row && row.topCommunityId !== null && row.band !== 'unclassified'
        ? (byId.get(String(row.topCommunityId))?.short ?? null)
        : null,
    band: row?.band ?? null,
    confidence: row?.confidence ?? null,
    uncertainty: row?.uncertainty ?? null,
    none: row?.noneWeight ?? null,
    seedDegree: row?.seedDegree ?? null,
    memberships: row
      ? Object.entries(row.weights)
          .flatMap(([cid, weight]) => {
            const c = byId.get(cid);
            return c ? [{ short: c.short, name: c.name, weight }] : [];
          })
          .sort((a, b) => b.weight - a.weight)
      : [],
  };
}

export function formatAccount(p: AccountPlacement): string {
  const who = p.username ? `@${p.username} (${p.accountId})` : p.accountId;
  const lines = [who];
  if (p.seedOf) lines.push(`  seed of ${p.seedOf}`);
  if (p.run === null) lines.push('  no propagation run yet');
  else if (p.band === null) lines.push(`  not in run ${p.run} (not in the graph then)`);
  else {
    const sure = p.uncertainty === null ? '' : ` ± ${p.uncertainty.toFixed(3)}`;
    lines.push(
      `  ${p.band}${p.community ? ` of ${p.community}` : ''}, confidence ${p.confidence!.toFixed(3)}${sure}, ` +
        `none ${p.none!.toFixed(3)}, ${p.seedDegree} seed neighbours (run ${p.run})`,
    );
    for (const m of p.memberships)
      lines.push(`  ${m.short.padEnd(14)} ${'█'.repeat(Math.round(m.weight * 30)).padEnd(30)} ${m.weight.toFixed(3)}`);
  }
  if (p.tags.length) lines.push(`  tags: ${p.tags.join(', ')}`);
  if (p.note) lines.push(`  note: ${p.note}`);
  return lines.join('\n');
}

export interface MemberListing {
  community: { short: string; name: string };
  run: number | null;
  members: {
    accountId: string;
    username: string | null;
    band: Band;
    weight: number;
    confidence: number;
    uncertainty: number | null;
  }[];
}

/** `tpot communities members COMMUNITY`. */
export function listMembers(db: Db, ref: string, options: { band?: Band; limit: number }): MemberListing {
  const community = new CommunityStore(db).get(ref);
  const run = latestRun(db);
  const rows = run ? communityMembers(db, run.runId, community.id, { band: options.band, limit: options.limit }) : [];
  const names = new AccountNames(db).lookup(rows.map((r) => r.accountId));
  return {
    community: { short: community.short, name: community.name },
    run: run?.runId ?? null,
    members: rows.map((r) => ({
      accountId: r.accountId,
      username: names.get(r.accountId)?.username ?? null,
      band: r.band,
      weight: r.weights[String(community.id)] ?? 0,
      confidence: r.confidence,
      uncertainty: r.uncertainty,
    })),
  };
}

export function formatMembers(listing: MemberListing): string {
  if (listing.run === null) return 'No propagation run yet: tpot communities propagate.';
  const head = `${listing.community.name} (${listing.community.short}), run ${listing.run}:`;
  if (listing.members.length === 0) return `${head} no members.`;
  return [
    head,
    ...listing.members.map(
      (m) =>
        `  ${(m.username ? `@${m.username}` : m.accountId).padEnd(22)} ${m.band.padEnd(12)} ${m.weight.toFixed(3)}` +
        (m.uncertainty === null ? '' : ` ± ${m.uncertainty.toFixed(3)}`),
    ),
  ].join('\n');
}

export function parseBand(value: string): Band {
  const band = BANDS.find((b) => b === value);
  if (!band) throw new Error(`--band must be one of ${BANDS.join(', ')}`);
  return band;
}
