/** The view in the URL: what is written reads back the same; bad values are dropped; saved settings fill the rest. */
import { describe, expect, it } from 'vitest';
import { WIRE_DEFAULTS, type WireGraphParams } from '../../src/graph/params';
import { DEFAULT_STATE, formatViewState, parseViewState, resolveView, viewReducer, type ViewState } from './view-state';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
      tab: 'communities',
      view: 'hierarchy',
      colouring: 'louvain',
      seeds: ['alice', '1700000000000000001'],
      weights: [0.5, 0.25, 0.25],
      filters: { include_shadow: false, mutual_only: true, include_interactions: true, min_followers: 3 },
      focusSize: 500,
      selected: '1700000000000000002',
      me: 'alice',
      community: 'jhana',
    };
    expect(parseViewState(formatViewState(state))).toEqual(state);
    expect(formatViewState(DEFAULT_STATE)).toBe('');
    expect(parseViewState('')).toEqual(DEFAULT_STATE);
  });

  it('ignores what it cannot trust', () => {
    const state = parseViewState(
      '?tab=admin&view=graph&colour=red&seeds=ok,<script>,also_ok&w=1,2&n=999999&minf=-4&sel=../etc&me=a/b&c=1x',
    );
    expect(state).toEqual({
      tab: 'map',
      view: 'map',
      colouring: null,
      me: null,
      community: null,
      seeds: ['ok', 'also_ok'],
      weights: null,
      focusSize: 2000,
      selected: null,
      filters: {},
    });
  });
});

describe('the view over the saved settings', () => {
  const saved: WireGraphParams = {
    ...WIRE_DEFAULTS,
    include_shadow: false,
    min_followers: 5,
    top_n: 300,
    weights: [1, 0, 0],
  };

  it('takes what the URL leaves open from the saved settings', () => {
    expect(resolveView(DEFAULT_STATE, saved)).toEqual({
      filters: { include_shadow: false, mutual_only: false, include_interactions: false, min_followers: 5 },
      focusSize: 300,
      weights: [1, 0, 0],
    });
    expect(resolveView(DEFAULT_STATE, null).filters.include_shadow).toBe(WIRE_DEFAULTS.include_shadow);
  });

  it('lets the URL win, field by field', () => {
    const state = parseViewState('?shadow=1&talk=1&n=40&w=0,1,0');
    expect(resolveView(state, saved)).toEqual({
      filters: { include_shadow: true, mutual_only: false, include_interactions: true, min_followers: 5 },
      focusSize: 40,
      weights: [0, 1, 0],
    });
  });

  it('writes only the filter that changed into the URL, and clears the selection', () => {
    const selected = viewReducer(DEFAULT_STATE, { type: 'select', selected: '42' });
    const next = viewReducer(selected, { type: 'filter', change: { mutual_only: true } });
    expect(next.selected).toBeNull();
    expect(formatViewState(next)).toBe('?mutual=1');
    expect(resolveView(next, saved).filters).toEqual({
      include_shadow: false,
      mutual_only: true,
      include_interactions: false,
      min_followers: 5,
    });
  });
});
