/** Hand-made graph-data payloads for the explorer's unit tests (not bundled: only tests import this). */
import type { GraphData } from './api';

/** A graph-data payload of `n` nodes and the given follows (source → target). */
export function payload(n: number, edges: [number, number][]): GraphData {
  const column = <T>(value: (i: number) => T) => Array.from({ length: n }, (_, i) => value(i));
  return {
    version: 'test',
    source: 'live_build',
    snapshot_generated_at: null,
    directed_nodes: n,
    directed_edges: edges.length,
    undirected_edges: edges.length,
    communities: 1,
    provenances: ['archive', 'shadow', 'mentioned', 'id'],
    has_layout: false,
    named_communities: null,
    bands: ['exemplar', 'specialist', 'bridge', 'frontier', 'unclassified'],
    filters: { include_shadow: true, mutual_only: false, include_interactions: false, min_followers: 0, resolution: 1 },
    interaction_kinds: ['mention', 'reply', 'quote', 'retweet', 'like'],
    interactions: null,
    nodes: {
      id: column((i) => String(1000 + i)),
      username: column((i) => `user${i}`),
      display_name: column(() => null),
      num_followers: column(() => null),
      num_following: column(() => null),
      num_tweets: column(() => null),
      num_likes: column(() => null),
      provenance: column(() => 0),
      shadow: column(() => 0),
      community: column(() => 0),
      in_degree: column(() => 0),
      out_degree: column(() => 0),
      x: null,
      y: null,
      named_community: null,
      community_confidence: null,
      community_band: null,
    },
    edges: {
      source: edges.map((e) => e[0]),
      target: edges.map((e) => e[1]),
      mutual: edges.map(() => 0),
      shadow: edges.map(() => 0),
    },
  };
}

/** The payload with a stored propagation run: each node's top community (-1: none) and its confidence. */
export function withNamedRun(
  data: GraphData,
  communities: { id: number; short: string; name: string; color: string }[],
  top: number[],
  confidence: number[],
): GraphData {
  const members = (c: number) => ({
    exemplar: 0,
    specialist: top.filter((t) => t === c).length,
    bridge: 0,
    frontier: 0,
  });
  return {
    ...data,
    named_communities: {
      run_id: 1,
      engine: 'harmonic',
      started_at: '2026-01-01 00:00:00',
      communities: communities.map((c, index) => ({ ...c, members: members(index) })),
    },
    nodes: {
      ...data.nodes,
      named_community: top,
      community_confidence: confidence,
      community_band: top.map((t) => (t < 0 ? 4 : 1)),
    },
  };
}
