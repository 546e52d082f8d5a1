/**
 * The map coloured by the curated communities (docs/ARCHITECTURE.md, "Explorer"). graph-data carries, per node,
 * the latest propagation run's top community, its weight (the confidence) and the band; /api/communities carries
 * the names and colours as they are now. They are joined by community id, so a rename or a recolour shows on the
 * map without the graph being fetched again. Louvain stays available as the second colouring.
 */
import type { Communities, GraphData } from './api';
import { communityColour } from './graph-model';

export type Colouring = 'named' | 'louvain';

/** One community of the run graph-data's named columns come from, under its current name and colour. */
export interface LegendEntry {
  /** Index into `data.named_communities.communities` (what `nodes.named_community` holds). */
  index: number;
  id: number;
  short: string;
  name: string;
  color: string;
  /** Accounts of this map whose top community it is, per band. */
  members: { exemplar: number; specialist: number; bridge: number; frontier: number };
  /** The community was deleted since the run: it keeps the run's name, marked. */
  deleted: boolean;
}

/** Grey for accounts in no community, drawn faint. */
export const UNPLACED_COLOUR = '#9ca3af';
export const UNPLACED_ALPHA = 0.35;
/** How strongly a shadow account is drawn in the Louvain colouring. */
export const SHADOW_ALPHA = 0.4;

/** The legend of the named colouring; null when no propagation run is stored (the map falls back to Louvain). */
export function namedLegend(data: GraphData, current: Communities | null): LegendEntry[] | null {
  const run = data.named_communities;
  if (!run || !data.nodes.named_community) return null;
  const now = new Map((current?.communities ?? []).map((c) => [c.id, c]));
  return run.communities.map((stored, index) => {
    const fresh = now.get(stored.id);
    return {
      index,
      id: stored.id,
      short: fresh?.short ?? stored.short,
      name: fresh?.name ?? stored.name,
      color: fresh?.color ?? stored.color,
      members: stored.members,
      // Without the current list we cannot tell; only an answer that lacks the id says it is gone.
      deleted: current !== null && !fresh,
    };
  });
}

/** Members of a legend entry in every band that places accounts. */
export const memberTotal = (entry: LegendEntry): number =>
  entry.members.exemplar + entry.members.specialist + entry.members.bridge + entry.members.frontier;

/**
 * `#rrggbb` drawn at `alpha` (0 to 1) over `background`, as an opaque colour. Sigma's WebGL blending takes colours
 * as premultiplied, so a translucent colour would lighten towards white on any background (on a dark map, faint
 * accounts would glow); mixing with the background here fades them the way the eye expects, in either theme.
 */
export function blend(hex: string, alpha: number, background: string): string {
  const a = Math.min(1, Math.max(0, alpha));
  let out = '#';
  for (const at of [1, 3, 5]) {
    const mixed = a * parseInt(hex.slice(at, at + 2), 16) + (1 - a) * parseInt(background.slice(at, at + 2), 16);
    out += Math.round(mixed).toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * How opaque an account is drawn: a confident member fully, a frontier account faintly, never invisible. Shadow
 * accounts (read from X, not uploaded) are drawn fainter still, as in the Louvain colouring.
 */
export function confidenceAlpha(confidence: number, shadow: boolean): number {
  const alpha = 0.3 + 0.7 * Math.min(1, Math.max(0, confidence));
  return shadow ? alpha * 0.6 : alpha;
}

/** Every node's colour under a colouring, in node index order, over the map's background colour. */
export function nodeColours(
  data: GraphData,
  colouring: Colouring,
  legend: LegendEntry[] | null,
  background: string,
): string[] {
  const n = data.directed_nodes;
  const colours = new Array<string>(n);
  const named = data.nodes.named_community;
  const confidence = data.nodes.community_confidence;
  if (colouring === 'named' && legend && named && confidence) {
    for (let i = 0; i < n; i++) {
      const entry = legend[named[i]!];
      colours[i] = entry
        ? blend(entry.color, confidenceAlpha(confidence[i]!, data.nodes.shadow[i] === 1), background)
        : blend(UNPLACED_COLOUR, UNPLACED_ALPHA, background);
    }
    return colours;
  }
  for (let i = 0; i < n; i++) {
    const colour = communityColour(data.nodes.community[i]!);
    colours[i] = data.nodes.shadow[i] ? blend(colour, SHADOW_ALPHA, background) : colour;
  }
  return colours;
}

/**
 * Accounts whose label is always drawn at the overview: the most followed `perCommunity` of each community of the
 * colouring, so every region of the map is named. Followers in the graph (in-degree), not the seeded ranking: the
 * labels stay put while the sliders move.
 */
export function landmarkNodes(data: GraphData, colouring: Colouring, legend: LegendEntry[] | null, perCommunity = 2) {
  const named = colouring === 'named' && legend ? data.nodes.named_community : null;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < data.directed_nodes; i++) {
    const group = named ? named[i]! : data.nodes.community[i]!;
    if (group < 0) continue;
    let best = groups.get(group);
    if (!best) groups.set(group, (best = []));
    best.push(i);
    best.sort((a, b) => data.nodes.in_degree[b]! - data.nodes.in_degree[a]! || a - b);
    if (best.length > perCommunity) best.pop();
  }
  return [...groups.values()].flat().sort((a, b) => a - b);
}
