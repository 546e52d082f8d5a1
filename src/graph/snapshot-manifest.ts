/**
 * The snapshot's manifest, `graph_snapshot.meta.json` (docs/DATA-MODEL.md, "Snapshot files"):
 * when the snapshot was written, with which parameters, from which source rows, and the SHA-256
 * of each file. Apart from the Arrow files, so that reading it (`tpot status`, the server's
 * freshness check) does not load Apache Arrow.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, TpotError } from '../errors.js';
import { fromWire, type AnalysisParams, type RankParams, type Wire } from './params.js';

export const SNAPSHOT_FILES = {
  nodes: 'graph_snapshot.nodes.arrow',
  edges: 'graph_snapshot.edges.arrow',
  analysis: 'analysis_output.json',
  interactions: 'graph_snapshot.interactions.arrow',
  manifest: 'graph_snapshot.meta.json',
} as const;

export const SNAPSHOT_VERSION = 1;

export interface FileEntry {
  file: string;
  bytes: number;
  sha256: string;
}

export interface SnapshotManifest {
  version: number;
  /** UTC `YYYY-MM-DD HH:MM:SS`. */
  generated_at: string;
  /** `interaction_pairs` when the graph was built with its interaction layer. */
  counts: { nodes: number; edges: number; communities: number; undirected_edges: number; interaction_pairs?: number };
  /** Of the Louvain partition. */
  modularity: number;
  parameters: SnapshotParameters;
  source_row_counts: Record<string, number>;
  /**
   * The propagation run whose placement the nodes file's named-community columns hold; null when
   * none was stored. Absent in snapshots written before named communities (their nodes file has
   * no such columns).
   */
  named_communities?: { run_id: number; engine: string; started_at: string } | null;
  /** `interactions` when the graph was built with its interaction layer. */
  files: { nodes: FileEntry; edges: FileEntry; analysis: FileEntry; interactions?: FileEntry };
}

/** What the snapshot was written with: the graph parameters in their wire form, and the seeds. */
export type SnapshotParameters = Omit<Wire<AnalysisParams & RankParams>, 'include_interactions'> & {
  /** Absent in snapshots written before the interaction layer, which were built without it. */
  include_interactions?: boolean;
  seeds: string[];
  resolved_seeds: string[];
  betweenness: { mode: string; sources: number };
  layout_iterations: number;
};

/** The parameters that decide which analysed graph the snapshot holds. */
export function snapshotAnalysis(manifest: SnapshotManifest): AnalysisParams {
  const { include_shadow, mutual_only, min_followers, resolution } = manifest.parameters;
  const include_interactions = manifest.parameters.include_interactions ?? false;
  return fromWire<AnalysisParams>({ include_shadow, mutual_only, include_interactions, min_followers, resolution });
}

/** A snapshot that is missing, damaged or of another version; the message says how to rebuild it. */
export class SnapshotError extends TpotError {
  constructor(message: string) {
    super('missing', `${message} Rebuild it with \`npx tpot snapshot refresh\`.`);
  }
}

export function readManifest(dir: string): SnapshotManifest {
  const path = join(dir, SNAPSHOT_FILES.manifest);
  if (!existsSync(path)) throw new SnapshotError(`No snapshot in ${dir} (${SNAPSHOT_FILES.manifest} is missing).`);
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as SnapshotManifest;
  } catch (error) {
    throw new SnapshotError(`${path} does not parse: ${errorMessage(error)}.`);
  }
  if (manifest.version !== SNAPSHOT_VERSION || !manifest.files?.nodes || !manifest.files?.edges) {
    throw new SnapshotError(`${path} is not a version ${SNAPSHOT_VERSION} snapshot manifest.`);
  }
  return manifest;
}
