/** The named colouring: current names joined by id, colours faded by confidence, landmarks per community. */
import { describe, expect, it } from 'vitest';
import type { Communities } from './api';
import { payload, withNamedRun } from './graph-data.fixture';
import { communityColour } from './graph-model';
import {
  confidenceAlpha,
  landmarkNodes,
  namedLegend,
  nodeColours,
  UNPLACED_COLOUR,
  blend,
  SHADOW_ALPHA,
  UNPLACED_ALPHA,
} from './named-map';

const RUN_COMMUNITIES = [
  { id: 7, short: 'jhana', name: 'Jhana', color: '#4c9f70' },
  { id: 9, short: 'ea', name: 'EA', color: '#2e86ab' },
];

function current(communities: { id: number; short: string; name: string; color: string }[]): Communities {
  return {
    run: null,
    unclassified: 0,
    communities: communities.map((c) => ({
      ...c,
      description: '',
      created_at: '',
      updated_at: '',
      seed_count: 0,
      members: null,
    })),
  };
}

// Nodes 0–2 in jhana, 3 in ea, 4 in none; in-degrees make 1 and 2 jhana's most followed.
const data = (() => {
  const base = payload(5, [
    [0, 1],
    [3, 1],
    [4, 2],
    [0, 2],
    [1, 2],
  ]);
  base.nodes.in_degree = [0, 2, 3, 0, 0];
  base.nodes.community = [0, 0, 1, 1, 2];
  base.nodes.shadow = [0, 0, 0, 1, 0];
  return withNamedRun(base, RUN_COMMUNITIES, [0, 0, 0, 1, -1], [1, 0.5, 0.8, 0.9, 0]);
})();

describe('namedLegend', () => {
  it('takes the names and colours of now, by id, and marks communities deleted since the run', () => {
    const legend = namedLegend(data, current([{ id: 7, short: 'jh', name: 'Jhana Practitioners', color: '#000000' }]));
    expect(legend).toEqual([
      {
        index: 0,
        id: 7,
        short: 'jh',
        name: 'Jhana Practitioners',
        color: '#000000',
        members: { exemplar: 0, specialist: 3, bridge: 0, frontier: 0 },
        deleted: false,
      },
      {
        index: 1,
        id: 9,
        short: 'ea',
        name: 'EA',
        color: '#2e86ab',
        members: { exemplar: 0, specialist: 1, bridge: 0, frontier: 0 },
        deleted: true,
      },
    ]);
  });

  it('keeps the run names while the current list is not known, and is null without a run', () => {
    expect(namedLegend(data, null)!.map((e) => [e.name, e.deleted])).toEqual([
      ['Jhana', false],
      ['EA', false],
    ]);
    expect(namedLegend(payload(2, []), null)).toBeNull();
  });
});

describe('nodeColours', () => {
  it('colours by named community, fainter with less confidence and for shadow accounts; grey when unplaced', () => {
    const legend = namedLegend(data, current(RUN_COMMUNITIES))!;
    expect(nodeColours(data, 'named', legend, '#ffffff')).toEqual([
      '#4c9f70',
      blend('#4c9f70', 0.65, '#ffffff'),
      blend('#4c9f70', 0.86, '#ffffff'),
      blend('#2e86ab', 0.93 * 0.6, '#ffffff'),
      blend(UNPLACED_COLOUR, UNPLACED_ALPHA, '#ffffff'),
    ]);
    // Fading mixes towards the background: darker on a dark map, never lighter.
    expect(blend('#4c9f70', 0.5, '#000000')).toBe('#265038');
    expect(blend('#4c9f70', 0.5, '#ffffff')).toBe('#a6cfb8');
    expect(confidenceAlpha(0, false)).toBeCloseTo(0.3);
    expect(confidenceAlpha(2, false)).toBe(1);
  });

  it('colours by Louvain community when asked, or when no run is stored', () => {
    const louvain = [
      communityColour(0),
      communityColour(0),
      communityColour(1),
      blend(communityColour(1), SHADOW_ALPHA, '#0b1020'),
    ];
    expect(nodeColours(data, 'louvain', namedLegend(data, null), '#0b1020').slice(0, 4)).toEqual(louvain);
    expect(nodeColours(data, 'named', null, '#0b1020').slice(0, 4)).toEqual(louvain);
  });
});

describe('landmarkNodes', () => {
  it("labels each community's most followed accounts, and none of the unplaced", () => {
    const legend = namedLegend(data, null);
    expect(landmarkNodes(data, 'named', legend, 2)).toEqual([1, 2, 3]);
    expect(landmarkNodes(data, 'named', legend, 1)).toEqual([2, 3]);
    // By Louvain: 4 is a community of its own there.
    expect(landmarkNodes(data, 'louvain', legend, 1)).toEqual([1, 2, 4]);
  });
});
