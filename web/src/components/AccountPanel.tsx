/**
 * The selected account: profile, counts, metrics under the current seeds and weights
 * (computed in the browser), community, provenance, who it follows and who follows it inside the
 * graph (from /api/accounts/:id), and a link to its X page.
 */
import { api, failureMessage, filterQuery, type Account, type Communities, type Filters } from '../api';
import { communityColour, type GraphModel } from '../graph-model';
import type { LegendEntry } from '../named-map';
import type { CurationChange } from './communities/CommunitiesView';
import type { Ranking } from '../ranking';
import { useApi } from '../use-api';

const fmt = (value: number | null | undefined, digits = 4) => (value == null ? '—' : value.toFixed(digits));

export function AccountPanel(props: {
  id: string;
  index: number | undefined;
  ranking: Ranking | null;
  rank: number | null;
  filters: Filters;
  /** The map's graph, for grouping the account's follows by community; null while it loads. */
  model: GraphModel | null;
  /** The named colouring's legend (current names and colours); null when the map is coloured by Louvain. */
  legend: LegendEntry[] | null;
  /** The curated communities as they are now (for "add as a seed of…"). */
  communities: Communities | null;
  /** A curation write succeeded (a seed added or removed, a note or tags saved). */
  onChanged: (what: CurationChange) => void;
  onSelect: (id: string) => void;
  onClose: () => void;
}) {
  const { id, index, ranking, rank, filters, onSelect, onClose } = props;
  const { data: account, error } = useApi(`account/${id}?${filterQuery(filters)}`, (signal) =>
    api.account(id, filters, signal),
  );

  const neighbourList = (title: string, list: Account['followers_in_graph'] | undefined) => (
    <section>
      <h4>
        {title} ({list?.total ?? '…'})
      </h4>
      <ul className="neighbours">
        {list?.accounts.map((a) => (
          <li key={a.id}>
            <button type="button" className="link" onClick={() => onSelect(a.id)}>
              @{a.username ?? a.id}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );

  return (
    <aside className="panel account" aria-label="Selected account" data-testid="account-panel">
      <button type="button" className="close" onClick={onClose} aria-label="Close the account panel">
        ×
      </button>
      {error !== null && <p className="error">{failureMessage(error)}</p>}
      {account && (
        <>
          <h3>
            {account.display_name ?? account.username ?? account.id} <small>@{account.username ?? account.id}</small>
          </h3>
          <p className="tags">
            <span className="tag">{account.provenance}</span>
            <span className="tag" style={{ background: communityColour(account.community), color: 'white' }}>
              community {account.community}
            </span>
            {account.profile?.account_status && account.profile.account_status !== 'active' && (
              <span className="tag warn">{account.profile.account_status}</span>
            )}
          </p>
          {account.profile?.bio && <p className="bio">{account.profile.bio}</p>}
          {account.profile?.location && <p>📍 {account.profile.location}</p>}
          <dl className="counts">
            <dt>Followers</dt>
            <dd>{account.num_followers ?? '—'}</dd>
            <dt>Following</dt>
            <dd>{account.num_following ?? '—'}</dd>
            <dt>Tweets</dt>
            <dd>{account.num_tweets ?? '—'}</dd>
          </dl>
          {ranking && index !== undefined && (
            <dl className="metrics">
              <dt>TPOT-ness</dt>
              <dd>
                {fmt(ranking.composite[index], 3)} {rank !== null && <small>(#{rank})</small>}
              </dd>
              <dt>PageRank</dt>
              <dd>{fmt(ranking.pagerank[index], 6)}</dd>
              <dt>Betweenness</dt>
              <dd>{fmt(ranking.betweenness[index], 6)}</dd>
              <dt>Engagement</dt>
              <dd>{fmt(ranking.engagement[index], 3)}</dd>
            </dl>
          )}
          {account.x_url && (
            <p>
              <a href={account.x_url} target="_blank" rel="noreferrer noopener">
                Open on X ↗
              </a>
            </p>
          )}
          {neighbourList('Followed by, in the graph', account.followers_in_graph)}
          {neighbourList('Follows, in the graph', account.following_in_graph)}
        </>
      )}
    </aside>
  );
}
