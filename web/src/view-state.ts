/**
 * The view — seeds, weights, filters, view mode, focus size, selected account — kept in the URL's
 * query string, so a link reproduces it (SPEC §12). Parsing is forgiving: a bad value falls back
 * to its default rather than breaking the page.
 */
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
  filters: { include_shadow: true, mutual_only: false, min_followers: 0 },
  focusSize: 200,
  selected: null,
};

const HANDLE_OR_ID = /^(@?[A-Za-z0-9_]{1,15}|\d{1,20}|shadow:[A-Za-z0-9_]{1,15})$/;

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
            .filter((s) => HANDLE_OR_ID.test(s)),
    weights:
      weights && weights.length === 3 && weights.every((w) => Number.isFinite(w) && w >= 0 && w <= 1)
        ? [weights[0]!, weights[1]!, weights[2]!]
        : null,
    filters: {
      include_shadow: q.get('shadow') !== '0',
      mutual_only: q.get('mutual') === '1',
      min_followers: clampInt(q.get('minf'), 0, 1_000_000, 0),
    },
    focusSize: clampInt(q.get('n'), 10, 2000, DEFAULT_STATE.focusSize),
    selected: q.get('sel') && HANDLE_OR_ID.test(q.get('sel')!) ? q.get('sel') : null,
  };
}

export function formatViewState(state: ViewState): string {
  const q = new URLSearchParams();
  if (state.view !== 'map') q.set('view', state.view);
  if (state.seeds !== null) q.set('seeds', state.seeds.join(','));
  if (state.weights !== null) q.set('w', state.weights.map((w) => String(Math.round(w * 100) / 100)).join(','));
  if (!state.filters.include_shadow) q.set('shadow', '0');
  if (state.filters.mutual_only) q.set('mutual', '1');
  if (state.filters.min_followers > 0) q.set('minf', String(state.filters.min_followers));
  if (state.focusSize !== DEFAULT_STATE.focusSize) q.set('n', String(state.focusSize));
  if (state.selected) q.set('sel', state.selected);
  const text = q.toString();
  return text ? `?${text}` : '';
}
