/**
 * "My account" (the ego view): picked by search, kept in the URL as `me`, highlighted on the map with its
 * neighbourhood when nothing else is selected, and summed up here: which communities its follows (and its
 * followers) fall in.
 */
import type { EgoGroup, EgoSummary } from '../ego';
import { communityColour } from '../graph-model';
import { SearchBox } from './SearchBox';

function groupName(group: EgoGroup): string {
  if (group.entry) return group.entry.name;
  return group.louvain !== null && group.louvain >= 0 ? `Louvain #${group.louvain}` : 'no community';
}

function Shares({ title, groups, total }: { title: string; groups: EgoGroup[]; total: number }) {
  return (
    <>
      <h4>
        {title} ({total.toLocaleString('en-US')})
      </h4>
      <ul className="shares" aria-label={title}>
        {groups.slice(0, 6).map((group) => (
          <li key={group.entry?.id ?? `l${group.louvain}`}>
            <span
              className="bar"
              style={{
                width: `${Math.max(2, Math.round((100 * group.count) / Math.max(1, total)))}%`,
                background: group.entry?.color ?? communityColour(group.louvain ?? -1),
              }}
            />
            <span>
              {groupName(group)}: {group.count} ({Math.round((100 * group.count) / Math.max(1, total))}%)
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function EgoBox(props: {
  me: string | null;
  /** The account as the map names it; null when `me` is not in this view. */
  label: string | null;
  summary: EgoSummary | null;
  onPick: (id: string | null) => void;
}) {
  return (
    <section aria-label="My account" data-testid="ego">
      <h3>My account</h3>
      {props.me === null ? (
        <SearchBox label="My account" placeholder="Your handle…" onPick={(result) => props.onPick(result.id)} />
      ) : (
        <>
          <p>
            {props.label ?? props.me}{' '}
            <button type="button" className="link" onClick={() => props.onPick(null)}>
              clear
            </button>
          </p>
          {props.summary ? (
            <>
              <Shares title="You follow" groups={props.summary.follows} total={props.summary.followsTotal} />
              <Shares title="Follow you" groups={props.summary.followers} total={props.summary.followersTotal} />
            </>
          ) : (
            <p className="hint">Not in this view of the graph (check the filters).</p>
          )}
        </>
      )}
    </section>
  );
}
