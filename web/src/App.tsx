/**
 * The explorer (docs/ARCHITECTURE.md, "Explorer"). Data flow: /health and /api/seeds once (then
 * /health every 5 s for the banner); /api/graph-data per filter set; /api/metrics/base per seed set
 * — the server runs PageRank — and the composite per weight change in the browser (ranking.ts),
 * with no request. The view lives in the URL (view-state.ts).
 */
import type Graph from 'graphology';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { GRAPH_DEFAULTS } from '../../src/graph/params';
import { api, ApiDownError, type BaseMetrics, type GraphData, type Health, type SeedState } from './api';
import { AccountPanel } from './components/AccountPanel';
import { Banners } from './components/Banners';
import { Controls } from './components/Controls';
import { MapView } from './components/MapView';
import { SearchBox } from './components/SearchBox';
import { TopTable } from './components/TopTable';
import { focusSet } from './focus';
import { focusGraph, settle } from './focus-graph';
import { buildModel, findNode, MAP_EDGE_LIMIT, selectionEdges } from './graph-model';
import { nodeSizes, rank, topIndexes } from './ranking';
import { formatViewState, parseViewState, type ViewState } from './view-state';

const TOP_ROWS = 50;
/** How often the API is checked, for the banner. */
const HEALTH_POLL_MS = 5_000;

export function App() {
  const [state, setState] = useState<ViewState>(() => parseViewState(window.location.search));
  const update = useCallback((change: Partial<ViewState>) => setState((s) => ({ ...s, ...change })), []);
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${formatViewState(state)}`);
  }, [state]);

  const [health, setHealth] = useState<Health | null>(null);
  const [apiDown, setApiDown] = useState(false);
  const [seedState, setSeedState] = useState<SeedState | null>(null);
  const [data, setData] = useState<GraphData | null>(null);
  const [base, setBase] = useState<BaseMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [flyRequest, setFlyRequest] = useState(0);
  const [reload, setReload] = useState(0);

  const fail = useCallback((failure: unknown) => {
    if (failure instanceof ApiDownError) setApiDown(true);
    else setError((failure as Error).message);
  }, []);

  useEffect(() => {
    const check = () =>
      api.health().then(
        (found) => {
          setHealth(found);
          setApiDown((wasDown) => {
            if (wasDown) setReload((r) => r + 1);
            return false;
          });
        },
        () => setApiDown(true),
      );
    void check();
    const timer = setInterval(check, HEALTH_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    api.seeds().then(setSeedState, fail);
  }, [fail, reload]);

  const seeds = useMemo(
    () => state.seeds ?? (seedState?.active_list ? (seedState.lists[seedState.active_list] ?? []) : []),
    [state.seeds, seedState],
  );
  const weights = state.weights ?? seedState?.settings.weights ?? GRAPH_DEFAULTS.weights;
  const { filters } = state;

  useEffect(() => {
    setData(null);
    api.graphData(filters).then(setData, fail);
  }, [filters, fail, reload]);

  useEffect(() => {
    if (!data || !seedState) return;
    api.baseMetrics(seeds, filters).then((found) => {
      // The graph changed on the server since it was fetched (an import): fetch it again.
      if (found.graph_version !== data.version) setReload((r) => r + 1);
      else setBase(found);
    }, fail);
  }, [data, seeds, seedState, filters, fail]);

  const ranking = useMemo(
    () => (base && data && base.node_count === data.directed_nodes ? rank(base, weights) : null),
    [base, data, weights],
  );
  const model = useMemo(() => (data ? buildModel(data, null) : null), [data]);

  useEffect(() => {
    if (!model || !ranking) return;
    const sizes = nodeSizes(ranking.composite);
    model.graph.updateEachNodeAttributes((node, attributes) => ({ ...attributes, size: sizes[Number(node)]! }), {
      attributes: ['size'],
    });
  }, [model, ranking]);

  const seedIndexes = useMemo(
    () => (model ? seeds.map((s) => findNode(model, s)).filter((i): i is number => i !== undefined) : []),
    [model, seeds],
  );
  const top = useMemo(() => (ranking ? topIndexes(ranking.composite, TOP_ROWS) : []), [ranking]);

  const [focus, setFocus] = useState<Graph | null>(null);
  useEffect(() => {
    if (state.view !== 'focus' || !model || !ranking) {
      setFocus(null);
      return;
    }
    const graph = focusGraph(model, focusSet(model, ranking.composite, seedIndexes, state.focusSize));
    setFocus(graph);
    return settle(graph);
  }, [state.view, state.focusSize, model, ranking, seedIndexes]);

  const shown = state.view === 'focus' ? focus : (model?.graph ?? null);
  const selectedIndex = model && state.selected ? findNode(model, state.selected) : undefined;
  // Counts read the drawn graph's size: re-render when the selection's follows come and go.
  const [, setDrawnEdges] = useState(0);
  useEffect(() => {
    if (!model || selectedIndex === undefined) return;
    const remove = selectionEdges(model, selectedIndex);
    setDrawnEdges(model.graph.size);
    return () => {
      remove();
      setDrawnEdges(model.graph.size);
    };
  }, [model, selectedIndex]);
  const selectedKey =
    selectedIndex !== undefined && shown?.hasNode(String(selectedIndex)) ? String(selectedIndex) : null;
  const compositeRank = useMemo(() => {
    if (!ranking || selectedIndex === undefined) return null;
    let above = 0;
    const own = ranking.composite[selectedIndex]!;
    for (const value of ranking.composite) if (value > own) above++;
    return above + 1;
  }, [ranking, selectedIndex]);

  const select = useCallback(
    (i: number | null, fly = false) => {
      update({ selected: i === null || !model ? null : model.data.nodes.id[i]! });
      if (fly) setFlyRequest((r) => r + 1);
    },
    [model, update],
  );

  return (
    <div className="app">
      <Banners apiDown={apiDown} health={health} />
      <header className="top-bar">
        <h1>TPOT map</h1>
        <SearchBox
          onPick={(result) => {
            const i = model ? findNode(model, result.id) : undefined;
            if (i === undefined)
              return setError(`@${result.username ?? result.id} is not in this view (check the filters).`);
            if (state.view === 'focus' && !focus?.hasNode(String(i))) update({ view: 'map' });
            select(i, true);
          }}
        />
        {data && (
          <span
            className="source"
            title={data.snapshot_generated_at ? `snapshot of ${data.snapshot_generated_at} UTC` : ''}
          >
            {data.source === 'snapshot' ? 'from the snapshot' : 'built live'}
          </span>
        )}
      </header>
      {error && (
        <p className="error" role="status">
          {error}{' '}
          <button type="button" className="link" onClick={() => setError(null)}>
            dismiss
          </button>
        </p>
      )}
      <main className="layout">
        <Controls
          view={state.view}
          onView={(view) => update({ view })}
          focusSize={state.focusSize}
          onFocusSize={(focusSize) => update({ focusSize })}
          seeds={seeds}
          unknownSeeds={base?.unknown_seeds ?? []}
          onSeeds={(next) => update({ seeds: next })}
          seedState={seedState}
          onSeedState={setSeedState}
          weights={weights}
          onWeights={(next) => update({ weights: next })}
          filters={filters}
          onFilters={(next) => update({ filters: next, selected: null })}
          counts={{
            nodes: data?.directed_nodes ?? 0,
            edges: data?.directed_edges ?? 0,
            shownNodes: shown?.order ?? 0,
            shownEdges: shown?.size ?? 0,
            communities: data?.communities ?? 0,
          }}
          edgesNote={
            model && !model.allEdges && state.view === 'map'
              ? `Follows are drawn for the selected account only (more than ${MAP_EDGE_LIMIT.toLocaleString('en-US')}); the Focus view draws them all.`
              : null
          }
        />
        <section className="stage">
          {shown ? (
            <MapView
              graph={shown}
              selected={selectedKey}
              onSelect={(node) => select(node === null ? null : Number(node))}
              flyRequest={flyRequest}
              label={`Follow graph: ${shown.order} accounts`}
            />
          ) : (
            <div className="loading" role="status">
              {apiDown ? 'Waiting for the API…' : 'Loading the graph…'}
            </div>
          )}
          {data && ranking && (
            <TopTable
              data={data}
              ranking={ranking}
              top={top}
              selected={selectedIndex}
              onSelect={(i) => select(i, true)}
            />
          )}
        </section>
        {state.selected && (
          <AccountPanel
            id={state.selected}
            index={selectedIndex}
            ranking={ranking}
            rank={compositeRank}
            filters={filters}
            onSelect={(id) => {
              const i = model ? findNode(model, id) : undefined;
              if (i !== undefined) select(i, true);
            }}
            onClose={() => update({ selected: null })}
          />
        )}
      </main>
    </div>
  );
}
