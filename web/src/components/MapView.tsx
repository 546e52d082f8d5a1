/**
 * The WebGL map (sigma.js): draws a graphology graph, reports clicks, highlights the selected
 * account with its neighbours (or, with nothing selected, "my account" with its neighbourhood: the
 * ego view), colours follows and labels for the theme, flies to an account on request, and records
 * when the first frame was drawn (window.__tpot.firstFrameMs: the tests and the benchmark read it).
 * Labels go through sigma's label grid, one per cell so they never overlap; nodes marked forceLabel
 * (each community's landmarks, named-map.ts) are always labelled.
 */
import type Graph from 'graphology';
import { useEffect, useRef } from 'react';
import Sigma from 'sigma';
import { drawDiscNodeLabel, NodePointProgram, type NodeLabelDrawingFunction } from 'sigma/rendering';
import { blend } from '../named-map';
import { edgeAlpha, type MapTheme } from '../theme';

declare global {
  interface Window {
    __tpot?: { firstFrameMs?: number; frames?: number; renderer?: Sigma };
  }
}

export interface MapViewProps {
  graph: Graph;
  selected: string | null;
  /** The ego view's account (a node key), highlighted when nothing is selected. */
  me: string | null;
  theme: MapTheme;
  onSelect: (node: string | null) => void;
  /** Changes whenever the map should fly to `selected`. */
  flyRequest: number;
  label: string;
}

/**
 * Sigma's own hover drawing puts the label on a white box, unreadable under the dark theme's light labels: the
 * same box, in the theme's colour.
 */
function hoverDrawer(box: string): NodeLabelDrawingFunction {
  return (context, data, settings) => {
    const padding = 2;
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    context.fillStyle = box;
    context.shadowBlur = 8;
    context.shadowColor = '#000';
    const height = settings.labelSize + 2 * padding;
    const width = typeof data.label === 'string' ? context.measureText(data.label).width + 5 : 0;
    context.beginPath();
    context.arc(data.x, data.y, data.size + padding, 0, Math.PI * 2);
    if (width > 0) context.rect(data.x, data.y - height / 2, data.size + padding + width, height);
    context.fill();
    context.shadowBlur = 0;
    drawDiscNodeLabel(context, data, settings);
  };
}

export function MapView({ graph, selected, me, theme, onSelect, flyRequest, label }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<Sigma | null>(null);
  // The latest callbacks and selection, for sigma's handlers and the fly-to, which must not restart on each render.
  const select = useRef(onSelect);
  const latestSelected = useRef(selected);
  const latestTheme = useRef(theme);
  useEffect(() => {
    select.current = onSelect;
    latestSelected.current = selected;
    latestTheme.current = theme;
  });

  useEffect(() => {
    if (!container.current) return;
    // Large maps: nodes as GL points (a fraction of the circle program's cost in software WebGL),
    // and no labels while the camera moves.
    const large = graph.order > 20_000;
    const sigma = new Sigma(graph, container.current, {
      nodeProgramClasses: { point: NodePointProgram },
      defaultNodeType: large ? 'point' : 'circle',
      hideEdgesOnMove: large,
      hideLabelsOnMove: large,
      labelRenderedSizeThreshold: large ? 12 : 7,
      labelDensity: 0.5,
      labelGridCellSize: 120,
      labelColor: { color: latestTheme.current.label },
      allowInvalidContainer: true,
      zIndex: true,
      defaultEdgeType: 'line',
    });
    const state = (window.__tpot ??= {});
    state.renderer = sigma;
    state.frames = 0;
    sigma.on('afterRender', () => {
      state.frames = (state.frames ?? 0) + 1;
      state.firstFrameMs ??= performance.now();
    });
    sigma.on('clickNode', ({ node }) => select.current(node));
    sigma.on('clickStage', () => select.current(null));
    // Sigma follows window resizes only; the account panel opening narrows the map too.
    const element = container.current;
    const resized = new ResizeObserver(() => {
      // A container being laid out or taken away has no size for a moment: nothing to draw then.
      if (element.clientWidth > 0 && element.clientHeight > 0) sigma.resize();
    });
    resized.observe(element);
    renderer.current = sigma;
    return () => {
      resized.disconnect();
      sigma.kill();
      renderer.current = null;
    };
  }, [graph]);

  useEffect(() => {
    const sigma = renderer.current;
    if (!sigma) return;
    // The selection wins over the ego view; either is ignored when its account is not on this map.
    const focus = [selected, me].find((key) => key !== null && graph.hasNode(key)) ?? null;
    const emphasis = focus === selected ? { size: 8, zIndex: 2 } : { size: 7, zIndex: 2 };
    sigma.setSetting('labelColor', { color: theme.label });
    sigma.setSetting('defaultDrawNodeHover', hoverDrawer(theme.labelBox));
    sigma.setSetting('nodeReducer', (node, data) => {
      if (focus === null) return data;
      if (node === focus)
        return {
          ...data,
          highlighted: true,
          forceLabel: true,
          type: 'circle',
          ...emphasis,
          size: Math.max(Number(data.size ?? 3), emphasis.size),
        };
      // Asked per node and render, not precomputed: on large maps the focus's edges are added after this runs.
      if (graph.areNeighbors(node, focus)) return { ...data, zIndex: 1 };
      return { ...data, color: theme.dimmed, label: '', forceLabel: false, zIndex: 0 };
    });
    // Read once per change, not per edge: a selection's follows added later keep the alpha of the map they join.
    const alpha = edgeAlpha(graph.size);
    const edge = blend(theme.edge, alpha, theme.background);
    const shadowEdge = blend(theme.shadowEdge, alpha * 0.6, theme.background);
    sigma.setSetting('edgeReducer', (key, data) => {
      if (focus === null) return { ...data, color: data.shadow ? shadowEdge : edge };
      const [s, t] = graph.extremities(key);
      return s === focus || t === focus ? { ...data, color: theme.highlightEdge, size: 1 } : { ...data, hidden: true };
    });
  }, [graph, selected, me, theme]);

  useEffect(() => {
    const sigma = renderer.current;
    const selected = latestSelected.current;
    if (!sigma || !selected || !sigma.getGraph().hasNode(selected)) return;
    // Display data is in the camera's (framed) coordinates only once processed: render first.
    sigma.refresh();
    const position = sigma.getNodeDisplayData(selected);
    if (position) void sigma.getCamera().animate({ x: position.x, y: position.y, ratio: 0.3 }, { duration: 600 });
  }, [flyRequest]);

  return <div ref={container} className="map" role="img" aria-label={label} data-testid="map" />;
}
