/**
 * The top accounts, sortable by any column. Headers are buttons and rows are focusable:
 * the table works by keyboard (Tab to a row, Enter to select it).
 */
import { useMemo, useState } from 'react';
import type { GraphData } from '../api';
import type { Ranking } from '../ranking';

type Column = 'rank' | 'handle' | 'composite' | 'pagerank' | 'betweenness' | 'engagement' | 'followers';

const COLUMNS: { key: Column; title: string }[] = [
  { key: 'rank', title: '#' },
  { key: 'handle', title: 'Account' },
  { key: 'composite', title: 'TPOT-ness' },
  { key: 'pagerank', title: 'PageRank' },
  { key: 'betweenness', title: 'Betweenness' },
  { key: 'engagement', title: 'Engagement' },
  { key: 'followers', title: 'Followers' },
];

export function TopTable({
  data,
  ranking,
  top,
  onSelect,
  selected,
}: {
  data: GraphData;
  ranking: Ranking;
  top: number[];
  onSelect: (i: number) => void;
  selected: number | undefined;
}) {
  const [sort, setSort] = useState<{ key: Column; descending: boolean }>({ key: 'rank', descending: false });
  const rows = useMemo(() => {
    const value = (i: number, position: number): number | string => {
      switch (sort.key) {
        case 'rank':
          return position;
        case 'handle':
          return (data.nodes.username[i] ?? data.nodes.id[i]!).toLowerCase();
        case 'followers':
          return data.nodes.num_followers[i] ?? -1;
        default:
          return ranking[sort.key][i]!;
      }
    };
    const keyed = top.map((i, position) => ({ i, position: position + 1, v: value(i, position + 1) }));
    keyed.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) * (sort.descending ? -1 : 1));
    return keyed;
  }, [data, ranking, top, sort]);

  return (
    <table className="top" data-testid="top-table">
      <caption>Top {top.length} accounts by TPOT-ness</caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button
                type="button"
                onClick={() =>
                  setSort((s) => ({
                    key: c.key,
                    descending: s.key === c.key ? !s.descending : c.key !== 'rank' && c.key !== 'handle',
                  }))
                }
              >
                {c.title}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ i, position }) => (
          <tr
            key={i}
            tabIndex={0}
            className={i === selected ? 'selected' : ''}
            onClick={() => onSelect(i)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(i);
              }
            }}
            data-handle={data.nodes.username[i] ?? data.nodes.id[i]}
          >
            <td>{position}</td>
            <td>@{data.nodes.username[i] ?? data.nodes.id[i]}</td>
            <td>{ranking.composite[i]!.toFixed(3)}</td>
            <td>{ranking.pagerank[i]!.toExponential(2)}</td>
            <td>{ranking.betweenness[i]!.toExponential(2)}</td>
            <td>{ranking.engagement[i]!.toFixed(2)}</td>
            <td>{data.nodes.num_followers[i] ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
