/** The ego summary: my follows and followers grouped by community, from the map's own follows. */
import { describe, expect, it } from 'vitest';
import { egoSummary } from './ego';
import { payload, withNamedRun } from './graph-data.fixture';
import { buildModel } from './graph-model';
import { namedLegend } from './named-map';

// 0 is me: follows 1, 2 (jhana) and 3 (ea); followed by 2 (jhana) and 4 (in no community).
const base = payload(6, [
  [0, 1],
  [0, 2],
  [0, 3],
  [2, 0],
  [4, 0],
  [5, 1],
]);
base.nodes.community = [0, 1, 1, 2, 2, 0];
const data = withNamedRun(
  base,
  [
    { id: 1, short: 'jhana', name: 'Jhana', color: '#4c9f70' },
    { id: 2, short: 'ea', name: 'EA', color: '#2e86ab' },
  ],
  [0, 0, 0, 1, -1, 1],
  [1, 1, 1, 1, 0, 1],
);
const model = buildModel(data, null);

describe('egoSummary', () => {
  it('groups by named community, largest first, with the unplaced as a group of their own', () => {
    const summary = egoSummary(model, 0, namedLegend(data, null));
    expect(summary.followsTotal).toBe(3);
    expect(summary.followersTotal).toBe(2);
    expect(summary.follows.map((g) => [g.entry?.short ?? null, g.count])).toEqual([
      ['jhana', 2],
      ['ea', 1],
    ]);
    expect(summary.followers.map((g) => [g.entry?.short ?? null, g.count])).toEqual([
      ['jhana', 1],
      [null, 1],
    ]);
  });

  it('groups by Louvain community without a legend', () => {
    const summary = egoSummary(model, 0, null);
    expect(summary.follows.map((g) => [g.louvain, g.count])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(egoSummary(model, 5, null)).toEqual({
      follows: [{ entry: null, louvain: 1, count: 1 }],
      followers: [],
      followsTotal: 1,
      followersTotal: 0,
    });
  });
});
