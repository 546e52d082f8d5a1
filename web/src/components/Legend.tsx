/**
 * The map's legend: the colouring (named communities from the latest propagation run, or Louvain), each community
 * with its current name and its members in this map per band, and how confidence and shadow accounts are drawn.
 * A named community's name opens its page in the Communities tab.
 */
import { communityColour, PALETTE } from '../graph-model';
import { memberTotal, UNPLACED_COLOUR, UNPLACED_ALPHA, type Colouring, type LegendEntry } from '../named-map';

const BANDS = ['exemplar', 'specialist', 'bridge', 'frontier'] as const;

export function Legend(props: {
  colouring: Colouring;
  /** Null when no propagation run is stored: only Louvain can colour the map. */
  legend: LegendEntry[] | null;
  louvainCount: number;
  onColouring: (colouring: Colouring) => void;
  onOpen: (short: string) => void;
}) {
  const { colouring, legend } = props;
  return (
    <section>
      <h3>Communities</h3>
      <div role="radiogroup" aria-label="Colour by" className="segmented inline">
        <label title={legend ? '' : 'No propagation run is stored: run one from the Communities tab'}>
          <input
            type="radio"
            name="colouring"
            checked={colouring === 'named'}
            disabled={!legend}
            onChange={() => props.onColouring('named')}
          />{' '}
          Named
        </label>
        <label>
          <input
            type="radio"
            name="colouring"
            checked={colouring === 'louvain'}
            onChange={() => props.onColouring('louvain')}
          />{' '}
          Louvain
        </label>
      </div>
      {colouring === 'named' && legend ? (
        <ul className="legend named" aria-label="Community legend">
          {legend.map((entry) => (
            <li key={entry.id} data-short={entry.short} className={entry.deleted ? 'deleted' : ''}>
              <span className="swatch" style={{ background: entry.color }} />{' '}
              <button
                type="button"
                className="link plain"
                disabled={entry.deleted}
                onClick={() => props.onOpen(entry.short)}
              >
                {entry.name}
              </button>{' '}
              <span className="count" title={BANDS.map((b) => `${b}: ${entry.members[b]}`).join(', ')}>
                {memberTotal(entry).toLocaleString('en-US')}
              </span>
              <span className="bands">
                {BANDS.map((b) => `${entry.members[b]} ${b}`).join(' · ')}
                {entry.deleted ? ' · deleted since the run' : ''}
              </span>
            </li>
          ))}
          <li>
            <span className="swatch" style={{ background: UNPLACED_COLOUR, opacity: UNPLACED_ALPHA }} /> in no community
          </li>
          <li className="hint">Fainter: less confident placement; faintest: shadow accounts.</li>
        </ul>
      ) : (
        <ul className="legend" aria-label="Community legend">
          {PALETTE.slice(0, Math.min(PALETTE.length, props.louvainCount)).map((_, c) => (
            <li key={c}>
              <span className="swatch" style={{ background: communityColour(c) }} /> {c === 0 ? 'largest' : `#${c}`}
            </li>
          ))}
          {props.louvainCount > PALETTE.length && (
            <li>
              <span className="swatch" style={{ background: communityColour(-1) }} /> smaller ones
            </li>
          )}
          <li>
            <span className="swatch faded" /> shadow account (faded)
          </li>
        </ul>
      )}
    </section>
  );
}
