/**
 * The left panel: view (Map, Focus with its size, or Hierarchy), seeds (presets, a custom list with
 * autocomplete, saved through /api/seeds), weight sliders that re-rank in the browser, filters,
 * downloads, "my account", the community legend and the counts. It reads the resolved view and changes it only
 * through the view reducer's actions (view-state.ts).
 */
import { type Dispatch, type ReactNode, useState } from 'react';
import { GRAPH_RANGES } from '../../../src/graph/params';
import { api, failureMessage, type SeedState } from '../api';
import type { ResolvedView, ViewAction, ViewMode, Weights } from '../view-state';
import { SearchBox } from './SearchBox';

export interface ControlsProps {
  mode: ViewMode;
  view: ResolvedView;
  seeds: string[];
  dispatch: Dispatch<ViewAction>;
  unknownSeeds: string[];
  seedState: SeedState | null;
  onSeedState: (state: SeedState) => void;
  counts: { nodes: number; edges: number; shownNodes: number; shownEdges: number; communities: number };
  edgesNote: string | null;
  /** The ego box and the legend, which App feeds from the map's model. */
  ego: ReactNode;
  legend: ReactNode;
}

const VIEW_NAMES: Record<ViewMode, string> = {
  map: 'Map (everyone)',
  focus: 'Focus (seeds + top N)',
  hierarchy: 'Hierarchy (communities)',
};

const WEIGHT_NAMES = ['PageRank', 'Betweenness', 'Engagement'] as const;

export function Controls(props: ControlsProps) {
  const { seedState, seeds, dispatch } = props;
  const { weights, filters, focusSize } = props.view;
  const onSeeds = (next: string[]) => dispatch({ type: 'seeds', seeds: next });
  const [listName, setListName] = useState('my_seeds');
  const [saveMessage, setSaveMessage] = useState<string | null>(null);
  const lists = seedState?.lists ?? {};

  const save = async () => {
    setSaveMessage(null);
    try {
      const { state } = await api.saveSeedList(
        listName,
        seeds.map((s) => s.replace(/^@/, '')),
      );
      props.onSeedState(state);
      setSaveMessage(`Saved as "${listName}".`);
    } catch (error) {
      setSaveMessage(`Not saved: ${failureMessage(error)}`);
    }
  };

  return (
    <nav className="panel controls" aria-label="Controls">
      <section>
        <h3>View</h3>
        <div role="radiogroup" aria-label="View" className="segmented">
          {(['map', 'focus', 'hierarchy'] as const).map((v) => (
            <label key={v}>
              <input
                type="radio"
                name="view"
                value={v}
                checked={props.mode === v}
                onChange={() => dispatch({ type: 'view', view: v })}
              />{' '}
              {VIEW_NAMES[v]}
            </label>
          ))}
        </div>
        {props.mode === 'focus' && (
          <label className="slider">
            Top N: {focusSize}
            <input
              type="range"
              min={GRAPH_RANGES.topN.min}
              max={GRAPH_RANGES.topN.max}
              step={10}
              value={focusSize}
              onChange={(event) => dispatch({ type: 'focusSize', focusSize: Number(event.target.value) })}
              aria-label="Focus size"
            />
          </label>
        )}
      </section>

      <section>
        <h3>Seeds</h3>
        <label>
          Preset or saved list{' '}
          <select
            aria-label="Seed list"
            value={Object.keys(lists).find((name) => sameSeeds(lists[name]!, seeds)) ?? ''}
            onChange={(event) => event.target.value && onSeeds(lists[event.target.value]!)}
          >
            <option value="">(custom)</option>
            {Object.keys(lists).map((name) => (
              <option key={name} value={name}>
                {name} {seedState?.preset_names.includes(name) ? '(preset)' : ''}
              </option>
            ))}
          </select>
        </label>
        <ul className="chips" aria-label="Current seeds">
          {seeds.map((seed) => (
            <li key={seed} className={props.unknownSeeds.includes(seed) ? 'chip unknown' : 'chip'}>
              @{seed.replace(/^@/, '')}
              <button
                type="button"
                aria-label={`Remove ${seed}`}
                onClick={() => onSeeds(seeds.filter((s) => s !== seed))}
              >
                ×
              </button>
            </li>
          ))}
          {seeds.length === 0 && <li className="hint">No seeds: plain PageRank.</li>}
        </ul>
        {props.unknownSeeds.length > 0 && <p className="hint">Not in the graph: {props.unknownSeeds.join(', ')}</p>}
        <SearchBox
          label="Add a seed"
          placeholder="Add a seed handle…"
          onPick={(result) =>
            result.username &&
            !seeds.includes(result.username.toLowerCase()) &&
            onSeeds([...seeds, result.username.toLowerCase()])
          }
        />
        <div className="save">
          <input
            aria-label="List name"
            value={listName}
            onChange={(event) => setListName(event.target.value)}
            pattern="[A-Za-z0-9_\-]{1,64}"
          />
          <button type="button" onClick={() => void save()} disabled={seeds.length === 0}>
            Save list
          </button>
        </div>
        {saveMessage && (
          <p className="hint" role="status">
            {saveMessage}
          </p>
        )}
      </section>

      <section>
        <h3>Weights</h3>
        {WEIGHT_NAMES.map((name, k) => (
          <label key={name} className="slider">
            {name}: {weights[k]!.toFixed(2)}
            <input
              type="range"
              min={GRAPH_RANGES.weight.min}
              max={GRAPH_RANGES.weight.max}
              step={0.05}
              value={weights[k]}
              aria-label={`${name} weight`}
              onChange={(event) => {
                const next: Weights = [...weights];
                next[k] = Number(event.target.value);
                dispatch({ type: 'weights', weights: next });
              }}
            />
          </label>
        ))}
      </section>

      <section>
        <h3>Filters</h3>
        <label>
          <input
            type="checkbox"
            checked={filters.include_shadow}
            onChange={(event) => dispatch({ type: 'filter', change: { include_shadow: event.target.checked } })}
          />{' '}
          Shadow accounts
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.mutual_only}
            onChange={(event) => dispatch({ type: 'filter', change: { mutual_only: event.target.checked } })}
          />{' '}
          Mutual follows only
        </label>
        <label title="Mentions, replies, quotes, retweets, likes between accounts; engagement = interaction strength">
          <input
            type="checkbox"
            checked={filters.include_interactions}
            onChange={(event) => dispatch({ type: 'filter', change: { include_interactions: event.target.checked } })}
          />{' '}
          Interactions
        </label>
        <label>
          Min followers in the graph{' '}
          <input
            type="number"
            min={GRAPH_RANGES.minFollowers.min}
            max={GRAPH_RANGES.minFollowers.max}
            value={filters.min_followers}
            onChange={(event) =>
              dispatch({
                type: 'filter',
                change: { min_followers: Math.max(0, Math.floor(Number(event.target.value) || 0)) },
              })
            }
            style={{ width: '5em' }}
          />
        </label>
      </section>

      <section>
        <h3>Download</h3>
        <a href={api.exportUrl('metrics.csv', seeds, filters)} download>
          Metrics (CSV)
        </a>{' '}
        ·{' '}
        <a href={api.exportUrl('graph.gexf', seeds, filters)} download>
          Graph (GEXF, for Gephi)
        </a>
      </section>

      {props.ego}
      {props.legend}
      <p className="counts-line" data-testid="counts">
        {props.counts.shownNodes.toLocaleString('en-US')} of {props.counts.nodes.toLocaleString('en-US')} accounts,{' '}
        {props.counts.shownEdges.toLocaleString('en-US')} of {props.counts.edges.toLocaleString('en-US')} follows shown
      </p>
      {props.edgesNote && <p className="hint">{props.edgesNote}</p>}
    </nav>
  );
}

function sameSeeds(a: string[], b: string[]): boolean {
  const norm = (list: string[]) =>
    list
      .map((s) => s.replace(/^@/, '').toLowerCase())
      .sort()
      .join(',');
  return norm(a) === norm(b);
}
