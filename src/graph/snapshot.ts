/**
 * Graph snapshots (docs/DATA-MODEL.md, "Snapshot files"): the analysed graph as two Apache Arrow
 * IPC files — nodes with their metrics, community, named community and layout position; edges — readable by pandas,
 * polars and DuckDB, plus `analysis_output.json` and a manifest (`graph_snapshot.meta.json`) with
 * the parameters, the row counts of the source tables and the SHA-256 of every file. Each file is
 * written to a temporary name and renamed, the manifest last, so a crash never leaves a torn
 * snapshot that looks whole.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bool, Dictionary, Float64, Int32, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { NamedView } from '../communities/named-view.js';
import { BANDS } from '../communities/types.js';
import { analysisOutput, type BaseMetrics, type SeedMetrics } from './analysis.js';
import type { BuiltGraph, NodeInfo, Provenance } from './build.js';
import { graphFromEdges, hasEdge, type FollowGraph } from './graph.js';
import { kindBits, kindNames, layerFromPairs, pairColumns, type InteractionLayer } from './interactions.js';
import type { LayoutResult } from './layout.js';
import { toWire, type AnalysisParams, type RankParams } from './params.js';
import {
  readManifest,
  snapshotAnalysis,
  SnapshotError,
  SNAPSHOT_FILES,
  SNAPSHOT_VERSION,
  type FileEntry,
  type SnapshotManifest,
} from './snapshot-manifest.js';
import { errorMessage } from '../errors.js';

export interface SnapshotInput {
  built: BuiltGraph;
  base: BaseMetrics;
  seeded: SeedMetrics;
  layout: LayoutResult;
  parameters: Pick<AnalysisParams, 'resolution'> & RankParams;
  sourceRowCounts: Record<string, number>;
  generatedAt: string;
  /** The latest propagation run on these nodes; null (or left out) when none is stored. */
  named?: NamedView | null;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` under a temporary name and renames it into place. */
function writeAtomically(dir: string, file: string, bytes: Uint8Array | string): FileEntry {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const path = join(dir, file);
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
  return { file, bytes: data.length, sha256: sha256(data) };
}

/**
 * The named-community columns (docs/DATA-MODEL.md, "Snapshot files"): the top community's short
 * name (a dictionary column, a categorical in pandas), its weight and the band; null where the run
 * placed no community, all null when no run is stored. For readers of the files: the server reads
 * the database's latest run instead.
 */
function namedColumns(named: NamedView | null, n: number) {
  const shorts = new Array<string | null>(n).fill(null);
  const confidence = new Array<number | null>(n).fill(null);
  const bands = new Array<string | null>(n).fill(null);
  if (named) {
    for (let i = 0; i < n; i++) {
      const k = named.community[i]!;
      if (k >= 0) {
        shorts[i] = named.communities[k]!.short;
        confidence[i] = named.confidence[i]!;
      }
      bands[i] = BANDS[named.band[i]!]!;
    }
  }
  return {
    // A fixed dictionary id: Arrow numbers them from a global counter, and the files must not depend on it.
    named_community: vectorFromArray(shorts, new Dictionary(new Utf8(), new Int32(), 0)),
    community_confidence: vectorFromArray(confidence, new Float64()),
    community_band: vectorFromArray(bands, new Utf8()),
  };
}

export function nodesTable({ built, base, seeded, layout, named }: SnapshotInput): Table {
  const nodes = built.nodes;
  const text = (pick: (i: number) => string | null) =>
    vectorFromArray(
      nodes.map((_, i) => pick(i)),
      new Utf8(),
    );
  const int = (pick: (i: number) => number | null) =>
    vectorFromArray(
      nodes.map((_, i) => pick(i)),
      new Int32(),
    );
  return new Table({
    id: text((i) => nodes[i]!.accountId),
    username: text((i) => nodes[i]!.username),
    display_name: text((i) => nodes[i]!.displayName),
    provenance: text((i) => nodes[i]!.provenance),
    shadow: vectorFromArray(
      nodes.map((n) => n.provenance === 'shadow'),
      new Bool(),
    ),
    num_followers: int((i) => nodes[i]!.numFollowers),
    num_following: int((i) => nodes[i]!.numFollowing),
    num_tweets: int((i) => nodes[i]!.numTweets),
    num_likes: int((i) => nodes[i]!.numLikes),
    // Typed arrays keep their own Arrow type: Float64Array → Float64, Int32Array → Int32.
    pagerank: vectorFromArray(seeded.pagerank),
    betweenness: vectorFromArray(base.betweenness.scores),
    engagement: vectorFromArray(base.engagement),
    composite: vectorFromArray(seeded.composite),
    community: vectorFromArray(base.communities.membership),
    x: vectorFromArray(layout.x),
    y: vectorFromArray(layout.y),
    ...namedColumns(named ?? null, nodes.length),
  });
}

export function edgesTable({ built }: SnapshotInput): Table {
  const { graph } = built;
  const sourceIndex = new Int32Array(graph.edgeCount);
  const mutual = new Array<boolean>(graph.edgeCount);
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++) {
      sourceIndex[k] = u;
      mutual[k] = hasEdge(graph, graph.outTargets[k]!, u);
    }
  }
  return new Table({
    source: vectorFromArray(
      Array.from(sourceIndex, (u) => graph.ids[u]!),
      new Utf8(),
    ),
    target: vectorFromArray(
      Array.from(graph.outTargets, (v) => graph.ids[v]!),
      new Utf8(),
    ),
    source_index: vectorFromArray(sourceIndex),
    target_index: vectorFromArray(graph.outTargets),
    mutual: vectorFromArray(mutual, new Bool()),
    shadow: vectorFromArray(
      Array.from(built.edgeShadow, (flag) => flag === 1),
      new Bool(),
    ),
  });
}

/**
 * The interaction layer, one row per pair (the lower index first): the ids, their indexes, the weight and
 * the kinds seen between them, as "mention+reply".
 */
export function interactionsTable(ids: readonly string[], layer: InteractionLayer): Table {
  const { sources, targets, weights, kinds } = pairColumns(layer);
  return new Table({
    source: vectorFromArray(
      Array.from(sources, (u) => ids[u]!),
      new Utf8(),
    ),
    target: vectorFromArray(
      Array.from(targets, (v) => ids[v]!),
      new Utf8(),
    ),
    source_index: vectorFromArray(sources),
    target_index: vectorFromArray(targets),
    weight: vectorFromArray(weights),
    kinds: vectorFromArray(
      Array.from(kinds, (bits) => kindNames(bits).join('+')),
      new Utf8(),
    ),
  });
}

export function writeSnapshot(dir: string, input: SnapshotInput): SnapshotManifest {
  const { built, base, seeded, layout, parameters } = input;
  mkdirSync(dir, { recursive: true });
  const files = {
    nodes: writeAtomically(dir, SNAPSHOT_FILES.nodes, tableToIPC(nodesTable(input), 'file')),
    edges: writeAtomically(dir, SNAPSHOT_FILES.edges, tableToIPC(edgesTable(input), 'file')),
    analysis: writeAtomically(dir, SNAPSHOT_FILES.analysis, JSON.stringify(analysisOutput(built, base, seeded))),
    ...(built.interactions && {
      interactions: writeAtomically(
        dir,
        SNAPSHOT_FILES.interactions,
        tableToIPC(interactionsTable(built.graph.ids, built.interactions), 'file'),
      ),
    }),
  };
  const manifest: SnapshotManifest = {
    version: SNAPSHOT_VERSION,
    generated_at: input.generatedAt,
    counts: {
      nodes: built.graph.nodeCount,
      edges: built.graph.edgeCount,
      communities: base.communities.count,
      undirected_edges: base.undirectedEdges,
      ...(built.interactions && { interaction_pairs: built.interactions.pairCount }),
    },
    modularity: base.communities.modularity,
    parameters: {
      ...toWire({
        ...built.options,
        resolution: parameters.resolution,
        alpha: parameters.alpha,
        weights: parameters.weights,
      }),
      seeds: seeded.seeds.requested,
      resolved_seeds: seeded.seeds.resolved,
      betweenness: { mode: base.betweenness.mode, sources: base.betweenness.sources },
      layout_iterations: layout.iterations,
    },
    source_row_counts: input.sourceRowCounts,
    named_communities: input.named
      ? { run_id: input.named.runId, engine: input.named.engine, started_at: input.named.startedAt }
      : null,
    files,
  };
  writeAtomically(dir, SNAPSHOT_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  // An interaction file left by an earlier snapshot is not part of this one.
  if (!built.interactions) rmSync(join(dir, SNAPSHOT_FILES.interactions), { force: true });
  return manifest;
}

export interface LoadedSnapshot {
  manifest: SnapshotManifest;
  nodes: Table;
  edges: Table;
  /** Present when the graph was built with its interaction layer. */
  interactions: Table | null;
}

/** Loads the Arrow files, checking them against the manifest's checksums and counts. */
export function loadSnapshot(dir: string): LoadedSnapshot {
  const manifest = readManifest(dir);
  const read = (entry: FileEntry, rows: number): Table => {
    const path = join(dir, entry.file);
    if (!existsSync(path)) throw new SnapshotError(`${path} is missing.`);
    const bytes = readFileSync(path);
    if (sha256(bytes) !== entry.sha256)
      throw new SnapshotError(`${path} does not match the checksum in the manifest (damaged or truncated).`);
    let table: Table;
    try {
      table = tableFromIPC(bytes);
    } catch (error) {
      throw new SnapshotError(`${path} is not a readable Arrow file: ${errorMessage(error)}.`);
    }
    if (table.numRows !== rows)
      throw new SnapshotError(`${path} has ${table.numRows} rows, the manifest says ${rows}.`);
    return table;
  };
  return {
    manifest,
    nodes: read(manifest.files.nodes, manifest.counts.nodes),
    edges: read(manifest.files.edges, manifest.counts.edges),
    interactions: manifest.files.interactions
      ? read(manifest.files.interactions, manifest.counts.interaction_pairs ?? -1)
      : null,
  };
}

/** A snapshot read back into the engine's shapes: the graph, its seed-independent metrics and its layout. */
export interface SnapshotGraph {
  built: BuiltGraph;
  base: BaseMetrics;
  positions: { x: Float64Array; y: Float64Array };
}

/**
 * Rebuilds the graph from a loaded snapshot, so the server answers from it without touching the
 * database: the edge file's index columns give the CSR directly, and the node file's metric
 * columns are the seed-independent metrics the snapshot was written with.
 */
export function graphFromSnapshot({ manifest, nodes, edges, interactions }: LoadedSnapshot): SnapshotGraph {
  const column = (table: Table, name: string) => {
    const vector = table.getChild(name);
    if (!vector) throw new SnapshotError(`The snapshot has no "${name}" column (written by an older version).`);
    return vector;
  };
  const floats = (name: string) => Float64Array.from(column(nodes, name).toArray() as ArrayLike<number>);
  const ids = utf8Column(column(nodes, 'id')) as string[];
  const usernames = utf8Column(column(nodes, 'username'));
  const displayNames = utf8Column(column(nodes, 'display_name'));
  const provenances = utf8Column(column(nodes, 'provenance'));
  const counts = ['num_followers', 'num_following', 'num_tweets', 'num_likes'].map((name) =>
    nullableNumbers(column(nodes, name)),
  );
  const info: NodeInfo[] = ids.map((accountId, i) => ({
    accountId,
    username: usernames[i] ?? null,
    displayName: displayNames[i] ?? null,
    numFollowers: counts[0]![i] ?? null,
    numFollowing: counts[1]![i] ?? null,
    numTweets: counts[2]![i] ?? null,
    numLikes: counts[3]![i] ?? null,
    provenance: (provenances[i] ?? 'id') as Provenance,
  }));
  const graph = graphFromCsrOrder(
    ids,
    column(edges, 'source_index').toArray() as Int32Array,
    column(edges, 'target_index').toArray() as Int32Array,
  );
  if (graph.edgeCount !== manifest.counts.edges)
    throw new SnapshotError(
      `The edge file holds ${graph.edgeCount} distinct edges, the manifest says ${manifest.counts.edges}.`,
    );
  const { betweenness } = manifest.parameters;
  const { includeShadow, mutualOnly, includeInteractions, minFollowers } = snapshotAnalysis(manifest);
  if (includeInteractions && !interactions)
    throw new SnapshotError('The snapshot was built with interactions, but its manifest lists no interaction file.');
  return {
    built: {
      graph,
      nodes: info,
      edgeShadow: boolColumn(column(edges, 'shadow')),
      interactions: interactions && layerFromTable(interactions, graph.nodeCount, column),
      options: { includeShadow, mutualOnly, includeInteractions, minFollowers },
      dropped: { selfLoops: 0, interactionsOutside: 0 },
    },
    base: {
      betweenness: {
        scores: floats('betweenness'),
        mode: betweenness.mode as 'exact' | 'sampled',
        sources: betweenness.sources,
      },
      communities: {
        membership: Int32Array.from(column(nodes, 'community').toArray() as ArrayLike<number>),
        count: manifest.counts.communities,
        modularity: manifest.modularity,
      },
      engagement: floats('engagement'),
      undirectedEdges: manifest.counts.undirected_edges,
      seconds: { betweenness: 0, communities: 0 },
    },
    positions: { x: floats('x'), y: floats('y') },
  };
}

function layerFromTable(
  table: Table,
  nodeCount: number,
  column: (table: Table, name: string) => Column,
): InteractionLayer {
  const sources = column(table, 'source_index').toArray() as Int32Array;
  const targets = column(table, 'target_index').toArray() as Int32Array;
  for (let r = 0; r < sources.length; r++) {
    const u = sources[r]!;
    const v = targets[r]!;
    if (!(u >= 0 && v >= 0 && u < nodeCount && v < nodeCount && u !== v))
      throw new SnapshotError(`The interaction file's pair ${r} (${u}, ${v}) is not a pair of the graph's nodes.`);
  }
  const kinds = utf8Column(column(table, 'kinds')).map((names) => kindBits((names ?? '').split('+')));
  return layerFromPairs(nodeCount, sources, targets, column(table, 'weight').toArray() as Float64Array, kinds);
}

// Reading columns chunk by chunk, straight from Arrow's buffers: Vector.get() per value costs a
// chunk lookup and a UTF-8 decode each, which made loading a 95,000-node snapshot take ~0.4 s.

type Column = NonNullable<ReturnType<Table['getChild']>>;

function isValid(bitmap: Uint8Array | null | undefined, nullCount: number, at: number): boolean {
  return nullCount === 0 || !bitmap || bitmap.length === 0 || (bitmap[at >> 3]! & (1 << (at & 7))) !== 0;
}

/** A Utf8 column as strings (null where null): one decode per chunk when the text is ASCII. */
function utf8Column(vector: Column): (string | null)[] {
  const out: (string | null)[] = [];
  const decoder = new TextDecoder();
  for (const data of vector.data) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const start = offsets[data.offset]!;
    const end = offsets[data.offset + data.length]!;
    const text = decoder.decode(bytes.subarray(start, end));
    const ascii = text.length === end - start;
    for (let i = 0; i < data.length; i++) {
      const at = data.offset + i;
      if (!isValid(data.nullBitmap, data.nullCount, at)) out.push(null);
      else if (ascii) out.push(text.slice(offsets[at]! - start, offsets[at + 1]! - start));
      else out.push(decoder.decode(bytes.subarray(offsets[at], offsets[at + 1])));
    }
  }
  return out;
}

/** A numeric column with nulls as null (toArray() would give 0 for them). */
function nullableNumbers(vector: Column): (number | null)[] {
  const out: (number | null)[] = [];
  for (const data of vector.data) {
    const values = data.values as Int32Array;
    for (let i = 0; i < data.length; i++)
      out.push(isValid(data.nullBitmap, data.nullCount, data.offset + i) ? values[data.offset + i]! : null);
  }
  return out;
}

/** A Bool column as 0/1 bytes, unpacked from its bitmap. */
function boolColumn(vector: Column): Uint8Array {
  const out = new Uint8Array(vector.length);
  let k = 0;
  for (const data of vector.data) {
    const bits = data.values as Uint8Array;
    for (let i = 0; i < data.length; i++) {
      const at = data.offset + i;
      out[k++] = (bits[at >> 3]! >> (at & 7)) & 1;
    }
  }
  return out;
}

/**
 * The edge file is written in CSR order (sources ascending, each row's targets ascending and
 * distinct), so the out-adjacency is the file itself and the in-adjacency one counting pass; a
 * file in any other order goes through the general builder.
 */
function graphFromCsrOrder(ids: readonly string[], sources: Int32Array, targets: Int32Array): FollowGraph {
  const n = ids.length;
  const m = sources.length;
  for (let k = 0; k < m; k++) {
    const u = sources[k]!;
    const v = targets[k]!;
    const ordered = k === 0 || u > sources[k - 1]! || (u === sources[k - 1]! && v > targets[k - 1]!);
    if (!ordered || u < 0 || u >= n || v < 0 || v >= n || u === v) return graphFromEdges(ids, sources, targets);
  }
  const outOffsets = new Int32Array(n + 1);
  const inOffsets = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    outOffsets[sources[k]! + 1]!++;
    inOffsets[targets[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    outOffsets[i + 1]! += outOffsets[i]!;
    inOffsets[i + 1]! += inOffsets[i]!;
  }
  // Visiting edges by ascending source fills each in-row in ascending order.
  const cursor = inOffsets.slice(0, n);
  const inSources = new Int32Array(m);
  for (let k = 0; k < m; k++) inSources[cursor[targets[k]!]!++] = sources[k]!;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  if (index.size !== n) return graphFromEdges(ids, sources, targets); // graphFromEdges names the repeated id
  return {
    ids,
    index,
    nodeCount: n,
    edgeCount: m,
    outOffsets,
    outTargets: Int32Array.from(targets),
    inOffsets,
    inSources,
  };
}
