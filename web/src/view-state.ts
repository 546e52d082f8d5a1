/**
 * The view — seeds, weights, filters, view mode, focus size, selected account — kept in the URL's
 * query string, so a link reproduces it. Parsing is forgiving: a bad value falls back
 * to its default rather than breaking the page.
 */
import { GRAPH_DEFAULTS, GRAPH_RANGES, SEED_REFERENCE } from '../../src/graph/params';
import type { Filters } from './api';

export type ViewMode = 'map' | 'focus';

export interface ViewState {
  view: ViewMode;
  /** null: the server's active seed list. */
  seeds: string[] | null;
  /** null: the saved settings' weights. */
  weights: [number, number, number] | null;
  filters: Filters;
  /** Accounts in the Focus view besides the seeds (10–2,000). */
  focusSize: number;
  /** Account id of the selected account. */
  selected: string | null;
}

export const DEFAULT_STATE: ViewState = {
  view: 'map',
  seeds: null,
  weights: null,
  filters: {
    include_shadow: GRAPH_DEFAULTS.includeShadow,
    mutual_only: GRAPH_DEFAULTS.mutualOnly,
    min_followers: GRAPH_DEFAULTS.minFollowers,
  },
  focusSize: GRAPH_DEFAULTS.topN,
  selected: null,
};

const { weight, minFollowers, topN } = GRAPH_RANGES;

function clampInt(text: string | null, min: number, max: number, fallback: number): number {
  const value = Number(text);
  return text !== null && /^\d+$/.test(text) ? Math.min(max, Math.max(min, value)) : fallback;
}

export function parseViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const weights = q.get('w')?.split(',').map(Number);
  const seeds = q.get('seeds');
  return {
    view: q.get('view') === 'focus' ? 'focus' : 'map',
    seeds:
      seeds === null
        ? null
        : seeds
            .split(',')
            .map((s) => s.trim())
            .filter((s) => SEED_REFERENCE.test(s)),
    weights:
      weights &&
      weights.length === 3 &&
      weights.every((w) => Number.isFinite(w) && w >= weight.min && w <= weight.max) &&
      weights.some((w) => w > 0)
        ? [weights[0]!, weights[1]!, weights[2]!]
        : null,
    filters: {
      include_shadow: q.has('shadow') ? q.get('shadow') !== '0' : DEFAULT_STATE.filters.include_shadow,
      mutual_only: q.has('mutual') ? q.get('mutual') === '1' : DEFAULT_STATE.filters.mutual_only,
      min_followers: clampInt(q.get('minf'), minFollowers.min, minFollowers.max, DEFAULT_STATE.filters.min_followers),
    },
    focusSize: clampInt(q.get('n'), topN.min, topN.max, DEFAULT_STATE.focusSize),
    selected: q.get('sel') && SEED_REFERENCE.test(q.get('sel')!) ? q.get('sel') : null,
  };
}

export function formatViewState(state: ViewState): string {
  const q = new URLSearchParams();
  if (state.view !== 'map') q.set('view', state.view);
  if (state.seeds !== null) q.set('seeds', state.seeds.join(','));
  if (state.weights !== null) q.set('w', state.weights.map((w) => String(Math.round(w * 100) / 100)).join(','));
  if (state.filters.include_shadow !== DEFAULT_STATE.filters.include_shadow)
    q.set('shadow', state.filters.include_shadow ? '1' : '0');
  if (state.filters.mutual_only !== DEFAULT_STATE.filters.mutual_only)
    q.set('mutual', state.filters.mutual_only ? '1' : '0');
  if (state.filters.min_followers !== DEFAULT_STATE.filters.min_followers)
    q.set('minf', String(state.filters.min_followers));
  if (state.focusSize !== DEFAULT_STATE.focusSize) q.set('n', String(state.focusSize));
  if (state.selected) q.set('sel', state.selected);
  const text = q.toString();
  return text ? `?${text}` : '';
}
