/** The interaction layer's weights: the documented formula, by hand, on rows with known counts and times. */
import { describe, expect, it } from 'vitest';
import type { InteractionRow } from '../db/graph-store.js';
import { INTERACTION_DEFAULTS } from './defaults.js';
import {
  forEachPair,
  interactionLayer,
  interactionStrength,
  interactionWeight,
  kindBits,
  kindNames,
  layerFromPairs,
  pairColumns,
} from './interactions.js';

const index = new Map([
  ['100', 0],
  ['200', 1],
  ['300', 2],
  ['400', 3],
]);
const { kindWeights, halfLifeDays } = INTERACTION_DEFAULTS;

describe('the interaction layer', () => {
  const rows: InteractionRow[] = [
    // 0 ↔ 1 in both directions: replies today, mentions one half-life ago.
    ['100', '200', 'reply', 3, '2026-06-01 12:00:00'],
    ['200', '100', 'mention', 7, '2025-06-01 12:00:00'],
    // 0 → 2: likes carry no time and are not decayed.
    ['100', '300', 'like', 20, null],
    // Left out: an account that is not a node, a self-pair, an unknown kind.
    ['100', '999', 'mention', 5, '2026-06-01 12:00:00'],
    ['300', '300', 'reply', 1, '2026-06-01 12:00:00'],
    ['300', '400', 'poke', 1, '2026-06-01 12:00:00'],
  ];
  const { layer, outside } = interactionLayer(index, 4, rows);

  it('sums each pair over kinds and directions, log-damped and halved per half-life', () => {
    const decay = 0.5 ** ((Date.UTC(2026, 5, 1) - Date.UTC(2025, 5, 1)) / 86_400_000 / halfLifeDays);
    const both = kindWeights.reply * Math.log1p(3) + kindWeights.mention * Math.log1p(7) * decay;
    expect(interactionWeight(layer, 0, 1)).toBeCloseTo(both, 12);
    expect(interactionWeight(layer, 1, 0)).toBeCloseTo(both, 12);
    expect(interactionWeight(layer, 0, 2)).toBeCloseTo(kindWeights.like * Math.log1p(20), 12);
    expect(interactionWeight(layer, 1, 2)).toBe(0);
    expect(interactionWeight(layer, 2, 3)).toBe(0);
  });

  it('records the kinds of each pair and leaves out what is not a pair of the graph', () => {
    const pairs: [number, number, string[]][] = [];
    forEachPair(layer, (u, v, _weight, bits) => pairs.push([u, v, kindNames(bits)]));
    expect(pairs).toEqual([
      [0, 1, ['mention', 'reply']],
      [0, 2, ['like']],
    ]);
    expect(layer.pairCount).toBe(2);
    expect(outside).toBe(3);
  });

  it('gives each account its strength: the sum of its pairs', () => {
    const strength = interactionStrength(layer);
    expect(strength[0]).toBeCloseTo(interactionWeight(layer, 0, 1) + interactionWeight(layer, 0, 2), 12);
    expect(strength[3]).toBe(0);
  });

  it('reads an unparseable time as undecayed rather than failing', () => {
    const { layer: odd } = interactionLayer(index, 4, [
      ['100', '200', 'quote', 1, 'not a time'],
      ['100', '300', 'quote', 1, '2026-01-01 00:00:00'],
    ]);
    expect(interactionWeight(odd, 0, 1)).toBeCloseTo(kindWeights.quote * Math.log(2), 12);
  });

  it('is rebuilt the same from its own pair columns (the snapshot form)', () => {
    const { sources, targets, weights, kinds } = pairColumns(layer);
    expect(Array.from(kinds, kindNames)).toEqual([['mention', 'reply'], ['like']]);
    expect(kindBits(['mention', 'reply', 'poke'])).toBe(kinds[0]);
    const again = layerFromPairs(4, sources, targets, weights, kinds);
    expect(again).toEqual(layer);
  });
});
