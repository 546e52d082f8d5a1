/**
 * The selected account (docs/ARCHITECTURE.md, "Explorer"): profile, counts, metrics under the current seeds and weights
 * (computed in the browser), community, provenance, who it follows and who follows it inside the
 * graph (from /api/accounts/:id), and a link to its X page.
 */
import { useEffect, useState } from 'react';
import { api, type Account, type Filters } from '../api';
import { communityColour } from '../graph-model';
import type { Ranking } from '../ranking';

const fmt = (value: number | null | undefined, digits = 4) => (value == null ? '—' : value.toFixed(digits));

export function AccountPanel(props: {
  id: string;
  index: number | undefined;
  ranking: Ranking | null;
  rank: number | null;
  filters: Filters;
  onSelect: (id: string) => void;
  onClose: () => void;
}) {
  const { id, index, ranking, rank, filters, onSelect, onClose } = props;
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.account(id, filters).then(
      (found) => !cancelled && setAccount(found),
      (failure: Error) => !cancelled && setError(failure.message),
    );
    return () => {
      cancelled = true;
    };
  }, [id, filters]);

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
      {error && <p className="error">{error}</p>}
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
