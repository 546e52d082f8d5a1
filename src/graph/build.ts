/**
 * Building the follow graph from the cache (docs/ARCHITECTURE.md, "Graph engine").
 *
 * Nodes are the archive accounts, shadow accounts with `includeShadow`, and every account a follow
 * edge reaches that is known only by its id — named through `mentioned_users` or the names imported
 * archives' mentions carry (`mention_names`) where it can be.
 * The original dropped every edge that did not join two archive accounts; here every follow is
 * kept. A `shadow:<handle>` id is merged into the account that has that handle, so no account
 * appears twice; self-loops and repeated edges are dropped. `mutualOnly` keeps pairs that follow
 * each other; `minFollowers` drops accounts followed by fewer accounts of the graph (the way to
 * leave out the long tail of accounts known only by id).
 */
import { AccountNames } from '../db/account-names.js';
import type { Db } from '../db/database.js';
import {
  readAccounts,
  readFollowEdges,
  readInteractions,
  readMentionedIds,
  type AccountRow,
} from '../db/graph-store.js';
import { graphFromEdges, hasEdge, inDegree, type FollowGraph } from './graph.js';
import { interactionLayer, type InteractionLayer } from './interactions.js';
import { graphParamFields } from './param-schemas.js';
import { GRAPH_DEFAULTS, type GraphFilters } from './params.js';

/**
 * archive: has an archive or a REST account row; shadow: read from X; mentioned: known by id, named by mentions of
 * any source (the REST mirror's mentioned_users, the archives' mention_names); id: known by id only and unnamed —
 * without `includeShadow` also an account that only the shadow graph names, since that filter leaves X's data out.
 */
export type Provenance = 'archive' | 'shadow' | 'mentioned' | 'id';

export interface NodeInfo extends Omit<AccountRow, 'shadow'> {
  provenance: Provenance;
}

export interface BuiltGraph {
  graph: FollowGraph;
  /** Per dense index. */
  nodes: NodeInfo[];
  options: GraphFilters;
  /**
   * Per edge, in the CSR order of `graph.outTargets`: 1 when the follow is known only from the shadow graph (read from
   * X).
   */
  edgeShadow: Uint8Array;
  /** Who talks with whom among the graph's nodes, with `includeInteractions`; else null. */
  interactions: InteractionLayer | null;
  /**
   * Self-follows read from the cache, which are not edges; stored interactions left out because an
   * account is not a node of this graph.
   */
  dropped: { selfLoops: number; interactionsOutside: number };
}

/** Key of an index pair in a Set: both indexes stay below 2^26, so the key stays below 2^52. */
const PAIR = 2 ** 26;

/** The graph for these filters; a filter not given takes its default (params.ts). */
export function buildGraph(db: Db, filters: Partial<GraphFilters> = {}): BuiltGraph {
  const resolved: GraphFilters = {
    includeShadow: filters.includeShadow ?? GRAPH_DEFAULTS.includeShadow,
    mutualOnly: filters.mutualOnly ?? GRAPH_DEFAULTS.mutualOnly,
    includeInteractions: filters.includeInteractions ?? GRAPH_DEFAULTS.includeInteractions,
    minFollowers: filters.minFollowers ?? GRAPH_DEFAULTS.minFollowers,
  };
  const checked = graphParamFields.minFollowers.safeParse(resolved.minFollowers);
  if (!checked.success)
    throw new RangeError(`minFollowers ${checked.error.issues[0]!.message}, got ${resolved.minFollowers}`);

  const nodes: NodeInfo[] = [];
  const index = new Map<string, number>();
  const byHandle = new Map<string, string>();
  const add = (node: NodeInfo): number => {
    index.set(node.accountId, nodes.length);
    nodes.push(node);
    return nodes.length - 1;
  };
  const accounts = readAccounts(db, resolved.includeShadow);
  // Real ids first, so that `shadow:<handle>` placeholders can be merged into them.
  for (const row of accounts.filter((a) => !isPlaceholder(a.accountId))) {
    const { shadow, ...fields } = row;
    add({ ...fields, provenance: shadow ? 'shadow' : 'archive' });
    if (row.username) byHandle.set(row.username.toLowerCase(), row.accountId);
  }
  const canonical = (id: string): string => (isPlaceholder(id) ? (byHandle.get(id.slice('shadow:'.length)) ?? id) : id);
  for (const row of accounts.filter((a) => isPlaceholder(a.accountId))) {
    if (index.has(canonical(row.accountId))) continue; // the same account under its real id
    const { shadow: _shadow, ...fields } = row;
    add({ ...fields, provenance: 'shadow' });
  }

  const mentioned = readMentionedIds(db);
  const sources: number[] = [];
  const targets: number[] = [];
  // Pairs that an archive or REST table holds; a pair found only in shadow_edge is a shadow edge.
  const nonShadowPairs = new Set<number>();
  const dropped = { selfLoops: 0, interactionsOutside: 0 };
  const nodeOf = (id: string): number =>
    index.get(id) ??
    add({
      accountId: id,
      username: null,
      displayName: null,
      numFollowers: null,
      numFollowing: null,
      numTweets: null,
      numLikes: null,
      provenance: mentioned.has(id) ? 'mentioned' : 'id',
    });
  for (const [rawSource, rawTarget, fromShadow] of readFollowEdges(db, resolved.includeShadow)) {
    const source = canonical(rawSource);
    const target = canonical(rawTarget);
    if (source === target) {
      dropped.selfLoops++;
      continue;
    }
    const u = nodeOf(source);
    const v = nodeOf(target);
    sources.push(u);
    targets.push(v);
    if (resolved.includeShadow && !fromShadow) nonShadowPairs.add(u * PAIR + v);
  }
  nameMentionedNodes(db, nodes);

  const full = graphFromEdges(
    nodes.map((n) => n.accountId),
    sources,
    targets,
  );
  let graphed: Graphed = { graph: full, edgeShadow: shadowFlags(full, resolved.includeShadow ? nonShadowPairs : null) };
  if (resolved.mutualOnly) graphed = keepMutualEdges(graphed);
  let kept = nodes;
  if (resolved.minFollowers > 0) ({ graphed, nodes: kept } = keepFollowedNodes(graphed, nodes, resolved.minFollowers));
  const { graph } = graphed;
  // Over the final nodes: the layer joins accounts the follows brought in, and never adds one.
  let interactions: InteractionLayer | null = null;
  if (resolved.includeInteractions) {
    const read = interactionLayer(graph.index, graph.nodeCount, readInteractions(db));
    interactions = read.layer;
    dropped.interactionsOutside = read.outside;
  }
  return { graph, edgeShadow: graphed.edgeShadow, interactions, nodes: kept, options: resolved, dropped };
}

/** A graph with its per-edge shadow flags, kept in step through the filters. */
interface Graphed {
  graph: FollowGraph;
  edgeShadow: Uint8Array;
}

function shadowFlags(graph: FollowGraph, nonShadowPairs: Set<number> | null): Uint8Array {
  const flags = new Uint8Array(graph.edgeCount);
  if (nonShadowPairs === null) return flags;
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++)
      flags[k] = nonShadowPairs.has(u * PAIR + graph.outTargets[k]!) ? 0 : 1;
  }
  return flags;
}

function isPlaceholder(id: string): boolean {
  return id.startsWith('shadow:');
}

/**
 * Accounts known only by id that a mention names get their handle and display name from the best-ranked name
 * source (db/account-names.ts), which for them is a mention unless it is a shadow account left out of this graph.
 */
function nameMentionedNodes(db: Db, nodes: NodeInfo[]): void {
  const unnamed = nodes.filter((node) => node.provenance === 'mentioned');
  const names = new AccountNames(db).lookup(unnamed.map((node) => node.accountId));
  for (const node of unnamed) {
    const name = names.get(node.accountId);
    if (name) {
      node.username = name.username;
      node.displayName = name.displayName;
    }
  }
}

/**
 * Only edges u → v whose reverse v → u exists. Edges are visited in CSR order and indexes do not
 * change, so the kept edges keep that order and their flags line up.
 */
function keepMutualEdges({ graph, edgeShadow }: Graphed): Graphed {
  const sources: number[] = [];
  const targets: number[] = [];
  const flags: number[] = [];
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++) {
      const v = graph.outTargets[k]!;
      if (hasEdge(graph, v, u)) {
        sources.push(u);
        targets.push(v);
        flags.push(edgeShadow[k]!);
      }
    }
  }
  return { graph: graphFromEdges(graph.ids, sources, targets), edgeShadow: Uint8Array.from(flags) };
}

/**
 * Drops accounts followed by fewer than `min` accounts of the graph (in-degree), with their edges.
 * Kept nodes are renumbered in their old order, so kept edges keep their CSR order and flags.
 */
function keepFollowedNodes(
  { graph, edgeShadow }: Graphed,
  nodes: NodeInfo[],
  min: number,
): { graphed: Graphed; nodes: NodeInfo[] } {
  const newIndex = new Int32Array(graph.nodeCount).fill(-1);
  const kept: NodeInfo[] = [];
  for (let u = 0; u < graph.nodeCount; u++) {
    if (inDegree(graph, u) >= min) {
      newIndex[u] = kept.length;
      kept.push(nodes[u]!);
    }
  }
  const sources: number[] = [];
  const targets: number[] = [];
  const flags: number[] = [];
  for (let u = 0; u < graph.nodeCount; u++) {
    if (newIndex[u] === -1) continue;
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++) {
      const v = graph.outTargets[k]!;
      if (newIndex[v] !== -1) {
        sources.push(newIndex[u]!);
        targets.push(newIndex[v]!);
        flags.push(edgeShadow[k]!);
      }
    }
  }
  return {
    graphed: {
      graph: graphFromEdges(
        kept.map((n) => n.accountId),
        sources,
        targets,
      ),
      edgeShadow: Uint8Array.from(flags),
    },
    nodes: kept,
  };
}
