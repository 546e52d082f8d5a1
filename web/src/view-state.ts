/**
 * The view — tab, seeds, weights, filters, view mode, colouring, focus size, selected account, "my account", the
 * open community — kept in the URL's
 * query string, so a link reproduces it. The URL holds only what the user chose: a field it does
 * not name follows the saved graph settings (docs/DATA-MODEL.md, "Graph settings"), which
 * `resolveView` fills in. Parsing is forgiving: a bad value is dropped rather than breaking the page.
 * Changes go through `viewReducer`, the one place that says what each change does to the rest.
 */
import { GRAPH_RANGES, SEED_REFERENCE, WIRE_DEFAULTS, type WireGraphParams } from '../../src/graph/params';
import { SHORT_NAME_PATTERN } from '../../src/communities/curation-limits';
import type { Filters } from './api';
import type { Colouring } from './named-map';

/** The explorer's two tabs: the map (with its views) and the curators' Communities view. */
export type Tab = 'map' | 'communities';
export type ViewMode = 'map' | 'focus' | 'hierarchy';
export type Weights = [number, number, number];

export interface ViewState {
  tab: Tab;
  view: ViewMode;
  /** null: by named community when a propagation run is stored, else by Louvain community. */
  colouring: Colouring | null;
  /** null: the server's active seed list. */
  seeds: string[] | null;
  /** null: the saved settings' weights. */
  weights: Weights | null;
  /** The filters the user set; the others follow the saved settings. */
  filters: Partial<Filters>;
  /** Accounts in the Focus view besides the seeds; null: the saved settings' top N. */
  focusSize: number | null;
  /** Account id of the selected account. */
  selected: string | null;
  /** "My account" (id or handle): highlighted with its neighbourhood on the map (the ego view). */
  me: string | null;
  /**
   * A community's short name: its page in the Communities tab, and the community opened into its accounts in the
   * hierarchy view.
   */
  community: string | null;
}

/** The view with every choice made: the URL's over the saved settings. */
export interface ResolvedView {
  filters: Filters;
  focusSize: number;
  weights: Weights;
}

export const DEFAULT_STATE: ViewState = {
  tab: 'map',
  view: 'map',
  colouring: null,
  seeds: null,
  weights: null,
  filters: {},
  focusSize: null,
  selected: null,
  me: null,
  community: null,
};

export function resolveView(state: ViewState, settings: WireGraphParams | null): ResolvedView {
  const saved = settings ?? WIRE_DEFAULTS;
  return {
    filters: {
      include_shadow: state.filters.include_shadow ?? saved.include_shadow,
      mutual_only: state.filters.mutual_only ?? saved.mutual_only,
      include_interactions: state.filters.include_interactions ?? saved.include_interactions,
      min_followers: state.filters.min_followers ?? saved.min_followers,
    },
    focusSize: state.focusSize ?? saved.top_n,
    weights: state.weights ?? [...saved.weights],
  };
}

export type ViewAction =
  | { type: 'tab'; tab: Tab }
  | { type: 'view'; view: ViewMode }
  | { type: 'colouring'; colouring: Colouring }
  | { type: 'me'; me: string | null }
  /** Opens a community (its page, or its accounts in the hierarchy view); null goes back to the list. */
  | { type: 'community'; community: string | null }
  | { type: 'focusSize'; focusSize: number }
  | { type: 'seeds'; seeds: string[] }
  | { type: 'weights'; weights: Weights }
  /** A filter changes the graph: the selection may not be in it, so it is cleared. */
  | { type: 'filter'; change: Partial<Filters> }
  | { type: 'select'; selected: string | null };

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'tab':
      return { ...state, tab: action.tab };
    case 'colouring':
      return { ...state, colouring: action.colouring };
    case 'me':
      return { ...state, me: action.me };
    case 'community':
      return { ...state, community: action.community };
    case 'view':
      return { ...state, view: action.view };
    case 'focusSize':
      return { ...state, focusSize: action.focusSize };
    case 'seeds':
      return { ...state, seeds: action.seeds };
    case 'weights':
      return { ...state, weights: action.weights };
    case 'filter':
      return { ...state, filters: { ...state.filters, ...action.change }, selected: null };
    case 'select':
      return { ...state, selected: action.selected };
  }
}

const { weight, minFollowers, topN } = GRAPH_RANGES;

function clampInt(text: string | null, min: number, max: number): number | undefined {
  return text !== null && /^\d+$/.test(text) ? Math.min(max, Math.max(min, Number(text))) : undefined;
}

function parseFilters(q: URLSearchParams): Partial<Filters> {
  const filters: Partial<Filters> = {};
  if (q.has('shadow')) filters.include_shadow = q.get('shadow') !== '0';
  if (q.has('mutual')) filters.mutual_only = q.get('mutual') === '1';
  if (q.has('talk')) filters.include_interactions = q.get('talk') === '1';
  const min = clampInt(q.get('minf'), minFollowers.min, minFollowers.max);
  if (min !== undefined) filters.min_followers = min;
  return filters;
}

export function parseViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const weights = q.get('w')?.split(',').map(Number);
  const seeds = q.get('seeds');
  const selected = q.get('sel');
  const me = q.get('me');
  const view = q.get('view');
  const colouring = q.get('colour');
  const community = q.get('c');
  return {
    tab: q.get('tab') === 'communities' ? 'communities' : 'map',
    view: view === 'focus' || view === 'hierarchy' ? view : 'map',
    colouring: colouring === 'named' || colouring === 'louvain' ? colouring : null,
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
    filters: parseFilters(q),
    focusSize: clampInt(q.get('n'), topN.min, topN.max) ?? null,
    selected: selected && SEED_REFERENCE.test(selected) ? selected : null,
    me: me && SEED_REFERENCE.test(me) ? me : null,
    community: community && SHORT_NAME_PATTERN.test(community) ? community : null,
  };
}

export function formatViewState(state: ViewState): string {
  const q = new URLSearchParams();
  const { filters } = state;
  if (state.tab !== 'map') q.set('tab', state.tab);
  if (state.view !== 'map') q.set('view', state.view);
  if (state.colouring !== null) q.set('colour', state.colouring);
  if (state.seeds !== null) q.set('seeds', state.seeds.join(','));
  if (state.weights !== null) q.set('w', state.weights.map((w) => String(Math.round(w * 100) / 100)).join(','));
  if (filters.include_shadow !== undefined) q.set('shadow', filters.include_shadow ? '1' : '0');
  if (filters.mutual_only !== undefined) q.set('mutual', filters.mutual_only ? '1' : '0');
  if (filters.include_interactions !== undefined) q.set('talk', filters.include_interactions ? '1' : '0');
  if (filters.min_followers !== undefined) q.set('minf', String(filters.min_followers));
  if (state.focusSize !== null) q.set('n', String(state.focusSize));
  if (state.selected) q.set('sel', state.selected);
  if (state.me) q.set('me', state.me);
  if (state.community) q.set('c', state.community);
  const text = q.toString();
  return text ? `?${text}` : '';
}
