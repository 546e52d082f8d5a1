/**
 * The WebGL map (sigma.js): draws a graphology graph, reports clicks, highlights the selected
 * account with its neighbours, flies to an account on request, and records when the first frame
 * was drawn (window.__tpot.firstFrameMs: the tests and the benchmark read it).
 */
import type Graph from 'graphology';
import { useEffect, useRef } from 'react';
import Sigma from 'sigma';
import { NodePointProgram } from 'sigma/rendering';

declare global {
  interface Window {
    __tpot?: { firstFrameMs?: number; frames?: number; renderer?: Sigma };
  }
}

export interface MapViewProps {
  graph: Graph;
  selected: string | null;
  onSelect: (node: string | null) => void;
  /** Changes whenever the map should fly to `selected`. */
  flyRequest: number;
  label: string;
}

export function MapView({ graph, selected, onSelect, flyRequest, label }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<Sigma | null>(null);
  // The latest callbacks and selection, for sigma's handlers and the fly-to, which must not restart on each render.
  const select = useRef(onSelect);
  const latestSelected = useRef(selected);
  useEffect(() => {
    select.current = onSelect;
    latestSelected.current = selected;
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
      labelRenderedSizeThreshold: large ? 12 : 9,
      labelDensity: 0.6,
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
    const present = selected !== null && graph.hasNode(selected);
    sigma.setSetting('nodeReducer', (node, data) => {
      if (!selected || !present) return data;
      if (node === selected)
        return { ...data, highlighted: true, zIndex: 2, size: Math.max(Number(data.size ?? 3), 8), type: 'circle' };
      // Asked per node and render, not precomputed: on large maps the selection's edges are added after this runs.
      if (graph.areNeighbors(node, selected)) return { ...data, zIndex: 1 };
      return { ...data, color: '#e5e7eb', label: '', zIndex: 0 };
    });
    sigma.setSetting('edgeReducer', (edge, data) => {
      if (!selected) return data;
      const [s, t] = graph.extremities(edge);
      return s === selected || t === selected ? { ...data, color: '#f59e0b', size: 1 } : { ...data, hidden: true };
    });
  }, [graph, selected]);

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
