/**
 * The ego view's summary (docs/ARCHITECTURE.md, "Explorer"): for "my account", how many of the accounts it follows,
 * and of those that follow it, fall in each community of the map's colouring. Read from graph-data's follows, so it
 * needs no request and follows the filters.
 */
import type { GraphModel } from './graph-model';
import type { LegendEntry } from './named-map';

/** One community's share of my follows (or followers); `entry` null: accounts in no community. */
export interface EgoGroup {
  entry: LegendEntry | null;
  /** The Louvain community, when the map is not coloured by named communities. */
  louvain: number | null;
  count: number;
}

export interface EgoSummary {
  follows: EgoGroup[];
  followers: EgoGroup[];
  followsTotal: number;
  followersTotal: number;
}

/** Ties go in community order, accounts in no community last. */
function order(group: EgoGroup): number {
  const key = group.entry ? group.entry.index : (group.louvain ?? -1);
  return key < 0 ? Number.MAX_SAFE_INTEGER : key;
}

/** Groups `me`'s follows and followers in the graph by community, largest group first. */
export function egoSummary(model: GraphModel, me: number, legend: LegendEntry[] | null): EgoSummary {
  const { data } = model;
  const named = legend ? data.nodes.named_community : null;
  const groupOf = (i: number) => (named ? named[i]! : data.nodes.community[i]!);
  const follows = new Map<number, number>();
  const followers = new Map<number, number>();
  for (let j = model.incidentOffsets[me]!; j < model.incidentOffsets[me + 1]!; j++) {
    const k = model.incident[j]!;
    const source = data.edges.source[k]!;
    const target = data.edges.target[k]!;
    const [counts, other] = source === me ? [follows, target] : [followers, source];
    const group = groupOf(other);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  const groups = (counts: Map<number, number>): EgoGroup[] =>
    [...counts]
      .map(([group, count]) =>
        named
          ? { entry: group >= 0 ? (legend![group] ?? null) : null, louvain: null, count }
          : { entry: null, louvain: group, count },
      )
      .sort((a, b) => b.count - a.count || order(a) - order(b));
  const total = (counts: Map<number, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    follows: groups(follows),
    followers: groups(followers),
    followsTotal: total(follows),
    followersTotal: total(followers),
  };
}
