import { describe, expect, it } from 'vitest';
import { placeAccount, type BandInput } from './bands.js';
import { BAND_DEFAULTS } from './defaults.js';

const place = (weights: number[], more: Partial<BandInput> = {}) =>
  placeAccount(
    { weights, communityCount: weights.length - 1, isSeed: false, enriched: true, seedDegree: 0, ...more },
    BAND_DEFAULTS,
  );

describe('bands', () => {
  it('makes every seed an exemplar, whatever its weights', () => {
    expect(place([0, 0, 1], { isSeed: true }).band).toBe('exemplar');
  });

  it('calls a clear, well-evidenced majority a specialist', () => {
    expect(place([0.7, 0.1, 0.2])).toMatchObject({ band: 'specialist', top: 0, confidence: 0.7 });
    expect(place([0.7, 0.1, 0.2]).margin).toBeCloseTo(0.6, 12);
  });

  it('needs evidence for a specialist: enriched, or enough seed neighbours', () => {
    expect(place([0.7, 0.1, 0.2], { enriched: false, seedDegree: 1 }).band).toBe('frontier');
    expect(place([0.7, 0.1, 0.2], { enriched: false, seedDegree: 2 }).band).toBe('specialist');
  });

  it('calls an account strong in two communities a bridge, not a specialist', () => {
    expect(place([0.45, 0.4, 0.15]).band).toBe('bridge');
    // 0.55 leads by only 0.2 (< the margin): a bridge
    expect(place([0.55, 0.35, 0.1]).band).toBe('bridge');
  });

  it('puts likely-but-unplaced accounts on the frontier, and "none" accounts nowhere', () => {
    expect(place([0.15, 0.15, 0.1, 0.6]).band).toBe('frontier'); // 1 − none = 0.4
    expect(place([0.1, 0.05, 0.85])).toMatchObject({ band: 'unclassified', top: 0 });
    expect(place([0, 0, 1])).toMatchObject({ band: 'unclassified', top: null, confidence: 0 });
  });
});
