/**
 * The explorer. Data flow: /health every 5 s (for the banner); /api/seeds once, for the seed
 * lists and the saved graph settings the view falls back to; /api/graph-data per filter set;
 * /api/metrics/base per seed set — the server runs PageRank — and the composite per weight change
 * in the browser (ranking.ts), with no request. Every load goes through use-api.ts, so a stale
 * answer never overwrites a newer one. The view lives in the URL and changes through
 * view-state.ts's reducer.
 */
import type Graph from 'graphology';
import { useCallback, useEffect, useMemo, useReducer, useState, useSyncExternalStore } from 'react';
import { api, ApiDownError, failureMessage, filterQuery, type Health } from './api';
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
import { useApi } from './use-api';
import { formatViewState, parseViewState, resolveView, viewReducer } from './view-state';

const TOP_ROWS = 50;
/** How often the API is checked, for the banner. */
const HEALTH_POLL_MS = 5_000;
/** Shown under the counts when the map is too big to draw every follow. */
const MAP_EDGES_NOTE =
  `Follows are drawn for the selected account only (more than ${MAP_EDGE_LIMIT.toLocaleString('en-US')}); ` +
  'the Focus view draws them all.';

/** The number of edges a graph has now, re-read whenever edges come and go (the selection's follows). */
function useEdgeCount(graph: Graph | null): number {
  const subscribe = useCallback(
    (changed: () => void) => {
      if (!graph) return () => undefined;
      const events = ['edgeAdded', 'edgeDropped', 'edgesCleared', 'cleared'] as const;
      for (const event of events) graph.on(event, changed);
      return () => {
        for (const event of events) graph.off(event, changed);
      };
    },
    [graph],
  );
  return useSyncExternalStore(subscribe, () => graph?.size ?? 0);
}

export function App() {
  const [state, dispatch] = useReducer(viewReducer, window.location.search, parseViewState);
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${formatViewState(state)}`);
  }, [state]);

  const [health, setHealth] = useState<Health | null>(null);
  const [healthDown, setApiDown] = useState(false);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [flyRequest, setFlyRequest] = useState(0);
  /** Bumped when the data must be fetched again: the API came back, or the graph changed under us. */
  const [reload, setReload] = useState(0);

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

  const seedLoad = useApi(`seeds#${reload}`, (signal) => api.seeds(signal));
  const seedState = seedLoad.data;
  // The saved settings decide what the URL leaves open, so nothing is drawn before they are known.
  const view = useMemo(() => resolveView(state, seedState?.settings ?? null), [state, seedState]);
  const { filters, weights } = view;
  const seeds = useMemo(
    () => state.seeds ?? (seedState?.active_list ? (seedState.lists[seedState.active_list] ?? []) : []),
    [state.seeds, seedState],
  );

  const dataLoad = useApi(seedState ? `graph-data?${filterQuery(filters)}#${reload}` : null, (signal) =>
    api.graphData(filters, signal),
  );
  const data = dataLoad.data;
  const baseLoad = useApi(
    data ? `metrics/base?${filterQuery(filters)}&seeds=${seeds.join(',')}&graph=${data.version}` : null,
    async (signal) => {
      const found = await api.baseMetrics(seeds, filters, signal);
      // The graph changed on the server since it was fetched (an import): fetch it again.
      if (data && found.graph_version !== data.version) setReload((r) => r + 1);
      return found;
    },
  );
  const base = baseLoad.data;

  const failure = [seedLoad.error, dataLoad.error, baseLoad.error].find((e) => e !== null) ?? null;
  const apiDown = healthDown || failure instanceof ApiDownError;
  const failureText = failure === null || failure instanceof ApiDownError ? null : failureMessage(failure);
  const [notice, setNotice] = useState<string | null>(null);
  const error = notice ?? (failureText !== dismissed ? failureText : null);

  const ranking = useMemo(
    () =>
      base && data && base.graph_version === data.version && base.node_count === data.directed_nodes
        ? rank(base, weights)
        : null,
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

  const focus = useMemo(
    () =>
      state.view === 'focus' && model && ranking
        ? focusGraph(model, focusSet(model, ranking.composite, seedIndexes, view.focusSize))
        : null,
    [state.view, view.focusSize, model, ranking, seedIndexes],
  );
  useEffect(() => (focus ? settle(focus) : undefined), [focus]);

  const shown = state.view === 'focus' ? focus : (model?.graph ?? null);
  const selectedIndex = model && state.selected ? findNode(model, state.selected) : undefined;
  useEffect(() => {
    if (!model || selectedIndex === undefined) return;
    return selectionEdges(model, selectedIndex);
  }, [model, selectedIndex]);
  const shownEdges = useEdgeCount(shown);
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
      dispatch({ type: 'select', selected: i === null || !model ? null : model.data.nodes.id[i]! });
      if (fly) setFlyRequest((r) => r + 1);
    },
    [model],
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
              return setNotice(`@${result.username ?? result.id} is not in this view (check the filters).`);
            if (state.view === 'focus' && !focus?.hasNode(String(i))) dispatch({ type: 'view', view: 'map' });
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
          <button
            type="button"
            className="link"
            onClick={() => {
              setNotice(null);
              setDismissed(failureText);
            }}
          >
            dismiss
          </button>
        </p>
      )}
      <main className="layout">
        <Controls
          mode={state.view}
          view={view}
          seeds={seeds}
          dispatch={dispatch}
          unknownSeeds={base?.unknown_seeds ?? []}
          seedState={seedState}
          onSeedState={seedLoad.replace}
          counts={{
            nodes: data?.directed_nodes ?? 0,
            edges: data?.directed_edges ?? 0,
            shownNodes: shown?.order ?? 0,
            shownEdges,
            communities: data?.communities ?? 0,
          }}
          edgesNote={model && !model.allEdges && state.view === 'map' ? MAP_EDGES_NOTE : null}
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
            onClose={() => dispatch({ type: 'select', selected: null })}
          />
        )}
      </main>
    </div>
  );
}
