/** The view in the URL: what is written reads back the same; bad values fall back to defaults. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatViewState, parseViewState, type ViewState } from './view-state';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
      view: 'focus',
      seeds: ['alice', '1700000000000000001'],
      weights: [0.5, 0.25, 0.25],
      filters: { include_shadow: false, mutual_only: true, min_followers: 3 },
      focusSize: 500,
      selected: '1700000000000000002',
    };
    expect(parseViewState(formatViewState(state))).toEqual(state);
    expect(formatViewState(DEFAULT_STATE)).toBe('');
    expect(parseViewState('')).toEqual(DEFAULT_STATE);
  });

  it('ignores what it cannot trust', () => {
    const state = parseViewState('?view=graph&seeds=ok,<script>,also_ok&w=1,2&n=999999&minf=-4&sel=../etc');
    expect(state).toMatchObject({
      view: 'map',
      seeds: ['ok', 'also_ok'],
      weights: null,
      focusSize: 2000,
      selected: null,
      filters: { min_followers: 0 },
    });
  });
});
