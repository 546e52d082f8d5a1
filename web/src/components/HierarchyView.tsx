/** The hierarchy view (placeholder until it is built: communities as bubbles, opened into their accounts). */
import type { GraphData } from '../api';
import type { GraphModel } from '../graph-model';
import type { Colouring, LegendEntry } from '../named-map';
import type { MapTheme } from '../theme';

export interface HierarchyViewProps {
  data: GraphData;
  model: GraphModel;
  colouring: Colouring;
  legend: LegendEntry[] | null;
  /** Every node's colour under the colouring (named-map.ts nodeColours). */
  colours: readonly string[];
  /** The opened community: a named community's short name, or `louvain-N`; null: the bubbles. */
  opened: string | null;
  onOpen: (key: string | null) => void;
  /** An account clicked inside an opened community. */
  onSelect: (index: number) => void;
  theme: MapTheme;
}

export function HierarchyView(props: HierarchyViewProps) {
  return (
    <div className="map" data-testid="hierarchy">
      {props.legend?.length ?? 0}
    </div>
  );
}
