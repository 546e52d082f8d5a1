/**
 * The explorer. Data flow: /health every 5 s (for the banner); /api/seeds once, for the seed
 * lists and the saved graph settings the view falls back to; /api/communities once and after every
 * curation write, for the communities' current names and colours (named-map.ts joins them to the
 * graph's named columns); /api/graph-data per filter set, and again after a propagation run;
 * /api/metrics/base per seed set — the server runs PageRank — and the composite per weight change
 * in the browser (ranking.ts), with no request. Every load goes through use-api.ts, so a stale
 * answer never overwrites a newer one. The view lives in the URL and changes through
 * view-state.ts's reducer.
 */
import type Graph from 'graphology';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useState, useSyncExternalStore } from 'react';
import { api, ApiDownError, failureMessage, filterQuery, type Health } from './api';
import { AccountPanel } from './components/AccountPanel';
import { Banners } from './components/Banners';
import { CommunitiesView, type CurationChange } from './components/communities/CommunitiesView';
import { Controls } from './components/Controls';
import { EgoBox } from './components/EgoBox';
import { HierarchyView } from './components/HierarchyView';
import { Legend } from './components/Legend';
import { MapView } from './components/MapView';
import { SearchBox } from './components/SearchBox';
import { TopTable } from './components/TopTable';
import { focusSet } from './focus';
import { focusGraph, settle } from './focus-graph';
import { egoSummary } from './ego';
import { buildModel, findNode, label, MAP_EDGE_LIMIT, paint, selectionEdges } from './graph-model';
import { landmarkNodes, namedLegend, nodeColours } from './named-map';
import { nodeSizes, rank, topIndexes } from './ranking';
import { MAP_THEMES, useTheme } from './theme';
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
  /** Bumped after a curation write: names, colours and seeds are read again. */
  const [curated, setCurated] = useState(0);
  const { theme, choice: themeChoice, choose: chooseTheme } = useTheme();
  const mapTheme = MAP_THEMES[theme];
  const onCurationChanged = useCallback((what: CurationChange) => {
    setCurated((c) => c + 1);
    // A new propagation run changes graph-data's named columns.
    if (what === 'run') setReload((r) => r + 1);
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
  const communitiesLoad = useApi(`communities#${reload}#${curated}`, (signal) => api.communities(signal));
  const communities = communitiesLoad.data;

  const failure =
    [seedLoad.error, dataLoad.error, baseLoad.error, communitiesLoad.error].find((e) => e !== null) ?? null;
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

  const legend = useMemo(() => (data ? namedLegend(data, communities) : null), [data, communities]);
  const colouring = state.colouring === 'louvain' || !legend ? 'louvain' : 'named';
  const colours = useMemo(
    () => (data ? nodeColours(data, colouring, legend, mapTheme.background) : null),
    [data, colouring, legend, mapTheme.background],
  );
  // A layout effect runs before MapView's (passive) effect creates the renderer: the first frame is already named.
  useLayoutEffect(() => {
    if (!model || !colours || !data) return;
    paint(model, colours, landmarkNodes(data, colouring, legend));
  }, [model, colours, data, colouring, legend]);

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
  const meIndex = model && state.me ? findNode(model, state.me) : undefined;
  useEffect(() => {
    if (!model || meIndex === undefined) return;
    return selectionEdges(model, meIndex);
  }, [model, meIndex]);
  const ego = useMemo(
    () => (model && meIndex !== undefined ? egoSummary(model, meIndex, colouring === 'named' ? legend : null) : null),
    [model, meIndex, colouring, legend],
  );
  const shownEdges = useEdgeCount(shown);
  const selectedKey =
    selectedIndex !== undefined && shown?.hasNode(String(selectedIndex)) ? String(selectedIndex) : null;
  const meKey = meIndex !== undefined && shown?.hasNode(String(meIndex)) ? String(meIndex) : null;
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
  /** Shows an account on the map from anywhere (a community's table, the hierarchy): the map tab, selected. */
  const showAccount = useCallback(
    (id: string) => {
      const i = model ? findNode(model, id) : undefined;
      if (i === undefined) return setNotice(`${id} is not in this view of the map (check the filters).`);
      dispatch({ type: 'tab', tab: 'map' });
      if (state.view !== 'map') dispatch({ type: 'view', view: 'map' });
      select(i, true);
    },
    [model, select, state.view],
  );
  const openCommunity = useCallback((short: string) => {
    dispatch({ type: 'tab', tab: 'communities' });
    dispatch({ type: 'community', community: short });
  }, []);

  return (
    <div className="app">
      <Banners apiDown={apiDown} health={health} />
      <header className="top-bar">
        <h1>TPOT map</h1>
        <div role="tablist" aria-label="Tabs" className="tabs">
          {(['map', 'communities'] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={state.tab === tab}
              onClick={() => dispatch({ type: 'tab', tab })}
            >
              {tab === 'map' ? 'Map' : 'Communities'}
            </button>
          ))}
        </div>
        <SearchBox
          onPick={(result) => {
            const i = model ? findNode(model, result.id) : undefined;
            if (i === undefined)
              return setNotice(`@${result.username ?? result.id} is not in this view (check the filters).`);
            if (state.tab !== 'map') dispatch({ type: 'tab', tab: 'map' });
            if (state.view === 'hierarchy' || (state.view === 'focus' && !focus?.hasNode(String(i))))
              dispatch({ type: 'view', view: 'map' });
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
        <label className="theme">
          Theme{' '}
          <select
            aria-label="Theme"
            value={themeChoice}
            onChange={(event) => chooseTheme(event.target.value as typeof themeChoice)}
          >
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
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
      {state.tab === 'communities' ? (
        <main className="layout">
          <CommunitiesView
            communities={communities}
            open={state.community}
            onOpen={(short) => dispatch({ type: 'community', community: short })}
            onChanged={onCurationChanged}
            onShowAccount={showAccount}
          />
        </main>
      ) : (
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
            ego={
              <EgoBox
                me={state.me}
                label={meIndex !== undefined && data ? label(data, meIndex) : null}
                summary={ego}
                onPick={(id) => dispatch({ type: 'me', me: id })}
              />
            }
            legend={
              <Legend
                colouring={colouring}
                legend={legend}
                louvainCount={data?.communities ?? 0}
                onColouring={(next) => dispatch({ type: 'colouring', colouring: next })}
                onOpen={openCommunity}
              />
            }
          />
          <section className="stage">
            {state.view === 'hierarchy' && data && model && colours ? (
              <HierarchyView
                data={data}
                model={model}
                colouring={colouring}
                legend={legend}
                colours={colours}
                opened={state.community}
                onOpen={(key) => dispatch({ type: 'community', community: key })}
                onSelect={(i) => select(i)}
                theme={mapTheme}
              />
            ) : shown && state.view !== 'hierarchy' ? (
              <MapView
                graph={shown}
                selected={selectedKey}
                me={meKey}
                theme={mapTheme}
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
              model={model}
              legend={colouring === 'named' ? legend : null}
              communities={communities}
              onChanged={onCurationChanged}
              onSelect={(id) => {
                const i = model ? findNode(model, id) : undefined;
                if (i !== undefined) select(i, true);
              }}
              onClose={() => dispatch({ type: 'select', selected: null })}
            />
          )}
        </main>
      )}
    </div>
  );
}
